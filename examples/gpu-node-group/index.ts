import * as pulumi from "@pulumi/pulumi";
import { GpuNodeGroup } from "./gpuNodeGroup";

const config = new pulumi.Config();
const common = { clusterId: config.require("clusterId"), vpcId: config.require("vpcId"), keyPair: "ml-team" };

// Two uses of one component: a training group across two zones and a smaller inference group.
const training = new GpuNodeGroup("training", {
  ...common,
  zones: { "cn-hangzhou-h": "10.10.0.0/24", "cn-hangzhou-i": "10.10.1.0/24" },
  instanceTypes: ["ecs.gn7i-c16g1.4xlarge"],
  nodesPerZone: 2,
  labels: { workload: "training" },
});

const inference = new GpuNodeGroup("inference", {
  ...common,
  zones: { "cn-hangzhou-h": "10.10.2.0/24" },
  instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
  nodesPerZone: 1,
  maxPerZone: 2,
  labels: { workload: "inference" },
});

export const trainingPools = training.nodePoolIds;
export const inferencePools = inference.nodePoolIds;
