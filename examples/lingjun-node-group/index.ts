import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();

// The node group is the template of its nodes; nodes join it when the cluster is extended (ExtendCluster), outside
// this program.
const training = new alicloud.eflo.NodeGroup("training", {
  clusterId: config.require("clusterId"),
  nodeGroup: {
    // Zone, machine type and description cannot change in place: changing them replaces the group.
    az: config.require("zone"),
    machineType: config.require("machineType"),
    nodeGroupDescription: "GPU nodes for distributed training",
    // Name, image, disk, user data, key pair and RAM role are updated in place (UpdateNodeGroup, then its task is
    // awaited).
    nodeGroupName: "training",
    imageId: config.require("imageId"),
    systemDisk: { category: "cloud_essd", size: 1000, performanceLevel: "PL1" },
    fileSystemMountEnabled: true,
    userData: "#!/bin/sh\nnvidia-smi -pm 1\n",
  },
  // Stored encrypted in the state and never read back from the cloud.
  loginPassword: config.requireSecret("loginPassword"),
  timeouts: { update: "3h" },
});

export const nodeGroupId = training.nodeGroupId;
export const clusterName = training.clusterName;
export const nodeCount = training.nodeCount;
