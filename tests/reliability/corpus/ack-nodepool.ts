/**
 * Bad-input corpus of `alicloud.ack.NodePool`: one violating case (at least) per documented constraint.
 * DOC = shared/api-docs/alibaba-ack-CreateClusterNodePool.txt; TF = Terraform alicloud_cs_kubernetes_node_pool;
 * SDK = the cs 2015-12-15 request models (DataDisk, InstancePatterns), as cited in the field table.
 */
import { ackNodePoolSpec } from "../../../provider/resources/ack-nodepool/fields";
import { OWNER_MARK_KEY } from "../../../provider/core/ownership";
import { ABSENT, corpusOf } from "./case";

const c = corpusOf(ackNodePoolSpec.example!);
const SG = "scalingGroup";
const BOOL_ENUM = ["true", "false"];
const long = (n: number) => "k".repeat(n);

// ---- path parameter and nodepool_info
c.required("clusterId", 'DOC: path parameter ClusterId, "Required: Yes"');
c.bad("clusterId:pattern", "ClusterId is a URL path segment: letters, digits, \"_\" and \"-\" only (field table), so no value can change the request path", { clusterId: "c1/../../tasks" }, "clusterId", /must be an id of letters, digits, "_" and "-"/);
c.required("nodepoolInfo.name", 'DOC: nodepool_info.name "Required: Yes"');
c.nonEmpty("nodepoolInfo.name", "DOC: nodepool_info.name, a node pool name (not empty)");
c.oneOf("nodepoolInfo.type", "DOC: nodepool_info.type \"Valid values\" (ess, edge, lingjun, hybrid per TF)", ["ess", "edge", "lingjun", "hybrid"]);
c.nonEmpty("nodepoolInfo.resourceGroupId", "DOC: nodepool_info.resource_group_id, a resource group ID (not empty)");

// ---- auto_scaling
c.oneOf("autoScaling.type", "DOC: auto_scaling.type \"Valid values\" (cpu, gpu, gpushare, spot)", ["cpu", "gpu", "gpushare", "spot"]);
c.integer("autoScaling.maxInstances", 'DOC: auto_scaling.max_instances "Valid values: [min_instances, 2000]"', { min: 0, max: 2000 });
c.integer("autoScaling.minInstances", 'DOC: auto_scaling.min_instances "Valid values: [0, max_instances]"', { min: 0, max: 2000 });

// ---- management
c.bad("management.autoVulFixPolicy.vulLevel:pattern", 'DOC: auto_vul_fix_policy.vul_level "vulnerability levels ... separated by commas", e.g. "asap,nntf" (levels asap, later, nntf)', { "management.autoVulFixPolicy.vulLevel": "asap,soon" }, "management.autoVulFixPolicy.vulLevel", /must be a comma-separated list of asap, later, nntf/);

// ---- scaling_group: lists
c.required(`${SG}.vswitchIds`, 'DOC: scaling_group.vswitch_ids "List of VSwitch IDs. Valid values: [1,8]"; required by TF');
c.bad(`${SG}.vswitchIds:minItems`, 'DOC: vswitch_ids "Valid values: [1,8]": at least one', { [`${SG}.vswitchIds`]: [] }, `${SG}.vswitchIds`, /must have at least 1 item/);
c.bad(`${SG}.vswitchIds:maxItems`, 'DOC: vswitch_ids "Valid values: [1,8]": at most eight', { [`${SG}.vswitchIds`]: Array.from({ length: 9 }, (_, i) => `vsw-${i}`) }, `${SG}.vswitchIds`, /must have at most 8 item/);
c.nonEmpty(`${SG}.vswitchIds`, "DOC: each vswitch_ids entry is a vSwitch ID (not empty)", { key: `${SG}.vswitchIds[]:minLength`, patch: (v) => ({ [`${SG}.vswitchIds`]: [v] }), property: `${SG}.vswitchIds[0]` });
c.required(`${SG}.instanceTypes`, 'DOC: scaling_group.instance_types "Supported instance type count range: [1,10]"; required by TF');
c.bad(`${SG}.instanceTypes:minItems`, 'DOC: instance_types "count range: [1,10]": at least one', { [`${SG}.instanceTypes`]: [] }, `${SG}.instanceTypes`, /must have at least 1 item/);
c.bad(`${SG}.instanceTypes:maxItems`, 'DOC: instance_types "count range: [1,10]": at most ten', { [`${SG}.instanceTypes`]: Array.from({ length: 11 }, (_, i) => `ecs.t${i}`) }, `${SG}.instanceTypes`, /must have at most 10 item/);
c.nonEmpty(`${SG}.instanceTypes`, "DOC: each instance_types entry is an instance type (not empty)", { key: `${SG}.instanceTypes[]:minLength`, patch: (v) => ({ [`${SG}.instanceTypes`]: [v] }), property: `${SG}.instanceTypes[0]` });

// ---- scaling_group: billing
c.required(`${SG}.instanceChargeType`, "DOC: scaling_group.instance_charge_type, the billing type; required by TF");
c.oneOf(`${SG}.instanceChargeType`, 'DOC: instance_charge_type "Valid values" PrePaid, PostPaid', ["PrePaid", "PostPaid"]);
c.integer(`${SG}.period`, "DOC: scaling_group.period, subscription duration (TF: 1-60)", { min: 1, max: 60 });
c.oneOf(`${SG}.periodUnit`, "DOC: scaling_group.period_unit, billing period unit (Month, Week)", ["Month", "Week"]);
c.integer(`${SG}.autoRenewPeriod`, 'DOC: scaling_group.auto_renew_period "Valid values" (TF: 1-60)', { min: 1, max: 60 });
c.oneOf(`${SG}.spotStrategy`, 'DOC: scaling_group.spot_strategy "Valid values" NoSpot, SpotWithPriceLimit, SpotAsPriceGo', ["NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"]);
c.nonEmpty(`${SG}.spotPriceLimit`, "DOC: spot_price_limit[].instance_type, an instance type (not empty)", { key: `${SG}.spotPriceLimit[].instanceType:minLength`, patch: (v) => ({ [`${SG}.spotPriceLimit`]: [{ instanceType: v, priceLimit: "0.3" }] }), property: `${SG}.spotPriceLimit[0].instanceType` });
c.bad(`${SG}.spotPriceLimit[].priceLimit:pattern`, 'DOC: spot_price_limit[].price_limit "The maximum price per instance. Unit: USD/hour" (a decimal price)', { [`${SG}.spotPriceLimit`]: [{ instanceType: "ecs.g7.large", priceLimit: "cheap" }] }, `${SG}.spotPriceLimit[0].priceLimit`, /must be a decimal price/);
c.bad(`${SG}.spotPriceLimit[].instanceType:required`, "DOC: a spot price limit names its instance type", { [`${SG}.spotPriceLimit`]: [{ priceLimit: "0.3" }] }, `${SG}.spotPriceLimit[0].instanceType`, /is required/);
c.bad(`${SG}.spotPriceLimit[].priceLimit:required`, "DOC: a spot price limit has a price", { [`${SG}.spotPriceLimit`]: [{ instanceType: "ecs.g7.large" }] }, `${SG}.spotPriceLimit[0].priceLimit`, /is required/);

// ---- scaling_group: image and system disk
c.oneOf(`${SG}.imageType`, 'DOC: scaling_group.image_type "Valid values" (plus the newer values TF accepts)', ["AliyunLinux", "AliyunLinuxSecurity", "AliyunLinux3", "AliyunLinux3Arm64", "AliyunLinux3Security", "CentOS", "Windows", "WindowsCore", "ContainerOS", "AliyunLinux3ContainerOptimized", "AliyunLinuxUEFI", "Ubuntu", "Custom", "AliyunLinux4", "AliyunLinux4Arm64", "AliyunLinux4Security", "AliyunLinux4ContainerOptimized", "AliyunLinux4ContainerOptimizedArm64"]);
c.nonEmpty(`${SG}.imageId`, "DOC: scaling_group.image_id, a custom image ID (not empty)");
const SYSTEM_DISK = ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"];
c.oneOf(`${SG}.systemDiskCategory`, 'DOC: scaling_group.system_disk_category "Valid values"', SYSTEM_DISK);
c.bad(`${SG}.systemDiskCategories:minItems`, 'DOC: system_disk_categories "Multiple system disk types": at least one', { [`${SG}.systemDiskCategories`]: [] }, `${SG}.systemDiskCategories`, /must have at least 1 item/);
c.oneOf(`${SG}.systemDiskCategories`, 'DOC: system_disk_categories "Valid values" (the system disk categories)', SYSTEM_DISK, { key: `${SG}.systemDiskCategories[]:enum`, patch: (v) => ({ [`${SG}.systemDiskCategories`]: [v] }), property: `${SG}.systemDiskCategories[0]` });
c.integer(`${SG}.systemDiskSize`, 'DOC: scaling_group.system_disk_size "Unit: GiB. Valid values: [20,2048]"', { min: 20, max: 2048 });
c.oneOf(`${SG}.systemDiskPerformanceLevel`, "DOC: system_disk_performance_level, ESSD performance levels PL0-PL3", ["PL0", "PL1", "PL2", "PL3"]);
c.nonEmpty(`${SG}.systemDiskKmsKeyId`, "DOC: system_disk_kms_key_id, a KMS key ID (not empty)");
c.oneOf(`${SG}.systemDiskEncryptAlgorithm`, 'DOC: system_disk_encrypt_algorithm "Valid values: aes-256"', ["aes-256"]);
c.integer(`${SG}.systemDiskProvisionedIops`, 'DOC: system_disk_provisioned_iops "Possible values: 0~min{50,000, ...}"', { min: 0, max: 50000 });
c.nonEmpty(`${SG}.systemDiskSnapshotPolicyId`, "DOC: system_disk_snapshot_policy_id, a snapshot policy ID (not empty)");

// ---- scaling_group: data disks (SDK DataDisk model)
const disk = (d: Record<string, unknown>) => ({ [`${SG}.dataDisks`]: [d] });
const DISK0 = `${SG}.dataDisks[0]`;
c.oneOf(`${SG}.dataDisks`, "SDK DataDisk.category: the data disk categories", ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry", "elastic_ephemeral_disk_premium", "elastic_ephemeral_disk_standard"], { key: `${SG}.dataDisks[].category:enum`, patch: (v) => disk({ category: v }), property: `${DISK0}.category` });
c.integer(`${SG}.dataDisks`, "SDK DataDisk.size: 40-32768 GiB", { min: 40, max: 32768 }, { key: `${SG}.dataDisks[].size`, patch: (v) => disk({ size: v }), property: `${DISK0}.size` });
c.oneOf(`${SG}.dataDisks`, 'SDK DataDisk.encrypted: "true" or "false" (text)', BOOL_ENUM, { key: `${SG}.dataDisks[].encrypted:enum`, patch: (v) => disk({ encrypted: v }), property: `${DISK0}.encrypted` });
c.oneOf(`${SG}.dataDisks`, "SDK DataDisk.performance_level: PL0-PL3", ["PL0", "PL1", "PL2", "PL3"], { key: `${SG}.dataDisks[].performanceLevel:enum`, patch: (v) => disk({ performanceLevel: v }), property: `${DISK0}.performanceLevel` });
c.bad(`${SG}.dataDisks[].device:pattern`, "SDK DataDisk.device: /dev/xvdb to /dev/xvdz", disk({ device: "/dev/sda" }), `${DISK0}.device`, /must be \/dev\/xvdb to \/dev\/xvdz/);
c.bad(`${SG}.dataDisks[].diskName:pattern`, "SDK DataDisk.disk_name: 2-128 characters, starts with a letter; letters, digits, \":\", \"_\", \"-\"", disk({ diskName: "1-disk" }), `${DISK0}.diskName`, /must be 2-128 characters, start with a letter/);
c.integer(`${SG}.dataDisks`, "SDK DataDisk.provisioned_iops: 0-50000", { min: 0, max: 50000 }, { key: `${SG}.dataDisks[].provisionedIops`, patch: (v) => disk({ category: "cloud_auto", provisionedIops: v }), property: `${DISK0}.provisionedIops` });
c.bad(`${SG}.dataDisks[]:refine#0`, "SDK DataDisk: bursting_enabled and provisioned_iops only for cloud_auto disks", disk({ category: "cloud_essd", burstingEnabled: true }), `${DISK0}.category`, /must be cloud_auto when burstingEnabled is set/);
c.bad(`${SG}.dataDisks[]:refine#0`, "SDK DataDisk: provisioned IOPS at most min{50000, 1000*size - baseline}, baseline = min{1800 + 50*size, 50000}", disk({ category: "cloud_auto", size: 40, provisionedIops: 40000 }), `${DISK0}.provisionedIops`, /must be <= 36200 for a 40 GiB disk/);
c.nonEmpty(`${SG}.diskInit`, "SDK DiskInit.disk_name names the disk to initialise (not empty)", { key: `${SG}.diskInit[].diskName:minLength`, patch: (v) => ({ [`${SG}.diskInit`]: [{ diskName: v }] }), property: `${SG}.diskInit[0].diskName` });
c.bad(`${SG}.diskInit[].diskName:required`, "SDK DiskInit.disk_name is required", { [`${SG}.diskInit`]: [{ mkfsType: "ext4" }] }, `${SG}.diskInit[0].diskName`, /is required/);

// ---- scaling_group: network and login
c.bad(`${SG}.securityGroupIds:minItems`, "DOC: scaling_group.security_group_ids, a list of security group IDs: at least one", { [`${SG}.securityGroupIds`]: [] }, `${SG}.securityGroupIds`, /must have at least 1 item/);
c.bad(`${SG}.securityGroupIds:maxItems`, "TF security_group_ids: at most five", { [`${SG}.securityGroupIds`]: ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"] }, `${SG}.securityGroupIds`, /must have at most 5 item/);
c.nonEmpty(`${SG}.securityGroupIds`, "DOC: each security_group_ids entry is a security group ID (not empty)", { key: `${SG}.securityGroupIds[]:minLength`, patch: (v) => ({ [`${SG}.securityGroupIds`]: [v] }), property: `${SG}.securityGroupIds[0]` });
c.nonEmpty(`${SG}.keyPair`, "DOC: scaling_group.key_pair, a key pair name (not empty)");
const withPassword = (p: unknown) => ({ [`${SG}.keyPair`]: ABSENT, loginPassword: p });
c.bad("loginPassword:minLength", "DOC: login_password, an ECS password (TF: 8-30 characters)", withPassword("Ab1!xyz"), "loginPassword", /must be at least 8 character/);
c.bad("loginPassword:maxLength", "DOC: login_password, an ECS password (TF: 8-30 characters)", withPassword(`Ab1!${"x".repeat(27)}`), "loginPassword", /must be at most 30 character/);
c.bad("loginPassword:refine#0", "ECS password rule: at least three of uppercase letters, lowercase letters, digits, special characters", withPassword("abcdefghij"), "loginPassword", /must contain at least three of/);
c.oneOf(`${SG}.internetChargeType`, 'DOC: scaling_group.internet_charge_type "Valid values" PayByBandwidth, PayByTraffic', ["PayByBandwidth", "PayByTraffic"]);
c.integer(`${SG}.internetMaxBandwidthOut`, 'DOC: internet_max_bandwidth_out "Unit: Mbps ... Valid values: [1,100]"', { min: 1, max: 100 });

// ---- scaling_group: tags
const tags = (t: unknown[]) => ({ [`${SG}.tags`]: t });
const TAG_DOC = 'DOC: scaling_group.tags "Tag keys cannot be duplicated and have a maximum length of 128 characters. Tag keys and tag values cannot start with "aliyun" or "acs:", or contain "https://" or "http://"."';
c.nonEmpty(`${SG}.tags`, `${TAG_DOC}: a key is not empty`, { key: `${SG}.tags[].key:minLength`, patch: (v) => tags([{ key: v }]), property: `${SG}.tags[0].key` });
c.bad(`${SG}.tags[].key:maxLength`, `${TAG_DOC}: keys at most 128 characters`, tags([{ key: long(129) }]), `${SG}.tags[0].key`, /must be at most 128 character/);
c.bad(`${SG}.tags[].value:maxLength`, `${TAG_DOC}: values at most 128 characters (ECS tag rules)`, tags([{ key: "team", value: long(129) }]), `${SG}.tags[0].value`, /must be at most 128 character/);
c.bad(`${SG}.tags[].key:required`, `${TAG_DOC}: every tag has a key`, tags([{ value: "ml" }]), `${SG}.tags[0].key`, /is required/);
c.bad(`${SG}.tags:refine#0`, `${TAG_DOC}: keys not duplicated`, tags([{ key: "team", value: "a" }, { key: "team", value: "b" }]), `${SG}.tags[1].key`, /duplicate tag key "team"/);
c.bad(`${SG}.tags[].key:refine#0`, `${TAG_DOC}: keys do not start with "aliyun" or "acs:"`, tags([{ key: "aliyun-team" }]), `${SG}.tags[0].key`, /must not start with "aliyun" or "acs:"/);
c.bad(`${SG}.tags[].key:refine#1`, `${TAG_DOC}: keys do not contain "http://" or "https://"`, tags([{ key: "see-https://example.com" }]), `${SG}.tags[0].key`, /must not contain "http:\/\/" or "https:\/\/"/);
c.bad(`${SG}.tags[].key:refine#2`, `package ownership mark (provider/core/ownership.ts): the tag key "${OWNER_MARK_KEY}" carries the ownership mark (reserved)`, tags([{ key: OWNER_MARK_KEY, value: "x" }]), `${SG}.tags[0].key`, /must not be "pulumi-nodepools-owner", the tag that carries this package's ownership mark/);
c.bad(`${SG}.tags[].value:refine#0`, `${TAG_DOC}: values do not start with "aliyun" or "acs:"`, tags([{ key: "team", value: "acs:ml" }]), `${SG}.tags[0].value`, /must not start with "aliyun" or "acs:"/);
c.bad(`${SG}.tags[].value:refine#1`, `${TAG_DOC}: values do not contain "http://" or "https://"`, tags([{ key: "team", value: "http://ml" }]), `${SG}.tags[0].value`, /must not contain "http:\/\/" or "https:\/\/"/);

// ---- scaling_group: scaling
c.integer(`${SG}.desiredSize`, "DOC: scaling_group.desired_size, the desired node count (a non-negative integer)", { min: 0 });
c.oneOf(`${SG}.multiAzPolicy`, 'DOC: scaling_group.multi_az_policy "Valid values" PRIORITY, COST_OPTIMIZED, BALANCE', ["PRIORITY", "COST_OPTIMIZED", "BALANCE"]);
c.oneOf(`${SG}.scalingPolicy`, 'DOC: scaling_group.scaling_policy "Valid values" release, recycle', ["release", "recycle"]);
c.integer(`${SG}.onDemandBaseCapacity`, 'DOC: on_demand_base_capacity "Valid values: [0,1000]"', { min: 0, max: 1000 });
c.integer(`${SG}.onDemandPercentageAboveBaseCapacity`, "DOC: on_demand_percentage_above_base_capacity, a percentage [0, 100]", { min: 0, max: 100 });
c.integer(`${SG}.spotInstancePools`, 'DOC: spot_instance_pools "Valid values: [1,10]"', { min: 1, max: 10 });
c.nonEmpty(`${SG}.deploymentSetId`, "DOC: deploymentset_id, a deployment set ID (not empty)");
c.nonEmpty(`${SG}.rdsInstances`, "DOC: rds_instances[], an RDS instance ID (not empty)", { key: `${SG}.rdsInstances[]:minLength`, patch: (v) => ({ [`${SG}.rdsInstances`]: [v] }), property: `${SG}.rdsInstances[0]` });
c.nonEmpty(`${SG}.privatePoolOptions.id`, "DOC: private_pool_options.id, a private pool ID (not empty)");
c.oneOf(`${SG}.privatePoolOptions.matchCriteria`, 'DOC: private_pool_options.match_criteria "Valid values" Open, Target, None', ["Open", "Target", "None"]);

// ---- scaling_group: instance patterns (SDK InstancePatterns model)
const pattern = (p: Record<string, unknown>) => ({ [`${SG}.instancePatterns`]: [p] });
const PAT0 = `${SG}.instancePatterns[0]`;
c.integer(`${SG}.instancePatterns`, "SDK InstancePatterns.cores: vCPUs, a positive integer", { min: 1 }, { key: `${SG}.instancePatterns[].cores`, patch: (v) => pattern({ cores: v }), property: `${PAT0}.cores` });
c.bad(`${SG}.instancePatterns[].memory:exclusiveMinimum`, "SDK InstancePatterns.memory: memory in GiB, positive", pattern({ memory: 0 }), `${PAT0}.memory`, /must be > 0/);
c.bad(`${SG}.instancePatterns[].maxPrice:minimum`, "SDK InstancePatterns.max_price: a price, not negative", pattern({ maxPrice: -0.5 }), `${PAT0}.maxPrice`, /must be >= 0/);
c.oneOf(`${SG}.instancePatterns`, "SDK InstancePatterns.instance_family_level: EntryLevel, EnterpriseLevel, CreditEntryLevel", ["EntryLevel", "EnterpriseLevel", "CreditEntryLevel"], { key: `${SG}.instancePatterns[].instanceFamilyLevel:enum`, patch: (v) => pattern({ instanceFamilyLevel: v }), property: `${PAT0}.instanceFamilyLevel` });
for (const k of ["minimumCpuCoreCount", "maximumCpuCoreCount", "minimumGpuAmount", "maximumGpuAmount"]) {
  c.integer(`${SG}.instancePatterns`, `SDK InstancePatterns.${k}: a count, a non-negative integer`, { min: 0 }, { key: `${SG}.instancePatterns[].${k}`, patch: (v) => pattern({ [k]: v }), property: `${PAT0}.${k}` });
}
for (const k of ["minimumMemorySize", "maximumMemorySize"]) {
  c.bad(`${SG}.instancePatterns[].${k}:minimum`, `SDK InstancePatterns.${k}: a memory size in GiB, not negative`, pattern({ [k]: -1 }), `${PAT0}.${k}`, /must be >= 0/);
}

// ---- scaling_group: roles, metadata, resource pools
c.nonEmpty(`${SG}.ramRoleName`, "DOC: scaling_group.ram_role_name, a worker RAM role name (not empty)");
c.oneOf(`${SG}.instanceMetadataOptions.httpTokens`, "DOC: instance_metadata_options (InstanceMetadataOptions.http_tokens: optional, required)", ["optional", "required"]);
c.oneOf(`${SG}.resourcePoolOptions.strategy`, 'DOC: resource_pool_options.strategy "Valid values: PrivatePoolFirst ... PrivatePoolOnly ... None"', ["PrivatePoolFirst", "PrivatePoolOnly", "None"]);
c.bad(`${SG}.resourcePoolOptions.privatePoolIds:minItems`, 'DOC: resource_pool_options.private_pool_ids "Valid values of N: 1 to 20"', { [`${SG}.resourcePoolOptions.privatePoolIds`]: [] }, `${SG}.resourcePoolOptions.privatePoolIds`, /must have at least 1 item/);
c.bad(`${SG}.resourcePoolOptions.privatePoolIds:maxItems`, 'DOC: resource_pool_options.private_pool_ids "Valid values of N: 1 to 20"', { [`${SG}.resourcePoolOptions.privatePoolIds`]: Array.from({ length: 21 }, (_, i) => `eap-${i}`) }, `${SG}.resourcePoolOptions.privatePoolIds`, /must have at most 20 item/);
c.nonEmpty(`${SG}.resourcePoolOptions.privatePoolIds`, "DOC: each private_pool_ids entry is a private pool ID (not empty)", { key: `${SG}.resourcePoolOptions.privatePoolIds[]:minLength`, patch: (v) => ({ [`${SG}.resourcePoolOptions.privatePoolIds`]: [v] }), property: `${SG}.resourcePoolOptions.privatePoolIds[0]` });

// ---- kubernetes_config
const K = "kubernetesConfig";
c.nonEmpty(`${K}.labels`, "DOC: kubernetes_config.labels, Kubernetes labels: a label has a key", { key: `${K}.labels[].key:minLength`, patch: (v) => ({ [`${K}.labels`]: [{ key: v, value: "x" }] }), property: `${K}.labels[0].key` });
c.bad(`${K}.labels[].key:required`, "DOC: kubernetes_config.labels, Kubernetes labels: a label has a key", { [`${K}.labels`]: [{ value: "x" }] }, `${K}.labels[0].key`, /is required/);
c.nonEmpty(`${K}.taints`, "DOC: kubernetes_config.taints, Kubernetes taints: a taint has a key", { key: `${K}.taints[].key:minLength`, patch: (v) => ({ [`${K}.taints`]: [{ key: v }] }), property: `${K}.taints[0].key` });
c.oneOf(`${K}.taints`, "DOC: kubernetes_config.taints, Kubernetes taint effects NoSchedule, NoExecute, PreferNoSchedule", ["NoSchedule", "NoExecute", "PreferNoSchedule"], { key: `${K}.taints[].effect:enum`, patch: (v) => ({ [`${K}.taints`]: [{ key: "gpu", effect: v }] }), property: `${K}.taints[0].effect` });
c.bad(`${K}.taints[].key:required`, "DOC: kubernetes_config.taints, Kubernetes taints: a taint has a key", { [`${K}.taints`]: [{ effect: "NoSchedule" }] }, `${K}.taints[0].key`, /is required/);
c.oneOf(`${K}.runtime`, 'DOC: kubernetes_config.runtime "ACK supports the following three container runtimes"', ["containerd", "docker", "Sandboxed-Container.runv"]);
c.nonEmpty(`${K}.runtimeVersion`, "DOC: kubernetes_config.runtime_version, a version (not empty)");
c.oneOf(`${K}.cpuPolicy`, 'DOC: kubernetes_config.cpu_policy "The following two policies are supported" none, static', ["none", "static"]);
c.bad(`${K}.nodeNameMode:pattern`, 'DOC: kubernetes_config.node_name_mode "The node name consists of three parts: prefix, node IP address, and suffix" (customized,<prefix>,ip,<suffix>)', { [`${K}.nodeNameMode`]: "customized,1gpu,ip,node" }, `${K}.nodeNameMode`, /must look like "customized,<prefix>,ip,<suffix>"/);

// ---- other sections
c.oneOf("interconnectMode", "DOC: interconnect_mode, network type of an edge node pool (basic, private)", ["basic", "private"]);
c.nonEmpty("efloNodeGroup.clusterId", "DOC: eflo_node_group.cluster_id, a Lingjun cluster ID (not empty)");
c.nonEmpty("efloNodeGroup.groupId", "DOC: eflo_node_group.group_id, a Lingjun group ID (not empty)");
c.nonEmpty("nodeComponents", "DOC: node_components[].name, a node component name (not empty)", { key: "nodeComponents[].name:minLength", patch: (v) => ({ nodeComponents: [{ name: v }] }), property: "nodeComponents[0].name" });
c.bad("nodeComponents[].name:required", "DOC: node_components[].name, a node component is named", { nodeComponents: [{ version: "1.33.3-aliyun.1" }] }, "nodeComponents[0].name", /is required/);
for (const op of ["create", "update", "delete"]) {
  c.bad(`timeouts.${op}:refine#0`, "package setting: a positive duration such as \"45m\" or \"1h30m\"", { [`timeouts.${op}`]: "soon" }, `timeouts.${op}`, /must be a positive duration/);
}

// ---- cross-field rules
const prepaid = { [`${SG}.instanceChargeType`]: "PrePaid", [`${SG}.period`]: 1, [`${SG}.periodUnit`]: "Month" };
c.bad("rule: autoScaling.maxInstances: max_instances must not be below min_instances (documented range [min_instances, 2000])", 'DOC: max_instances "Valid values: [min_instances, 2000]"', { "autoScaling.minInstances": 5, "autoScaling.maxInstances": 3 }, "autoScaling.maxInstances", /must be >= autoScaling\.minInstances \(5\)/);
c.bad("rule: scalingGroup.period: period and periodUnit are required when instanceChargeType is PrePaid", 'DOC: period and period_unit "Only takes effect and is required when" instance_charge_type is PrePaid', { [`${SG}.instanceChargeType`]: "PrePaid" }, `${SG}.period`, /required when instanceChargeType is PrePaid/);
c.bad("rule: scalingGroup.period: with periodUnit Week: one of 1, 2, 3, 4; with Month (the default): one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60", "DOC: period per period_unit (TF: Month 1-9, 12, 24, 36, 48, 60)", { ...prepaid, [`${SG}.period`]: 10 }, `${SG}.period`, /must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60 when periodUnit is Month \(got 10\)/);
c.bad("rule: scalingGroup.period: with periodUnit Week: one of 1, 2, 3, 4; with Month (the default): one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60", "DOC: period per period_unit (TF: Week 1-4)", { ...prepaid, [`${SG}.periodUnit`]: "Week", [`${SG}.period`]: 5 }, `${SG}.period`, /must be one of 1, 2, 3, 4 when periodUnit is Week \(got 5\)/);
c.bad("rule: scalingGroup.autoRenewPeriod: with periodUnit Week: one of 1, 2, 3; with Month (the default): one of 1, 2, 3, 6, 12, 24, 36, 48, 60", 'DOC: auto_renew_period "Valid values" per period_unit', { ...prepaid, [`${SG}.periodUnit`]: "Week", [`${SG}.autoRenewPeriod`]: 4 }, `${SG}.autoRenewPeriod`, /must be one of 1, 2, 3 when periodUnit is Week \(got 4\)/);
c.bad("rule: scalingGroup.keyPair: exactly one of keyPair and loginPassword (\"use either this or login_password\")", 'DOC: key_pair "Use either this or login_password": not both', { loginPassword: "Str0ng!Pass" }, `${SG}.keyPair`, /set either scalingGroup\.keyPair or loginPassword, not both/);
c.bad("rule: scalingGroup.keyPair: exactly one of keyPair and loginPassword (\"use either this or login_password\")", 'DOC: key_pair "Use either this or login_password": one of them', { [`${SG}.keyPair`]: ABSENT }, `${SG}.keyPair`, /one of scalingGroup\.keyPair or loginPassword is required/);
c.bad("rule: scalingGroup.resourcePoolOptions: resourcePoolOptions cannot be set together with privatePoolOptions.matchCriteria or privatePoolOptions.id", 'DOC: resource_pool_options "cannot be set simultaneously with private_pool_options.match_criteria or private_pool_options.id"', { [`${SG}.privatePoolOptions.matchCriteria`]: "Open", [`${SG}.resourcePoolOptions.strategy`]: "PrivatePoolFirst" }, `${SG}.resourcePoolOptions`, /cannot be set together with scalingGroup\.privatePoolOptions/);
c.bad("rule: scalingGroup.resourcePoolOptions.privatePoolIds: privatePoolIds are required when strategy is PrivatePoolOnly", "DOC: resource_pool_options.strategy PrivatePoolOnly uses only the private pools listed in private_pool_ids", { [`${SG}.resourcePoolOptions.strategy`]: "PrivatePoolOnly" }, `${SG}.resourcePoolOptions.privatePoolIds`, /required when scalingGroup\.resourcePoolOptions\.strategy is PrivatePoolOnly/);
c.bad("rule: scalingGroup.resourcePoolOptions: resourcePoolOptions only applies to pay-as-you-go (PostPaid) instances", 'DOC: resource_pool_options "only takes effect when creating pay-as-you-go instances"', { ...prepaid, [`${SG}.resourcePoolOptions.strategy`]: "PrivatePoolFirst" }, `${SG}.resourcePoolOptions`, /only applies when scalingGroup\.instanceChargeType is PostPaid/);
c.bad("rule: scalingGroup.systemDiskCategory: systemDiskBurstingEnabled and systemDiskProvisionedIops can only be set when systemDiskCategory is cloud_auto", 'DOC: system_disk_bursting_enabled / system_disk_provisioned_iops "can only be set when" system_disk_category is cloud_auto', { [`${SG}.systemDiskBurstingEnabled`]: true }, `${SG}.systemDiskCategory`, /must be cloud_auto when scalingGroup\.systemDiskBurstingEnabled is set/);
c.bad("rule: scalingGroup.systemDiskProvisionedIops: provisioned IOPS at most min{50000, 1000*size - baseline}, baseline = min{1800 + 50*size, 50000}", 'DOC: system_disk_provisioned_iops "0~min{50,000, 1000*capacity-baseline performance}. Baseline performance=min{1,800+50*capacity, 50000}"', { [`${SG}.systemDiskCategory`]: "cloud_auto", [`${SG}.systemDiskSize`]: 20, [`${SG}.systemDiskProvisionedIops`]: 50000 }, `${SG}.systemDiskProvisionedIops`, /must be <= 17200 for a 20 GiB system disk/);

// ---- ownership (provider/core/ownership.ts)
c.bad("ownerKey:minLength", "package setting: the owner key the resource class derives from project, stack, parent and name (not empty)", { ownerKey: "" }, "ownerKey", /at least 1 character/);
c.bad("ownerKey:maxLength", "package setting: the owner key (at most 2048 characters)", { ownerKey: "k".repeat(2049) }, "ownerKey", /at most 2048 character/);

export const ackCorpus = c.cases;
