/**
 * `alicloud.batchcompute.Cluster`: a Batch Compute cluster as a Pulumi dynamic resource. The shape mirrors the
 * `CreateCluster` request in camelCase; see docs/reference.md for what each field's change does.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKeyInput } from "../../core/identity";
import { ownerKey } from "../../core/ownership";
import provider from "../../shims/batchcompute-cluster";

type In<T> = pulumi.Input<T>;

export type ClusterEvent = "OnClusterDeleted" | "OnInstanceCreated" | "OnInstanceActive";

export interface ClusterGroup {
  /** VMs the group runs, 1-65536. The only member that changes in place (ModifyCluster); others replace the cluster. */
  desiredVmCount: In<number>;
  /** Instance type of the group's VMs; empty or unset means the cluster's `instanceType`. */
  instanceType?: In<string>;
  resourceType: In<"OnDemand" | "Spot">;
  spotStrategy?: In<"SpotWithPriceLimit" | "SpotAsPriceGo">;
  /** Highest hourly price for a spot VM. */
  spotPriceLimit?: In<number>;
}

export interface MountEntry {
  /** Mount point on the VM. */
  destination: In<string>;
  /** `oss://bucket/path/` or a NAS path. */
  source: In<string>;
  writeSupport?: In<boolean>;
}

export interface ClusterConfigs {
  disks?: In<{
    systemDisk?: In<{ type?: In<string>; size?: In<number> }>;
    dataDisk?: In<{ type?: In<string>; size?: In<number>; mountPoint?: In<string> }>;
  }>;
  /** Mounts. The OSS key pair of `Configs.Mounts.OSS` is the top-level `ossCredentials` input (a secret). */
  mounts?: In<{
    entries?: In<In<MountEntry>[]>;
    locale?: In<string>;
    lock?: In<boolean>;
    cacheSupport?: In<boolean>;
    nas?: In<{ accessGroup?: In<In<string>[]>; fileSystem?: In<In<string>[]> }>;
  }>;
  networks?: In<{
    classic?: In<{
      allowIpAddress?: In<In<string>[]>;
      allowIpAddressEgress?: In<In<string>[]>;
      allowSecurityGroup?: In<In<string>[]>;
      allowSecurityGroupEgress?: In<In<string>[]>;
    }>;
    vpc?: In<{
      cidrBlock?: In<string>;
      oppositeRouterId?: In<string>;
      oppositeAccessPointId?: In<string>;
      oppositeRegionId?: In<string>;
      oppositeRouterType?: In<string>;
    }>;
  }>;
}

/** The OSS key pair Batch Compute uses for every OSS mount of the cluster (`Configs.Mounts.OSS`). */
export interface OssCredentials {
  accessKeyId: In<string>;
  accessKeySecret: In<string>;
  /** STS token of a temporary key pair (`AccessSecurityToken`). */
  securityToken?: In<string>;
}

export interface ClusterArgs {
  /** Cluster name: 1-64 letters, digits, "_" or "-", not starting with a digit. */
  name: In<string>;
  description?: In<string>;
  imageId: In<string>;
  /** Instance type of the cluster's VMs, e.g. `bcs.a2.large`. */
  instanceType: In<string>;
  /** Up to 64 key-value pairs the VMs read from the ECS metaserver. */
  userData?: In<Record<string, In<string>>>;
  notification?: In<{ topic?: In<{ name?: In<string>; endpoint?: In<string>; events?: In<In<ClusterEvent>[]> }> }>;
  configs?: In<ClusterConfigs>;
  /** Instance groups by name (1-64). */
  groups: In<Record<string, In<ClusterGroup>>>;
  /**
   * The OSS key pair for OSS mounts. A top-level input so that Pulumi stores it encrypted; it is wrapped with
   * `pulumi.secret` here and never read back from the cloud. A change replaces the cluster.
   */
  ossCredentials?: In<OssCredentials>;
  /**
   * Seed of CreateCluster's `IdempotentToken`. Default: the owner key, so a create retried after a lost answer or
   * an interrupted run returns the same cluster. Changing it calls no API.
   */
  idempotencyKey?: In<string>;
  /**
   * Owner key (docs/ownership.md): from project, stack, parent and name by default. Batch Compute carries it as the
   * create's `IdempotentToken` (through `idempotencyKey`), so a create repeated after an interrupted run returns the
   * cluster that run made. Changing it calls no API.
   */
  ownerKey?: In<string>;
  /** How long to wait, e.g. `{ create: "45m" }`. Defaults: create 30m, update 30m, delete 30m. */
  timeouts?: In<{ create?: In<string>; update?: In<string>; delete?: In<string> }>;
}

export interface ClusterMetrics {
  runningCount: number;
  startingCount: number;
  stoppingCount: number;
  stoppedCount: number;
}

/**
 * The default `idempotencyKey`: the owner key every resource of this package has (core/ownership.ts), stable for the
 * life of the resource and distinct between resources. A resource with a parent is keyed by the parent's URN (which
 * carries stack and project), so two components that each own a cluster of the same name do not share a key.
 */
export const clusterIdempotencyKey = ownerKey;

/**
 * A Batch Compute cluster (API 2015-11-11).
 *
 * **Deprecated service.** Alibaba Cloud has deprecated Batch Compute: the API is still served for existing users,
 * but expect no fixes or new features, and new accounts may be refused. Use this resource to manage existing
 * clusters while you plan a move of the workloads to a supported service, for example ACK node pools
 * (`alicloud.ack.NodePool`).
 *
 * Only `groups.<name>.desiredVmCount` changes in place; any other change replaces the cluster. The OSS key pair is
 * the top-level secret input `ossCredentials`.
 */
export class Cluster extends pulumi.dynamic.Resource {
  declare readonly clusterId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly groups: pulumi.Output<Record<string, ClusterGroup>>;
  declare readonly state: pulumi.Output<string>;
  declare readonly ownerId: pulumi.Output<string>;
  declare readonly creationTime: pulumi.Output<string>;
  declare readonly actualVmCounts: pulumi.Output<Record<string, number>>;
  declare readonly metrics: pulumi.Output<ClusterMetrics>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * Looks up an existing cluster by its id (`cls-...`) without managing it. The provider host of the pinned
   * @pulumi/pulumi reads it through the same handler as a refresh (tests/protocol).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Cluster {
    return new Cluster(name, {} as ClusterArgs, { ...opts, id });
  }

  constructor(name: string, args: ClusterArgs, opts?: pulumi.CustomResourceOptions) {
    const key = args.ownerKey ?? ownerKeyInput(name, opts);
    const props = {
      ...args,
      ownerKey: key,
      ossCredentials: args.ossCredentials === undefined ? undefined : pulumi.secret(args.ossCredentials),
      idempotencyKey: opts?.id === undefined ? (args.idempotencyKey ?? key) : undefined,
      clusterId: undefined,
      state: undefined,
      ownerId: undefined,
      creationTime: undefined,
      actualVmCounts: undefined,
      metrics: undefined,
      schemaVersion: undefined,
    };
    super(provider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["ossCredentials"] }), "alicloud/batchcompute", "Cluster");
  }
}
