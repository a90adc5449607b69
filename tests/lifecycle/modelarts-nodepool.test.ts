/**
 * Lifecycle of `huaweicloud.modelarts.NodePool` through the test engine against the local cloud emulator, as
 * Terraform acceptance steps: create, an empty preview, an empty refresh, update in place (one JSON merge patch of
 * the changed fields), replace, drift (deleted and changed outside Pulumi), unknown inputs during preview, invalid
 * input, destroy. Every `up` is followed by a preview that must be empty.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import { OWNER_MARK_KEY, ownerMark } from "../../provider/core/ownership";
import type { ModelArtsAdmin } from "../../provider/emulator/services/modelarts-nodepool";
import { baseNodePool, modelArtsAdmin, POOL, PROJECT, REGION } from "../support/modelarts";
import { simulatedId, TestEngine, UNKNOWN, type OperationResult, type Step } from "../engine";
import { changes, runSteps, type AcceptanceStep } from "./harness";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "modelarts-nodepool");
const PROJECT_NAME = "modelarts-lifecycle";
const NODEPOOL = "pulumi-nodejs:dynamic/huaweicloud/modelarts:NodePool";
const RESOURCE_POOL = "huaweicloud:ModelArts/resourcePool:ResourcePool";
const URN = `urn:pulumi:dev::${PROJECT_NAME}::${NODEPOOL}::gpu`;
/** The resource pool the program declares when `poolFromResource` is set: its (simulated) id is the pool name. */
const NEW_POOL = simulatedId(`urn:pulumi:dev::${PROJECT_NAME}::${RESOURCE_POOL}::gpu-pool`);
/** The label the package adds to every node pool it creates (its ownership mark). */
const MARK = { [OWNER_MARK_KEY]: ownerMark("huaweicloud.modelarts.NodePool", `${PROJECT_NAME}/dev/gpu`) };
const MERGE_PATCH = "application/merge-patch+json";

interface Ctx {
  engine: TestEngine;
  emulator: CloudEmulator;
  admin: ModelArtsAdmin;
  nodePool: Record<string, any>;
  /** Node pool ids seen so far, in order. */
  ids: string[];
  /** Outputs recorded after a step, to compare a later no-op against. */
  saved?: unknown;
}

const poolStep = (r: OperationResult, op?: string): Step | undefined => r.steps.find((s) => s.type === NODEPOOL && (!op || s.op === op));
const poolSteps = (r: OperationResult): Step[] => r.steps.filter((s) => s.type === NODEPOOL);
const calls = (emulator: CloudEmulator): RecordedRequest[] => emulator.requests().filter((q) => q.service === "modelarts");
const writes = (emulator: CloudEmulator): RecordedRequest[] => calls(emulator).filter((q) => q.method !== "GET");
const cloudPools = (admin: ModelArtsAdmin, poolName?: string) => admin.nodePools(poolName ? { poolName } : undefined);
const stateOf = (engine: TestEngine) => engine.state().resources.find((r) => r.urn === URN);
const currentId = (engine: TestEngine) => stateOf(engine)?.id;
const split = (id: string) => ({ poolName: id.slice(0, id.indexOf("/")), name: id.slice(id.indexOf("/") + 1) });

function setNodePool(ctx: Ctx, edit: (p: Record<string, any>) => void): void {
  edit(ctx.nodePool);
  ctx.engine.setConfig("nodePool", ctx.nodePool);
}

const steps: Array<AcceptanceStep<Ctx>> = [
  {
    name: "create the node pool",
    check: (r, { emulator, admin, ids, engine }) => {
      expect(poolStep(r)?.op).toBe("create");
      const pools = cloudPools(admin, POOL);
      expect(pools).toHaveLength(1);
      expect(pools[0].metadata.name).toBe("nodepool-1");
      // The ownership mark travels as one more Kubernetes label.
      expect(pools[0].spec.resources.labels).toEqual({ accelerator: "t4", team: "ml", ...MARK });
      const create = writes(emulator).find((q) => q.action === "CreateNodePool")!;
      expect(create.body).toMatchObject({ apiVersion: "v2", kind: "NodePool", metadata: { name: "nodepool-1" }, spec: { resources: { count: 2, maxCount: 4 } } });
      const id = currentId(engine)!;
      expect(id).toBe(`${POOL}/nodepool-1`);
      expect(r.outputs).toMatchObject({ id, poolName: POOL, available: 2, creating: 0 });
      ids.push(id);
    },
  },
  {
    name: "preview: no changes, and no call reaches the cloud",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.saved = stateOf(ctx.engine)!.outputs;
    },
    check: (r, { emulator }) => {
      expect(changes(r)).toEqual({});
      expect(poolStep(r)?.op).toBe("same");
      expect(calls(emulator)).toHaveLength(0);
    },
  },
  {
    name: "refresh: reads the node pool and changes nothing",
    op: "refresh",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, saved }) => {
      expect(changes(r)).toEqual({});
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "same" });
      expect(calls(emulator).map((q) => q.action)).toEqual(["ShowNodePool"]);
      expect(stateOf(engine)!.outputs).toEqual(saved);
    },
  },
  {
    name: "change count and labels: updated in place, one merge patch of only those fields",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setNodePool(ctx, (p) => {
        p.spec.resources.count = 3;
        p.spec.resources.azs = [{ az: "cn-north-4a", count: 3 }];
        p.spec.resources.labels = { accelerator: "t4", stage: "prod" };
      });
    },
    check: (r, { emulator, admin, engine, ids }) => {
      const step = poolStep(r)!;
      expect(step.op).toBe("update");
      expect(step.diffReasons).toEqual(["spec"]);
      expect(Object.keys(step.detailedDiff!).sort()).toEqual([
        "spec.resources.azs[0].count",
        "spec.resources.count",
        "spec.resources.labels.stage",
        "spec.resources.labels.team",
      ]);
      expect(currentId(engine)).toBe(ids[0]);
      const sent = writes(emulator);
      expect(sent.map((q) => [q.action, q.method, q.headers["content-type"]?.split(";")[0]])).toEqual([["PatchNodePool", "PATCH", MERGE_PATCH]]);
      // RFC 7396: the removed label is null, the ownership label is carried again, nothing else is sent.
      expect(sent[0].body).toEqual({
        spec: { resources: { count: 3, azs: [{ az: "cn-north-4a", count: 3 }], labels: { accelerator: "t4", stage: "prod", team: null, ...MARK } } },
      });
      expect(cloudPools(admin, POOL)[0].spec.resources).toMatchObject({ count: 3, labels: { accelerator: "t4", stage: "prod", ...MARK } });
      expect(cloudPools(admin, POOL)[0].spec.resources.labels).not.toHaveProperty("team");
      expect(r.outputs).toMatchObject({ available: 3 });
    },
  },
  {
    name: "rename and change the flavor: replaced by a new node pool, created before the old one is deleted",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setNodePool(ctx, (p) => {
        p.metadata.name = "nodepool-2";
        p.spec.resources.flavor = "modelarts.vm.gpu.a10u8";
      });
    },
    check: (r, { emulator, admin, engine, ids }) => {
      expect(poolSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      const replace = poolSteps(r)[1];
      expect(replace.replaceReasons.sort()).toEqual(["metadata.name", "spec.resources.flavor"]);
      expect(replace.deleteBeforeReplace).toBeFalsy();
      expect(replace.detailedDiff).toMatchObject({ "metadata.name": { kind: "update-replace" }, "spec.resources.flavor": { kind: "update-replace" } });
      expect(r.json.steps!.find((s) => s.urn === URN)).toMatchObject({ op: "replace", replaceReasons: expect.arrayContaining(["metadata.name", "spec.resources.flavor"]) });
      expect(r.rendered).toMatch(/flavor\s*: "modelarts\.vm\.gpu\.t4u8" => "modelarts\.vm\.gpu\.a10u8"/);
      const order = writes(emulator).map((q) => `${q.action} ${q.path.split("/").pop()}`);
      expect(order).toEqual(["CreateNodePool nodepools", "DeleteNodePool nodepool-1"]);
      const id = currentId(engine)!;
      expect(id).toBe(`${POOL}/nodepool-2`);
      expect(id).not.toBe(ids[0]);
      const pools = cloudPools(admin, POOL);
      expect(pools.map((p) => p.metadata.name)).toEqual(["nodepool-2"]);
      expect(pools[0].spec.resources).toMatchObject({ flavor: "modelarts.vm.gpu.a10u8", count: 3 });
      ids.push(id);
    },
  },
  {
    name: "change only the flavor: replaced under the same name, so the old node pool is deleted first",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setNodePool(ctx, (p) => (p.spec.resources.flavor = "modelarts.vm.gpu.t4u8"));
    },
    check: (r, { emulator, admin, engine, ids }) => {
      expect(poolSteps(r).map((s) => s.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
      expect(poolSteps(r)[1]).toMatchObject({ replaceReasons: ["spec.resources.flavor"], deleteBeforeReplace: true });
      expect(writes(emulator).map((q) => q.action)).toEqual(["DeleteNodePool", "CreateNodePool"]);
      // The id is `<poolName>/<name>`: a new node pool of the same name has the same id.
      expect(currentId(engine)).toBe(ids[ids.length - 1]);
      expect(cloudPools(admin, POOL).map((p) => p.spec.resources.flavor)).toEqual(["modelarts.vm.gpu.t4u8"]);
    },
  },
  {
    name: "node pool deleted outside Pulumi: refresh removes it from the state",
    op: "refresh",
    prepare: ({ admin, ids }) => admin.deleteNodePool(POOL, split(ids[ids.length - 1]).name),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "delete" });
      expect(r.changeSummary).toMatchObject({ delete: 1 });
      expect(currentId(engine)).toBeUndefined();
    },
  },
  {
    name: "the next up creates it again",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, admin, engine, ids }) => {
      expect(poolStep(r)?.op).toBe("create");
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateNodePool"]);
      expect(cloudPools(admin, POOL)).toHaveLength(1);
      ids.push(currentId(engine)!);
    },
  },
  {
    name: "node pool changed outside Pulumi: refresh shows the drift",
    op: "refresh",
    prepare: ({ admin, ids }) =>
      admin.mutateNodePool(POOL, split(ids[ids.length - 1]).name, (np) => {
        np.spec.resources.count = 5;
        np.spec.resources.maxCount = 5;
        np.spec.resources.labels = { ...np.spec.resources.labels, "changed-by": "console" };
      }),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "update" });
      expect(r.rendered).toMatch(/~ count\s*: 3 => 5\n/);
      expect(r.rendered).toMatch(/\+ changed-by\s*: "console"/);
      const state = stateOf(engine)!;
      const resources = (state.inputs.spec as { resources: Record<string, any> }).resources;
      expect(resources).toMatchObject({ count: 5, maxCount: 5, labels: { accelerator: "t4", stage: "prod", "changed-by": "console" } });
      // The ownership label is the package's own: never shown as drift, never in the state.
      expect(resources.labels).not.toHaveProperty(OWNER_MARK_KEY);
      expect(state.outputs.status).toMatchObject({ available: 5 });
    },
  },
  {
    name: "the next up repairs the drift",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, admin }) => {
      expect(poolStep(r)).toMatchObject({ op: "update" });
      const sent = writes(emulator);
      expect(sent.map((q) => [q.action, q.headers["content-type"]?.split(";")[0]])).toEqual([["PatchNodePool", MERGE_PATCH]]);
      expect(sent[0].body).toEqual({ spec: { resources: { count: 3, maxCount: 4, labels: { accelerator: "t4", stage: "prod", "changed-by": null, ...MARK } } } });
      const resources = cloudPools(admin, POOL)[0].spec.resources;
      expect(resources).toMatchObject({ count: 3, maxCount: 4, labels: { accelerator: "t4", stage: "prod", ...MARK } });
      expect(resources.labels).not.toHaveProperty("changed-by");
      expect(r.outputs).toMatchObject({ available: 3 });
    },
  },
  {
    name: "resource pool from another resource: its name is unknown during the preview, no failure, no call",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.engine.setConfig("poolFromResource", true);
    },
    check: (r, { emulator }) => {
      expect(poolSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      const step = poolStep(r, "replace")!;
      expect(step.replaceReasons).toEqual(["poolName"]);
      expect(step.new!.inputs.poolName).toBe(UNKNOWN);
      // Another pool, so the name is free there: the new node pool is created before the old one is deleted.
      expect(step.deleteBeforeReplace).toBeFalsy();
      expect(r.rendered).toMatch(/~ poolName\s*: "pool-gpu-a" => \[unknown\]/);
      expect(r.notes.join("\n")).toMatch(/simulated: huaweicloud:ModelArts\/resourcePool:ResourcePool "gpu-pool"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "apply it: the node pool moves to the new resource pool once its name is known",
    prepare: ({ emulator, admin }) => {
      // The resource pool itself is simulated by the test engine; the emulator gets one of the same name.
      admin.seedPool({ poolName: NEW_POOL, projectId: PROJECT });
      emulator.clearRequests();
    },
    check: (r, { emulator, admin, engine, ids }) => {
      expect(r.steps.find((s) => s.type === RESOURCE_POOL)).toMatchObject({ op: "create", simulated: true, new: { id: NEW_POOL } });
      expect(poolSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      expect(writes(emulator).map((q) => `${q.action} ${q.path.split("/")[4]}`)).toEqual([`CreateNodePool ${NEW_POOL}`, `DeleteNodePool ${POOL}`]);
      expect(cloudPools(admin, POOL)).toHaveLength(0);
      expect(cloudPools(admin, NEW_POOL).map((p) => p.metadata.name)).toEqual(["nodepool-2"]);
      const id = currentId(engine)!;
      expect(id).toBe(`${NEW_POOL}/nodepool-2`);
      expect(r.outputs).toMatchObject({ id, poolName: NEW_POOL, available: 3 });
      ids.push(id);
    },
  },
  {
    name: "invalid input: the preview fails with the property path and the rule, and calls no API",
    op: "preview",
    expectError: /property spec\.resources\.maxCount value \{2\} has a problem: must be >= spec\.resources\.count \(3\)/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setNodePool(ctx, (p) => {
        p.spec.resources.maxCount = 2;
        p.spec.resources.tags = [{ key: "CCE-owner", value: "ml" }];
      });
    },
    check: (r, { emulator }) => {
      const errors = r.diagnostics.filter((d) => d.severity === "error" && d.source === "provider");
      expect(errors.every((d) => d.urn === URN)).toBe(true);
      // Every problem at once, each with its path and rule.
      expect(errors.map((d) => d.message).join("\n")).toMatch(/property spec\.resources\.tags\[0\]\.key value \{"CCE-owner"\} has a problem: must not start with "CCE-"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "destroy: the state is empty and no node pool of this stack is left",
    op: "destroy",
    check: (r, { admin, engine }) => {
      expect(r.changeSummary).toEqual({ delete: 3 }); // with the stack itself
      expect(engine.state().resources).toEqual([]);
      expect(cloudPools(admin)).toHaveLength(0);
    },
  },
];

describe("huaweicloud.modelarts.NodePool lifecycle (test engine + emulator)", () => {
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    modelArtsAdmin(emulator).seedPool({ poolName: POOL, projectId: PROJECT });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-lifecycle-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("create, no-op preview and refresh, update, replace, drift, unknowns, invalid input, destroy", async () => {
    const nodePool = baseNodePool();
    const engine = new TestEngine({
      programDir: PROGRAM,
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        nodePool,
        "huaweicloud:accessKey": emulator.credentials.accessKeyId,
        "huaweicloud:region": REGION,
        "huaweicloud:projectId": PROJECT,
        "nodepools:endpoints": { modelarts: emulator.endpoint },
      },
      secretConfig: { "huaweicloud:secretKey": emulator.credentials.accessKeySecret },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const timings: string[] = [];
    await runSteps(engine, { engine, emulator, admin: modelArtsAdmin(emulator), nodePool, ids: [] }, steps, (line) => timings.push(line));
    expect(engine.rawState()).not.toContain(emulator.credentials.accessKeySecret);
    if (process.env.LIFECYCLE_TIMINGS) console.log(timings.join("\n"));
  });
});
