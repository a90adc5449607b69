import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { alicloud as nodepools } from "pulumi-nodepools";

export interface GpuNodeGroupArgs {
  clusterId: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** Zone id -> CIDR block of the vSwitch created in it. */
  zones: Record<string, string>;
  instanceTypes: string[];
  keyPair: pulumi.Input<string>;
  /** Nodes per zone at first; autoscaling may change it within [0, maxPerZone]. */
  nodesPerZone?: number;
  maxPerZone?: number;
  labels?: Record<string, string>;
}

/**
 * One vSwitch and one GPU node pool per zone, with shared defaults (GPU taint, autoscaling, managed
 * upgrades). Every child is parented to the component, so its URNs and its preview group under it.
 */
export class GpuNodeGroup extends pulumi.ComponentResource {
  declare readonly nodePoolIds: pulumi.Output<string[]>;
  declare readonly vswitchIds: pulumi.Output<string[]>;

  constructor(name: string, args: GpuNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nodepools:examples:GpuNodeGroup", name, {}, opts);
    const labels = Object.entries({ "node-group": name, ...args.labels }).map(([key, value]) => ({ key, value }));
    const switches: alicloud.vpc.Switch[] = [];
    const pools: nodepools.ack.NodePool[] = [];
    for (const [zone, cidr] of Object.entries(args.zones)) {
      const vsw = new alicloud.vpc.Switch(`${name}-${zone}`, { vpcId: args.vpcId, zoneId: zone, cidrBlock: cidr, vswitchName: `${name}-${zone}` }, { parent: this });
      switches.push(vsw);
      pools.push(
        new nodepools.ack.NodePool(
          `${name}-${zone}`,
          {
            clusterId: args.clusterId,
            nodepoolInfo: { name: `${name}-${zone}` },
            autoScaling: { enable: true, type: "gpu", minInstances: 0, maxInstances: args.maxPerZone ?? 4 },
            scalingGroup: {
              vswitchIds: [vsw.id],
              instanceTypes: args.instanceTypes,
              instanceChargeType: "PostPaid",
              keyPair: args.keyPair,
              desiredSize: args.nodesPerZone ?? 1,
            },
            kubernetesConfig: {
              labels,
              taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
            },
            management: { enable: true, autoRepair: true },
          },
          { parent: this },
        ),
      );
    }
    this.nodePoolIds = pulumi.all(pools.map((p) => p.nodePoolId));
    this.vswitchIds = pulumi.all(switches.map((s) => s.id));
    this.registerOutputs({ nodePoolIds: this.nodePoolIds, vswitchIds: this.vswitchIds });
  }
}
