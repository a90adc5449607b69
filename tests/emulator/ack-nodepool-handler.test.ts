import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { definedOnly } from "../../provider/core/fields/spec";
import { ResourceInitError } from "../../provider/core/handler";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { isNameTaken } from "../../provider/resources/ack-nodepool/api";
import { ackNodePoolHandlers as h } from "../../provider/resources/ack-nodepool/handler";
import { basePool, CLUSTER, startAckEnv, stopAckEnv, type AckEnv } from "../support/ack";

let env: AckEnv;
beforeEach(async () => {
  env = await startAckEnv();
});
afterEach(async () => {
  await stopAckEnv(env);
});

/** The host calls check before create/update; the provider sees the checked inputs. */
async function checked(props: Record<string, any>) {
  const r = await h.check({}, props);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (v && typeof v === "object") return Object.values(v).some(hasUndefined);
  return false;
}

const mutating = (e: AckEnv) => e.emulator.requests().filter((r) => r.method !== "GET");

describe("ACK node pool handlers against the emulator", () => {
  it("creates a pool, waits until it is active and returns typed outputs without undefined", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    expect(id).toMatch(new RegExp(`^${CLUSTER}:np[0-9a-f]{32}$`));
    expect(outs.nodePoolId).toBe(id.split(":")[1]);
    expect(outs.scalingGroupId).toMatch(/^asg-/);
    expect(outs.status).toMatchObject({ state: "active", totalNodes: 2 });
    expect(outs.schemaVersion).toBe(1);
    expect(hasUndefined(outs)).toBe(false);
    expect(mutating(env).map((r) => r.action)).toEqual(["CreateClusterNodePool"]);
    const create = env.emulator.requests({ action: "CreateClusterNodePool" })[0];
    expect(create.body).toMatchObject({
      nodepool_info: { name: "gpu" },
      auto_scaling: { type: "gpu" },
      kubernetes_config: { user_data: Buffer.from("#!/bin/sh\necho ready").toString("base64") },
    });
  });

  it("reads an unchanged pool back to the same outputs, so a refresh changes nothing", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    const read = await h.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    const diff = await h.diff(id, read.props!, await checked(basePool()));
    expect(diff.changes).toBe(false);
  });

  it("updates the desired size in place, sending only scaling_group.desired_size", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.clearRequests();
    const news = await checked({ ...basePool(), scalingGroup: { ...basePool().scalingGroup, desiredSize: 3 } });
    expect(await h.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.update(id, outs, news);
    expect(after.status).toMatchObject({ state: "active", totalNodes: 3 });
    const modify = env.emulator.requests({ action: "ModifyClusterNodePool" });
    expect(modify).toHaveLength(1);
    expect(modify[0].body).toEqual({ scaling_group: { desired_size: 3 } });
    expect(mutating(env)).toHaveLength(1);
  });

  it("sends kubelet settings through ModifyNodePoolNodeConfig and labels through ModifyClusterNodePool", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.clearRequests();
    const p = basePool();
    p.kubernetesConfig.labels = [{ key: "accelerator", value: "a100" }];
    p.nodeConfig = { kubeletConfiguration: { maxPods: 64 } };
    await h.update(id, outs, await checked(p));
    expect(mutating(env).map((r) => [r.action, r.body])).toEqual([
      ["ModifyClusterNodePool", { kubernetes_config: { labels: [{ key: "accelerator", value: "a100" }] } }],
      ["ModifyNodePoolNodeConfig", { kubelet_config: { maxPods: 64 } }],
    ]);
  });

  it("records only the accepted ModifyClusterNodePool when ModifyNodePoolNodeConfig fails, so the next update sends the kubelet change", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    const p = basePool();
    p.scalingGroup.desiredSize = 3;
    p.nodeConfig = { kubeletConfiguration: { maxPods: 64 } };
    const news = await checked(p);
    env.emulator.injectFault({ action: "ModifyNodePoolNodeConfig", status: 400, code: "SignatureDoesNotMatch", times: 1 });
    const err = await h.update(id, outs, news).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/ModifyNodePoolNodeConfig.*SignatureDoesNotMatch/);
    // The size change was sent and is recorded; the kubelet change was not, and the state does not claim it.
    expect(err.properties.scalingGroup.desiredSize).toBe(3);
    expect(err.properties.nodeConfig?.kubeletConfiguration?.maxPods).toBeUndefined();
    env.emulator.clearRequests();
    expect((await h.diff(id, err.properties, news)).changes).toBe(true);
    await h.update(id, err.properties, news);
    expect(mutating(env).map((r) => [r.action, r.body])).toEqual([["ModifyNodePoolNodeConfig", { kubelet_config: { maxPods: 64 } }]]);
  });

  it("asks the cloud to relabel existing nodes only when updateNodes is set", async () => {
    const { id, outs } = await h.create(await checked({ ...basePool(), updateNodes: true }));
    env.emulator.clearRequests();
    const p: Record<string, any> = { ...basePool(), updateNodes: true };
    p.kubernetesConfig.labels = [{ key: "accelerator", value: "a100" }];
    await h.update(id, outs, await checked(p));
    expect(env.emulator.requests({ action: "ModifyClusterNodePool" })[0].body).toEqual({
      kubernetes_config: { labels: [{ key: "accelerator", value: "a100" }] },
      update_nodes: true,
    });
  });

  it("changes only local settings without any cloud call", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked({ ...basePool(), timeouts: { delete: "2h" } }));
    expect(after.timeouts).toEqual({ delete: "2h" });
    expect(mutating(env)).toHaveLength(0);
  });

  it("deletes the pool with force=true by default and waits until it is gone", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    await h.delete(id, outs);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(0);
    const del = env.emulator.requests({ action: "DeleteClusterNodepool" });
    expect(del).toHaveLength(1);
    expect(del[0].query).toMatchObject({ force: "true" });
  });

  it("finishes a delete that an interrupted run started: the second DeleteClusterNodepool is refused while the first one's task runs, so it waits until the pool is gone", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.setProgression({ kind: "manual" });
    // The interrupted run: the cloud took its delete, then the run stopped waiting.
    await expect(h.delete(id, { ...outs, timeouts: { delete: "1m" } })).rejects.toThrow(/timed out after 1m/);
    env.emulator.setProgression({ kind: "polls", count: 2 });
    await h.delete(id, outs);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(0);
    expect(env.emulator.requests({ action: "DeleteClusterNodepool" }).map((r) => r.code ?? r.status)).toEqual([200, "ErrorNodePoolBusy"]);
    expect(env.progress.join("\n")).toMatch(/already being deleted \(state=deleting\); waiting until it is gone/);
  });

  it("treats a pool deleted outside Pulumi as gone: read returns no id and delete succeeds", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.ack.deletePool(CLUSTER, String(outs.nodePoolId));
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("shows a change made outside Pulumi as drift", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    env.emulator.ack.mutatePool(CLUSTER, String(outs.nodePoolId), (p) => {
      p.config.scaling_group.desired_size = 5;
      p.config.kubernetes_config.labels = [{ key: "accelerator", value: "a10" }, { key: "rogue", value: "yes" }];
    });
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ scalingGroup: { desiredSize: 5 } });
    const diff = await h.diff(id, read.props!, await checked(basePool()));
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("retries throttling and 5xx answers and creates exactly one pool", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", code: "Throttling.User", status: 400, times: 1 });
    env.emulator.injectFault({ action: "CreateClusterNodePool", code: "ServiceUnavailable", status: 503, times: 1 });
    env.emulator.injectFault({ action: "DescribeTaskInfo", status: 500, code: "InternalError", times: 2 });
    await h.create(await checked(basePool()));
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" }).map((r) => r.status)).toEqual([400, 503, 200]);
  });

  it("reconciles a create whose answer was lost by finding the pool by name, never making a second one", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", afterHandler: true, dropConnection: "beforeResponse", times: 1 });
    const { id } = await h.create(await checked(basePool()));
    const pools = env.emulator.ack.pools(CLUSTER);
    expect(pools).toHaveLength(1);
    expect(id).toBe(`${CLUSTER}:${pools[0].nodepool_info.nodepool_id}`);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toHaveLength(1);
  });

  it("refuses to create a pool whose name is taken, before sending the create, when the inputs carry no owner key", async () => {
    await h.create(await checked(basePool()));
    env.emulator.clearRequests();
    await expect(h.create(await checked(basePool()))).rejects.toThrow(/already exists in cluster/);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toHaveLength(0);
  });

  it("records a pool that was created but failed, with its id, properties and reasons", async () => {
    env.emulator.ack.failNextCreate("ECS stock exhausted");
    const err = await h.create(await checked(basePool())).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    const pools = env.emulator.ack.pools(CLUSTER);
    expect(pools).toHaveLength(1);
    expect(err.id).toBe(`${CLUSTER}:${pools[0].nodepool_info.nodepool_id}`);
    expect(err.properties).toMatchObject({ nodePoolId: pools[0].nodepool_info.nodepool_id, nodepoolInfo: { name: "gpu" } });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(err.reasons.join(" ")).toMatch(/ECS stock exhausted|fail/);
  });

  it("times out with the last observed states and still records the pool", async () => {
    env.emulator.setProgression({ kind: "manual" });
    const err = await h.create(await checked({ ...basePool(), timeouts: { create: "10m" } })).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 10m/);
    expect(err.message).toMatch(/running/);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(1);
  });

  it("rejects invalid input in check before any request reaches the cloud", async () => {
    const p = basePool();
    p.scalingGroup.vswitchIds = [];
    p.scalingGroup.systemDiskSize = 10;
    const r = await h.check({}, p);
    expect(r.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: "scalingGroup.vswitchIds" }),
        expect.objectContaining({ property: "scalingGroup.systemDiskSize" }),
      ]),
    );
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with one configuration error and no request when no credential is set", async () => {
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: { NODEPOOLS_ENDPOINT: env.emulator.endpoint, ALICLOUD_REGION: "cn-hangzhou" }, homeDir: "/nonexistent", readFile: () => undefined },
    });
    await expect(h.create(await checked(basePool()))).rejects.toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with a typed error naming the operation, code and request id when the cloud refuses", async () => {
    const err = await h.create(await checked({ ...basePool(), clusterId: "c-missing" })).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.operation).toBe("DescribeClusterNodePools");
    expect(err.code).toBe("ErrorClusterNotFound");
    expect(err.requestId).toBeTruthy();
    expect(err.message).toContain(err.requestId);
  });

  it("never puts the login password in a request log line or an error", async () => {
    const p = basePool();
    delete p.scalingGroup.keyPair;
    p.loginPassword = "Sup3r-Secret-Pw";
    env.emulator.injectFault({ action: "CreateClusterNodePool", status: 400, code: "InvalidParameter", message: "bad login_password Sup3r-Secret-Pw", times: 1 });
    const err = await h.create(await checked(p)).then(() => undefined, (e) => e);
    expect(String(err.message)).not.toContain("Sup3r-Secret-Pw");
    expect(JSON.stringify(env.emulator.requests())).not.toContain("Sup3r-Secret-Pw");
  });

  it("adopts an existing pool from its id alone, as the import option does", async () => {
    const { id, outs } = await h.create(await checked(basePool()));
    const read = await h.read(id, {});
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({
      clusterId: CLUSTER,
      nodepoolInfo: { name: "gpu" },
      scalingGroup: { vswitchIds: ["vsw-a", "vsw-b"], desiredSize: 2 },
      autoScaling: { type: "gpu" },
    });
    expect(definedOnly(read.props)).toMatchObject({ nodePoolId: outs.nodePoolId });
  });
});

/**
 * Inputs with an owner key, as every resource class sends them: ACK then creates first and looks the name up only
 * when the cloud refuses it as taken (`400 InvalidParameter.Name`) or the create's answer was lost.
 */
describe("ACK node pool create with an owner key: the create goes first", () => {
  const KEY = "proj/dev/gpu";
  const owned = (key = KEY) => checked({ ...basePool(), ownerKey: key });
  const actions = () => env.emulator.requests().map((r) => `${r.action} ${r.code ?? r.status}`);

  it("sends exactly CreateClusterNodePool, DescribeTaskInfo and DescribeClusterNodePoolDetail, without a name lookup", async () => {
    const { id } = await h.create(await owned());
    expect(actions()).toEqual(["CreateClusterNodePool 200", "DescribeTaskInfo 200", "DescribeClusterNodePoolDetail 200"]);
    expect(env.emulator.ack.pools(CLUSTER).map((p) => `${CLUSTER}:${p.nodepool_info.nodepool_id}`)).toEqual([id]);
  });

  it("adopts the pool of an earlier, interrupted run once the cloud refuses the name, and records it as the cloud has it", async () => {
    const first = await h.create(await owned());
    env.emulator.clearRequests();
    env.progress.length = 0;
    const inputs = await owned();
    const { id, outs } = await h.create({ ...inputs, scalingGroup: { ...(inputs.scalingGroup as Record<string, unknown>), desiredSize: 3 } });
    expect(id).toBe(first.id);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(1);
    expect(actions()).toEqual(["CreateClusterNodePool InvalidParameter.Name", "DescribeClusterNodePools 200", "DescribeClusterNodePoolDetail 200"]);
    expect(env.progress).toContain(`create node pool "gpu": adopting ${id}, which carries this resource's ownership mark (an earlier run created it and was interrupted)`);
    // What the cloud has, not the changed program: the next up shows the difference.
    expect(outs.scalingGroup).toMatchObject({ desiredSize: 2 });
  });

  it.each([
    ["another resource's mark", "proj/other-stack/gpu", "and carries the ownership mark of another Pulumi resource"],
    ["no mark", undefined, "and carries no ownership mark of pulumi-nodepools, so this resource did not create it"],
  ])("refuses a pool with %s once the cloud refuses the name, naming the field, the rule and the import id", async (_what, key, why) => {
    const stranger = await h.create(key === undefined ? await checked(basePool()) : await owned(key));
    env.emulator.clearRequests();
    await expect(h.create(await owned())).rejects.toThrow(
      `a node pool named "gpu" already exists in cluster ${CLUSTER} ${why}; names are unique in a cluster: choose another nodepoolInfo.name, ` +
        `or adopt it with the \`import\` resource option (id "${stranger.id}")`,
    );
    expect(actions()).toEqual(["CreateClusterNodePool InvalidParameter.Name", "DescribeClusterNodePools 200"]);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(1);
  });

  it("creates the pool when the pool that held the name is gone by the time of the lookup", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", status: 400, code: "InvalidParameter.Name", message: `nodepool name gpu is already exist in cluster ${CLUSTER}.`, times: 1 });
    const { id } = await h.create(await owned());
    expect(actions()).toEqual([
      "CreateClusterNodePool InvalidParameter.Name",
      "DescribeClusterNodePools 200",
      "CreateClusterNodePool 200",
      "DescribeTaskInfo 200",
      "DescribeClusterNodePoolDetail 200",
    ]);
    expect(env.emulator.ack.pools(CLUSTER).map((p) => `${CLUSTER}:${p.nodepool_info.nodepool_id}`)).toEqual([id]);
  });

  it("takes a refusal of a malformed name for what it is: the cloud's error, with no lookup", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", status: 400, code: "InvalidParameter.Name", message: "The nodepool name is invalid.", times: 1 });
    const err = await h.create(await owned()).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ operation: "CreateClusterNodePool", code: "InvalidParameter.Name", cloudMessage: "The nodepool name is invalid." });
    expect(actions()).toEqual(["CreateClusterNodePool InvalidParameter.Name"]);
    expect(env.emulator.ack.pools(CLUSTER)).toHaveLength(0);
  });

  it("fails with the create's typed error when the cluster does not exist, with no lookup", async () => {
    const err = await h.create(await checked({ ...basePool(), ownerKey: KEY, clusterId: "c-missing" })).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ operation: "CreateClusterNodePool", code: "ErrorClusterNotFound" });
    expect((err as CloudApiError).requestId).toBeTruthy();
    expect(actions()).toEqual(["CreateClusterNodePool ErrorClusterNotFound"]);
  });

  it("finds the pool of a create whose answer was lost by its name, never making a second one", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", afterHandler: true, dropConnection: "beforeResponse", times: 1 });
    const { id, outs } = await h.create(await owned());
    const pools = env.emulator.ack.pools(CLUSTER);
    expect(pools.map((p) => `${CLUSTER}:${p.nodepool_info.nodepool_id}`)).toEqual([id]);
    expect(actions()).toEqual(["CreateClusterNodePool 0", "DescribeClusterNodePools 200", "DescribeClusterNodePoolDetail 200"]);
    // Recorded as the cloud has it, which is what these inputs made: no diff.
    expect((await h.diff(id, outs, await owned())).changes).toBe(false);
  });

  it("retries a lookup the cloud throttles after refusing the name, then adopts", async () => {
    const first = await h.create(await owned());
    env.emulator.clearRequests();
    env.emulator.injectFault({ action: "DescribeClusterNodePools", status: 400, code: "Throttling.User", times: 1 });
    const { id } = await h.create(await owned());
    expect(id).toBe(first.id);
    expect(actions()).toEqual(["CreateClusterNodePool InvalidParameter.Name", "DescribeClusterNodePools Throttling.User", "DescribeClusterNodePools 200", "DescribeClusterNodePoolDetail 200"]);
  });
});

describe("isNameTaken", () => {
  const refusal = (code: string, message: string) => new CloudApiError({ operation: "CreateClusterNodePool", status: 400, code, message, kind: "client" });

  it("is ACK's refusal of a name already used in the cluster, and nothing else", () => {
    expect(isNameTaken(refusal("InvalidParameter.Name", `nodepool name gpu is already exist in cluster ${CLUSTER}.`))).toBe(true);
    expect(isNameTaken(refusal("InvalidParameter.Name", "The nodepool name is invalid."))).toBe(false);
    expect(isNameTaken(refusal("InvalidParameter", `nodepool name gpu is already exist in cluster ${CLUSTER}.`))).toBe(false);
    expect(isNameTaken(new Error(`InvalidParameter.Name: nodepool name gpu is already exist in cluster ${CLUSTER}.`))).toBe(false);
  });
});
