/**
 * The floor's provider (scripts/bench.ts): it does no work. check echoes the inputs, diff finds no change, and create
 * answers at once with what alicloud.ack.NodePool's create answers (the inputs plus the same computed outputs, of the
 * same shapes and sizes), so that the engine and the Pulumi runtime carry exactly the data they carry for the package.
 * Shared by programs/trivial and the `__provider` floor of scripts/bench/provider-size.ts.
 */
import type * as pulumi from "@pulumi/pulumi";

export const trivialProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: any, news: any) {
    return { inputs: news };
  },
  async diff() {
    return { changes: false };
  },
  async create(inputs: any) {
    const hex = (n: number) => require("crypto").randomBytes(n).toString("hex");
    const now = new Date().toISOString();
    const nodePoolId = `np${hex(16)}`;
    const status = { failedNodes: 0, healthyNodes: 2, initialNodes: 0, offlineNodes: 0, removingNodes: 0, servingNodes: 2, state: "active", totalNodes: 2 };
    return {
      id: `${inputs.clusterId}:${nodePoolId}`,
      outs: { ...inputs, nodePoolId, scalingGroupId: `asg-${hex(10)}`, status, created: now, updated: now, schemaVersion: 1 },
    };
  },
};
