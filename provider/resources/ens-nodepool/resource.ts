/**
 * `alicloud.ens.NodePool`: a node pool of an ENS edge Kubernetes cluster as a Pulumi dynamic resource. The shape
 * mirrors the `CreateClusterNodePool` request in camelCase; see docs/reference.md for what each field's change does.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKeyInput } from "../../core/identity";
import provider from "../../shims/ens-nodepool";

type In<T> = pulumi.Input<T>;

export interface DataDisk {
  /** Data disk category, e.g. `cloud_efficiency`. */
  category?: In<string>;
  /** Size in GB: at least 20 and a multiple of 10. */
  size?: In<number>;
}

export interface ScalingGroup {
  /**
   * Desired node count. Raising it scales out in place (`ScaleClusterNodePool`); lowering it fails at preview unless the
   * change also replaces the pool, because ENS cannot scale in by count (see docs/reference.md).
   */
  desiredSize?: In<number>;
  /** Key pair of the instances; exactly one of this and `password`. */
  keyPairName?: In<string>;
  /** vSwitch IDs of the instances (order does not matter). */
  vswitchIds: In<In<string>[]>;
  instanceChargeType?: In<"PrePaid" | "PostPaid">;
  /** Instance types, e.g. `ens.sn1.small` (order does not matter). */
  instanceTypes: In<In<string>[]>;
  systemDiskCategory?: In<"local_ssd" | "local_hdd" | "cloud_efficiency" | "cloud_ssd">;
  /** System disk size in GB: at least 20 and a multiple of 10. */
  systemDiskSize?: In<number>;
  imageId: In<string>;
  dataDisks?: In<In<DataDisk>[]>;
}

export interface KubernetesConfig {
  /** Run after an instance is created, before it joins the cluster. Plain text or base64; compared as base64. */
  preUserData?: In<string>;
  /** Run after an instance joins the cluster. Plain text or base64; compared as base64. */
  userData?: In<string>;
}

export interface NodePoolArgs {
  /** ID of the ENS edge cluster, e.g. `eck-d2666c5f`. Changing it replaces the pool. */
  clusterId: In<string>;
  /** Changing the name replaces the pool (ModifyClusterNodePool cannot rename). */
  nodepoolInfo: In<{ name: In<string> }>;
  scalingGroup: In<ScalingGroup>;
  /** Login password of the instances (`ScalingGroup.Password`). Stored as a secret; exactly one of this and `scalingGroup.keyPairName`. */
  password?: In<string>;
  kubernetesConfig?: In<KubernetesConfig>;
  /**
   * Owner key (docs/ownership.md): from project, stack, parent and name by default. ENS node pools have no field that
   * could carry an ownership mark, so a pool left by an interrupted create is refused with its import id rather
   * than adopted. Changing it calls no API.
   */
  ownerKey?: In<string>;
  /** How long to wait, e.g. `{ create: "45m" }`. Defaults: create 60m, update 60m, delete 30m. */
  timeouts?: In<{ create?: In<string>; update?: In<string>; delete?: In<string> }>;
}

export interface NodePoolStatus {
  /** `active`, `scaling` or `removing_nodes`. */
  state: string;
  totalNodes: number;
  desiredNodes: number;
  servingNodes: number;
  initialNodes: number;
  removingNodes: number;
  failedNodes: number;
}

export class NodePool extends pulumi.dynamic.Resource {
  declare readonly clusterId: pulumi.Output<string>;
  declare readonly nodePoolId: pulumi.Output<string>;
  declare readonly ensRegionId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<NodePoolStatus>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * Looks up an existing pool by its id (`<clusterId>:<nodePoolId>`) without managing it; the provider host reads it
   * through the same handler as a refresh.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): NodePool {
    return new NodePool(name, {} as NodePoolArgs, { ...opts, id });
  }

  constructor(name: string, args: NodePoolArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      ownerKey: args.ownerKey ?? ownerKeyInput(name, opts),
      password: args.password === undefined ? undefined : pulumi.secret(args.password),
      nodePoolId: undefined,
      ensRegionId: undefined,
      status: undefined,
      schemaVersion: undefined,
    };
    super(provider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }), "alicloud/ens", "NodePool");
  }
}
