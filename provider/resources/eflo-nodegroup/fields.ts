/**
 * Field table of `alicloud.eflo.NodeGroup` (PAI-Lingjun `CreateNodeGroup`, eflo-controller 2022-12-15, RPC): every
 * request field of the API document (`shared/api-docs/alibaba-eflo-CreateNodeGroup.txt`), once, with its documented
 * constraints (required fields, SystemDisk enums, integer size in GB, booleans). Sources for change behaviour:
 * - UpdateNodeGroup: the request model of the official SDK (`UpdateNodeGroupShrinkRequest`: NewNodeGroupName,
 *   ImageId, KeyPairName, LoginPassword, UserData, SystemDisk, RamRoleName, FileSystemMountEnabled). A field it does
 *   not accept cannot change in place, so changing it replaces the group;
 * - Terraform `alicloud_eflo_node_group` (ForceNew: cluster_id, az, machine_type, node_group_description).
 *   Terraform also marks key_pair_name ForceNew although its update code has an UpdateNodeGroup branch for it; the
 *   API accepts KeyPairName in UpdateNodeGroup, so here it updates in place.
 *
 * Wire paths are the create call's parameters: `ClusterId`, `NodeGroup.<member>` (NodeGroup is sent as one JSON
 * string) and `NodeUnit` (a JSON string). Input paths are their camelCase forms (`NodeGroup.SystemDisk.Size` is
 * `nodeGroup.systemDisk.size`), except the secret `loginPassword`, which is top-level so that Pulumi encrypts it.
 *
 * No documented rule ties keyPairName and loginPassword together, so both are sent as given.
 */
import { z } from "zod";
import { timeoutFields } from "../../core/lifecycle";
import type { ChangeBehaviour, FieldSpec, ResourceSpec } from "../../core/fields/spec";
import { getPath } from "../../core/fields/spec";
import { isBase64 } from "../../core/fields/normalise";
import { DESCRIPTION_MARK_PREFIX, OWNER_MARK_KEY, ownerKeyField } from "../../core/ownership";

export const EFLO_API_VERSION = "2022-12-15";
/** The one in-place update call. */
export const UPDATE = "UpdateNodeGroup";

const TF = "Terraform alicloud_eflo_node_group";
const NOT_UPDATABLE = "not accepted by UpdateNodeGroup";
const replace = (source: string): ChangeBehaviour => ({ kind: "replace", source });
const update = (source: string): ChangeBehaviour => ({ kind: "update", call: UPDATE, source });

const id = z.string().min(1, "must not be empty");
const bool = z.boolean();


/** The SDK reference: "The maximum size of the raw data is 16 KB" (the script, decoded when it is sent as base64). */
export const USER_DATA_MAX_BYTES = 16 * 1024;
const userData = z
  .string()
  .refine(
    (text) => (isBase64(text) ? Buffer.from(text, "base64") : Buffer.from(text, "utf8")).length <= USER_DATA_MAX_BYTES,
    `must be a script of at most ${USER_DATA_MAX_BYTES} bytes (16 KB; decoded size when given as base64)`,
  )
  .describe("a script of at most 16 KB (decoded size when given as base64)");

/** NodeUnit is typed `any` in the document; its example keys are NodeUnitId, NodeUnitName, ResourceGroupId, MaxNodes. */
const nodeUnit = z.record(z.string(), z.unknown());
const identity = (v: unknown) => v;

function f(
  path: string,
  wire: string | undefined,
  type: z.ZodType,
  change: ChangeBehaviour,
  doc: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { path, wire, type, change, doc, ...extra };
}

/** UpdateNodeGroup parameter names; UpdateNodeGroup takes them at the top level, not inside NodeGroup. */
export const UPDATE_PARAMETER = {
  name: "NewNodeGroupName",
  imageId: "ImageId",
  keyPairName: "KeyPairName",
  loginPassword: "LoginPassword",
  userData: "UserData",
  systemDisk: "SystemDisk",
  ramRoleName: "RamRoleName",
  fileSystemMountEnabled: "FileSystemMountEnabled",
} as const;

export const RAM_ROLE_PATH = "nodeGroup.ramRoleName";

export const efloNodeGroupFields: FieldSpec[] = [
  f("clusterId", "ClusterId", id, replace(`${TF} ForceNew; ${NOT_UPDATABLE}`), "ID of the Lingjun cluster that contains the node group.", { required: true }),

  // NodeGroup (one JSON string parameter)
  f("nodeGroup.az", "NodeGroup.Az", id, replace(`${TF} ForceNew; ${NOT_UPDATABLE}`), "Availability zone of the node group, e.g. `cn-wulanchabu-b`.", { required: true }),
  f("nodeGroup.nodeGroupName", "NodeGroup.NodeGroupName", id, update(`UpdateNodeGroup parameter NewNodeGroupName; ${TF} updates it in place`), "Name of the node group, unique in the cluster.", { required: true, updateWire: UPDATE_PARAMETER.name }),
  f(
    "nodeGroup.nodeGroupDescription",
    "NodeGroup.NodeGroupDescription",
    z
      .string()
      .refine((d) => !d.includes(DESCRIPTION_MARK_PREFIX), `must not contain "${DESCRIPTION_MARK_PREFIX}", which starts this package's ownership mark`)
      .describe(`must not contain "${DESCRIPTION_MARK_PREFIX}"`),
    replace(`${TF} ForceNew; ${NOT_UPDATABLE}`),
    `Description of the node group. The package appends its ownership mark (\` [${OWNER_MARK_KEY}=<digest>]\`) in the cloud and removes it again when it reads the group, so the mark is never drift.`,
  ),
  f("nodeGroup.machineType", "NodeGroup.MachineType", id, replace(`${TF} ForceNew; ${NOT_UPDATABLE}`), "Machine type of the nodes.", { required: true }),
  f("nodeGroup.imageId", "NodeGroup.ImageId", id, update(`UpdateNodeGroup parameter ImageId; ${TF} updates it in place (since v1.252.0)`), "Default image of the nodes in the group.", { required: true, updateWire: UPDATE_PARAMETER.imageId }),
  f("nodeGroup.userData", "NodeGroup.UserData", userData, update("UpdateNodeGroup parameter UserData"), "Script run at node startup. Sent exactly as given (the SDK reference asks for Base64; the API document's example is plain text).", { updateWire: UPDATE_PARAMETER.userData }),
  // SystemDisk members: UpdateNodeGroup takes SystemDisk as one JSON object; the handler sends every declared member.
  f("nodeGroup.systemDisk.size", "NodeGroup.SystemDisk.Size", z.number().int().min(1), update("UpdateNodeGroup parameter SystemDisk, a JSON object"), "System disk size in GB.", { updateWire: "SystemDisk.Size" }),
  f("nodeGroup.systemDisk.performanceLevel", "NodeGroup.SystemDisk.PerformanceLevel", z.enum(["PL0", "PL1"]), update("UpdateNodeGroup parameter SystemDisk, a JSON object"), "ESSD performance level: PL0 (up to 10,000 random IOPS) or PL1 (up to 50,000).", { updateWire: "SystemDisk.PerformanceLevel" }),
  f("nodeGroup.systemDisk.category", "NodeGroup.SystemDisk.Category", z.enum(["cloud_essd"]), update("UpdateNodeGroup parameter SystemDisk, a JSON object"), "System disk type: `cloud_essd` (ESSD).", { updateWire: "SystemDisk.Category" }),
  f("nodeGroup.fileSystemMountEnabled", "NodeGroup.FileSystemMountEnabled", bool, update("UpdateNodeGroup parameter FileSystemMountEnabled"), "Whether file storage mounting is enabled.", { updateWire: UPDATE_PARAMETER.fileSystemMountEnabled }),
  f("nodeGroup.virtualGpuEnabled", "NodeGroup.VirtualGpuEnabled", bool, replace(NOT_UPDATABLE), "Whether GPU virtualization is enabled."),
  f("nodeGroup.keyPairName", "NodeGroup.KeyPairName", id, update("UpdateNodeGroup parameter KeyPairName; Terraform marks it ForceNew, but the API updates it"), "Key pair for SSH logon.", { updateWire: UPDATE_PARAMETER.keyPairName }),
  f("loginPassword", "NodeGroup.LoginPassword", id, update("UpdateNodeGroup parameter LoginPassword; Terraform updates it in place"), "Login password of the nodes (`NodeGroup.LoginPassword`). Top-level so that Pulumi encrypts it in state.", {
    secret: true,
    readable: false,
    updateWire: UPDATE_PARAMETER.loginPassword,
  }),
  f(RAM_ROLE_PATH, "NodeGroup.RamRoleName", id, update("UpdateNodeGroup parameter RamRoleName; a removal replaces instead"), "RAM role of the nodes (its trusted entity must be Lingjun). Removing it from the program replaces the node group: UpdateNodeGroup cannot remove a role by clearing the parameter.", {
    updateWire: UPDATE_PARAMETER.ramRoleName,
  }),

  f("nodeUnit", "NodeUnit", nodeUnit, replace(NOT_UPDATABLE), "Node unit configuration, sent as one JSON object with the API's own keys, e.g. `{ NodeUnitId, NodeUnitName, ResourceGroupId, MaxNodes }`.", {
    readable: false,
    toWire: identity,
    fromWire: identity,
  }),

  // settings of this package
  ownerKeyField(`The create appends \` [${OWNER_MARK_KEY}=<digest of it>]\` to \`NodeGroupDescription\` (the only free-text field ListNodeGroups returns), so that a group left by an interrupted create is adopted by the next one rather than refused.`),
  ...timeoutFields({
    create: "How long create waits for the group to be listed (default 5m, as Terraform).",
    update: "How long update waits for its UpdateNodeGroup task (default 120m, as Terraform).",
    delete: "How long delete waits for the group to leave the list (default 5m, as Terraform).",
  }),
];

export const efloNodeGroupSpec: ResourceSpec = {
  name: "alicloud.eflo.NodeGroup",
  example: {
    clusterId: "i118191731740041623425",
    nodeGroup: { az: "cn-wulanchabu-b", nodeGroupName: "gpu", machineType: "efg2.C48cNHmcn", imageId: "i-image-1" },
  },
  review: {
    typeToken: "pulumi-nodejs:dynamic/alicloud/eflo:NodeGroup",
    runningNodes: (outputs) => (typeof outputs.nodeCount === "number" ? outputs.nodeCount : undefined),
    unit: "nodes",
  },
  document: "Alibaba Cloud PAI-Lingjun `CreateNodeGroup` (eflo-controller 2022-12-15, RPC, `POST /` with a form body)",
  fields: efloNodeGroupFields,
  rules: [],
  computed: [
    { path: "nodeGroupId", doc: "node group ID (`NodeGroupId`); the Pulumi id is `<clusterId>:<nodeGroupId>`" },
    { path: "clusterName", doc: "name of the cluster (`ClusterName`)" },
    { path: "imageName", doc: "name of the image (`ImageName`)" },
    { path: "nodeCount", doc: "number of nodes in the group (`NodeCount`; nodes join through ExtendCluster, outside this resource)" },
    { path: "loginType", doc: "how nodes are logged on to (`LoginType` of DescribeNodeGroup)" },
    { path: "createTime", doc: "creation time (`CreateTime`)" },
    { path: "updateTime", doc: "last update time (`UpdateTime`)" },
    { path: "schemaVersion", doc: "version of this output layout, so that later package versions can read today's state" },
  ],
  updateCalls: [UPDATE],
  // Names are unique in a cluster: a replacement in the same cluster that keeps the name must delete the old group first.
  deleteBeforeReplace: (olds, news) =>
    getPath(olds, "clusterId") === getPath(news, "clusterId") && getPath(olds, "nodeGroup.nodeGroupName") === getPath(news, "nodeGroup.nodeGroupName"),
  replaceNote:
    "Node groups have no state field: a group is ready once ListNodeGroups lists it (CreateNodeGroup is synchronous). " +
    "Node group names are unique in a cluster, so a replacement that keeps the name (in the same cluster) deletes the old group before creating the new one; " +
    "a replacement that also renames the group creates the new one first. Removing `nodeGroup.ramRoleName` from the program replaces the group, " +
    "because UpdateNodeGroup cannot remove a RAM role by clearing the parameter. " +
    `Ownership: the create appends \`[${OWNER_MARK_KEY}=<digest of ownerKey>]\` to the group's description. A create that finds its name taken adopts the group if its description carries this resource's mark (an earlier run was interrupted after the cloud accepted the create) and refuses any other group, naming the \`import\` id (docs/ownership.md).`,
};
