import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const bucket = config.require("bucket");

// Batch Compute is deprecated by Alibaba Cloud: manage an existing render farm with this while you plan its move to
// a supported service (for example ACK node pools, alicloud.ack.NodePool).
const renderFarm = new alicloud.batchcompute.Cluster("render-farm", {
  // Anything but the groups' desiredVmCount replaces the cluster (the new one is created before the old one goes).
  name: "render-farm",
  description: "Frame rendering workers",
  imageId: config.require("imageId"),
  instanceType: "bcs.a2.large",
  configs: {
    disks: { systemDisk: { type: "cloud_efficiency", size: 40 } },
    mounts: {
      entries: [
        { destination: "/home/admin/scenes", source: `oss://${bucket}/scenes/`, writeSupport: false },
        { destination: "/home/admin/frames", source: `oss://${bucket}/frames/`, writeSupport: true },
      ],
    },
    networks: { vpc: { cidrBlock: "192.168.0.0/16" } },
  },
  groups: {
    // Changing desiredVmCount resizes the group in place (ModifyCluster).
    workers: { desiredVmCount: config.getNumber("workers") ?? 2, resourceType: "OnDemand" },
  },
  // The key pair Batch Compute mounts the OSS entries with: stored encrypted in the state, never read back.
  ossCredentials: {
    accessKeyId: config.require("ossAccessKeyId"),
    accessKeySecret: config.requireSecret("ossAccessKeySecret"),
  },
  timeouts: { create: "20m", update: "20m" },
});

export const clusterId = renderFarm.clusterId;
export const state = renderFarm.state;
export const actualVmCounts = renderFarm.actualVmCounts;
