/**
 * `alicloud.ack.NodePool`: an ACK node pool as a Pulumi dynamic resource. The shape mirrors the
 * `CreateClusterNodePool` request in camelCase; see docs/reference.md for what each field's change does.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKeyInput } from "../../core/identity";
import provider from "../../shims/ack-nodepool";

type In<T> = pulumi.Input<T>;

export interface KeyValue {
  key: In<string>;
  value?: In<string>;
}

export interface Taint {
  key: In<string>;
  value?: In<string>;
  effect?: In<"NoSchedule" | "NoExecute" | "PreferNoSchedule">;
}

export interface DataDisk {
  category?: In<string>;
  size?: In<number>;
  encrypted?: In<"true" | "false">;
  performanceLevel?: In<"PL0" | "PL1" | "PL2" | "PL3">;
  autoSnapshotPolicyId?: In<string>;
  kmsKeyId?: In<string>;
  snapshotId?: In<string>;
  device?: In<string>;
  diskName?: In<string>;
  provisionedIops?: In<number>;
  burstingEnabled?: In<boolean>;
}

export interface DiskInit {
  diskName: In<string>;
  localDisk?: In<boolean>;
  mkfsType?: In<string>;
  mountTarget?: In<string>;
  mountForRuntime?: In<boolean>;
}

export interface InstancePattern {
  cores?: In<number>;
  memory?: In<number>;
  maxPrice?: In<number>;
  excludedInstanceTypes?: In<In<string>[]>;
  instanceFamilyLevel?: In<"EntryLevel" | "EnterpriseLevel" | "CreditEntryLevel">;
  instanceTypeFamilies?: In<In<string>[]>;
  minimumCpuCoreCount?: In<number>;
  maximumCpuCoreCount?: In<number>;
  minimumGpuAmount?: In<number>;
  maximumGpuAmount?: In<number>;
  minimumMemorySize?: In<number>;
  maximumMemorySize?: In<number>;
  instanceCategories?: In<In<string>[]>;
  cpuArchitectures?: In<In<string>[]>;
  gpuSpecs?: In<In<string>[]>;
}

export interface ScalingGroup {
  vswitchIds: In<In<string>[]>;
  instanceTypes: In<In<string>[]>;
  instanceChargeType: In<"PrePaid" | "PostPaid">;
  period?: In<number>;
  periodUnit?: In<"Month" | "Week">;
  autoRenew?: In<boolean>;
  autoRenewPeriod?: In<number>;
  spotStrategy?: In<"NoSpot" | "SpotWithPriceLimit" | "SpotAsPriceGo">;
  spotPriceLimit?: In<In<{ instanceType: In<string>; priceLimit: In<string> }>[]>;
  imageType?: In<string>;
  imageId?: In<string>;
  systemDiskCategory?: In<string>;
  systemDiskCategories?: In<In<string>[]>;
  systemDiskSize?: In<number>;
  systemDiskPerformanceLevel?: In<"PL0" | "PL1" | "PL2" | "PL3">;
  systemDiskEncrypted?: In<boolean>;
  systemDiskKmsKeyId?: In<string>;
  systemDiskEncryptAlgorithm?: In<"aes-256">;
  systemDiskBurstingEnabled?: In<boolean>;
  systemDiskProvisionedIops?: In<number>;
  systemDiskSnapshotPolicyId?: In<string>;
  dataDisks?: In<In<DataDisk>[]>;
  diskInit?: In<In<DiskInit>[]>;
  securityGroupIds?: In<In<string>[]>;
  keyPair?: In<string>;
  loginAsNonRoot?: In<boolean>;
  socEnabled?: In<boolean>;
  securityHardeningOs?: In<boolean>;
  internetChargeType?: In<"PayByBandwidth" | "PayByTraffic">;
  internetMaxBandwidthOut?: In<number>;
  tags?: In<In<KeyValue>[]>;
  desiredSize?: In<number>;
  multiAzPolicy?: In<"PRIORITY" | "COST_OPTIMIZED" | "BALANCE">;
  scalingPolicy?: In<"release" | "recycle">;
  onDemandBaseCapacity?: In<number>;
  onDemandPercentageAboveBaseCapacity?: In<number>;
  spotInstancePools?: In<number>;
  spotInstanceRemedy?: In<boolean>;
  compensateWithOnDemand?: In<boolean>;
  deploymentSetId?: In<string>;
  rdsInstances?: In<In<string>[]>;
  privatePoolOptions?: In<{ id?: In<string>; matchCriteria?: In<"Open" | "Target" | "None"> }>;
  instancePatterns?: In<In<InstancePattern>[]>;
  ramRoleName?: In<string>;
  instanceMetadataOptions?: In<{ httpTokens?: In<"optional" | "required"> }>;
  resourcePoolOptions?: In<{ strategy?: In<"PrivatePoolFirst" | "PrivatePoolOnly" | "None">; privatePoolIds?: In<In<string>[]> }>;
}

export interface NodePoolArgs {
  /** ID of the ACK cluster. Changing it replaces the pool. */
  clusterId: In<string>;
  nodepoolInfo: In<{ name: In<string>; type?: In<"ess" | "edge" | "lingjun" | "hybrid">; resourceGroupId?: In<string> }>;
  autoScaling?: In<{ enable?: In<boolean>; type?: In<"cpu" | "gpu" | "gpushare" | "spot">; maxInstances?: In<number>; minInstances?: In<number> }>;
  management?: In<{
    enable?: In<boolean>;
    autoRepair?: In<boolean>;
    autoRepairPolicy?: In<{ restartNode?: In<boolean>; approvalRequired?: In<boolean> }>;
    autoVulFix?: In<boolean>;
    autoVulFixPolicy?: In<{ restartNode?: In<boolean>; vulLevel?: In<string>; excludePackages?: In<string> }>;
    autoUpgrade?: In<boolean>;
    autoUpgradePolicy?: In<{ autoUpgradeKubelet?: In<boolean>; autoUpgradeRuntime?: In<boolean>; autoUpgradeOs?: In<boolean> }>;
    autoFaultDiagnosis?: In<boolean>;
  }>;
  scalingGroup: In<ScalingGroup>;
  /** SSH login password (`scaling_group.login_password`). Stored as a secret; exactly one of this and `scalingGroup.keyPair`. */
  loginPassword?: In<string>;
  nodeConfig?: In<{ kubeletConfiguration?: In<Record<string, unknown>> }>;
  kubernetesConfig?: In<{
    labels?: In<In<KeyValue>[]>;
    taints?: In<In<Taint>[]>;
    runtime?: In<"containerd" | "docker" | "Sandboxed-Container.runv">;
    runtimeVersion?: In<string>;
    cpuPolicy?: In<"none" | "static">;
    /** Plain text or base64; compared as base64. Applies to nodes added after a change. */
    userData?: In<string>;
    unschedulable?: In<boolean>;
    cmsEnabled?: In<boolean>;
    nodeNameMode?: In<string>;
    preUserData?: In<string>;
  }>;
  teeConfig?: In<{ teeEnable?: In<boolean> }>;
  interconnectMode?: In<"basic" | "private">;
  hostNetwork?: In<boolean>;
  intranet?: In<boolean>;
  efloNodeGroup?: In<{ clusterId?: In<string>; groupId?: In<string> }>;
  autoMode?: In<{ enable?: In<boolean> }>;
  nodeComponents?: In<In<{ name: In<string>; version?: In<string>; config?: In<{ customConfig?: In<Record<string, In<string>>> }> }>[]>;
  /** Also apply label and taint changes to existing nodes (`update_nodes`); by default only new nodes get them. */
  updateNodes?: In<boolean>;
  /** Delete the pool even if it still has nodes (default true, as Terraform). */
  forceDelete?: In<boolean>;
  /**
   * Owner key: the package marks what it creates with a digest of it, so that after an interrupted run it adopts
   * its own resource and never a stranger's (docs/ownership.md). Default: from project, stack, parent and name.
   * Changing it calls no API.
   */
  ownerKey?: In<string>;
  /** How long to wait, e.g. `{ create: "45m" }`. Defaults: create 90m, update 60m, delete 60m. */
  timeouts?: In<{ create?: In<string>; update?: In<string>; delete?: In<string> }>;
}

export interface NodePoolStatus {
  state: string;
  totalNodes: number;
  servingNodes: number;
  healthyNodes: number;
  initialNodes: number;
  removingNodes: number;
  failedNodes: number;
  offlineNodes: number;
}

export class NodePool extends pulumi.dynamic.Resource {
  declare readonly clusterId: pulumi.Output<string>;
  declare readonly nodePoolId: pulumi.Output<string>;
  declare readonly scalingGroupId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<NodePoolStatus>;
  declare readonly created: pulumi.Output<string>;
  declare readonly updated: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * Looks up an existing pool by its id (`<clusterId>:<nodePoolId>`) without managing it. The provider host
   * of the pinned @pulumi/pulumi reads it through the same handler as a refresh (tests/protocol).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): NodePool {
    return new NodePool(name, {} as NodePoolArgs, { ...opts, id });
  }

  constructor(name: string, args: NodePoolArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      ownerKey: args.ownerKey ?? ownerKeyInput(name, opts),
      loginPassword: args.loginPassword === undefined ? undefined : pulumi.secret(args.loginPassword),
      nodePoolId: undefined,
      scalingGroupId: undefined,
      status: undefined,
      created: undefined,
      updated: undefined,
      schemaVersion: undefined,
    };
    super(provider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["loginPassword"] }), "alicloud/ack", "NodePool");
  }
}
