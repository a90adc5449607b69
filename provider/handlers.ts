/**
 * The entry point that serialized providers load, by package name, inside the Pulumi dynamic-provider host
 * (`require("pulumi-nodepools/handlers")`, see core/shim.ts). Resource modules are loaded on first use, so a
 * program with one resource type does not pay for the others.
 */
import type { DynamicHandlers } from "./core/handler";
import { setStackConfig } from "./core/runtime";
import type { ConfigReader } from "./core/settings";

const loaders: Record<string, () => DynamicHandlers> = {
  "alicloud.ack.NodePool": () => require("./resources/ack-nodepool/handler").ackNodePoolHandlers,
  "alicloud.ens.NodePool": () => require("./resources/ens-nodepool/handler").ensNodePoolHandlers,
  "alicloud.eflo.NodeGroup": () => require("./resources/eflo-nodegroup/handler").efloNodeGroupHandlers,
  "alicloud.batchcompute.Cluster": () => require("./resources/batchcompute-cluster/handler").batchComputeClusterHandlers,
  "huaweicloud.modelarts.NodePool": () => require("./resources/modelarts-nodepool/handler").modelArtsNodePoolHandlers,
};

const cache: Record<string, DynamicHandlers> = {};

/** Resource kinds this version of the package can serve. */
export const kinds = Object.keys(loaders);

export function handlers(kind: string): DynamicHandlers {
  const cached = cache[kind];
  if (cached) return cached;
  const load = loaders[kind];
  if (!load) {
    throw new Error(
      `pulumi-nodepools: unknown resource kind "${kind}" in this state; this installed version serves ${kinds.join(", ")}. ` +
        "Install the version of pulumi-nodepools that wrote the state, or a newer one.",
    );
  }
  return (cache[kind] = load());
}

/** Receives the stack config from the dynamic provider's configure(req). */
export function configure(config: ConfigReader): void {
  setStackConfig(config);
}

/**
 * Called by the serialized shim's configure(req): records the stack config and gives the deserialized
 * provider object the handlers of its kind.
 */
export function attach(provider: object, kind: string, config: ConfigReader): void {
  configure(config);
  const h = handlers(kind);
  Object.assign(provider, {
    check: h.check,
    diff: h.diff,
    create: h.create,
    read: h.read,
    update: h.update,
    delete: h.delete,
  });
}
