/**
 * Field table of `alicloud.ack.NodePool` (ACK `CreateClusterNodePool`, cs 2015-12-15): every non-deprecated
 * request field, once. Sources for change behaviour:
 * - DOC: the API document (`shared/api-docs/alibaba-ack-CreateClusterNodePool.txt`);
 * - TF: Terraform `alicloud_cs_kubernetes_node_pool` (ForceNew or in-place via ModifyClusterNodePool);
 * - MODIFY: the ModifyClusterNodePool request model, which does not accept the field (so it cannot change).
 */
import { z } from "zod";
import { timeoutFields } from "../../core/lifecycle";
import type { ChangeBehaviour, CrossFieldRule, FieldSpec, ResourceSpec } from "../../core/fields/spec";
import { getPath } from "../../core/fields/spec";
import { OWNER_MARK_KEY, ownerKeyField } from "../../core/ownership";

export const ACK_API_VERSION = "2015-12-15";
export const MODIFY = "ModifyClusterNodePool";
export const MODIFY_NODE_CONFIG = "ModifyNodePoolNodeConfig";

const TF = "Terraform alicloud_cs_kubernetes_node_pool";
const replace = (source: string): ChangeBehaviour => ({ kind: "replace", source });
const modify = (source = `${TF} updates it in place`): ChangeBehaviour => ({ kind: "update", call: MODIFY, source });
const local = (source: string): ChangeBehaviour => ({ kind: "local", source });
const TF_FORCENEW = `${TF} ForceNew`;
const NOT_MODIFIABLE = "not accepted by ModifyClusterNodePool";

const id = z.string().min(1, "must not be empty");
/** Ids that go into URL paths: letters, digits, "_" and "-" only, so no value can change the request path. */
const pathId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, "must be an id of letters, digits, \"_\" and \"-\" (at most 128 characters)");
const ids = (min: number, max: number) => z.array(id).min(min).max(max);
const bool = z.boolean();
const int = (min: number, max?: number) => (max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max));


const keyValue = z.object({ key: z.string().min(1), value: z.string().optional() }).strict();

/** ECS tags: documented key rules. */
const ecsTags = z
  .array(
    z
      .object({
        key: z
          .string()
          .min(1)
          .max(128)
          .refine((k) => !/^(aliyun|acs:)/i.test(k), "must not start with \"aliyun\" or \"acs:\"")
          .refine((k) => !/https?:\/\//i.test(k), "must not contain \"http://\" or \"https://\"")
          .refine((k) => k !== OWNER_MARK_KEY, `must not be "${OWNER_MARK_KEY}", the tag that carries this package's ownership mark`)
          .describe(`must not start with "aliyun" or "acs:" or contain "http://" or "https://"; "${OWNER_MARK_KEY}" is reserved for the ownership mark`),
        value: z
          .string()
          .max(128)
          .refine((v) => !/^(aliyun|acs:)/i.test(v), "must not start with \"aliyun\" or \"acs:\"")
          .refine((v) => !/https?:\/\//i.test(v), "must not contain \"http://\" or \"https://\"")
          .describe("must not start with \"aliyun\" or \"acs:\" or contain \"http://\" or \"https://\"")
          .optional(),
      })
      .strict(),
  )
  .superRefine((tags, ctx) => {
    const seen = new Set<string>();
    tags.forEach((t, i) => {
      if (seen.has(t.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `duplicate tag key "${t.key}"` });
      seen.add(t.key);
    });
  })
  .describe("tag keys must be unique");

const taint = z
  .object({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "NoExecute", "PreferNoSchedule"]).optional(),
  })
  .strict();

const systemDiskCategory = z.enum(["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"]);
const dataDiskCategory = z.enum([
  "cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry",
  "elastic_ephemeral_disk_premium", "elastic_ephemeral_disk_standard",
]);
/** The API document's list, plus the newer values Terraform accepts (the API list lags new OS releases). */
const imageType = z.enum([
  "AliyunLinux", "AliyunLinuxSecurity", "AliyunLinux3", "AliyunLinux3Arm64", "AliyunLinux3Security", "CentOS", "Windows",
  "WindowsCore", "ContainerOS", "AliyunLinux3ContainerOptimized", "AliyunLinuxUEFI", "Ubuntu", "Custom", "AliyunLinux4",
  "AliyunLinux4Arm64", "AliyunLinux4Security", "AliyunLinux4ContainerOptimized", "AliyunLinux4ContainerOptimizedArm64",
]);
const performanceLevel = z.enum(["PL0", "PL1", "PL2", "PL3"]);

/** Documented cap on provisioned IOPS of a cloud_auto disk: min{50000, 1000*size - baseline}, baseline = min{1800 + 50*size, 50000}. */
function maxProvisionedIops(sizeGiB: number): number {
  const baseline = Math.min(1800 + 50 * sizeGiB, 50000);
  return Math.max(0, Math.min(50000, 1000 * sizeGiB - baseline));
}

/** DiskInit is a member of scaling_group (not of a data disk), per the SDK request model. */
const diskInit = z
  .object({
    diskName: z.string().min(1),
    localDisk: bool.optional(),
    mkfsType: z.string().optional(),
    mountTarget: z.string().optional(),
    mountForRuntime: bool.optional(),
  })
  .strict();

const dataDisk = z
  .object({
    category: dataDiskCategory.optional(),
    size: int(40, 32768).optional(),
    encrypted: z.enum(["true", "false"]).optional(),
    performanceLevel: performanceLevel.optional(),
    autoSnapshotPolicyId: z.string().optional(),
    kmsKeyId: z.string().optional(),
    snapshotId: z.string().optional(),
    device: z.string().regex(/^\/dev\/xvd[b-z]$/, "must be /dev/xvdb to /dev/xvdz").optional(),
    diskName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9:_-]{1,127}$/, "must be 2-128 characters, start with a letter, and use letters, digits, \":\", \"_\" or \"-\"")
      .optional(),
    provisionedIops: int(0, 50000).optional(),
    burstingEnabled: bool.optional(),
  })
  .strict()
  .superRefine((disk, ctx) => {
    // DataDisk model: bursting_enabled and provisioned_iops apply only to cloud_auto (the default category is
    // cloud_efficiency), and provisioned IOPS are capped by min{50000, 1000*size - baseline}.
    const autoOnly = (["burstingEnabled", "provisionedIops"] as const).filter((k) => disk[k] !== undefined);
    if (autoOnly.length && disk.category !== "cloud_auto") {
      ctx.addIssue({ code: "custom", path: ["category"], message: `must be cloud_auto when ${autoOnly.join(" or ")} is set` });
    }
    if (disk.provisionedIops !== undefined && disk.size !== undefined) {
      const max = maxProvisionedIops(disk.size);
      if (disk.provisionedIops > max) {
        ctx.addIssue({ code: "custom", path: ["provisionedIops"], message: `must be <= ${max} for a ${disk.size} GiB disk` });
      }
    }
  })
  .describe("burstingEnabled and provisionedIops only with category cloud_auto; provisionedIops at most min{50000, 1000*size - baseline}, baseline = min{1800 + 50*size, 50000}");

const instancePattern = z
  .object({
    cores: int(1).optional(),
    memory: z.number().positive().optional(),
    maxPrice: z.number().nonnegative().optional(),
    excludedInstanceTypes: z.array(z.string()).optional(),
    instanceFamilyLevel: z.enum(["EntryLevel", "EnterpriseLevel", "CreditEntryLevel"]).optional(),
    instanceTypeFamilies: z.array(z.string()).optional(),
    minimumCpuCoreCount: int(0).optional(),
    maximumCpuCoreCount: int(0).optional(),
    minimumGpuAmount: int(0).optional(),
    maximumGpuAmount: int(0).optional(),
    minimumMemorySize: z.number().nonnegative().optional(),
    maximumMemorySize: z.number().nonnegative().optional(),
    instanceCategories: z.array(z.string()).optional(),
    cpuArchitectures: z.array(z.string()).optional(),
    gpuSpecs: z.array(z.string()).optional(),
  })
  .strict();

const nodeComponent = z
  .object({
    name: z.string().min(1),
    version: z.string().optional(),
    config: z.object({ customConfig: z.record(z.string(), z.string()).optional() }).strict().optional(),
  })
  .strict();

/** kubelet parameters are camelCase on the wire (KubeletConfig model), so they pass through unchanged. */
const kubeletConfiguration = z.record(z.string(), z.unknown());
const identity = (v: unknown) => v;

/** Node component custom configuration is a free map: its keys must not be renamed. */
function nodeComponentsToWire(value: unknown): unknown {
  return (value as Array<Record<string, any>>).map((c) => ({
    name: c.name,
    version: c.version,
    config: c.config ? { custom_config: c.config.customConfig } : undefined,
  }));
}
function nodeComponentsFromWire(value: unknown): unknown {
  return (value as Array<Record<string, any>>).map((c) => ({
    name: c.name,
    version: c.version,
    config: c.config ? { customConfig: c.config.custom_config } : undefined,
  }));
}

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

export const ackNodePoolFields: FieldSpec[] = [
  f("clusterId", undefined, pathId, replace("path parameter; a pool cannot move between clusters"), "ID of the ACK cluster (path parameter `{ClusterId}`).", { required: true }),

  // nodepool_info
  f("nodepoolInfo.name", "nodepool_info.name", z.string().min(1), modify(), "Node pool name, unique in the cluster.", { required: true }),
  f("nodepoolInfo.type", "nodepool_info.type", z.enum(["ess", "edge", "lingjun", "hybrid"]), replace(TF_FORCENEW), "Node pool type."),
  f("nodepoolInfo.resourceGroupId", "nodepool_info.resource_group_id", id, modify(), "Resource group of the pool's instances."),

  // auto_scaling
  f("autoScaling.enable", "auto_scaling.enable", bool, modify(), "Whether auto scaling is enabled."),
  f("autoScaling.type", "auto_scaling.type", z.enum(["cpu", "gpu", "gpushare", "spot"]), replace("API document: cannot be modified after the node pool is created"), "Auto scaling instance type."),
  f("autoScaling.maxInstances", "auto_scaling.max_instances", int(0, 2000), modify(), "Maximum scalable instances, [min_instances, 2000]."),
  f("autoScaling.minInstances", "auto_scaling.min_instances", int(0, 2000), modify(), "Minimum scalable instances, [0, max_instances]."),

  // management
  f("management.enable", "management.enable", bool, modify(), "Whether the managed node pool feature is enabled."),
  f("management.autoRepair", "management.auto_repair", bool, modify(), "Automatically repair nodes."),
  f("management.autoRepairPolicy.restartNode", "management.auto_repair_policy.restart_node", bool, modify(), "Allow node restarts during repair."),
  f("management.autoRepairPolicy.approvalRequired", "management.auto_repair_policy.approval_required", bool, modify(), "Require manual approval for repairs."),
  f("management.autoVulFix", "management.auto_vul_fix", bool, modify(), "Automatically fix CVE vulnerabilities."),
  f("management.autoVulFixPolicy.restartNode", "management.auto_vul_fix_policy.restart_node", bool, modify(), "Allow node restarts during CVE fixes."),
  f("management.autoVulFixPolicy.vulLevel", "management.auto_vul_fix_policy.vul_level", z.string().regex(/^(asap|later|nntf)(,(asap|later|nntf))*$/, "must be a comma-separated list of asap, later, nntf"), modify(), "Vulnerability levels fixed automatically, e.g. \"asap,nntf\"."),
  f("management.autoVulFixPolicy.excludePackages", "management.auto_vul_fix_policy.exclude_packages", z.string(), modify(), "Packages excluded from CVE fixes, comma-separated."),
  f("management.autoUpgrade", "management.auto_upgrade", bool, modify(), "Automatically upgrade nodes."),
  f("management.autoUpgradePolicy.autoUpgradeKubelet", "management.auto_upgrade_policy.auto_upgrade_kubelet", bool, modify(), "Allow automatic kubelet upgrades."),
  f("management.autoUpgradePolicy.autoUpgradeRuntime", "management.auto_upgrade_policy.auto_upgrade_runtime", bool, modify(), "Allow automatic runtime upgrades."),
  f("management.autoUpgradePolicy.autoUpgradeOs", "management.auto_upgrade_policy.auto_upgrade_os", bool, modify(), "Allow automatic OS upgrades."),
  f("management.autoFaultDiagnosis", "management.auto_fault_diagnosis", bool, modify("sent with the management section like its siblings"), "Automatic fault diagnosis."),

  // scaling_group
  f("scalingGroup.vswitchIds", "scaling_group.vswitch_ids", ids(1, 8), modify(), "vSwitch IDs, 1-8; their order is the zone priority.", { required: true }),
  f("scalingGroup.instanceTypes", "scaling_group.instance_types", ids(1, 10), modify(), "Instance types, 1-10; their order is the priority.", { required: true, newNodesOnly: true }),
  f("scalingGroup.instanceChargeType", "scaling_group.instance_charge_type", z.enum(["PrePaid", "PostPaid"]), modify(), "Billing type.", { required: true }),
  f("scalingGroup.period", "scaling_group.period", int(1, 60), modify(), "Subscription duration; required for PrePaid."),
  f("scalingGroup.periodUnit", "scaling_group.period_unit", z.enum(["Month", "Week"]), modify(), "Subscription period unit; required for PrePaid."),
  f("scalingGroup.autoRenew", "scaling_group.auto_renew", bool, modify(), "Auto-renew PrePaid nodes."),
  f("scalingGroup.autoRenewPeriod", "scaling_group.auto_renew_period", int(1, 60), modify(), "Duration of each auto-renewal."),
  f("scalingGroup.spotStrategy", "scaling_group.spot_strategy", z.enum(["NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"]), modify(), "Preemptible instance strategy."),
  f("scalingGroup.spotPriceLimit", "scaling_group.spot_price_limit", z.array(z.object({ instanceType: z.string().min(1), priceLimit: z.string().regex(/^\d+(\.\d+)?$/, "must be a decimal price such as \"0.39\"") }).strict()), modify(), "Price limit per spot instance type (USD/hour).", { normalise: "unordered" }),
  f("scalingGroup.imageType", "scaling_group.image_type", imageType, modify(), "Operating system image type.", { newNodesOnly: true }),
  f("scalingGroup.imageId", "scaling_group.image_id", id, modify(), "Custom image ID.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskCategory", "scaling_group.system_disk_category", systemDiskCategory, modify(), "System disk category.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskCategories", "scaling_group.system_disk_categories", z.array(systemDiskCategory).min(1), modify(), "System disk categories in priority order.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskSize", "scaling_group.system_disk_size", int(20, 2048), modify(), "System disk size in GiB, [20, 2048].", { newNodesOnly: true }),
  f("scalingGroup.systemDiskPerformanceLevel", "scaling_group.system_disk_performance_level", performanceLevel, modify(), "ESSD performance level.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskEncrypted", "scaling_group.system_disk_encrypted", bool, modify(), "Encrypt the system disk.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskKmsKeyId", "scaling_group.system_disk_kms_key_id", id, modify(), "KMS key for the system disk.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskEncryptAlgorithm", "scaling_group.system_disk_encrypt_algorithm", z.enum(["aes-256"]), modify(), "System disk encryption algorithm.", { newNodesOnly: true }),
  f("scalingGroup.systemDiskBurstingEnabled", "scaling_group.system_disk_bursting_enabled", bool, modify(), "Performance bursting (cloud_auto only).", { newNodesOnly: true }),
  f("scalingGroup.systemDiskProvisionedIops", "scaling_group.system_disk_provisioned_iops", int(0, 50000), modify(), "Provisioned IOPS (cloud_auto only).", { newNodesOnly: true }),
  f("scalingGroup.systemDiskSnapshotPolicyId", "scaling_group.system_disk_snapshot_policy_id", id, modify(), "System disk snapshot policy."),
  f("scalingGroup.dataDisks", "scaling_group.data_disks", z.array(dataDisk), modify(), "Data disks of each node.", { unset: "clear", clearValue: [], newNodesOnly: true }),
  f("scalingGroup.diskInit", "scaling_group.disk_init", z.array(diskInit), modify(), "Block device initialisation (mkfs and mount) per data disk.", { unset: "clear", clearValue: [], newNodesOnly: true }),
  f("scalingGroup.securityGroupIds", "scaling_group.security_group_ids", ids(1, 5), replace(`${TF_FORCENEW} ("This field cannot be modified")`), "Security groups of the nodes.", { normalise: "unordered" }),
  f("scalingGroup.keyPair", "scaling_group.key_pair", id, modify(), "Key pair for login; exactly one of keyPair and loginPassword.", { newNodesOnly: true }),
  f("loginPassword", "scaling_group.login_password", z
      .string()
      .min(8)
      .max(30)
      .refine(
        (p) => [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length >= 3,
        "must contain at least three of: uppercase letters, lowercase letters, digits, special characters",
      )
      .describe("at least three of: uppercase letters, lowercase letters, digits, special characters"), modify(), "SSH login password (`scaling_group.login_password`); exactly one of keyPair and loginPassword. Top-level so that Pulumi encrypts it in state.", { secret: true, readable: false, newNodesOnly: true }),
  f("scalingGroup.loginAsNonRoot", "scaling_group.login_as_non_root", bool, replace(TF_FORCENEW), "Log in as a non-root user."),
  f("scalingGroup.socEnabled", "scaling_group.soc_enabled", bool, replace(TF_FORCENEW), "Classified protection hardening."),
  f("scalingGroup.securityHardeningOs", "scaling_group.security_hardening_os", bool, replace(TF_FORCENEW), "Alibaba Cloud OS security hardening."),
  f("scalingGroup.internetChargeType", "scaling_group.internet_charge_type", z.enum(["PayByBandwidth", "PayByTraffic"]), modify(), "Public IP billing type.", { newNodesOnly: true }),
  f("scalingGroup.internetMaxBandwidthOut", "scaling_group.internet_max_bandwidth_out", int(1, 100), modify(), "Public outbound bandwidth in Mbps, [1, 100].", { newNodesOnly: true }),
  f("scalingGroup.tags", "scaling_group.tags", ecsTags, modify(), "Tags of the ECS instances.", { normalise: "unordered", unset: "clear", clearValue: [], newNodesOnly: true }),
  f("scalingGroup.desiredSize", "scaling_group.desired_size", int(0), modify("TF: desired_size through ModifyClusterNodePool scaling_group.desired_size"), "Desired node count."),
  f("scalingGroup.multiAzPolicy", "scaling_group.multi_az_policy", z.enum(["PRIORITY", "COST_OPTIMIZED", "BALANCE"]), modify(), "Multi-zone scaling policy."),
  f("scalingGroup.scalingPolicy", "scaling_group.scaling_policy", z.enum(["release", "recycle"]), modify(), "Scaling group mode."),
  f("scalingGroup.onDemandBaseCapacity", "scaling_group.on_demand_base_capacity", int(0, 1000), modify(), "Minimum pay-as-you-go instances, [0, 1000]."),
  f("scalingGroup.onDemandPercentageAboveBaseCapacity", "scaling_group.on_demand_percentage_above_base_capacity", int(0, 100), modify(), "Pay-as-you-go percentage above the base, [0, 100]."),
  f("scalingGroup.spotInstancePools", "scaling_group.spot_instance_pools", int(1, 10), modify(), "Spot instance types to spread over, [1, 10]."),
  f("scalingGroup.spotInstanceRemedy", "scaling_group.spot_instance_remedy", bool, modify(), "Replace spot instances before reclamation."),
  f("scalingGroup.compensateWithOnDemand", "scaling_group.compensate_with_on_demand", bool, modify(), "Fall back to pay-as-you-go when spot is short."),
  f("scalingGroup.deploymentSetId", "scaling_group.deploymentset_id", id, replace(TF_FORCENEW), "Deployment set."),
  f("scalingGroup.rdsInstances", "scaling_group.rds_instances", z.array(id), modify(), "RDS instances whose whitelist gets the nodes.", { normalise: "unordered" }),
  f("scalingGroup.privatePoolOptions.id", "scaling_group.private_pool_options.id", id, modify(), "Private pool ID."),
  f("scalingGroup.privatePoolOptions.matchCriteria", "scaling_group.private_pool_options.match_criteria", z.enum(["Open", "Target", "None"]), modify(), "Private pool capacity option."),
  f("scalingGroup.instancePatterns", "scaling_group.instance_patterns", z.array(instancePattern), modify(), "Instance attribute patterns.", { normalise: "unordered" }),
  f("scalingGroup.ramRoleName", "scaling_group.ram_role_name", id, replace(TF_FORCENEW), "Worker RAM role (ACK managed clusters 1.22+)."),
  f("scalingGroup.instanceMetadataOptions.httpTokens", "scaling_group.instance_metadata_options.http_tokens", z.enum(["optional", "required"]), replace(TF_FORCENEW), "IMDS access mode (required = IMDSv2 only)."),
  f("scalingGroup.resourcePoolOptions.strategy", "scaling_group.resource_pool_options.strategy", z.enum(["PrivatePoolFirst", "PrivatePoolOnly", "None"]), modify(), "Resource pool strategy (pay-as-you-go only)."),
  f("scalingGroup.resourcePoolOptions.privatePoolIds", "scaling_group.resource_pool_options.private_pool_ids", ids(1, 20), modify(), "Private pool IDs, 1-20.", { normalise: "unordered" }),

  // node_config
  f("nodeConfig.kubeletConfiguration", "node_config.kubelet_configuration", kubeletConfiguration, { kind: "update", call: MODIFY_NODE_CONFIG, source: `${TF} kubelet_configuration via PUT .../node_config` }, "kubelet parameters (camelCase keys, as the KubeletConfig model).", { updateWire: "kubelet_config", toWire: identity, fromWire: identity }),

  // kubernetes_config
  f("kubernetesConfig.labels", "kubernetes_config.labels", z.array(keyValue), modify(), "Kubernetes node labels.", { normalise: "unordered", unset: "clear", clearValue: [] }),
  f("kubernetesConfig.taints", "kubernetes_config.taints", z.array(taint), modify(), "Kubernetes node taints.", { normalise: "unordered", unset: "clear", clearValue: [] }),
  f("kubernetesConfig.runtime", "kubernetes_config.runtime", z.enum(["containerd", "docker", "Sandboxed-Container.runv"]), modify(), "Container runtime.", { newNodesOnly: true }),
  f("kubernetesConfig.runtimeVersion", "kubernetes_config.runtime_version", z.string().min(1), modify(), "Container runtime version.", { newNodesOnly: true }),
  f("kubernetesConfig.cpuPolicy", "kubernetes_config.cpu_policy", z.enum(["none", "static"]), modify(), "CPU management policy.", { newNodesOnly: true }),
  f("kubernetesConfig.userData", "kubernetes_config.user_data", z.string(), modify(`${TF}; applies to nodes added after the change`), "Script run after a node joins; plain text or base64.", { normalise: "base64", newNodesOnly: true }),
  f("kubernetesConfig.unschedulable", "kubernetes_config.unschedulable", bool, modify(), "New nodes are unschedulable.", { newNodesOnly: true }),
  f("kubernetesConfig.cmsEnabled", "kubernetes_config.cms_enabled", bool, modify(), "Install CloudMonitor.", { newNodesOnly: true }),
  f("kubernetesConfig.nodeNameMode", "kubernetes_config.node_name_mode", z
      .string()
      .regex(
        /^customized,[A-Za-z][A-Za-z0-9.-]*,ip,([A-Za-z0-9][A-Za-z0-9.-]*)?$/,
        "must look like \"customized,<prefix>,ip,<suffix>\" (prefix starts with a letter; letters, digits, \".\" and \"-\")",
      ), replace(TF_FORCENEW), "Custom node naming."),
  f("kubernetesConfig.preUserData", "kubernetes_config.pre_user_data", z.string(), modify(), "Script run before a node joins; plain text or base64.", { normalise: "base64", newNodesOnly: true }),

  // other sections
  f("teeConfig.teeEnable", "tee_config.tee_enable", bool, replace(TF_FORCENEW), "Trusted execution environment."),
  f("interconnectMode", "interconnect_mode", z.enum(["basic", "private"]), replace(NOT_MODIFIABLE), "Network type of an edge node pool."),
  f("hostNetwork", "host_network", bool, replace(NOT_MODIFIABLE), "Pods use the host network (edge pools)."),
  f("intranet", "intranet", bool, replace(NOT_MODIFIABLE), "Edge nodes are interconnected at layer 3."),
  f("efloNodeGroup.clusterId", "eflo_node_group.cluster_id", id, replace("documented immutable after creation (Terraform docs)"), "Lingjun cluster to associate."),
  f("efloNodeGroup.groupId", "eflo_node_group.group_id", id, replace("documented immutable after creation (Terraform docs)"), "Lingjun group to associate."),
  f("autoMode.enable", "auto_mode.enable", bool, replace(TF_FORCENEW), "Intelligent managed mode."),
  f("nodeComponents", "node_components", z.array(nodeComponent), replace(NOT_MODIFIABLE), "Node components and their configuration.", { toWire: nodeComponentsToWire, fromWire: nodeComponentsFromWire }),

  // settings of this package
  ownerKeyField(`The create adds the ECS tag \`${OWNER_MARK_KEY}\` with a digest of it to \`scaling_group.tags\`, so that a pool left by an interrupted create is adopted by the next one rather than refused; the tag is never shown as drift and is kept when the tags change.`),
  f("updateNodes", undefined, bool, local("update option"), "Also apply label and taint changes to existing nodes: sent as `update_nodes` with every ModifyClusterNodePool call that changes labels or taints (default false: the cloud applies them to new nodes only)."),
  f("forceDelete", undefined, bool, local("delete option"), "Delete the pool even if it still has nodes (`force=true`, the default)."),
  ...timeoutFields({
    create: "How long create waits (default 90m, as Terraform).",
    update: "How long update waits (default 60m).",
    delete: "How long delete waits (default 60m).",
  }),
];

function num(get: (p: string) => unknown, path: string): number | undefined {
  const v = get(path);
  return typeof v === "number" ? v : undefined;
}

/** Subscription durations depend on the unit (documented per period_unit; the unit defaults to Month). */
function periodRule(path: string, allowed: Record<"Week" | "Month", number[]>): CrossFieldRule {
  return {
    paths: ["scalingGroup.periodUnit", path],
    reportOn: path,
    rule: `with periodUnit Week: one of ${allowed.Week.join(", ")}; with Month (the default): one of ${allowed.Month.join(", ")}`,
    test: (get) => {
      const value = num(get, path);
      if (value === undefined) return undefined;
      const unit = get("scalingGroup.periodUnit") === "Week" ? "Week" : "Month";
      return allowed[unit].includes(value) ? undefined : `must be one of ${allowed[unit].join(", ")} when periodUnit is ${unit} (got ${value})`;
    },
  };
}

export const ackNodePoolRules: CrossFieldRule[] = [
  {
    paths: ["autoScaling.minInstances", "autoScaling.maxInstances"],
    reportOn: "autoScaling.maxInstances",
    rule: "max_instances must not be below min_instances (documented range [min_instances, 2000])",
    test: (get) => {
      const min = num(get, "autoScaling.minInstances");
      const max = num(get, "autoScaling.maxInstances");
      return min !== undefined && max !== undefined && max < min ? `must be >= autoScaling.minInstances (${min}) (got ${max})` : undefined;
    },
  },
  {
    paths: ["scalingGroup.instanceChargeType", "scalingGroup.period", "scalingGroup.periodUnit"],
    reportOn: "scalingGroup.period",
    rule: "period and periodUnit are required when instanceChargeType is PrePaid",
    test: (get) => {
      if (get("scalingGroup.instanceChargeType") !== "PrePaid") return undefined;
      const missing = ["period", "periodUnit"].filter((k) => get(`scalingGroup.${k}`) === undefined);
      return missing.length ? `${missing.map((m) => `scalingGroup.${m}`).join(" and ")} required when instanceChargeType is PrePaid` : undefined;
    },
  },
  periodRule("scalingGroup.period", { Week: [1, 2, 3, 4], Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60] }),
  periodRule("scalingGroup.autoRenewPeriod", { Week: [1, 2, 3], Month: [1, 2, 3, 6, 12, 24, 36, 48, 60] }),
  {
    paths: ["scalingGroup.keyPair", "loginPassword"],
    reportOn: "scalingGroup.keyPair",
    rule: "exactly one of keyPair and loginPassword (\"use either this or login_password\")",
    test: (get) => {
      const hasKey = get("scalingGroup.keyPair") !== undefined;
      const hasPassword = get("loginPassword") !== undefined;
      if (hasKey && hasPassword) return "set either scalingGroup.keyPair or loginPassword, not both";
      if (!hasKey && !hasPassword) return "one of scalingGroup.keyPair or loginPassword is required";
      return undefined;
    },
  },
  {
    paths: ["scalingGroup.privatePoolOptions.id", "scalingGroup.privatePoolOptions.matchCriteria", "scalingGroup.resourcePoolOptions.strategy", "scalingGroup.resourcePoolOptions.privatePoolIds"],
    reportOn: "scalingGroup.resourcePoolOptions",
    rule: "resourcePoolOptions cannot be set together with privatePoolOptions.matchCriteria or privatePoolOptions.id",
    test: (get) => {
      const privatePool = get("scalingGroup.privatePoolOptions.id") !== undefined || get("scalingGroup.privatePoolOptions.matchCriteria") !== undefined;
      const resourcePool = get("scalingGroup.resourcePoolOptions.strategy") !== undefined || get("scalingGroup.resourcePoolOptions.privatePoolIds") !== undefined;
      return privatePool && resourcePool ? "cannot be set together with scalingGroup.privatePoolOptions" : undefined;
    },
  },
  {
    paths: ["scalingGroup.resourcePoolOptions.strategy", "scalingGroup.resourcePoolOptions.privatePoolIds"],
    reportOn: "scalingGroup.resourcePoolOptions.privatePoolIds",
    rule: "privatePoolIds are required when strategy is PrivatePoolOnly",
    test: (get) =>
      get("scalingGroup.resourcePoolOptions.strategy") === "PrivatePoolOnly" && get("scalingGroup.resourcePoolOptions.privatePoolIds") === undefined
        ? "required when scalingGroup.resourcePoolOptions.strategy is PrivatePoolOnly"
        : undefined,
  },
  {
    paths: ["scalingGroup.resourcePoolOptions.strategy", "scalingGroup.instanceChargeType"],
    reportOn: "scalingGroup.resourcePoolOptions",
    rule: "resourcePoolOptions only applies to pay-as-you-go (PostPaid) instances",
    test: (get) =>
      get("scalingGroup.resourcePoolOptions.strategy") !== undefined && get("scalingGroup.instanceChargeType") === "PrePaid"
        ? "only applies when scalingGroup.instanceChargeType is PostPaid"
        : undefined,
  },
  {
    paths: ["scalingGroup.systemDiskCategory", "scalingGroup.systemDiskBurstingEnabled", "scalingGroup.systemDiskProvisionedIops"],
    reportOn: "scalingGroup.systemDiskCategory",
    rule: "systemDiskBurstingEnabled and systemDiskProvisionedIops can only be set when systemDiskCategory is cloud_auto",
    test: (get) => {
      const set = ["systemDiskBurstingEnabled", "systemDiskProvisionedIops"].filter((k) => get(`scalingGroup.${k}`) !== undefined);
      return set.length && get("scalingGroup.systemDiskCategory") !== "cloud_auto"
        ? `must be cloud_auto when scalingGroup.${set.join(" or scalingGroup.")} is set`
        : undefined;
    },
  },
  {
    paths: ["scalingGroup.systemDiskProvisionedIops", "scalingGroup.systemDiskSize"],
    reportOn: "scalingGroup.systemDiskProvisionedIops",
    rule: "provisioned IOPS at most min{50000, 1000*size - baseline}, baseline = min{1800 + 50*size, 50000}",
    test: (get) => {
      const iops = num(get, "scalingGroup.systemDiskProvisionedIops");
      const size = num(get, "scalingGroup.systemDiskSize");
      if (iops === undefined || size === undefined) return undefined;
      const max = maxProvisionedIops(size);
      return iops > max ? `must be <= ${max} for a ${size} GiB system disk (got ${iops})` : undefined;
    },
  },
];

export const ackNodePoolSpec: ResourceSpec = {
  name: "alicloud.ack.NodePool",
  example: {
    clusterId: "c0123456789abcdef0123456789abcdef",
    nodepoolInfo: { name: "gpu" },
    scalingGroup: { vswitchIds: ["vsw-a"], instanceTypes: ["ecs.gn7i-c8g1.2xlarge"], instanceChargeType: "PostPaid", keyPair: "ml" },
  },
  review: {
    typeToken: "pulumi-nodejs:dynamic/alicloud/ack:NodePool",
    runningNodes: (outputs) => {
      const n = getPath(outputs, "status.totalNodes");
      return typeof n === "number" ? n : undefined;
    },
    desiredCountPath: "scalingGroup.desiredSize",
    unit: "nodes",
  },
  document: "Alibaba Cloud ACK `CreateClusterNodePool` (cs 2015-12-15, ROA, `POST /clusters/{ClusterId}/nodepools`)",
  fields: ackNodePoolFields,
  rules: ackNodePoolRules,
  computed: [
    { path: "nodePoolId", doc: "node pool ID (`nodepool_id`); the Pulumi id is `<clusterId>:<nodePoolId>`" },
    { path: "scalingGroupId", doc: "auto scaling group ID (`scaling_group.scaling_group_id`)" },
    { path: "status", doc: "`state`, `totalNodes`, `servingNodes`, `healthyNodes`, `initialNodes`, `removingNodes`, `failedNodes`, `offlineNodes`" },
    { path: "created", doc: "creation time (`nodepool_info.created`)" },
    { path: "updated", doc: "last update time (`nodepool_info.updated`)" },
    { path: "schemaVersion", doc: "version of this output layout, so that later package versions can read today's state" },
  ],
  updateCalls: [MODIFY, MODIFY_NODE_CONFIG],
  // Names are unique in a cluster: a replacement that keeps the name must delete the old pool first.
  deleteBeforeReplace: (olds, news) => getPath(olds, "nodepoolInfo.name") === getPath(news, "nodepoolInfo.name"),
  replaceNote:
    "Node pool names are unique in a cluster, so a replacement that keeps the name deletes the old pool before creating the new one (Terraform issue #6502 shows the failure otherwise); a replacement that also renames the pool creates the new one first. " +
    `Ownership: the create tags the pool's ECS instances with \`${OWNER_MARK_KEY}\` (a digest of \`ownerKey\`). A create that finds its name taken adopts the pool if it carries this resource's tag (an earlier run was interrupted after the cloud accepted the create) and refuses any other pool, naming the \`import\` id (docs/ownership.md).`,
};
