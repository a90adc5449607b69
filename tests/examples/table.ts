/**
 * The examples under examples/ that tests/examples/examples.test.ts runs through the test engine against the cloud
 * emulator: `up`, a second preview that must be empty, `destroy` (empty state, nothing of the stack left in the
 * emulator). tests/examples/pack.test.ts runs one of them from an installed tarball.
 *
 * Adding an example (ens-edge-nodepool, lingjun-node-group, modelarts-nodepool, batchcompute-cluster, ...) is one
 * row in EXAMPLES:
 *
 *   {
 *     dir: "ens-edge-nodepool",                                    // examples/ens-edge-nodepool: Pulumi.yaml + index.ts
 *     seed: (em) => ensAdmin(em).seedCluster({ clusterId: "eck-d2666c5f" }),     // what the program expects to exist
 *     config: (em) => ({ clusterId: "eck-d2666c5f", ...alicloudConfig(em) }),  // the stack config its README sets
 *     secretConfig: alicloudSecrets,                                // huaweiConfig / huaweiSecrets for Huawei Cloud
 *     cloudObjects: (em) => ensAdmin(em).pools("eck-d2666c5f"),      // what the stack creates in the cloud
 *     expectedObjects: 1,
 *     checkUp: (up) => expect(up.outputs).toMatchObject({ state: "active" }),  // optional: what else to assert
 *   },
 *
 * `cloudObjects` lists the emulator's objects of the stack (through the service's admin accessor, e.g.
 * `em.service<EnsNodePoolService>("ens").admin`): `up` must leave `expectedObjects` of them and `destroy` none.
 * The row's `dir` is the test's name, so `npx jest tests/examples -t <dir>` runs one example (the READMEs say so).
 * Config keys without a namespace get the example's project name, as `pulumi config set` does.
 */
import { CloudEmulator } from "../../provider/emulator";
import { MODELARTS_DEFAULT_PROJECT, type ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import type { BatchComputeService } from "../../provider/emulator/services/batchcompute-cluster";
import type { EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import type { ConfigValue, OperationResult, TestEngine } from "../engine";

export interface ExampleContext {
  engine: TestEngine;
  emulator: CloudEmulator;
}

export interface ExampleCase {
  /** Directory under examples/ with Pulumi.yaml and the program; also the test's name. */
  dir: string;
  /** Stack name (default "dev"). */
  stack?: string;
  /** Prepares the emulator: what the program expects to exist already (a cluster, a resource pool). */
  seed: (emulator: CloudEmulator) => void;
  /** Stack config, as `pulumi config set` would set it. */
  config: (emulator: CloudEmulator) => Record<string, ConfigValue>;
  /** Secret stack config, as `pulumi config set --secret` would set it. */
  secretConfig: (emulator: CloudEmulator) => Record<string, ConfigValue>;
  /** The emulator's objects that belong to this stack. */
  cloudObjects: (emulator: CloudEmulator) => unknown[];
  /** How many of them `up` creates. */
  expectedObjects: number;
  /** Further checks of the `up` result and the state after it. */
  checkUp?: (up: OperationResult, ctx: ExampleContext) => void;
  /** Further checks of the second (empty) preview. */
  checkPreview?: (preview: OperationResult, ctx: ExampleContext) => void;
}

export const ACK_CLUSTER = "c0123456789abcdef0123456789abcdef";
export const ALICLOUD_REGION = "cn-hangzhou";
export const HUAWEI_REGION = "cn-north-4";

/** Every product's endpoint (`nodepools:endpoints`) pointed at the emulator, which serves them all on one port. */
export function emulatorEndpoints(emulator: CloudEmulator): Record<string, string> {
  const products = ["cs", "ens", "eflo-controller", "batchcompute", "modelarts"];
  return Object.fromEntries(products.map((p) => [p, emulator.endpoint]));
}

/** Alibaba Cloud access key, region and endpoints as stack config (the secret key is in {@link alicloudSecrets}). */
export function alicloudConfig(emulator: CloudEmulator, region = ALICLOUD_REGION): Record<string, ConfigValue> {
  return { "alicloud:accessKey": emulator.credentials.accessKeyId, "alicloud:region": region, "nodepools:endpoints": emulatorEndpoints(emulator) };
}

export function alicloudSecrets(emulator: CloudEmulator): Record<string, ConfigValue> {
  return { "alicloud:secretKey": emulator.credentials.accessKeySecret };
}

/** Huawei Cloud access key, region, project and endpoints as stack config (the secret key is in {@link huaweiSecrets}). */
export function huaweiConfig(emulator: CloudEmulator, opts: { region?: string; projectId?: string } = {}): Record<string, ConfigValue> {
  return {
    "huaweicloud:accessKey": emulator.credentials.accessKeyId,
    "huaweicloud:region": opts.region ?? HUAWEI_REGION,
    "huaweicloud:projectId": opts.projectId ?? MODELARTS_DEFAULT_PROJECT,
    "nodepools:endpoints": emulatorEndpoints(emulator),
  };
}

export function huaweiSecrets(emulator: CloudEmulator): Record<string, ConfigValue> {
  return { "huaweicloud:secretKey": emulator.credentials.accessKeySecret };
}

const seedAckCluster = (emulator: CloudEmulator) => void emulator.seedCluster({ clusterId: ACK_CLUSTER, region: ALICLOUD_REGION });
const ackPools = (emulator: CloudEmulator) => emulator.ack.pools(ACK_CLUSTER);

const COMPONENT = "nodepools:examples:GpuNodeGroup";
const VSWITCH = "alicloud:vpc/switch:Switch";
const NODEPOOL = "pulumi-nodejs:dynamic/alicloud/ack:NodePool";

export const ENS_CLUSTER = "eck-d2666c5f";
export const ENS_REGION = "cn-guiyang-14";
const ensAdmin = (emulator: CloudEmulator) => emulator.service<EnsService>("ens").admin;
const ensPools = (emulator: CloudEmulator) => ensAdmin(emulator).pools(ENS_CLUSTER);

export const LINGJUN_CLUSTER = "i118191731740041623425";
export const LINGJUN_REGION = "cn-wulanchabu";
const efloAdmin = (emulator: CloudEmulator) => emulator.service<EfloNodeGroupService>("eflo").admin;
const lingjunGroups = (emulator: CloudEmulator) => efloAdmin(emulator).groups(LINGJUN_CLUSTER);

export const MODELARTS_POOL = "pool-gpu-a";
const modelArtsAdmin = (emulator: CloudEmulator) => emulator.service<ModelArtsService>("modelarts").admin;
const modelArtsNodePools = (emulator: CloudEmulator) => modelArtsAdmin(emulator).nodePools({ poolName: MODELARTS_POOL });

export const OSS_ACCESS_KEY_SECRET = "Oss-Example-Secret-9f2c4e";
const batchComputeClusters = (emulator: CloudEmulator) => emulator.service<BatchComputeService>("batchcompute").admin.clusters();

export const EXAMPLES: ExampleCase[] = [
  {
    dir: "ack-gpu-nodepool",
    seed: seedAckCluster,
    config: (em) => ({ clusterId: ACK_CLUSTER, vswitchIds: "vsw-aaa,vsw-bbb", keyPair: "ml-team", ...alicloudConfig(em) }),
    secretConfig: alicloudSecrets,
    cloudObjects: ackPools,
    expectedObjects: 1,
    checkUp: (up, { emulator }) => {
      const [pool] = ackPools(emulator);
      expect(pool).toMatchObject({ nodepool_info: { name: "gpu-a10" }, auto_scaling: { type: "gpu", max_instances: 8 }, scaling_group: { vswitch_ids: ["vsw-aaa", "vsw-bbb"] } });
      expect(up.outputs).toEqual({ nodePoolId: pool.nodepool_info.nodepool_id, scalingGroupId: expect.any(String), state: "active" });
    },
  },
  {
    dir: "gpu-node-group",
    seed: seedAckCluster,
    config: (em) => ({ clusterId: ACK_CLUSTER, vpcId: "vpc-ml", ...alicloudConfig(em) }),
    secretConfig: alicloudSecrets,
    cloudObjects: ackPools,
    expectedObjects: 3,
    checkUp: (up, { engine, emulator }) => {
      const resources = engine.state().resources;
      const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      const groups = resources.filter((r) => r.type === COMPONENT);
      expect(groups.map((g) => g.urn).sort()).toEqual([`urn:pulumi:dev::gpu-node-group::${COMPONENT}::inference`, `urn:pulumi:dev::gpu-node-group::${COMPONENT}::training`]);
      const zones: Record<string, string[]> = { training: ["cn-hangzhou-h", "cn-hangzhou-i"], inference: ["cn-hangzhou-h"] };
      for (const group of groups) {
        const name = group.urn.split("::").pop()!;
        expect(group).toMatchObject({ custom: false, parent: stack.urn });
        // Every child is parented to its component: parent field and the URN's type chain `<component>$<type>`.
        const children = resources.filter((r) => r.parent === group.urn);
        const expected = zones[name].flatMap((z) => [
          `urn:pulumi:dev::gpu-node-group::${COMPONENT}$${VSWITCH}::${name}-${z}`,
          `urn:pulumi:dev::gpu-node-group::${COMPONENT}$${NODEPOOL}::${name}-${z}`,
        ]);
        expect(children.map((c) => c.urn).sort()).toEqual(expected.sort());
        // registerOutputs: the component's outputs are its pools' ids and its vSwitches' ids, in zone order.
        const pools = zones[name].map((z) => children.find((c) => c.type === NODEPOOL && c.urn.endsWith(`::${name}-${z}`))!);
        const vswitches = zones[name].map((z) => children.find((c) => c.type === VSWITCH && c.urn.endsWith(`::${name}-${z}`))!);
        expect(group.outputs).toEqual({ nodePoolIds: pools.map((p) => p.outputs.nodePoolId), vswitchIds: vswitches.map((v) => v.id) });
        // The pools were created in the cloud in the (simulated) vSwitches of their zone.
        for (const [i, pool] of pools.entries()) {
          const cloud = ackPools(emulator).find((p) => p.nodepool_info.nodepool_id === pool.outputs.nodePoolId);
          expect(cloud?.scaling_group.vswitch_ids).toEqual([vswitches[i].id]);
          expect(cloud?.kubernetes_config.labels).toEqual(expect.arrayContaining([{ key: "node-group", value: name }]));
        }
      }
      expect(up.outputs).toEqual({
        trainingPools: groups.find((g) => g.urn.endsWith("::training"))!.outputs.nodePoolIds,
        inferencePools: groups.find((g) => g.urn.endsWith("::inference"))!.outputs.nodePoolIds,
      });
      expect(up.steps.filter((s) => s.type === VSWITCH).every((s) => s.simulated)).toBe(true);
      expect(up.notes).toEqual([expect.stringMatching(/^note: 3 resources of other providers are simulated: /)]);
    },
    checkPreview: (preview) => {
      // The plan says which resources were not real: the three vSwitches of @pulumi/alicloud.
      expect(preview.notes).toHaveLength(1);
      for (const name of ["training-cn-hangzhou-h", "training-cn-hangzhou-i", "inference-cn-hangzhou-h"]) {
        expect(preview.notes[0]).toContain(`${VSWITCH} "${name}"`);
      }
      expect(preview.rendered).toContain("note: 3 resources of other providers are simulated");
    },
  },
  {
    dir: "ens-edge-nodepool",
    seed: (em) => void ensAdmin(em).seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION }),
    config: (em) => ({ clusterId: ENS_CLUSTER, vswitchIds: "vsw-edge-a,vsw-edge-b", imageId: "m-6734fzvcwcv2o8jj201cpa7ox", keyPair: "edge-key", ...alicloudConfig(em) }),
    secretConfig: alicloudSecrets,
    cloudObjects: ensPools,
    expectedObjects: 1,
    checkUp: (up, { emulator }) => {
      const [pool] = ensPools(emulator);
      expect(pool).toMatchObject({
        NodepoolInfo: { Name: "edge-inference", EnsRegionId: ENS_REGION },
        ScalingGroup: { VswitchIds: ["vsw-edge-a", "vsw-edge-b"], KeyPairName: "edge-key", SystemDiskCategory: "cloud_ssd", DataDisks: [{ Category: "cloud_ssd", Size: 200 }] },
        Status: { State: "active", TotalNodes: 2 },
      });
      expect(up.outputs).toEqual({ nodePoolId: pool.NodepoolInfo.NodepoolId, ensRegionId: ENS_REGION, state: "active", totalNodes: 2 });
    },
  },
  {
    dir: "lingjun-node-group",
    seed: (em) => void efloAdmin(em).seedCluster({ clusterId: LINGJUN_CLUSTER, region: LINGJUN_REGION, name: "lingjun-training" }),
    config: (em) => ({ clusterId: LINGJUN_CLUSTER, zone: "cn-wulanchabu-b", machineType: "efg2.C48cNHmcn", imageId: "i190297111669785834213", ...alicloudConfig(em, LINGJUN_REGION) }),
    secretConfig: (em) => ({ ...alicloudSecrets(em), loginPassword: "Lingjun-Examp1e!" }),
    cloudObjects: lingjunGroups,
    expectedObjects: 1,
    checkUp: (up, { emulator }) => {
      const [group] = lingjunGroups(emulator);
      expect(group).toMatchObject({
        NodeGroupName: "training",
        Az: "cn-wulanchabu-b",
        MachineType: "efg2.C48cNHmcn",
        SystemDisk: { Category: "cloud_essd", Size: 1000, PerformanceLevel: "PL1" },
        FileSystemMountEnabled: true,
        LoginType: "Password",
      });
      expect(up.outputs).toEqual({ nodeGroupId: group.NodeGroupId, clusterName: "lingjun-training", nodeCount: 0 });
    },
  },
  {
    dir: "modelarts-nodepool",
    seed: (em) => void modelArtsAdmin(em).seedPool({ poolName: MODELARTS_POOL, projectId: MODELARTS_DEFAULT_PROJECT }),
    config: (em) => ({ poolName: MODELARTS_POOL, ...huaweiConfig(em) }),
    secretConfig: huaweiSecrets,
    cloudObjects: modelArtsNodePools,
    expectedObjects: 1,
    checkUp: (up, { emulator }) => {
      const [nodePool] = modelArtsNodePools(emulator);
      expect(nodePool).toMatchObject({
        metadata: { name: "training-gpu" },
        spec: { resources: { flavor: "modelarts.vm.gpu.t4u8", count: 2, maxCount: 2, labels: { accelerator: "nvidia-t4", workload: "training" } } },
        status: { resources: { available: { count: 2 } } },
      });
      expect(up.outputs).toEqual({ nodePoolId: `${MODELARTS_POOL}/training-gpu`, availableNodes: 2 });
    },
  },
  {
    dir: "batchcompute-cluster",
    seed: () => undefined,
    config: (em) => ({ imageId: "img-ubuntu", bucket: "render-assets", ossAccessKeyId: "LTAI5tRenderOss", ...alicloudConfig(em) }),
    secretConfig: (em) => ({ ...alicloudSecrets(em), ossAccessKeySecret: OSS_ACCESS_KEY_SECRET }),
    cloudObjects: batchComputeClusters,
    expectedObjects: 1,
    checkUp: (up, { engine, emulator }) => {
      const [cluster] = batchComputeClusters(emulator);
      expect(cluster).toMatchObject({
        Name: "render-farm",
        State: "Active",
        ImageId: "img-ubuntu",
        Configs: { Mounts: { Entries: [{ Source: "oss://render-assets/scenes/", WriteSupport: false }, { Source: "oss://render-assets/frames/", WriteSupport: true }], OSS: { AccessKeyId: "LTAI5tRenderOss" } } },
        Groups: { workers: { DesiredVMCount: 2, ActualVMCount: 2 } },
      });
      expect(up.outputs).toEqual({ clusterId: cluster.Id, state: "Active", actualVmCounts: { workers: 2 } });
      // The OSS secret is a secret in the state, and nowhere in the plan.
      expect(engine.rawState()).not.toContain(OSS_ACCESS_KEY_SECRET);
      expect(up.rendered).not.toContain(OSS_ACCESS_KEY_SECRET);
    },
  },
];
