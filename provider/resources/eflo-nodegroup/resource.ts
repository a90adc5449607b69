/**
 * `alicloud.eflo.NodeGroup`: a PAI-Lingjun (eflo-controller) node group as a Pulumi dynamic resource. The shape
 * mirrors the `CreateNodeGroup` request in camelCase (`NodeGroup.SystemDisk.Size` is `nodeGroup.systemDisk.size`);
 * see docs/reference.md for what each field's change does.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKeyInput } from "../../core/identity";
import provider from "../../shims/eflo-nodegroup";

type In<T> = pulumi.Input<T>;

export interface NodeGroupSystemDisk {
  /** Size in GB. */
  size?: In<number>;
  /** ESSD performance level: PL0 (up to 10,000 random IOPS) or PL1 (up to 50,000). */
  performanceLevel?: In<"PL0" | "PL1">;
  category?: In<"cloud_essd">;
}

/** The `NodeGroup` object of CreateNodeGroup, without the password (which is the top-level `loginPassword`). */
export interface NodeGroupConfig {
  /** Availability zone, e.g. `cn-wulanchabu-b`. Changing it replaces the group. */
  az: In<string>;
  /** Unique in the cluster; updated in place (UpdateNodeGroup `NewNodeGroupName`). */
  nodeGroupName: In<string>;
  /** Changing it replaces the group. */
  nodeGroupDescription?: In<string>;
  /** Changing it replaces the group. */
  machineType: In<string>;
  /** Default image of the nodes; updated in place. */
  imageId: In<string>;
  /** Script run at node startup, sent exactly as given (at most 16 KB). */
  userData?: In<string>;
  systemDisk?: In<NodeGroupSystemDisk>;
  fileSystemMountEnabled?: In<boolean>;
  /** Changing it replaces the group. */
  virtualGpuEnabled?: In<boolean>;
  keyPairName?: In<string>;
  /** RAM role of the nodes. Removing it replaces the group (the API cannot clear a role). */
  ramRoleName?: In<string>;
}

export interface NodeGroupArgs {
  /** ID of the Lingjun cluster. Changing it replaces the group. */
  clusterId: In<string>;
  nodeGroup: In<NodeGroupConfig>;
  /** Login password of the nodes (`NodeGroup.LoginPassword`). Stored as a secret, never read back. */
  loginPassword?: In<string>;
  /** Node unit configuration with the API's own keys, e.g. `{ NodeUnitId: "...", MaxNodes: 0 }`. Changing it replaces the group. */
  nodeUnit?: In<Record<string, unknown>>;
  /**
   * Owner key: the package marks what it creates with a digest of it, so that after an interrupted run it adopts
   * its own resource and never a stranger's (docs/ownership.md). Default: from project, stack, parent and name.
   * Changing it calls no API.
   */
  ownerKey?: In<string>;
  /** How long to wait, e.g. `{ update: "3h" }`. Defaults (as Terraform): create 5m, update 120m, delete 5m. */
  timeouts?: In<{ create?: In<string>; update?: In<string>; delete?: In<string> }>;
}

export class NodeGroup extends pulumi.dynamic.Resource {
  declare readonly clusterId: pulumi.Output<string>;
  declare readonly nodeGroup: pulumi.Output<{
    az: string;
    nodeGroupName: string;
    nodeGroupDescription?: string;
    machineType: string;
    imageId: string;
    userData?: string;
    systemDisk?: { size?: number; performanceLevel?: string; category?: string };
    fileSystemMountEnabled?: boolean;
    virtualGpuEnabled?: boolean;
    keyPairName?: string;
    ramRoleName?: string;
  }>;
  declare readonly nodeGroupId: pulumi.Output<string>;
  declare readonly clusterName: pulumi.Output<string>;
  declare readonly imageName: pulumi.Output<string>;
  declare readonly nodeCount: pulumi.Output<number>;
  declare readonly loginType: pulumi.Output<string>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * Looks up an existing group by its id (`<clusterId>:<nodeGroupId>`) without managing it. The provider host of the
   * pinned @pulumi/pulumi reads it through the same handler as a refresh (tests/protocol).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): NodeGroup {
    return new NodeGroup(name, {} as NodeGroupArgs, { ...opts, id });
  }

  constructor(name: string, args: NodeGroupArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      ownerKey: args.ownerKey ?? ownerKeyInput(name, opts),
      loginPassword: args.loginPassword === undefined ? undefined : pulumi.secret(args.loginPassword),
      nodeGroupId: undefined,
      clusterName: undefined,
      imageName: undefined,
      nodeCount: undefined,
      loginType: undefined,
      createTime: undefined,
      updateTime: undefined,
      schemaVersion: undefined,
    };
    super(provider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["loginPassword"] }), "alicloud/eflo", "NodeGroup");
  }
}
