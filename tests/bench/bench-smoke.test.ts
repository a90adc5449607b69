/**
 * Smoke run of `npm run bench` (scripts/bench.ts) with tiny sizes (`--quick`: N = 2 and 3, 12 ENS pools, 2 jitter
 * seeds), so that the bench never rots: it must finish and write both reports, with every measured item present,
 * each figure beside its floor, and a verdict wherever the issue sets a target. Timing values are never asserted:
 * speed targets are checked by the bench on a quiet machine, not by timed tests.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ITEM_IDS, type Item, type Report } from "../../scripts/bench/report";

jest.setTimeout(900_000);

const ROOT = path.resolve(__dirname, "..", "..");
const VERDICTS = ["pass", "fail", "info"];

let out: string;
let report: Report;
let markdown: string;
let stdout: string;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
  // The CLI exactly as `npm run bench -- --quick` runs it, minus the build (jest's global setup rebuilt dist/).
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/bench.ts", "--quick", "--out", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    maxBuffer: 64 * 1024 * 1024,
  });
  stdout = r.stdout;
  if (r.status !== 0) throw new Error(`the bench exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
  markdown = fs.readFileSync(path.join(out, "report.md"), "utf8");
});

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const byId = (id: string): Item => {
  const i = report.items.find((x) => x.id === id);
  if (!i) throw new Error(`item ${id} missing`);
  return i;
};

describe("npm run bench -- --quick", () => {
  it("writes a quick-mode report with the tiny sizes and the environment it ran in", () => {
    expect(report).toMatchObject({ schema: 1, mode: "quick", options: { sizes: [2, 3], ensPools: 12 } });
    expect(typeof report.durationMs).toBe("number");
    expect(Object.keys(report.environment)).toEqual(expect.arrayContaining(["node", "cpus", "machine", "@pulumi/pulumi"]));
    expect(stdout).toMatch(/wrote .*report\.md and .*report\.json/);
  });

  it("has every item once, in order, each with its target, method and verdict", () => {
    expect(report.items.map((i) => i.id)).toEqual([...ITEM_IDS]);
    for (const i of report.items) {
      expect(i.title).toBeTruthy();
      expect(i.target).toBeTruthy();
      expect(i.method).toBeTruthy();
      expect(VERDICTS).toContain(i.verdict);
      expect(i.measures.length).toBeGreaterThan(0);
      const vs = i.measures.map((m) => m.verdict);
      expect(i.verdict).toBe(vs.includes("fail") ? "fail" : vs.includes("pass") ? "pass" : "info");
    }
  });

  it("puts every figure beside its floor, with a verdict exactly where there is a target", () => {
    for (const i of report.items) {
      for (const m of i.measures) {
        const where = `${i.id}: ${m.name}`;
        expect([where, Number.isFinite(m.value)]).toEqual([where, true]);
        expect([where, Number.isFinite(m.floor)]).toEqual([where, true]);
        expect([where, m.floorLabel.length > 0]).toEqual([where, true]);
        expect([where, m.verdict]).toEqual([where, m.target === undefined ? "info" : expect.stringMatching(/^(pass|fail)$/)]);
      }
    }
    const summary = { pass: 0, fail: 0, info: 0 };
    for (const i of report.items) {
      if (!i.measures.length) summary.fail++;
      for (const m of i.measures) summary[m.verdict]++;
    }
    expect(report.summary).toEqual(summary);
  });

  it("judges each target of the issue", () => {
    const targeted = (id: string, pattern: RegExp) => byId(id).measures.filter((m) => pattern.test(m.name) && m.target !== undefined);
    // 1. __provider per resource type, and the state against inputs + outputs.
    expect(targeted("provider-size", /\./).map((m) => m.name).sort()).toEqual(
      ["alicloud.ack.NodePool", "alicloud.batchcompute.Cluster", "alicloud.eflo.NodeGroup", "alicloud.ens.NodePool", "huaweicloud.modelarts.NodePool"].sort(),
    );
    // Measured as users have the package (installed under node_modules): the provider is a reference to its shim module.
    expect(byId("provider-size").details?.sample).toContain('require("pulumi-nodepools/dist/provider/shims/ack-nodepool.js")');
    expect(byId("state-size").details?.installedText).toBe(true);
    expect(targeted("state-size", /compact/)).toHaveLength(1);
    // 2. preview and up against the trivial stack at the largest N, and the growth exponent.
    expect(targeted("engine-time", /^preview \(new stack\), N = 3$/)).toHaveLength(1);
    expect(targeted("engine-time", /^up \(create all\), N = 3$/)).toHaveLength(1);
    expect(targeted("engine-scaling", /exponent/).length).toBeGreaterThanOrEqual(2);
    // 4. one mutating call, polls and lateness for each create, update and delete.
    for (const kind of ["alicloud.ack.NodePool", "alicloud.ens.NodePool"]) {
      for (const op of ["create", "update", "delete"]) {
        expect(targeted("cloud-calls", new RegExp(`^${kind.replace(/\./g, "\\.")} ${op}: `))).toHaveLength(3);
      }
    }
    // 5. no throttling error reaches the user, and the time against the least the limit allows, both ways.
    expect(targeted("throttled-create", /^in process: /)).toHaveLength(2);
    expect(targeted("throttled-create", /^program: /)).toHaveLength(2);
  });

  it("reports host CPU and memory and module load beside their floors (no target)", () => {
    const host = byId("host-usage").measures.map((m) => m.name);
    expect(host).toEqual(expect.arrayContaining([expect.stringMatching(/^host CPU per resource/), expect.stringMatching(/^host max RSS/)]));
    expect(byId("module-load").measures.map((m) => [m.name, m.floorLabel])).toEqual(
      expect.arrayContaining([["handlers + ACK handler", "axios + zod"]]),
    );
  });

  it("renders the same items as Markdown", () => {
    for (const i of report.items) {
      expect(markdown).toContain(`<a id="${i.id}"></a>`);
      expect(markdown).toContain(`## ${i.title}`);
    }
    expect(markdown).toMatch(/\| figure \| value \| floor \| ratio \| target \| verdict \|/);
  });
});
