/**
 * Lifecycle of `alicloud.ack.NodePool` through the test engine against the local cloud emulator, as
 * Terraform acceptance steps: create, update in place, replace, drift (deleted and changed outside Pulumi),
 * unknown inputs during preview, invalid input, destroy. Every `up` is followed by a preview that must be empty.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import { basePool, CLUSTER } from "../support/ack";
import { TestEngine, UNKNOWN, type OperationResult, type Step } from "../engine";
import { runSteps, type AcceptanceStep } from "./harness";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "ack-nodepool");
const NODEPOOL = "pulumi-nodejs:dynamic/alicloud/ack:NodePool";
const URN = `urn:pulumi:dev::ack-lifecycle::${NODEPOOL}::gpu`;

interface Ctx {
  engine: TestEngine;
  emulator: CloudEmulator;
  pool: Record<string, any>;
  /** Pool ids seen so far, in order. */
  ids: string[];
}

const poolStep = (r: OperationResult, op?: string): Step | undefined => r.steps.find((s) => s.type === NODEPOOL && (!op || s.op === op));
const writes = (emulator: CloudEmulator): RecordedRequest[] => emulator.requests().filter((q) => q.action && !/^Describe/.test(q.action));
const cloudPools = (emulator: CloudEmulator) => emulator.ack.pools(CLUSTER);
const currentId = (engine: TestEngine) => engine.state().resources.find((r) => r.urn === URN)?.id;

function setPool(ctx: Ctx, edit: (p: Record<string, any>) => void): void {
  edit(ctx.pool);
  ctx.engine.setConfig("pool", ctx.pool);
}

const steps: Array<AcceptanceStep<Ctx>> = [
  {
    name: "create the pool",
    check: (r, { emulator, ids, engine }) => {
      expect(poolStep(r)?.op).toBe("create");
      const pools = cloudPools(emulator);
      expect(pools).toHaveLength(1);
      expect(pools[0].nodepool_info.name).toBe("gpu");
      const id = currentId(engine)!;
      expect(id).toBe(`${CLUSTER}:${pools[0].nodepool_info.nodepool_id}`);
      expect(r.outputs).toMatchObject({ id, state: "active", totalNodes: 2 });
      // The create goes first and the name is looked up only if ACK refuses it: three calls, no DescribeClusterNodePools.
      expect(emulator.requests().map((q) => `${q.action} ${q.status}`)).toEqual([
        "CreateClusterNodePool 200",
        "DescribeTaskInfo 200",
        "DescribeClusterNodePoolDetail 200",
      ]);
      ids.push(id);
    },
    expectEmptyRefresh: true,
  },
  {
    name: "change desiredSize: updated in place, only scaling_group.desired_size on the wire",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => (p.scalingGroup.desiredSize = 3));
    },
    check: (r, { emulator, engine, ids }) => {
      expect(poolStep(r)).toMatchObject({ op: "update", diffReasons: ["scalingGroup"], detailedDiff: { "scalingGroup.desiredSize": { kind: "update", inputDiff: true } } });
      expect(currentId(engine)).toBe(ids[0]);
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([["ModifyClusterNodePool", { scaling_group: { desired_size: 3 } }]]);
      expect(r.outputs).toMatchObject({ totalNodes: 3 });
    },
  },
  {
    name: "change labels: updated in place, only kubernetes_config.labels on the wire",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => p.kubernetesConfig.labels.push({ key: "team", value: "ml" }));
    },
    check: (r, { emulator, engine, ids }) => {
      expect(poolStep(r)?.op).toBe("update");
      expect(currentId(engine)).toBe(ids[0]);
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([
        [
          "ModifyClusterNodePool",
          {
            kubernetes_config: {
              labels: [
                { key: "accelerator", value: "a10" },
                { key: "team", value: "ml" },
              ],
            },
          },
        ],
      ]);
    },
  },
  {
    name: "change autoScaling.type and teeConfig.teeEnable: replaced, old pool deleted before the new one is created",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => {
        p.autoScaling.type = "cpu";
        p.teeConfig = { teeEnable: true };
      });
    },
    check: (r, { emulator, engine, ids }) => {
      const poolSteps = r.steps.filter((s) => s.type === NODEPOOL);
      expect(poolSteps.map((s) => s.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
      const replace = poolSteps[1];
      expect(replace.replaceReasons.sort()).toEqual(["autoScaling.type", "teeConfig.teeEnable"]);
      expect(replace.deleteBeforeReplace).toBe(true);
      expect(replace.detailedDiff).toMatchObject({ "autoScaling.type": { kind: "update-replace" }, teeConfig: { kind: "add-replace" } });
      expect(r.json.steps!.find((s) => s.urn === URN)).toMatchObject({ op: "replace", replaceReasons: expect.arrayContaining(["autoScaling.type", "teeConfig.teeEnable"]) });
      expect(r.rendered).toContain('~ type        : "gpu" => "cpu"');
      // The name is kept, so the old pool must go first (names are unique in a cluster).
      const order = writes(emulator).map((q) => q.action);
      expect(order.indexOf("DeleteClusterNodepool")).toBeGreaterThanOrEqual(0);
      expect(order.indexOf("DeleteClusterNodepool")).toBeLessThan(order.indexOf("CreateClusterNodePool"));
      const id = currentId(engine)!;
      expect(id).not.toBe(ids[0]);
      const pools = cloudPools(emulator);
      expect(pools.map((p) => `${CLUSTER}:${p.nodepool_info.nodepool_id}`)).toEqual([id]);
      expect(pools[0]).toMatchObject({ auto_scaling: { type: "cpu" }, tee_config: { tee_enable: true } });
      ids.push(id);
    },
  },
  {
    name: "pool deleted outside Pulumi: refresh removes it from the state",
    op: "refresh",
    prepare: ({ emulator, ids }) => emulator.ack.deletePool(CLUSTER, ids[ids.length - 1].split(":")[1]),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "delete" });
      expect(r.changeSummary).toMatchObject({ delete: 1 });
      expect(currentId(engine)).toBeUndefined();
    },
  },
  {
    name: "the next up creates it again",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, ids }) => {
      expect(poolStep(r)?.op).toBe("create");
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateClusterNodePool"]);
      ids.push(currentId(engine)!);
    },
  },
  {
    name: "pool changed outside Pulumi: refresh shows the drift",
    op: "refresh",
    prepare: ({ emulator, ids }) =>
      emulator.ack.mutatePool(CLUSTER, ids[ids.length - 1].split(":")[1], (p) => {
        p.config.scaling_group.desired_size = 5;
      }),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "update" });
      expect(r.rendered).toMatch(/~ desiredSize\s*: 3 => 5\n/);
      const state = engine.state().resources.find((x) => x.urn === URN)!;
      expect(state.inputs.scalingGroup).toMatchObject({ desiredSize: 5 });
      expect(state.outputs.status).toMatchObject({ totalNodes: 5 });
    },
  },
  {
    name: "the next up repairs the drift",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator }) => {
      expect(poolStep(r)).toMatchObject({ op: "update", detailedDiff: { "scalingGroup.desiredSize": { kind: "update" } } });
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([["ModifyClusterNodePool", { scaling_group: { desired_size: 3 } }]]);
      expect(cloudPools(emulator)[0].scaling_group.desired_size).toBe(3);
    },
  },
  {
    name: "vSwitch ids from another resource: unknown during the preview, no failure",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.engine.setConfig("vswitchFromResource", true);
    },
    check: (r, { emulator }) => {
      const step = poolStep(r)!;
      expect(step.op).toBe("update");
      expect(step.new!.inputs.scalingGroup).toMatchObject({ vswitchIds: [UNKNOWN] });
      expect(r.rendered).toMatch(/\[0\]: "vsw-a" => \[unknown\]/);
      expect(r.notes.join("\n")).toMatch(/simulated: alicloud:vpc\/switch:Switch "pool-vswitch"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "apply it: the pool gets the vSwitch id once known",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator }) => {
      const vswitch = r.steps.find((s) => s.type === "alicloud:vpc/switch:Switch")!;
      expect(vswitch).toMatchObject({ op: "create", simulated: true });
      expect(cloudPools(emulator)[0].scaling_group.vswitch_ids).toEqual([vswitch.new!.id]);
    },
  },
  {
    name: "invalid input: the preview fails with the property path and the rule, and calls no API",
    op: "preview",
    expectError: /property scalingGroup\.instanceTypes value \{\[\]\} has a problem: .*at least 1/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => (p.scalingGroup.instanceTypes = []));
    },
    check: (r, { emulator }) => {
      expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ urn: URN, source: "provider" });
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "destroy: the state is empty and the cluster has no pool of this stack",
    op: "destroy",
    check: (r, { emulator, engine }) => {
      expect(r.changeSummary).toEqual({ delete: 3 });
      expect(engine.state().resources).toEqual([]);
      expect(cloudPools(emulator)).toHaveLength(0);
    },
  },
];

describe("alicloud.ack.NodePool lifecycle (test engine + emulator)", () => {
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-lifecycle-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("create, update, replace, drift, unknowns, invalid input, destroy", async () => {
    const pool = basePool();
    const engine = new TestEngine({
      programDir: PROGRAM,
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        pool,
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": { cs: emulator.endpoint },
      },
      secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const timings: string[] = [];
    await runSteps(engine, { engine, emulator, pool, ids: [] }, steps, (line) => timings.push(line));
    expect(engine.rawState()).not.toContain(emulator.credentials.accessKeySecret);
    if (process.env.LIFECYCLE_TIMINGS) console.log(timings.join("\n"));
  });
});
