/**
 * The cloud emulator's ModelArts model over real HTTP: APIG signature checks answered as APIG does, documented
 * validation errors, state moves of node pools, merge-patch semantics, admin routes, and interoperability with the
 * official Huawei SDK signer.
 */
import { request as httpRequest } from "node:http";
import { formatSdkDate } from "../../provider/core/signing/huawei";
import { CloudEmulator, EMULATOR_TEST_ACCOUNT } from "../../provider/emulator";
import { MODELARTS_MESSAGES, MODELARTS_MODEL, type ModelArtsAdmin } from "../../provider/emulator/services/modelarts-nodepool";
import { HuaweiTestClient, modelArtsAdmin, nodePoolBody, nodePoolPath, nodePoolsPath, POOL, PROJECT, type RawResponse } from "../support/modelarts";

const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const STS_ACCOUNT = { accessKeyId: "HPUASTSEMULATOR0001", accessKeySecret: "StsEmulatorSecret-0001", accountId: "5000000000000002", securityToken: "sts-token-emulator-0001" };
const OTHER_PROJECT = "ffffffffffffffffffffffffffffffff";

let emulator: CloudEmulator;
let admin: ModelArtsAdmin;
let client: HuaweiTestClient;

beforeAll(async () => {
  emulator = await CloudEmulator.start({ accounts: [EMULATOR_TEST_ACCOUNT, STS_ACCOUNT] });
  admin = modelArtsAdmin(emulator);
  client = new HuaweiTestClient(emulator.endpoint, { accessKey: emulator.credentials.accessKeyId, secretKey: emulator.credentials.accessKeySecret });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  admin.seedPool({ poolName: POOL });
});

const create = (body: unknown = nodePoolBody(), pool = POOL, project = PROJECT) => client.call({ method: "POST", path: nodePoolsPath(pool, project), body });
const show = (name = "nodepool-1") => client.call({ method: "GET", path: nodePoolPath(name) });
const list = () => client.call({ method: "GET", path: nodePoolsPath() });
const patch = (body: unknown, name = "nodepool-1", contentType = "application/merge-patch+json") =>
  client.call({ method: "PATCH", path: nodePoolPath(name), body, contentType });
const remove = (name = "nodepool-1") => client.call({ method: "DELETE", path: nodePoolPath(name) });

function expectServiceError(r: RawResponse, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.error_code }).toEqual({ status, code });
  if (message) expect(r.json.error_msg).toMatch(message);
  expect(r.headers["x-request-id"]).toMatch(/^[0-9A-F-]{36}$/);
  expect(r.headers["x-acs-request-id"]).toBeUndefined();
}

function expectGatewayError(r: RawResponse, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.json?.error_code }).toEqual({ status: 401, code });
  if (message) expect(r.json.error_msg).toMatch(message);
  expect(r.json.request_id).toBe(r.headers["x-request-id"]);
}

describe("APIG signature checks", () => {
  it("answers an unsigned request 401 APIGW.0301 with error_msg, error_code, request_id and X-Request-Id", async () => {
    const r = await client.call({ method: "GET", path: nodePoolsPath(), sign: false });
    expectGatewayError(r, "APIGW.0301", /Incorrect IAM authentication information: the Authorization header is missing/);
    expect(Object.keys(r.json)).toEqual(["error_msg", "error_code", "request_id"]);
  });

  it("answers a wrong secret key 401 APIGW.0301 verify aksk signature fail", async () => {
    expectGatewayError(await client.with({ secretKey: "not-the-secret" }).call({ method: "GET", path: nodePoolsPath() }), "APIGW.0301", /verify aksk signature fail/);
  });

  it("answers an unknown access key 401 APIGW.0301", async () => {
    expectGatewayError(await client.with({ accessKey: "HPUAUNKNOWN00000" }).call({ method: "GET", path: nodePoolsPath() }), "APIGW.0301", /does not exist/);
  });

  it("answers an X-Sdk-Date more than 15 minutes off 401 APIGW.0303", async () => {
    const r = await client.call({ method: "GET", path: nodePoolsPath(), date: new Date(Date.now() - 20 * 60_000) });
    expectGatewayError(r, "APIGW.0303", /more than 15 minutes/);
  });

  it("answers a body altered after signing 401 APIGW.0301 and creates nothing", async () => {
    const r = await client.call({ method: "POST", path: nodePoolsPath(), body: nodePoolBody(), sendBody: JSON.stringify(nodePoolBody("other")) });
    expectGatewayError(r, "APIGW.0301", /verify aksk signature fail/);
    expect(admin.nodePools()).toEqual([]);
  });

  it("accepts temporary credentials with their signed X-Security-Token, and refuses them without it", async () => {
    const sts = client.with({ accessKey: STS_ACCOUNT.accessKeyId, secretKey: STS_ACCOUNT.accessKeySecret, securityToken: STS_ACCOUNT.securityToken });
    admin.seedPool({ poolName: POOL, accountId: STS_ACCOUNT.accountId });
    expect((await sts.call({ method: "GET", path: nodePoolsPath() })).status).toBe(200);
    const noToken = sts.with({ securityToken: undefined });
    expectGatewayError(await noToken.call({ method: "GET", path: nodePoolsPath() }), "APIGW.0301", /security token/);
  });

  it("accepts a request signed by the official @huaweicloud/huaweicloud-sdk-core signer", async () => {
    const url = new URL(emulator.endpoint);
    const data = nodePoolBody("sdk-signed");
    const headers = AKSKSigner.sign(
      { endpoint: `${emulator.endpoint}${nodePoolsPath()}`, method: "POST", headers: { "content-type": "application/json", "X-Sdk-Date": formatSdkDate(new Date()) }, queryParams: {}, data },
      { getAk: () => emulator.credentials.accessKeyId, getSk: () => emulator.credentials.accessKeySecret },
    );
    const body = JSON.stringify(data);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: "POST", path: nodePoolsPath(), headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(200);
    expect(admin.nodePools().map((n) => n.metadata.name)).toEqual(["sdk-signed"]);
  });

  it("records requests with the signature and the security token redacted", async () => {
    const sts = client.with({ accessKey: STS_ACCOUNT.accessKeyId, secretKey: STS_ACCOUNT.accessKeySecret, securityToken: STS_ACCOUNT.securityToken });
    await sts.call({ method: "GET", path: nodePoolsPath() });
    const [entry] = emulator.requests({ service: "modelarts" });
    expect(entry).toMatchObject({ service: "modelarts", action: "ListNodePools", status: 404 });
    expect(entry.headers.authorization).toMatch(/Signature=\*\*\*$/);
    expect(entry.headers["x-security-token"]).toBe("***");
    expect(JSON.stringify(emulator.requests())).not.toContain(STS_ACCOUNT.securityToken);
  });
});

describe("node pool lifecycle with immediate progression", () => {
  it("creates a node pool and echoes it, then shows its nodes as available", async () => {
    const r = await create(nodePoolBody("nodepool-1", { count: 2, maxCount: 3, labels: { a: "1" } }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ apiVersion: "v2", kind: "NodePool", metadata: { name: "nodepool-1" }, spec: { resources: { count: 2, maxCount: 3, labels: { a: "1" } } } });
    const s = await show();
    expect(s.status).toBe(200);
    expect(s.json.status).toEqual({ resources: { available: { flavor: "modelarts.vm.2u4g.dcc", count: 2, maxCount: 3, nodePool: "nodepool-1" } } });
    expect(s.headers["x-request-id"]).toBeDefined();
  });

  it("lists the node pools of a resource pool", async () => {
    await create(nodePoolBody("a"));
    await create(nodePoolBody("b"));
    const r = await list();
    expect(r.json.items.map((i: any) => i.metadata.name)).toEqual(["a", "b"]);
  });

  it("deletes a node pool: 200 with the object, then the name is unknown", async () => {
    await create();
    const r = await remove();
    expect(r.status).toBe(200);
    expect(r.json.metadata.name).toBe("nodepool-1");
    expectServiceError(await show(), 400, "ModelArts.50004000", /^Bad request\. invalid nodepool name$/);
  });

  it("keeps state per project and per account", async () => {
    await create();
    expectServiceError(await client.call({ method: "GET", path: nodePoolPath("nodepool-1", POOL, OTHER_PROJECT) }), 404, "ModelArts.50015001");
    const sts = client.with({ accessKey: STS_ACCOUNT.accessKeyId, secretKey: STS_ACCOUNT.accessKeySecret, securityToken: STS_ACCOUNT.securityToken });
    expectServiceError(await sts.call({ method: "GET", path: nodePoolPath("nodepool-1") }), 404, "ModelArts.50015001");
  });
});

describe("not found", () => {
  it("answers a missing resource pool 404 ModelArts.50015001 on every node pool route", async () => {
    const other = "pool-missing";
    const msg = new RegExp(`^Pool ${other} not found\\.$`);
    expectServiceError(await create(nodePoolBody(), other), 404, "ModelArts.50015001", msg);
    expectServiceError(await client.call({ method: "GET", path: nodePoolsPath(other) }), 404, "ModelArts.50015001", msg);
    for (const method of ["GET", "DELETE"]) expectServiceError(await client.call({ method, path: nodePoolPath("np", other) }), 404, "ModelArts.50015001", msg);
    expectServiceError(await client.call({ method: "PATCH", path: nodePoolPath("np", other), body: {}, contentType: "application/merge-patch+json" }), 404, "ModelArts.50015001");
  });

  it("answers a missing node pool as the ShowNodePool example does: 400 ModelArts.50004000 invalid nodepool name", async () => {
    for (const r of [await show("nope"), await remove("nope"), await patch({ spec: { resources: { count: 1 } } }, "nope")]) {
      expectServiceError(r, 400, "ModelArts.50004000", /invalid nodepool name/);
      expect(Object.keys(r.json)).toEqual(["error_code", "error_msg"]);
    }
  });
});

describe("documented validation errors (400 ModelArts.50004000)", () => {
  const invalid = (name: string, body: unknown, message: RegExp) =>
    it(`rejects ${name}`, async () => {
      expectServiceError(await create(body), 400, "ModelArts.50004000", message);
      expect(admin.nodePools()).toEqual([]);
    });
  invalid("an apiVersion other than v2", { ...nodePoolBody(), apiVersion: "v1" }, /apiVersion must be "v2"/);
  invalid("a kind other than NodePool", { ...nodePoolBody(), kind: "Pool" }, /kind must be "NodePool"/);
  invalid("a body without metadata.name", { ...nodePoolBody(), metadata: {} }, /metadata\.name is required/);
  invalid("a body that is not JSON", "{not json", /not valid JSON/);
  invalid("a node pool without spec.resources", { ...nodePoolBody(), spec: {} }, /spec\.resources is required/);
  invalid("a node pool without a flavor", nodePoolBody("n", { flavor: undefined }), /flavor is required/);
  invalid("a negative count", nodePoolBody("n", { count: -1 }), /count must be an integer >= 0/);
  invalid("maxCount below count in a logical pool", nodePoolBody("n", { count: 3, maxCount: 2 }), /maxCount \(2\) must be >= spec\.resources\.count \(3\) in a logical pool/);
  invalid("a tag key starting with CCE-", nodePoolBody("n", { tags: [{ key: "CCE-x", value: "v" }] }), /cannot start with CCE- or __type_baremetal/);
  invalid("a tag key starting with __type_baremetal", nodePoolBody("n", { tags: [{ key: "__type_baremetal", value: "v" }] }), /cannot start with CCE-/);
  invalid("a taint without a valid effect", nodePoolBody("n", { taints: [{ key: "k", effect: "Always" }] }), /effect must be one of/);
  invalid("yearly/monthly billing without the period and the order", nodePoolBody("n", {}, { "os.modelarts/billing.mode": "1" }), /period\.num is mandatory when the billing mode is yearly\/monthly/);
  invalid("a period type other than 2, 3 and 4", nodePoolBody("n", {}, { "os.modelarts/period.type": "5" }), /period\.type must be "2", "3" or "4"/);
  invalid("a creating type other than hyperinstance", nodePoolBody("n", { creatingStep: { type: "batch" } }), /hyperinstance/);
  invalid("an image type other than private", nodePoolBody("n", { os: { imageType: "public" } }), /private/);
  invalid("a dockerBaseSize that is not a number", nodePoolBody("n", { extendParams: { dockerBaseSize: "big" } }), /dockerBaseSize/);

  it("requires maxCount to equal count in a physical pool", async () => {
    admin.seedPool({ poolName: "pool-physical", type: "physical" });
    expectServiceError(await create(nodePoolBody("n", { count: 1, maxCount: 2 }), "pool-physical"), 400, "ModelArts.50004000", /must equal spec\.resources\.count \(1\) in a physical pool/);
    expect((await create(nodePoolBody("n", { count: 2, maxCount: 2 }), "pool-physical")).status).toBe(200);
  });

  it("refuses taints, tags and network settings in a non-privileged pool", async () => {
    admin.seedPool({ poolName: "pool-plain", privileged: false });
    for (const [k, v] of Object.entries({ taints: [{ key: "k", effect: "NoSchedule" }], tags: [{ key: "k", value: "v" }], network: { vpc: "vpc-1" } })) {
      expectServiceError(await create(nodePoolBody("n", { [k]: v }), "pool-plain"), 400, "ModelArts.50004000", new RegExp(`spec\\.resources\\.${k} cannot be specified for a non-privileged pool`));
    }
    expect((await create(nodePoolBody("n", { labels: { a: "b" } }), "pool-plain")).status).toBe(200);
  });

  it("refuses a second node pool with the same name", async () => {
    await create();
    expectServiceError(await create(), 400, "ModelArts.50004000", /nodepool nodepool-1 already exists in pool pool-gpu-a/);
  });

  it("refuses to delete a yearly/monthly node pool", async () => {
    await create(nodePoolBody("nodepool-1", {}, { "os.modelarts/billing.mode": "1", "os.modelarts/period.num": "1", "os.modelarts/period.type": "2", "os.modelarts/order.id": "CS-1" }));
    expectServiceError(await remove(), 400, "ModelArts.50004000", /yearly\/monthly node pools cannot be deleted/);
  });
});

describe("state moves (progression: 1 poll)", () => {
  beforeEach(() => emulator.setProgression({ kind: "polls", count: 1 }, MODELARTS_MODEL));

  it("shows a new node pool's nodes as creating for one poll, then available", async () => {
    const r = await create(nodePoolBody("nodepool-1", { count: 2, maxCount: 2 }));
    expect(r.json.status).toEqual({ resources: { creating: { flavor: "modelarts.vm.2u4g.dcc", count: 2, maxCount: 2, nodePool: "nodepool-1" } } });
    expect((await show()).json.status.resources).toEqual({ creating: expect.objectContaining({ count: 2 }) });
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 2 }) });
  });

  it("shows a scale-up as creating next to the available nodes, and a scale-down as deleting", async () => {
    await create(nodePoolBody("nodepool-1", { count: 2, maxCount: 5 }));
    await show();
    await show();
    await patch({ spec: { resources: { count: 5 } } });
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 2 }), creating: expect.objectContaining({ count: 3 }) });
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 5 }) });
    await patch({ spec: { resources: { count: 1 } } });
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 1 }), deleting: expect.objectContaining({ count: 4 }) });
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 1 }) });
  });

  it("refuses a patch while the node pool is still creating", async () => {
    await create();
    expectServiceError(await patch({ spec: { resources: { labels: { a: "b" } } } }), 400, "ModelArts.50004000", /nodepool nodepool-1 is creating, try again later/);
  });

  it("shows a deleted node pool's nodes as deleting for one poll, then the node pool is gone", async () => {
    await create(nodePoolBody("nodepool-1", { count: 2, maxCount: 2 }));
    await show();
    await show();
    const r = await remove();
    expect(r.json.status.resources).toEqual({ deleting: expect.objectContaining({ count: 2 }) });
    expect((await show()).json.status.resources).toEqual({ deleting: expect.objectContaining({ count: 2 }) });
    expectServiceError(await show(), 400, "ModelArts.50004000", /invalid nodepool name/);
  });

  it("settles a create as abnormal after failNextCreate", async () => {
    admin.failNextCreate({ abnormal: 1 });
    await create(nodePoolBody("nodepool-1", { count: 3, maxCount: 3 }));
    await show();
    expect((await show()).json.status.resources).toEqual({ available: expect.objectContaining({ count: 2 }), abnormal: { flavor: "modelarts.vm.2u4g.dcc", count: 1 } });
    await create(nodePoolBody("nodepool-2"));
    await show("nodepool-2");
    expect((await show("nodepool-2")).json.status.resources).toEqual({ available: expect.objectContaining({ count: 1 }) });
  });

  it("moves busy node pools only when advanced under manual progression", async () => {
    emulator.setProgression({ kind: "manual" }, MODELARTS_MODEL);
    await create();
    for (let i = 0; i < 3; i++) expect((await show()).json.status.resources.creating).toBeDefined();
    expect(admin.advance()).toBe(1);
    expect((await show()).json.status.resources.available).toBeDefined();
  });
});

describe("PatchNodePool merge-patch semantics", () => {
  const resources = { count: 2, maxCount: 4, labels: { a: "1", b: "2" }, taints: [{ key: "k", effect: "NoSchedule" }], tags: [{ key: "env", value: "dev" }] };
  beforeEach(async () => {
    expect((await create(nodePoolBody("nodepool-1", resources, { "os.modelarts/billing.mode": "0", "os.modelarts/promotion.info": "p" }))).status).toBe(200);
  });

  it("merges objects member by member: a null removes a label, absent labels stay, new ones are added", async () => {
    const r = await patch({ spec: { resources: { labels: { a: null, c: "3" } } } });
    expect(r.status).toBe(200);
    expect(r.json.spec.resources.labels).toEqual({ b: "2", c: "3" });
    expect(r.json.spec.resources).toMatchObject({ count: 2, maxCount: 4, taints: resources.taints, tags: resources.tags });
  });

  it("replaces arrays whole", async () => {
    const r = await patch({ spec: { resources: { tags: [{ key: "owner", value: "ml" }], taints: [] } } });
    expect(r.json.spec.resources).toMatchObject({ tags: [{ key: "owner", value: "ml" }], taints: [], labels: resources.labels });
  });

  it("removes a member set to null (all labels) and leaves members the patch does not name", async () => {
    const r = await patch({ spec: { resources: { labels: null } } });
    expect(r.json.spec.resources).not.toHaveProperty("labels");
    expect(r.json.spec.resources.count).toBe(2);
  });

  it("patches billing annotations, removing one with null", async () => {
    const r = await patch({ metadata: { annotations: { "os.modelarts/promotion.info": null, "os.modelarts/auto.renew": "1" } } });
    expect(r.json.metadata.annotations).toEqual({ "os.modelarts/billing.mode": "0", "os.modelarts/auto.renew": "1" });
  });

  it("changes count and maxCount, and validates the merged document", async () => {
    expect((await patch({ spec: { resources: { count: 3, maxCount: 6 } } })).json.status.resources).toEqual({ available: expect.objectContaining({ count: 3, maxCount: 6 }) });
    expectServiceError(await patch({ spec: { resources: { count: 7 } } }), 400, "ModelArts.50004000", /maxCount \(6\) must be >= spec\.resources\.count \(7\)/);
  });

  it("accepts only Content-Type application/merge-patch+json", async () => {
    expectServiceError(await patch({ spec: { resources: { count: 3 } } }, "nodepool-1", "application/json;charset=UTF-8"), 400, "ModelArts.50004000", /merge-patch\+json/);
    expect((await patch({ spec: { resources: { count: 3 } } }, "nodepool-1", "application/merge-patch+json; charset=utf-8")).status).toBe(200);
  });

  it.each([
    ["flavor", { flavor: "modelarts.vm.8u32g" }],
    ["nodePool", { nodePool: "other" }],
    ["network", { network: { vpc: "vpc-2" } }],
    ["os", { os: { imageId: "img-2" } }],
  ])("refuses to change spec.resources.%s", async (field, change) => {
    expectServiceError(await patch({ spec: { resources: change } }), 400, "ModelArts.50004000", new RegExp(`spec\\.resources\\.${field} cannot be modified`));
  });

  it("refuses to rename the node pool", async () => {
    expectServiceError(await patch({ metadata: { name: "renamed" } }), 400, "ModelArts.50004000", /metadata\.name cannot be modified/);
  });
});

describe("gateway throttling and admin routes", () => {
  it("answers requests over the rate limit 429 APIG.0308 with Retry-After", async () => {
    emulator.setRateLimit({ service: "modelarts", perSecond: 1, actions: ["ListNodePools"] });
    expect((await list()).status).toBe(200);
    const r = await list();
    expect({ status: r.status, code: r.json.error_code, message: r.json.error_msg }).toEqual({ status: 429, code: "APIG.0308", message: MODELARTS_MESSAGES.throttled });
    expect(r.json.request_id).toBe(r.headers["x-request-id"]);
    expect(Number(r.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    emulator.setRateLimit(undefined);
  });

  it("seeds pools, lists, mutates and deletes node pools through /_emulator/modelarts", async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emulator.endpoint}/_emulator/modelarts${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await call("POST", "/pools", { poolName: "pool-b", type: "physical" })).json).toMatchObject({ poolName: "pool-b", projectId: PROJECT, type: "physical", privileged: true });
    expect((await call("GET", "/pools")).json.map((p: any) => p.poolName).sort()).toEqual(["pool-b", POOL]);
    await create();
    expect((await call("GET", `/nodepools?poolName=${POOL}`)).json).toEqual([expect.objectContaining({ poolName: POOL, projectId: PROJECT, metadata: { name: "nodepool-1" } })]);
    const mutated = await call("PATCH", `/nodepools/${POOL}/nodepool-1`, { spec: { resources: { count: 4, maxCount: 4 } } });
    expect(mutated.json.status.resources.available.count).toBe(4);
    expect((await show()).json.spec.resources.count).toBe(4);
    await call("DELETE", `/nodepools/${POOL}/nodepool-1`);
    expectServiceError(await show(), 400, "ModelArts.50004000", /invalid nodepool name/);
  });

  it("describes the modelarts service with its five operations", () => {
    expect(emulator.describeServices().find((s) => s.name === "modelarts")).toEqual({
      name: "modelarts",
      product: "modelarts",
      version: "v2",
      style: "ROA",
      actions: ["ListNodePools", "CreateNodePool", "ShowNodePool", "PatchNodePool", "DeleteNodePool"],
    });
  });
});
