/**
 * `npm run demo` (scripts/demo.ts) as a user runs it: a child process with stdout on a pipe. It must exit 0 and print
 * every phase in order, an empty second preview, the in-place update and the replacement, the provider's progress
 * lines and no terminal control codes.
 */
import { spawn } from "child_process";
import * as path from "path";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");

function runDemo(): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now();
  // As `npm run demo` does (ts-node --transpile-only -P tsconfig.json scripts/demo.ts), without npm's banner.
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/demo.ts"], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, out, err, ms: Date.now() - started }));
  });
}

/** The text of one phase: from its heading to the next heading. */
function section(out: string, n: number): string {
  const start = out.indexOf(`\n== ${n}/8 `);
  if (start < 0) throw new Error(`phase ${n} not found in:\n${out}`);
  const end = out.indexOf("\n== ", start + 1);
  return out.slice(start, end < 0 ? undefined : end);
}

describe("npm run demo", () => {
  let demo: Awaited<ReturnType<typeof runDemo>>;

  beforeAll(async () => {
    demo = await runDemo();
  });

  it("exits 0 and prints every phase in order, then a summary", () => {
    if (demo.code !== 0) throw new Error(`the demo exited with ${demo.code}:\n${demo.out}\n${demo.err}`);
    const headings = [...demo.out.matchAll(/^== (\d)\/8 (.*?) =+$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual([
      "1 Build the package",
      "2 Start the cloud emulator",
      "3 pulumi preview --diff",
      "4 pulumi up",
      "5 pulumi preview (again)",
      "6 Edit 1: scale the GPU pool to 3 nodes (update in place)",
      "7 Edit 2: switch the GPU pool to shared GPUs (replacement)",
      "8 pulumi destroy",
    ]);
    expect(demo.out).toMatch(/^demo finished in \d+\.\d s: every phase ok$/m);
    expect(demo.out.match(/^ {2}ok {4}/gm)).toHaveLength(8);
  });

  it("plans, creates, and shows the provider's progress while it waits", () => {
    const preview = section(demo.out, 3);
    expect(preview).toContain("Previewing update (dev):");
    expect(preview).toContain('    + pulumi-nodejs:dynamic/alicloud/ack:NodePool: (create)\n        [urn=urn:pulumi:dev::nodepools-demo::pulumi-nodejs:dynamic/alicloud/ack:NodePool::gpu]');
    expect(preview).toMatch(/Resources:\n {4}\+ 3 to create\n/);
    const up = section(demo.out, 4);
    // The provider's progress lines, as the host prints them while it waits, with the time since the phase began.
    expect(up).toMatch(/^ {2}\[ *\d+\.\ds\] create node pool "demo-gpu": .+$/m);
    expect(up).toMatch(/^ {2}\[ *\d+\.\ds\] create node pool "demo-system": .+$/m);
    expect(up).toMatch(/Resources:\n {4}\+ 3 created\n/);
    expect(up).toMatch(/gpuState +: "active"/);
    expect(up).toMatch(/cloud calls received by the emulator: .*CreateClusterNodePool.*CreateClusterNodePool/);
  });

  it("previews no changes after up", () => {
    const again = section(demo.out, 5);
    expect(again).toMatch(/Resources:\n {4}3 unchanged\n/);
    expect(again).not.toMatch(/to (create|update|delete|replace)/);
    expect(again).toContain("no changes: the cloud matches the program.");
  });

  it("updates in place, then replaces, printing both plans", () => {
    const update = section(demo.out, 6);
    expect(update).toContain("$ pulumi config set gpuNodes 3");
    expect(update).toMatch(/~ desiredSize +: 2 => 3\n/);
    expect(update).toMatch(/Resources:\n {4}~ 1 updated\n {4}2 unchanged\n/);
    expect(update).toContain("cloud calls received by the emulator: ModifyClusterNodePool\n");
    const replace = section(demo.out, 7);
    expect(replace).toContain("+-pulumi-nodejs:dynamic/alicloud/ack:NodePool: (replace)");
    expect(replace).toMatch(/~ type +: "gpu" => "gpushare" # forces replacement\n/);
    expect(replace).toMatch(/Resources:\n {4}\+-1 replaced\n {4}2 unchanged\n/);
    // The name is kept, so the old pool goes first.
    expect(replace).toMatch(/cloud calls received by the emulator: .*DeleteClusterNodepool.*CreateClusterNodePool/);
  });

  it("destroys everything", () => {
    const destroy = section(demo.out, 8);
    expect(destroy).toMatch(/Resources:\n {4}- 3 deleted\n/);
    expect(destroy).toContain("the state is empty and cluster c0123456789abcdef0123456789abcdef has no node pool left.");
  });

  it("prints plain text when stdout is not a terminal", () => {
    expect(demo.out).not.toMatch(/\x1b/); // eslint-disable-line no-control-regex
    expect(demo.out).not.toContain("\r");
  });
});
