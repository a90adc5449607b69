/**
 * The resources of the secrets-audit program (see index.ts), as a function so that the test can also declare them
 * under `pulumi.runtime.setMocks` and inspect the `__provider` text each one registers.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud } from "pulumi-nodepools";
import { FIXTURES, secretInputs, VARIANTS } from "./canaries";

export function declareResources(gen: number): { modelartsId: pulumi.Output<string>; resources: pulumi.CustomResource[] } {
  // Generation 3 also changes the ModelArts pool, so that the failing step has a call to fail there too.
  const nodes = gen >= 3 ? 2 : 1;
  const resources: pulumi.CustomResource[] = [];
  // Each resource waits for the one before, so that the engine sees them in program order whatever resolves first
  // (the test's queued faults meet the resource they are meant for).
  const after = (): pulumi.CustomResourceOptions => (resources.length ? { dependsOn: [resources[resources.length - 1]] } : {});

  for (const v of VARIANTS) {
    const s = secretInputs(gen, v);
    const wrap = (value: string): pulumi.Input<string> => (v === "sec" ? pulumi.secret(value) : value);

    const ack = new alicloud.ack.NodePool(`ack-${v}`, {
      clusterId: FIXTURES.ackCluster,
      nodepoolInfo: { name: `audit-${v}` },
      scalingGroup: {
        vswitchIds: ["vsw-a"],
        instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
        instanceChargeType: "PostPaid",
        desiredSize: 1,
      },
      loginPassword: wrap(s.ackLoginPassword),
    }, after());
    resources.push(ack);

    const ens = new alicloud.ens.NodePool(`ens-${v}`, {
      clusterId: FIXTURES.ensCluster,
      nodepoolInfo: { name: `audit-${v}` },
      scalingGroup: {
        desiredSize: 1,
        vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
        instanceChargeType: "PostPaid",
        instanceTypes: ["ens.sn1.small"],
        systemDiskCategory: "cloud_efficiency",
        systemDiskSize: 80,
        imageId: "m-6734fzvcwcv2o8jj201cpa7ox",
      },
      password: wrap(s.ensPassword),
    }, after());
    resources.push(ens);

    const eflo = new alicloud.eflo.NodeGroup(`eflo-${v}`, {
      clusterId: FIXTURES.efloCluster,
      nodeGroup: {
        az: `${FIXTURES.region}-b`,
        nodeGroupName: `audit-${v}`,
        machineType: "efg2.C48cNHmcn",
        imageId: "i-image-1",
        systemDisk: { size: 1000, category: "cloud_essd" },
      },
      nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
      loginPassword: wrap(s.efloLoginPassword),
    }, after());
    resources.push(eflo);

    const oss = { accessKeyId: s.ossAccessKeyId, accessKeySecret: s.ossAccessKeySecret, securityToken: s.ossSecurityToken };
    const bc = new alicloud.batchcompute.Cluster(`bc-${v}`, {
      name: `audit_${v}`,
      imageId: "img-ubuntu",
      instanceType: "bcs.a2.large",
      configs: {
        disks: { systemDisk: { type: "cloud_efficiency", size: 40 } },
        mounts: { entries: [{ destination: "/home/admin/data", source: "oss://bucket/data/", writeSupport: false }] },
        networks: { vpc: { cidrBlock: "192.168.0.0/16" } },
      },
      groups: { workers: { desiredVmCount: 1, resourceType: "OnDemand" } },
      ossCredentials: v === "sec" ? pulumi.secret(oss) : oss,
    }, after());
    resources.push(bc);
  }

  const pool = new huaweicloud.modelarts.NodePool("modelarts", {
    poolName: FIXTURES.modelartsPool,
    metadata: { name: "audit" },
    spec: { resources: { flavor: "modelarts.vm.gpu.t4u8", count: nodes, maxCount: 4 } },
  }, after());
  resources.push(pool);

  return { modelartsId: pool.id, resources };
}
