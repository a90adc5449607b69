import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { definedOnly } from "../../provider/core/fields/spec";
import { ResourceInitError } from "../../provider/core/handler";
import { huaweiClient, parseHuaweiErrorBody } from "../../provider/core/huawei";
import { setRuntimeOverrides, type Runtime } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { MODELARTS_MODEL } from "../../provider/emulator/services/modelarts-nodepool";
import { modelArtsNodePoolHandlers as h } from "../../provider/resources/modelarts-nodepool/handler";
import { baseNodePool, POOL, startModelArtsEnv, stopModelArtsEnv, type ModelArtsEnv } from "../support/modelarts";

let env: ModelArtsEnv;
beforeEach(async () => {
  env = await startModelArtsEnv();
});
afterEach(async () => {
  await stopModelArtsEnv(env);
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

const ID = `${POOL}/nodepool-1`;
const mutating = (e: ModelArtsEnv) => e.emulator.requests({ service: "modelarts" }).filter((r) => r.method !== "GET");
const withResources = (change: Record<string, unknown>) => {
  const p = baseNodePool();
  Object.assign(p.spec.resources, change);
  return p;
};

describe("ModelArts node pool handlers against the emulator", () => {
  it("creates a node pool, waits until its nodes are available and returns typed outputs without undefined", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    expect(id).toBe(ID);
    expect(outs.status).toEqual({ creating: 0, available: 2, abnormal: 0, deleting: 0 });
    expect(outs.schemaVersion).toBe(1);
    expect(hasUndefined(outs)).toBe(false);
    expect(mutating(env).map((r) => r.action)).toEqual(["CreateNodePool"]);
    const create = env.emulator.requests({ action: "CreateNodePool" })[0];
    expect(create.path).toBe(`/v2/${env.env.HW_PROJECT_ID}/pools/${POOL}/nodepools`);
    expect(create.body).toEqual({ apiVersion: "v2", kind: "NodePool", metadata: { name: "nodepool-1" }, spec: baseNodePool().spec });
    expect(create.headers).toMatchObject({ "x-project-id": env.env.HW_PROJECT_ID, authorization: expect.stringMatching(/^SDK-HMAC-SHA256 Access=/) });
  });

  it("checks that the name is free with a GET of that name before it creates", async () => {
    await h.create(await checked(baseNodePool()));
    const log = env.emulator.requests({ service: "modelarts" });
    expect(log.slice(0, 2).map((r) => [r.action, r.status])).toEqual([["ShowNodePool", 400], ["CreateNodePool", 200]]);
  });

  it("waits through the creating state and reports progress", async () => {
    env.emulator.setProgression({ kind: "polls", count: 3 }, MODELARTS_MODEL);
    const { outs } = await h.create(await checked(baseNodePool()));
    expect(outs.status).toMatchObject({ available: 2, creating: 0 });
    expect(env.progress.some((l) => /creating=2 available=0/.test(l))).toBe(true);
    expect(env.clock.sleeps.length).toBeGreaterThan(0);
  });

  it("reads an unchanged node pool back to the same outputs, so a refresh changes nothing", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    const read = await h.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    expect((await h.diff(id, read.props!, await checked(baseNodePool()))).changes).toBe(false);
  });

  it("scales in place with a PATCH whose content type is application/merge-patch+json and whose body holds only the changed field", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.clearRequests();
    const news = await checked(withResources({ count: 3, azs: [{ az: "cn-north-4a", count: 3 }] }));
    expect(await h.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.update(id, outs, news);
    expect(after.status).toEqual({ creating: 0, available: 3, abnormal: 0, deleting: 0 });
    const patches = env.emulator.requests({ action: "PatchNodePool" });
    expect(patches).toHaveLength(1);
    expect(patches[0].method).toBe("PATCH");
    expect(patches[0].headers["content-type"]).toBe("application/merge-patch+json");
    expect(patches[0].body).toEqual({ spec: { resources: { count: 3, azs: [{ az: "cn-north-4a", count: 3 }] } } });
    expect(mutating(env)).toHaveLength(1);
  });

  it("waits for a scale-down until the deleting nodes are gone", async () => {
    const { id, outs } = await h.create(await checked(withResources({ azs: undefined })));
    env.emulator.setProgression({ kind: "polls", count: 2 }, MODELARTS_MODEL);
    const { outs: after } = await h.update(id, outs, await checked(withResources({ azs: undefined, count: 1 })));
    expect(after.status).toEqual({ creating: 0, available: 1, abnormal: 0, deleting: 0 });
    expect(env.progress.some((l) => /deleting=1/.test(l))).toBe(true);
  });

  it("patches labels as a merge patch: a removed label is sent as null and disappears", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.clearRequests();
    await h.update(id, outs, await checked(withResources({ labels: { accelerator: "a100" } })));
    expect(env.emulator.requests({ action: "PatchNodePool" })[0].body).toEqual({ spec: { resources: { labels: { accelerator: "a100", team: null } } } });
    expect(env.admin.nodePools()[0].spec.resources.labels).toEqual({ accelerator: "a100" });
  });

  it("changes only local settings without any cloud call", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked({ ...baseNodePool(), timeouts: { delete: "2h" } }));
    expect(after.timeouts).toEqual({ delete: "2h" });
    expect(mutating(env)).toHaveLength(0);
  });

  it("refuses to change the billing mode without an order id, before any request", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.clearRequests();
    const news = await checked({ ...baseNodePool(), metadata: { name: "nodepool-1", annotations: { billingMode: "0" } } });
    await expect(h.update(id, outs, news)).rejects.toThrow(/orderId is required to change metadata\.annotations\.billingMode/);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("deletes the node pool and waits until it is gone", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.setProgression({ kind: "polls", count: 2 }, MODELARTS_MODEL);
    await h.delete(id, outs);
    expect(env.admin.nodePools()).toHaveLength(0);
    expect(env.emulator.requests({ action: "DeleteNodePool" })).toHaveLength(1);
  });

  it("treats a node pool deleted outside Pulumi as gone: read returns no id and delete succeeds", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.admin.deleteNodePool(POOL, "nodepool-1");
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("treats a 404 and a missing resource pool (ModelArts.50015001) as gone", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.injectFault({ action: "ShowNodePool", status: 404, code: "ModelArts.50015001", message: `Pool ${POOL} not found.` });
    expect(await h.read(id, outs)).toEqual({});
    env.emulator.injectFault({ action: "ShowNodePool", status: 404, code: "APIGW.0101", message: "The API does not exist" });
    expect(await h.read(id, outs)).toEqual({});
  });

  it("does not take another ModelArts.50004000 bad request for gone", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.injectFault({ action: "ShowNodePool", status: 400, code: "ModelArts.50004000", message: "Bad request. limit must be positive" });
    await expect(h.read(id, outs)).rejects.toMatchObject({ code: "ModelArts.50004000", status: 400 });
  });

  it("shows a change made outside Pulumi as drift that updates in place", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.admin.mutateNodePool(POOL, "nodepool-1", (np) => {
      np.spec.resources.count = 3;
      np.spec.resources.labels = { ...np.spec.resources.labels, rogue: "yes" };
    });
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ spec: { resources: { count: 3, labels: { rogue: "yes" } } }, status: { available: 3 } });
    expect(await h.diff(id, read.props!, await checked(baseNodePool()))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    env.emulator.clearRequests();
    await h.update(id, read.props!, await checked(baseNodePool()));
    expect(env.emulator.requests({ action: "PatchNodePool" })[0].body).toEqual({ spec: { resources: { count: 2, labels: { accelerator: "t4", team: "ml", rogue: null } } } });
    expect(env.admin.nodePools()[0].spec.resources).toMatchObject({ count: 2, labels: { accelerator: "t4", team: "ml" } });
  });

  it("shows labels, taints and tags removed outside Pulumi as drift and puts them back", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.admin.mutateNodePool(POOL, "nodepool-1", (np) => {
      delete np.spec.resources.labels;
      delete np.spec.resources.taints;
      delete np.spec.resources.tags;
    });
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ spec: { resources: { labels: {}, taints: [], tags: [] } } });
    expect(await h.diff(id, read.props!, await checked(baseNodePool()))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await h.update(id, read.props!, await checked(baseNodePool()));
    expect(env.admin.nodePools()[0].spec.resources).toMatchObject({ labels: baseNodePool().spec.resources.labels, taints: baseNodePool().spec.resources.taints, tags: baseNodePool().spec.resources.tags });
  });

  it("does not show absent labels as drift when the program sets none", async () => {
    const p = baseNodePool();
    delete p.spec.resources.labels;
    const { id, outs } = await h.create(await checked(p));
    const read = await h.read(id, outs);
    expect(await h.diff(id, read.props!, await checked(p))).toMatchObject({ changes: false });
  });

  it("retries gateway throttling (429 APIG.0308) and 5xx answers and creates exactly one node pool", async () => {
    env.emulator.injectFault({ action: "CreateNodePool", status: 429, code: "APIG.0308", message: "The throttling threshold has been reached", times: 1 });
    env.emulator.injectFault({ action: "CreateNodePool", status: 503, code: "ModelArts.50005000", times: 1 });
    env.emulator.injectFault({ action: "ShowNodePool", status: 500, code: "ModelArts.50005000", times: 2 });
    await h.create(await checked(baseNodePool()));
    expect(env.admin.nodePools()).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateNodePool" }).map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it("retries APIGW.0308 on the PATCH too", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.injectFault({ action: "PatchNodePool", status: 429, code: "APIGW.0308", times: 2 });
    await h.update(id, outs, await checked(withResources({ maxCount: 6 })));
    expect(env.emulator.requests({ action: "PatchNodePool" }).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("reconciles a create whose answer was lost with a GET of the chosen name, never making a second one", async () => {
    env.emulator.injectFault({ action: "CreateNodePool", afterHandler: true, dropConnection: "afterBodyRead", times: 1 });
    const { id } = await h.create(await checked(baseNodePool()));
    expect(id).toBe(ID);
    expect(env.admin.nodePools()).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateNodePool" })).toHaveLength(1);
  });

  it("sends the create again when the lost create never happened", async () => {
    env.emulator.injectFault({ action: "CreateNodePool", dropConnection: "afterBodyRead", times: 1 });
    await h.create(await checked(baseNodePool()));
    expect(env.admin.nodePools()).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateNodePool" }).map((r) => r.status)).toEqual([0, 200]);
  });

  it("refuses to create a node pool whose name is taken, before sending the create", async () => {
    await h.create(await checked(baseNodePool()));
    env.emulator.clearRequests();
    await expect(h.create(await checked(baseNodePool()))).rejects.toThrow(/already exists in resource pool pool-gpu-a.*import.*"pool-gpu-a\/nodepool-1"/);
    expect(env.emulator.requests({ action: "CreateNodePool" })).toHaveLength(0);
  });

  it("records a node pool that was created but has abnormal nodes, with its id, properties and reasons", async () => {
    env.admin.failNextCreate({ abnormal: 1 });
    const err = await h.create(await checked(baseNodePool())).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.id).toBe(ID);
    expect(err.properties).toMatchObject({ poolName: POOL, metadata: { name: "nodepool-1" }, status: { available: 1, abnormal: 1 } });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(err.reasons.join(" ")).toMatch(/abnormal/);
    expect(env.admin.nodePools()).toHaveLength(1);
  });

  it("resumes a node pool recorded after a failed create: the next update waits until it is ready", async () => {
    env.admin.failNextCreate({ abnormal: 1 });
    const err = await h.create(await checked(baseNodePool())).catch((e) => e);
    env.admin.mutateNodePool(POOL, "nodepool-1", (np) => {
      np.status.resources = { available: { flavor: np.spec.resources.flavor, count: 2 } };
    });
    const { outs } = await h.update(err.id, err.properties, await checked(baseNodePool()));
    expect(outs.status).toEqual({ creating: 0, available: 2, abnormal: 0, deleting: 0 });
  });

  it("times out with the last observed states and still records the node pool", async () => {
    env.emulator.setProgression({ kind: "manual" }, MODELARTS_MODEL);
    const err = await h.create(await checked({ ...baseNodePool(), timeouts: { create: "10m" } })).then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 10m/);
    expect(err.message).toMatch(/creating=2 available=0/);
    expect(env.admin.nodePools()).toHaveLength(1);
  });

  it("records an update that the cloud accepted but that did not finish in time", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.setProgression({ kind: "manual" }, MODELARTS_MODEL);
    const err = await h.update(id, outs, await checked({ ...withResources({ count: 4, azs: undefined }), timeouts: { update: "5m" } })).catch((e) => e);
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 5m/);
    expect(err.properties).toMatchObject({ spec: { resources: { count: 4 } }, status: { available: 2, creating: 2 } });
  });

  it("fails an update the cloud refused with the typed error, leaving the recorded state as it was", async () => {
    const { id, outs } = await h.create(await checked(baseNodePool()));
    env.emulator.injectFault({ action: "PatchNodePool", status: 400, code: "ModelArts.50004000", message: "Bad request. quota exceeded" });
    const err = await h.update(id, outs, await checked(withResources({ count: 3, azs: undefined }))).catch((e) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).not.toBeInstanceOf(ResourceInitError);
    expect(err).toMatchObject({ operation: "PatchNodePool", code: "ModelArts.50004000" });
  });

  it("reports a delete the service refuses (a yearly/monthly node pool) instead of forgetting the node pool", async () => {
    const yearly = { ...baseNodePool(), metadata: { name: "nodepool-1", annotations: { billingMode: "1", periodNum: "1", periodType: "2", orderId: "CS-1" } } };
    const { id, outs } = await h.create(await checked(yearly));
    await expect(h.delete(id, outs)).rejects.toMatchObject({ operation: "DeleteNodePool", code: "ModelArts.50004000", message: expect.stringMatching(/yearly\/monthly/) });
    expect(env.admin.nodePools()).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateNodePool" })[0].body).toMatchObject({ metadata: { annotations: { "os.modelarts/billing.mode": "1", "os.modelarts/order.id": "CS-1" } } });
  });

  it("rejects invalid input in check before any request reaches the cloud", async () => {
    const p = baseNodePool();
    p.spec.resources.maxCount = 1;
    p.spec.resources.tags = [{ key: "CCE-reserved", value: "x" }];
    const r = await h.check({}, p);
    expect(r.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ property: "spec.resources.maxCount", reason: expect.stringMatching(/>= spec\.resources\.count/) }),
        expect.objectContaining({ property: "spec.resources.tags[0].key", reason: expect.stringMatching(/CCE-/) }),
      ]),
    );
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with one configuration error that says how to set the project id, and no request, when it is missing", async () => {
    const { HW_PROJECT_ID: _p, ...withoutProject } = env.env;
    setRuntimeOverrides({ resolve: { config: { get: () => undefined }, env: withoutProject, homeDir: "/nonexistent", readFile: () => undefined } });
    const err = await h.create(await checked(baseNodePool())).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toMatch(/No Huawei Cloud project id found/);
    expect(err.message).toMatch(/pulumi config set huaweicloud:projectId <id>/);
    expect(err.message).toMatch(/HW_PROJECT_ID/);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with a configuration error and no request when no credential is set", async () => {
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: { NODEPOOLS_ENDPOINT_MODELARTS: env.emulator.endpoint, HW_REGION_NAME: "cn-north-4", HW_PROJECT_ID: "p" }, homeDir: "/nonexistent", readFile: () => undefined },
    });
    await expect(h.create(await checked(baseNodePool()))).rejects.toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with a typed error naming the operation, the ModelArts code and the X-Request-Id when the cloud refuses", async () => {
    const err = await h.create(await checked({ ...baseNodePool(), poolName: "pool-missing" })).catch((e) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.operation).toBe("CreateNodePool");
    expect(err.code).toBe("ModelArts.50015001");
    expect(err.status).toBe(404);
    expect(err.cloudMessage).toBe("Pool pool-missing not found.");
    expect(err.requestId).toBe(env.emulator.requests({ action: "CreateNodePool" })[0].requestId);
    expect(err.message).toContain(err.requestId);
  });

  it("does not retry a signature failure (APIGW.0301) and reports it as an auth error", async () => {
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: { ...env.env, HW_SECRET_KEY: "wrong-secret-key" }, homeDir: "/nonexistent", readFile: () => undefined },
      clock: env.clock,
    });
    const err = await h.create(await checked(baseNodePool())).catch((e) => e);
    expect(err).toMatchObject({ kind: "auth", code: "APIGW.0301", status: 401 });
    expect(err.message).not.toContain("wrong-secret-key");
    expect(env.emulator.requests()).toHaveLength(1);
  });

  it("adopts an existing node pool from its id alone, as the import option does", async () => {
    await h.create(await checked(baseNodePool()));
    const read = await h.read(ID, {});
    expect(read.id).toBe(ID);
    expect(read.inputs).toMatchObject({
      poolName: POOL,
      metadata: { name: "nodepool-1" },
      spec: { resources: { flavor: "modelarts.vm.gpu.t4u8", count: 2, maxCount: 4, labels: { accelerator: "t4", team: "ml" } } },
    });
    expect(definedOnly(read.props)).toMatchObject({ status: { available: 2 } });
    expect((await h.check({}, read.inputs!)).failures ?? []).toEqual([]);
  });

  it("rejects an id that is not <poolName>/<nodePoolName>", async () => {
    await expect(h.read("no-slash", {})).rejects.toThrow(/expected "<poolName>\/<nodePoolName>"/);
  });
});

describe("the Huawei client", () => {
  const runtime = (config: Record<string, string>, envVars: Record<string, string> = {}): Runtime => ({
    resolve: { config: configFromRecord(config), env: envVars, homeDir: "/nonexistent", readFile: () => undefined },
    clock: new FakeClock(),
    log: () => undefined,
    progress: () => undefined,
    pollDelayScale: 1,
  });
  const keys = { "huaweicloud:accessKey": "HPUAKEY000000001", "huaweicloud:secretKey": "secret-0001", "huaweicloud:projectId": "p1" };

  it("uses the regional endpoint modelarts.{region}.myhuaweicloud.com, and .cn for ap-southeast-1", () => {
    expect(huaweiClient(runtime({ ...keys, "huaweicloud:region": "cn-north-4" })).endpoint).toBe("https://modelarts.cn-north-4.myhuaweicloud.com");
    expect(huaweiClient(runtime({ ...keys, "huaweicloud:region": "ap-southeast-1" })).endpoint).toBe("https://modelarts.ap-southeast-1.myhuaweicloud.cn");
  });

  it("reads settings at call time from config in either spelling, then HW_*, then HUAWEICLOUD_SDK_*", () => {
    const snake = huaweiClient(runtime({ "huaweicloud:access_key": "HPUASNAKE0000001", "huaweicloud:secret_key": "s", "huaweicloud:region": "cn-east-3", "huaweicloud:project_id": "p-snake" }));
    expect([snake.region, snake.projectId]).toEqual(["cn-east-3", "p-snake"]);
    const sdk = huaweiClient(runtime({}, { HUAWEICLOUD_SDK_AK: "HPUASDK000000001", HUAWEICLOUD_SDK_SK: "s", HUAWEICLOUD_SDK_REGION: "cn-south-1", HUAWEICLOUD_SDK_PROJECT_ID: "p-sdk" }));
    expect([sdk.region, sdk.projectId]).toEqual(["cn-south-1", "p-sdk"]);
    const hw = huaweiClient(runtime({}, { HW_ACCESS_KEY: "HPUAHW0000000001", HW_SECRET_KEY: "s", HW_REGION_NAME: "cn-north-9", HW_PROJECT_ID: "p-hw", HUAWEICLOUD_SDK_PROJECT_ID: "p-sdk" }));
    expect([hw.region, hw.projectId]).toEqual(["cn-north-9", "p-hw"]);
  });

  it("takes the endpoint from nodepools:endpoints.modelarts and refuses plain http to a non-loopback host", () => {
    const base = { ...keys, "huaweicloud:region": "cn-north-4" };
    expect(huaweiClient(runtime({ ...base, "nodepools:endpoints": JSON.stringify({ modelarts: "modelarts-vpc.example.com" }) })).endpoint).toBe("https://modelarts-vpc.example.com");
    expect(() => huaweiClient(runtime({ ...base, "nodepools:endpoints": JSON.stringify({ modelarts: "http://10.0.0.8:8080" }) }))).toThrow(ConfigurationError);
  });

  it("parses service errors, gateway errors with request_id, IAM-style nested errors and bodies that are not JSON", () => {
    expect(parseHuaweiErrorBody(400, { "x-request-id": "rid-h" }, JSON.stringify({ error_code: "ModelArts.50004000", error_msg: "Bad request." }))).toEqual({
      code: "ModelArts.50004000",
      message: "Bad request.",
      requestId: "rid-h",
    });
    expect(parseHuaweiErrorBody(429, {}, JSON.stringify({ error_msg: "The throttling threshold has been reached", error_code: "APIG.0308", request_id: "rid-b" }))).toEqual({
      code: "APIG.0308",
      message: "The throttling threshold has been reached",
      requestId: "rid-b",
    });
    expect(parseHuaweiErrorBody(401, {}, JSON.stringify({ error: { code: "IAM.0001", message: "token expired" } }))).toMatchObject({ code: "IAM.0001", message: "token expired" });
    expect(parseHuaweiErrorBody(502, {}, "<html>bad gateway</html>")).toEqual({ code: undefined, message: undefined, requestId: undefined });
  });
});
