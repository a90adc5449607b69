/**
 * The alicloud.ens.NodePool handlers against the emulator over real HTTP: create, read, update (ModifyClusterNodePool
 * then ScaleClusterNodePool), delete, retries, not-found, partial failures, drift, timeouts, and 30 pools created at
 * once under the documented 10-calls-per-second limit.
 */
import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { definedOnly } from "../../provider/core/fields/spec";
import { ResourceInitError } from "../../provider/core/handler";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { EmulatorClient, REDACTED } from "../../provider/emulator";
import { ENS_RATE_LIMITED_ACTIONS, ENS_VERSION } from "../../provider/emulator/services/ens-nodepool";
import { LIST_PAGE_SIZE } from "../../provider/resources/ens-nodepool/api";
import { ensNodePoolHandlers as h } from "../../provider/resources/ens-nodepool/handler";
import { ENS_CLUSTER, ENS_REGION, ensPool, rpcParams, SimulatedClock, startEnsEnv, stopEnsEnv, type EnsEnv } from "../support/ens";

type Props = Record<string, any>;

/** The host calls check before create/update; the provider sees the checked inputs. */
async function checked(props: Props, olds: Props = {}) {
  const r = await h.check(olds, props);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (v && typeof v === "object") return Object.values(v).some(hasUndefined);
  return false;
}

const MUTATING = ["CreateClusterNodePool", "ModifyClusterNodePool", "ScaleClusterNodePool", "DeleteClusterNodePool"];
const mutating = (e: EnsEnv) => e.emulator.requests({ service: "ens" }).filter((r) => MUTATING.includes(r.action ?? ""));
/** A JSON-string parameter of a recorded request. */
const param = (r: { query: Record<string, string>; body?: unknown }, name: string) => JSON.parse(rpcParams(r)[name]);
const withSize = (n: number, from: Props = ensPool()): Props => ({ ...from, scalingGroup: { ...from.scalingGroup, desiredSize: n } });
const withPassword = (password: string): Props => {
  const p = ensPool();
  delete p.scalingGroup.keyPairName;
  p.password = password;
  return p;
};
const failure = async (p: Promise<unknown>): Promise<any> =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e) => e,
  );

describe("ENS node pool handlers against the emulator", () => {
  let env: EnsEnv;
  beforeEach(async () => {
    env = await startEnsEnv();
  });
  afterEach(async () => {
    await stopEnsEnv(env);
  });

  it("creates a pool, waits until it is active and returns typed outputs without undefined", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    expect(id).toMatch(new RegExp(`^${ENS_CLUSTER}:np[0-9a-f]{32}$`));
    expect(outs).toMatchObject({
      nodePoolId: id.split(":")[1],
      ensRegionId: ENS_REGION,
      status: { state: "active", totalNodes: 2, desiredNodes: 2, servingNodes: 2, initialNodes: 0, removingNodes: 0, failedNodes: 0 },
      schemaVersion: 1,
      kubernetesConfig: { userData: Buffer.from("#!/bin/sh\necho joined").toString("base64") },
    });
    expect(hasUndefined(outs)).toBe(false);
    expect(mutating(env).map((r) => r.action)).toEqual(["CreateClusterNodePool"]);
    const create = mutating(env)[0];
    expect(create.method).toBe("POST");
    expect(create.path).toBe("/");
    // Sent as a form body (the scaling group may carry the password): nothing in the URL.
    expect(create.query).toEqual({});
    expect(create.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(rpcParams(create).ClusterId).toBe(ENS_CLUSTER);
    expect(param(create, "NodepoolInfo")).toEqual({ Name: "edge" });
    expect(param(create, "ScalingGroup")).toMatchObject({ DesiredSize: 2, KeyPairName: "edge-key", DataDisks: [{ Category: "cloud_efficiency", Size: 80 }] });
    expect(param(create, "KubernetesConfig")).toEqual({ UserData: Buffer.from("#!/bin/sh\necho joined").toString("base64") });
  });

  it("reads an unchanged pool back to the same outputs, so a refresh changes nothing", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    const read = await h.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    expect((await h.diff(id, read.props!, await checked(ensPool()))).changes).toBe(false);
  });

  it("never diffs the password against the masked value the cloud answers, and never logs it", async () => {
    const { id, outs } = await h.create(await checked(withPassword("Edge-Passw0rd")));
    const listed = env.ens.admin.pools(ENS_CLUSTER)[0];
    expect(listed.ScalingGroup.Password).toBe("************");
    const read = await h.read(id, outs);
    expect(read.props!.password).toBe("Edge-Passw0rd");
    expect((await h.diff(id, read.props!, await checked(withPassword("Edge-Passw0rd")))).changes).toBe(false);
    expect(JSON.stringify(env.emulator.requests())).not.toContain("Edge-Passw0rd");
  });

  it("changes the password in place through ModifyClusterNodePool", async () => {
    const { id, outs } = await h.create(await checked(withPassword("Edge-Passw0rd")));
    env.emulator.clearRequests();
    await h.update(id, outs, await checked(withPassword("New-Passw0rd1")));
    expect(mutating(env).map((r) => r.action)).toEqual(["ModifyClusterNodePool"]);
    const modify = mutating(env)[0];
    expect(modify.query).toEqual({});
    expect(param(modify, "ScalingGroup").Password).toBe(REDACTED);
    let stored: string | undefined;
    env.ens.admin.mutatePool(ENS_CLUSTER, String(outs.nodePoolId), (p) => (stored = p.scalingGroup.Password));
    expect(stored).toBe("New-Passw0rd1");
  });

  it("scales out through ScaleClusterNodePool with Body {Count: new total}, and nothing else", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.clearRequests();
    const news = await checked(withSize(5), ensPool());
    expect(await h.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.update(id, outs, news);
    expect(after.status).toMatchObject({ state: "active", totalNodes: 5, desiredNodes: 5 });
    expect(mutating(env).map((r) => [r.action, r.query.NodepoolId, param(r, "Body")])).toEqual([
      ["ScaleClusterNodePool", outs.nodePoolId, { Count: 5 }],
    ]);
  });

  it("modifies first and scales out second when both change, sending only the changed fields", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.clearRequests();
    const p = withSize(3);
    p.scalingGroup.imageId = "m-new";
    p.kubernetesConfig.preUserData = "echo prepare";
    const { outs: after } = await h.update(id, outs, await checked(p, ensPool()));
    const calls = mutating(env);
    expect(calls.map((r) => r.action)).toEqual(["ModifyClusterNodePool", "ScaleClusterNodePool"]);
    expect(param(calls[0], "NodepoolInfo")).toEqual({ NodepoolId: outs.nodePoolId });
    expect(param(calls[0], "ScalingGroup")).toEqual({ ImageId: "m-new" });
    expect(param(calls[0], "KubernetesConfig")).toEqual({ PreUserData: Buffer.from("echo prepare").toString("base64") });
    expect(param(calls[1], "Body")).toEqual({ Count: 3 });
    expect(after).toMatchObject({ scalingGroup: { imageId: "m-new", desiredSize: 3 }, status: { totalNodes: 3 } });
    expect(env.ens.admin.pools(ENS_CLUSTER)[0].ScalingGroup.ImageId).toBe("m-new");
  });

  it("refuses a lower desired size before sending anything, should one reach update", async () => {
    const { id, outs } = await h.create(await checked(withSize(3)));
    env.emulator.clearRequests();
    const news = withSize(1);
    news.scalingGroup.imageId = "m-new";
    const err = await failure(h.update(id, outs, await checked(news)));
    expect(err).not.toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/scalingGroup.desiredSize cannot be lowered from 3 to 1 in place/);
    expect(mutating(env)).toEqual([]);
  });

  it("sends no scale when the pool already has the desired size", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.ens.admin.mutatePool(ENS_CLUSTER, String(outs.nodePoolId), (p) => {
      Object.assign(p.status, { TotalNodes: 4, DesiredNodes: 4, ServingNodes: 4 });
    });
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked(withSize(4), ensPool()));
    expect(mutating(env)).toEqual([]);
    expect(after.status).toMatchObject({ totalNodes: 4 });
  });

  it("changes only local settings without any cloud call", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked({ ...ensPool(), timeouts: { delete: "2h" } }));
    expect(after.timeouts).toEqual({ delete: "2h" });
    expect(mutating(env)).toEqual([]);
  });

  it("waits for a busy pool to become active before modifying it", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.setProgression({ kind: "polls", count: 2 });
    // Someone scaled the pool out in the console: it is busy for the next two looks.
    await new EmulatorClient({ endpoint: env.emulator.endpoint, ...env.emulator.credentials, clock: env.clock }).rpc({
      action: "ScaleClusterNodePool",
      version: ENS_VERSION,
      params: { ClusterId: ENS_CLUSTER, NodepoolId: outs.nodePoolId, Body: { Count: 3 } },
    });
    env.emulator.clearRequests();
    const p = ensPool();
    p.scalingGroup.imageId = "m-new";
    await h.update(id, outs, await checked(p));
    expect(env.emulator.requests({ action: "ModifyClusterNodePool" }).map((r) => r.status)).toEqual([200]);
    expect(env.progress.join("\n")).toMatch(/state=scaling/);
  });

  it("deletes the pool and waits until it is gone", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.setProgression({ kind: "polls", count: 2 });
    await h.delete(id, outs);
    expect(env.ens.admin.pools(ENS_CLUSTER)).toEqual([]);
    expect(env.emulator.requests({ action: "DeleteClusterNodePool" }).map((r) => [r.query.ClusterId, r.query.NodepoolId])).toEqual([[ENS_CLUSTER, outs.nodePoolId]]);
  });

  it("treats a pool deleted outside Pulumi as gone: read returns no id and delete succeeds without a call", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.ens.admin.deletePool(ENS_CLUSTER, String(outs.nodePoolId));
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
    expect(env.emulator.requests({ action: "DeleteClusterNodePool" })).toEqual([]);
  });

  it("treats a pool whose cluster is gone (a NotFound code) as gone", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.reset();
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("treats a NotFound answer to the delete itself as done", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.injectFault({ action: "DeleteClusterNodePool", status: 404, code: "InvalidNodepoolId.NotFound", times: 1 });
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("shows changes made outside Pulumi as drift", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.ens.admin.mutatePool(ENS_CLUSTER, String(outs.nodePoolId), (p) => {
      p.scalingGroup.ImageId = "m-rogue";
      p.scalingGroup.InstanceTypes = ["ens.sn1.small", "ens.sn1.large"];
    });
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ scalingGroup: { imageId: "m-rogue", instanceTypes: ["ens.sn1.small", "ens.sn1.large"] } });
    expect(await h.diff(id, read.props!, await checked(ensPool()))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("refuses at preview to undo a scale-out made outside Pulumi once a refresh has recorded it", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.ens.admin.mutatePool(ENS_CLUSTER, String(outs.nodePoolId), (p) => Object.assign(p.status, { TotalNodes: 5, DesiredNodes: 5, ServingNodes: 5 }));
    const refreshed = await h.read(id, outs);
    expect(refreshed.inputs).toMatchObject({ scalingGroup: { desiredSize: 5 } });
    const r = await h.check(refreshed.inputs!, ensPool());
    expect(r.failures).toEqual([{ property: "scalingGroup.desiredSize", reason: expect.stringMatching(/cannot be lowered from 5 to 2/) }]);
  });

  it("finds a pool on a later page of DescribeClusterNodePools", async () => {
    const raw = new EmulatorClient({ endpoint: env.emulator.endpoint, ...env.emulator.credentials, clock: env.clock });
    for (let i = 0; i < LIST_PAGE_SIZE + 3; i++) {
      const r = await raw.rpc({
        action: "CreateClusterNodePool",
        version: ENS_VERSION,
        params: { ClusterId: ENS_CLUSTER, NodepoolInfo: { Name: `filler-${i}` }, ScalingGroup: { VswitchIds: ["vsw-1"], InstanceTypes: ["ens.sn1.small"], ImageId: "m-1", KeyPairName: "k" } },
      });
      expect(r.status).toBe(200);
    }
    env.emulator.clearRequests();
    const { id, outs } = await h.create(await checked(ensPool("last")));
    expect(env.emulator.requests({ action: "DescribeClusterNodePools" }).map((r) => r.query.PageNumber)).toEqual(["1", "2", "1", "2"]);
    expect((await h.read(id, outs)).id).toBe(id);
  });

  it("retries throttling and 5xx answers and creates exactly one pool", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", code: "Throttling.User", status: 400, times: 1 });
    env.emulator.injectFault({ action: "CreateClusterNodePool", code: "ServiceUnavailable", status: 503, times: 1 });
    env.emulator.injectFault({ action: "DescribeClusterNodePools", status: 500, code: "InternalError", times: 2 });
    await h.create(await checked(ensPool()));
    expect(env.ens.admin.pools(ENS_CLUSTER)).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" }).map((r) => r.status)).toEqual([400, 503, 200]);
  });

  it("retries a throttled scale-out and delete", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.injectFault({ action: "ScaleClusterNodePool", code: "Throttling.User", status: 400, times: 2 });
    env.emulator.injectFault({ action: "DeleteClusterNodePool", code: "Throttling.User", status: 400, times: 1 });
    const { outs: after } = await h.update(id, outs, await checked(withSize(4), ensPool()));
    await h.delete(id, after);
    expect(env.emulator.requests({ action: "ScaleClusterNodePool" }).map((r) => r.status)).toEqual([400, 400, 200]);
    expect(env.emulator.requests({ action: "DeleteClusterNodePool" }).map((r) => r.status)).toEqual([400, 200]);
    expect(env.ens.admin.pools()).toEqual([]);
  });

  it("reconciles a create whose answer was lost by finding the pool by name, never making a second one", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", afterHandler: true, dropConnection: "beforeResponse", times: 1 });
    const { id } = await h.create(await checked(ensPool()));
    const pools = env.ens.admin.pools(ENS_CLUSTER);
    expect(pools).toHaveLength(1);
    expect(id).toBe(`${ENS_CLUSTER}:${pools[0].NodepoolInfo.NodepoolId}`);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toHaveLength(1);
  });

  it("never sends a lost create again when the pool is not found right after (ENS allows duplicate names): it reports the unknown outcome", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", dropConnection: "beforeResponse", times: 1 });
    const err = await failure(h.create(await checked(ensPool())));
    expect(err.name).toBe("UnknownOutcomeError");
    expect(err.operation).toBe("CreateClusterNodePool");
    expect(err.message).toMatch(/the create is not sent again/);
    expect(err.message).toMatch(/The next `pulumi up` looks the name up first/);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toHaveLength(1);
    expect(env.ens.admin.pools(ENS_CLUSTER)).toHaveLength(0);
    // The next up finds the name free and creates the pool once.
    await h.create(await checked(ensPool()));
    expect(env.ens.admin.pools(ENS_CLUSTER)).toHaveLength(1);
  });

  it("records only the accepted ModifyClusterNodePool when the scale-out fails, so the next update sends the scale-out", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    const p = withSize(3);
    p.scalingGroup.imageId = "m-new";
    const news = await checked(p, ensPool());
    env.emulator.injectFault({ action: "ScaleClusterNodePool", status: 400, code: "SignatureDoesNotMatch", times: 1 });
    const err = await failure(h.update(id, outs, news));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.properties.scalingGroup).toMatchObject({ imageId: "m-new", desiredSize: 2 });
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, err.properties, news);
    expect(mutating(env).map((r) => r.action)).toEqual(["ScaleClusterNodePool"]);
    expect(after).toMatchObject({ scalingGroup: { imageId: "m-new", desiredSize: 3 }, status: { totalNodes: 3 } });
  });

  it("reconciles an accepted create whose answer was cut short (malformed body) the same way", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", afterHandler: true, malformedBody: true, times: 1 });
    const { id } = await h.create(await checked(ensPool()));
    expect(env.ens.admin.pools(ENS_CLUSTER).map((p) => `${ENS_CLUSTER}:${p.NodepoolInfo.NodepoolId}`)).toEqual([id]);
  });

  it("refuses to create a pool whose name is taken, before sending the create", async () => {
    await h.create(await checked(ensPool()));
    env.emulator.clearRequests();
    await expect(h.create(await checked(ensPool()))).rejects.toThrow(/already exists in ENS cluster/);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toEqual([]);
  });

  it("records a pool whose nodes failed, with its id, properties and reasons, and resumes once they are removed", async () => {
    env.ens.admin.failNextCreate();
    const err = await failure(h.create(await checked(ensPool())));
    expect(err).toBeInstanceOf(ResourceInitError);
    const pools = env.ens.admin.pools(ENS_CLUSTER);
    expect(pools).toHaveLength(1);
    const nodepoolId = pools[0].NodepoolInfo.NodepoolId;
    expect(err.id).toBe(`${ENS_CLUSTER}:${nodepoolId}`);
    expect(err.properties).toMatchObject({ nodePoolId: nodepoolId, nodepoolInfo: { name: "edge" }, status: { state: "active", failedNodes: 2 } });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(err.reasons.join(" ")).toMatch(/failed nodes; remove them with DeleteClusterNodes/);

    // The next `up` runs update on the recorded pool: still failing until the failed nodes are gone.
    const again = await failure(h.update(err.id, err.properties, await checked(ensPool())));
    expect(again).toBeInstanceOf(ResourceInitError);
    env.ens.admin.mutatePool(ENS_CLUSTER, nodepoolId, (p) => Object.assign(p.status, { FailedNodes: 0, ServingNodes: 2 }));
    const { outs } = await h.update(err.id, err.properties, await checked(ensPool()));
    expect(outs.status).toMatchObject({ state: "active", failedNodes: 0 });
  });

  it("times out with the last observed states and still records the pool", async () => {
    env.emulator.setProgression({ kind: "manual" });
    const err = await failure(h.create(await checked({ ...ensPool(), timeouts: { create: "10m" } })));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 10m/);
    expect(err.message).toMatch(/timeouts.create = 10m/);
    expect(err.message).toMatch(/state=scaling/);
    expect(err.properties.status).toMatchObject({ state: "scaling", initialNodes: 2 });
    expect(env.ens.admin.pools(ENS_CLUSTER)).toHaveLength(1);
  });

  it("times out an update with its own timeout and records the accepted change", async () => {
    const { id, outs } = await h.create(await checked(ensPool()));
    env.emulator.setProgression({ kind: "manual" });
    const err = await failure(h.update(id, outs, await checked({ ...withSize(3), timeouts: { update: "5m" } }, ensPool())));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after .*state=scaling.*timeouts.update = 5m/);
    expect(err.properties).toMatchObject({ scalingGroup: { desiredSize: 3 }, status: { state: "scaling" } });
  });

  it("rejects invalid input in check before any request reaches the cloud", async () => {
    const p = ensPool();
    p.scalingGroup.systemDiskSize = 25;
    p.scalingGroup.dataDisks = [{ size: 10 }];
    p.password = "Edge-Passw0rd";
    const r = await h.check({}, p);
    expect(r.failures).toEqual([
      { property: "scalingGroup.systemDiskSize", reason: expect.stringMatching(/multiple of 10/) },
      { property: "scalingGroup.dataDisks[0].size", reason: expect.stringMatching(/>= 20/) },
      { property: "scalingGroup.keyPairName", reason: expect.stringMatching(/not both/) },
    ]);
    expect(env.emulator.requests()).toEqual([]);
  });

  it("fails with one configuration error and no request when no credential is set", async () => {
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: { NODEPOOLS_ENDPOINT: env.emulator.endpoint, ALICLOUD_REGION: "cn-hangzhou" }, homeDir: "/nonexistent", readFile: () => undefined },
      clock: env.clock,
    });
    await expect(h.create(await checked(ensPool()))).rejects.toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests()).toEqual([]);
  });

  it("fails with a typed error naming the operation, code and request id when the cloud refuses", async () => {
    const err = await failure(h.create(await checked({ ...ensPool(), clusterId: "eck-missing" })));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.operation).toBe("DescribeClusterNodePools");
    expect(err.code).toBe("InvalidClusterId.NotFound");
    expect(err.requestId).toBeTruthy();
    expect(err.message).toContain(err.requestId);
    expect(env.emulator.requests({ action: "CreateClusterNodePool" })).toEqual([]);
  });

  it("never puts the password in an error, even when the cloud echoes it", async () => {
    env.emulator.injectFault({ action: "CreateClusterNodePool", status: 400, code: "InvalidParameter", message: "bad Password Edge-Passw0rd", times: 1 });
    const err = await failure(h.create(await checked(withPassword("Edge-Passw0rd"))));
    expect(String(err.message)).not.toContain("Edge-Passw0rd");
    expect(JSON.stringify(env.emulator.requests())).not.toContain("Edge-Passw0rd");
  });

  it("adopts an existing pool from its id alone, as the import option does", async () => {
    const { id, outs } = await h.create(await checked(withPassword("Edge-Passw0rd")));
    const read = await h.read(id, {});
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({
      clusterId: ENS_CLUSTER,
      nodepoolInfo: { name: "edge" },
      scalingGroup: { vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"], desiredSize: 2, imageId: "m-6734fzvcwcv2o8jj201cpa7ox" },
    });
    expect(read.inputs).not.toHaveProperty("password");
    expect(definedOnly(read.props)).toMatchObject({ nodePoolId: outs.nodePoolId, ensRegionId: ENS_REGION });
  });
});

describe("ENS node pools created at once by one program", () => {
  const POOLS = 30;
  let env: EnsEnv;
  let clock: SimulatedClock;
  beforeEach(async () => {
    clock = new SimulatedClock();
    env = await startEnsEnv(clock);
    env.emulator.setRateLimit({ service: "ens", perSecond: 10, actions: [...ENS_RATE_LIMITED_ACTIONS] });
  });
  afterEach(async () => {
    clock.dispose();
    await stopEnsEnv(env);
  });

  it("creates 30 pools concurrently under the 10-per-second limit: all succeed and the cloud never throttles", async () => {
    const started = clock.now();
    const names = Array.from({ length: POOLS }, (_, i) => `edge-${String(i).padStart(2, "0")}`);
    const inputs = await Promise.all(names.map((n) => checked(ensPool(n))));
    const results = await Promise.all(inputs.map((i) => h.create(i)));

    expect(new Set(results.map((r) => r.id)).size).toBe(POOLS);
    expect(results.every((r) => r.outs.status && (r.outs.status as Props).state === "active")).toBe(true);
    expect(env.ens.admin.pools(ENS_CLUSTER).map((p) => p.NodepoolInfo.Name).sort()).toEqual(names);

    const creates = env.emulator.requests({ action: "CreateClusterNodePool" });
    expect(creates.filter((r) => r.code === "Throttling.User")).toHaveLength(0);
    expect(creates).toHaveLength(POOLS);
    // The client queued the calls: at most 10 in any second (a sliding window of 1 s plus a 10 % margin), so they
    // went out 10 at a time, 1.1 s apart: the last one 2.2 s after the first, where the limit allows 2 s.
    const times = creates.map((r) => r.time).sort((a, b) => a - b);
    for (let i = 10; i < times.length; i++) expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(1000);
    expect(times[times.length - 1] - started).toBe(2200);
  });

  it("deletes and scales them at once under the same limit, sharing one budget per account", async () => {
    const created = [];
    for (let i = 0; i < 12; i++) created.push(await h.create(await checked(ensPool(`edge-${i}`))));
    env.emulator.clearRequests();
    await Promise.all(created.slice(0, 6).map((c) => h.update(c.id, c.outs, withSize(3, c.outs))));
    await Promise.all(created.map((c) => h.delete(c.id, c.outs)));
    const limited = env.emulator.requests({ service: "ens" }).filter((r) => (ENS_RATE_LIMITED_ACTIONS as readonly string[]).includes(r.action ?? ""));
    expect(limited.map((r) => r.action).sort()).toEqual([...Array(6).fill("ScaleClusterNodePool"), ...Array(12).fill("DeleteClusterNodePool")].sort());
    expect(limited.filter((r) => r.status !== 200)).toEqual([]);
    expect(env.ens.admin.pools()).toEqual([]);
  });
});
