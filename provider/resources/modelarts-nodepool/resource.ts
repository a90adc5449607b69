/**
 * `huaweicloud.modelarts.NodePool`: a node pool of a ModelArts resource pool as a Pulumi dynamic resource. The
 * shape mirrors the `CreateNodePool` request body (`metadata`, `spec.resources`); see docs/reference.md for what
 * each field's change does. The Pulumi id is `<poolName>/<metadata.name>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKeyInput } from "../../core/identity";
import provider from "../../shims/modelarts-nodepool";

type In<T> = pulumi.Input<T>;

/** The billing annotations (`os.modelarts/...` on the wire). Values are text, as the API defines them. */
export interface NodePoolAnnotations {
  /** `os.modelarts/billing.mode`: "0" pay-per-use, "1" yearly/monthly. */
  billingMode?: In<"0" | "1">;
  /** `os.modelarts/period.num`: subscription periods, e.g. "2"; required for yearly/monthly. */
  periodNum?: In<string>;
  /** `os.modelarts/period.type`: "2" month, "3" year, "4" hour; required for yearly/monthly. */
  periodType?: In<"2" | "3" | "4">;
  /** `os.modelarts/auto.renew`: "0" off (default), "1" on. */
  autoRenew?: In<"0" | "1">;
  /** `os.modelarts/promotion.info`: discount selected on the operations platform. */
  promotionInfo?: In<string>;
  /** `os.modelarts/service.console.url`: page shown after the order is paid. */
  serviceConsoleUrl?: In<string>;
  /** `os.modelarts/order.id`: required for a yearly/monthly node pool and to change the billing mode. */
  orderId?: In<string>;
}

export interface NodePoolAz {
  az: In<string>;
  count: In<number>;
}

export interface NodePoolTaint {
  key: In<string>;
  value?: In<string>;
  effect: In<"NoSchedule" | "PreferNoSchedule" | "NoExecute">;
}

export interface NodePoolTag {
  /** Must not start with "CCE-" or "__type_baremetal". */
  key: In<string>;
  value: In<string>;
}

export interface NodePoolResources {
  /** Resource flavor, e.g. `modelarts.vm.gpu.t4u8`. Changing it replaces the node pool. */
  flavor: In<string>;
  /** Committed number of nodes (updated in place). */
  count: In<number>;
  /** Elastic limit: equal to count in a physical pool, at least count in a logical pool (updated in place). */
  maxCount: In<number>;
  azs?: In<In<NodePoolAz>[]>;
  nodePool?: In<string>;
  taints?: In<In<NodePoolTaint>[]>;
  labels?: In<Record<string, In<string>>>;
  tags?: In<In<NodePoolTag>[]>;
  network?: In<{ vpc?: In<string>; subnet?: In<string>; securityGroups?: In<In<string>[]> }>;
  /** Custom parameters, e.g. `{ dockerBaseSize: "0" }`. */
  extendParams?: In<Record<string, In<string>>>;
  creatingStep?: In<{ step?: In<number>; type?: In<"hyperinstance"> }>;
  os?: In<{ name?: In<string>; imageId?: In<string>; imageType?: In<"private"> }>;
}

export interface NodePoolArgs {
  /** The ModelArts resource pool (path parameter `{pool_name}`). Changing it replaces the node pool. */
  poolName: In<string>;
  metadata: In<{ name: In<string>; annotations?: In<NodePoolAnnotations> }>;
  spec: In<{ resources: In<NodePoolResources> }>;
  /**
   * Owner key: the package marks what it creates with a digest of it, so that after an interrupted run it adopts
   * its own resource and never a stranger's (docs/ownership.md). Default: from project, stack, parent and name.
   * Changing it calls no API.
   */
  ownerKey?: In<string>;
  /** How long to wait, e.g. `{ create: "45m" }`. Defaults: create 90m, update 90m, delete 90m. */
  timeouts?: In<{ create?: In<string>; update?: In<string>; delete?: In<string> }>;
}

/** Node counts from `status.resources` (0 for an entry the service does not list). */
export interface NodePoolStatus {
  creating: number;
  available: number;
  abnormal: number;
  deleting: number;
}

export class NodePool extends pulumi.dynamic.Resource {
  declare readonly poolName: pulumi.Output<string>;
  declare readonly metadata: pulumi.Output<{ name: string; annotations?: Record<string, string> }>;
  declare readonly spec: pulumi.Output<{ resources: Record<string, unknown> & { flavor: string; count: number; maxCount: number } }>;
  declare readonly status: pulumi.Output<NodePoolStatus>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * Looks up an existing node pool by its id (`<poolName>/<nodePoolName>`) without managing it. The provider host
   * reads it through the same handler as a refresh (tests/protocol).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): NodePool {
    return new NodePool(name, {} as NodePoolArgs, { ...opts, id });
  }

  constructor(name: string, args: NodePoolArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      ownerKey: args.ownerKey ?? ownerKeyInput(name, opts),
      status: undefined,
      schemaVersion: undefined,
    };
    super(provider, name, props, opts, "huaweicloud/modelarts", "NodePool");
  }
}
