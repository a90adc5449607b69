/**
 * The diff table of alicloud.batchcompute.Cluster, the request bodies built from the field table (checked against
 * the document's own example body), and the derivation of CreateCluster's idempotency token.
 */
import { createHash } from "crypto";
import { checkInputs } from "../../provider/core/fields/check";
import { diffInputs } from "../../provider/core/fields/diff";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { createBody, updateBody } from "../../provider/core/fields/wire";
import { idempotencyToken } from "../../provider/resources/batchcompute-cluster/api";
import { batchComputeClusterSpec as spec, MODIFY, onlyDesiredCountsDiffer } from "../../provider/resources/batchcompute-cluster/fields";
import { clusterIdempotencyKey } from "../../provider/resources/batchcompute-cluster/resource";
import { docExampleBody } from "../support/batchcompute";

type Props = Record<string, any>;

const base: Props = {
  name: "render",
  imageId: "img-ubuntu",
  instanceType: "bcs.a2.large",
  userData: { role: "worker", zone: "a" },
  notification: { topic: { name: "t", endpoint: "http://1.mns.cn-hangzhou.aliyuncs.com/", events: ["OnInstanceCreated", "OnClusterDeleted"] } },
  configs: { networks: { vpc: { cidrBlock: "10.0.0.0/8" } }, mounts: { nas: { fileSystem: ["fs-a", "fs-b"] } } },
  ossCredentials: { accessKeyId: "LTAIoss", accessKeySecret: "oss-secret" },
  groups: {
    workers: { desiredVmCount: 2, resourceType: "OnDemand" },
    spot: { desiredVmCount: 1, resourceType: "Spot", spotStrategy: "SpotWithPriceLimit", spotPriceLimit: 0.4 },
  },
  idempotencyKey: "proj/dev/render",
};

function checked(props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}
const outputsOf = (props: Props): Props => ({
  ...checked(props),
  clusterId: "cls-1",
  state: "Active",
  actualVmCounts: { workers: 2, spot: 1 },
  schemaVersion: 1,
});
const edit = (fn: (p: Props) => void): Props => {
  const p = structuredClone(base);
  fn(p);
  return p;
};

interface Case {
  news: Props;
  changes: boolean;
  replaces?: string[];
  calls?: Record<string, string[]>;
  /** news are passed as-is (not through check), as during a preview with unknowns. */
  raw?: boolean;
}

const cases: Record<string, Case> = {
  "unchanged inputs produce no diff": { news: base, changes: false },
  "reordered user data keys, events and NAS file systems produce no diff": {
    news: edit((p) => {
      p.userData = { zone: "a", role: "worker" };
      p.notification.topic.events.reverse();
      p.configs.mounts.nas.fileSystem.reverse();
    }),
    changes: false,
  },
  "a desired VM count change updates in place through ModifyCluster": {
    news: edit((p) => (p.groups.workers.desiredVmCount = 5)),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["groups"] },
  },
  "desired VM counts of several groups change in one ModifyCluster": {
    news: edit((p) => {
      p.groups.workers.desiredVmCount = 1;
      p.groups.spot.desiredVmCount = 9;
    }),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["groups"] },
  },
  "a desired VM count unknown during preview is an update, not a replacement": {
    news: edit((p) => (p.groups.workers.desiredVmCount = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["groups"] },
  },
  "a group's instance type, resource type or spot settings replace": {
    news: edit((p) => (p.groups.spot.spotPriceLimit = 0.5)),
    changes: true,
    replaces: ["groups"],
  },
  "a count change together with another group change replaces": {
    news: edit((p) => {
      p.groups.workers.desiredVmCount = 3;
      p.groups.workers.instanceType = "bcs.b4.xlarge";
    }),
    changes: true,
    replaces: ["groups"],
  },
  "a new group replaces": {
    news: edit((p) => (p.groups.gpu = { desiredVmCount: 1, resourceType: "OnDemand" })),
    changes: true,
    replaces: ["groups"],
  },
  "a removed group replaces": {
    news: edit((p) => delete p.groups.spot),
    changes: true,
    replaces: ["groups"],
  },
  "a renamed group replaces": {
    news: edit((p) => {
      p.groups.batch = p.groups.workers;
      delete p.groups.workers;
    }),
    changes: true,
    replaces: ["groups"],
  },
  "the whole groups map unknown during preview is reported as a replacement": {
    news: edit((p) => (p.groups = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["groups"],
  },
  "another member unknown during preview is reported as a replacement": {
    news: edit((p) => (p.groups.workers.resourceType = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["groups"],
  },
  "the image replaces": { news: edit((p) => (p.imageId = "img-2")), changes: true, replaces: ["imageId"] },
  "the cluster name replaces": { news: edit((p) => (p.name = "render2")), changes: true, replaces: ["name"] },
  "the instance type replaces": { news: edit((p) => (p.instanceType = "bcs.b4.xlarge")), changes: true, replaces: ["instanceType"] },
  "user data replaces": { news: edit((p) => (p.userData.role = "master")), changes: true, replaces: ["userData"] },
  "the VPC CIDR block replaces": { news: edit((p) => (p.configs.networks.vpc.cidrBlock = "192.168.0.0/16")), changes: true, replaces: ["configs.networks.vpc.cidrBlock"] },
  "a rotated OSS secret replaces": { news: edit((p) => (p.ossCredentials.accessKeySecret = "rotated")), changes: true, replaces: ["ossCredentials.accessKeySecret"] },
  "a removed description does not diff (the cloud keeps its value)": { news: base, changes: false },
  "timeouts change the state only": {
    news: edit((p) => (p.timeouts = { create: "1h" })),
    changes: true,
    replaces: [],
    calls: { local: ["timeouts.create"] },
  },
  "a new idempotency key (a renamed resource) changes the state only": {
    news: edit((p) => (p.idempotencyKey = "proj/dev/render-renamed")),
    changes: true,
    replaces: [],
    calls: { local: ["idempotencyKey"] },
  },
};

describe("alicloud.batchcompute.Cluster diff", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const d = diffInputs(spec, outputsOf(base), c.raw ? c.news : checked(c.news));
    expect(d.changes).toBe(c.changes);
    if (c.replaces) expect(d.replaces).toEqual(c.replaces);
    if (c.calls) expect(d.calls).toEqual(c.calls);
    expect(d.deleteBeforeReplace).toBe(false);
  });

  it("recognises a change of only desired counts, whatever the key order, and nothing else", () => {
    const a = { g: { desiredVmCount: 1, resourceType: "OnDemand", spotPriceLimit: 0 } };
    expect(onlyDesiredCountsDiffer(a, { g: { spotPriceLimit: 0, resourceType: "OnDemand", desiredVmCount: 4 } })).toBe(true);
    expect(onlyDesiredCountsDiffer(a, { g: { desiredVmCount: 4, resourceType: "OnDemand" } })).toBe(false);
    expect(onlyDesiredCountsDiffer(a, { h: { desiredVmCount: 1, resourceType: "OnDemand", spotPriceLimit: 0 } })).toBe(false);
    expect(onlyDesiredCountsDiffer(a, UNKNOWN)).toBe(false);
    expect(onlyDesiredCountsDiffer(undefined, a)).toBe(false);
  });
});

describe("request bodies", () => {
  /** The document's example request, as program inputs (the OSS key pair is the top-level ossCredentials). */
  const docExampleInputs: Props = {
    name: "test-ubuntu",
    description: "demo",
    imageId: "m-2309yqb5n",
    instanceType: "bcs.a2.large",
    userData: { key1: "value1" },
    notification: { topic: { name: "test-topic", endpoint: "http://[UserId].mns.[Region].aliyuncs.com/", events: ["OnClusterDeleted", "OnInstanceCreated", "OnInstanceActive"] } },
    configs: {
      disks: { systemDisk: { type: "cloud", size: 500 }, dataDisk: { type: "cloud", size: 500, mountPoint: "/path/to/mount" } },
      mounts: {
        entries: [{ destination: "/home/admin/mount-dest", source: "oss://your-bucket/mount-source", writeSupport: true }],
        locale: "GBK",
        lock: false,
        cacheSupport: true,
        nas: { accessGroup: ["group1", "group2"], fileSystem: ["filesystem1", "filesystem2"] },
      },
      networks: { classic: { allowIpAddress: [], allowIpAddressEgress: [], allowSecurityGroup: [], allowSecurityGroupEgress: [] }, vpc: { cidrBlock: "10.0.0.0/8" } },
    },
    ossCredentials: { accessKeyId: "LTAIoss", accessKeySecret: "oss-secret", securityToken: "oss-token" },
    groups: { group1: { desiredVmCount: 3, instanceType: "", resourceType: "OnDemand", spotStrategy: "SpotAsPriceGo", spotPriceLimit: 0.0 } },
  };

  it("rebuilds the document's example CreateCluster body from the equivalent inputs", () => {
    const expected = docExampleBody();
    expected.Configs.Mounts.OSS = { AccessKeyId: "LTAIoss", AccessKeySecret: "oss-secret", AccessSecurityToken: "oss-token" };
    expect(createBody(spec, checked(docExampleInputs))).toEqual(expected);
  });

  it("sends the desired VM count of every group, and nothing else, in the ModifyCluster body", () => {
    const news = checked(edit((p) => (p.groups.workers.desiredVmCount = 5)));
    expect(updateBody(spec, MODIFY, news, ["groups"])).toEqual({ Groups: { workers: { DesiredVMCount: 5 }, spot: { DesiredVMCount: 1 } } });
    expect(updateBody(spec, MODIFY, news, [])).toEqual({});
  });
});

describe("idempotency token", () => {
  const body = createBody(spec, checked(base));

  it("is pnp_ and 48 hex digits: 52 characters of [A-Za-z0-9_], within the documented 64", () => {
    const token = idempotencyToken("proj/dev/render", body, 0);
    expect(token).toMatch(/^pnp_[0-9a-f]{48}$/);
    expect(token).toMatch(/^[A-Za-z0-9_]{1,64}$/);
  });

  it("is the same for the same key, body and generation, whatever the key order of the body", () => {
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect(idempotencyToken("k", reordered, 0)).toBe(idempotencyToken("k", body, 0));
  });

  it("differs per resource key, per request body and per generation", () => {
    const t = idempotencyToken("k", body, 0);
    expect(idempotencyToken("k2", body, 0)).not.toBe(t);
    expect(idempotencyToken("k", { ...body, ImageId: "img-2" }, 0)).not.toBe(t);
    expect(idempotencyToken("k", body, 1)).not.toBe(t);
  });

  it("is sha256 over the JSON of [key, body, generation], pinned so that a retry after an upgrade still finds its cluster", () => {
    const digest = createHash("sha256").update(JSON.stringify(["proj/dev/render", { Name: "render" }, 0])).digest("hex");
    expect(idempotencyToken("proj/dev/render", { Name: "render" }, 0)).toBe(`pnp_${digest.slice(0, 48)}`);
    expect(idempotencyToken("proj/dev/render", { Name: "render" }, 0)).toBe("pnp_d9cf42eb4a5cb3916a2f1032aa8ea34964269258d9717785");
  });
});

describe("the resource's default idempotency key", () => {
  it("is project/stack/name for a resource without a parent", () => {
    expect(clusterIdempotencyKey("proj", "dev", "render")).toBe("proj/dev/render");
  });

  it("is keyed by the parent's URN otherwise, so two components' clusters of the same name differ", () => {
    const a = clusterIdempotencyKey("proj", "dev", "cluster", "urn:pulumi:dev::proj::my:Team::ml");
    const b = clusterIdempotencyKey("proj", "dev", "cluster", "urn:pulumi:dev::proj::my:Team::vision");
    expect(a).toBe("urn:pulumi:dev::proj::my:Team::ml/cluster");
    expect(a).not.toBe(b);
  });
});
