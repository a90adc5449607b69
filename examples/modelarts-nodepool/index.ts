import * as pulumi from "@pulumi/pulumi";
import { huaweicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const nodeCount = config.getNumber("nodeCount") ?? 2;

// GPU nodes for training jobs, as a node pool of an existing ModelArts resource pool.
const training = new huaweicloud.modelarts.NodePool("training", {
  // The resource pool and the names cannot change in place: changing them replaces the node pool.
  poolName: config.require("poolName"),
  metadata: { name: "training-gpu" },
  spec: {
    resources: {
      // Changing the flavor replaces the node pool (under the same name, so the old one is deleted first).
      flavor: config.get("flavor") ?? "modelarts.vm.gpu.t4u8",
      nodePool: "training-gpu",
      // The node counts and the labels are updated in place: one merge patch (PatchNodePool) of what changed.
      count: nodeCount,
      // Equal to count suits every pool (a physical pool requires it; a logical one allows more).
      maxCount: nodeCount,
      labels: { accelerator: "nvidia-t4", workload: "training" },
    },
  },
  timeouts: { create: "60m", update: "60m" },
});

export const nodePoolId = training.id;
export const availableNodes = training.status.available;
