/**
 * The cloud emulator's Batch Compute (2015-11-11) model over real HTTP, with a client that signs with the legacy
 * ROA V1 scheme: lifecycle and progression, idempotency tokens, every row of the CreateCluster error table, routing
 * next to ACK, signature checks, and the admin accessors.
 */
import { FakeClock } from "../../provider/core/clock";
import { CloudEmulator, EmulatorClient, REDACTED, type RawResponse } from "../../provider/emulator";
import {
  BATCHCOMPUTE_DEFAULT_QUOTAS,
  BATCHCOMPUTE_MESSAGES,
  BATCHCOMPUTE_VERSION,
  type BatchComputeAdmin,
  type BatchComputeService,
} from "../../provider/emulator/services/batchcompute-cluster";
import { docErrorTable, RoaV1Client, type ErrorRow } from "../support/batchcompute";

type Body = Record<string, any>;

/** A valid CreateCluster body. */
function valid(changes: Body = {}): Body {
  return {
    Name: "cluster_1",
    ImageId: "img-ubuntu",
    InstanceType: "bcs.a2.large",
    Groups: { group1: { DesiredVMCount: 2, ResourceType: "OnDemand" } },
    ...changes,
  };
}
const withGroup = (g: Body) => valid({ Groups: { group1: { DesiredVMCount: 2, ResourceType: "OnDemand", ...g } } });
const withVpc = (vpc: Body) => valid({ Configs: { Networks: { VPC: vpc } } });
const withoutKey = (key: string) => {
  const b = valid();
  delete b[key];
  return b;
};

let emulator: CloudEmulator;
let bc: RoaV1Client;
let admin: BatchComputeAdmin;

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  bc = new RoaV1Client({ endpoint: emulator.endpoint, ...emulator.credentials });
  admin = emulator.service<BatchComputeService>("batchcompute").admin;
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
});

function expectError(r: RawResponse, status: number, code: string, message?: string | RegExp): void {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code });
  if (typeof message === "string") expect(r.json.Message).toBe(message);
  else if (message) expect(r.json.Message).toMatch(message);
  expect(r.json.RequestId).toBe(r.headers["x-acs-request-id"]);
  expect(r.json.HostId).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(Object.keys(r.json).sort()).toEqual(["Code", "HostId", "Message", "RequestId"]);
}

async function create(body: Body = valid(), token?: string): Promise<string> {
  const r = await bc.create(body, token);
  expect(r.status).toBe(201);
  return r.json.Id;
}

describe("cluster lifecycle with immediate progression", () => {
  it("creates a cluster and answers 201 with a cls- id and nothing else", async () => {
    const r = await bc.create(valid());
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ Id: expect.stringMatching(/^cls-[0-9a-f]{22}$/) });
  });

  it("gets a cluster in GetCluster's documented shape, without the OSS secret or token and without a top-level InstanceType", async () => {
    const id = await create(
      valid({
        Description: "demo",
        UserData: { key1: "value1" },
        Configs: { Mounts: { Entries: [{ Destination: "/data", Source: "oss://b/p/", WriteSupport: true }], OSS: { AccessKeyId: "LTAIoss", AccessKeySecret: "oss-secret", AccessSecurityToken: "oss-token" } } },
      }),
    );
    const r = await bc.get(id);
    expect(r.status).toBe(200);
    const c = r.json;
    expect(Object.keys(c).sort()).toEqual(
      ["Configs", "CreationTime", "Description", "Groups", "Id", "ImageId", "Metrics", "Name", "Notification", "OperationLogs", "OwnerId", "State", "UserData"].sort(),
    );
    expect(c).toMatchObject({ Id: id, Name: "cluster_1", OwnerId: 5000000000000001, Description: "demo", State: "Active", ImageId: "img-ubuntu", UserData: { key1: "value1" } });
    expect(c.Groups).toEqual({ group1: { DesiredVMCount: 2, ActualVMCount: 2, InstanceType: "", ResourceType: "OnDemand", SpotStrategy: "", SpotPriceLimit: 0 } });
    expect(c.Metrics).toEqual({ RunningCount: 2, StartingCount: 0, StoppingCount: 0, StoppedCount: 0 });
    expect(c.Configs.Mounts.OSS).toEqual({ AccessKeyId: "LTAIoss" });
    expect(c.Configs.Mounts.Entries).toEqual([{ Destination: "/data", Source: "oss://b/p/", WriteSupport: true }]);
    expect(r.text).not.toContain("oss-secret");
    expect(r.text).not.toContain("oss-token");
  });

  it("changes desired VM counts with ModifyCluster (200) and deletes with DeleteCluster (204), after which the cluster is not found", async () => {
    const id = await create();
    const m = await bc.modify(id, { Groups: { group1: { DesiredVMCount: 4 } } });
    expect(m.status).toBe(200);
    expect((await bc.get(id)).json.Groups.group1).toMatchObject({ DesiredVMCount: 4, ActualVMCount: 4 });
    const d = await bc.remove(id);
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expectError(await bc.get(id), 404, "InvalidResource.NotFound", BATCHCOMPUTE_MESSAGES.notFound(id));
  });

  it("lists clusters in pages of MaxItemCount with NextMarker", async () => {
    const ids = [await create(), await create(), await create()];
    const first = await bc.list({ MaxItemCount: "2" });
    expect(first.status).toBe(200);
    expect(first.json.Items.map((c: Body) => c.Id)).toEqual(ids.slice(0, 2));
    expect(first.json.NextMarker).toBe(ids[2]);
    const rest = await bc.list({ MaxItemCount: "2", Marker: first.json.NextMarker });
    expect(rest.json).toMatchObject({ NextMarker: "" });
    expect(rest.json.Items.map((c: Body) => c.Id)).toEqual([ids[2]]);
    expect((await bc.list()).json.Items).toHaveLength(3);
  });

  it("answers 400 for a MaxItemCount outside [1, 100] and for an unknown Marker", async () => {
    expectError(await bc.list({ MaxItemCount: "101" }), 400, "InvalidMaxItemCount", "Specified parameter MaxItemCount is not valid.");
    expectError(await bc.list({ MaxItemCount: "0" }), 400, "InvalidMaxItemCount");
    expectError(await bc.list({ Marker: "cls-nothere" }), 400, "InvalidMarker");
  });

  it("keeps clusters apart by region and by account", async () => {
    const id = await create();
    expectError(await bc.with({ region: "cn-beijing" }).get(id), 404, "InvalidResource.NotFound");
    expect((await bc.with({ region: "cn-hangzhou" }).get(id)).status).toBe(200);
    const other = await CloudEmulator.start({
      accounts: [
        { accessKeyId: "LTAIfirst", accessKeySecret: "first-secret-value", accountId: "1" },
        { accessKeyId: "LTAIsecond", accessKeySecret: "second-secret-value", accountId: "2" },
      ],
    });
    try {
      const a = new RoaV1Client({ endpoint: other.endpoint, accessKeyId: "LTAIfirst", accessKeySecret: "first-secret-value" });
      const b = a.with({ accessKeyId: "LTAIsecond", accessKeySecret: "second-secret-value" });
      const theirs = (await a.create(valid())).json.Id;
      expectError(await b.get(theirs), 404, "InvalidResource.NotFound");
      expect((await b.list()).json.Items).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});

describe("progression of VM changes and deletions", () => {
  it("starts VMs over the configured number of polls and shows them in ActualVMCount and Metrics", async () => {
    emulator.setProgression({ kind: "polls", count: 1 });
    const id = await create();
    const starting = (await bc.get(id)).json;
    expect(starting.Groups.group1).toMatchObject({ DesiredVMCount: 2, ActualVMCount: 0 });
    expect(starting.Metrics).toMatchObject({ RunningCount: 0, StartingCount: 2 });
    expect((await bc.get(id)).json.Groups.group1.ActualVMCount).toBe(2);
    await bc.modify(id, { Groups: { group1: { DesiredVMCount: 1 } } });
    expect((await bc.get(id)).json.Metrics).toMatchObject({ RunningCount: 2, StoppingCount: 1 });
    expect((await bc.get(id)).json.Groups.group1.ActualVMCount).toBe(1);
  });

  it("shows Deleting until the deletion settles, answers 409 StateConflict to a second delete and to a modify meanwhile", async () => {
    const id = await create();
    emulator.setProgression({ kind: "manual" });
    expect((await bc.remove(id)).status).toBe(204);
    expect((await bc.get(id)).json.State).toBe("Deleting");
    expectError(await bc.remove(id), 409, "StateConflict");
    expectError(await bc.modify(id, { Groups: { group1: { DesiredVMCount: 3 } } }), 409, "StateConflict");
    expect(admin.advance()).toBe(1);
    expectError(await bc.get(id), 404, "InvalidResource.NotFound");
  });

  it("completes changes after the configured time on the injected clock", async () => {
    const clock = new FakeClock(Date.now());
    const timed = await CloudEmulator.start({ clock, progression: { kind: "time", ms: 60_000 } });
    try {
      const client = new RoaV1Client({ endpoint: timed.endpoint, ...timed.credentials, now: () => clock.now() });
      const id = (await client.create(valid())).json.Id;
      expect((await client.get(id)).json.Groups.group1.ActualVMCount).toBe(0);
      clock.advance(60_000);
      expect((await client.get(id)).json.Groups.group1.ActualVMCount).toBe(2);
    } finally {
      await timed.stop();
    }
  });
});

describe("idempotency tokens", () => {
  it("answers the same Id for the same token and body, whatever the key order, and creates one cluster", async () => {
    const a = await create(valid(), "tok_1");
    const reordered = Object.fromEntries(Object.entries(valid()).reverse());
    const b = await create(reordered, "tok_1");
    expect(b).toBe(a);
    expect(admin.clusters()).toHaveLength(1);
  });

  it("answers 400 IdempotentTokenMismatch for the same token with another body", async () => {
    await create(valid(), "tok_1");
    expectError(await bc.create(valid({ Name: "cluster_2" }), "tok_1"), 400, "IdempotentTokenMismatch", "Specified idempotent token mismatch.");
    expect(admin.clusters()).toHaveLength(1);
  });

  it("remembers a token after its cluster is deleted and answers the old Id", async () => {
    const id = await create(valid(), "tok_1");
    await bc.remove(id);
    expect(await create(valid(), "tok_1")).toBe(id);
    expect(admin.clusters()).toHaveLength(0);
  });

  it("creates a cluster per request without a token, and rejects a token that is not 1-64 of [A-Za-z0-9_]", async () => {
    await create();
    await create();
    expect(admin.clusters()).toHaveLength(2);
    expectError(await bc.create(valid(), "has-dash"), 400, "InvalidIdempotentToken", "Specified parameter IdempotentToken is not valid.");
    expectError(await bc.create(valid(), "x".repeat(65)), 400, "InvalidIdempotentToken");
    expect(await create(valid(), "x".repeat(64))).toMatch(/^cls-/);
  });

  it("does not spend a token on a request that failed validation", async () => {
    expectError(await bc.create(withoutKey("Name"), "tok_1"), 400, "MissingName");
    expect(await create(valid(), "tok_1")).toMatch(/^cls-/);
  });
});

/** One request per row of the document's error table; `vars` fills the row's `{key}`, `{value}` and `{Parameter}`. */
const TRIGGERS: Record<string, { send: () => Promise<RawResponse>; vars?: Record<string, string> }> = {
  "IdempotentTokenMismatch|Specified idempotent token mismatch.": {
    send: async () => {
      await create(valid(), "tok_mismatch");
      return bc.create(valid({ Description: "other" }), "tok_mismatch");
    },
  },
  "InvalidJsonFormat|The request body has an invalid json format.": { send: () => bc.create("{not json") },
  "InvalidHttpBody|Specified parameter HttpBody is not valid. Its type must be object.": { send: () => bc.create([valid()]) },
  "MissingName|Name is mandatory for this action.": { send: () => bc.create(withoutKey("Name")) },
  "MissingConfigs.Networks.VPC.OppositeRouterId|Configs.Networks.VPC.OppositeRouterId is mandatory for this action.": {
    send: () => bc.create(withVpc({ OppositeAccessPointId: "ap-cn-beijing-1", OppositeRegionId: "cn-beijing" })),
  },
  "MissingConfigs.Networks.VPC.OppositeAccessPointId|Configs.Networks.VPC.OppositeAccessPointId is mandatory for this action.": {
    send: () => bc.create(withVpc({ OppositeRouterId: "vrt-1", OppositeRegionId: "cn-beijing" })),
  },
  "MissingConfigs.Networks.VPC.OppositeRegionId|Configs.Networks.VPC.OppositeRegionId is mandatory for this action.": {
    send: () => bc.create(withVpc({ OppositeRouterId: "vrt-1", OppositeAccessPointId: "ap-cn-beijing-1" })),
  },
  "InvalidName|Specified parameter Name is not valid. Its type must be string.": { send: () => bc.create(valid({ Name: 42 })) },
  "InvalidName|Specified parameter Name is not valid. Its length must be in [1, 64].": { send: () => bc.create(valid({ Name: "n".repeat(65) })) },
  "InvalidName|Specified parameter Name is not valid. It must only contain characters within [a-zA-Z0-9_-], and must not start with [0-9].": {
    send: () => bc.create(valid({ Name: "9lives" })),
  },
  "InvalidDescription|Specified parameter Description is not valid. Its type must be string.": { send: () => bc.create(valid({ Description: 1 })) },
  "InvalidDescription|Specified parameter Description is not valid. Its length must be in [0, 1024].": { send: () => bc.create(valid({ Description: "d".repeat(1025) })) },
  "MissingImageId|ImageId is mandatory for this action.": { send: () => bc.create(withoutKey("ImageId")) },
  "InvalidImageId|Specified parameter ImageId is not valid. Its type must be string.": { send: () => bc.create(valid({ ImageId: ["img-1"] })) },
  "InvalidImageId|Specified parameter ImageId is not valid. Its length must be in [1, 256].": { send: () => bc.create(valid({ ImageId: "" })) },
  "InvalidUserData|Specified parameter UserData is not valid. Its type must be object.": { send: () => bc.create(valid({ UserData: "k=v" })) },
  "InvalidUserData|Specified parameter UserData is not valid. Its size must be in [0, 64].": {
    send: () => bc.create(valid({ UserData: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) })),
  },
  "InvalidUserData.{key}|Specified parameter UserData.{key} is not valid. Its length must be in [1, 128].": {
    send: () => bc.create(valid({ UserData: { ["k".repeat(129)]: "v" } })),
    vars: { key: "k".repeat(129) },
  },
  "InvalidUserData.{key}.value|Specified parameter UserData.{key}.value is not valid. Its type must be string.": {
    send: () => bc.create(valid({ UserData: { key1: 1 } })),
    vars: { key: "key1" },
  },
  "InvalidUserData.{key}.value|Specified parameter UserData.{key}.value is not valid. Its length must be in [0, 1024].": {
    send: () => bc.create(valid({ UserData: { key1: "v".repeat(1025) } })),
    vars: { key: "key1" },
  },
  "InvalidGroups|Specified parameter Groups is not valid. Its type must be object.": { send: () => bc.create(valid({ Groups: [] })) },
  "InvalidGroups.{key}|Specified parameter Groups.{key} is not valid. Its type must be object.": {
    send: () => bc.create(valid({ Groups: { group1: 3 } })),
    vars: { key: "group1" },
  },
  "InvalidGroups.{key}|Specified parameter Groups.{key} is not valid. Its size must be in [1, 64].": {
    send: () => bc.create(valid({ Groups: { ["g".repeat(65)]: { DesiredVMCount: 1, ResourceType: "OnDemand" } } })),
    vars: { key: "g".repeat(65) },
  },
  "MissingDesiredVMCount|DesiredVMCount is mandatory for this action.": { send: () => bc.create(valid({ Groups: { group1: { ResourceType: "OnDemand" } } })) },
  "InvalidDesiredVMCount|Specified parameter DesiredVMCount is not valid. Its type must be integer.": { send: () => bc.create(withGroup({ DesiredVMCount: 1.5 })) },
  "InvalidDesiredVMCount|Specified parameter DesiredVMCount is not valid. It must be in [1, 65536].": { send: () => bc.create(withGroup({ DesiredVMCount: 65537 })) },
  "InvalidCidrBlock|Specified parameter CidrBlock is not valid. Configs.Networks.VPC.CidrBlock is not valid.": { send: () => bc.create(withVpc({ CidrBlock: "10.0.0.1/8" })) },
  "QuotaExhausted.MaxClusterCount|The MaxClusterCount ({value}) quota is exhausted.": {
    send: async () => {
      admin.setQuotas({ MaxClusterCount: 1 });
      await create();
      return bc.create(valid());
    },
    vars: { value: "1" },
  },
  "QuotaExhausted.MaxClusterGroupCount|The MaxClusterGroupCount ({value}) quota is exhausted.": {
    send: () => {
      admin.setQuotas({ MaxClusterGroupCount: 1 });
      return bc.create(valid({ Groups: { a: { DesiredVMCount: 1, ResourceType: "OnDemand" }, b: { DesiredVMCount: 1, ResourceType: "Spot" } } }));
    },
    vars: { value: "1" },
  },
  "QuotaExhausted.MaxClusterGroupDesiredVMCount|The MaxClusterGroupDesiredVMCount ({value}) quota is exhausted.": {
    send: () => {
      admin.setQuotas({ MaxClusterGroupDesiredVMCount: 4 });
      return bc.create(withGroup({ DesiredVMCount: 5 }));
    },
    vars: { value: "4" },
  },
  "QuotaExhausted.Configs.Networks.VPC.OppositeRouterType|The Configs.Networks.VPC.OppositeRouterType ({value}) is forbidden.": {
    send: () => {
      admin.setQuotas({ ForbiddenOppositeRouterTypes: ["VBR"] });
      return bc.create(withVpc({ OppositeRouterId: "vbr-1", OppositeAccessPointId: "ap-1", OppositeRegionId: "cn-beijing", OppositeRouterType: "VBR" }));
    },
    vars: { value: "VBR" },
  },
  "MissingInstanceType|InstanceType is mandatory for this action.": { send: () => bc.create(withoutKey("InstanceType")) },
  "InvalidInstanceType|Specified parameter InstanceType is not valid.": { send: () => bc.create(valid({ InstanceType: "large please" })) },
  "MissingResourceType|ResourceType is mandatory for this action.": { send: () => bc.create(valid({ Groups: { group1: { DesiredVMCount: 1 } } })) },
  "InvalidResourceType|Specified parameter ResourceType is not valid.": { send: () => bc.create(withGroup({ ResourceType: "Reserved" })) },
  "Invalid{Parameter}|Specified parameter {Parameter} is not valid.": { send: () => bc.create(withGroup({ SpotStrategy: "Sometimes" })), vars: { Parameter: "SpotStrategy" } },
};

const fill = (text: string, vars: Record<string, string> = {}) => text.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);

describe("the CreateCluster error table", () => {
  const rows = docErrorTable();

  it("is parsed from the document: 36 rows with 400 and 403 statuses", () => {
    expect(rows).toHaveLength(36);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set([400, 403]));
    expect(rows[0]).toMatchObject({ code: "IdempotentTokenMismatch", status: 400 });
    expect(rows[rows.length - 1]).toMatchObject({ code: "Invalid{Parameter}", message: "Specified parameter {Parameter} is not valid.", status: 400 });
  });

  it("has a request here for every row and no request for a row that does not exist", () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual(rows.map((r) => `${r.code}|${r.message}`).sort());
  });

  it.each(rows.map((r) => [`${r.code} (${r.status}): ${r.message}`, r] as const))("answers %s", async (_name, row: ErrorRow) => {
    const trigger = TRIGGERS[`${row.code}|${row.message}`];
    expect(trigger).toBeDefined();
    const r = await trigger.send();
    expectError(r, row.status, fill(row.code, trigger.vars), fill(row.message, trigger.vars));
    expect(admin.clusters().length).toBeLessThanOrEqual(1);
  });
});

describe("ModifyCluster and not-found answers", () => {
  it("answers 404 InvalidResource.NotFound for an unknown cluster on every cluster operation", async () => {
    for (const r of [await bc.get("cls-missing"), await bc.modify("cls-missing", { Groups: { g: { DesiredVMCount: 1 } } }), await bc.remove("cls-missing")]) {
      expectError(r, 404, "InvalidResource.NotFound", BATCHCOMPUTE_MESSAGES.notFound("cls-missing"));
    }
  });

  it("validates ModifyCluster: a known group, the DesiredVMCount range and quota, and only Groups in the body", async () => {
    const id = await create();
    expectError(await bc.modify(id, { Groups: { nope: { DesiredVMCount: 1 } } }), 400, "InvalidGroups.nope");
    expectError(await bc.modify(id, { Groups: { group1: { DesiredVMCount: 0 } } }), 400, "InvalidDesiredVMCount", BATCHCOMPUTE_MESSAGES.desiredVmCountRange);
    expectError(await bc.modify(id, { Groups: { group1: { ResourceType: "Spot" } } }), 400, "InvalidResourceType");
    expectError(await bc.modify(id, { ImageId: "img-2", Groups: {} }), 400, "InvalidImageId");
    expectError(await bc.modify(id, "{"), 400, "InvalidJsonFormat");
    admin.setQuotas({ MaxClusterGroupDesiredVMCount: 3 });
    expectError(await bc.modify(id, { Groups: { group1: { DesiredVMCount: 4 } } }), 403, "QuotaExhausted.MaxClusterGroupDesiredVMCount");
    expect((await bc.get(id)).json.Groups.group1.DesiredVMCount).toBe(2);
  });
});

describe("routing next to ACK", () => {
  it("sends /clusters requests with x-acs-version 2015-11-11 to Batch Compute and answers InvalidVersion for other versions", async () => {
    expect((await bc.list()).status).toBe(200);
    const noVersion = await bc.call({ method: "GET", path: "/clusters", version: null });
    expect({ status: noVersion.status, code: noVersion.json.Code }).toEqual({ status: 400, code: "InvalidVersion" });
    const ackVersion = await bc.call({ method: "GET", path: "/clusters", version: "2015-12-15" });
    expect({ status: ackVersion.status, code: ackVersion.json.Code }).toEqual({ status: 400, code: "InvalidVersion" });
  });

  it("still serves ACK node pools under /clusters/{id}/nodepools with 2015-12-15", async () => {
    const cluster = "c0123456789abcdef0123456789abcdef";
    emulator.seedCluster({ clusterId: cluster });
    const ack = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
    const r = await ack.roa({ action: "DescribeClusterNodePools", version: "2015-12-15", method: "GET", path: `/clusters/${cluster}/nodepools` });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ nodepools: [] });
  });

  it("describes the service with its actions", () => {
    expect(emulator.describeServices().find((s) => s.name === "batchcompute")).toEqual({
      name: "batchcompute",
      product: "batchcompute",
      version: BATCHCOMPUTE_VERSION,
      style: "ROA",
      actions: ["CreateCluster", "ListClusters", "GetCluster", "ModifyCluster", "DeleteCluster"],
    });
  });
});

describe("ROA V1 signature checks", () => {
  it("accepts the package's V1 signature and answers SignatureDoesNotMatch, in Batch Compute's error body, for a wrong secret", async () => {
    expect((await bc.list()).status).toBe(200);
    const r = await bc.with({ accessKeySecret: "not-the-secret" }).list();
    expectError(r, 400, "SignatureDoesNotMatch", /server string to sign is:GET\napplication\/json\n\n\n/);
    expect(r.text).not.toContain(emulator.credentials.accessKeySecret);
  });

  it("answers InvalidAccessKeyId.NotFound for an unknown access key and MissingAuthorization without a signature", async () => {
    expectError(await bc.with({ accessKeyId: "LTAInobody" }).list(), 404, "InvalidAccessKeyId.NotFound");
    expectError(await bc.call({ method: "GET", path: "/clusters", tamper: (h) => delete h.Authorization }), 400, "MissingAuthorization");
  });

  it("rejects a V3-signed request, which is not the scheme Batch Compute accepts", async () => {
    const v3 = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
    const r = await v3.roa({ action: "ListClusters", version: BATCHCOMPUTE_VERSION, method: "GET", path: "/clusters" });
    expectError(r, 400, "IncompleteSignature");
  });

  it("rejects a Date more than 15 minutes away from server time", async () => {
    expectError(await bc.call({ method: "GET", path: "/clusters", date: new Date(Date.now() - 16 * 60_000) }), 400, "InvalidTimeStamp.Expired");
  });

  it("rejects a query or an x-acs header changed after signing", async () => {
    const signed = bc.sign({ method: "POST", path: "/clusters", query: { IdempotentToken: "tok_a" }, body: valid() });
    expect(signed.target).toBe("/clusters?IdempotentToken=tok_a");
    expectError(await bc.send("POST", "/clusters?IdempotentToken=tok_b", signed.headers, signed.body), 400, "SignatureDoesNotMatch", /\/clusters\?IdempotentToken=tok_b$/);
    expectError(await bc.call({ method: "GET", path: "/clusters", tamper: (h) => (h["x-acs-region-id"] = "cn-beijing") }), 400, "SignatureDoesNotMatch");
    expect(admin.clusters()).toHaveLength(0);
    expect((await bc.send("POST", signed.target, signed.headers, signed.body)).status).toBe(201);
  });

  it("accepts STS credentials only with the account's security token", async () => {
    const sts = await CloudEmulator.start({ accounts: [{ accessKeyId: "STS.key", accessKeySecret: "sts-secret-value", accountId: "7", securityToken: "sts-token-value" }] });
    try {
      const client = new RoaV1Client({ endpoint: sts.endpoint, accessKeyId: "STS.key", accessKeySecret: "sts-secret-value", securityToken: "sts-token-value" });
      expect((await client.list()).status).toBe(200);
      const r = await client.with({ securityToken: undefined }).list();
      expect({ status: r.status, code: r.json.Code }).toEqual({ status: 400, code: "InvalidSecurityToken.Mismatch" });
    } finally {
      await sts.stop();
    }
  });
});

describe("rate limits, faults and the request log", () => {
  it("answers Throttling.User with x-acs-retry-after in Batch Compute's error body once an action exceeds its rate", async () => {
    emulator.setRateLimit({ service: "batchcompute", perSecond: 1, actions: ["ListClusters"] });
    expect((await bc.list()).status).toBe(200);
    const r = await bc.list();
    expectError(r, 400, "Throttling.User", "Request was denied due to user flow control.");
    expect(Number(r.headers["x-acs-retry-after"])).toBeGreaterThan(0);
    expect((await bc.get("cls-missing")).status).toBe(404);
  });

  it("answers an injected fault in Batch Compute's error body, then the real handler answers again", async () => {
    emulator.injectFault({ service: "batchcompute", action: "CreateCluster", status: 503, code: "ServiceUnavailable" });
    expectError(await bc.create(valid()), 503, "ServiceUnavailable");
    expect((await bc.create(valid())).status).toBe(201);
  });

  it("records requests with the IdempotentToken and without the OSS secret, token or signature", async () => {
    await create(valid({ Configs: { Mounts: { OSS: { AccessKeyId: "LTAIoss", AccessKeySecret: "oss-secret", AccessSecurityToken: "oss-token" } } } }), "tok_log");
    const [entry] = emulator.requests({ service: "batchcompute", action: "CreateCluster" });
    expect(entry).toMatchObject({ service: "batchcompute", action: "CreateCluster", status: 201, query: { IdempotentToken: "tok_log" } });
    expect(entry.body).toMatchObject({ Configs: { Mounts: { OSS: { AccessKeyId: "LTAIoss", AccessKeySecret: REDACTED, AccessSecurityToken: REDACTED } } } });
    expect(entry.headers.authorization).toBe(`acs ${emulator.credentials.accessKeyId}:${REDACTED}`);
    expect(JSON.stringify(emulator.requests())).not.toMatch(/oss-secret|oss-token/);
  });
});

describe("admin accessors", () => {
  it("lists clusters with their region, changes them out of band and deletes them", async () => {
    const id = await create();
    expect(admin.clusters()).toEqual([expect.objectContaining({ Id: id, RegionId: "cn-hangzhou", State: "Active" })]);
    admin.mutateCluster(id, (c) => {
      c.config.Groups.group1.DesiredVMCount = 6;
      c.actual.group1 = 6;
    });
    expect((await bc.get(id)).json.Groups.group1).toMatchObject({ DesiredVMCount: 6, ActualVMCount: 6 });
    admin.deleteCluster(id);
    expectError(await bc.get(id), 404, "InvalidResource.NotFound");
  });

  it("sets quotas and moves busy clusters under manual progression", async () => {
    expect(admin.setQuotas({ MaxClusterCount: 3 })).toEqual({ ...BATCHCOMPUTE_DEFAULT_QUOTAS, MaxClusterCount: 3 });
    emulator.setProgression({ kind: "manual" });
    const id = await create();
    expect((await bc.get(id)).json.Groups.group1.ActualVMCount).toBe(0);
    expect(admin.advance()).toBe(1);
    expect((await bc.get(id)).json.Groups.group1.ActualVMCount).toBe(2);
  });

  it("serves the same accessors over HTTP under /_emulator/batchcompute", async () => {
    const http = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
    const id = await create();
    expect((await http.admin("GET", "/batchcompute/clusters")).json).toEqual([expect.objectContaining({ Id: id })]);
    const patched = await http.admin("PATCH", `/batchcompute/clusters/${id}`, { config: { Groups: { group1: { DesiredVMCount: 9 } } }, state: "Deleting" });
    expect(patched.json).toMatchObject({ Id: id, State: "Deleting", Groups: { group1: { DesiredVMCount: 9 } } });
    expect((await http.admin("POST", "/batchcompute/quotas", { MaxClusterCount: 1 })).json.MaxClusterCount).toBe(1);
    expect((await http.admin("POST", "/batchcompute/advance")).json).toEqual({ advanced: 0 });
    expect((await http.admin("DELETE", `/batchcompute/clusters/${id}`)).json).toEqual({ deleted: id });
    expect((await http.admin("GET", "/batchcompute/clusters")).json).toEqual([]);
  });

  it("drops clusters, tokens and quotas on reset", async () => {
    await create(valid(), "tok_reset");
    admin.setQuotas({ MaxClusterCount: 1 });
    emulator.reset();
    expect(admin.clusters()).toEqual([]);
    await create(valid({ Name: "other" }), "tok_reset");
    await create();
    expect(admin.clusters()).toHaveLength(2);
  });
});
