/**
 * The soak program: `pools` pools round-robin across the five resource kinds. Stack config `phase`:
 * - `create`: the first version of every pool;
 * - `update`: every pool changes in place (ACK, ENS and ModelArts scale out, eflo changes its image, Batch Compute
 *   resizes its group);
 * - `replace`: as `update`, and a quarter of the pools also change a field that replaces them (ACK auto-scaling
 *   type, ENS name, eflo machine type, Batch Compute instance type, ModelArts flavor).
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud } from "pulumi-nodepools";
import { cloudName, FIXTURES, isReplaced, kindOf, resourceName, type Phase } from "../plan";

const config = new pulumi.Config();
const pools = config.requireNumber("pools");
const phase = config.require("phase") as Phase;

for (let i = 0; i < pools; i++) {
  const updated = phase !== "create";
  const replaced = phase === "replace" && isReplaced(i);
  const name = resourceName(i);
  switch (kindOf(i)) {
    case "ack":
      new alicloud.ack.NodePool(name, {
        clusterId: FIXTURES.ackCluster,
        nodepoolInfo: { name: cloudName(i) },
        autoScaling: { enable: true, type: replaced ? "cpu" : "gpu", minInstances: 0, maxInstances: 4 },
        scalingGroup: {
          vswitchIds: ["vsw-soak"],
          instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
          instanceChargeType: "PostPaid",
          keyPair: "soak",
          desiredSize: updated ? 2 : 1,
        },
      });
      break;
    case "ens":
      new alicloud.ens.NodePool(name, {
        clusterId: FIXTURES.ensCluster,
        nodepoolInfo: { name: cloudName(i, replaced) },
        scalingGroup: {
          desiredSize: updated ? 2 : 1,
          keyPairName: "soak",
          vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
          instanceChargeType: "PostPaid",
          instanceTypes: ["ens.sn1.small"],
          systemDiskCategory: "cloud_efficiency",
          systemDiskSize: 80,
          imageId: "m-6734fzvcwcv2o8jj201cpa7ox",
        },
      });
      break;
    case "eflo":
      new alicloud.eflo.NodeGroup(name, {
        clusterId: FIXTURES.efloCluster,
        nodeGroup: {
          az: `${FIXTURES.region}-b`,
          nodeGroupName: cloudName(i),
          machineType: replaced ? "efg2.C48cA3sen" : "efg2.C48cNHmcn",
          imageId: updated ? "i-image-2" : "i-image-1",
          systemDisk: { size: 1000, category: "cloud_essd" },
          keyPairName: "soak",
        },
        nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
      });
      break;
    case "batchcompute":
      new alicloud.batchcompute.Cluster(name, {
        name: cloudName(i),
        imageId: "img-ubuntu",
        instanceType: replaced ? "bcs.a2.xlarge" : "bcs.a2.large",
        configs: {
          disks: { systemDisk: { type: "cloud_efficiency", size: 40 } },
          networks: { vpc: { cidrBlock: "192.168.0.0/16" } },
        },
        groups: { workers: { desiredVmCount: updated ? 2 : 1, resourceType: "OnDemand" } },
      });
      break;
    case "modelarts":
      new huaweicloud.modelarts.NodePool(name, {
        poolName: FIXTURES.modelartsPool,
        metadata: { name: cloudName(i) },
        spec: { resources: { flavor: replaced ? "modelarts.vm.gpu.a10u8" : "modelarts.vm.gpu.t4u8", count: updated ? 2 : 1, maxCount: 4 } },
      });
      break;
  }
}
