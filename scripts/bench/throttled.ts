/**
 * Many ENS node pools created at once against an emulator that allows 10 ENS writes per second (the documented
 * limit of CreateClusterNodePool, ScaleClusterNodePool and DeleteClusterNodePool), two ways:
 *
 * - in process: the handlers' creates all started together (what the real engine's parallelism produces), on a
 *   simulated clock shared with the emulator (tests/support/ens.ts `SimulatedClock`: time stands still while a
 *   request is in flight and jumps to the next sleeper otherwise), so the figure is the schedule itself, free of
 *   machine noise;
 * - one program (programs/ens-pools) through the test engine, in real time: it runs the Create calls at once, as the
 *   CLI does, as fast as the program registers the pools, so the limiter and the engine's pace both show in it.
 *
 * The least time the limit allows for n creates is (ceil(n / 10) - 1) seconds: 10 at once, then 10 more each second.
 */
import * as fs from "fs";
import * as path from "path";
import type { Props } from "../../provider/core/handler";
import { createRateLimiter } from "../../provider/core/http/client";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import { ENS_RATE_LIMITED_ACTIONS, type EnsService } from "../../provider/emulator/services/ens-nodepool";
import { limiterKey } from "../../provider/resources/ens-nodepool/api";
import { ensNodePoolHandlers as h } from "../../provider/resources/ens-nodepool/handler";
import { TestEngine } from "../../tests/engine";
import { ENS_CLUSTER, ENS_REGION, ensPool, SimulatedClock, startEnsEnv, stopEnsEnv } from "../../tests/support/ens";
import { timedOp } from "./engine-stack";

export const RATE_PER_SECOND = 10;

/** The least time between the first and the last of n calls that a limit of `rate` per sliding second allows. */
export function minimumSpanMs(n: number, rate = RATE_PER_SECOND): number {
  return Math.max(0, Math.ceil(n / rate) - 1) * 1000;
}

export interface InProcessResult {
  pools: number;
  /** Simulated time from the start until the last create returned. */
  wallMs: number;
  /** Simulated time between the first and the last CreateClusterNodePool the emulator received. */
  createSpanMs: number;
  minimumMs: number;
  /** Creates that failed (what the user would see). */
  failed: number;
  userThrottlingErrors: number;
  /** Throttling answers the emulator gave (retried by the client when any). */
  throttledAnswers: number;
  realMs: number;
}

const throttledAnswers = (log: RecordedRequest[]) => log.filter((r) => /throttl/i.test(r.code ?? "")).length;

function createSpan(log: RecordedRequest[]): number {
  const times = log.filter((r) => r.action === "CreateClusterNodePool" && r.status === 200).map((r) => r.time);
  return times.length ? Math.max(...times) - Math.min(...times) : 0;
}

/**
 * @param previousLimiter run with the limiter the package used before the sliding window: calls spaced evenly
 * 1/rate apart (GCRA, `createRateLimiter`), put in the process-wide registry in place of the shared one.
 */
export async function throttledInProcess(pools: number, previousLimiter = false): Promise<InProcessResult> {
  const clock = new SimulatedClock();
  const env = await startEnsEnv(clock);
  try {
    env.emulator.setRateLimit({ service: "ens", perSecond: RATE_PER_SECOND, actions: [...ENS_RATE_LIMITED_ACTIONS] });
    if (previousLimiter) {
      const registry = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[Symbol.for("pulumi-nodepools.sharedRateLimiters")];
      registry.set(limiterKey(env.emulator.credentials.accessKeyId), createRateLimiter({ ratePerSecond: RATE_PER_SECOND, clock }));
    }
    const inputs: Props[] = [];
    for (let i = 0; i < pools; i++) {
      const r = await h.check({}, ensPool(`edge-${String(i).padStart(3, "0")}`));
      if (r.failures?.length) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
      inputs.push(r.inputs);
    }
    env.emulator.clearRequests();
    const real = process.hrtime.bigint();
    const started = clock.now();
    const results = await Promise.allSettled(inputs.map((i) => h.create(i)));
    const wallMs = clock.now() - started;
    const realMs = Number(process.hrtime.bigint() - real) / 1e6;
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason?.message ?? r.reason));
    const log = env.emulator.requests({ service: "ens" });
    return {
      pools,
      wallMs,
      createSpanMs: createSpan(log),
      minimumMs: minimumSpanMs(pools),
      failed: errors.length,
      userThrottlingErrors: errors.filter((e) => /throttl/i.test(e)).length,
      throttledAnswers: throttledAnswers(log),
      realMs,
    };
  } finally {
    clock.dispose();
    await stopEnsEnv(env);
  }
}

export interface ProgramResult {
  pools: number;
  /** Wall time of `up` with the limit. */
  wallMs: number;
  /** Wall time of `up` of the same new stack without the limit. */
  unlimitedWallMs: number;
  createSpanMs: number;
  unlimitedCreateSpanMs: number;
  /** The unlimited run with its creates stretched to the least span the limit allows. */
  minimumMs: number;
  failedSteps: number;
  userThrottlingErrors: number;
  throttledAnswers: number;
}

async function upOnce(emulator: CloudEmulator, pools: number, work: string, limited: boolean) {
  emulator.reset();
  emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
  if (limited) emulator.setRateLimit({ service: "ens", perSecond: RATE_PER_SECOND, actions: [...ENS_RATE_LIMITED_ACTIONS] });
  const dir = fs.mkdtempSync(path.join(work, `ens-${limited ? "limited" : "free"}-`));
  let env: Record<string, string> = {};
  const engine = new TestEngine({
    programDir: path.join(__dirname, "programs", "ens-pools"),
    stack: "bench",
    stateFile: path.join(dir, "state.json"),
    config: {
      count: String(pools),
      pool: ensPool("edge"),
      "alicloud:accessKey": emulator.credentials.accessKeyId,
      "alicloud:region": "cn-hangzhou",
      "nodepools:endpoints": { ens: emulator.endpoint },
    },
    secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
    get env() {
      return env;
    },
    timeouts: { programMs: 900_000, hostCallMs: 300_000 },
  });
  let failedSteps = 0;
  let userThrottlingErrors = 0;
  let wallMs: number;
  try {
    const s = await timedOp(dir, "up", async (e) => {
      env = e;
      return engine.up();
    });
    wallMs = s.wallMs;
  } catch (e) {
    // A failed up is a figure here (throttling errors that reached the user), not a bench failure.
    const text = String((e as Error).message);
    failedSteps = 1;
    userThrottlingErrors = (text.match(/throttl/gi) ?? []).length;
    wallMs = Number.NaN;
  }
  const log = emulator.requests({ service: "ens" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, failedSteps, userThrottlingErrors, throttledAnswers: throttledAnswers(log), createSpanMs: createSpan(log) };
}

export async function throttledProgram(emulator: CloudEmulator, pools: number, work: string): Promise<ProgramResult> {
  const free = await upOnce(emulator, pools, work, false);
  const limited = await upOnce(emulator, pools, work, true);
  emulator.setRateLimit(undefined);
  const minimumMs = free.wallMs - free.createSpanMs + Math.max(free.createSpanMs, minimumSpanMs(pools));
  return {
    pools,
    wallMs: limited.wallMs,
    unlimitedWallMs: free.wallMs,
    createSpanMs: limited.createSpanMs,
    unlimitedCreateSpanMs: free.createSpanMs,
    minimumMs,
    failedSteps: limited.failedSteps,
    userThrottlingErrors: limited.userThrottlingErrors,
    throttledAnswers: limited.throttledAnswers,
  };
}
