/**
 * Lifecycle-test program: one `huaweicloud.modelarts.NodePool` whose arguments are the stack config `nodePool`
 * (so test steps edit config, not code). When `poolFromResource` is set, the resource pool name is the id of a
 * resource pool declared in the program (a stand-in for the Huawei Cloud provider's ModelArts resource pool, whose
 * id is the pool name; simulated by the test engine), so it is unknown during a preview.
 */
import * as pulumi from "@pulumi/pulumi";
import { huaweicloud } from "pulumi-nodepools";

/** Stand-in for `huaweicloud_modelarts_resource_pool`: the test engine simulates resources of other providers. */
class ResourcePool extends pulumi.CustomResource {
  constructor(name: string, args: { metadata: { name: string }; spec: Record<string, unknown> }, opts?: pulumi.CustomResourceOptions) {
    super("huaweicloud:ModelArts/resourcePool:ResourcePool", name, args, opts);
  }
}

const config = new pulumi.Config();
let args = config.requireObject<huaweicloud.modelarts.NodePoolArgs>("nodePool");

if (config.getBoolean("poolFromResource")) {
  const pool = new ResourcePool("gpu-pool", { metadata: { name: "pool-gpu-b" }, spec: { type: "Dedicate", scope: ["Train"] } });
  args = { ...args, poolName: pool.id };
}

const nodePool = new huaweicloud.modelarts.NodePool("gpu", args);

export const id = nodePool.id;
export const poolName = nodePool.poolName;
export const available = nodePool.status.available;
export const creating = nodePool.status.creating;
