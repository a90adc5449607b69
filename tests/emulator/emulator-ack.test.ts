/**
 * The cloud emulator's ACK (`cs` 2015-12-15) model and its framework features, exercised over real HTTP with a
 * small V3-signed client, and with the official ACK SDK.
 */
import { FakeClock } from "../../provider/core/clock";
import {
  ACK_MESSAGES,
  ACK_SERVER_DEFAULTS,
  ACK_VERSION,
  CloudEmulator,
  EMULATOR_TEST_ACCOUNT,
  EmulatorClient,
  RawResponse,
  REDACTED,
} from "../../provider/emulator";
import Client, * as $cs from "@alicloud/cs20151215";
import { $OpenApiUtil } from "@alicloud/openapi-core";

const CLUSTER = "cb8e3e0c9b1f24d0f8c0b1e2a3d4c5e6f";
const OTHER_CLUSTER = "c0f9e8d7c6b5a4938271605f4e3d2c1b0";
const UNKNOWN_CLUSTER = "cffffffffffffffffffffffffffffffff";
const PASSWORD = "Sup3r-Secret!";

type Body = Record<string, any>;

function poolBody(name = "gpu-pool", changes: Body = {}): Body {
  const base: Body = {
    nodepool_info: { name },
    scaling_group: {
      vswitch_ids: ["vsw-bp1aaaa", "vsw-bp1bbbb"],
      instance_types: ["ecs.gn7i-c8g1.2xlarge"],
      instance_charge_type: "PostPaid",
      system_disk_size: 120,
      desired_size: 2,
      login_password: PASSWORD,
    },
    kubernetes_config: { labels: [{ key: "team", value: "ml" }] },
  };
  for (const [section, v] of Object.entries(changes)) {
    base[section] = v === undefined ? undefined : typeof v === "object" && !Array.isArray(v) && v !== null ? { ...(base[section] ?? {}), ...v } : v;
  }
  return base;
}

function ackApi(client: EmulatorClient) {
  const call = (action: string, method: string, path: string, body?: unknown, query?: Record<string, string>) =>
    client.roa({ action, version: ACK_VERSION, method, path, body, query });
  const np = (cluster: string, id: string) => `/clusters/${cluster}/nodepools/${id}`;
  return {
    create: (body: unknown, cluster = CLUSTER) => call("CreateClusterNodePool", "POST", `/clusters/${cluster}/nodepools`, body),
    describe: (id: string, cluster = CLUSTER) => call("DescribeClusterNodePoolDetail", "GET", np(cluster, id)),
    list: (name?: string, cluster = CLUSTER) =>
      call("DescribeClusterNodePools", "GET", `/clusters/${cluster}/nodepools`, undefined, name === undefined ? {} : { NodepoolName: name }),
    modify: (id: string, body: unknown, cluster = CLUSTER) => call("ModifyClusterNodePool", "PUT", np(cluster, id), body),
    scale: (id: string, count: unknown, cluster = CLUSTER) => call("ScaleClusterNodePool", "POST", np(cluster, id), { count }),
    nodeConfig: (id: string, body: unknown, cluster = CLUSTER) => call("ModifyNodePoolNodeConfig", "PUT", `${np(cluster, id)}/node_config`, body),
    remove: (id: string, force?: boolean, cluster = CLUSTER) =>
      call("DeleteClusterNodepool", "DELETE", np(cluster, id), undefined, force === undefined ? {} : { force: String(force) }),
    task: (taskId: string) => call("DescribeTaskInfo", "GET", `/tasks/${taskId}`),
  };
}

function expectError(r: RawResponse, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.code }).toEqual({ status, code });
  if (message) expect(r.json.message).toMatch(message);
  expect(r.json.requestId).toBe(r.headers["x-acs-request-id"]);
}

let emulator: CloudEmulator;
let client: EmulatorClient;
let ack: ReturnType<typeof ackApi>;

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  client = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
  ack = ackApi(client);
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  emulator.seedCluster({ clusterId: CLUSTER });
  emulator.seedCluster({ clusterId: OTHER_CLUSTER, region: "cn-beijing" });
});

async function createPool(name = "gpu-pool", changes: Body = {}): Promise<{ id: string; taskId: string }> {
  const r = await ack.create(poolBody(name, changes));
  expect(r.status).toBe(200);
  return { id: r.json.nodepool_id, taskId: r.json.task_id };
}

describe("node pool lifecycle with immediate progression", () => {
  it("creates a pool and answers with a np-prefixed pool id, a T- task id and the request id", async () => {
    const r = await ack.create(poolBody());
    expect(r.status).toBe(200);
    expect(r.json.nodepool_id).toMatch(/^np[0-9a-f]{32}$/);
    expect(r.json.task_id).toMatch(/^T-[0-9a-f]+$/);
    expect(r.json.request_id).toBe(r.headers["x-acs-request-id"]);
  });

  it("describes a pool with the stored fields, the server defaults, an active status and no login_password", async () => {
    const { id } = await createPool("gpu-pool", { kubernetes_config: { runtime_version: "1.6.28" } });
    const r = await ack.describe(id);
    expect(r.status).toBe(200);
    const p = r.json;
    expect(p.nodepool_info).toMatchObject({ nodepool_id: id, name: "gpu-pool", type: "ess", is_default: false, region_id: "cn-hangzhou" });
    expect(p.nodepool_info.resource_group_id).toMatch(/^rg-/);
    expect(p.nodepool_info.created).toEqual(expect.any(String));
    expect(p.scaling_group).toMatchObject({
      vswitch_ids: ["vsw-bp1aaaa", "vsw-bp1bbbb"],
      instance_types: ["ecs.gn7i-c8g1.2xlarge"],
      desired_size: 2,
      system_disk_size: 120,
      system_disk_category: ACK_SERVER_DEFAULTS.scaling_group.system_disk_category,
    });
    expect(p.scaling_group.scaling_group_id).toMatch(/^asg-/);
    expect(p.scaling_group).not.toHaveProperty("login_password");
    expect(JSON.stringify(p)).not.toContain(PASSWORD);
    expect(p.kubernetes_config).toMatchObject({ runtime: "containerd", runtime_version: "1.6.28", labels: [{ key: "team", value: "ml" }] });
    expect(p.management).toMatchObject({ enable: false });
    expect(p.auto_scaling).toMatchObject({ enable: false });
    expect(p.tee_config).toEqual({ tee_enable: false });
    expect(p.status).toEqual({
      state: "active",
      total_nodes: 2,
      serving_nodes: 2,
      healthy_nodes: 2,
      initial_nodes: 0,
      removing_nodes: 0,
      failed_nodes: 0,
      offline_nodes: 0,
    });
  });

  it("lists the pools of a cluster and filters them by NodepoolName", async () => {
    const a = await createPool("pool-a");
    await createPool("pool-b");
    const all = await ack.list();
    expect(all.json.nodepools.map((p: Body) => p.nodepool_info.name).sort()).toEqual(["pool-a", "pool-b"]);
    const one = await ack.list("pool-a");
    expect(one.json.nodepools).toHaveLength(1);
    expect(one.json.nodepools[0].nodepool_info.nodepool_id).toBe(a.id);
    const none = await ack.list("missing");
    expect(none.json).toEqual({ nodepools: [] });
  });

  it("modifies a pool by merging the given sections, replacing arrays and bumping updated", async () => {
    const { id } = await createPool();
    const before = (await ack.describe(id)).json;
    await new Promise((r) => setTimeout(r, 5));
    const r = await ack.modify(id, {
      scaling_group: { instance_types: ["ecs.g7.xlarge"] },
      kubernetes_config: { labels: [{ key: "tier", value: "gpu" }] },
      nodepool_info: { name: "renamed" },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ nodepool_id: id, task_id: expect.stringMatching(/^T-/), request_id: r.headers["x-acs-request-id"] });
    const after = (await ack.describe(id)).json;
    expect(after.scaling_group.instance_types).toEqual(["ecs.g7.xlarge"]);
    expect(after.scaling_group.vswitch_ids).toEqual(before.scaling_group.vswitch_ids);
    expect(after.kubernetes_config.labels).toEqual([{ key: "tier", value: "gpu" }]);
    expect(after.nodepool_info.name).toBe("renamed");
    expect(after.nodepool_info.updated > before.nodepool_info.updated).toBe(true);
    expect(after.status.state).toBe("active");
  });

  it("scales a pool by adding count nodes to desired_size", async () => {
    const { id } = await createPool();
    const r = await ack.scale(id, 3);
    expect(r.status).toBe(200);
    expect(r.json.task_id).toMatch(/^T-/);
    const p = (await ack.describe(id)).json;
    expect(p.scaling_group.desired_size).toBe(5);
    expect(p.status).toMatchObject({ state: "active", total_nodes: 5 });
  });

  it("stores ModifyNodePoolNodeConfig's kubelet_config as node_config.kubelet_configuration", async () => {
    const { id } = await createPool();
    const r = await ack.nodeConfig(id, { kubelet_config: { maxPods: 64 }, rolling_policy: { max_parallelism: 2 } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ nodepool_id: id, task_id: expect.stringMatching(/^T-/) });
    expect((await ack.describe(id)).json.node_config).toEqual({ kubelet_configuration: { maxPods: 64 } });
  });

  it("deletes a pool with force=true, after which it is not found", async () => {
    const { id } = await createPool();
    const r = await ack.remove(id, true);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ request_id: r.headers["x-acs-request-id"], task_id: expect.stringMatching(/^T-/) });
    expectError(await ack.describe(id), 404, "ErrorNodePoolNotFound");
    expect((await ack.task(r.json.task_id)).json.state).toBe("success");
  });

  it("refuses to delete a pool that still has nodes when force is false", async () => {
    const { id } = await createPool();
    expectError(await ack.remove(id, false), 400, "ErrorNodePoolNotEmpty", /force=true/);
    expectError(await ack.remove(id), 400, "ErrorNodePoolNotEmpty");
    const empty = await createPool("empty", { scaling_group: { desired_size: 0 } });
    expect((await ack.remove(empty.id, false)).status).toBe(200);
  });

  it("reports a finished task through DescribeTaskInfo", async () => {
    const { id, taskId } = await createPool();
    const r = await ack.task(taskId);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ task_id: taskId, cluster_id: CLUSTER, state: "success", task_type: "nodepool_create", target: { id, type: "nodepool" } });
    expect(r.json).not.toHaveProperty("error");
  });
});

describe("progression of busy pools and tasks", () => {
  it("keeps a pool initial and its task running for the configured number of polls, shared between pool and task", async () => {
    emulator.setProgression({ kind: "polls", count: 3 });
    const { id, taskId } = await createPool();
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "initial", total_nodes: 0, initial_nodes: 2 });
    expect((await ack.task(taskId)).json.state).toBe("running");
    expect((await ack.list()).json.nodepools[0].status.state).toBe("initial");
    const fourth = await ack.task(taskId);
    expect(fourth.json.state).toBe("success");
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "active", total_nodes: 2, initial_nodes: 0 });
  });

  it("applies a per-model progression set under the task alias", async () => {
    emulator.setProgression({ kind: "polls", count: 1 }, "ack.task");
    const { id } = await createPool();
    expect((await ack.describe(id)).json.status.state).toBe("initial");
    expect((await ack.describe(id)).json.status.state).toBe("active");
  });

  it("moves busy pools only when advanced under manual progression", async () => {
    emulator.setProgression({ kind: "manual" });
    const { id, taskId } = await createPool();
    for (let i = 0; i < 3; i++) expect((await ack.describe(id)).json.status.state).toBe("initial");
    emulator.ack.advance();
    expect((await ack.describe(id)).json.status.state).toBe("active");
    expect((await ack.task(taskId)).json.state).toBe("success");
  });

  it("shows scaling when desired_size grows, removing when it shrinks, and updating otherwise", async () => {
    emulator.setProgression({ kind: "manual" });
    const { id } = await createPool();
    emulator.ack.advance();

    await ack.modify(id, { scaling_group: { desired_size: 5 } });
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "scaling", total_nodes: 2, initial_nodes: 3 });
    emulator.ack.advance();
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "active", total_nodes: 5, initial_nodes: 0 });

    await ack.modify(id, { scaling_group: { desired_size: 1 } });
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "removing", removing_nodes: 4 });
    emulator.ack.advance();
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "active", total_nodes: 1 });

    await ack.modify(id, { kubernetes_config: { cpu_policy: "static" } });
    expect((await ack.describe(id)).json.status.state).toBe("updating");
    emulator.ack.advance();

    await ack.scale(id, 2);
    expect((await ack.describe(id)).json.status).toMatchObject({ state: "scaling", initial_nodes: 2 });
  });

  it("shows deleting until the delete task completes, then the pool is gone", async () => {
    emulator.setProgression({ kind: "polls", count: 1 });
    const { id } = await createPool("p", { scaling_group: { desired_size: 0 } });
    await ack.describe(id);
    await ack.describe(id);
    const del = await ack.remove(id, true);
    expect((await ack.describe(id)).json.status.state).toBe("deleting");
    expectError(await ack.describe(id), 404, "ErrorNodePoolNotFound");
    expect((await ack.task(del.json.task_id)).json.state).toBe("success");
  });

  it("rejects changes to a pool while its task is running", async () => {
    emulator.setProgression({ kind: "manual" });
    const { id, taskId } = await createPool();
    expectError(await ack.modify(id, { kubernetes_config: { cpu_policy: "static" } }), 400, "ErrorNodePoolBusy", new RegExp(taskId));
    expectError(await ack.scale(id, 1), 400, "ErrorNodePoolBusy");
    expectError(await ack.remove(id, true), 400, "ErrorNodePoolBusy");
  });

  it("fails the next create when told to, leaving the pool in state failed and the task in fail with an error", async () => {
    emulator.ack.failNextCreate("no stock for ecs.gn7i-c8g1.2xlarge");
    const { id, taskId } = await createPool();
    const task = (await ack.task(taskId)).json;
    expect(task.state).toBe("fail");
    expect(task.error).toEqual({ code: expect.any(String), message: "no stock for ecs.gn7i-c8g1.2xlarge" });
    const pool = (await ack.describe(id)).json;
    expect(pool.status).toMatchObject({ state: "failed", total_nodes: 0, failed_nodes: 2 });
    // Only the next create fails.
    const second = await createPool("second");
    expect((await ack.task(second.taskId)).json.state).toBe("success");
    // A failed pool can be deleted without force: it has no nodes.
    expect((await ack.remove(id, false)).status).toBe(200);
  });

  it("completes changes after the configured time on the injected clock", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const timed = await CloudEmulator.start({ clock, progression: { kind: "time", ms: 60_000 } });
    try {
      timed.seedCluster({ clusterId: CLUSTER });
      const api = ackApi(new EmulatorClient({ endpoint: timed.endpoint, ...timed.credentials, clock }));
      const created = await api.create(poolBody());
      const id = created.json.nodepool_id;
      expect((await api.describe(id)).json.status.state).toBe("initial");
      clock.advance(59_999);
      expect((await api.task(created.json.task_id)).json.state).toBe("running");
      clock.advance(1);
      expect((await api.task(created.json.task_id)).json.state).toBe("success");
      expect((await api.describe(id)).json.status.state).toBe("active");
    } finally {
      await timed.stop();
    }
  });
});

describe("validation", () => {
  const cases: Array<[string, Body, RegExp]> = [
    ["a missing nodepool_info.name", poolBody("x", { nodepool_info: { name: undefined } }), /nodepool_info\.name/],
    ["an empty nodepool_info.name", poolBody(""), /nodepool_info\.name/],
    ["missing vswitch_ids", poolBody("x", { scaling_group: { vswitch_ids: undefined } }), /scaling_group\.vswitch_ids/],
    ["empty vswitch_ids", poolBody("x", { scaling_group: { vswitch_ids: [] } }), /scaling_group\.vswitch_ids/],
    ["nine vswitch_ids", poolBody("x", { scaling_group: { vswitch_ids: Array.from({ length: 9 }, (_, i) => `vsw-${i}`) } }), /scaling_group\.vswitch_ids/],
    ["empty instance_types", poolBody("x", { scaling_group: { instance_types: [] } }), /scaling_group\.instance_types/],
    ["eleven instance_types", poolBody("x", { scaling_group: { instance_types: Array.from({ length: 11 }, (_, i) => `ecs.t${i}`) } }), /scaling_group\.instance_types/],
    ["an unknown instance_charge_type", poolBody("x", { scaling_group: { instance_charge_type: "Spot" } }), /instance_charge_type/],
    ["PrePaid without period", poolBody("x", { scaling_group: { instance_charge_type: "PrePaid", period_unit: "Month" } }), /scaling_group\.period\b/],
    ["PrePaid without period_unit", poolBody("x", { scaling_group: { instance_charge_type: "PrePaid", period: 1 } }), /scaling_group\.period_unit/],
    ["a system_disk_size below 20", poolBody("x", { scaling_group: { system_disk_size: 19 } }), /system_disk_size/],
    ["a system_disk_size above 2048", poolBody("x", { scaling_group: { system_disk_size: 2049 } }), /system_disk_size/],
    ["max_instances above 2000", poolBody("x", { auto_scaling: { enable: true, max_instances: 2001, min_instances: 0 } }), /max_instances/],
    ["max_instances below min_instances", poolBody("x", { auto_scaling: { enable: true, max_instances: 1, min_instances: 2 } }), /max_instances/],
    ["both key_pair and login_password", poolBody("x", { scaling_group: { key_pair: "my-key" } }), /key_pair.*login_password/],
    [
      "private_pool_options with resource_pool_options",
      poolBody("x", { scaling_group: { private_pool_options: { match_criteria: "Target", id: "eap-1" }, resource_pool_options: { strategy: "PrivatePoolFirst" } } }),
      /private_pool_options.*resource_pool_options/,
    ],
  ];

  it.each(cases)("answers 400 InvalidParameter naming the field for %s", async (_name, body, message) => {
    const r = await ack.create(body);
    expectError(r, 400, "InvalidParameter", message);
    expect(emulator.ack.pools()).toHaveLength(0);
  });

  it("accepts PrePaid with period and period_unit", async () => {
    const r = await ack.create(poolBody("prepaid", { scaling_group: { instance_charge_type: "PrePaid", period: 1, period_unit: "Month" } }));
    expect(r.status).toBe(200);
  });

  it("answers 400 InvalidParameter for a body that is not JSON", async () => {
    const r = await client.roa({ action: "CreateClusterNodePool", version: ACK_VERSION, method: "POST", path: `/clusters/${CLUSTER}/nodepools`, body: "{not json" });
    expectError(r, 400, "InvalidParameter", /JSON/);
  });

  it("answers InvalidParameter.Name with the cloud's message when the name is taken in the cluster", async () => {
    await createPool("application-pool");
    const r = await ack.create(poolBody("application-pool"));
    expectError(r, 400, "InvalidParameter.Name", /^nodepool name application-pool is already exist in cluster /);
    expect(r.json.message).toBe(ACK_MESSAGES.nameTaken("application-pool", CLUSTER));
    // The same name is free in another cluster.
    expect((await ack.create(poolBody("application-pool"), OTHER_CLUSTER)).status).toBe(200);
  });

  it("refuses to rename a pool to a name another pool has", async () => {
    await createPool("a");
    const b = await createPool("b");
    expectError(await ack.modify(b.id, { nodepool_info: { name: "a" } }), 400, "InvalidParameter.Name");
  });

  it("refuses to modify auto_scaling.type, which is immutable", async () => {
    const { id } = await createPool("x", { auto_scaling: { enable: true, type: "cpu", max_instances: 10, min_instances: 0 } });
    expectError(await ack.modify(id, { auto_scaling: { type: "gpu" } }), 400, "InvalidParameter", /auto_scaling\.type/);
    expect((await ack.modify(id, { auto_scaling: { type: "cpu", max_instances: 20 } })).status).toBe(200);
  });

  it("validates the merged configuration on modify", async () => {
    const { id } = await createPool();
    expectError(await ack.modify(id, { scaling_group: { system_disk_size: 4096 } }), 400, "InvalidParameter", /system_disk_size/);
    expectError(await ack.modify(id, { scaling_group: { instance_types: [] } }), 400, "InvalidParameter", /instance_types/);
  });

  it("switches from a password to a key pair when modify sends key_pair", async () => {
    const { id } = await createPool();
    expect((await ack.modify(id, { scaling_group: { key_pair: "my-key" } })).status).toBe(200);
    expect((await ack.describe(id)).json.scaling_group.key_pair).toBe("my-key");
    expect(emulator.ack.pools()[0].scaling_group).not.toHaveProperty("login_password");
  });

  it("answers 400 for a scale count outside [1, 500]", async () => {
    const { id } = await createPool();
    expectError(await ack.scale(id, 0), 400, "InvalidParameter", /count/);
    expectError(await ack.scale(id, 501), 400, "InvalidParameter", /count/);
  });
});

describe("not-found answers", () => {
  it("answers 404 ErrorClusterNotFound for an unknown cluster", async () => {
    expectError(await ack.create(poolBody(), UNKNOWN_CLUSTER), 404, "ErrorClusterNotFound", new RegExp(UNKNOWN_CLUSTER));
    expectError(await ack.list(undefined, UNKNOWN_CLUSTER), 404, "ErrorClusterNotFound");
  });

  it("answers 404 ErrorNodePoolNotFound for an unknown pool on every pool operation", async () => {
    const id = "np00000000000000000000000000000000";
    for (const r of [await ack.describe(id), await ack.modify(id, {}), await ack.scale(id, 1), await ack.nodeConfig(id, { kubelet_config: {} }), await ack.remove(id, true)]) {
      expectError(r, 404, "ErrorNodePoolNotFound", new RegExp(id));
    }
  });

  it("answers 404 for an unknown task", async () => {
    expectError(await ack.task("T-000000000000000000000000"), 404, "ErrorTaskNotFound");
  });

  it("hides a cluster from a request whose x-acs-region-id names another region", async () => {
    const beijing = ackApi(client.with({ region: "cn-beijing" }));
    expectError(await beijing.list(), 404, "ErrorClusterNotFound");
    expect((await beijing.list(undefined, OTHER_CLUSTER)).status).toBe(200);
  });

  it("keeps accounts apart: another account does not see this account's clusters", async () => {
    const two = await CloudEmulator.start({
      accounts: [
        { accessKeyId: "LTAI-one", accessKeySecret: "secret-one", accountId: "1" },
        { accessKeyId: "LTAI-two", accessKeySecret: "secret-two", accountId: "2" },
      ],
    });
    try {
      two.seedCluster({ clusterId: CLUSTER, accountId: "1" });
      const one = ackApi(new EmulatorClient({ endpoint: two.endpoint, accessKeyId: "LTAI-one", accessKeySecret: "secret-one" }));
      const other = ackApi(new EmulatorClient({ endpoint: two.endpoint, accessKeyId: "LTAI-two", accessKeySecret: "secret-two" }));
      expect((await one.list()).status).toBe(200);
      expectError(await other.list(), 404, "ErrorClusterNotFound");
    } finally {
      await two.stop();
    }
  });
});

describe("routing", () => {
  it("answers 400 InvalidVersion for a known path under another API version", async () => {
    const r = await client.roa({ action: "DescribeClusterNodePools", version: "2018-01-01", method: "GET", path: `/clusters/${CLUSTER}/nodepools` });
    expectError(r, 400, "InvalidVersion");
  });

  it("answers 404 InvalidAction.NotFound for an unknown action or path", async () => {
    expectError(await client.roa({ action: "NoSuchAction", version: ACK_VERSION, method: "GET", path: "/no/such/path" }), 404, "InvalidAction.NotFound");
    expectError(
      await client.roa({ action: "NoSuchAction", version: ACK_VERSION, method: "GET", path: `/clusters/${CLUSTER}/nodepools` }),
      404,
      "InvalidAction.NotFound",
    );
  });

  it("answers 501 NotImplemented for a real ACK action the emulator does not model", async () => {
    const r = await client.roa({ action: "UpgradeClusterNodepool", version: ACK_VERSION, method: "POST", path: `/clusters/${CLUSTER}/nodepools/np1/upgrade`, body: {} });
    expectError(r, 501, "NotImplemented", /UpgradeClusterNodepool/);
  });
});

describe("signature checks", () => {
  it("answers SignatureDoesNotMatch with Alibaba's ROA error body when the secret is wrong", async () => {
    const r = await ackApi(client.with({ accessKeySecret: "wrong" })).list();
    expectError(r, 400, "SignatureDoesNotMatch");
    expect(Object.keys(r.json).sort()).toEqual(["code", "message", "requestId"]);
    expect(r.headers["x-acs-request-id"]).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("answers InvalidAccessKeyId.NotFound for an unknown access key", async () => {
    expectError(await ackApi(client.with({ accessKeyId: "LTAI-unknown" })).list(), 404, "InvalidAccessKeyId.NotFound");
  });

  it("rejects a body changed after signing", async () => {
    const good = await client.roa({ action: "CreateClusterNodePool", version: ACK_VERSION, method: "POST", path: `/clusters/${CLUSTER}/nodepools`, body: poolBody() });
    expect(good.status).toBe(200);
    // Re-send a signed request with a different body of the same length.
    const raw = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
    const { signAcs3 } = await import("../../provider/core/signing/alibaba");
    const body = JSON.stringify(poolBody("aaaa"));
    const headers = signAcs3(
      {
        method: "POST",
        pathname: `/clusters/${CLUSTER}/nodepools`,
        query: {},
        headers: { host: new URL(emulator.endpoint).host, "x-acs-action": "CreateClusterNodePool", "x-acs-version": ACK_VERSION, "content-type": "application/json" },
        body,
      },
      { accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: emulator.credentials.accessKeySecret },
      { date: new Date(), nonce: "n1" },
    );
    const r = await raw.send("POST", `/clusters/${CLUSTER}/nodepools`, headers, JSON.stringify(poolBody("bbbb")));
    expect(r.status).toBe(400);
    expect(r.json.code).toMatch(/ContentSHA256Mismatch|SignatureDoesNotMatch/);
    expect(emulator.ack.pools().map((p) => p.nodepool_info.name)).toEqual(["gpu-pool"]);
  });

  it("answers an unsigned request with an error, not with data", async () => {
    const r = await client.send("GET", `/clusters/${CLUSTER}/nodepools`, { "x-acs-action": "DescribeClusterNodePools", "x-acs-version": ACK_VERSION }, "");
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("MissingAuthorization");
  });

  it("accepts STS credentials only with the account's security token", async () => {
    const sts = await CloudEmulator.start({ accounts: [{ accessKeyId: "STS.key", accessKeySecret: "sts-secret", accountId: "9", securityToken: "tok-123" }] });
    try {
      sts.seedCluster({ clusterId: CLUSTER });
      const base = new EmulatorClient({ endpoint: sts.endpoint, accessKeyId: "STS.key", accessKeySecret: "sts-secret" });
      expect((await ackApi(base.with({ securityToken: "tok-123" })).list()).status).toBe(200);
      const wrong = await ackApi(base.with({ securityToken: "tok-999" })).list();
      expect(wrong.status).toBe(400);
      expect(wrong.json.code).toBe("InvalidSecurityToken.Mismatch");
      expect(sts.requests()[0].headers["x-acs-security-token"]).toBe(REDACTED);
    } finally {
      await sts.stop();
    }
  });
});

describe("rate limits", () => {
  it("answers Throttling.User with x-acs-retry-after in milliseconds once an action exceeds its rate", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const limited = await CloudEmulator.start({ clock });
    try {
      limited.seedCluster({ clusterId: CLUSTER });
      const api = ackApi(new EmulatorClient({ endpoint: limited.endpoint, ...limited.credentials, clock }));
      limited.setRateLimit({ service: "ack", perSecond: 2, actions: ["DescribeClusterNodePools"] });
      expect((await api.list()).status).toBe(200);
      clock.advance(400);
      expect((await api.list()).status).toBe(200);
      const throttled = await api.list();
      expectError(throttled, 400, "Throttling.User", /flow control/);
      expect(throttled.headers["x-acs-retry-after"]).toBe("600");
      // Other actions are not limited.
      expect((await api.task("T-none")).status).toBe(404);
      clock.advance(600);
      expect((await api.list()).status).toBe(200);
      expect(limited.requests({ action: "DescribeClusterNodePools" }).map((r) => r.status)).toEqual([200, 200, 400, 200]);
      limited.setRateLimit(undefined);
      for (let i = 0; i < 5; i++) expect((await api.list()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it("accepts the product code cs as the service name", async () => {
    emulator.setRateLimit({ service: "cs", perSecond: 1 });
    await ack.list();
    const r = await ack.list();
    expect(r.json.code).toBe("Throttling.User");
  });
});

describe("injected faults", () => {
  it("answers with the injected status and code in the service's error format, then the real handler answers again", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", status: 503, code: "ServiceUnavailable", message: "try later", times: 2 });
    expectError(await ack.create(poolBody()), 503, "ServiceUnavailable", /try later/);
    expectError(await ack.create(poolBody()), 503, "ServiceUnavailable");
    expect(emulator.ack.pools()).toHaveLength(0);
    expect((await ack.create(poolBody())).status).toBe(200);
  });

  it("consumes faults in order, only for their action and service", async () => {
    emulator.injectFault({ service: "ecs", action: "DescribeClusterNodePools", status: 500 });
    emulator.injectFault({ action: "DescribeClusterNodePools", status: 500, code: "InternalError" });
    emulator.injectFault({ service: "ack", action: "DescribeClusterNodePools", status: 400, code: "Throttling", headers: { "x-acs-retry-after": "250" } });
    expect((await ack.task("T-x")).status).toBe(404);
    expectError(await ack.list(), 500, "InternalError");
    const second = await ack.list();
    expectError(second, 400, "Throttling");
    expect(second.headers["x-acs-retry-after"]).toBe("250");
    expect((await ack.list()).status).toBe(200);
    expect(emulator.pendingFaults().map((f) => f.service)).toEqual(["ecs"]);
  });

  it("delays the answer and then lets the real handler answer", async () => {
    emulator.injectFault({ action: "DescribeClusterNodePools", delayMs: 150 });
    const started = Date.now();
    const r = await ack.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(200);
  });

  it("drops the connection before the request is handled", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", dropConnection: "beforeResponse" });
    await expect(ack.create(poolBody())).rejects.toThrow(/socket hang up|ECONNRESET|EPIPE/);
    expect(emulator.ack.pools()).toHaveLength(0);
    expect(emulator.requests({ action: "CreateClusterNodePool" })).toEqual([
      expect.objectContaining({ status: 0, fault: "dropConnection:beforeResponse" }),
    ]);
  });

  it("drops the connection after reading the body without handling the request", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", dropConnection: "afterBodyRead" });
    await expect(ack.create(poolBody())).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.ack.pools()).toHaveLength(0);
    const [rec] = emulator.requests({ action: "CreateClusterNodePool" });
    expect(rec).toMatchObject({ status: 0, fault: "dropConnection:afterBodyRead" });
    expect((rec.body as Body).nodepool_info.name).toBe("gpu-pool");
  });

  it("runs the real handler and then drops the answer when afterHandler is set (accepted, answer lost)", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", dropConnection: "beforeResponse", afterHandler: true });
    await expect(ack.create(poolBody())).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.ack.pools().map((p) => p.nodepool_info.name)).toEqual(["gpu-pool"]);
    // A retry now meets the name conflict, as on the real cloud.
    expectError(await ack.create(poolBody()), 400, "InvalidParameter.Name");
  });

  it("runs the real handler and then answers with the injected error when afterHandler is set", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", status: 500, code: "InternalError", afterHandler: true });
    expectError(await ack.create(poolBody()), 500, "InternalError");
    expect(emulator.ack.pools()).toHaveLength(1);
  });

  it("answers 200 with a truncated JSON body when malformedBody is set", async () => {
    emulator.injectFault({ action: "DescribeClusterNodePools", malformedBody: true });
    const r = await ack.list();
    expect(r.status).toBe(200);
    expect(r.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(r.text)).toThrow();
    expect(r.json).toBeUndefined();
  });

  it("truncates the real answer when malformedBody is combined with afterHandler", async () => {
    emulator.injectFault({ action: "CreateClusterNodePool", malformedBody: true, afterHandler: true });
    const r = await ack.create(poolBody());
    expect(r.status).toBe(200);
    expect(r.text.startsWith('{"nodepool_id":"np')).toBe(true);
    expect(r.json).toBeUndefined();
    expect(emulator.ack.pools()).toHaveLength(1);
  });
});

describe("request log", () => {
  it("records every cloud request with service, action, status, code and the redacted request", async () => {
    const { id } = await createPool();
    await ack.describe("np-missing");
    await ackApi(client.with({ accessKeySecret: "wrong" })).list();
    const log = emulator.requests();
    expect(log.map((r) => [r.service, r.action, r.status, r.code])).toEqual([
      ["ack", "CreateClusterNodePool", 200, undefined],
      ["ack", "DescribeClusterNodePoolDetail", 404, "ErrorNodePoolNotFound"],
      ["ack", "DescribeClusterNodePools", 400, "SignatureDoesNotMatch"],
    ]);
    const create = log[0];
    expect(create).toMatchObject({ method: "POST", path: `/clusters/${CLUSTER}/nodepools`, accountId: EMULATOR_TEST_ACCOUNT.accountId });
    expect((create.body as Body).scaling_group.login_password).toBe(REDACTED);
    expect((create.body as Body).scaling_group.instance_types).toEqual(["ecs.gn7i-c8g1.2xlarge"]);
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
    expect(create.headers.authorization).toMatch(new RegExp(`^ACS3-HMAC-SHA256 Credential=${emulator.credentials.accessKeyId},SignedHeaders=[^,]+,Signature=\\*\\*\\*$`));
    expect(create.headers["x-acs-action"]).toBe("CreateClusterNodePool");
    expect(create.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(typeof create.time).toBe("number");
    expect(emulator.requests({ action: "DescribeClusterNodePoolDetail" })).toHaveLength(1);
    expect(emulator.requests({ service: "cs" })).toHaveLength(3);
    expect(id).toBeDefined();
  });

  it("redacts password and AccessKeySecret values at any depth", async () => {
    await ack.modify("np-x", { scaling_group: { login_password: "p1" }, nested: [{ Password: "p2", AccessKeySecret: "p3", LoginPassword: "p4" }] });
    const body = emulator.requests()[0].body as Body;
    expect(body).toEqual({ scaling_group: { login_password: REDACTED }, nested: [{ Password: REDACTED, AccessKeySecret: REDACTED, LoginPassword: REDACTED }] });
  });

  it("forgets recorded requests on clearRequests", async () => {
    await ack.list();
    emulator.clearRequests();
    expect(emulator.requests()).toEqual([]);
  });
});

describe("reset and out-of-band changes", () => {
  it("drops pools, clusters, faults, rate limits and the log on reset", async () => {
    await createPool();
    emulator.injectFault({ action: "DescribeClusterNodePools", status: 500 });
    emulator.setRateLimit({ service: "ack", perSecond: 1 });
    emulator.setProgression({ kind: "manual" });
    emulator.reset();
    expect(emulator.ack.pools()).toEqual([]);
    expect(emulator.ack.clusters()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.pendingFaults()).toEqual([]);
    emulator.seedCluster({ clusterId: CLUSTER });
    expect((await ack.list()).status).toBe(200);
    expect((await ack.list()).status).toBe(200);
    const { id } = await createPool();
    expect((await ack.describe(id)).json.status.state).toBe("active");
  });

  it("shows out-of-band changes made with mutatePool, and node counts follow desired_size", async () => {
    const { id } = await createPool();
    emulator.ack.mutatePool(CLUSTER, id, (p) => {
      p.config.scaling_group.instance_types = ["ecs.changed"];
      p.config.scaling_group.desired_size = 4;
    });
    const p = (await ack.describe(id)).json;
    expect(p.scaling_group.instance_types).toEqual(["ecs.changed"]);
    expect(p.status).toMatchObject({ state: "active", total_nodes: 4 });
  });

  it("makes a pool disappear with deletePool", async () => {
    const { id } = await createPool();
    emulator.ack.deletePool(CLUSTER, id);
    expectError(await ack.describe(id), 404, "ErrorNodePoolNotFound");
  });

  it("fails a running task when its pool is deleted out of band", async () => {
    emulator.setProgression({ kind: "manual" });
    const { id, taskId } = await createPool();
    emulator.ack.deletePool(CLUSTER, id);
    expect((await ack.task(taskId)).json).toMatchObject({ state: "fail", error: { code: "ErrorNodePoolNotFound" } });
  });
});

describe("admin HTTP routes", () => {
  it("describes the emulator at /_emulator", async () => {
    const r = await client.admin("GET", "");
    expect(r.status).toBe(200);
    expect(r.json.endpoint).toBe(emulator.endpoint);
    expect(r.json.services[0]).toMatchObject({ name: "ack", product: "cs", version: ACK_VERSION, style: "ROA" });
    expect(r.json.services[0].actions).toContain("CreateClusterNodePool");
    expect(JSON.stringify(r.json)).not.toContain(emulator.credentials.accessKeySecret);
  });

  it("seeds and lists clusters", async () => {
    const r = await client.admin("POST", "/clusters", { clusterId: "c-new", region: "cn-shanghai" });
    expect(r.json).toMatchObject({ clusterId: "c-new", regionId: "cn-shanghai" });
    const list = await client.admin("GET", "/clusters");
    expect(list.json.map((c: Body) => c.clusterId).sort()).toEqual([OTHER_CLUSTER, CLUSTER, "c-new"].sort());
  });

  it("queues and clears faults", async () => {
    await client.admin("POST", "/faults", [{ action: "DescribeClusterNodePools", status: 500 }]);
    expect((await client.admin("GET", "/faults")).json).toEqual([expect.objectContaining({ action: "DescribeClusterNodePools", remaining: 1 })]);
    expect((await ack.list()).status).toBe(500);
    await client.admin("POST", "/faults", { action: "DescribeClusterNodePools", status: 500 });
    await client.admin("DELETE", "/faults");
    expect((await ack.list()).status).toBe(200);
    expect((await client.admin("POST", "/faults", { status: 500 })).status).toBe(400);
  });

  it("sets progression and advances busy pools", async () => {
    const set = await client.admin("POST", "/progression", { progression: { kind: "manual" }, model: "ack.nodepool" });
    expect(set.json.models).toEqual({ "ack.nodepool": { kind: "manual" } });
    const { id } = await createPool();
    expect((await ack.describe(id)).json.status.state).toBe("initial");
    expect((await client.admin("POST", "/ack/advance")).json).toEqual({ advanced: 1 });
    expect((await ack.describe(id)).json.status.state).toBe("active");
    expect((await client.admin("POST", "/progression", { kind: "polls" })).status).toBe(400);
  });

  it("sets and clears rate limits", async () => {
    await client.admin("POST", "/rate-limit", { service: "ack", perSecond: 1 });
    expect((await client.admin("GET", "/rate-limit")).json).toEqual([{ service: "ack", perSecond: 1 }]);
    await ack.list();
    expect((await ack.list()).json.code).toBe("Throttling.User");
    await client.admin("DELETE", "/rate-limit");
    expect((await ack.list()).status).toBe(200);
  });

  it("lists and clears recorded requests with filters", async () => {
    await ack.list();
    await ack.task("T-1");
    const r = await client.admin("GET", "/requests?action=DescribeTaskInfo");
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ service: "ack", action: "DescribeTaskInfo", status: 404 });
    await client.admin("DELETE", "/requests");
    expect((await client.admin("GET", "/requests")).json).toEqual([]);
  });

  it("lists, patches and deletes pools and fails the next create under /_emulator/ack", async () => {
    const { id } = await createPool();
    const pools = await client.admin("GET", `/ack/pools?clusterId=${CLUSTER}`);
    expect(pools.json).toHaveLength(1);
    expect(pools.json[0]).toMatchObject({ cluster_id: CLUSTER, nodepool_info: { nodepool_id: id } });
    const patched = await client.admin("PATCH", `/ack/pools/${CLUSTER}/${id}`, { config: { kubernetes_config: { cpu_policy: "static" } } });
    expect(patched.json.kubernetes_config.cpu_policy).toBe("static");
    expect((await ack.describe(id)).json.kubernetes_config.cpu_policy).toBe("static");
    expect((await client.admin("DELETE", `/ack/pools/${CLUSTER}/${id}`)).status).toBe(200);
    expectError(await ack.describe(id), 404, "ErrorNodePoolNotFound");

    await client.admin("POST", "/ack/fail-next-create", { reason: "boom" });
    const failed = await createPool("failing");
    expect((await ack.task(failed.taskId)).json).toMatchObject({ state: "fail", error: { message: "boom" } });
    expect((await client.admin("GET", "/ack/tasks")).json.length).toBeGreaterThanOrEqual(2);
  });

  it("resets over HTTP and answers 404 for unknown admin routes", async () => {
    await createPool();
    expect((await client.admin("POST", "/reset")).status).toBe(200);
    expect(emulator.ack.pools()).toEqual([]);
    expect((await client.admin("GET", "/nope")).status).toBe(404);
    expect((await client.admin("PUT", "/reset")).status).toBe(405);
  });
});

describe("the official ACK SDK against the emulator", () => {
  function sdk(): Client {
    const url = new URL(emulator.endpoint);
    return new Client(
      new $OpenApiUtil.Config({
        accessKeyId: emulator.credentials.accessKeyId,
        accessKeySecret: emulator.credentials.accessKeySecret,
        endpoint: url.host,
        protocol: "http",
        regionId: "cn-hangzhou",
      }),
    );
  }

  it("creates, describes, lists, modifies, polls and deletes a pool", async () => {
    const cs = sdk();
    const created = await cs.createClusterNodePool(
      CLUSTER,
      new $cs.CreateClusterNodePoolRequest({
        nodepoolInfo: new $cs.CreateClusterNodePoolRequestNodepoolInfo({ name: "sdk-pool" }),
        scalingGroup: new $cs.CreateClusterNodePoolRequestScalingGroup({
          vswitchIds: ["vsw-1"],
          instanceTypes: ["ecs.g7.xlarge"],
          instanceChargeType: "PostPaid",
          desiredSize: 1,
          loginPassword: PASSWORD,
        }),
        kubernetesConfig: new $cs.CreateClusterNodePoolRequestKubernetesConfig({ runtime: "containerd" }),
      }),
    );
    const id = created.body!.nodepoolId!;
    expect(id).toMatch(/^np/);
    expect(created.statusCode).toBe(200);

    const task = await cs.describeTaskInfo(created.body!.taskId!);
    expect(task.body!.state).toBe("success");

    const detail = await cs.describeClusterNodePoolDetail(CLUSTER, id);
    expect(detail.body!.nodepoolInfo!.name).toBe("sdk-pool");
    expect(detail.body!.scalingGroup!.instanceTypes).toEqual(["ecs.g7.xlarge"]);
    expect(detail.body!.scalingGroup!.loginPassword).toBeUndefined();
    expect(detail.body!.status!.state).toBe("active");

    const listed = await cs.describeClusterNodePools(CLUSTER, new $cs.DescribeClusterNodePoolsRequest({ nodepoolName: "sdk-pool" }));
    expect(listed.body!.nodepools!.map((p) => p.nodepoolInfo!.nodepoolId)).toEqual([id]);

    const modified = await cs.modifyClusterNodePool(
      CLUSTER,
      id,
      new $cs.ModifyClusterNodePoolRequest({ scalingGroup: new $cs.ModifyClusterNodePoolRequestScalingGroup({ desiredSize: 3 }) }),
    );
    expect(modified.body!.taskId).toMatch(/^T-/);
    expect((await cs.describeClusterNodePoolDetail(CLUSTER, id)).body!.status!.totalNodes).toBe(3);

    const deleted = await cs.deleteClusterNodepool(CLUSTER, id, new $cs.DeleteClusterNodepoolRequest({ force: true }));
    expect(deleted.body!.taskId).toMatch(/^T-/);
    await expect(cs.describeClusterNodePoolDetail(CLUSTER, id)).rejects.toMatchObject({ code: "ErrorNodePoolNotFound", statusCode: 404 });

    const log = emulator.requests({ service: "ack" });
    expect(log.every((r) => r.status === 200 || r.code === "ErrorNodePoolNotFound")).toBe(true);
    expect((log[0].body as Body).scaling_group.login_password).toBe(REDACTED);
  });

  it("surfaces the emulator's throttling answer as the SDK's ThrottlingError with retryAfter", async () => {
    emulator.setRateLimit({ service: "ack", perSecond: 1, actions: ["DescribeClusterNodePools"] });
    const cs = sdk();
    await cs.describeClusterNodePools(CLUSTER, new $cs.DescribeClusterNodePoolsRequest({}));
    await expect(cs.describeClusterNodePools(CLUSTER, new $cs.DescribeClusterNodePoolsRequest({}))).rejects.toMatchObject({
      code: "Throttling.User",
      name: expect.stringMatching(/Throttling/),
      retryAfter: expect.any(Number),
    });
  });
});
