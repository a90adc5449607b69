/**
 * The cloud emulator's ENS (2017-11-10, RPC) node pool model over real HTTP: with a small V3-signed client placing the
 * parameters in the query (as the ENS SDK does) or a form body, and with the official generic client
 * `@alicloud/openapi-client` calling it through `callApi`.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import { CloudEmulator, EmulatorClient, REDACTED, type RawResponse } from "../../provider/emulator";
import {
  ENS_DEFAULT_REGION,
  ENS_MASKED_PASSWORD,
  ENS_RATE_LIMITED_ACTIONS,
  ENS_SERVER_DEFAULTS,
  ENS_VERSION,
  type EnsService,
} from "../../provider/emulator/services/ens-nodepool";

const CLUSTER = "eck-d2666c5f";
const OTHER_CLUSTER = "eck-0a1b2c3d";
const PASSWORD = "Edge-Passw0rd!";

type Params = Record<string, any>;

function scalingGroup(changes: Params = {}): Params {
  return {
    DesiredSize: 2,
    KeyPairName: "edge-key",
    VswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
    InstanceChargeType: "PostPaid",
    InstanceTypes: ["ens.sn1.small"],
    SystemDiskCategory: "cloud_efficiency",
    SystemDiskSize: 80,
    ImageId: "m-6734fzvcwcv2o8jj201cpa7ox",
    DataDisks: [{ Category: "cloud_efficiency", Size: 80 }],
    ...changes,
  };
}

function createParams(name = "edge", sg: Params = {}, cluster = CLUSTER): Params {
  return { ClusterId: cluster, NodepoolInfo: { Name: name }, ScalingGroup: scalingGroup(sg), KubernetesConfig: { UserData: "ZWNobyBvawo=" } };
}

function ensApi(client: EmulatorClient) {
  const call = (action: string, params: Params, placement: "query" | "form" = "query") => client.rpc({ action, version: ENS_VERSION, params, placement });
  return {
    call,
    create: (params: Params, placement?: "query" | "form") => call("CreateClusterNodePool", params, placement),
    list: (page = 1, size = 10, cluster = CLUSTER) => call("DescribeClusterNodePools", { ClusterId: cluster, PageNumber: page, PageSize: size }),
    modify: (id: string, sections: Params, cluster = CLUSTER) => call("ModifyClusterNodePool", { ClusterId: cluster, NodepoolInfo: { NodepoolId: id }, ...sections }),
    scale: (id: string, count: unknown, cluster = CLUSTER) => call("ScaleClusterNodePool", { ClusterId: cluster, NodepoolId: id, Body: { Count: count } }),
    remove: (id: string, cluster = CLUSTER) => call("DeleteClusterNodePool", { ClusterId: cluster, NodepoolId: id }),
  };
}

function expectError(r: RawResponse, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code });
  if (message) expect(r.json.Message).toMatch(message);
  expect(r.json.RequestId).toBe(r.headers["x-acs-request-id"]);
}

let emulator: CloudEmulator;
let client: EmulatorClient;
let api: ReturnType<typeof ensApi>;
let ens: EnsService;

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  client = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
  api = ensApi(client);
  ens = emulator.service<EnsService>("ens");
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  ens.admin.seedCluster({ clusterId: CLUSTER });
  ens.admin.seedCluster({ clusterId: OTHER_CLUSTER, ensRegionId: "cn-beijing-15" });
});

async function createPool(name = "edge", sg: Params = {}): Promise<string> {
  const r = await api.create(createParams(name, sg));
  expect(r.status).toBe(200);
  return r.json.Nodepool.NodepoolInfo.NodepoolId;
}

const listed = async (cluster = CLUSTER) => (await api.list(1, 100, cluster)).json.NodePools as Params[];
const poolById = async (id: string) => (await listed()).find((p) => p.NodepoolInfo.NodepoolId === id);

describe("ENS node pool lifecycle with immediate progression", () => {
  it("creates a pool from query parameters and answers with the pool, an np-prefixed id and the request id", async () => {
    const r = await api.create(createParams());
    expect(r.status).toBe(200);
    expect(r.json.RequestId).toBe(r.headers["x-acs-request-id"]);
    expect(r.json.Nodepool).toEqual({
      ClusterId: CLUSTER,
      NodepoolInfo: { Name: "edge", EnsRegionId: ENS_DEFAULT_REGION, NodepoolId: expect.stringMatching(/^np[0-9a-f]{32}$/) },
      ScalingGroup: {
        KeyPairName: "edge-key",
        VswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
        InstanceChargeType: "PostPaid",
        InstanceTypes: ["ens.sn1.small"],
        SystemDiskCategory: "cloud_efficiency",
        SystemDiskSize: 80,
        ImageId: "m-6734fzvcwcv2o8jj201cpa7ox",
        DataDisks: [{ Category: "cloud_efficiency", Size: 80 }],
      },
      KubernetesConfig: { UserData: "ZWNobyBvawo=" },
      Status: { State: "active", TotalNodes: 2, DesiredNodes: 2, ServingNodes: 2, InitialNodes: 0, RemovingNodes: 0, FailedNodes: 0 },
    });
  });

  it("accepts the parameters in a form body as well", async () => {
    const r = await api.create(createParams("form-pool"), "form");
    expect(r.status).toBe(200);
    expect((await listed()).map((p) => p.NodepoolInfo.Name)).toEqual(["form-pool"]);
  });

  it("fills server defaults for omitted optional fields and masks the password", async () => {
    const id = await createPool("pw", { KeyPairName: undefined, Password: PASSWORD, InstanceChargeType: undefined, SystemDiskCategory: undefined, SystemDiskSize: undefined, DataDisks: undefined });
    const p = await poolById(id);
    expect(p!.ScalingGroup).toMatchObject({ ...ENS_SERVER_DEFAULTS, DataDisks: [], Password: ENS_MASKED_PASSWORD });
    expect(p!.ScalingGroup).not.toHaveProperty("KeyPairName");
    expect(JSON.stringify(await api.list())).not.toContain(PASSWORD);
  });

  it("pages DescribeClusterNodePools with PageNumber and PageSize and reports TotalCount", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) await createPool(n);
    const pages = await Promise.all([1, 2, 3, 4].map((n) => api.list(n, 2)));
    expect(pages.map((r) => r.json.NodePools.map((p: Params) => p.NodepoolInfo.Name))).toEqual([["a", "b"], ["c", "d"], ["e"], []]);
    expect(pages.map((r) => r.json.Page)).toEqual([1, 2, 3, 4].map((n) => ({ PageNumber: n, PageSize: 2, TotalCount: 5 })));
    expect((await listed(OTHER_CLUSTER)).length).toBe(0);
  });

  it("modifies the modifiable fields, keeps the rest, and switches the login method", async () => {
    const id = await createPool();
    const r = await api.modify(id, {
      ScalingGroup: { ImageId: "m-2", InstanceTypes: ["ens.gn5i.large"], DataDisks: [], Password: PASSWORD },
      KubernetesConfig: { PreUserData: "ZWNobyBwcmU=" },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ RequestId: r.headers["x-acs-request-id"] });
    const p = await poolById(id);
    expect(p!.ScalingGroup).toMatchObject({ ImageId: "m-2", InstanceTypes: ["ens.gn5i.large"], DataDisks: [], Password: ENS_MASKED_PASSWORD, SystemDiskSize: 80 });
    expect(p!.ScalingGroup).not.toHaveProperty("KeyPairName");
    expect(p!.KubernetesConfig).toEqual({ UserData: "ZWNobyBvawo=", PreUserData: "ZWNobyBwcmU=" });
    let stored: string | undefined;
    ens.admin.mutatePool(CLUSTER, id, (s) => (stored = s.scalingGroup.Password));
    expect(stored).toBe(PASSWORD);
  });

  it("scales out to Count, the new total number of nodes", async () => {
    const id = await createPool();
    const r = await api.scale(id, 5);
    expect(r.status).toBe(200);
    expect((await poolById(id))!.Status).toMatchObject({ State: "active", TotalNodes: 5, DesiredNodes: 5, ServingNodes: 5 });
  });

  it("deletes a pool, after which it is no longer listed", async () => {
    const id = await createPool();
    expect((await api.remove(id)).status).toBe(200);
    expect(await listed()).toEqual([]);
    expectError(await api.remove(id), 404, "InvalidNodepoolId.NotFound");
  });
});

describe("ENS node pool documented validation errors", () => {
  it.each<[string, Params, number, string, RegExp]>([
    ["a missing ClusterId", { ...createParams(), ClusterId: undefined }, 400, "MissingParameter", /ClusterId/],
    ["an unknown cluster", createParams("x", {}, "eck-missing"), 404, "InvalidClusterId.NotFound", /eck-missing/],
    ["a missing node pool name", { ...createParams(), NodepoolInfo: {} }, 400, "MissingParameter", /NodepoolInfo.Name/],
    ["a missing image", createParams("x", { ImageId: undefined }), 400, "MissingParameter", /ScalingGroup.ImageId/],
    ["no vSwitch", createParams("x", { VswitchIds: [] }), 400, "InvalidParameter", /VswitchIds/],
    ["a system disk below 20 GB", createParams("x", { SystemDiskSize: 10 }), 400, "InvalidParameter", /SystemDiskSize must be an integer of at least 20 and a multiple of 10/],
    ["a system disk size that is not a multiple of 10", createParams("x", { SystemDiskSize: 25 }), 400, "InvalidParameter", /multiple of 10 \(GB\), got 25/],
    ["a data disk below 20 GB", createParams("x", { DataDisks: [{ Size: 10 }] }), 400, "InvalidParameter", /DataDisks.1.Size/],
    ["a data disk size that is not a multiple of 10", createParams("x", { DataDisks: [{ Size: 20 }, { Size: 45 }] }), 400, "InvalidParameter", /DataDisks.2.Size .* got 45/],
    ["an undocumented system disk category", createParams("x", { SystemDiskCategory: "cloud_essd" }), 400, "InvalidParameter", /local_ssd, local_hdd, cloud_efficiency, cloud_ssd/],
    ["neither key pair nor password", createParams("x", { KeyPairName: undefined }), 400, "InvalidParameter", /either ScalingGroup.KeyPairName or ScalingGroup.Password/],
    ["both key pair and password", createParams("x", { Password: PASSWORD }), 400, "InvalidParameter", /cannot both be set/],
    ["an undocumented scaling group member", createParams("x", { SecurityGroupId: "sg-1" }), 400, "InvalidParameter", /ScalingGroup.SecurityGroupId/],
    ["an object parameter that is not JSON", { ...createParams(), ScalingGroup: "{not json" }, 400, "InvalidParameter", /ScalingGroup is not valid JSON/],
  ])("refuses a create with %s", async (_name, params, status, code, message) => {
    const r = await api.create(params);
    expectError(r, status, code, message);
    expect(ens.admin.pools()).toEqual([]);
  });

  it("refuses to modify what ModifyClusterNodePool does not accept: the desired size and the name", async () => {
    const id = await createPool();
    expectError(await api.modify(id, { ScalingGroup: { DesiredSize: 3 } }), 400, "InvalidParameter", /ScalingGroup.DesiredSize/);
    expectError(await api.call("ModifyClusterNodePool", { ClusterId: CLUSTER, NodepoolInfo: { NodepoolId: id, Name: "x" } }), 400, "InvalidParameter", /NodepoolInfo.Name/);
    expectError(await api.modify(id, { ScalingGroup: { SystemDiskSize: 35 } }), 400, "InvalidParameter", /SystemDiskSize/);
    expect((await poolById(id))!.ScalingGroup.SystemDiskSize).toBe(80);
  });

  it("refuses a scale whose Count is not above the current number of nodes", async () => {
    const id = await createPool();
    expectError(await api.scale(id, 2), 400, "InvalidParameter.Count", /must be greater than the current number of nodes in the pool \(2\)/);
    expectError(await api.scale(id, 1), 400, "InvalidParameter.Count");
    expectError(await api.call("ScaleClusterNodePool", { ClusterId: CLUSTER, NodepoolId: id, Body: {} }), 400, "MissingParameter", /Body.Count/);
  });

  it("refuses to scale a pool with failed nodes until they are removed", async () => {
    const id = await createPool();
    ens.admin.mutatePool(CLUSTER, id, (p) => {
      p.status.FailedNodes = 1;
      p.status.ServingNodes = 1;
    });
    expectError(await api.scale(id, 4), 400, "IncorrectNodePoolStatus", /DeleteClusterNodes/);
  });

  it("answers not-found for unknown pools and clusters", async () => {
    expectError(await api.modify("np-missing", { ScalingGroup: { ImageId: "m-2" } }), 404, "InvalidNodepoolId.NotFound", /np-missing/);
    expectError(await api.scale("np-missing", 3), 404, "InvalidNodepoolId.NotFound");
    expectError(await api.remove("np-missing"), 404, "InvalidNodepoolId.NotFound");
    expectError(await api.list(1, 10, "eck-missing"), 404, "InvalidClusterId.NotFound");
  });

  it("requires the paging parameters of DescribeClusterNodePools", async () => {
    expectError(await api.call("DescribeClusterNodePools", { ClusterId: CLUSTER, PageSize: 10 }), 400, "MissingParameter", /PageNumber/);
    expectError(await api.call("DescribeClusterNodePools", { ClusterId: CLUSTER, PageNumber: 1, PageSize: 0 }), 400, "InvalidParameter", /PageSize/);
  });

  it("answers the RPC error body and 501 for a documented action it does not emulate", async () => {
    const r = await api.call("DeleteClusterNodes", { ClusterId: CLUSTER, Body: { Nodes: ["n1"] } });
    expectError(r, 501, "NotImplemented");
    expect(Object.keys(r.json).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(r.json.Recommend).toContain("product=ens");
  });
});

describe("ENS node pool states and progression", () => {
  it("shows scaling with initial nodes while a pool is created, then active", async () => {
    emulator.setProgression({ kind: "polls", count: 2 }, "ens.nodepool");
    const r = await api.create(createParams("slow", { DesiredSize: 3 }));
    const id = r.json.Nodepool.NodepoolInfo.NodepoolId;
    expect(r.json.Nodepool.Status).toMatchObject({ State: "scaling", InitialNodes: 3, ServingNodes: 0, DesiredNodes: 3 });
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await poolById(id))!.Status.State);
    expect(states).toEqual(["scaling", "scaling", "active"]);
  });

  it("refuses changes to a busy pool", async () => {
    emulator.setProgression({ kind: "manual" });
    const r = await api.create(createParams());
    const id = r.json.Nodepool.NodepoolInfo.NodepoolId;
    expectError(await api.modify(id, { ScalingGroup: { ImageId: "m-2" } }), 400, "IncorrectNodePoolStatus", /scaling/);
    expectError(await api.scale(id, 3), 400, "IncorrectNodePoolStatus");
    expectError(await api.remove(id), 400, "IncorrectNodePoolStatus");
    expect(ens.admin.advance()).toBe(1);
    expect((await api.scale(id, 3)).status).toBe(200);
    expect((await poolById(id))!.Status).toMatchObject({ State: "scaling", InitialNodes: 1, ServingNodes: 2, TotalNodes: 3 });
    ens.admin.advance();
    expect((await poolById(id))!.Status).toMatchObject({ State: "active", ServingNodes: 3 });
  });

  it("shows removing_nodes while a deleted pool releases its nodes, then drops it", async () => {
    emulator.setProgression({ kind: "manual" });
    const id = (await api.create(createParams())).json.Nodepool.NodepoolInfo.NodepoolId;
    ens.admin.advance();
    await api.remove(id);
    expect((await poolById(id))!.Status).toMatchObject({ State: "removing_nodes", RemovingNodes: 2 });
    ens.admin.advance();
    expect(await poolById(id)).toBeUndefined();
  });

  it("settles a create made to fail as active with failed nodes", async () => {
    ens.admin.failNextCreate({ failedNodes: 1 });
    const id = await createPool();
    expect((await poolById(id))!.Status).toMatchObject({ State: "active", FailedNodes: 1, ServingNodes: 1, TotalNodes: 2 });
    const next = await createPool("next");
    expect((await poolById(next))!.Status.FailedNodes).toBe(0);
  });
});

describe("ENS emulator admin, rate limits and the request log", () => {
  it("seeds clusters, lists, changes and deletes pools over the admin routes, and reset clears them", async () => {
    expect((await client.admin("POST", "/ens/clusters", { clusterId: "eck-http", ensRegionId: "cn-shanghai-8" })).json).toMatchObject({
      clusterId: "eck-http",
      ensRegionId: "cn-shanghai-8",
    });
    expect((await client.admin("GET", "/ens/clusters")).json.map((c: Params) => c.clusterId).sort()).toEqual([CLUSTER, OTHER_CLUSTER, "eck-http"].sort());
    const id = await createPool();
    const patched = await client.admin("PATCH", `/ens/pools/${CLUSTER}/${id}`, { Status: { DesiredNodes: 7 } });
    expect(patched.json.Status.DesiredNodes).toBe(7);
    expect((await client.admin("GET", `/ens/pools?clusterId=${CLUSTER}`)).json).toHaveLength(1);
    expect((await client.admin("DELETE", `/ens/pools/${CLUSTER}/${id}`)).status).toBe(200);
    expect(await listed()).toEqual([]);
    emulator.reset();
    expect(ens.admin.clusters()).toEqual([]);
    expectError(await api.list(), 404, "InvalidClusterId.NotFound");
  });

  it("throttles the documented 10-per-second actions with Throttling.User and a retry hint", async () => {
    emulator.setRateLimit({ service: "ens", perSecond: 10, actions: [...ENS_RATE_LIMITED_ACTIONS] });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => api.create(createParams(`burst-${i}`))));
    const throttled = answers.filter((r) => r.json?.Code === "Throttling.User");
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(throttled[0].status).toBe(400);
    expect(Number(throttled[0].headers["x-acs-retry-after"])).toBeGreaterThan(0);
    // Reads are not limited.
    const reads = await Promise.all(Array.from({ length: 15 }, () => api.list()));
    expect(reads.every((r) => r.status === 200)).toBe(true);
  });

  it("records requests with the password redacted inside the JSON parameters", async () => {
    await api.create(createParams("pw", { KeyPairName: undefined, Password: PASSWORD }));
    const log = emulator.requests({ service: "ens", action: "CreateClusterNodePool" });
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0].query.ScalingGroup).Password).toBe(REDACTED);
    expect(JSON.stringify(emulator.requests())).not.toContain(PASSWORD);
  });

  it("rejects a request signed with a wrong secret", async () => {
    const r = await ensApi(client.with({ accessKeySecret: "wrong-secret-0000" })).list();
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.json.Code).toMatch(/Signature|InvalidAccessKey|Incomplete/);
  });
});

describe("the official generic client (@alicloud/openapi-client) against the ENS model", () => {
  function sdk(): OpenApi {
    return new OpenApi(
      new $OpenApi.Config({
        accessKeyId: emulator.credentials.accessKeyId,
        accessKeySecret: emulator.credentials.accessKeySecret,
        endpoint: new URL(emulator.endpoint).host,
        protocol: "http",
      }),
    );
  }

  /** What the ENS SDK does: shrink object parameters to JSON strings, put everything in the query, POST / as RPC. */
  async function call(action: string, query: Params): Promise<Params> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) flat[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
    const params = new $OpenApi.Params({
      action,
      version: ENS_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    // Default runtime options (timeouts, no retries); a plain object is what the runtime reads.
    const runtime = {} as Parameters<OpenApi["callApi"]>[2];
    return sdk().callApi(params, new $OpenApi.OpenApiRequest({ query: flat }), runtime);
  }

  it("creates, lists, modifies, scales and deletes a pool", async () => {
    const created = await call("CreateClusterNodePool", {
      ClusterId: CLUSTER,
      NodepoolInfo: { Name: "sdk-pool" },
      ScalingGroup: scalingGroup({ KeyPairName: undefined, Password: PASSWORD, DesiredSize: 1 }),
      KubernetesConfig: { UserData: "ZWNobyBvawo=" },
    });
    expect(created.statusCode).toBe(200);
    const id = created.body.Nodepool.NodepoolInfo.NodepoolId;
    expect(created.body.Nodepool.ScalingGroup.Password).toBe(ENS_MASKED_PASSWORD);

    const list = await call("DescribeClusterNodePools", { ClusterId: CLUSTER, PageNumber: 1, PageSize: 10 });
    expect(list.body.NodePools.map((p: Params) => p.NodepoolInfo.NodepoolId)).toEqual([id]);
    expect(list.body.Page).toEqual({ PageNumber: 1, PageSize: 10, TotalCount: 1 });

    await call("ModifyClusterNodePool", { ClusterId: CLUSTER, NodepoolInfo: { NodepoolId: id }, ScalingGroup: { SystemDiskSize: 120 } });
    await call("ScaleClusterNodePool", { ClusterId: CLUSTER, NodepoolId: id, Body: { Count: 3 } });
    expect((await poolById(id))!).toMatchObject({ ScalingGroup: { SystemDiskSize: 120 }, Status: { State: "active", TotalNodes: 3 } });

    await call("DeleteClusterNodePool", { ClusterId: CLUSTER, NodepoolId: id });
    expect(await listed()).toEqual([]);
    expect(emulator.requests({ service: "ens" }).every((r) => r.status === 200)).toBe(true);
  });

  it("surfaces the emulator's documented errors with their code and status", async () => {
    await expect(
      call("CreateClusterNodePool", { ClusterId: CLUSTER, NodepoolInfo: { Name: "bad" }, ScalingGroup: scalingGroup({ SystemDiskSize: 25 }) }),
    ).rejects.toMatchObject({ code: "InvalidParameter", statusCode: 400 });
    await expect(call("DescribeClusterNodePools", { ClusterId: "eck-missing", PageNumber: 1, PageSize: 10 })).rejects.toMatchObject({
      code: "InvalidClusterId.NotFound",
      statusCode: 404,
    });
  });
});
