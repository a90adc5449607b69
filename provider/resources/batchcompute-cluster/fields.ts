/**
 * Field table of `alicloud.batchcompute.Cluster` (Batch Compute `CreateCluster`, 2015-11-11, ROA with the legacy V1
 * signature): every request field of the API document (`shared/api-docs/alibaba-batchcompute-CreateCluster.txt`),
 * once, including the `Configs.Networks.VPC.Opposite*` fields that only its error table names. Input paths are
 * the camelCase form of the API's PascalCase paths ("NAS" -> "nas", "DesiredVMCount" -> "desiredVmCount").
 *
 * Change behaviour: Batch Compute has no IaC anchor (iac-anchors.md A5). The one documented update call,
 * ModifyCluster (`PUT /clusters/{Id}`, doc-detail/44740; `changeClusterDesiredVMCount` in aliyun-sdk), changes
 * the desired VM count of existing groups, so that part of `groups` updates in place and everything else replaces.
 *
 * Secrets: the API takes one OSS key pair per cluster (`Configs.Mounts.OSS`), used for every OSS entry of
 * `Configs.Mounts.Entries`. Pulumi encrypts outputs per top-level key, so the pair is the top-level input
 * `ossCredentials` (stored as a secret, never read back) rather than a member of `configs.mounts`.
 */
import { z } from "zod";
import { canonicalJson } from "../../core/fields/normalise";
import { timeoutFields } from "../../core/lifecycle";
import type { ChangeBehaviour, CrossFieldRule, FieldSpec, ResourceSpec } from "../../core/fields/spec";
import { containsUnknown, getPath } from "../../core/fields/spec";
import { ownerKeyField } from "../../core/ownership";

export const BATCHCOMPUTE_API_VERSION = "2015-11-11";
export const MODIFY = "ModifyCluster";

const NO_UPDATE_CALL = "not accepted by ModifyCluster, which changes only desired VM counts (doc-detail/44740); no IaC anchor (iac-anchors A5)";
const replace = (source = NO_UPDATE_CALL): ChangeBehaviour => ({ kind: "replace", source });
const local = (source: string): ChangeBehaviour => ({ kind: "local", source });

/** `error` option of zod types: a missing required member says "is required" instead of a type mismatch. */
const requiredMember = { error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : undefined) };

const nonEmpty = z.string().min(1);
const strings = z.array(nonEmpty);
const bool = z.boolean();
const positiveInt = z.number().int().min(1);


/** Documented: length [1, 64]; only [a-zA-Z0-9_-]; must not start with a digit. The pattern alone accepts "". */
const clusterName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(?:[A-Za-z_-][A-Za-z0-9_-]*)?$/, 'must contain only letters, digits, "_" and "-", and must not start with a digit');

/** IPv4 CIDR block: four octets 0-255, a prefix length 0-32, and no host bits set ("10.0.0.0/8"). */
export function isCidrBlock(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostSize = 2 ** (32 - prefix);
  return address % hostSize === 0;
}

const cidrBlock = z
  .string()
  .refine(isCidrBlock, 'must be an IPv4 CIDR block such as "192.168.0.0/16": octets 0-255, prefix length 0-32, no host bits set')
  .describe("IPv4 CIDR block with no host bits set");

/** UserData: documented size [0, 64], keys of length [1, 128], string values of length [0, 1024]. */
const userData = z
  .record(z.string(), z.string().max(1024))
  .superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length > 64) ctx.addIssue({ code: "custom", message: `must have at most 64 entries (got ${keys.length})` });
    for (const key of keys) {
      if (key.length < 1 || key.length > 128) {
        const shown = key.length > 40 ? `${key.slice(0, 37)}...` : key;
        ctx.addIssue({ code: "custom", message: `key ${JSON.stringify(shown)} must be 1-128 characters long (got ${key.length})` });
      }
    }
  })
  .describe("at most 64 entries; keys 1-128 characters; values strings of at most 1024 characters");

/** Camel-case member names of a group and their API spellings. */
export const GROUP_KEYS = {
  desiredVmCount: "DesiredVMCount",
  instanceType: "InstanceType",
  resourceType: "ResourceType",
  spotStrategy: "SpotStrategy",
  spotPriceLimit: "SpotPriceLimit",
} as const;

const group = z
  .object({
    desiredVmCount: z.number(requiredMember).int().min(1).max(65536),
    instanceType: z.string().optional().describe("empty or unset: the cluster's instanceType"),
    resourceType: z.enum(["OnDemand", "Spot"], requiredMember),
    spotStrategy: z.enum(["SpotWithPriceLimit", "SpotAsPriceGo"]).optional(),
    spotPriceLimit: z.number().nonnegative().optional(),
  })
  .strict();

/**
 * Groups: the document's "Groups.{key} ... size must be in [1, 64]" row is ambiguous between the number of groups
 * and the length of a group's name, so both are held to [1, 64].
 */
const groups = z
  .record(z.string(), group)
  .superRefine((map, ctx) => {
    const names = Object.keys(map);
    if (names.length < 1 || names.length > 64) ctx.addIssue({ code: "custom", message: `must have 1-64 groups (got ${names.length})` });
    for (const name of names) {
      if (name.length < 1 || name.length > 64) {
        const shown = name.length > 40 ? `${name.slice(0, 37)}...` : name;
        ctx.addIssue({ code: "custom", message: `group name ${JSON.stringify(shown)} must be 1-64 characters long (got ${name.length})` });
      }
    }
  })
  .describe("1-64 groups; group names 1-64 characters");

const mountEntry = z
  .object({
    destination: nonEmpty.describe("mount point on the VM, e.g. /home/admin/data or a Windows drive letter"),
    source: nonEmpty.describe("oss://bucket/path/ or nas://... source"),
    writeSupport: bool.optional(),
  })
  .strict();

type AnyRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is AnyRecord => v !== null && typeof v === "object" && !Array.isArray(v);

/** Renames the keys of one object (camel -> Pascal or back); keys without a counterpart are dropped. */
function renameKeys(value: unknown, names: Record<string, string>): unknown {
  if (!isRecord(value)) return value;
  const out: AnyRecord = {};
  for (const [from, to] of Object.entries(names)) if (value[from] !== undefined) out[to] = value[from];
  return out;
}

const invert = (names: Record<string, string>) => Object.fromEntries(Object.entries(names).map(([a, b]) => [b, a]));
const ENTRY_KEYS = { destination: "Destination", source: "Source", writeSupport: "WriteSupport" };

const listOf = (names: Record<string, string>) => ({
  toWire: (v: unknown) => (Array.isArray(v) ? v.map((x) => renameKeys(x, names)) : v),
  fromWire: (v: unknown) => (Array.isArray(v) ? v.map((x) => renameKeys(x, invert(names))) : v),
});
/** A map whose keys are the user's (group names) and whose values are objects with renamed keys. */
const mapOf = (names: Record<string, string>) => ({
  toWire: (v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renameKeys(x, names)])) : v),
  fromWire: (v: unknown) => (isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renameKeys(x, invert(names))])) : v),
});
/** User data keys are the user's own: never renamed. */
const identity = (v: unknown) => v;

/**
 * True when two `groups` values differ only in `desiredVmCount`: the same group names, and every other member
 * equal. Unknown values (preview) anywhere but in `desiredVmCount` count as a difference.
 */
export function onlyDesiredCountsDiffer(oldValue: unknown, newValue: unknown): boolean {
  if (!isRecord(oldValue) || !isRecord(newValue)) return false;
  const names = Object.keys(newValue).sort();
  if (canonicalJson(names) !== canonicalJson(Object.keys(oldValue).sort())) return false;
  return names.every((name) => {
    const before = oldValue[name];
    const after = newValue[name];
    if (!isRecord(before) || !isRecord(after)) return false;
    const rest = (g: AnyRecord) => ({ ...g, desiredVmCount: undefined });
    return !containsUnknown(rest(after)) && canonicalJson(rest(before)) === canonicalJson(rest(after));
  });
}

/** The ModifyCluster body value: the desired VM count of every group, `{"<name>": {"DesiredVMCount": n}}`. */
function desiredCountsToWire(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, g]) => [name, { DesiredVMCount: isRecord(g) ? g.desiredVmCount : undefined }]));
}

function f(path: string, wire: string | undefined, type: z.ZodType, change: ChangeBehaviour, doc: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { path, wire, type, change, doc, ...extra };
}

export const batchComputeClusterFields: FieldSpec[] = [
  f("name", "Name", clusterName, replace(), "Cluster name.", { required: true }),
  f("description", "Description", z.string().max(1024), replace(), "Description of the cluster."),
  f("imageId", "ImageId", z.string().min(1).max(256), replace(), "Image ID of the cluster's VMs (a Batch Compute image, `img-...`, or an ECS image, `m-...`).", { required: true }),
  f("instanceType", "InstanceType", nonEmpty, replace(), "Instance type of the cluster's VMs (e.g. `bcs.a2.large`); a group's own `instanceType` overrides it.", {
    required: true,
    // GetCluster's documented response (doc-detail/44741) has no top-level InstanceType.
    readable: false,
  }),
  f("userData", "UserData", userData, replace(), "Key-value pairs the VMs can read from the ECS metaserver.", { toWire: identity, fromWire: identity }),

  // Notification.Topic
  f("notification.topic.name", "Notification.Topic.Name", nonEmpty, replace(), "MNS topic that receives the cluster's events."),
  f("notification.topic.endpoint", "Notification.Topic.Endpoint", z.string().regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL"), replace(), "MNS endpoint, e.g. `http://<UserId>.mns.<Region>.aliyuncs.com/`."),
  f("notification.topic.events", "Notification.Topic.Events", z.array(z.enum(["OnClusterDeleted", "OnInstanceCreated", "OnInstanceActive"])), replace(), "Cluster events sent to the topic.", { normalise: "unordered" }),

  // Configs.Disks
  f("configs.disks.systemDisk.type", "Configs.Disks.SystemDisk.Type", nonEmpty, replace(), "System disk category, e.g. `cloud`, `cloud_efficiency`, `cloud_ssd`."),
  f("configs.disks.systemDisk.size", "Configs.Disks.SystemDisk.Size", positiveInt, replace(), "System disk size in GB."),
  f("configs.disks.dataDisk.type", "Configs.Disks.DataDisk.Type", nonEmpty, replace(), "Data disk category."),
  f("configs.disks.dataDisk.size", "Configs.Disks.DataDisk.Size", positiveInt, replace(), "Data disk size in GB."),
  f("configs.disks.dataDisk.mountPoint", "Configs.Disks.DataDisk.MountPoint", nonEmpty, replace(), "Where the data disk is mounted (a Linux path or a Windows drive letter)."),

  // Configs.Mounts (the OSS key pair is the top-level `ossCredentials`)
  f("configs.mounts.entries", "Configs.Mounts.Entries", z.array(mountEntry), replace(), "OSS or NAS paths mounted on every VM.", listOf(ENTRY_KEYS)),
  f("configs.mounts.locale", "Configs.Mounts.Locale", nonEmpty, replace(), "Character set of mounted file names, e.g. `GBK` or `UTF-8`."),
  f("configs.mounts.lock", "Configs.Mounts.Lock", bool, replace(), "Whether mounted OSS files can be locked."),
  f("configs.mounts.cacheSupport", "Configs.Mounts.CacheSupport", bool, replace(), "Whether mounted data is cached on the VM."),
  f("configs.mounts.nas.accessGroup", "Configs.Mounts.NAS.AccessGroup", strings, replace(), "NAS access groups.", { normalise: "unordered" }),
  f("configs.mounts.nas.fileSystem", "Configs.Mounts.NAS.FileSystem", strings, replace(), "NAS file systems.", { normalise: "unordered" }),
  f("ossCredentials.accessKeyId", "Configs.Mounts.OSS.AccessKeyId", nonEmpty, replace(), "AccessKey ID of the OSS key pair used for OSS mounts (`Configs.Mounts.OSS`).", { secret: true, readable: false }),
  f("ossCredentials.accessKeySecret", "Configs.Mounts.OSS.AccessKeySecret", nonEmpty, replace(), "AccessKey secret of the OSS key pair. `ossCredentials` is a top-level input so that Pulumi stores it encrypted.", { secret: true, readable: false }),
  f("ossCredentials.securityToken", "Configs.Mounts.OSS.AccessSecurityToken", nonEmpty, replace(), "STS token that goes with a temporary OSS key pair.", { secret: true, readable: false }),

  // Configs.Networks
  f("configs.networks.classic.allowIpAddress", "Configs.Networks.Classic.AllowIpAddress", strings, replace(), "IP addresses allowed in (classic network).", { normalise: "unordered" }),
  f("configs.networks.classic.allowIpAddressEgress", "Configs.Networks.Classic.AllowIpAddressEgress", strings, replace(), "IP addresses allowed out (classic network).", { normalise: "unordered" }),
  f("configs.networks.classic.allowSecurityGroup", "Configs.Networks.Classic.AllowSecurityGroup", strings, replace(), "Security groups allowed in (classic network).", { normalise: "unordered" }),
  f("configs.networks.classic.allowSecurityGroupEgress", "Configs.Networks.Classic.AllowSecurityGroupEgress", strings, replace(), "Security groups allowed out (classic network).", { normalise: "unordered" }),
  f("configs.networks.vpc.cidrBlock", "Configs.Networks.VPC.CidrBlock", cidrBlock, replace(), "CIDR block of the cluster's VPC, e.g. `10.0.0.0/8`."),
  f("configs.networks.vpc.oppositeRouterId", "Configs.Networks.VPC.OppositeRouterId", nonEmpty, replace(), "Router at the other end of an Express Connect link to the cluster's VPC."),
  f("configs.networks.vpc.oppositeAccessPointId", "Configs.Networks.VPC.OppositeAccessPointId", nonEmpty, replace(), "Access point of the opposite router."),
  f("configs.networks.vpc.oppositeRegionId", "Configs.Networks.VPC.OppositeRegionId", nonEmpty, replace(), "Region of the opposite router."),
  f("configs.networks.vpc.oppositeRouterType", "Configs.Networks.VPC.OppositeRouterType", nonEmpty, replace(), "Type of the opposite router, e.g. `VRouter` or `VBR`; an account may be refused some types (403 QuotaExhausted)."),

  // Groups
  f("groups", "Groups", groups, replace("ModifyCluster takes only the desired VM counts of existing groups (doc-detail/44740)"), "Instance groups by name.", {
    required: true,
    partialUpdate: {
      call: MODIFY,
      source: "ModifyCluster `PUT /clusters/{Id}` with `{\"Groups\":{\"<name>\":{\"DesiredVMCount\":n}}}` (doc-detail/44740)",
      what: "a change of only `desiredVmCount` in existing groups",
      applies: onlyDesiredCountsDiffer,
      toWire: desiredCountsToWire,
    },
    ...mapOf(GROUP_KEYS),
  }),

  // settings of this package
  f("idempotencyKey", undefined, z.string().min(1).max(1024), local("package setting"), "Seed of the `IdempotentToken` of CreateCluster; the resource class sets it to the owner key (project, stack, parent and name), so a retried create never makes a second cluster. Set it yourself only to keep the token across a rename."),
  ownerKeyField("Batch Compute carries it as the create's `IdempotentToken` (a digest of `idempotencyKey`, which defaults to it, and of the request without secrets): a create repeated after an interrupted run gets the cluster that run made from the API itself. Cluster names are not unique and the description is not used: a replacement creates the new cluster before deleting the old one, so a mark shared by both could not tell them apart."),
  ...timeoutFields({
    create: "How long create waits for the VMs (default 30m; no IaC anchor).",
    update: "How long update waits for the VMs (default 30m).",
    delete: "How long delete waits until the cluster is gone (default 30m).",
  }),
];

const OPPOSITE = ["oppositeRouterId", "oppositeAccessPointId", "oppositeRegionId", "oppositeRouterType"].map((k) => `configs.networks.vpc.${k}`);

/** The documented Missing* codes for the opposite router: each one is required once any opposite field is set. */
function oppositeRequired(path: string): CrossFieldRule {
  return {
    paths: OPPOSITE,
    reportOn: path,
    rule: "required when the cluster's VPC connects to an opposite router (any of oppositeRouterId, oppositeAccessPointId, oppositeRegionId, oppositeRouterType set)",
    test: (get) => {
      const set = OPPOSITE.filter((p) => get(p) !== undefined);
      return set.length > 0 && get(path) === undefined
        ? `required when the VPC connects to an opposite router (${set.map((p) => p.split(".").pop()).join(", ")} set)`
        : undefined;
    },
  };
}

export const batchComputeClusterRules: CrossFieldRule[] = [
  oppositeRequired("configs.networks.vpc.oppositeRouterId"),
  oppositeRequired("configs.networks.vpc.oppositeAccessPointId"),
  oppositeRequired("configs.networks.vpc.oppositeRegionId"),
  {
    paths: ["ossCredentials.accessKeyId", "ossCredentials.accessKeySecret", "ossCredentials.securityToken"],
    reportOn: "ossCredentials",
    rule: "accessKeyId and accessKeySecret go together (a key pair); securityToken only with them",
    test: (get) => {
      const set = ["accessKeyId", "accessKeySecret", "securityToken"].filter((k) => get(`ossCredentials.${k}`) !== undefined);
      if (set.length === 0 || (set.includes("accessKeyId") && set.includes("accessKeySecret"))) return undefined;
      return "needs both accessKeyId and accessKeySecret";
    },
  },
];

/** The deprecation notice; it opens the reference section and the resource class's documentation. */
export const DEPRECATION_NOTE =
  "Batch Compute is deprecated by Alibaba Cloud (its documents are titled \"Batch Compute (Deprecated)\" and were last updated in 2024): " +
  "the API is still served for existing users, but expect no fixes or new features, and new accounts may be refused. " +
  "Use this resource to manage existing clusters while you plan a move of the workloads to a supported service, " +
  "for example ACK node pools (`alicloud.ack.NodePool`).";

export const batchComputeClusterSpec: ResourceSpec = {
  name: "alicloud.batchcompute.Cluster",
  example: {
    name: "batch",
    imageId: "img-ubuntu",
    instanceType: "bcs.a2.large",
    groups: { workers: { desiredVmCount: 2, resourceType: "OnDemand" } },
  },
  review: {
    typeToken: "pulumi-nodejs:dynamic/alicloud/batchcompute:Cluster",
    runningNodes: (outputs) => {
      const counts = getPath(outputs, "actualVmCounts");
      if (!isRecord(counts)) return undefined;
      return Object.values(counts).reduce<number>((n, c) => n + (typeof c === "number" ? c : 0), 0);
    },
    unit: "VMs",
  },
  document: "Alibaba Cloud Batch Compute (deprecated) `CreateCluster` (batchcompute 2015-11-11, ROA with the legacy V1 signature, `POST /clusters`)",
  fields: batchComputeClusterFields,
  rules: batchComputeClusterRules,
  computed: [
    { path: "clusterId", doc: "cluster ID (`Id`, `cls-...`); also the Pulumi id" },
    { path: "state", doc: "`State`: `Active` or `Deleting`" },
    { path: "ownerId", doc: "account that owns the cluster (`OwnerId`)" },
    { path: "creationTime", doc: "creation time (`CreationTime`)" },
    { path: "actualVmCounts", doc: "running VMs per group (`Groups.<name>.ActualVMCount`)" },
    { path: "metrics", doc: "`runningCount`, `startingCount`, `stoppingCount`, `stoppedCount` of the cluster's VMs (`Metrics`)" },
    { path: "schemaVersion", doc: "version of this output layout, so that later package versions can read today's state" },
  ],
  updateCalls: [MODIFY],
  replaceNote:
    `${DEPRECATION_NOTE} ` +
    "Only the desired VM count of an existing group changes in place (ModifyCluster); any other change replaces the cluster, " +
    "creating the new one before the old one is deleted. CreateCluster carries an `IdempotentToken` derived from `idempotencyKey` " +
    "and the request, so a create retried after a lost answer, or after a run that was interrupted (a killed CI job), returns the same cluster: the token is this resource's ownership mark (docs/ownership.md).",
};
