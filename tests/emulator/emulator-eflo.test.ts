/**
 * The cloud emulator's eflo-controller (2022-12-15) node-group model, exercised over real HTTP with the small V3-signed
 * client (form-body RPC, as the eflo SDK sends it) and with the official generic client `@alicloud/openapi-client`.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import { FakeClock } from "../../provider/core/clock";
import { CloudEmulator, EmulatorClient, REDACTED, type RawResponse } from "../../provider/emulator";
import {
  EFLO_CODES,
  EFLO_MESSAGES,
  EFLO_VERSION,
  type EfloNodeGroupService,
} from "../../provider/emulator/services/eflo-nodegroup";

const CLUSTER = "i118191731740041623425";
const OTHER_CLUSTER = "i118191731740041620000";
const UNKNOWN_CLUSTER = "i999999999999999999999";
const PASSWORD = "Sup3r-Secret!pw";

type Body = Record<string, any>;

function groupParams(name = "gpu-group", changes: Body = {}, cluster = CLUSTER): Body {
  return {
    ClusterId: cluster,
    NodeGroup: {
      Az: "cn-wulanchabu-b",
      NodeGroupName: name,
      MachineType: "efg2.C48cNHmcn",
      ImageId: "i191887641687336652616",
      LoginPassword: PASSWORD,
      SystemDisk: { Category: "cloud_essd", Size: 1000, PerformanceLevel: "PL1" },
      ...changes,
    },
  };
}

function efloApi(client: EmulatorClient, placement: "form" | "query" = "form") {
  const call = (action: string, params: Body) => client.rpc({ action, version: EFLO_VERSION, params, placement });
  return {
    call,
    create: (params: Body) => call("CreateNodeGroup", params),
    list: (params: Body = { ClusterId: CLUSTER }) => call("ListNodeGroups", params),
    describe: (id: string) => call("DescribeNodeGroup", { NodeGroupId: id }),
    update: (id: string, params: Body) => call("UpdateNodeGroup", { NodeGroupId: id, ...params }),
    task: (taskId: string) => call("DescribeTask", { TaskId: taskId }),
    remove: (id: string, cluster = CLUSTER) => call("DeleteNodeGroup", { ClusterId: cluster, NodeGroupId: id }),
  };
}

function expectError(r: RawResponse, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code });
  if (message) expect(r.json.Message).toMatch(message);
  expect(r.json.RequestId).toBe(r.headers["x-acs-request-id"]);
  expect(r.json.Recommend).toContain("product=eflo-controller");
}

let emulator: CloudEmulator;
let client: EmulatorClient;
let api: ReturnType<typeof efloApi>;
const eflo = () => emulator.service<EfloNodeGroupService>("eflo").admin;

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  client = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
  api = efloApi(client);
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  eflo().seedCluster({ clusterId: CLUSTER, name: "lingjun-a" });
  eflo().seedCluster({ clusterId: OTHER_CLUSTER, region: "cn-beijing" });
});

async function createGroup(name = "gpu-group", changes: Body = {}): Promise<string> {
  const r = await api.create(groupParams(name, changes));
  expect(r.status).toBe(200);
  return r.json.NodeGroupId;
}

describe("node group lifecycle", () => {
  it("creates a group synchronously and answers with its id, its name and the request id", async () => {
    const r = await api.create(groupParams());
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ RequestId: r.headers["x-acs-request-id"], NodeGroupId: expect.stringMatching(/^ng-[0-9a-f]{16}$/), NodeGroupName: "gpu-group" });
    expect((await api.list()).json.Groups.map((g: Body) => g.GroupId)).toEqual([r.json.NodeGroupId]);
  });

  it("accepts the parameters in the query as well as in a form body", async () => {
    const r = await efloApi(client, "query").create(groupParams("from-query"));
    expect(r.status).toBe(200);
    expect(eflo().groups(CLUSTER).map((g) => g.NodeGroupName)).toEqual(["from-query"]);
  });

  it("describes a group with NodeCount as a string, the system disk, the login type and never the password", async () => {
    const id = await createGroup("gpu-group", { KeyPairName: "ml-team", RamRoleName: "lingjun-role", UserData: "#!/bin/sh\necho hi", NodeGroupDescription: "GPU nodes" });
    const r = await api.describe(id);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      RequestId: r.headers["x-acs-request-id"],
      NodeGroupId: id,
      NodeGroupName: "gpu-group",
      NodeGroupDescription: "GPU nodes",
      ClusterId: CLUSTER,
      ClusterName: "lingjun-a",
      Az: "cn-wulanchabu-b",
      MachineType: "efg2.C48cNHmcn",
      ImageId: "i191887641687336652616",
      ImageName: expect.any(String),
      KeyPairName: "ml-team",
      LoginType: "KeyPair",
      NodeCount: "0",
      RamRoleName: "lingjun-role",
      SystemDisk: { Category: "cloud_essd", Size: 1000, PerformanceLevel: "PL1" },
      UserData: "#!/bin/sh\necho hi",
      FileSystemMountEnabled: false,
      VirtualGpuEnabled: false,
      CreateTime: expect.any(String),
      UpdateTime: expect.any(String),
    });
    expect(JSON.stringify(r.json)).not.toContain(PASSWORD);
    expect(r.json).not.toHaveProperty("LoginPassword");
  });

  it("lists groups with NodeCount as a number and the list's own field names, filtered by cluster and group", async () => {
    const a = await createGroup("a", { NodeGroupDescription: "first", VirtualGpuEnabled: true });
    const b = await createGroup("b");
    const all = await api.list();
    expect(all.json.Groups.map((g: Body) => g.GroupName)).toEqual(["a", "b"]);
    expect(all.json.Groups[0]).toMatchObject({
      GroupId: a,
      GroupName: "a",
      ClusterId: CLUSTER,
      ClusterName: "lingjun-a",
      ZoneId: "cn-wulanchabu-b",
      Description: "first",
      MachineType: "efg2.C48cNHmcn",
      NodeCount: 0,
      VirtualGpuEnabled: true,
      FileSystemMountEnabled: false,
    });
    expect(all.json).not.toHaveProperty("NextToken");
    const one = await api.list({ ClusterId: CLUSTER, NodeGroupId: b });
    expect(one.json.Groups.map((g: Body) => g.GroupId)).toEqual([b]);
    const none = await api.list({ ClusterId: CLUSTER, NodeGroupId: "ng-0000000000000000" });
    expect(none.json.Groups).toEqual([]);
    expect((await api.list({ ClusterId: OTHER_CLUSTER })).json.Groups).toEqual([]);
  });

  it("pages with MaxResults and NextToken until no token is returned", async () => {
    for (const n of ["g1", "g2", "g3", "g4", "g5"]) await createGroup(n);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await api.list({ ClusterId: CLUSTER, MaxResults: 2, NextToken: token });
      expect(r.status).toBe(200);
      expect(r.json.Groups.length).toBeLessThanOrEqual(2);
      seen.push(...r.json.Groups.map((g: Body) => g.GroupName));
      token = r.json.NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(["g1", "g2", "g3", "g4", "g5"]);
    expect(pages).toBe(3);
  });

  it("updates through a task and applies the changes when the task succeeds", async () => {
    const id = await createGroup("gpu-group", { RamRoleName: "role-a" });
    const r = await api.update(id, {
      NewNodeGroupName: "renamed",
      ImageId: "i-new-image",
      KeyPairName: "kp-2",
      UserData: "echo new",
      RamRoleName: "role-b",
      FileSystemMountEnabled: true,
      SystemDisk: { Size: 2000 },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ RequestId: r.headers["x-acs-request-id"], TaskId: expect.stringMatching(/^i\d{21}$/) });
    const task = await api.task(r.json.TaskId);
    expect(task.json).toMatchObject({ TaskState: "execution_success", ClusterId: CLUSTER, ClusterName: "lingjun-a", TaskType: expect.any(String) });
    expect(task.json).not.toHaveProperty("Message");
    const g = (await api.describe(id)).json;
    expect(g).toMatchObject({
      NodeGroupName: "renamed",
      ImageId: "i-new-image",
      KeyPairName: "kp-2",
      UserData: "echo new",
      RamRoleName: "role-b",
      FileSystemMountEnabled: true,
      // SystemDisk members that were not sent keep their values.
      SystemDisk: { Category: "cloud_essd", Size: 2000, PerformanceLevel: "PL1" },
    });
  });

  it("keeps the RAM role when RamRoleName is sent empty: a role cannot be removed by clearing it", async () => {
    const id = await createGroup("gpu-group", { RamRoleName: "role-a" });
    expect((await api.update(id, { RamRoleName: "" })).status).toBe(200);
    expect((await api.describe(id)).json.RamRoleName).toBe("role-a");
  });

  it("deletes a group, after which every group operation answers not found", async () => {
    const id = await createGroup();
    const r = await api.remove(id);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ RequestId: r.headers["x-acs-request-id"] });
    expectError(await api.describe(id), 404, EFLO_CODES.nodeGroupNotFound, new RegExp(id));
    expect((await api.list({ ClusterId: CLUSTER, NodeGroupId: id })).json.Groups).toEqual([]);
  });

  it("refuses to delete a group that still has nodes", async () => {
    const id = await createGroup();
    eflo().mutateGroup(CLUSTER, id, (g) => (g.nodeCount = 2));
    expectError(await api.remove(id), 400, EFLO_CODES.notEmpty, /2 node/);
    expect((await api.describe(id)).json.NodeCount).toBe("2");
    expect((await api.list()).json.Groups[0].NodeCount).toBe(2);
  });
});

describe("task progression", () => {
  it("moves a task from waiting_to_run to running to execution_success over the configured polls", async () => {
    emulator.setProgression({ kind: "polls", count: 1 });
    const id = await createGroup();
    const { TaskId } = (await api.update(id, { ImageId: "i-next" })).json;
    const states: string[] = [];
    for (let i = 0; i < 5; i++) states.push((await api.task(TaskId)).json.TaskState);
    expect(states).toEqual(["waiting_to_run", "running", "running", "execution_success", "execution_success"]);
    expect((await api.describe(id)).json.ImageId).toBe("i-next");
  });

  it("applies nothing before the task succeeds and moves it only when advanced under manual progression", async () => {
    emulator.setProgression({ kind: "manual" });
    const id = await createGroup();
    const { TaskId } = (await api.update(id, { NewNodeGroupName: "later" })).json;
    expect((await api.task(TaskId)).json.TaskState).toBe("waiting_to_run");
    expect(eflo().advance()).toBe(1);
    expect((await api.task(TaskId)).json.TaskState).toBe("running");
    expect((await api.describe(id)).json.NodeGroupName).toBe("gpu-group");
    eflo().advance();
    expect((await api.task(TaskId)).json.TaskState).toBe("execution_success");
    expect((await api.describe(id)).json.NodeGroupName).toBe("later");
  });

  it("fails the next update when told to, with the reason as Message and no change applied", async () => {
    const id = await createGroup();
    eflo().failNextUpdate("image i-bad is not compatible with the machine type");
    const { TaskId } = (await api.update(id, { ImageId: "i-bad" })).json;
    expect((await api.task(TaskId)).json).toMatchObject({ TaskState: "execution_fail", Message: "image i-bad is not compatible with the machine type" });
    expect((await api.describe(id)).json.ImageId).toBe("i191887641687336652616");
    // Only the next update fails.
    const second = (await api.update(id, { ImageId: "i-good" })).json.TaskId;
    expect((await api.task(second)).json.TaskState).toBe("execution_success");
  });

  it("refuses another update and the delete while a task is unfinished", async () => {
    emulator.setProgression({ kind: "manual" });
    const id = await createGroup();
    const { TaskId } = (await api.update(id, { ImageId: "i-next" })).json;
    expectError(await api.update(id, { ImageId: "i-other" }), 400, EFLO_CODES.busy, new RegExp(TaskId));
    expectError(await api.remove(id), 400, EFLO_CODES.busy);
    eflo().advance();
    eflo().advance();
    expect((await api.remove(id)).status).toBe(200);
  });

  it("completes a task after the configured time on the injected clock", async () => {
    const clock = new FakeClock(Date.now());
    const timed = await CloudEmulator.start({ clock, progression: { kind: "time", ms: 60_000 } });
    try {
      timed.service<EfloNodeGroupService>("eflo-controller").admin.seedCluster({ clusterId: CLUSTER });
      const t = efloApi(new EmulatorClient({ endpoint: timed.endpoint, ...timed.credentials, clock }));
      const id = (await t.create(groupParams())).json.NodeGroupId;
      const { TaskId } = (await t.update(id, { ImageId: "i-next" })).json;
      expect((await t.task(TaskId)).json.TaskState).toBe("waiting_to_run");
      clock.advance(60_000);
      expect((await t.task(TaskId)).json.TaskState).toBe("running");
      clock.advance(60_000);
      expect((await t.task(TaskId)).json.TaskState).toBe("execution_success");
    } finally {
      await timed.stop();
    }
  });

  it("fails a running task when its group is deleted out of band", async () => {
    emulator.setProgression({ kind: "manual" });
    const id = await createGroup();
    const { TaskId } = (await api.update(id, { ImageId: "i-next" })).json;
    eflo().deleteGroup(CLUSTER, id);
    expect((await api.task(TaskId)).json).toMatchObject({ TaskState: "execution_fail", Message: expect.stringMatching(new RegExp(id)) });
  });
});

describe("validation", () => {
  const cases: Array<[string, Body, string, RegExp]> = [
    ["a missing ClusterId", { NodeGroup: groupParams().NodeGroup }, "MissingParameter", /"ClusterId"/],
    ["a missing NodeGroup", { ClusterId: CLUSTER }, "MissingParameter", /"NodeGroup"/],
    ["a missing NodeGroup.Az", groupParams("x", { Az: undefined }), "MissingParameter", /"NodeGroup\.Az"/],
    ["an empty NodeGroup.NodeGroupName", groupParams(""), "MissingParameter", /"NodeGroup\.NodeGroupName"/],
    ["a missing NodeGroup.MachineType", groupParams("x", { MachineType: undefined }), "MissingParameter", /"NodeGroup\.MachineType"/],
    ["a missing NodeGroup.ImageId", groupParams("x", { ImageId: undefined }), "MissingParameter", /"NodeGroup\.ImageId"/],
    ["a system disk category other than cloud_essd", groupParams("x", { SystemDisk: { Category: "cloud_ssd" } }), "InvalidParameter", /NodeGroup\.SystemDisk\.Category.*cloud_essd/],
    ["a performance level other than PL0 or PL1", groupParams("x", { SystemDisk: { PerformanceLevel: "PL2" } }), "InvalidParameter", /NodeGroup\.SystemDisk\.PerformanceLevel.*PL0, PL1/],
    ["a fractional system disk size", groupParams("x", { SystemDisk: { Size: 10.5 } }), "InvalidParameter", /NodeGroup\.SystemDisk\.Size/],
    ["a system disk that is not an object", groupParams("x", { SystemDisk: "big" }), "InvalidParameter", /NodeGroup\.SystemDisk/],
    ["a VirtualGpuEnabled that is not a boolean", groupParams("x", { VirtualGpuEnabled: "yes" }), "InvalidParameter", /NodeGroup\.VirtualGpuEnabled/],
    ["a NodeUnit that is not an object", { ...groupParams("x"), NodeUnit: [1, 2] }, "InvalidParameter", /NodeUnit/],
  ];

  it.each(cases)("answers 400 %s, naming the parameter", async (_name, params, code, message) => {
    expectError(await api.create(params), 400, code, message);
    expect(eflo().groups()).toHaveLength(0);
  });

  it("answers InvalidParameter for a NodeGroup that is not JSON", async () => {
    expectError(await api.call("CreateNodeGroup", { ClusterId: CLUSTER, NodeGroup: "{not json" }), 400, "InvalidParameter", /NodeGroup/);
  });

  it("stores NodeUnit as sent and shows it to the admin only", async () => {
    const nodeUnit = { NodeUnitId: "3c2999a8-2b95-4409-93c5-ad3985fc5c9f", ResourceGroupId: "", MaxNodes: 0, NodeUnitName: "unit-a" };
    const id = (await api.create({ ...groupParams(), NodeUnit: nodeUnit })).json.NodeGroupId;
    expect(eflo().groups(CLUSTER)[0].NodeUnit).toEqual(nodeUnit);
    expect((await api.describe(id)).json).not.toHaveProperty("NodeUnit");
  });

  it("answers 400 for MaxResults outside 1-100 and for a NextToken it did not issue", async () => {
    expectError(await api.list({ ClusterId: CLUSTER, MaxResults: 0 }), 400, "InvalidParameter", /MaxResults/);
    expectError(await api.list({ ClusterId: CLUSTER, MaxResults: 101 }), 400, "InvalidParameter", /MaxResults/);
    expectError(await api.list({ ClusterId: CLUSTER, NextToken: "bogus" }), 400, "InvalidParameter", /NextToken/);
  });

  it("validates UpdateNodeGroup's parameters and requires NodeGroupId", async () => {
    const id = await createGroup();
    expectError(await api.update(id, { FileSystemMountEnabled: "maybe" }), 400, "InvalidParameter", /FileSystemMountEnabled/);
    expectError(await api.update(id, { SystemDisk: { Category: "cloud" } }), 400, "InvalidParameter", /SystemDisk\.Category/);
    expectError(await api.call("UpdateNodeGroup", { ImageId: "i-x" }), 400, "MissingParameter", /"NodeGroupId"/);
    expectError(await api.call("DescribeTask", {}), 400, "MissingParameter", /"TaskId"/);
  });

  it("answers NodeGroupName.Duplicate when the name is taken in the cluster, also for a rename", async () => {
    await createGroup("taken");
    expectError(await api.create(groupParams("taken")), 400, EFLO_CODES.nameTaken, new RegExp(EFLO_MESSAGES.nameTaken("taken", CLUSTER).replace(/\./g, "\\.")));
    const other = await createGroup("other");
    expectError(await api.update(other, { NewNodeGroupName: "taken" }), 400, EFLO_CODES.nameTaken);
    // The same name is free in another cluster.
    expect((await api.create(groupParams("taken", {}, OTHER_CLUSTER))).status).toBe(200);
  });
});

describe("not-found answers, regions and accounts", () => {
  it("answers 404 ClusterNotFound for an unknown cluster on create and list", async () => {
    expectError(await api.create(groupParams("x", {}, UNKNOWN_CLUSTER)), 404, EFLO_CODES.clusterNotFound, new RegExp(UNKNOWN_CLUSTER));
    expectError(await api.list({ ClusterId: UNKNOWN_CLUSTER }), 404, EFLO_CODES.clusterNotFound);
  });

  it("answers 404 NodeGroupNotFound on describe, update and delete of an unknown group, and 404 for an unknown task", async () => {
    const id = "ng-0000000000000000";
    for (const r of [await api.describe(id), await api.update(id, { ImageId: "i" }), await api.remove(id)]) {
      expectError(r, 404, EFLO_CODES.nodeGroupNotFound, new RegExp(id));
    }
    expectError(await api.task("i100000000000000000000"), 404, EFLO_CODES.taskNotFound);
  });

  it("hides a cluster from a request whose RegionId names another region", async () => {
    expectError(await api.list({ ClusterId: CLUSTER, RegionId: "cn-beijing" }), 404, EFLO_CODES.clusterNotFound);
    expect((await api.list({ ClusterId: OTHER_CLUSTER, RegionId: "cn-beijing" })).status).toBe(200);
  });

  it("keeps accounts apart", async () => {
    const two = await CloudEmulator.start({
      accounts: [
        { accessKeyId: "LTAI-one", accessKeySecret: "secret-one", accountId: "1" },
        { accessKeyId: "LTAI-two", accessKeySecret: "secret-two", accountId: "2" },
      ],
    });
    try {
      two.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: CLUSTER, accountId: "1" });
      const one = efloApi(new EmulatorClient({ endpoint: two.endpoint, accessKeyId: "LTAI-one", accessKeySecret: "secret-one" }));
      const other = efloApi(new EmulatorClient({ endpoint: two.endpoint, accessKeyId: "LTAI-two", accessKeySecret: "secret-two" }));
      expect((await one.list()).status).toBe(200);
      expectError(await other.list(), 404, EFLO_CODES.clusterNotFound);
    } finally {
      await two.stop();
    }
  });
});

describe("routing, signatures, faults and the request log", () => {
  it("is served as eflo with the alias eflo-controller, RPC, version 2022-12-15", () => {
    const d = emulator.describeServices().find((s) => s.name === "eflo");
    expect(d).toMatchObject({ product: "eflo-controller", version: EFLO_VERSION, style: "RPC" });
    expect(d?.actions.sort()).toEqual(["CreateNodeGroup", "DeleteNodeGroup", "DescribeNodeGroup", "DescribeTask", "ListNodeGroups", "UpdateNodeGroup"]);
    expect(emulator.service("eflo-controller")).toBe(emulator.service("eflo"));
  });

  it("answers InvalidVersion, InvalidAction.NotFound and NotImplemented in RPC style", async () => {
    const version = await client.rpc({ action: "ListNodeGroups", version: "2018-01-01", params: {}, placement: "form" });
    expect([version.status, version.json.Code]).toEqual([400, "InvalidVersion"]);
    expectError(await api.call("NoSuchAction", {}), 404, "InvalidAction.NotFound");
    expectError(await api.call("ExtendCluster", {}), 501, "NotImplemented", /ExtendCluster/);
  });

  it("rejects a request signed with a wrong secret", async () => {
    const bad = await efloApi(client.with({ accessKeySecret: "wrong" })).list();
    expect([bad.status, bad.json.Code]).toEqual([400, "SignatureDoesNotMatch"]);
    expect(bad.json).toHaveProperty("Recommend");
  });

  it("answers Throttling.User with x-acs-retry-after once an action exceeds the rate set under the alias", async () => {
    emulator.setRateLimit({ service: "eflo-controller", perSecond: 1, actions: ["ListNodeGroups"] });
    expect((await api.list()).status).toBe(200);
    const r = await api.list();
    expect([r.status, r.json.Code]).toEqual([400, "Throttling.User"]);
    expect(Number(r.headers["x-acs-retry-after"])).toBeGreaterThan(0);
    expect((await api.describe("ng-x")).json.Code).toBe(EFLO_CODES.nodeGroupNotFound);
  });

  it("answers an injected fault in RPC style, then the real handler answers again", async () => {
    emulator.injectFault({ service: "eflo-controller", action: "ListNodeGroups", status: 503, code: "ServiceUnavailable" });
    expectError(await api.list(), 503, "ServiceUnavailable");
    expect((await api.list()).status).toBe(200);
  });

  it("records requests with the password redacted inside the NodeGroup JSON form parameter", async () => {
    const id = await createGroup();
    await api.update(id, { LoginPassword: "An0ther-Secret" });
    const log = emulator.requests({ service: "eflo-controller" });
    expect(log.map((r) => [r.service, r.action, r.status])).toEqual([
      ["eflo", "CreateNodeGroup", 200],
      ["eflo", "UpdateNodeGroup", 200],
    ]);
    const create = log[0].body as Body;
    expect(JSON.parse(create.NodeGroup).LoginPassword).toBe(REDACTED);
    expect(JSON.parse(create.NodeGroup).NodeGroupName).toBe("gpu-group");
    expect((log[1].body as Body).LoginPassword).toBe(REDACTED);
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
    expect(JSON.stringify(log)).not.toContain("An0ther-Secret");
    expect(log[0].headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });
});

describe("admin access", () => {
  it("shows out-of-band changes made with mutateGroup and bumps UpdateTime", async () => {
    const id = await createGroup();
    const before = (await api.describe(id)).json.UpdateTime;
    await new Promise((r) => setTimeout(r, 5));
    eflo().mutateGroup(CLUSTER, id, (g) => {
      g.imageId = "i-drifted";
      g.ramRoleName = "console-role";
    });
    const after = (await api.describe(id)).json;
    expect(after).toMatchObject({ ImageId: "i-drifted", RamRoleName: "console-role" });
    expect(after.UpdateTime > before).toBe(true);
  });

  it("makes a group disappear with deleteGroup", async () => {
    const id = await createGroup();
    eflo().deleteGroup(CLUSTER, id);
    expectError(await api.describe(id), 404, EFLO_CODES.nodeGroupNotFound);
    expect(() => eflo().deleteGroup(CLUSTER, id)).toThrow(/no node group/);
  });

  it("drops clusters, groups, tasks and a pending failure on reset", async () => {
    const id = await createGroup();
    await api.update(id, { ImageId: "i-2" });
    eflo().failNextUpdate();
    emulator.reset();
    expect(eflo().clusters()).toEqual([]);
    expect(eflo().groups()).toEqual([]);
    expect(eflo().tasks()).toEqual([]);
    eflo().seedCluster({ clusterId: CLUSTER });
    const again = await createGroup();
    const { TaskId } = (await api.update(again, { ImageId: "i-3" })).json;
    expect((await api.task(TaskId)).json.TaskState).toBe("execution_success");
  });

  it("serves its admin routes under /_emulator/eflo", async () => {
    expect((await client.admin("POST", "/eflo/clusters", { clusterId: "i-new", region: "cn-shanghai" })).json).toMatchObject({ clusterId: "i-new", regionId: "cn-shanghai" });
    expect((await client.admin("GET", "/eflo/clusters")).json.map((c: Body) => c.clusterId).sort()).toEqual([OTHER_CLUSTER, CLUSTER, "i-new"].sort());
    const id = await createGroup();
    expect((await client.admin("GET", `/eflo/groups?clusterId=${CLUSTER}`)).json).toEqual([expect.objectContaining({ NodeGroupId: id, ClusterId: CLUSTER })]);
    const patched = await client.admin("PATCH", `/eflo/groups/${CLUSTER}/${id}`, { imageId: "i-patched", nodeCount: 1 });
    expect(patched.json).toMatchObject({ ImageId: "i-patched", NodeCount: "1" });
    expect((await client.admin("PATCH", `/eflo/groups/${CLUSTER}/${id}`, { colour: "red" })).status).toBe(400);
    await client.admin("POST", "/eflo/fail-next-update", { reason: "boom" });
    emulator.setProgression({ kind: "manual" });
    const { TaskId } = (await api.update(id, { ImageId: "i-4" })).json;
    expect((await client.admin("POST", "/eflo/advance")).json).toEqual({ advanced: 1 });
    expect((await client.admin("POST", "/eflo/advance")).json).toEqual({ advanced: 1 });
    expect((await client.admin("GET", "/eflo/tasks")).json).toEqual([expect.objectContaining({ TaskId, TaskState: "execution_fail", Message: "boom" })]);
    expect((await client.admin("DELETE", `/eflo/groups/${CLUSTER}/${id}`)).status).toBe(200);
    expect(eflo().groups(CLUSTER)).toEqual([]);
  });
});

describe("the official generic client (@alicloud/openapi-client) against the emulator", () => {
  /** Calls an eflo-controller action the way the eflo SDK does: RPC, POST /, parameters in a form body. */
  async function sdkCall(sdk: OpenApi, action: string, body: Record<string, string>): Promise<{ body: Body; statusCode: number }> {
    const params = new $OpenApi.Params({
      action,
      version: EFLO_VERSION,
      protocol: "HTTP",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const r = await sdk.callApi(params, new $OpenApi.OpenApiRequest({ body }), {} as any);
    return { body: r.body as Body, statusCode: r.statusCode as number };
  }

  function sdk(): OpenApi {
    return new OpenApi(
      new $OpenApi.Config({
        accessKeyId: emulator.credentials.accessKeyId,
        accessKeySecret: emulator.credentials.accessKeySecret,
        endpoint: new URL(emulator.endpoint).host,
        protocol: "http",
        regionId: "cn-wulanchabu",
      }),
    );
  }

  it("creates, lists, describes, updates, polls and deletes a node group with form-body RPC", async () => {
    const c = sdk();
    const created = await sdkCall(c, "CreateNodeGroup", {
      ClusterId: CLUSTER,
      NodeGroup: JSON.stringify({ Az: "cn-wulanchabu-b", NodeGroupName: "sdk-group", MachineType: "efg2", ImageId: "i-1", LoginPassword: PASSWORD, SystemDisk: { Size: 500 } }),
      NodeUnit: JSON.stringify({ NodeUnitName: "unit a+b", MaxNodes: 0 }),
    });
    expect(created.statusCode).toBe(200);
    const id = created.body.NodeGroupId;
    expect(id).toMatch(/^ng-/);

    const listed = await sdkCall(c, "ListNodeGroups", { ClusterId: CLUSTER, NodeGroupId: id });
    expect(listed.body.Groups.map((g: Body) => g.GroupName)).toEqual(["sdk-group"]);

    const described = await sdkCall(c, "DescribeNodeGroup", { NodeGroupId: id });
    expect(described.body).toMatchObject({ NodeGroupName: "sdk-group", NodeCount: "0", SystemDisk: { Size: 500 }, LoginType: "Password" });

    const updated = await sdkCall(c, "UpdateNodeGroup", { NodeGroupId: id, NewNodeGroupName: "sdk group 2", FileSystemMountEnabled: "true", SystemDisk: JSON.stringify({ Size: 800 }) });
    const task = await sdkCall(c, "DescribeTask", { TaskId: updated.body.TaskId });
    expect(task.body.TaskState).toBe("execution_success");
    expect((await sdkCall(c, "DescribeNodeGroup", { NodeGroupId: id })).body).toMatchObject({ NodeGroupName: "sdk group 2", FileSystemMountEnabled: true, SystemDisk: { Size: 800 } });

    expect((await sdkCall(c, "DeleteNodeGroup", { ClusterId: CLUSTER, NodeGroupId: id })).statusCode).toBe(200);
    await expect(sdkCall(c, "DescribeNodeGroup", { NodeGroupId: id })).rejects.toMatchObject({ code: EFLO_CODES.nodeGroupNotFound, statusCode: 404 });

    const log = emulator.requests({ service: "eflo" });
    expect(log.every((r) => r.headers["content-type"] === "application/x-www-form-urlencoded")).toBe(true);
    expect(JSON.parse((log[0].body as Body).NodeGroup).LoginPassword).toBe(REDACTED);
    expect(eflo().groups()).toEqual([]);
  });

  it("surfaces a validation error with the emulator's code and message", async () => {
    await expect(sdkCall(sdk(), "CreateNodeGroup", { ClusterId: CLUSTER, NodeGroup: JSON.stringify({ Az: "z" }) })).rejects.toMatchObject({
      code: "MissingParameter",
      statusCode: 400,
      message: expect.stringContaining("NodeGroup.NodeGroupName"),
    });
  });
});
