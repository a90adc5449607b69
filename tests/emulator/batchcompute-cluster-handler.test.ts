import { createHmac } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import * as $tea from "@alicloud/tea-typescript";
import OpenApiUtil from "@alicloud/openapi-util";
import { legacyRoaClient } from "../../provider/core/alibaba-legacy-roa";
import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { definedOnly } from "../../provider/core/fields/spec";
import { ResourceInitError } from "../../provider/core/handler";
import { currentRuntime, setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { idempotencyToken } from "../../provider/resources/batchcompute-cluster/api";
import { batchComputeClusterHandlers as h } from "../../provider/resources/batchcompute-cluster/handler";
import { ACCESS_KEY_SECRET, baseCluster, RoaV1Client, SECURITY_TOKEN, startBcEnv, stopBcEnv, type BcEnv } from "../support/batchcompute";

let env: BcEnv;
beforeEach(async () => {
  env = await startBcEnv();
});
afterEach(async () => {
  await stopBcEnv(env);
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

async function failureOf(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e) => e,
  );
}

const mutating = (e: BcEnv) => e.emulator.requests().filter((r) => r.method !== "GET");
const withGroups = (groups: Record<string, any>) => ({ ...baseCluster(), groups });

describe("Batch Compute cluster handlers against the emulator", () => {
  it("creates a cluster with an idempotency token, waits for its VMs and returns typed outputs without undefined", async () => {
    env.emulator.setProgression({ kind: "polls", count: 3 });
    const { id, outs } = await h.create(await checked(baseCluster()));
    expect(id).toMatch(/^cls-[0-9a-f]{22}$/);
    expect(outs).toMatchObject({
      clusterId: id,
      state: "Active",
      ownerId: "5000000000000001",
      actualVmCounts: { workers: 2 },
      metrics: { runningCount: 2, startingCount: 0 },
      schemaVersion: 1,
    });
    expect(outs.creationTime).toEqual(expect.any(String));
    expect(hasUndefined(outs)).toBe(false);
    expect(env.progress.some((l) => /workers 0\/2/.test(l))).toBe(true);
    const create = env.emulator.requests({ action: "CreateCluster" });
    expect(create).toHaveLength(1);
    expect(create[0].query.IdempotentToken).toMatch(/^pnp_[0-9a-f]{48}$/);
    expect(create[0].headers["x-acs-version"]).toBe("2015-11-11");
    expect(create[0].headers.authorization).toMatch(/^acs LTAI5tEmulatorTestKey01:\*\*\*$/);
    expect(create[0].body).toMatchObject({
      Name: "render",
      ImageId: "img-ubuntu",
      InstanceType: "bcs.a2.large",
      UserData: { role: "worker" },
      Configs: { Mounts: { Entries: [{ Destination: "/home/admin/data", Source: "oss://bucket/data/", WriteSupport: false }] } },
      Groups: { workers: { DesiredVMCount: 2, ResourceType: "OnDemand" } },
    });
  });

  it("reads an unchanged cluster back to the same outputs, so a refresh changes nothing", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    const read = await h.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    expect(await h.diff(id, read.props!, await checked(baseCluster()))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("updates the desired VM count in place through ModifyCluster and waits until the VMs follow", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.emulator.clearRequests();
    env.emulator.setProgression({ kind: "polls", count: 1 });
    const news = await checked(withGroups({ workers: { desiredVmCount: 5, resourceType: "OnDemand" } }));
    expect(await h.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.update(id, outs, news);
    expect(after).toMatchObject({ groups: { workers: { desiredVmCount: 5 } }, actualVmCounts: { workers: 5 } });
    expect(mutating(env).map((r) => [r.action, r.body])).toEqual([["ModifyCluster", { Groups: { workers: { DesiredVMCount: 5 } } }]]);
  });

  it("replaces the cluster for any other change of a group, and for a new group", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    const otherType = await checked(withGroups({ workers: { desiredVmCount: 2, resourceType: "OnDemand", instanceType: "bcs.b4.xlarge" } }));
    expect(await h.diff(id, outs, otherType)).toEqual({ changes: true, replaces: ["groups"], deleteBeforeReplace: false });
    const moreGroups = await checked(withGroups({ workers: { desiredVmCount: 2, resourceType: "OnDemand" }, spot: { desiredVmCount: 1, resourceType: "Spot" } }));
    expect((await h.diff(id, outs, moreGroups)).replaces).toEqual(["groups"]);
  });

  it("changes only local settings without any cloud call", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked({ ...baseCluster(), timeouts: { delete: "2h" } }));
    expect(after.timeouts).toEqual({ delete: "2h" });
    expect(mutating(env)).toHaveLength(0);
  });

  it("deletes the cluster and waits while it is Deleting until it is gone", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.emulator.setProgression({ kind: "polls", count: 2 });
    await h.delete(id, outs);
    expect(env.admin.clusters()).toHaveLength(0);
    expect(env.emulator.requests({ action: "DeleteCluster" }).map((r) => r.status)).toEqual([204]);
    expect(env.emulator.requests({ action: "GetCluster" }).slice(-3).map((r) => r.status)).toEqual([200, 200, 404]);
  });

  it("keeps waiting when DeleteCluster answers 409 StateConflict because a delete is already under way", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.emulator.setProgression({ kind: "polls", count: 2 });
    const direct = new RoaV1Client({ endpoint: env.emulator.endpoint, ...env.emulator.credentials });
    expect((await direct.remove(id)).status).toBe(204);
    await h.delete(id, outs);
    expect(env.emulator.requests({ action: "DeleteCluster" }).map((r) => [r.status, r.code ?? ""])).toEqual([
      [204, ""],
      [409, "StateConflict"],
    ]);
    expect(env.admin.clusters()).toHaveLength(0);
  });

  it("treats a cluster deleted outside Pulumi as gone: read returns no id and delete succeeds", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.admin.deleteCluster(id);
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("treats a cluster that is Deleting as gone on read", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.admin.mutateCluster(id, (c) => (c.state = "Deleting"));
    expect(await h.read(id, outs)).toEqual({});
  });

  it("shows a desired VM count changed outside Pulumi as drift that updates in place", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.admin.mutateCluster(id, (c) => (c.config.Groups.workers.DesiredVMCount = 7));
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ groups: { workers: { desiredVmCount: 7, resourceType: "OnDemand" } } });
    // Server-filled members ("" instance type, 0 price limit) are not drift.
    expect((read.props!.groups as any).workers).toEqual({ desiredVmCount: 7, resourceType: "OnDemand" });
    expect(await h.diff(id, read.props!, await checked(baseCluster()))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("shows a group added outside Pulumi as drift that replaces", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    env.admin.mutateCluster(id, (c) => (c.config.Groups.extra = { DesiredVMCount: 1, ResourceType: "Spot", SpotStrategy: "SpotAsPriceGo" }));
    const read = await h.read(id, outs);
    expect((read.props!.groups as any).extra).toEqual({ desiredVmCount: 1, resourceType: "Spot", spotStrategy: "SpotAsPriceGo" });
    expect((await h.diff(id, read.props!, await checked(baseCluster()))).replaces).toEqual(["groups"]);
  });

  it("retries throttling and 5xx answers and creates exactly one cluster", async () => {
    env.emulator.injectFault({ action: "CreateCluster", code: "Throttling.User", status: 400, times: 1 });
    env.emulator.injectFault({ action: "CreateCluster", code: "ServiceUnavailable", status: 503, times: 1 });
    env.emulator.injectFault({ action: "GetCluster", code: "InternalError", status: 500, times: 2 });
    await h.create(await checked(baseCluster()));
    expect(env.admin.clusters()).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateCluster" }).map((r) => r.status)).toEqual([400, 503, 201]);
  });

  it("repeats a create whose answer was lost with the same token and ends up with exactly one cluster", async () => {
    env.emulator.injectFault({ action: "CreateCluster", afterHandler: true, dropConnection: "afterBodyRead", times: 1 });
    const { id } = await h.create(await checked(baseCluster()));
    const clusters = env.admin.clusters();
    expect(clusters.map((c) => c.Id)).toEqual([id]);
    const creates = env.emulator.requests({ action: "CreateCluster" });
    expect(creates).toHaveLength(2);
    expect(creates[0].query.IdempotentToken).toBe(creates[1].query.IdempotentToken);
    expect(creates.map((r) => r.status)).toEqual([0, 201]);
  });

  it("reports the cluster with its id when the token liveness check after the accepted create fails", async () => {
    env.emulator.injectFault({ action: "GetCluster", status: 400, code: "SignatureDoesNotMatch", times: 1 });
    const err = await failureOf(h.create(await checked(baseCluster())));
    expect(err).toBeInstanceOf(ResourceInitError);
    const clusters = env.admin.clusters();
    expect(clusters).toHaveLength(1);
    expect(err.id).toBe(clusters[0].Id);
    expect(err.message).toMatch(/GetCluster.*SignatureDoesNotMatch/);
    expect(err.properties).toMatchObject({ clusterId: clusters[0].Id, name: "render" });
    // The next up resumes the recorded cluster.
    const { outs } = await h.update(err.id, err.properties, await checked(baseCluster()));
    expect(outs).toMatchObject({ state: "Active", actualVmCounts: { workers: 2 } });
    expect(env.admin.clusters()).toHaveLength(1);
  });

  it("finds the cluster of an earlier run whose answer was lost, as a rerun of `pulumi up` does", async () => {
    env.emulator.injectFault({ action: "CreateCluster", afterHandler: true, dropConnection: "afterBodyRead", times: 3 });
    const err = await failureOf(h.create(await checked(baseCluster())));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(env.admin.clusters()).toHaveLength(1);
    // The program runs again: no state, same inputs.
    const { id } = await h.create(await checked(baseCluster()));
    expect(env.admin.clusters().map((c) => c.Id)).toEqual([id]);
  });

  it("creates a new cluster when the same inputs come back after a destroy (the old token belongs to a gone cluster)", async () => {
    const first = await h.create(await checked(baseCluster()));
    await h.delete(first.id, first.outs);
    const second = await h.create(await checked(baseCluster()));
    expect(second.id).not.toBe(first.id);
    expect(env.admin.clusters().map((c) => c.Id)).toEqual([second.id]);
    const tokens = env.emulator.requests({ action: "CreateCluster" }).map((r) => r.query.IdempotentToken);
    expect(tokens).toHaveLength(3);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it("moves to the next token generation when only the OSS secret changed and the API answers IdempotentTokenMismatch", async () => {
    const withOss = (secret: string) => ({ ...baseCluster(), ossCredentials: { accessKeyId: "LTAIossReader", accessKeySecret: secret } });
    const first = await h.create(await checked(withOss(ACCESS_KEY_SECRET)));
    const diff = await h.diff(first.id, first.outs, await checked(withOss(`${ACCESS_KEY_SECRET}-rotated`)));
    expect(diff.replaces).toEqual(["ossCredentials.accessKeySecret"]);
    const second = await h.create(await checked(withOss(`${ACCESS_KEY_SECRET}-rotated`)));
    expect(second.id).not.toBe(first.id);
    const creates = env.emulator.requests({ action: "CreateCluster" });
    expect(creates.map((r) => [r.status, r.code ?? ""])).toEqual([
      [201, ""],
      [400, "IdempotentTokenMismatch"],
      [201, ""],
    ]);
  });

  it("records a cluster that was created but did not become ready in time, with its id, properties and reasons", async () => {
    env.emulator.setProgression({ kind: "manual" });
    const err = await failureOf(h.create(await checked({ ...baseCluster(), timeouts: { create: "10m" } })));
    expect(err).toBeInstanceOf(ResourceInitError);
    const [cluster] = env.admin.clusters();
    expect(err.id).toBe(cluster.Id);
    expect(err.message).toMatch(/timed out after 10m/);
    expect(err.message).toMatch(/workers 0\/2/);
    expect(err.properties).toMatchObject({ clusterId: cluster.Id, name: "render", actualVmCounts: { workers: 0 } });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(err.reasons.length).toBe(1);
    // The next `up` runs update, which resumes the wait.
    env.emulator.advance();
    const { outs } = await h.update(err.id, err.properties, await checked(baseCluster()));
    expect(outs.actualVmCounts).toEqual({ workers: 2 });
  });

  it("records a cluster that disappears while create waits for it", async () => {
    env.emulator.setProgression({ kind: "manual" });
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: env.env, homeDir: "/nonexistent", readFile: () => undefined },
      clock: env.clock,
      log: () => undefined,
      progress: () => {
        const [c] = env.admin.clusters();
        if (c) env.admin.deleteCluster(c.Id);
      },
    });
    const err = await failureOf(h.create(await checked(baseCluster())));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.reasons[0]).toMatch(/the cluster disappeared/);
  });

  it("rejects invalid input in check before any request reaches the cloud", async () => {
    const bad = baseCluster();
    bad.name = "9lives";
    bad.groups.workers.desiredVmCount = 0;
    bad.configs.networks.vpc.cidrBlock = "10.0.0.1/8";
    const r = await h.check({}, bad);
    expect(r.failures?.map((f) => f.property).sort()).toEqual(["configs.networks.vpc.cidrBlock", "groups.workers.desiredVmCount", "name"]);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with one configuration error and no request when no credential is set", async () => {
    setRuntimeOverrides({
      resolve: { config: { get: () => undefined }, env: { NODEPOOLS_ENDPOINT_BATCHCOMPUTE: env.emulator.endpoint, ALICLOUD_REGION: "cn-hangzhou" }, homeDir: "/nonexistent", readFile: () => undefined },
    });
    await expect(h.create(await checked(baseCluster()))).rejects.toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with a typed error naming the operation, code and request id when the cloud refuses (quota)", async () => {
    env.admin.setQuotas({ MaxClusterGroupDesiredVMCount: 4 });
    const err = await failureOf(h.create(await checked(withGroups({ workers: { desiredVmCount: 5, resourceType: "OnDemand" } }))));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ operation: "CreateCluster", status: 403, code: "QuotaExhausted.MaxClusterGroupDesiredVMCount" });
    expect(err.requestId).toBeTruthy();
    expect(err.message).toContain(err.requestId);
    expect(err.message).toContain("The MaxClusterGroupDesiredVMCount (4) quota is exhausted.");
    expect(env.admin.clusters()).toHaveLength(0);
  });

  it("never puts the OSS secret or token in a request log, a log line, an error or an output other than ossCredentials", async () => {
    const p = { ...baseCluster(), ossCredentials: { accessKeyId: "LTAIossReader", accessKeySecret: ACCESS_KEY_SECRET, securityToken: SECURITY_TOKEN } };
    env.emulator.injectFault({
      action: "CreateCluster",
      status: 400,
      code: "InvalidParameter",
      message: `bad OSS key ${ACCESS_KEY_SECRET} with token ${SECURITY_TOKEN}`,
      times: 1,
    });
    const err = await failureOf(h.create(await checked(p)));
    const { id, outs } = await h.create(await checked(p));
    const read = await h.read(id, outs);
    const everything = [
      String(err.message),
      JSON.stringify(env.emulator.requests()),
      env.logs.join("\n"),
      env.progress.join("\n"),
      JSON.stringify({ ...outs, ossCredentials: undefined }),
      JSON.stringify({ ...read.props, ossCredentials: undefined }),
      JSON.stringify(env.admin.clusters()),
    ].join("\n");
    expect(env.logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(ACCESS_KEY_SECRET);
    expect(everything).not.toContain(SECURITY_TOKEN);
    // The one place it is: the top-level secret output, which the resource class marks secret.
    expect(outs.ossCredentials).toEqual({ accessKeyId: "LTAIossReader", accessKeySecret: ACCESS_KEY_SECRET, securityToken: SECURITY_TOKEN });
    expect(read.props!.ossCredentials).toEqual(outs.ossCredentials);
  });

  it("sends the token the documented derivation gives for this resource", async () => {
    const inputs = await checked(baseCluster());
    await h.create(inputs);
    const [create] = env.emulator.requests({ action: "CreateCluster" });
    expect(create.query.IdempotentToken).toBe(idempotencyToken("proj/dev/render", create.body as Record<string, unknown>, 0));
  });

  it("adopts an existing cluster from its id alone, as the import option does", async () => {
    const { id, outs } = await h.create(await checked(baseCluster()));
    const read = await h.read(id, {});
    expect(read.id).toBe(id);
    expect(read.inputs).toMatchObject({
      name: "render",
      imageId: "img-ubuntu",
      userData: { role: "worker" },
      groups: { workers: { desiredVmCount: 2, resourceType: "OnDemand" } },
      configs: { networks: { vpc: { cidrBlock: "192.168.0.0/16" } } },
    });
    expect(read.inputs).not.toHaveProperty("ossCredentials");
    expect(definedOnly(read.props)).toMatchObject({ clusterId: outs.clusterId, state: "Active" });
  });
});

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A bare HTTP server that records requests and answers from a script (not the emulator: no verification). */
async function capturingServer(answers: Array<{ status: number; body: unknown }>): Promise<{ url: string; captured: Captured[]; close: () => Promise<void> }> {
  const captured: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      captured.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
      const answer = answers[Math.min(captured.length - 1, answers.length - 1)];
      res.writeHead(answer.status, { "content-type": "application/json", "x-acs-request-id": `R-${captured.length}` });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, captured, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The documented V1 string to sign, recomputed from a captured request (cloud-apis.md 1.4). */
function stringToSignOf(req: Captured): string {
  const h = req.headers;
  const acs = Object.keys(h)
    .filter((k) => k.startsWith("x-acs-"))
    .sort()
    .map((k) => `${k}:${h[k].trim()}\n`)
    .join("");
  const [path, qs = ""] = req.url.split("?");
  const query: Record<string, string> = {};
  for (const part of qs.split("&").filter(Boolean)) {
    const [k, v = ""] = part.split("=");
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const keys = Object.keys(query).sort();
  // Query values are signed decoded, not percent-encoded.
  const resource = keys.length ? `${path}?${keys.map((k) => `${k}=${query[k]}`).join("&")}` : path;
  return `${req.method}\n${h.accept ?? ""}\n${h["content-md5"] ?? ""}\n${h["content-type"] ?? ""}\n${h.date ?? ""}\n${acs}${resource}`;
}

function sdkStringToSign(req: Captured): string {
  const [path, qs = ""] = req.url.split("?");
  const tea = new $tea.Request();
  tea.method = req.method;
  tea.pathname = path;
  tea.query = Object.fromEntries(qs.split("&").filter(Boolean).map((p) => p.split("=").map(decodeURIComponent)));
  tea.headers = { ...req.headers };
  return OpenApiUtil.getStringToSign(tea);
}

describe("the legacy ROA V1 client", () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 2, 3, 4, 5));

  function pointAt(url: string) {
    setRuntimeOverrides({
      resolve: {
        config: configFromRecord({
          "alicloud:accessKey": "testid",
          "alicloud:secretKey": "testsecret",
          "alicloud:region": "cn-shenzhen",
          "nodepools:endpoints": JSON.stringify({ batchcompute: url }),
        }),
        env: {},
        homeDir: "/nonexistent",
        readFile: () => undefined,
      },
      clock,
      log: () => undefined,
    });
    return legacyRoaClient(currentRuntime(), "batchcompute", { version: "2015-11-11" });
  }

  it("sends requests whose signature the official V1 rules reproduce: string to sign recomputed by hand and by the SDK", async () => {
    const server = await capturingServer([{ status: 201, body: { Id: "cls-1" } }]);
    try {
      const client = pointAt(server.url);
      await client.roa({ action: "CreateCluster", method: "POST", path: "/clusters", query: { IdempotentToken: "pnp_1" }, body: { Name: "n" }, mutating: true });
      await client.roa({ action: "ListClusters", method: "GET", path: "/clusters", query: { Marker: "a b/c", MaxItemCount: "2" }, mutating: false });
      expect(server.captured).toHaveLength(2);
      for (const req of server.captured) {
        const sts = stringToSignOf(req);
        expect(sdkStringToSign(req)).toBe(sts);
        expect(req.headers.authorization).toBe(`acs testid:${createHmac("sha1", "testsecret").update(sts, "utf8").digest("base64")}`);
        expect(req.headers).toMatchObject({
          accept: "application/json",
          date: "Fri, 02 Jan 2026 03:04:05 GMT",
          "x-acs-version": "2015-11-11",
          "x-acs-region-id": "cn-shenzhen",
          "x-acs-signature-method": "HMAC-SHA1",
          "x-acs-signature-version": "1.0",
        });
        expect(req.headers["x-acs-signature-nonce"]).toMatch(/^[0-9a-f]{32}$/);
        expect(req.headers["content-md5"]).toBeUndefined();
      }
      const [post, get] = server.captured;
      expect(post.headers["content-type"]).toBe("application/json");
      expect(post.body).toBe(JSON.stringify({ Name: "n" }));
      expect(stringToSignOf(post)).toMatch(/^POST\napplication\/json\n\napplication\/json\nFri, 02 Jan 2026 03:04:05 GMT\nx-acs-region-id:cn-shenzhen\n/);
      expect(stringToSignOf(post).endsWith("\n/clusters?IdempotentToken=pnp_1")).toBe(true);
      expect(get.url).toBe("/clusters?Marker=a%20b%2Fc&MaxItemCount=2");
      expect(stringToSignOf(get).endsWith("\n/clusters?Marker=a b/c&MaxItemCount=2")).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("signs every attempt afresh: a retried request gets a new nonce and a signature over its own headers", async () => {
    const server = await capturingServer([
      { status: 503, body: { Code: "ServiceUnavailable", Message: "busy", RequestId: "R", HostId: "h" } },
      { status: 200, body: { Items: [], NextMarker: "" } },
    ]);
    try {
      const client = pointAt(server.url);
      await client.roa({ action: "ListClusters", method: "GET", path: "/clusters", mutating: false });
      const [first, second] = server.captured;
      expect(second.headers["x-acs-signature-nonce"]).not.toBe(first.headers["x-acs-signature-nonce"]);
      for (const req of [first, second]) {
        expect(req.headers.authorization).toBe(`acs testid:${createHmac("sha1", "testsecret").update(stringToSignOf(req), "utf8").digest("base64")}`);
      }
    } finally {
      await server.close();
    }
  });

  it("reads Batch Compute's error body {Code, Message, RequestId, HostId} into a typed error", async () => {
    const server = await capturingServer([{ status: 404, body: { HostId: "batchcompute.cn-shenzhen.aliyuncs.com", Code: "InvalidResource.NotFound", Message: "not here", RequestId: "REQ-9" } }]);
    try {
      const client = pointAt(server.url);
      const err = await failureOf(client.roa({ action: "GetCluster", method: "GET", path: "/clusters/cls-x", mutating: false }));
      expect(err).toBeInstanceOf(CloudApiError);
      expect(err).toMatchObject({ operation: "GetCluster", status: 404, code: "InvalidResource.NotFound", kind: "notFound", cloudMessage: "not here" });
      expect(err.requestId).toBe("REQ-9");
    } finally {
      await server.close();
    }
  });
});
