import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();

// A GPU pool that scales between 0 and 8 nodes; only pods that tolerate the GPU taint land on it.
const gpu = new alicloud.ack.NodePool("gpu-a10", {
  clusterId: config.require("clusterId"),
  nodepoolInfo: { name: "gpu-a10" },
  autoScaling: { enable: true, type: "gpu", minInstances: 0, maxInstances: 8 },
  scalingGroup: {
    vswitchIds: config.require("vswitchIds").split(","),
    instanceTypes: ["ecs.gn7i-c8g1.2xlarge", "ecs.gn7i-c16g1.4xlarge"],
    instanceChargeType: "PostPaid",
    keyPair: config.require("keyPair"),
    systemDiskCategory: "cloud_essd",
    systemDiskSize: 200,
    desiredSize: config.getNumber("desiredSize") ?? 2,
  },
  kubernetesConfig: {
    labels: [
      { key: "accelerator", value: "nvidia-a10" },
      { key: "workload", value: "training" },
    ],
    taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
    runtime: "containerd",
    userData: "#!/bin/sh\nnvidia-smi -pm 1\n",
  },
  management: { enable: true, autoRepair: true, autoUpgrade: true },
  timeouts: { create: "45m" },
});

export const nodePoolId = gpu.nodePoolId;
export const scalingGroupId = gpu.scalingGroupId;
export const state = gpu.status.state;
