/**
 * Every example under examples/ runs as a user runs it, through the test engine against the cloud emulator: `up`,
 * a second preview that must be empty, `destroy` (empty state, nothing of the stack left in the emulator).
 *
 * The examples are the rows of EXAMPLES in ./table.ts (directory, stack config, emulator seeding, what the stack
 * creates in the cloud, extra checks); a new example joins with one row there, see the comment at its top.
 * `npx jest tests/examples -t <dir>` runs one example.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator } from "../../provider/emulator";
import { TestEngine, type OperationResult } from "../engine";
import { EXAMPLES, type ExampleCase } from "./table";

jest.setTimeout(240_000);

const EXAMPLES_DIR = path.resolve(__dirname, "..", "..", "examples");

/** The plan, the errors and the program's stderr, for failure messages. */
function explain(r: OperationResult): string {
  const diags = r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => `${d.severity}: ${d.message}`);
  return [r.rendered, ...diags, r.program?.stderr ? `program stderr:\n${r.program.stderr}` : ""].filter(Boolean).join("\n");
}

function expectOk(r: OperationResult, what: string): void {
  if (!r.ok) throw new Error(`${what} failed:\n${explain(r)}`);
  const problems = r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
  if (problems.length) throw new Error(`${what} reported ${problems.map((d) => `${d.severity}: ${d.message}`).join("\n")}`);
}

const changes = (r: OperationResult) => Object.fromEntries(Object.entries(r.changeSummary).filter(([op]) => op !== "same"));

describe.each(EXAMPLES.map((e) => [e.dir, e] as const))("examples/%s", (dir: string, example: ExampleCase) => {
  let emulator: CloudEmulator;
  let tmp: string;

  beforeAll(async () => {
    // Busy pools and tasks settle after two polls, so that the provider's waiters really wait.
    emulator = await CloudEmulator.start({ progression: { kind: "polls", count: 2 } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `example-${dir}-`));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("up, an empty second preview, destroy", async () => {
    const programDir = path.join(EXAMPLES_DIR, dir);
    expect(fs.existsSync(path.join(programDir, "Pulumi.yaml"))).toBe(true);
    example.seed(emulator);
    const stack = example.stack ?? "dev";
    const engine = new TestEngine({
      programDir,
      stack,
      stateFile: path.join(tmp, `${stack}.json`),
      config: example.config(emulator),
      secretConfig: example.secretConfig(emulator),
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const ctx = { engine, emulator };

    const up = await engine.up();
    expectOk(up, "up");
    expect(Object.keys(changes(up))).toEqual(["create"]);
    expect(up.changeSummary.create).toBe(engine.state().resources.length);
    expect(example.cloudObjects(emulator)).toHaveLength(example.expectedObjects);
    example.checkUp?.(up, ctx);

    const preview = await engine.preview();
    expectOk(preview, "the second preview");
    if (Object.keys(changes(preview)).length) throw new Error(`the preview after up is not empty:\n${explain(preview)}`);
    expect(preview.changeSummary).toEqual({ same: engine.state().resources.length });
    example.checkPreview?.(preview, ctx);

    const destroy = await engine.destroy();
    expectOk(destroy, "destroy");
    expect(destroy.changeSummary).toEqual({ delete: up.changeSummary.create });
    expect(engine.state().resources).toEqual([]);
    expect(example.cloudObjects(emulator)).toEqual([]);

    // Secret config stays encrypted in the state file.
    for (const secret of Object.values(example.secretConfig(emulator))) expect(engine.rawState()).not.toContain(String(secret));
  });
});

it("every example directory with a Pulumi program has a row in the table", () => {
  const programs = fs.readdirSync(EXAMPLES_DIR).filter((d) => fs.existsSync(path.join(EXAMPLES_DIR, d, "Pulumi.yaml")));
  const missing = programs.filter((d) => !EXAMPLES.some((e) => e.dir === d));
  if (missing.length) throw new Error(`examples without a row in tests/examples/table.ts (see the comment at its top): ${missing.join(", ")}`);
  expect(EXAMPLES.map((e) => e.dir).filter((d) => !programs.includes(d))).toEqual([]);
});
