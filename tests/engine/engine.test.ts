/**
 * Self-tests of the test engine: real programs (tests/engine/fixtures) through preview / up / refresh /
 * destroy, with trivial dynamic providers whose every call is logged, and the real ACK node pool against the
 * local emulator.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator } from "../../provider/emulator";
import { CLUSTER } from "../support/ack";
import { isSecret, previewJson, simulatedId, TestEngine, UNKNOWN, type OperationResult } from ".";

const FIXTURES = path.join(__dirname, "fixtures");
const ITEM = "pulumi-nodejs:dynamic/fixture:Item";
const itemUrn = (name: string, project = "items") => `urn:pulumi:dev::${project}::${ITEM}::${name}`;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "test-engine-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ItemsOptions {
  secretConfig?: Record<string, string>;
  config?: Record<string, unknown>;
  programMs?: number;
  stateFile?: string;
  parallel?: number;
}

function itemsEngine(items: Record<string, unknown>, extra: ItemsOptions = {}): TestEngine {
  return new TestEngine({
    programDir: path.join(FIXTURES, "items"),
    stack: "dev",
    stateFile: extra.stateFile ?? path.join(tmp, "state", "dev.json"),
    config: { cloudDir: tmp, items: items as Record<string, unknown>, ...(extra.config as Record<string, string>) },
    secretConfig: extra.secretConfig,
    timeouts: extra.programMs ? { programMs: extra.programMs } : undefined,
    parallel: extra.parallel,
  });
}

/** Provider calls logged by the fixture since the last call of this function (configure lines dropped). */
function calls(): string[] {
  const file = path.join(tmp, "calls.log");
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  fs.rmSync(file);
  return lines.filter((l) => l !== "configure");
}

function cloud(): { next: number; objects: Record<string, Record<string, unknown>> } {
  return JSON.parse(fs.readFileSync(path.join(tmp, "cloud.json"), "utf8"));
}

function expectOk(r: OperationResult): void {
  if (!r.ok) throw new Error(`${r.operation} failed:\n${r.diagnostics.map((d) => `${d.severity}: ${d.message}`).join("\n")}\n${r.program?.stderr ?? ""}`);
}

/** Ops of the steps for resources other than the root stack: "op name". */
const ops = (r: OperationResult) => r.steps.filter((s) => !s.type.startsWith("pulumi:pulumi:Stack")).map((s) => `${s.op} ${s.urn.split("::").pop()}`);
jest.setTimeout(240_000);

const idOf = (eng: TestEngine, name: string) => eng.state().resources.find((r) => r.urn.endsWith(`::${name}`))?.id;

describe("test engine: plans and applies like the Pulumi engine", () => {
  it("runs the Create calls of independent resources at once, as the CLI's step executor does, and one by one with parallel 1", async () => {
    // Each create returns only once all three have begun: with one call at a time, the first would wait in vain.
    const together = itemsEngine({ a: { barrier: 3 }, b: { barrier: 3 }, c: { barrier: 3 } });
    expectOk(await together.up());
    const log = calls();
    expect(log.filter((l) => l.startsWith("begin create"))).toHaveLength(3);
    expect(log.findIndex((l) => l.startsWith("create "))).toBeGreaterThan(log.map((l) => l.startsWith("begin create")).lastIndexOf(true));
    // Check still runs one registration at a time, in the program's order, as the engine's step generator does.
    expect(log.filter((l) => l.startsWith("check"))).toEqual(["check a olds=empty", "check b olds=empty", "check c olds=empty"]);

    fs.rmSync(path.join(tmp, "state"), { recursive: true, force: true });
    const oneByOne = itemsEngine({ a: { barrier: 1 }, b: { barrier: 1 }, c: { barrier: 1 } }, { parallel: 1 });
    expectOk(await oneByOne.up());
    expect(calls().filter((l) => /create/.test(l)).map((l) => l.replace(/ [a-c]-\d+$/, ""))).toEqual([
      "begin create a", "create a", "begin create b", "create b", "begin create c", "create c",
    ]);
  });

  it("creates, leaves unchanged, updates in place, and deletes removed resources in reverse dependency order", async () => {
    const eng = itemsEngine({ a: { value: 1 }, b: { value: 2, dependsOn: ["a"] }, c: { value: 3, dependsOn: ["b"] } });

    const preview = await eng.preview();
    expectOk(preview);
    expect(ops(preview)).toEqual(["create a", "create b", "create c"]);
    expect(preview.changeSummary).toEqual({ create: 4 });
    expect(preview.rendered).toContain("Resources:\n    + 4 to create\n");
    expect(calls()).toEqual(["check a olds=empty", "check b olds=empty", "check c olds=empty"]);
    expect(eng.rawState()).toBe("");

    expectOk(await eng.up());
    expect(calls()).toEqual(["check a olds=empty", "create a a-1", "check b olds=empty", "create b b-2", "check c olds=empty", "create c c-3"]);

    const same = await eng.preview();
    expectOk(same);
    expect(same.changeSummary).toEqual({ same: 4 });
    expect(same.rendered).toContain("Resources:\n    4 unchanged\n");

    eng.setConfig("items", { a: { value: 10 }, b: { value: 2, dependsOn: ["a"] }, c: { value: 3, dependsOn: ["b"] } });
    calls();
    const update = await eng.up();
    expectOk(update);
    expect(ops(update)).toEqual(["update a", "same b", "same c"]);
    expect(update.steps.find((s) => s.op === "update")).toMatchObject({ diffReasons: ["value"], detailedDiff: { value: { kind: "update", inputDiff: true } } });
    // Check gets the old inputs, Diff the old outputs, as the engine sends them.
    expect(calls()).toEqual(["check a olds=inputs", "diff a olds=outputs", "update a a-1", "check b olds=inputs", "diff b olds=outputs", "check c olds=inputs", "diff c olds=outputs"]);
    expect(idOf(eng, "a")).toBe("a-1");
    expect(update.rendered).toContain("~ value: 1 => 10");
    expect(update.rendered).toContain("Resources:\n    ~ 1 updated\n    3 unchanged\n");

    eng.setConfig("items", { a: { value: 10 } });
    const removed = await eng.up();
    expectOk(removed);
    expect(ops(removed)).toEqual(["same a", "delete c", "delete b"]);
    expect(calls().filter((c) => c.startsWith("delete"))).toEqual(["delete c c-3", "delete b b-2"]);
    expect(eng.state().resources.map((r) => r.urn.split("::").pop())).toEqual(["items-dev", "a"]);
    expect(Object.keys(cloud().objects)).toEqual(["a-1"]);

    const destroyed = await eng.destroy();
    expectOk(destroyed);
    expect(calls()).toEqual(["delete a a-1"]);
    expect(eng.state().resources).toEqual([]);
  });

  it("replaces create-before-delete by default, delete-before-replace when the provider or the option asks", async () => {
    // A dependency chain fixes the order in which the program registers them.
    const eng = itemsEngine({ cbd: { immutable: 1 }, dbr: { immutable: 1, dbr: true, dependsOn: ["cbd"] }, opt: { immutable: 1, deleteBeforeReplace: true, dependsOn: ["dbr"] } });
    expectOk(await eng.up());
    calls();
    eng.setConfig("items", { cbd: { immutable: 2 }, dbr: { immutable: 2, dbr: true, dependsOn: ["cbd"] }, opt: { immutable: 2, deleteBeforeReplace: true, dependsOn: ["dbr"] } });

    const preview = await eng.preview();
    expectOk(preview);
    expect(ops(preview)).toEqual([
      "create-replacement cbd",
      "replace cbd",
      "delete-replaced dbr",
      "replace dbr",
      "create-replacement dbr",
      "delete-replaced opt",
      "replace opt",
      "create-replacement opt",
      "delete-replaced cbd",
    ]);
    expect(preview.steps.filter((s) => s.op === "replace").map((s) => s.replaceReasons)).toEqual([["immutable"], ["immutable"], ["immutable"]]);
    expect(preview.changeSummary).toEqual({ same: 1, replace: 3 });
    expect(preview.rendered).toContain('+-pulumi-nodejs:dynamic/fixture:Item: (replace)');
    expect(preview.rendered).toContain('~ immutable: 1 => 2 # forces replacement');
    expect(calls().filter((c) => /create|delete/.test(c))).toEqual([]);

    const up = await eng.up();
    expectOk(up);
    // A replacement is checked again with empty olds; the old one goes first (dbr) or last (cbd).
    expect(calls()).toEqual([
      "check cbd olds=inputs",
      "diff cbd olds=outputs",
      "check cbd olds=empty",
      "create cbd cbd-4",
      "check dbr olds=inputs",
      "diff dbr olds=outputs",
      "check dbr olds=empty",
      "delete dbr dbr-2",
      "create dbr dbr-5",
      "check opt olds=inputs",
      "diff opt olds=outputs",
      "check opt olds=empty",
      "delete opt opt-3",
      "create opt opt-6",
      "delete cbd cbd-1",
    ]);
    expect(Object.keys(cloud().objects).sort()).toEqual(["cbd-4", "dbr-5", "opt-6"]);
    expect(up.rendered).toContain("+-3 replaced");
  });

  it("sends unknowns to the program and to check/diff during a preview, and creates or updates nothing", async () => {
    const eng = itemsEngine({ a: { immutable: 1 }, b: { valueFrom: "a" } });
    const first = await eng.preview();
    expectOk(first);
    const b = first.steps.find((s) => s.urn === itemUrn("b"))!;
    expect(b.new!.inputs.value).toBe(UNKNOWN);
    expect(first.outputs.computed).toBe(UNKNOWN);
    expect(first.rendered).toMatch(/value\s*: \[unknown\]/);

    expectOk(await eng.up());
    expect(cloud().objects["b-2"].value).toBe("c-a-1");
    calls();
    eng.setConfig("items", { a: { immutable: 2 }, b: { valueFrom: "a" } });
    const second = await eng.preview();
    expectOk(second);
    expect(ops(second)).toEqual(["create-replacement a", "replace a", "update b", "delete-replaced a"]);
    expect(second.rendered).toContain('~ value: "c-a-1" => [unknown]');
    expect(calls()).toEqual(["check a olds=inputs", "diff a olds=outputs", "check a olds=empty", "check b olds=inputs", "diff b olds=outputs"]);
    expect(second.json.steps!.find((s) => s.urn === itemUrn("b"))!.newState!.inputs).toMatchObject({ value: UNKNOWN });
  });

  it("never writes secrets to the state file in plaintext", async () => {
    const eng = itemsEngine({ s: { secretValue: true, useToken: true } }, { secretConfig: { secretValue: "hunter2-canary", token: "tok-canary-9d1e" } });
    const up = await eng.up();
    expectOk(up);
    const raw = eng.rawState();
    for (const plain of ["hunter2-canary", "derived-hunter2-canary", "tok-canary-9d1e"]) {
      expect(raw).not.toContain(plain);
      expect(up.rendered).not.toContain(plain);
      expect(JSON.stringify(up.json)).not.toContain(plain);
    }
    expect(raw).toContain('"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"');
    expect(raw).toContain('"ciphertext": "v1:');
    expect(fs.statSync(path.join(tmp, "state", "dev.json.key")).mode & 0o777).toBe(0o600);

    const s = eng.state().resources.find((r) => r.urn === itemUrn("s"))!;
    // Secret input, the same-key output, the additionalSecretOutputs output and secret config: all secret.
    expect(isSecret(s.inputs.secretValue) && s.inputs.secretValue.value).toBe("hunter2-canary");
    expect(isSecret(s.outputs.secretValue)).toBe(true);
    expect(isSecret(s.outputs.derived) && s.outputs.derived.value).toBe("derived-hunter2-canary");
    expect(isSecret(s.outputs.token) && s.outputs.token.value).toBe("tok-canary-9d1e");
    expect(isSecret(eng.state().config["items:token"])).toBe(true);
    expect(up.json.config!["items:token"]).toBe("[secret]");
    expect((await eng.preview()).changeSummary).toEqual({ same: 2 });
  });

  it("records a partial failure with its id and calls update on the next up, even without changes", async () => {
    const eng = itemsEngine({ p: { value: 1, failCreate: true } });
    const failed = await eng.up();
    expect(failed.ok).toBe(false);
    expect(failed.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ severity: "error", message: "item p-1 failed to become ready", source: "provider" })]));
    const recorded = eng.state().resources.find((r) => r.urn === itemUrn("p"))!;
    expect(recorded).toMatchObject({ id: "p-1", initErrors: ["status=failed"], outputs: { status: "failed" } });
    expect(eng.rawState()).toContain('"initErrors"');
    calls();

    const resumed = await eng.up();
    expectOk(resumed);
    expect(calls()).toEqual(["check p olds=inputs", "diff p olds=outputs", "update p p-1"]);
    expect(ops(resumed)).toEqual(["update p"]);
    expect(eng.state().resources.find((r) => r.urn === itemUrn("p"))).toMatchObject({ id: "p-1", outputs: { status: "ready" } });
    expect(eng.state().resources.find((r) => r.urn === itemUrn("p"))!.initErrors).toBeUndefined();
    expect((await eng.preview()).changeSummary).toEqual({ same: 2 });
  });

  it("prints the plan as pulumi preview --json does", async () => {
    const eng = itemsEngine({ a: { value: 1, immutable: "x" }, b: { value: 1 }, gone: { value: 1 } });
    expectOk(await eng.up());
    const [aId, goneId] = [idOf(eng, "a"), idOf(eng, "gone")];
    eng.setConfig("items", { a: { value: 1, immutable: "y" }, b: { value: 2 } });
    const preview = await eng.preview();
    expectOk(preview);
    const json = preview.json;
    expect(Object.keys(json).sort()).toEqual(["changeSummary", "config", "duration", "steps"]);
    expect(json.changeSummary).toEqual({ same: 1, replace: 1, update: 1, delete: 1 });
    expect(typeof json.duration).toBe("number");
    // Sames (but the stack) and the replacement halves are not shown by default.
    const byName = (name: string) => json.steps!.find((s) => s.urn.endsWith(`::${name}`))!;
    expect(json.steps!.map((s) => [s.op, s.urn.split("::").pop()]).sort()).toEqual([
      ["delete", "gone"],
      ["replace", "a"],
      ["same", "items-dev"],
      ["update", "b"],
    ]);
    expect(json.steps![0].op).toBe("same");
    expect(json.steps![3].op).toBe("delete");
    const [replace, update, del] = [byName("a"), byName("b"), byName("gone")];
    expect(replace).toMatchObject({
      replaceReasons: ["immutable"],
      diffReasons: ["immutable"],
      detailedDiff: { immutable: { kind: "update-replace", inputDiff: true } },
      oldState: { urn: itemUrn("a"), custom: true, id: aId, type: ITEM, inputs: { name: "a", value: 1, immutable: "x" } },
      newState: { urn: itemUrn("a"), custom: true, type: ITEM, inputs: { immutable: "y" } },
    });
    expect(update).toMatchObject({ op: "update", diffReasons: ["value"], detailedDiff: { value: { kind: "update", inputDiff: true } } });
    expect(update.replaceReasons).toBeUndefined();
    expect(del).toMatchObject({ op: "delete", oldState: { id: goneId }, detailedDiff: null });
    expect(del.newState).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain("__provider");
    expect(preview.rendered).not.toContain("__provider");

    const all = previewJson(preview, { all: true });
    expect(all.steps!.filter((s) => s.urn.endsWith("::a")).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(all.steps!.length).toBe(preview.steps.length);
  });

  it("honours protect, retainOnDelete and ignoreChanges", async () => {
    const eng = itemsEngine({ kept: { value: 1, protect: true }, retained: { value: 1, retainOnDelete: true, dependsOn: ["kept"] }, ignored: { value: 1, ignoreChanges: ["value"] } });
    expectOk(await eng.up());
    calls();
    eng.setConfig("items", { kept: { value: 1, protect: true }, retained: { value: 1, retainOnDelete: true, dependsOn: ["kept"] }, ignored: { value: 2, ignoreChanges: ["value"] } });
    const ignored = await eng.preview();
    expectOk(ignored);
    expect(ignored.changeSummary).toEqual({ same: 4 });

    eng.setConfig("items", { ignored: { value: 1 } });
    const up = await eng.up();
    expect(up.ok).toBe(false);
    expect(up.diagnostics.map((d) => d.message).join("\n")).toMatch(/unable to delete resource ".*::kept"\nas it is currently marked for protection/);
    // The retained one left the state without a provider call; the protected one stays.
    expect(calls().filter((c) => c.startsWith("delete"))).toEqual([]);
    expect(Object.keys(cloud().objects).map((id) => id.replace(/-\d+$/, "")).sort()).toEqual(["ignored", "kept", "retained"]);
    const urns = eng.state().resources.map((r) => r.urn);
    expect(urns).toContain(itemUrn("kept"));
    expect(urns).not.toContain(itemUrn("retained"));
  });

  it("adopts an existing resource with the import option, refuses one whose inputs differ, and reads one with .get()", async () => {
    const eng = itemsEngine({ ext: { value: 5, importId: "ext-7" } });
    fs.writeFileSync(path.join(tmp, "cloud.json"), JSON.stringify({ next: 8, objects: { "ext-7": { name: "ext", value: 5, computed: "c-ext-7", status: "ready" } } }));
    const preview = await eng.preview();
    expectOk(preview);
    expect(ops(preview)).toEqual(["import ext"]);
    const up = await eng.up();
    expectOk(up);
    expect(calls()).toEqual(["read ext ext-7", "check ext olds=inputs", "diff ext olds=outputs", "read ext ext-7", "check ext olds=inputs", "diff ext olds=outputs"]);
    expect(eng.state().resources.find((r) => r.urn === itemUrn("ext"))).toMatchObject({ id: "ext-7", importID: "ext-7", outputs: { computed: "c-ext-7" } });

    const mismatch = await itemsEngine({ ext2: { value: 6, importId: "ext-7" } }, { stateFile: path.join(tmp, "other.json") }).up();
    expect(mismatch.ok).toBe(false);
    expect(mismatch.diagnostics.map((d) => d.message).join("\n")).toMatch(/inputs to import do not match the existing resource: \[name value\]/);

    // A read resource is recorded as external: refreshed, never updated or deleted.
    const reader = itemsEngine({ seen: { readId: "ext-7" } }, { stateFile: path.join(tmp, "reader.json") });
    calls();
    const read = await reader.up();
    expectOk(read);
    expect(ops(read)).toEqual(["read seen"]);
    expect(read.outputs.computed).toEqual({ seen: "c-ext-7" });
    expect(reader.state().resources.find((r) => r.urn === itemUrn("seen"))).toMatchObject({ id: "ext-7", external: true, outputs: { value: 5 } });
    expectOk(await reader.destroy());
    expect(calls()).toEqual(["read seen ext-7"]);
    expect(cloud().objects["ext-7"]).toBeDefined();
  });

  it("keeps components as bookkeeping: children parented under them, registered outputs recorded", async () => {
    const eng = itemsEngine({ g: { component: true }, child: { value: 1, parent: "g" } });
    const up = await eng.up();
    expectOk(up);
    const group = eng.state().resources.find((r) => r.type === "fixture:index:Group")!;
    expect(group).toMatchObject({ custom: false, outputs: { label: "group g" } });
    const child = eng.state().resources.find((r) => r.type === ITEM)!;
    expect(child.urn).toBe("urn:pulumi:dev::items::fixture:index:Group$pulumi-nodejs:dynamic/fixture:Item::child");
    expect(child.parent).toBe(group.urn);
    expect(up.rendered).toContain("    + fixture:index:Group: (create)\n");
    expect(up.rendered).toContain("        + pulumi-nodejs:dynamic/fixture:Item: (create)\n");
  });

  it("refreshes: drops what is gone, takes drifted outputs and inputs; the next up repairs the drift", async () => {
    const eng = itemsEngine({ a: { value: 1 }, b: { value: 1 } });
    expectOk(await eng.up());
    const [aId, bId] = [idOf(eng, "a")!, idOf(eng, "b")!];
    const c = cloud();
    delete c.objects[bId];
    c.objects[aId].value = 99;
    fs.writeFileSync(path.join(tmp, "cloud.json"), JSON.stringify(c));
    calls();
    const refresh = await eng.refresh();
    expectOk(refresh);
    expect(refresh.steps.filter((s) => s.type === ITEM).map((s) => [s.urn.split("::").pop(), s.refreshResult]).sort()).toEqual([
      ["a", "update"],
      ["b", "delete"],
    ]);
    expect(refresh.rendered).toMatch(/~ value\s*: 1 => 99\n/);
    expect(refresh.changeSummary).toEqual({ same: 1, update: 1, delete: 1 });
    expect(eng.state().resources.find((r) => r.urn === itemUrn("a"))).toMatchObject({ inputs: { value: 99 }, outputs: { value: 99 } });
    expect(eng.state().resources.some((r) => r.urn === itemUrn("b"))).toBe(false);

    const preview = await eng.preview();
    expect(ops(preview).sort()).toEqual(["create b", "update a"]);
    expect(preview.rendered).toMatch(/~ value\s*: 99 => 1\n/);
    expectOk(await eng.up());
    expect(cloud().objects[aId].value).toBe(1);
  });

  it("reports check failures with the property and the rule, and runs nothing", async () => {
    const eng = itemsEngine({ bad: { invalid: true } });
    const preview = await eng.preview();
    expect(preview.ok).toBe(false);
    expect(preview.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: "error", urn: itemUrn("bad"), message: `${ITEM} resource 'bad': property invalid value {true} has a problem: must not be set` }),
      ]),
    );
    expect(preview.rendered).toContain("Diagnostics:\n  pulumi-nodejs:dynamic/fixture:Item (bad):\n    error: ");
    expect(calls()).toEqual(["check bad olds=empty"]);
  });

  it("surfaces the program's own errors, refuses unsupported options clearly, and kills a program that hangs", async () => {
    const missing = new TestEngine({ programDir: path.join(FIXTURES, "items"), stack: "dev", stateFile: path.join(tmp, "x.json"), config: { cloudDir: tmp } });
    const thrown = await missing.preview();
    expect(thrown.ok).toBe(false);
    expect(thrown.diagnostics.map((d) => d.message).join("\n")).toMatch(/Missing required configuration variable 'items:items'/);

    const aliased = await itemsEngine({ a: { value: 1, aliases: ["old-a"] } }).preview();
    expect(aliased.ok).toBe(false);
    expect(aliased.diagnostics.map((d) => d.message).join("\n")).toMatch(/aliases is not supported by the test engine/);

    const hang = await itemsEngine({ a: { value: 1 } }, { config: { hang: true }, programMs: 4000 }).preview();
    expect(hang.ok).toBe(false);
    expect(hang.diagnostics.map((d) => d.message).join("\n")).toMatch(/did not finish within 4000 ms/);
  });
});

describe("test engine: the real ACK node pool next to a simulated resource of another provider", () => {
  let emulator: CloudEmulator;
  beforeAll(async () => {
    emulator = await CloudEmulator.start();
  });
  afterAll(async () => emulator?.stop());

  it("simulates the vSwitch (and says so), sends its unknown id through preview, and keeps every secret encrypted", async () => {
    emulator.reset();
    emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
    const password = "Pw-canary-4f1c!";
    const eng = new TestEngine({
      programDir: path.join(FIXTURES, "ack-pool"),
      stack: "dev",
      stateFile: path.join(tmp, "ack.json"),
      config: { clusterId: CLUSTER, "alicloud:accessKey": emulator.credentials.accessKeyId, "alicloud:region": "cn-hangzhou", "nodepools:endpoints": { cs: emulator.endpoint } },
      secretConfig: { loginPassword: password, "alicloud:secretKey": emulator.credentials.accessKeySecret },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const note = 'note: 1 resource of another provider is simulated: alicloud:vpc/switch:Switch "pool-vswitch"';

    const preview = await eng.preview();
    expectOk(preview);
    expect(preview.notes).toEqual([note]);
    expect(preview.rendered).toContain(note);
    expect(preview.json.diagnostics).toEqual(expect.arrayContaining([{ message: note, severity: "info" }]));
    const poolStep = preview.steps.find((s) => s.type === "pulumi-nodejs:dynamic/alicloud/ack:NodePool")!;
    expect(poolStep.new!.inputs.scalingGroup).toMatchObject({ vswitchIds: [UNKNOWN] });
    expect(preview.outputs).toMatchObject({ vswitchId: UNKNOWN, poolId: UNKNOWN });
    expect(emulator.requests()).toHaveLength(0);

    const up = await eng.up();
    expectOk(up);
    const vswitchId = simulatedId("urn:pulumi:dev::ack-pool::alicloud:vpc/switch:Switch::pool-vswitch");
    expect(up.outputs.vswitchId).toBe(vswitchId);
    expect(up.notes).toEqual([note]);
    expect(emulator.ack.pools(CLUSTER)).toHaveLength(1);
    expect(emulator.ack.pools(CLUSTER)[0].scaling_group.vswitch_ids).toEqual([vswitchId]);

    const raw = eng.rawState();
    expect(raw).not.toContain(password);
    expect(raw).not.toContain(emulator.credentials.accessKeySecret);
    expect(up.rendered).not.toContain(password);
    const pool = eng.state().resources.find((r) => r.type === "pulumi-nodejs:dynamic/alicloud/ack:NodePool")!;
    expect(isSecret(pool.inputs.loginPassword)).toBe(true);
    expect(isSecret(pool.outputs.loginPassword)).toBe(true);

    const again = await eng.preview();
    expectOk(again);
    expect(again.changeSummary).toEqual({ same: 3 });
    expect(again.notes).toEqual([note]);

    expectOk(await eng.destroy());
    expect(emulator.ack.pools(CLUSTER)).toHaveLength(0);
    expect(eng.state().resources).toEqual([]);
  });
});
