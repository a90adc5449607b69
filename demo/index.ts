/**
 * The demo stack (root Pulumi.yaml, `main: demo/index.ts`): a GPU node pool for training jobs and a CPU pool for
 * system workloads in an existing ACK cluster.
 *
 * `npm run demo` runs it offline against the embedded cloud emulator (scripts/demo.ts); with a real account it is
 * an ordinary Pulumi program: `npm run build`, set the config below, `pulumi up` from the repository root.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const clusterId = config.require("clusterId");
const vswitchIds = config.require("vswitchIds").split(",");
const keyPair = config.require("keyPair");

// Scales between 0 and 8 nodes; only pods that tolerate the GPU taint land on it. `gpuNodes` changes in place;
// `gpuSharing` changes the auto scaling type, which the API does not modify after creation: the pool is replaced.
const gpu = new alicloud.ack.NodePool("gpu", {
  clusterId,
  nodepoolInfo: { name: "demo-gpu" },
  autoScaling: { enable: true, type: config.getBoolean("gpuSharing") ? "gpushare" : "gpu", minInstances: 0, maxInstances: 8 },
  scalingGroup: {
    vswitchIds,
    instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
    instanceChargeType: "PostPaid",
    keyPair,
    systemDiskCategory: "cloud_essd",
    systemDiskSize: 200,
    desiredSize: config.getNumber("gpuNodes") ?? 2,
  },
  kubernetesConfig: {
    labels: [{ key: "accelerator", value: "nvidia-a10" }],
    taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
  },
  management: { enable: true, autoRepair: true },
});

// A fixed-size CPU pool for cluster add-ons and other system workloads.
const system = new alicloud.ack.NodePool("system", {
  clusterId,
  nodepoolInfo: { name: "demo-system" },
  scalingGroup: { vswitchIds, instanceTypes: ["ecs.g7.xlarge"], instanceChargeType: "PostPaid", keyPair, desiredSize: 2 },
  kubernetesConfig: { labels: [{ key: "workload", value: "system" }] },
});

export const gpuNodePoolId = gpu.nodePoolId;
export const gpuState = gpu.status.state;
export const gpuNodes = gpu.status.totalNodes;
export const systemNodePoolId = system.nodePoolId;
