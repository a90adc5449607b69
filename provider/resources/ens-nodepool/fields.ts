/**
 * Field table of `alicloud.ens.NodePool` (ENS `CreateClusterNodePool`, 2017-11-10, RPC): every request field of the
 * API document, once. There is no IaC anchor for ENS node pools (no Terraform, ROS or Pulumi resource wraps them), so
 * the change behaviour comes from the API itself:
 * - MODIFY: the `ModifyClusterNodePool` request model (SDK `ModifyClusterNodePoolRequest.ts`), which accepts
 *   ScalingGroup.{DataDisks, ImageId, InstanceChargeType, InstanceTypes, KeyPairName, Password, SystemDiskCategory,
 *   SystemDiskSize, VswitchIds} and KubernetesConfig.{PreUserData, UserData}; anything it does not accept replaces;
 * - SCALE: `ScaleClusterNodePool`, whose `Body.Count` is the new total, which must exceed the current node count.
 *
 * Wire paths are the RPC parameters: `ClusterId` plus the object parameters `NodepoolInfo`, `ScalingGroup` and
 * `KubernetesConfig`, which the client sends as JSON strings in the query (as the ENS SDK does).
 */
import { z } from "zod";
import { timeoutFields } from "../../core/lifecycle";
import type { ChangeBehaviour, CrossFieldRule, FieldSpec, ResourceSpec } from "../../core/fields/spec";
import { getPath, mapKeys } from "../../core/fields/spec";
import { ownerKeyField } from "../../core/ownership";

export const ENS_API_VERSION = "2017-11-10";
export const MODIFY = "ModifyClusterNodePool";
export const SCALE = "ScaleClusterNodePool";
/** The documented per-user rate of CreateClusterNodePool, ScaleClusterNodePool and DeleteClusterNodePool. */
export const ENS_MUTATION_RATE_PER_SECOND = 10;

/** The system disk categories the API document lists ("Valid values: local_ssd, local_hdd, cloud_efficiency, and cloud_ssd"). */
export const SYSTEM_DISK_CATEGORIES = ["local_ssd", "local_hdd", "cloud_efficiency", "cloud_ssd"] as const;

const MODIFY_SOURCE = "accepted by ModifyClusterNodePool";
const NOT_MODIFIABLE = "not accepted by ModifyClusterNodePool";
const replace = (source: string): ChangeBehaviour => ({ kind: "replace", source });
const modify = (source = MODIFY_SOURCE): ChangeBehaviour => ({ kind: "update", call: MODIFY, source });
/**
 * ModifyClusterNodePool changes the pool's template for the instances it creates (image, types, disks, login, scripts,
 * vSwitches); existing nodes keep what they were created with.
 */
const NEW_NODES = { newNodesOnly: true } as const;

const id = z.string().min(1, "must not be empty");
/** Documented for SystemDiskSize and DataDisks[].Size: "at least 20 and a multiple of 10" (GB). */
const diskSize = z.number().int().min(20).multipleOf(10);


const dataDisk = z
  .object({
    category: z.string().min(1).optional(),
    size: diskSize.optional(),
  })
  .strict();

/** ENS object parameters use PascalCase keys (`Category`, `Size`); inputs use camelCase. */
const upperFirst = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
const lowerFirst = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
export const toPascalKeys = (value: unknown): unknown => mapKeys(value, upperFirst);
export const toCamelKeys = (value: unknown): unknown => mapKeys(value, lowerFirst);
/** Scalars and string lists travel unchanged (the default mapping would rename object keys to snake_case). */
const identity = (value: unknown): unknown => value;
const scalar = { toWire: identity, fromWire: identity };

function f(
  path: string,
  wire: string | undefined,
  type: z.ZodType,
  change: ChangeBehaviour,
  doc: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { path, wire, type, change, doc, ...(wire ? scalar : {}), ...extra };
}

export const SCALE_IN_DOC =
  "Desired node count. A higher value scales out in place through `ScaleClusterNodePool` (its `Count` is the new total, " +
  "which the API requires to be greater than the current number of nodes). A lower value is rejected at preview unless the " +
  "same change replaces the pool: ENS cannot scale in by count (ScaleClusterNodePool only adds nodes, and the only removal " +
  "call, `DeleteClusterNodes`, takes the names of the nodes to release, which the pool's read call does not return, so " +
  "choosing which nodes and workloads to drop is left to you). To shrink a pool, remove nodes with `DeleteClusterNodes`, " +
  "run `pulumi refresh`, then set the lower value. Read back from `Status.DesiredNodes`.";

export const ensNodePoolFields: FieldSpec[] = [
  f("clusterId", "ClusterId", id, replace("ModifyClusterNodePool identifies the pool by ClusterId; a pool cannot move between clusters"), "ID of the ENS edge cluster (`ClusterId`), e.g. `eck-d2666c5f`.", { required: true }),

  // NodepoolInfo
  f("nodepoolInfo.name", "NodepoolInfo.Name", z.string().min(1, "must not be empty"), replace(`${NOT_MODIFIABLE}, whose NodepoolInfo carries only NodepoolId`), "Node pool name.", { required: true }),

  // ScalingGroup
  f("scalingGroup.desiredSize", "ScalingGroup.DesiredSize", z.number().int().min(0), { kind: "update", call: SCALE, source: "scale-out only: the API reference says Count \"must be greater than the current number of nodes\"" }, SCALE_IN_DOC, {
    updateWire: "Count",
    readWire: "Status.DesiredNodes",
  }),
  f("scalingGroup.keyPairName", "ScalingGroup.KeyPairName", id, modify(), "Key pair of the instances; exactly one of this and `password`.", NEW_NODES),
  f(
    "password",
    "ScalingGroup.Password",
    z.string().min(1, "must not be empty"),
    modify(),
    "Login password of the instances (`ScalingGroup.Password`); exactly one of this and `scalingGroup.keyPairName`. Top-level so that Pulumi encrypts it in state; the read call returns it masked (`************`), so it is never compared with the cloud.",
    { secret: true, readable: false, newNodesOnly: true },
  ),
  f("scalingGroup.vswitchIds", "ScalingGroup.VswitchIds", z.array(id).min(1), modify(), "vSwitch IDs of the instances; each in the ENS region of the cluster.", { required: true, normalise: "unordered", newNodesOnly: true }),
  f("scalingGroup.instanceChargeType", "ScalingGroup.InstanceChargeType", z.enum(["PrePaid", "PostPaid"]), modify(), "Billing method of the instances (the document's examples are PostPaid and PrePaid, the ENS instance billing methods).", NEW_NODES),
  f("scalingGroup.instanceTypes", "ScalingGroup.InstanceTypes", z.array(id).min(1), modify(), "Instance types, e.g. `ens.sn1.small`.", { required: true, normalise: "unordered", newNodesOnly: true }),
  f("scalingGroup.systemDiskCategory", "ScalingGroup.SystemDiskCategory", z.enum(SYSTEM_DISK_CATEGORIES), modify(), "System disk category.", NEW_NODES),
  f("scalingGroup.systemDiskSize", "ScalingGroup.SystemDiskSize", diskSize, modify(), "System disk size in GB: at least 20 and a multiple of 10.", NEW_NODES),
  f("scalingGroup.imageId", "ScalingGroup.ImageId", id, modify(), "Image of the instances.", { required: true, newNodesOnly: true }),
  f("scalingGroup.dataDisks", "ScalingGroup.DataDisks", z.array(dataDisk), modify(), "Data disks of each instance; sizes in GB, at least 20 and a multiple of 10. Their order is the attach order.", {
    unset: "clear",
    clearValue: [],
    toWire: toPascalKeys,
    fromWire: toCamelKeys,
    newNodesOnly: true,
  }),

  // KubernetesConfig
  f("kubernetesConfig.preUserData", "KubernetesConfig.PreUserData", z.string(), modify(), "Script run on an instance after it is created, before it joins the cluster; plain text or base64.", { normalise: "base64", newNodesOnly: true }),
  f("kubernetesConfig.userData", "KubernetesConfig.UserData", z.string(), modify(), "Script run on an instance after it joins the cluster; plain text or base64.", { normalise: "base64", newNodesOnly: true }),

  // settings of this package
  ownerKeyField("Not sent: ENS node pools have no tag, label or description that could carry an ownership mark (the name and the user-data scripts are the program's), so a pool left by an interrupted create is refused with its import id rather than adopted."),
  ...timeoutFields({
    create: "How long create waits for the pool to become `active` (default 60m: the API documents that a scale-out still running after one hour has failed).",
    update: "How long update waits (default 60m).",
    delete: "How long delete waits until the pool is gone (default 30m).",
  }),
];

export const ensNodePoolRules: CrossFieldRule[] = [
  {
    paths: ["scalingGroup.keyPairName", "password"],
    reportOn: "scalingGroup.keyPairName",
    rule: "exactly one of scalingGroup.keyPairName and password (\"You must specify either this parameter or Password\")",
    test: (get) => {
      const hasKey = get("scalingGroup.keyPairName") !== undefined;
      const hasPassword = get("password") !== undefined;
      if (hasKey && hasPassword) return "set either scalingGroup.keyPairName or password, not both";
      if (!hasKey && !hasPassword) return "one of scalingGroup.keyPairName or password is required";
      return undefined;
    },
  },
];

export const ensNodePoolSpec: ResourceSpec = {
  name: "alicloud.ens.NodePool",
  example: {
    clusterId: "eck-d2666c5f",
    nodepoolInfo: { name: "edge" },
    scalingGroup: { vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"], instanceTypes: ["ens.sn1.small"], imageId: "m-6734fzvcwcv2o8jj201cpa7ox", keyPairName: "edge-key" },
  },
  review: {
    typeToken: "pulumi-nodejs:dynamic/alicloud/ens:NodePool",
    runningNodes: (outputs) => {
      const n = getPath(outputs, "status.totalNodes");
      return typeof n === "number" ? n : undefined;
    },
    // A lower desired size fails at preview, so a reviewed plan never scales in; kept for the review's notes.
    desiredCountPath: "scalingGroup.desiredSize",
    unit: "nodes",
  },
  document: "Alibaba Cloud ENS `CreateClusterNodePool` (ens 2017-11-10, RPC, `POST https://ens.aliyuncs.com/`, object parameters as JSON strings)",
  fields: ensNodePoolFields,
  rules: ensNodePoolRules,
  computed: [
    { path: "nodePoolId", doc: "node pool ID (`NodepoolInfo.NodepoolId`); the Pulumi id is `<clusterId>:<nodePoolId>`" },
    { path: "ensRegionId", doc: "ENS region of the cluster (`NodepoolInfo.EnsRegionId`)" },
    { path: "status", doc: "`state` (`active`, `scaling`, `removing_nodes`), `totalNodes`, `desiredNodes`, `servingNodes`, `initialNodes`, `removingNodes`, `failedNodes`" },
    { path: "schemaVersion", doc: "version of this output layout, so that later package versions can read today's state" },
  ],
  // Modify first, so that nodes added by the scale-out already get the new instance types, image, disks and scripts.
  updateCalls: [MODIFY, SCALE],
  // The package refuses to create a pool whose name is taken in the cluster (the create has no client token, so a
  // lost answer is reconciled by name): a replacement that keeps name and cluster must delete the old pool first.
  deleteBeforeReplace: (olds, news) =>
    getPath(olds, "nodepoolInfo.name") === getPath(news, "nodepoolInfo.name") && getPath(olds, "clusterId") === getPath(news, "clusterId"),
  replaceNote:
    "Only the cluster and the name replace a pool, so a replacement moves or renames it and creates the new pool before deleting the old one. The create call has no client token: the package reconciles a lost answer by the pool's name and therefore refuses to create a pool whose name is already taken in the cluster (a replacement that kept both name and cluster would delete the old pool first). `ModifyClusterNodePool` runs before `ScaleClusterNodePool`, so that nodes added by a scale-out get the modified configuration. " +
    "Ownership: ENS node pools have no field that can carry an ownership mark, so a create interrupted after the cloud accepted it (a killed CI job) leaves a pool that the next create refuses, naming its `import` id; adopt it with the `import` resource option or delete it (docs/ownership.md).",
};
