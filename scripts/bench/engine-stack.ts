/**
 * Stacks of N resources through the test engine (tests/engine) against the emulator with immediate provisioning:
 * the ACK program (programs/ack-pools) beside its floor, the same stack made of trivial dynamic resources
 * (programs/trivial). For each size: preview of the new stack, up, and preview of the unchanged stack, with the
 * CPU time and max RSS of the program and of the dynamic-provider host (usage-preload.js), and the state file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CloudEmulator } from "../../provider/emulator";
import { TestEngine, type OperationResult } from "../../tests/engine";
import { basePool, CLUSTER } from "../../tests/support/ack";
import { copyProgram, installPackageCopy } from "../../tests/support/user-install";

export type StackKind = "ack" | "trivial";
export type StackOp = "preview" | "up" | "previewSteady";
export const STACK_OPS: StackOp[] = ["preview", "up", "previewSteady"];

export interface Usage {
  userCpuMs: number;
  systemCpuMs: number;
  cpuMs: number;
  maxRssKb: number;
}

export interface OpSample {
  wallMs: number;
  host?: Usage;
  program?: Usage;
  /** CPU time of this process during the operation: the test engine and the emulator. */
  engineCpuMs: number;
}

export interface StackRun {
  kind: StackKind;
  n: number;
  rep: number;
  ops: Record<StackOp, OpSample>;
  /** The state file after `up`, as written. */
  stateText: string;
}

const PROGRAMS = path.join(__dirname, "programs");
const PRELOAD = path.join(__dirname, "usage-preload.js");

/**
 * A project directory as a user has it: the bench programs next to a node_modules holding a copy of the built
 * package (tests/support/user-install.ts). State and `__provider` are measured as users get them: with the package
 * under node_modules, Pulumi stores a reference to the provider's module instead of its code.
 */
export function prepareProject(work: string): string {
  const dir = path.join(work, "project");
  installPackageCopy(dir);
  for (const program of ["ack-pools", "trivial"]) copyProgram(path.join(PROGRAMS, program), dir);
  return dir;
}

export function engineConfig(emulator: CloudEmulator, n: number, extra: Record<string, unknown> = {}) {
  return {
    config: {
      count: String(n),
      pool: basePool("pool"),
      "alicloud:accessKey": emulator.credentials.accessKeyId,
      "alicloud:region": "cn-hangzhou",
      "nodepools:endpoints": { cs: emulator.endpoint, ens: emulator.endpoint },
      ...extra,
    } as Record<string, any>,
    secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
  };
}

/** Environment that makes the program and the host report their resource usage into `dir`. */
export function usageEnv(dir: string): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : "";
  return { NODE_OPTIONS: `${inherited}--require ${JSON.stringify(PRELOAD)}`, BENCH_USAGE_DIR: dir };
}

/** Sums the usage files of one role (one host per operation, one program). */
export function readUsage(dir: string, role: "host" | "program"): Usage | undefined {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`${role}-`)) : [];
  if (!files.length) return undefined;
  const total: Usage = { userCpuMs: 0, systemCpuMs: 0, cpuMs: 0, maxRssKb: 0 };
  for (const f of files) {
    const u = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    total.userCpuMs += u.userCpuMs;
    total.systemCpuMs += u.systemCpuMs;
    total.maxRssKb = Math.max(total.maxRssKb, u.maxRssKb);
  }
  total.cpuMs = total.userCpuMs + total.systemCpuMs;
  return total;
}

function explain(r: OperationResult): string {
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  return [...errors, r.program?.stderr ?? ""].join("\n").slice(0, 4000);
}

/** Runs one operation with its own usage directory; throws when it fails. */
export async function timedOp(work: string, label: string, run: (env: Record<string, string>) => Promise<OperationResult>): Promise<OpSample & { result: OperationResult }> {
  const dir = path.join(work, `usage-${label}`);
  fs.mkdirSync(dir, { recursive: true });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await run(usageEnv(dir));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  if (!result.ok) throw new Error(`${label} failed:\n${explain(result)}`);
  return { wallMs, host: readUsage(dir, "host"), program: readUsage(dir, "program"), engineCpuMs: (used.user + used.system) / 1000, result };
}

/** preview, up and preview again of a new stack of `n` resources of `kind`, from the project of prepareProject. */
export async function runStack(emulator: CloudEmulator, kind: StackKind, n: number, rep: number, work: string, project: string): Promise<StackRun> {
  emulator.reset();
  emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
  const dir = fs.mkdtempSync(path.join(work, `${kind}-${n}-`));
  const { config, secretConfig } = engineConfig(emulator, n);
  let env: Record<string, string> = {};
  const engine = new TestEngine({
    programDir: path.join(project, kind === "ack" ? "ack-pools" : "trivial"),
    stack: "bench",
    stateFile: path.join(dir, "state.json"),
    config,
    secretConfig,
    // The engine reads `env` when it starts the program and the host: each operation gets its own usage directory.
    get env() {
      return env;
    },
    timeouts: { programMs: 900_000, hostCallMs: 300_000 },
  });
  const op = async (label: StackOp, fn: () => Promise<OperationResult>, expect: Record<string, number>) => {
    const s = await timedOp(dir, label, async (e) => {
      env = e;
      return fn();
    });
    for (const [step, count] of Object.entries(expect)) {
      if ((s.result.changeSummary[step] ?? 0) !== count) {
        throw new Error(`${kind} N=${n} ${label}: expected ${count} ${step} steps, got ${JSON.stringify(s.result.changeSummary)}`);
      }
    }
    return { wallMs: s.wallMs, host: s.host, program: s.program, engineCpuMs: s.engineCpuMs };
  };
  const preview = await op("preview", () => engine.preview(), { create: n + 1 });
  const up = await op("up", () => engine.up(), { create: n + 1 });
  const previewSteady = await op("previewSteady", () => engine.preview(), { same: n + 1 });
  const stateText = engine.rawState();
  fs.rmSync(dir, { recursive: true, force: true });
  return { kind, n, rep, ops: { preview, up, previewSteady }, stateText };
}

export function workDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-bench-"));
}
