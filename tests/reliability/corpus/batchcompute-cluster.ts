/**
 * Bad-input corpus of `alicloud.batchcompute.Cluster`: one violating case (at least) per documented constraint.
 * DOC = shared/api-docs/alibaba-batchcompute-CreateCluster.txt (its attribute table and its error table, which
 * states most of the rules: "Specified parameter Name is not valid. Its length must be in [1, 64].").
 */
import { batchComputeClusterSpec } from "../../../provider/resources/batchcompute-cluster/fields";
import { ABSENT, corpusOf } from "./case";

const c = corpusOf(batchComputeClusterSpec.example!);
const chars = (n: number, ch = "a") => ch.repeat(n);

c.required("name", 'DOC: Name "Required: Yes"');
c.bad("name:minLength", 'DOC error InvalidName: "Its length must be in [1, 64]."', { name: "" }, "name", /at least 1 character/);
c.bad("name:maxLength", 'DOC error InvalidName: "Its length must be in [1, 64]."', { name: chars(65) }, "name", /at most 64 character/);
c.bad("name:pattern", 'DOC error InvalidName: "It must only contain characters within [a-zA-Z0-9_-], and must not start with [0-9]."', { name: "9lives" }, "name", /must contain only letters, digits, "_" and "-", and must not start with a digit/);
c.bad("description:maxLength", 'DOC error InvalidDescription: "Its length must be in [0, 1024]."', { description: chars(1025) }, "description", /at most 1024 character/);
c.required("imageId", 'DOC: ImageId "Required: Yes"');
c.bad("imageId:minLength", 'DOC error InvalidImageId: "Its length must be in [1, 256]."', { imageId: "" }, "imageId", /at least 1 character/);
c.bad("imageId:maxLength", 'DOC error InvalidImageId: "Its length must be in [1, 256]."', { imageId: chars(257) }, "imageId", /at most 256 character/);
c.required("instanceType", 'DOC: InstanceType "Required: Yes"; error MissingInstanceType');
c.nonEmpty("instanceType", "DOC error MissingInstanceType: an instance type (not empty)");

// UserData
c.bad("userData{}:maxLength", 'DOC error InvalidUserData.{key}.value: "Its length must be in [0, 1024]."', { userData: { role: chars(1025) } }, "userData.role", /at most 1024 character/);
c.bad("userData:refine#0", 'DOC error InvalidUserData: "Its size must be in [0, 64]."', { userData: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) }, "userData", /must have at most 64 entries \(got 65\)/);
c.bad("userData:refine#0", 'DOC error InvalidUserData.{key}: "Its length must be in [1, 128]."', { userData: { [chars(129, "k")]: "v" } }, "userData", /must be 1-128 characters long \(got 129\)/);
c.bad("userData:refine#0", 'DOC error InvalidUserData.{key}: "Its length must be in [1, 128]." (an empty key)', { userData: { "": "v" } }, "userData", /must be 1-128 characters long \(got 0\)/);

// Notification
c.nonEmpty("notification.topic.name", "DOC: Notification.Topic.Name, an MNS topic (not empty)");
c.bad("notification.topic.endpoint:pattern", 'DOC: Notification.Topic.Endpoint, e.g. "http://[UserId].mns.[Region].aliyuncs.com/"', { "notification.topic.endpoint": "mns.cn-hangzhou.aliyuncs.com" }, "notification.topic.endpoint", /must be an http:\/\/ or https:\/\/ URL/);
c.oneOf("notification.topic.events", "DOC: Notification.Topic.Events (OnClusterDeleted, OnInstanceCreated, OnInstanceActive)", ["OnClusterDeleted", "OnInstanceCreated", "OnInstanceActive"], { key: "notification.topic.events[]:enum", patch: (v) => ({ "notification.topic.events": [v] }), property: "notification.topic.events[0]" });

// Configs.Disks
for (const d of ["systemDisk", "dataDisk"]) {
  c.nonEmpty(`configs.disks.${d}.type`, `DOC: Configs.Disks.${d === "systemDisk" ? "SystemDisk" : "DataDisk"}.Type, a disk category (not empty)`);
  c.integer(`configs.disks.${d}.size`, `DOC: Configs.Disks.${d === "systemDisk" ? "SystemDisk" : "DataDisk"}.Size, a size in GB (a positive integer)`, { min: 1 });
}
c.nonEmpty("configs.disks.dataDisk.mountPoint", "DOC: Configs.Disks.DataDisk.MountPoint, a mount point (not empty)");

// Configs.Mounts
const entry = (e: Record<string, unknown>) => ({ "configs.mounts.entries": [e] });
c.nonEmpty("configs.mounts.entries", "DOC: Configs.Mounts.Entries[].Destination, a mount point (not empty)", { key: "configs.mounts.entries[].destination:minLength", patch: (v) => entry({ destination: v, source: "oss://bucket/data/" }), property: "configs.mounts.entries[0].destination" });
c.nonEmpty("configs.mounts.entries", "DOC: Configs.Mounts.Entries[].Source, an oss:// or nas:// source (not empty)", { key: "configs.mounts.entries[].source:minLength", patch: (v) => entry({ destination: "/home/admin/data", source: v }), property: "configs.mounts.entries[0].source" });
c.bad("configs.mounts.entries[].destination:required", "DOC: a mount entry has a Destination", entry({ source: "oss://bucket/data/" }), "configs.mounts.entries[0].destination", /is required/);
c.bad("configs.mounts.entries[].source:required", "DOC: a mount entry has a Source", entry({ destination: "/home/admin/data" }), "configs.mounts.entries[0].source", /is required/);
c.nonEmpty("configs.mounts.locale", "DOC: Configs.Mounts.Locale, a character set such as GBK (not empty)");
for (const k of ["accessGroup", "fileSystem"]) {
  c.nonEmpty(`configs.mounts.nas.${k}`, `DOC: Configs.Mounts.NAS.${k === "accessGroup" ? "AccessGroup" : "FileSystem"}[] entries (not empty)`, { key: `configs.mounts.nas.${k}[]:minLength`, patch: (v) => ({ [`configs.mounts.nas.${k}`]: [v] }), property: `configs.mounts.nas.${k}[0]` });
}
for (const k of ["accessKeyId", "accessKeySecret", "securityToken"]) {
  c.nonEmpty(`ossCredentials.${k}`, `DOC: Configs.Mounts.OSS.${k === "securityToken" ? "AccessSecurityToken" : k.charAt(0).toUpperCase() + k.slice(1)} (not empty)`);
}

// Configs.Networks
for (const k of ["allowIpAddress", "allowIpAddressEgress", "allowSecurityGroup", "allowSecurityGroupEgress"]) {
  c.nonEmpty(`configs.networks.classic.${k}`, `DOC: Configs.Networks.Classic.${k.charAt(0).toUpperCase() + k.slice(1)}[] entries (not empty)`, { key: `configs.networks.classic.${k}[]:minLength`, patch: (v) => ({ [`configs.networks.classic.${k}`]: [v] }), property: `configs.networks.classic.${k}[0]` });
}
c.bad("configs.networks.vpc.cidrBlock:refine#0", 'DOC error InvalidCidrBlock: "Configs.Networks.VPC.CidrBlock is not valid." (an IPv4 CIDR block)', { "configs.networks.vpc.cidrBlock": "10.0.0.1/8" }, "configs.networks.vpc.cidrBlock", /must be an IPv4 CIDR block/);
const OPPOSITE = ["oppositeRouterId", "oppositeAccessPointId", "oppositeRegionId", "oppositeRouterType"];
for (const k of OPPOSITE) c.nonEmpty(`configs.networks.vpc.${k}`, `DOC error table: Configs.Networks.VPC.${k.charAt(0).toUpperCase() + k.slice(1)} (not empty)`);

// Groups
const G = "groups.workers";
c.required("groups", 'DOC: Groups "Required: Yes"');
c.integer("groups", 'DOC error InvalidDesiredVMCount: "It must be in [1, 65536]."', { min: 1, max: 65536 }, { key: "groups{}.desiredVmCount", patch: (v) => ({ [`${G}.desiredVmCount`]: v }), property: `${G}.desiredVmCount` });
c.oneOf("groups", "DOC error InvalidResourceType: ResourceType is OnDemand or Spot", ["OnDemand", "Spot"], { key: "groups{}.resourceType:enum", patch: (v) => ({ [`${G}.resourceType`]: v }), property: `${G}.resourceType` });
c.oneOf("groups", "DOC: Groups.{name}.SpotStrategy (SpotWithPriceLimit, SpotAsPriceGo)", ["SpotWithPriceLimit", "SpotAsPriceGo"], { key: "groups{}.spotStrategy:enum", patch: (v) => ({ [`${G}.spotStrategy`]: v }), property: `${G}.spotStrategy` });
c.bad("groups{}.spotPriceLimit:minimum", "DOC: Groups.{name}.SpotPriceLimit, a price (not negative)", { [`${G}.spotPriceLimit`]: -0.1 }, `${G}.spotPriceLimit`, /must be >= 0/);
c.bad("groups{}.desiredVmCount:required", 'DOC error: "DesiredVMCount ... Its type must be integer" (mandatory in a group)', { [`${G}.desiredVmCount`]: ABSENT }, `${G}.desiredVmCount`, /is required/);
c.bad("groups{}.resourceType:required", 'DOC error MissingResourceType: "ResourceType is mandatory for this action."', { [`${G}.resourceType`]: ABSENT }, `${G}.resourceType`, /is required/);
c.bad("groups:refine#0", 'DOC error InvalidGroups.{key}: "Its size must be in [1, 64]." (no group)', { groups: {} }, "groups", /must have 1-64 groups \(got 0\)/);
c.bad("groups:refine#0", 'DOC error InvalidGroups.{key}: "Its size must be in [1, 64]." (65 groups)', { groups: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`g${i}`, { desiredVmCount: 1, resourceType: "OnDemand" }])) }, "groups", /must have 1-64 groups \(got 65\)/);
c.bad("groups:refine#0", 'DOC error InvalidGroups.{key}: "Its size must be in [1, 64]." (a 65-character group name)', { groups: { [chars(65, "g")]: { desiredVmCount: 1, resourceType: "OnDemand" } } }, "groups", /must be 1-64 characters long \(got 65\)/);

// settings of this package
c.bad("idempotencyKey:minLength", "package setting: the seed of the IdempotentToken (not empty)", { idempotencyKey: "" }, "idempotencyKey", /at least 1 character/);
c.bad("idempotencyKey:maxLength", "package setting: the seed of the IdempotentToken (at most 1024 characters)", { idempotencyKey: chars(1025) }, "idempotencyKey", /at most 1024 character/);
for (const op of ["create", "update", "delete"]) {
  c.bad(`timeouts.${op}:refine#0`, 'package setting: a positive duration such as "45m" or "1h30m"', { [`timeouts.${op}`]: "-5m" }, `timeouts.${op}`, /must be a positive duration/);
}

// cross-field rules: the documented Missing* codes of the opposite router
const OPPOSITE_RULE = "required when the cluster's VPC connects to an opposite router (any of oppositeRouterId, oppositeAccessPointId, oppositeRegionId, oppositeRouterType set)";
for (const missing of ["oppositeRouterId", "oppositeAccessPointId", "oppositeRegionId"]) {
  const patch = Object.fromEntries(OPPOSITE.filter((k) => k !== missing).map((k) => [`configs.networks.vpc.${k}`, `${k}-value`]));
  c.bad(`rule: configs.networks.vpc.${missing}: ${OPPOSITE_RULE}`, `DOC error table: Missing${missing.charAt(0).toUpperCase() + missing.slice(1)} once the VPC connects to an opposite router`, patch, `configs.networks.vpc.${missing}`, /required when the VPC connects to an opposite router/);
}
const OSS_RULE = "rule: ossCredentials: accessKeyId and accessKeySecret go together (a key pair); securityToken only with them";
c.bad(OSS_RULE, "DOC: Configs.Mounts.OSS is one key pair (AccessKeyId with AccessKeySecret)", { "ossCredentials.accessKeyId": "LTAI5tOssKeyId0001" }, "ossCredentials", /needs both accessKeyId and accessKeySecret/);
c.bad(OSS_RULE, "DOC: Configs.Mounts.OSS.AccessSecurityToken goes with a temporary key pair", { "ossCredentials.securityToken": "sts-token-value" }, "ossCredentials", /needs both accessKeyId and accessKeySecret/);

// ---- ownership (provider/core/ownership.ts)
c.bad("ownerKey:minLength", "package setting: the owner key the resource class derives from project, stack, parent and name (not empty)", { ownerKey: "" }, "ownerKey", /at least 1 character/);
c.bad("ownerKey:maxLength", "package setting: the owner key (at most 2048 characters)", { ownerKey: "k".repeat(2049) }, "ownerKey", /at most 2048 character/);

export const batchComputeCorpus = c.cases;
