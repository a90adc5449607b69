import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();

// Edge nodes for latency-sensitive inference, close to the users of one ENS region.
const edge = new alicloud.ens.NodePool("edge-inference", {
  clusterId: config.require("clusterId"),
  nodepoolInfo: { name: "edge-inference" },
  scalingGroup: {
    // Raising it scales the pool out in place. ENS cannot scale in by count, so a lower value fails the preview:
    // remove nodes with DeleteClusterNodes first, run `pulumi refresh`, then lower it.
    desiredSize: config.getNumber("desiredSize") ?? 2,
    vswitchIds: config.require("vswitchIds").split(","),
    instanceTypes: ["ens.sn1.large", "ens.sn1.xlarge"],
    instanceChargeType: "PostPaid",
    imageId: config.require("imageId"),
    keyPairName: config.require("keyPair"),
    systemDiskCategory: "cloud_ssd",
    systemDiskSize: 80,
    dataDisks: [{ category: "cloud_ssd", size: 200 }],
  },
  kubernetesConfig: {
    // Runs on every new node once it has joined the cluster (sent as base64; plain text is fine here).
    userData: "#!/bin/sh\nmkdir -p /data/models\nmount /dev/vdb /data/models\n",
  },
  timeouts: { create: "45m", update: "45m" },
});

export const nodePoolId = edge.nodePoolId;
export const ensRegionId = edge.ensRegionId;
export const state = edge.status.state;
export const totalNodes = edge.status.totalNodes;
