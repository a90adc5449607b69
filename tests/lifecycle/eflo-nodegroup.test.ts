/**
 * Lifecycle of `alicloud.eflo.NodeGroup` (PAI-Lingjun) through the test engine against the local cloud emulator, as
 * Terraform acceptance steps: create, update in place (UpdateNodeGroup and its DescribeTask wait), invalid input,
 * unknown inputs during preview, replacement, drift (deleted and changed outside Pulumi), destroy. Every `up` is
 * followed by a preview that must be empty (the harness).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import { EFLO_TASK_MODEL, type EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import { TestEngine, UNKNOWN, type OperationResult, type Step } from "../engine";
import { runSteps, type AcceptanceStep } from "./harness";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "eflo-nodegroup");
const NODEGROUP = "pulumi-nodejs:dynamic/alicloud/eflo:NodeGroup";
const URN = `urn:pulumi:dev::eflo-lifecycle::${NODEGROUP}::gpu`;
const CLUSTER = "i118191731740041623425";
const REGION = "cn-wulanchabu";
const LOGIN_PASSWORD = "Lingjun-Passw0rd!";
const MUTATING = ["CreateNodeGroup", "UpdateNodeGroup", "DeleteNodeGroup"];

interface Ctx {
  engine: TestEngine;
  emulator: CloudEmulator;
  eflo: EfloNodeGroupService;
  group: Record<string, any>;
  /** Node group ids seen so far, in order. */
  ids: string[];
}

const groupStep = (r: OperationResult, op?: string): Step | undefined => r.steps.find((s) => s.type === NODEGROUP && (!op || s.op === op));
const writes = (emulator: CloudEmulator): RecordedRequest[] => emulator.requests({ service: "eflo" }).filter((q) => MUTATING.includes(q.action ?? ""));
const cloudGroups = (eflo: EfloNodeGroupService) => eflo.admin.groups(CLUSTER);
const currentId = (engine: TestEngine) => engine.state().resources.find((r) => r.urn === URN)?.id;
const groupIdOf = (id: string) => id.split(":")[1];
const last = (ids: string[]) => ids[ids.length - 1];

function baseGroup(): Record<string, any> {
  return {
    clusterId: CLUSTER,
    nodeGroup: {
      az: "cn-wulanchabu-b",
      nodeGroupName: "gpu",
      nodeGroupDescription: "training nodes",
      machineType: "efg2.C48cNHmcn",
      imageId: "i-image-1",
      userData: "#!/bin/sh\necho ready",
      systemDisk: { size: 1000, category: "cloud_essd", performanceLevel: "PL0" },
      keyPairName: "ml-team",
      ramRoleName: "lingjun-role",
    },
    nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
  };
}

function setGroup(ctx: Ctx, edit: (g: Record<string, any>) => void): void {
  edit(ctx.group);
  ctx.engine.setConfig("group", ctx.group);
}

const steps: Array<AcceptanceStep<Ctx>> = [
  {
    name: "create the node group",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, eflo, ids, engine }) => {
      expect(groupStep(r)?.op).toBe("create");
      const groups = cloudGroups(eflo);
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ NodeGroupName: "gpu", ImageId: "i-image-1", MachineType: "efg2.C48cNHmcn", ClusterName: "lingjun-a" });
      // The ownership mark travels in the description, and is never shown as a difference.
      expect(groups[0].NodeGroupDescription).toMatch(/^training nodes \[/);
      const id = currentId(engine)!;
      expect(id).toBe(`${CLUSTER}:${groups[0].NodeGroupId}`);
      expect(r.outputs).toEqual({ id, nodeGroupId: groupIdOf(id), nodeCount: 0, clusterName: "lingjun-a" });
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateNodeGroup"]);
      // The secret login password was sent (the emulator's log redacts it) and appears nowhere in clear.
      expect(JSON.stringify(writes(emulator)[0].body)).toMatch(/LoginPassword\W+\*\*\*/);
      expect(JSON.stringify(emulator.requests())).not.toContain(LOGIN_PASSWORD);
      ids.push(id);
    },
    // The harness then checks that a preview shows no change and that a refresh changes nothing.
    expectEmptyRefresh: true,
  },
  {
    name: "change imageId and userData: same id, one UpdateNodeGroup with only those parameters, then its task is awaited",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      // Each task phase (waiting_to_run -> running -> execution_success) lasts one DescribeTask poll.
      ctx.emulator.setProgression({ kind: "polls", count: 1 }, EFLO_TASK_MODEL);
      setGroup(ctx, (g) => {
        g.nodeGroup.imageId = "i-image-2";
        g.nodeGroup.userData = "#!/bin/sh\necho ready v2";
      });
    },
    check: (r, { emulator, eflo, engine, ids }) => {
      const step = groupStep(r)!;
      expect(step).toMatchObject({ op: "update", diffReasons: ["nodeGroup"] });
      expect(Object.keys(step.detailedDiff!).sort()).toEqual(["nodeGroup.imageId", "nodeGroup.userData"]);
      expect(currentId(engine)).toBe(ids[0]);
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([
        ["UpdateNodeGroup", { NodeGroupId: groupIdOf(ids[0]), ImageId: "i-image-2", UserData: "#!/bin/sh\necho ready v2" }],
      ]);
      // The update waited for its task: DescribeTask polled until execution_success, after the UpdateNodeGroup call.
      const tasks = eflo.admin.tasks();
      expect(tasks).toEqual([expect.objectContaining({ NodeGroupId: groupIdOf(ids[0]), TaskType: "update_node_group", TaskState: "execution_success" })]);
      const eflos = emulator.requests({ service: "eflo" }).map((q) => q.action);
      const polls = eflos.filter((a) => a === "DescribeTask").length;
      expect(polls).toBeGreaterThanOrEqual(2);
      expect(eflos.indexOf("DescribeTask")).toBeGreaterThan(eflos.indexOf("UpdateNodeGroup"));
      expect(r.hostOutput).toMatch(/TaskState=(waiting_to_run|running)/);
      expect(cloudGroups(eflo)[0]).toMatchObject({ ImageId: "i-image-2", UserData: "#!/bin/sh\necho ready v2" });
    },
  },
  {
    name: "invalid input: the preview fails with the property path and the rule, and calls no API",
    op: "preview",
    expectError: /property nodeGroup\.systemDisk\.performanceLevel value \{"PL3"\} has a problem: must be one of "PL0", "PL1"/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setGroup(ctx, (g) => (g.nodeGroup.systemDisk.performanceLevel = "PL3"));
    },
    check: (r, { emulator }) => {
      expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ urn: URN, source: "provider" });
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "key pair from another resource: unknown during the preview, no failure and no API call",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setGroup(ctx, (g) => (g.nodeGroup.systemDisk.performanceLevel = "PL0"));
      ctx.engine.setConfig("keyPairFromResource", true);
    },
    check: (r, { emulator }) => {
      const step = groupStep(r)!;
      expect(step.op).toBe("update");
      expect(step.new!.inputs.nodeGroup).toMatchObject({ keyPairName: UNKNOWN });
      expect(r.rendered).toMatch(/keyPairName\s*: "ml-team" => \[unknown\]/);
      expect(r.notes.join("\n")).toMatch(/simulated: alicloud:ecs\/ecsKeyPair:EcsKeyPair "lingjun-key"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "change machineType: replaced, the old group deleted before the new one is created (the name is kept)",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.engine.removeConfig("keyPairFromResource");
      setGroup(ctx, (g) => (g.nodeGroup.machineType = "efg3.C96cNHmcn"));
    },
    check: (r, { emulator, eflo, engine, ids }) => {
      const groupSteps = r.steps.filter((s) => s.type === NODEGROUP);
      expect(groupSteps.map((s) => s.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
      expect(groupSteps[1]).toMatchObject({ replaceReasons: ["nodeGroup.machineType"], deleteBeforeReplace: true });
      expect(groupSteps[1].detailedDiff).toMatchObject({ "nodeGroup.machineType": { kind: "update-replace" } });
      expect(r.json.steps!.find((s) => s.urn === URN)).toMatchObject({ op: "replace", replaceReasons: ["nodeGroup.machineType"] });
      expect(r.rendered).toMatch(/machineType\s*: "efg2.C48cNHmcn" => "efg3.C96cNHmcn"/);
      const id = currentId(engine)!;
      expect(id).not.toBe(last(ids));
      // Names are unique in a cluster: the old group goes first.
      expect(writes(emulator).map((q) => q.action)).toEqual(["DeleteNodeGroup", "CreateNodeGroup"]);
      expect(writes(emulator)[0].body).toMatchObject({ NodeGroupId: groupIdOf(last(ids)) });
      const groups = cloudGroups(eflo);
      expect(groups.map((g) => `${CLUSTER}:${g.NodeGroupId}`)).toEqual([id]);
      expect(groups[0]).toMatchObject({ MachineType: "efg3.C96cNHmcn", NodeGroupName: "gpu" });
      ids.push(id);
    },
  },
  {
    name: "node group deleted outside Pulumi: refresh removes it from the state",
    op: "refresh",
    prepare: ({ eflo, ids }) => eflo.admin.deleteGroup(CLUSTER, groupIdOf(last(ids))),
    check: (r, { engine }) => {
      expect(groupStep(r)).toMatchObject({ op: "refresh", refreshResult: "delete" });
      expect(r.changeSummary).toMatchObject({ delete: 1 });
      expect(currentId(engine)).toBeUndefined();
    },
  },
  {
    name: "the next up creates it again",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, eflo, engine, ids }) => {
      expect(groupStep(r)?.op).toBe("create");
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateNodeGroup"]);
      expect(cloudGroups(eflo)).toHaveLength(1);
      ids.push(currentId(engine)!);
    },
  },
  {
    name: "node group changed outside Pulumi: refresh shows the drift",
    op: "refresh",
    prepare: ({ eflo, ids }) =>
      eflo.admin.mutateGroup(CLUSTER, groupIdOf(last(ids)), (g) => {
        g.imageId = "i-rogue";
      }),
    check: (r, { engine }) => {
      expect(groupStep(r)).toMatchObject({ op: "refresh", refreshResult: "update" });
      expect(r.rendered).toMatch(/~ imageId\s*: "i-image-2" => "i-rogue"\n/);
      const state = engine.state().resources.find((x) => x.urn === URN)!;
      expect(state.inputs.nodeGroup).toMatchObject({ imageId: "i-rogue" });
    },
  },
  {
    name: "the next up repairs the drift with UpdateNodeGroup, sending only the image",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, eflo, ids }) => {
      expect(groupStep(r)).toMatchObject({ op: "update", detailedDiff: { "nodeGroup.imageId": { kind: "update" } } });
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([["UpdateNodeGroup", { NodeGroupId: groupIdOf(last(ids)), ImageId: "i-image-2" }]]);
      expect(cloudGroups(eflo)[0].ImageId).toBe("i-image-2");
    },
  },
  {
    name: "destroy: the state is empty and the cluster has no node group left",
    op: "destroy",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, eflo, ids }) => {
      expect(r.changeSummary).toEqual({ delete: 2 });
      expect(engine.state().resources).toEqual([]);
      expect(writes(emulator).map((q) => [q.action, q.body])).toEqual([["DeleteNodeGroup", expect.objectContaining({ NodeGroupId: groupIdOf(last(ids)) })]]);
      expect(cloudGroups(eflo)).toHaveLength(0);
    },
  },
];

describe("alicloud.eflo.NodeGroup lifecycle (test engine + emulator)", () => {
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    emulator.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: CLUSTER, region: REGION, name: "lingjun-a" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "eflo-lifecycle-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("create, update with its task wait, invalid input, unknowns, replace, drift, destroy", async () => {
    const group = baseGroup();
    const engine = new TestEngine({
      programDir: PROGRAM,
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        group,
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": REGION,
        "nodepools:endpoints": { "eflo-controller": emulator.endpoint },
      },
      secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret, loginPassword: LOGIN_PASSWORD },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const eflo = emulator.service<EfloNodeGroupService>("eflo");
    const timings: string[] = [];
    await runSteps(engine, { engine, emulator, eflo, group, ids: [] }, steps, (line) => timings.push(line));
    // Secret config stays encrypted in the state.
    expect(engine.rawState()).not.toContain(LOGIN_PASSWORD);
    expect(engine.rawState()).not.toContain(emulator.credentials.accessKeySecret);
    if (process.env.LIFECYCLE_TIMINGS) console.log(timings.join("\n"));
  });
});
