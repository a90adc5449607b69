/**
 * `npm run demo`: a whole node-pool lifecycle of the demo stack (root Pulumi.yaml, program demo/index.ts), offline:
 * build the package if needed, start the embedded cloud emulator and seed an ACK cluster, preview, up, preview again
 * (no changes), an edit that updates in place, an edit that replaces, destroy. Each phase prints what
 * `pulumi preview --diff` / `pulumi up --diff` would print, the provider's progress lines while it waits (with the
 * elapsed time) and the cloud calls the emulator received. Exits 0 when every phase did what it should.
 *
 * The stack runs through the repository's test engine (tests/engine), a stand-in for the Pulumi CLI in tests and
 * demos: users run the same program with the real `pulumi`. Plain text only (no colours, no cursor movement), so
 * the output reads the same in a terminal, a pipe or a CI log.
 *
 *   npm run demo                        # ts-node --transpile-only -P tsconfig.json scripts/demo.ts
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator } from "../provider/emulator";
import { TestEngine, type OperationResult } from "../tests/engine";

const ROOT = path.resolve(__dirname, "..");
const STACK = "dev";
const CLUSTER = "c0123456789abcdef0123456789abcdef";
const REGION = "cn-hangzhou";
const WIDTH = 100;

export interface DemoOptions {
  /** Where the output goes (default: stdout). */
  write?: (text: string) => void;
  /** Multiplies the provider's poll delays (5 s growing to 30 s); default 0.05. */
  pollDelayScale?: number;
  /** Describe calls a busy pool or task takes to settle in the emulator; default 2, so that waiting shows. */
  pollsToSettle?: number;
  /** Skip the build step (the caller built dist/ already). */
  skipBuild?: boolean;
}

export interface DemoPhase {
  title: string;
  ok: boolean;
  ms: number;
  /** Summary of the phase, e.g. "+ 3 to create". */
  summary: string;
}

export interface DemoReport {
  ok: boolean;
  phases: DemoPhase[];
  ms: number;
}

class DemoFailure extends Error {}

/** Runs the demo; never throws (a failure is reported in the output and in `ok`). */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoReport> {
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const println = (line = "") => write(`${line}\n`);
  const started = Date.now();
  const phases: DemoPhase[] = [];
  const titles = [
    "Build the package",
    "Start the cloud emulator",
    "pulumi preview --diff",
    "pulumi up",
    "pulumi preview (again)",
    "Edit 1: scale the GPU pool to 3 nodes (update in place)",
    "Edit 2: switch the GPU pool to shared GPUs (replacement)",
    "pulumi destroy",
  ];
  let emulator: CloudEmulator | undefined;
  let workDir: string | undefined;
  let progress: ProgressPrinter | undefined;

  const phase = async (fn: () => Promise<string>) => {
    const title = titles[phases.length];
    println();
    println(`== ${phases.length + 1}/${titles.length} ${title} `.padEnd(WIDTH, "="));
    const t0 = Date.now();
    try {
      const summary = await fn();
      phases.push({ title, ok: true, ms: Date.now() - t0, summary });
    } catch (e) {
      phases.push({ title, ok: false, ms: Date.now() - t0, summary: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  };

  println("pulumi-nodepools demo: the lifecycle of two ACK node pools, offline, against the embedded cloud emulator.");
  println("The program is demo/index.ts (root Pulumi.yaml). It runs through the repository's test engine, which stands");
  println("in for the Pulumi CLI here; with a real account you run the same program with `pulumi up`.");

  try {
    await phase(async () => build(opts.skipBuild, println));

    let engine!: TestEngine;
    await phase(async () => {
      emulator = await CloudEmulator.start({ progression: { kind: "polls", count: opts.pollsToSettle ?? 2 } });
      emulator.seedCluster({ clusterId: CLUSTER, region: REGION });
      println(`emulator listening on ${emulator.endpoint} (ACK, ENS, PAI-Lingjun, Batch Compute and ModelArts APIs)`);
      println(`seeded ACK cluster ${CLUSTER} in ${REGION}`);
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-demo-"));
      const config = {
        clusterId: CLUSTER,
        vswitchIds: "vsw-demo-a,vsw-demo-b",
        keyPair: "demo-key",
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": REGION,
        "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint }),
      };
      progress = new ProgressPrinter(println);
      engine = new TestEngine({
        programDir: ROOT,
        stack: STACK,
        stateFile: path.join(workDir, `${STACK}.json`),
        config,
        secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
        env: { NODEPOOLS_POLL_DELAY_SCALE: String(opts.pollDelayScale ?? 0.05) },
        onHostOutput: (text) => progress?.feed(text),
      });
      println(`stack "${STACK}" of project "${engine.project.name}", config (as \`pulumi config set\` would set it):`);
      for (const [k, v] of Object.entries(config)) println(`  ${k.padEnd(30)} ${v}`);
      println(`  ${"alicloud:secretKey".padEnd(30)} [secret]`);
      return `emulator on ${emulator.endpoint}`;
    });
    const em = emulator!;

    const run = async (op: "preview" | "up" | "destroy", command: string, show: "full" | "abridged"): Promise<OperationResult> => {
      println(`$ ${command}`);
      em.clearRequests();
      progress!.begin(op === "destroy" ? "deleting what the state holds (the dynamic-provider host runs the provider code from the state)" : "running demo/index.ts and the dynamic-provider host");
      let result: OperationResult;
      try {
        result = await engine[op]();
      } finally {
        progress!.end();
      }
      println();
      println(show === "full" ? result.rendered.trimEnd() : abridge(result.rendered));
      const calls = em
        .requests()
        .filter((q) => q.action && !/^(Describe|Get|List|Show)/.test(q.action))
        .map((q) => q.action!);
      if (op !== "preview") println(`\ncloud calls received by the emulator: ${calls.length ? calls.join(", ") : "none"}`);
      if (!result.ok) {
        for (const d of result.diagnostics.filter((x) => x.severity === "error")) println(`error: ${d.message}`);
        throw new DemoFailure(`${command} failed`);
      }
      return result;
    };
    const nodepoolSteps = (r: OperationResult) => r.steps.filter((s) => s.type.endsWith("ack:NodePool"));
    const gpuPoolId = () => engine.state().resources.find((x) => x.urn.endsWith("ack:NodePool::gpu"))?.outputs.nodePoolId as string | undefined;

    await phase(async () => summaryOf(await run("preview", "pulumi preview --diff", "full"), true));

    await phase(async () => {
      const r = await run("up", "pulumi up --yes", "abridged");
      if (em.ack.pools(CLUSTER).length !== 2) throw new DemoFailure(`expected 2 node pools in the cluster, found ${em.ack.pools(CLUSTER).length}`);
      return summaryOf(r, false);
    });

    await phase(async () => {
      const r = await run("preview", "pulumi preview --diff", "full");
      const changed = Object.entries(r.changeSummary).filter(([op]) => op !== "same");
      if (changed.length) throw new DemoFailure(`the preview after up is not empty: ${JSON.stringify(r.changeSummary)}`);
      println("\nno changes: the cloud matches the program.");
      return "no changes";
    });

    await phase(async () => {
      println("The node count (scalingGroup.desiredSize) changes in place: one ModifyClusterNodePool call, same pool.");
      println("$ pulumi config set gpuNodes 3");
      engine.setConfig("gpuNodes", 3);
      const before = gpuPoolId();
      const r = await run("up", "pulumi up --diff --yes", "full");
      const ops = nodepoolSteps(r)
        .map((s) => s.op)
        .filter((op) => op !== "same");
      if (ops.join() !== "update" || gpuPoolId() !== before) throw new DemoFailure(`expected the GPU pool to be updated in place, got ${ops.join(", ")}`);
      println(`the GPU pool kept its id ${before}.`);
      return summaryOf(r, false);
    });

    await phase(async () => {
      println("The auto scaling type cannot change after creation (API document), so the pool is replaced; it keeps its");
      println("name, and names are unique in a cluster, so the old pool is deleted before the new one is created.");
      println("$ pulumi config set gpuSharing true");
      engine.setConfig("gpuSharing", true);
      const before = gpuPoolId();
      const r = await run("up", "pulumi up --diff --yes", "full");
      if (!nodepoolSteps(r).some((s) => s.op === "replace") || gpuPoolId() === before) throw new DemoFailure("expected the GPU pool to be replaced");
      println(`the GPU pool is a new pool: ${gpuPoolId()} (was ${before}).`);
      return summaryOf(r, false);
    });

    await phase(async () => {
      const r = await run("destroy", "pulumi destroy --yes", "abridged");
      const left = em.ack.pools(CLUSTER).length;
      if (engine.state().resources.length || left) throw new DemoFailure(`destroy left ${engine.state().resources.length} resources in the state and ${left} pools in the cluster`);
      println(`the state is empty and cluster ${CLUSTER} has no node pool left.`);
      return summaryOf(r, false);
    });
  } catch (e) {
    println();
    println(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }

  const ok = phases.length === titles.length && phases.every((p) => p.ok);
  const ms = Date.now() - started;
  println();
  println("== Summary ".padEnd(WIDTH, "="));
  for (const p of phases) println(`  ${p.ok ? "ok  " : "FAIL"}  ${p.title.padEnd(58)} ${seconds(p.ms).padStart(7)}   ${p.summary}`);
  println(ok ? `demo finished in ${seconds(ms)}: every phase ok` : `demo FAILED after ${seconds(ms)}`);
  return { ok, phases, ms };
}

/** Builds dist/ (what the program and the provider host load as `pulumi-nodepools`) when a source is newer. */
function build(skip: boolean | undefined, println: (line?: string) => void): string {
  if (skip) {
    println("skipped (built by the caller)");
    return "skipped";
  }
  const marker = path.join(ROOT, "dist", "provider", "handlers.js");
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (built && newestSource(path.join(ROOT, "provider")) <= built) {
    println("dist/ is up to date with provider/ (tsc -p tsconfig.build.json not needed)");
    return "up to date";
  }
  println("$ tsc -p tsconfig.build.json");
  const t0 = Date.now();
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  fs.utimesSync(marker, new Date(), new Date());
  println(`built dist/ in ${seconds(Date.now() - t0)}`);
  return "built";
}

function newestSource(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Prints the provider host's output line by line as it arrives, each line with the time since the operation started,
 * e.g. `  [  1.4s] create node pool "demo-gpu": task running`; after 10 s without output, a "still running" line.
 */
class ProgressPrinter {
  private buf = "";
  private t0 = Date.now();
  private last = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(private readonly println: (line?: string) => void) {}

  /** An operation starts: prints what runs and watches for silence. */
  begin(what: string): void {
    this.t0 = this.last = Date.now();
    this.line(what);
    this.timer = setInterval(() => Date.now() - this.last >= 10_000 && this.line("still running..."), 1000);
    this.timer.unref();
  }

  feed(text: string): void {
    this.buf += text;
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      this.line(this.buf.slice(0, nl));
      this.buf = this.buf.slice(nl + 1);
    }
  }

  end(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.buf) this.line(this.buf);
    this.buf = "";
  }

  private line(text: string): void {
    if (!text.trim()) return;
    this.last = Date.now();
    this.println(`  [${((this.last - this.t0) / 1000).toFixed(1).padStart(5)}s] ${text.trimEnd()}`);
  }
}

/**
 * The plan without the property listings: one line per step (with the resource's name), then outputs, diagnostics
 * and the summary, as `pulumi up` prints them without `--diff`.
 */
export function abridge(rendered: string): string {
  const lines = rendered.trimEnd().split("\n");
  const out: string[] = [];
  let tail = false;
  lines.forEach((line, i) => {
    if (!tail && (/^(Outputs|Resources|Diagnostics|Duration):/.test(line) || /^note: /.test(line))) {
      tail = true;
      if (out.length && out[out.length - 1] !== "") out.push("");
    }
    if (tail || /^\S.*:$/.test(line)) out.push(line);
    else if (/^\s*[-+~<>= ]{0,2}\s*[\w:/.-]+: \([\w-]+\)$/.test(line)) {
      const urnLine = lines.slice(i + 1, i + 3).find((l) => /^\s*\[urn=/.test(l)) ?? "";
      const name = /::([^:]+)\]$/.exec(urnLine)?.[1];
      out.push(name && !/pulumi:pulumi:Stack/.test(line) ? `${line.padEnd(64)} ${name}` : line);
    }
  });
  return out.join("\n");
}

/** The summary line of a result, as the CLI's "Resources:" section counts it. */
function summaryOf(r: OperationResult, preview: boolean): string {
  const counts = Object.entries(r.changeSummary).filter(([op]) => op !== "same");
  if (!counts.length) return "no changes";
  const verb: Record<string, [string, string]> = {
    create: ["+", preview ? "to create" : "created"],
    update: ["~", preview ? "to update" : "updated"],
    delete: ["-", preview ? "to delete" : "deleted"],
    replace: ["+-", preview ? "to replace" : "replaced"],
  };
  return counts.map(([op, n]) => `${verb[op]?.[0] ?? op} ${n} ${verb[op]?.[1] ?? ""}`.trim()).join(", ");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

if (require.main === module) {
  runDemo().then(
    (r) => process.exit(r.ok ? 0 : 1),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
