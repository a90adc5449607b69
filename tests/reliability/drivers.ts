/**
 * One driver per resource for the fault matrix: how to start its emulator (the setups of tests/support, reused),
 * re-seed it after `reset()`, the inputs of the resource and of its update, and how to read what the cloud holds.
 */
import { systemClock } from "../../provider/core/clock";
import type { DynamicHandlers, Props } from "../../provider/core/handler";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { CloudEmulator } from "../../provider/emulator";
import type { BatchComputeService } from "../../provider/emulator/services/batchcompute-cluster";
import type { EfloAdmin, EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import type { ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import { ackNodePoolHandlers } from "../../provider/resources/ack-nodepool/handler";
import { batchComputeClusterHandlers } from "../../provider/resources/batchcompute-cluster/handler";
import { efloNodeGroupHandlers } from "../../provider/resources/eflo-nodegroup/handler";
import { ensNodePoolHandlers } from "../../provider/resources/ens-nodepool/handler";
import { modelArtsNodePoolHandlers } from "../../provider/resources/modelarts-nodepool/handler";
import { basePool, CLUSTER as ACK_CLUSTER, startAckEnv, stopAckEnv } from "../support/ack";
import { baseCluster, startBcEnv, stopBcEnv } from "../support/batchcompute";
import { ENS_CLUSTER, ENS_REGION, ensPool, startEnsEnv, stopEnsEnv } from "../support/ens";
import { baseNodePool, POOL, startModelArtsEnv, stopModelArtsEnv } from "../support/modelarts";
import type { ResourceMatrix } from "./matrix";

export interface DriverEnv {
  emulator: CloudEmulator;
  /** The environment that points the package at the emulator (credentials, region, endpoint). */
  env: Record<string, string>;
  /** Seeds what the resource needs (its cluster or resource pool) again after `emulator.reset()`. */
  reseed(): void;
  stop(): Promise<void>;
}

export interface Driver {
  key: ResourceMatrix["key"];
  handlers: DynamicHandlers;
  start(): Promise<DriverEnv>;
  /** The program's inputs (before check). */
  inputs(): Props;
  /** The inputs of the update operation: changes every update call of the resource. */
  updated(): Props;
  /** The Pulumi ids of every resource of this kind the emulator holds. */
  cloudIds(e: DriverEnv): string[];
  /** What the cloud holds for `id`, reduced to the facts the inputs decide; undefined when it does not exist. */
  facts(e: DriverEnv, id: string): Record<string, unknown> | undefined;
  /** The facts the cloud must show for these inputs once converged. */
  expectedFacts(inputs: Props): Record<string, unknown>;
}

const get = (o: unknown, path: string): unknown => path.split(".").reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), o);

// ---- ACK -----------------------------------------------------------------------------------------------------------

const ACK_OWNER_KEY = "fault-matrix/dev/gpu";

const ack: Driver = {
  key: "ack",
  handlers: ackNodePoolHandlers,
  async start() {
    const e = await startAckEnv();
    const reseed = () => void e.emulator.seedCluster({ clusterId: ACK_CLUSTER, region: "cn-hangzhou" });
    return { emulator: e.emulator, env: e.env, reseed, stop: () => stopAckEnv(e) };
  },
  // With the owner key that the resource class always sends: the create then goes first and looks the name up only
  // after a refusal of the name or a lost answer (without it, the name is looked up before every create).
  inputs: () => ({ ...basePool(), ownerKey: ACK_OWNER_KEY }),
  updated: () => {
    const p: Record<string, any> = { ...basePool(), ownerKey: ACK_OWNER_KEY };
    p.scalingGroup.desiredSize = 3;
    p.nodeConfig = { kubeletConfiguration: { maxPods: 64 } };
    return p;
  },
  cloudIds: (e) => e.emulator.ack.pools(ACK_CLUSTER).map((p) => `${ACK_CLUSTER}:${p.nodepool_info.nodepool_id}`),
  facts(e, id) {
    const p = e.emulator.ack.pools(ACK_CLUSTER).find((x) => `${ACK_CLUSTER}:${x.nodepool_info.nodepool_id}` === id);
    if (!p) return undefined;
    return {
      name: p.nodepool_info.name,
      desiredSize: p.scaling_group.desired_size,
      maxPods: get(p, "node_config.kubelet_configuration.maxPods"),
      state: p.status.state,
    };
  },
  expectedFacts: (i) => ({
    name: get(i, "nodepoolInfo.name"),
    desiredSize: get(i, "scalingGroup.desiredSize"),
    maxPods: get(i, "nodeConfig.kubeletConfiguration.maxPods"),
    state: "active",
  }),
};

// ---- ENS -----------------------------------------------------------------------------------------------------------

const ens: Driver = {
  key: "ens",
  handlers: ensNodePoolHandlers,
  async start() {
    // The system clock for the emulator; the runtime gets a fake clock per cell.
    const e = await startEnsEnv(systemClock);
    const reseed = () => void e.ens.admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
    return { emulator: e.emulator, env: e.env, reseed, stop: () => stopEnsEnv(e) };
  },
  inputs: () => ensPool(),
  updated: () => {
    const p = ensPool();
    p.scalingGroup.imageId = "m-new";
    p.scalingGroup.desiredSize = 3;
    return p;
  },
  cloudIds: (e) => ensAdmin(e).pools(ENS_CLUSTER).map((p) => `${ENS_CLUSTER}:${p.NodepoolInfo.NodepoolId}`),
  facts(e, id) {
    const p = ensAdmin(e).pools(ENS_CLUSTER).find((x) => `${ENS_CLUSTER}:${x.NodepoolInfo.NodepoolId}` === id);
    if (!p) return undefined;
    return { name: p.NodepoolInfo.Name, imageId: p.ScalingGroup.ImageId, totalNodes: p.Status.TotalNodes, state: p.Status.State };
  },
  expectedFacts: (i) => ({
    name: get(i, "nodepoolInfo.name"),
    imageId: get(i, "scalingGroup.imageId"),
    totalNodes: get(i, "scalingGroup.desiredSize"),
    state: "active",
  }),
};

function ensAdmin(e: DriverEnv) {
  return e.emulator.service<EnsService>("ens").admin;
}

// ---- eflo (the handler test has its own setup; the same one, as a function) ------------------------------------------

export const EFLO_CLUSTER = "i118191731740041623425";
export const EFLO_REGION = "cn-wulanchabu";

export function efloGroup(name = "gpu"): Record<string, any> {
  return {
    clusterId: EFLO_CLUSTER,
    nodeGroup: {
      az: "cn-wulanchabu-b",
      nodeGroupName: name,
      machineType: "efg2.C48cNHmcn",
      imageId: "i-image-1",
      userData: "#!/bin/sh\necho ready",
      systemDisk: { size: 1000, category: "cloud_essd" },
      keyPairName: "ml-team",
      ramRoleName: "lingjun-role",
    },
    nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
  };
}

const efloAdmin = (e: DriverEnv): EfloAdmin => e.emulator.service<EfloNodeGroupService>("eflo").admin;

const eflo: Driver = {
  key: "eflo",
  handlers: efloNodeGroupHandlers,
  async start() {
    const emulator = await CloudEmulator.start();
    const env = {
      NODEPOOLS_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      ALICLOUD_REGION: EFLO_REGION,
    };
    const e: DriverEnv = {
      emulator,
      env,
      reseed: () => void efloAdmin(e).seedCluster({ clusterId: EFLO_CLUSTER, region: EFLO_REGION, name: "lingjun-a" }),
      stop: async () => {
        setRuntimeOverrides({});
        await emulator.stop();
      },
    };
    e.reseed();
    return e;
  },
  inputs: () => efloGroup(),
  updated: () => {
    const p = efloGroup("gpu-renamed");
    p.nodeGroup.imageId = "i-image-2";
    return p;
  },
  cloudIds: (e) => efloAdmin(e).groups(EFLO_CLUSTER).map((g) => `${EFLO_CLUSTER}:${g.NodeGroupId}`),
  facts(e, id) {
    const g = efloAdmin(e).groups(EFLO_CLUSTER).find((x) => `${EFLO_CLUSTER}:${x.NodeGroupId}` === id);
    return g ? { name: g.NodeGroupName, imageId: g.ImageId } : undefined;
  },
  expectedFacts: (i) => ({ name: get(i, "nodeGroup.nodeGroupName"), imageId: get(i, "nodeGroup.imageId") }),
};

// ---- Batch Compute -------------------------------------------------------------------------------------------------

const batchcompute: Driver = {
  key: "batchcompute",
  handlers: batchComputeClusterHandlers,
  async start() {
    const e = await startBcEnv();
    return { emulator: e.emulator, env: e.env, reseed: () => undefined, stop: () => stopBcEnv(e) };
  },
  inputs: () => baseCluster(),
  updated: () => ({ ...baseCluster(), groups: { workers: { desiredVmCount: 3, resourceType: "OnDemand" } } }),
  cloudIds: (e) => bcAdmin(e).clusters().map((c) => c.Id),
  facts(e, id) {
    const c = bcAdmin(e).clusters().find((x) => x.Id === id);
    if (!c) return undefined;
    return { name: c.Name, desiredVmCount: get(c, "Groups.workers.DesiredVMCount"), actualVmCount: get(c, "Groups.workers.ActualVMCount"), state: c.State };
  },
  expectedFacts: (i) => ({
    name: i.name,
    desiredVmCount: get(i, "groups.workers.desiredVmCount"),
    actualVmCount: get(i, "groups.workers.desiredVmCount"),
    state: "Active",
  }),
};

function bcAdmin(e: DriverEnv) {
  return e.emulator.service<BatchComputeService>("batchcompute").admin;
}

// ---- ModelArts -----------------------------------------------------------------------------------------------------

const modelarts: Driver = {
  key: "modelarts",
  handlers: modelArtsNodePoolHandlers,
  async start() {
    const e = await startModelArtsEnv();
    return { emulator: e.emulator, env: e.env, reseed: () => void e.admin.seedPool({ poolName: POOL }), stop: () => stopModelArtsEnv(e) };
  },
  inputs: () => baseNodePool(),
  updated: () => {
    const p = baseNodePool();
    Object.assign(p.spec.resources, { count: 3, azs: [{ az: "cn-north-4a", count: 3 }] });
    return p;
  },
  cloudIds: (e) => maAdmin(e).nodePools({ poolName: POOL }).map((np) => `${POOL}/${np.metadata.name}`),
  facts(e, id) {
    const np = maAdmin(e).nodePools({ poolName: POOL }).find((x) => `${POOL}/${x.metadata.name}` === id);
    if (!np) return undefined;
    return { count: np.spec.resources.count, available: np.status.resources.available?.count ?? 0 };
  },
  expectedFacts: (i) => ({ count: get(i, "spec.resources.count"), available: get(i, "spec.resources.count") }),
};

function maAdmin(e: DriverEnv) {
  return e.emulator.service<ModelArtsService>("modelarts").admin;
}

export const DRIVERS: Record<ResourceMatrix["key"], Driver> = { ack, ens, eflo, batchcompute, modelarts };
