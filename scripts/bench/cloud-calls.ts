/**
 * Cloud calls per operation, in process: the handlers against the emulator, with one fake clock shared by the
 * emulator's `time` progression, its signature checks and the package's runtime (waiters, backoff), as
 * tests/support/*.ts do. Every create, update and delete takes ten simulated minutes to settle; the emulator's
 * request log tells which calls were made, and when, on that clock. Nothing really sleeps, so this runs in seconds.
 *
 * Jitter: the waiter draws its delays from the clock's random source. Each operation runs once per seed, with a
 * seeded generator, and the worst figures over the seeds are reported.
 */
import { FakeClock } from "../../provider/core/clock";
import type { DynamicHandlers, Props } from "../../provider/core/handler";
import { resetSharedLimiters } from "../../provider/core/http/client";
import { POLL_MIN_DELAY_MS } from "../../provider/core/lifecycle";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { waitFor } from "../../provider/core/waiter";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import { basePool, CLUSTER } from "../../tests/support/ack";
import { ENS_CLUSTER, ENS_REGION, ensPool } from "../../tests/support/ens";

export const PROVISIONING_MS = 10 * 60_000;
export const MAX_POLLS = 20;
/** The handler returns at most this long after the emulator reports ready: 10 % of the wait, or 2 s. */
export const MAX_LATENCY_MS = Math.max(0.1 * PROVISIONING_MS, 2000);

export type CrudOp = "create" | "update" | "delete";

export interface OpCalls {
  /** Mutating calls, by action. */
  mutating: string[];
  /** Reads before the (first) mutating call: name checks, "is the pool idle" checks. */
  readsBefore: number;
  /** Reads after the last mutating call: status polls. */
  polls: number;
  /** Clock time from the last mutating call until the handler returned. */
  elapsedMs: number;
  /** How long after the emulator reported ready the handler returned. */
  latencyMs: number;
  /** Times of the polls, relative to the last mutating call (ms). */
  pollTimes: number[];
}

export interface ResourceCalls {
  kind: string;
  /** seed -> op -> calls */
  runs: Array<{ seed: number; ops: Record<CrudOp, OpCalls> }>;
}

interface Scenario {
  kind: string;
  handlers: () => DynamicHandlers;
  /** Seeds the emulator; returns the environment that points the package at it. */
  seed(emulator: CloudEmulator): Record<string, string>;
  inputs(): Props;
  /** A one-field change that makes the cloud work for the full provisioning time (a scale-out). */
  changed(inputs: Props): Props;
}

const SCENARIOS: Scenario[] = [
  {
    kind: "alicloud.ack.NodePool",
    handlers: () => require("../../provider/resources/ack-nodepool/handler").ackNodePoolHandlers,
    seed: (emulator) => {
      emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
      return { ALICLOUD_REGION: "cn-hangzhou" };
    },
    // With the owner key the resource class always adds, so that the create goes first (no name lookup).
    inputs: () => ({ ...basePool("gpu"), ownerKey: "bench/dev/gpu" }),
    changed: (inputs) => ({ ...inputs, scalingGroup: { ...(inputs.scalingGroup as Props), desiredSize: 3 } }),
  },
  {
    kind: "alicloud.ens.NodePool",
    handlers: () => require("../../provider/resources/ens-nodepool/handler").ensNodePoolHandlers,
    seed: (emulator) => {
      emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
      return { ALICLOUD_REGION: "cn-hangzhou" };
    },
    inputs: () => ensPool("edge"),
    changed: (inputs) => ({ ...inputs, scalingGroup: { ...(inputs.scalingGroup as Props), desiredSize: 3 } }),
  },
];

/** mulberry32: a small seeded generator in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A read is a GET, or an RPC action that describes, lists, gets, queries or shows. */
export function isRead(r: RecordedRequest): boolean {
  return r.method === "GET" || /^(Describe|List|Get|Query|Show)/.test(r.action ?? "");
}

function analyse(log: RecordedRequest[], returnedAt: number): OpCalls {
  const cloud = log.filter((r) => r.action !== undefined);
  const mutatingIdx = cloud.map((r, i) => (isRead(r) ? -1 : i)).filter((i) => i >= 0);
  const first = mutatingIdx[0] ?? cloud.length;
  const last = mutatingIdx[mutatingIdx.length - 1] ?? -1;
  const mutatedAt = last >= 0 ? cloud[last].time : returnedAt;
  const after = cloud.slice(last + 1).filter(isRead);
  return {
    mutating: mutatingIdx.map((i) => cloud[i].action!),
    readsBefore: cloud.slice(0, first).filter(isRead).length,
    polls: after.length,
    elapsedMs: returnedAt - mutatedAt,
    latencyMs: returnedAt - (mutatedAt + PROVISIONING_MS),
    pollTimes: after.map((r) => r.time - mutatedAt),
  };
}

async function runOnce(s: Scenario, seed: number): Promise<Record<CrudOp, OpCalls>> {
  const clock = new FakeClock(Date.now(), seed === 0 ? () => 0.5 : seeded(seed));
  const emulator = await CloudEmulator.start({ clock, progression: { kind: "time", ms: PROVISIONING_MS } });
  try {
    const env = {
      NODEPOOLS_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      ...s.seed(emulator),
    };
    resetSharedLimiters();
    setRuntimeOverrides({
      resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
      clock,
      progress: () => undefined,
      log: () => undefined,
    });
    const h = s.handlers();
    const check = async (news: Props, olds: Props = {}) => {
      const r = await h.check(olds, news);
      if (r.failures?.length) throw new Error(`${s.kind}: check failed: ${JSON.stringify(r.failures)}`);
      return r.inputs;
    };
    const measureOp = async <T>(fn: () => Promise<T>): Promise<{ value: T; calls: OpCalls }> => {
      emulator.clearRequests();
      const value = await fn();
      return { value, calls: analyse(emulator.requests(), clock.now()) };
    };
    const inputs = await check(s.inputs());
    const created = await measureOp(() => h.create(inputs));
    const news = await check(s.changed(inputs), inputs);
    const d = await h.diff(created.value.id, created.value.outs, news);
    if (!d.changes || d.replaces.length) throw new Error(`${s.kind}: the change is not an in-place update: ${JSON.stringify(d)}`);
    const updated = await measureOp(() => h.update(created.value.id, created.value.outs, news));
    const deleted = await measureOp(() => h.delete(created.value.id, updated.value.outs));
    return { create: created.calls, update: updated.calls, delete: deleted.calls };
  } finally {
    setRuntimeOverrides({});
    resetSharedLimiters();
    await emulator.stop();
  }
}

/**
 * The waiter alone, against a poll that turns ready `PROVISIONING_MS` after it starts, with the package's minimum
 * delay and a given cap: polls and lateness, worst over the seeds. Used to show the poll cadence before and after
 * a change of the cap in the same run (the handlers themselves always use the current cap).
 */
export async function waiterSchedule(maxDelayMs: number, seeds: number): Promise<{ maxPolls: number; maxLatencyMs: number }> {
  let maxPolls = 0;
  let maxLatencyMs = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const clock = new FakeClock(0, seed === 0 ? () => 0.5 : seeded(seed));
    let polls = 0;
    await waitFor({
      operation: "bench",
      poll: async () => {
        polls++;
        return clock.now() >= PROVISIONING_MS;
      },
      acceptors: [{ state: "success", matches: (r) => r.value === true }],
      describeState: (r) => String(r.value),
      minDelayMs: POLL_MIN_DELAY_MS,
      maxDelayMs,
      timeoutMs: 10 * PROVISIONING_MS,
      clock,
    });
    maxPolls = Math.max(maxPolls, polls);
    maxLatencyMs = Math.max(maxLatencyMs, clock.now() - PROVISIONING_MS);
  }
  return { maxPolls, maxLatencyMs };
}

/** Seed 0 is the fake clock's fixed 0.5; seeds 1.. are random. */
export async function cloudCalls(seeds: number): Promise<ResourceCalls[]> {
  const out: ResourceCalls[] = [];
  for (const s of SCENARIOS) {
    const runs: ResourceCalls["runs"] = [];
    for (let seed = 0; seed < seeds; seed++) runs.push({ seed, ops: await runOnce(s, seed) });
    out.push({ kind: s.kind, runs });
  }
  return out;
}
