/**
 * Soak: N pools across the five resources (scripts/soak/program) go through create, update, replace and destroy with
 * random faults on every cloud call, through the test engine (tests/engine) against the cloud emulator.
 *
 *     npm run soak -- [--pools 100] [--fault-rate 0.05] [--seed 1] [--max-runs 10] [--keep]
 *
 * Phases: `up` of the first version (create), `up` of a version that changes every pool in place (update), `up` of a
 * version that also replaces a quarter of them (replace), `destroy`. The emulator answers each authenticated call
 * with a random fault (throttling, 5xx, connection reset, a timeout after the request was applied, a truncated 200
 * body) with the given probability. A phase whose operation fails is run again until it succeeds, at most
 * `--max-runs` times; after a successful `up`, a preview must plan no change.
 *
 * After every operation the script compares the cloud (the emulator's admin views) with the state:
 * - duplicate: a cloud resource of a pool beyond the ones the state records for it (and beyond one, when the state
 *   records none yet): the package created a pool twice;
 * - unrecorded: a cloud resource the state does not record (after a failed operation: a create whose answer was lost;
 *   the next `up` must adopt it).
 * At the end, an orphan is a cloud resource left after the destroy that no error message reported by id.
 * Duplicates and orphans must be 0; the script exits 1 otherwise (or when a phase does not converge).
 *
 * Retries are counted from the emulator's request log (the `x-nodepools-attempt` header of each request: attempt
 * 2 or later is a retry); faults from the requests answered by a random fault. The peak memory of the provider host
 * is the largest VmHWM of the dynamic-provider host processes (scripts/soak/host-memory.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ATTEMPT_HEADER } from "../provider/core/http/client";
import { CloudEmulator, type RecordedRequest } from "../provider/emulator";
import type { BatchComputeService } from "../provider/emulator/services/batchcompute-cluster";
import type { EfloNodeGroupService } from "../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../provider/emulator/services/ens-nodepool";
import { MODELARTS_DEFAULT_PROJECT, type ModelArtsService } from "../provider/emulator/services/modelarts-nodepool";
import { TestEngine, type OperationResult } from "../tests/engine";
import { HostMemorySampler } from "./soak/host-memory";
import { FIXTURES, indexOfCloudName, kindOf, KINDS, type Kind, type Phase } from "./soak/plan";

const PROGRAM = path.join(__dirname, "soak", "program");

// ---- options -----------------------------------------------------------------------------------------------------

interface Options {
  pools: number;
  faultRate: number;
  seed: number;
  maxRuns: number;
  keep: boolean;
}

const USAGE = "usage: npm run soak -- [--pools N] [--fault-rate P] [--seed S] [--max-runs K] [--keep]";

export function parseArgs(argv: string[]): Options {
  const o: Options = { pools: 100, faultRate: 0.05, seed: 1, maxRuns: 10, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const num = (v: string, ok: (n: number) => boolean, what: string) => {
      const n = Number(v);
      if (v.trim() === "" || !Number.isFinite(n) || !ok(n)) throw new Error(`${flag} must be ${what}, got ${JSON.stringify(v)}\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case "--pools":
        o.pools = num(value(), (n) => Number.isInteger(n) && n >= 1 && n <= 1000, "a whole number from 1 to 1000");
        break;
      case "--fault-rate":
        o.faultRate = num(value(), (n) => n >= 0 && n < 1, "a number from 0 to below 1 (0.05 = 5%)");
        break;
      case "--seed":
        o.seed = num(value(), Number.isInteger, "a whole number");
        break;
      case "--max-runs":
        o.maxRuns = num(value(), (n) => Number.isInteger(n) && n >= 1, "a whole number >= 1");
        break;
      case "--keep":
        o.keep = true;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(argv[i])}\n${USAGE}`);
    }
  }
  return o;
}

// ---- the cloud as the emulator holds it ---------------------------------------------------------------------------

interface CloudResource {
  kind: Kind;
  /** The Pulumi id the package gives it. */
  id: string;
  name: string;
  /** Pool index from the name; undefined for something the soak did not make. */
  index?: number;
}

function cloudResources(emulator: CloudEmulator): CloudResource[] {
  const out: CloudResource[] = [];
  const add = (kind: Kind, id: string, name: string) => out.push({ kind, id, name, index: indexOfCloudName(name) });
  for (const p of emulator.ack.pools(FIXTURES.ackCluster)) add("ack", `${FIXTURES.ackCluster}:${p.nodepool_info.nodepool_id}`, p.nodepool_info.name);
  for (const p of emulator.service<EnsService>("ens").admin.pools(FIXTURES.ensCluster)) add("ens", `${FIXTURES.ensCluster}:${p.NodepoolInfo.NodepoolId}`, p.NodepoolInfo.Name);
  for (const g of emulator.service<EfloNodeGroupService>("eflo").admin.groups(FIXTURES.efloCluster)) add("eflo", `${FIXTURES.efloCluster}:${g.NodeGroupId}`, g.NodeGroupName);
  for (const c of emulator.service<BatchComputeService>("batchcompute").admin.clusters()) add("batchcompute", c.Id, String(c.Name));
  for (const np of emulator.service<ModelArtsService>("modelarts").admin.nodePools({ poolName: FIXTURES.modelartsPool })) {
    add("modelarts", `${FIXTURES.modelartsPool}/${np.metadata.name}`, np.metadata.name);
  }
  return out;
}

// ---- bookkeeping ----------------------------------------------------------------------------------------------------

type StepKind = "create" | "update" | "replace" | "delete";

interface PhaseStats {
  phase: string;
  engineOps: number;
  /** Operations run again after a failure. */
  reruns: number;
  steps: Record<StepKind, number>;
  cloudCalls: number;
  writes: number;
  faults: number;
  httpRetries: number;
  /** Most cloud resources unrecorded in the state after one operation of the phase. */
  maxUnrecorded: number;
  wallMs: number;
}

interface Finding {
  what: string;
  kind: Kind;
  name: string;
  id: string;
  when: string;
}

const WRITE_ACTION = /^(Create|Modify|Update|Delete|Scale|Patch)/;

class Soak {
  readonly phases: PhaseStats[] = [];
  readonly duplicates = new Map<string, Finding>();
  readonly faultsByKind: Record<string, number> = {};
  readonly byService: Record<string, { calls: number; faults: number; retries: number }> = {};
  readonly errorTexts: string[] = [];
  readonly nonEmptyPlans: string[] = [];
  readonly failures: string[] = [];
  private readonly started = Date.now();

  constructor(
    readonly o: Options,
    readonly emulator: CloudEmulator,
    readonly engine: TestEngine,
  ) {}

  private log(line: string): void {
    console.log(`[${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s] ${line}`);
  }

  private newPhase(phase: string): PhaseStats {
    const p: PhaseStats = { phase, engineOps: 0, reruns: 0, steps: { create: 0, update: 0, replace: 0, delete: 0 }, cloudCalls: 0, writes: 0, faults: 0, httpRetries: 0, maxUnrecorded: 0, wallMs: 0 };
    this.phases.push(p);
    return p;
  }

  /** Counts what one operation did (steps, calls, faults, retries), then compares the cloud with the state. */
  private account(p: PhaseStats, label: string, r: OperationResult): { unrecorded: number; duplicates: number } {
    p.engineOps++;
    for (const s of r.steps) {
      if (!s.type.startsWith("pulumi-nodejs:dynamic/") || s.error !== undefined) continue;
      if (s.op === "create" || s.op === "update" || s.op === "replace" || s.op === "delete") p.steps[s.op]++;
    }
    const log = this.emulator.requests();
    this.emulator.clearRequests();
    for (const q of log) this.countRequest(p, q);
    for (const d of r.diagnostics) if (d.severity === "error") this.errorTexts.push(d.message);
    for (const s of r.steps) if (s.error) this.errorTexts.push(s.error);
    return this.inspect(p, label);
  }

  private countRequest(p: PhaseStats, q: RecordedRequest): void {
    const svc = (this.byService[q.service ?? "?"] ??= { calls: 0, faults: 0, retries: 0 });
    p.cloudCalls++;
    svc.calls++;
    if (q.action && WRITE_ACTION.test(q.action)) p.writes++;
    if (q.randomFault) {
      p.faults++;
      svc.faults++;
      this.faultsByKind[q.randomFault] = (this.faultsByKind[q.randomFault] ?? 0) + 1;
    }
    const attempt = Number(/^(\d+)\//.exec(q.headers[ATTEMPT_HEADER] ?? "")?.[1] ?? 1);
    if (attempt > 1) {
      p.httpRetries++;
      svc.retries++;
    }
  }

  /** Duplicates and unrecorded cloud resources right now. */
  private inspect(p: PhaseStats, label: string): { unrecorded: number; duplicates: number } {
    const recorded = new Set(this.engine.state().resources.filter((r) => r.custom && r.id).map((r) => r.id!));
    const byPool = new Map<number, CloudResource[]>();
    let unrecorded = 0;
    let duplicates = 0;
    for (const c of cloudResources(this.emulator)) {
      if (!recorded.has(c.id)) unrecorded++;
      if (c.index === undefined) continue;
      byPool.set(c.index, [...(byPool.get(c.index) ?? []), c]);
    }
    for (const list of byPool.values()) {
      const tracked = list.filter((c) => recorded.has(c.id)).length;
      const excess = list.length - Math.max(1, tracked);
      if (excess <= 0) continue;
      duplicates += excess;
      for (const c of list.filter((x) => !recorded.has(x.id))) {
        if (!this.duplicates.has(c.id)) this.duplicates.set(c.id, { what: "duplicate", kind: c.kind, name: c.name, id: c.id, when: `${p.phase}: ${label}` });
      }
    }
    p.maxUnrecorded = Math.max(p.maxUnrecorded, unrecorded);
    return { unrecorded, duplicates };
  }

  /** Runs `up` (or `destroy`) until it succeeds, at most `maxRuns` times; after an `up`, a preview must plan nothing. */
  async converge(phase: string, op: "up" | "destroy", config?: Phase): Promise<boolean> {
    const p = this.newPhase(phase);
    const started = Date.now();
    if (config) this.engine.setConfig("phase", config);
    try {
      for (let run = 1; run <= this.o.maxRuns; run++) {
        if (run > 1) p.reruns++;
        const label = `${op} #${run}`;
        const r = await this.engine[op]();
        const { unrecorded, duplicates } = this.account(p, label, r);
        // An operation stops at its first failed step (the engine, as the CLI); the program then reports every
        // resource it had not registered yet, so the steps that failed tell what happened.
        const failed = r.steps.filter((x) => x.error !== undefined);
        const firstError = r.diagnostics.find((d) => d.severity === "error")?.message;
        const reason = failed.length ? `${failed[0].urn.split("::").pop()}: ${failed[0].error}` : (firstError ?? "");
        const why = reason ? `: ${reason.split("\n")[0].slice(0, 160)}` : "";
        this.log(
          `${phase}: ${label} ${r.ok ? "ok" : `failed${why}`}; ` + `${describeSteps(r)}; unrecorded in state: ${unrecorded}; duplicates: ${duplicates}`,
        );
        if (!r.ok) {
          if (process.env.SOAK_VERBOSE) for (const d of r.diagnostics.filter((x) => x.severity === "error")) this.log(`    ${d.message.split("\n")[0].slice(0, 300)}`);
          continue;
        }
        if (op === "up") {
          const plan = await this.engine.preview();
          this.account(p, "preview after up", plan);
          const changed = Object.entries(plan.changeSummary).filter(([k, n]) => k !== "same" && n > 0);
          if (!plan.ok || changed.length) {
            const what = plan.ok ? changed.map(([k, n]) => `${n} to ${k}`).join(", ") : "the preview failed";
            this.nonEmptyPlans.push(`${phase}: ${what}`);
            this.log(`${phase}: the preview after a successful up is not empty: ${what}`);
          }
        }
        return true;
      }
      this.failures.push(`${phase}: ${op} did not succeed in ${this.o.maxRuns} runs`);
      return false;
    } finally {
      p.wallMs = Date.now() - started;
    }
  }

  /** Cloud resources left after the destroy: orphans, unless an error message reported their id. */
  leftovers(): { orphans: Finding[]; reported: Finding[] } {
    const errors = this.errorTexts.join("\n");
    const orphans: Finding[] = [];
    const reported: Finding[] = [];
    for (const c of cloudResources(this.emulator)) {
      const bare = c.id.split(/[:/]/).pop()!;
      const f: Finding = { what: "orphan", kind: c.kind, name: c.name, id: c.id, when: "after destroy" };
      (errors.includes(c.id) || errors.includes(bare) ? reported : orphans).push(f);
    }
    return { orphans, reported };
  }
}

/** The pool steps of an operation that completed, by kind (the stack itself left out). */
function describeSteps(r: OperationResult): string {
  const n: Record<string, number> = {};
  for (const s of r.steps) {
    if (!s.type.startsWith("pulumi-nodejs:dynamic/") || s.error !== undefined || !["create", "update", "replace", "delete"].includes(s.op)) continue;
    n[s.op] = (n[s.op] ?? 0) + 1;
  }
  const parts = Object.entries(n).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(", ") : "no pool changed";
}

// ---- output ---------------------------------------------------------------------------------------------------------

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summary(soak: Soak, memory: { peakKb: number; hosts: number; available: boolean }, orphans: Finding[], reported: Finding[]): string {
  const o = soak.o;
  const total = soak.phases.reduce(
    (t, p) => ({
      engineOps: t.engineOps + p.engineOps,
      reruns: t.reruns + p.reruns,
      done: t.done + p.steps.create + p.steps.update + p.steps.replace + p.steps.delete,
      cloudCalls: t.cloudCalls + p.cloudCalls,
      writes: t.writes + p.writes,
      faults: t.faults + p.faults,
      httpRetries: t.httpRetries + p.httpRetries,
      wallMs: t.wallMs + p.wallMs,
    }),
    { engineOps: 0, reruns: 0, done: 0, cloudCalls: 0, writes: 0, faults: 0, httpRetries: 0, wallMs: 0 },
  );
  const phaseRows = soak.phases.map((p) => [
    p.phase,
    String(p.engineOps),
    String(p.reruns),
    `${p.steps.create}/${p.steps.update}/${p.steps.replace}/${p.steps.delete}`,
    String(p.cloudCalls),
    String(p.writes),
    String(p.faults),
    String(p.httpRetries),
    String(p.maxUnrecorded),
    secs(p.wallMs),
  ]);
  phaseRows.push(["total", String(total.engineOps), String(total.reruns), `${total.done} done`, String(total.cloudCalls), String(total.writes), String(total.faults), String(total.httpRetries), "", secs(total.wallMs)]);
  const serviceRows = Object.entries(soak.byService).map(([s, v]) => [s, String(v.calls), String(v.faults), String(v.retries)]);
  const kinds = Object.entries(soak.faultsByKind)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const pass = soak.duplicates.size === 0 && orphans.length === 0 && soak.failures.length === 0 && soak.nonEmptyPlans.length === 0;
  const lines = [
    "",
    `Soak summary: ${o.pools} pools (${KINDS.map((k) => `${k} ${countKind(o.pools, k)}`).join(", ")}), fault rate ${(o.faultRate * 100).toFixed(1)}%, seed ${o.seed}`,
    "",
    table(["phase", "engine ops", "reruns", "steps c/u/r/d", "cloud calls", "writes", "faults", "HTTP retries", "max unrecorded", "time"], phaseRows),
    "",
    table(["service", "cloud calls", "faults", "HTTP retries"], serviceRows),
    "",
    table(
      ["result", "value"],
      [
        ["operations done (resource steps)", String(total.done)],
        ["engine operations (incl. reruns, previews)", String(total.engineOps)],
        ["faults injected", `${total.faults}${kinds ? ` (${kinds})` : ""}`],
        ["retries: HTTP (attempt >= 2)", String(total.httpRetries)],
        ["retries: operations run again", String(total.reruns)],
        ["duplicates (must be 0)", String(soak.duplicates.size)],
        ["orphans (must be 0)", String(orphans.length)],
        ["left over, reported by id in an error", String(reported.length)],
        ["non-empty plans after a successful up", String(soak.nonEmptyPlans.length)],
        ["peak memory of the provider host (VmHWM)", memory.available ? `${mb(memory.peakKb)} (${memory.hosts} host processes)` : "n/a (no /proc)"],
      ],
    ),
  ];
  for (const f of [...soak.duplicates.values(), ...orphans, ...reported]) lines.push(`  ${f.what}: ${f.kind} "${f.name}" ${f.id} (${f.when})`);
  for (const f of soak.failures) lines.push(`  did not converge: ${f}`);
  for (const f of soak.nonEmptyPlans) lines.push(`  plan after up not empty: ${f}`);
  lines.push("", pass ? "PASS: no duplicates, no orphans, every phase converged" : "FAIL", "");
  return lines.join("\n");
}

function countKind(pools: number, kind: Kind): number {
  let n = 0;
  for (let i = 0; i < pools; i++) if (kindOf(i) === kind) n++;
  return n;
}

// ---- main -----------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const emulator = await CloudEmulator.start();
  const account = emulator.accounts.all()[0];
  emulator.seedCluster({ clusterId: FIXTURES.ackCluster, region: FIXTURES.region });
  emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: FIXTURES.ensCluster, ensRegionId: FIXTURES.ensRegion });
  emulator.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: FIXTURES.efloCluster, region: FIXTURES.region, name: "lingjun-soak" });
  emulator.service<ModelArtsService>("modelarts").admin.seedPool({ poolName: FIXTURES.modelartsPool });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-soak-"));
  const e = emulator.endpoint;
  const engine = new TestEngine({
    programDir: PROGRAM,
    stack: "soak",
    stateFile: path.join(work, "state.json"),
    config: {
      pools: o.pools,
      phase: "create",
      "alicloud:accessKey": account.accessKeyId,
      "alicloud:region": FIXTURES.region,
      "huaweicloud:accessKey": account.accessKeyId,
      "huaweicloud:region": FIXTURES.huaweiRegion,
      "huaweicloud:projectId": MODELARTS_DEFAULT_PROJECT,
      "nodepools:endpoints": JSON.stringify({ cs: e, ens: e, "eflo-controller": e, batchcompute: e, modelarts: e }),
    },
    secretConfig: { "alicloud:secretKey": account.accessKeySecret, "huaweicloud:secretKey": account.accessKeySecret },
    env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    timeouts: { programMs: 60 * 60_000, hostStartMs: 120_000, hostCallMs: 30 * 60_000 },
  });

  const sampler = new HostMemorySampler();
  sampler.start();
  const soak = new Soak(o, emulator, engine);
  console.log(`soak: ${o.pools} pools, fault rate ${o.faultRate}, seed ${o.seed}, state in ${work}`);
  emulator.setRandomFaults({ probability: o.faultRate, seed: o.seed });
  try {
    for (const phase of ["create", "update", "replace"] as const) {
      if (!(await soak.converge(phase, "up", phase))) break;
    }
    // Destroy whatever the state holds, even after a phase that did not converge.
    await soak.converge("destroy", "destroy");
  } finally {
    sampler.sample();
    sampler.stop();
  }
  const left = engine.state().resources.filter((r) => r.custom);
  if (left.length) soak.failures.push(`destroy: ${left.length} resource(s) still in the state`);
  const { orphans, reported } = soak.leftovers();
  const memory = { ...sampler.peak(), available: sampler.available };
  console.log(summary(soak, memory, orphans, reported));

  await emulator.stop();
  if (o.keep) console.log(`state kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
  const pass = soak.duplicates.size === 0 && orphans.length === 0 && soak.failures.length === 0 && soak.nonEmptyPlans.length === 0;
  return pass ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

