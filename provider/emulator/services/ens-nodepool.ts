/**
 * ENS (`ens`, API 2017-11-10, RPC, signature V3) edge-cluster node pools.
 *
 * Operations: CreateClusterNodePool, DescribeClusterNodePools (paged, no node-pool filter), ModifyClusterNodePool,
 * ScaleClusterNodePool (scale-out only: `Body.Count` is the new total and must exceed the current node count),
 * DeleteClusterNodePool. Parameters come from the query (the ENS SDK) or a form body; the object parameters
 * (NodepoolInfo, ScalingGroup, KubernetesConfig, Body) are JSON strings. Shapes follow the ENS API reference and the
 * SDK models (`@alicloud/ens20171110`); see the cloud-apis reference §4.2 and the IaC anchors A2.
 *
 * Lifecycle: creating, scaling out and deleting a pool are one {@link ManagedState} each (model "ens.nodepool"). While
 * one runs the pool shows a documented busy state (`scaling`, or `removing_nodes` while a deleted pool releases its
 * nodes) and refuses other changes; settled pools are `active`. A create made to fail (admin `failNextCreate`)
 * settles `active` with failed nodes, the way ENS reports nodes that did not come up.
 *
 * The pool's password is stored and answered masked ("************"), as DescribeClusterNodePools does. ENS states no
 * node-pool not-found code; the codes and messages marked "emulator" are this emulator's choice.
 */
import { acs3Authenticator } from "../auth";
import {
  AccountRegionStore,
  AdminRoute,
  ApiError,
  EmulatedService,
  EmulatorRuntime,
  OperationContext,
  OperationResult,
  PendingChange,
  ServiceDefinition,
  adminRoutes,
  deepMerge,
  dropChange,
  hex,
  isBusy,
  isPlainObject,
  jsonParam,
  rpcErrorBody,
  seedOnce,
  startChange,
} from "../framework";

export const ENS_SERVICE = "ens";
export const ENS_PRODUCT = "ens";
export const ENS_VERSION = "2017-11-10";
/** Progression model of node-pool creation, scale-out and deletion. */
export const ENS_MODEL = "ens.nodepool";
/** How DescribeClusterNodePools shows a password (the SDK model's example). */
export const ENS_MASKED_PASSWORD = "************";
/** The documented system disk categories of CreateClusterNodePool. */
export const ENS_SYSTEM_DISK_CATEGORIES = ["local_ssd", "local_hdd", "cloud_efficiency", "cloud_ssd"] as const;
/** Actions documented at 10 calls per second per user (use with `setRateLimit({ service: "ens", perSecond: 10, actions })`). */
export const ENS_RATE_LIMITED_ACTIONS = ["CreateClusterNodePool", "ScaleClusterNodePool", "DeleteClusterNodePool"] as const;
/** The ENS region new seeded clusters are in (the API reference's example). */
export const ENS_DEFAULT_REGION = "cn-guiyang-14";
/** ENS is a central service: state is kept per account under this one region key. */
const CENTRAL = "central";
const MAX_PAGE_SIZE = 100; // emulator

export const ENS_MESSAGES = {
  missing: (name: string) => `The input parameter ${name} that is mandatory for processing this request is not supplied.`,
  clusterNotFound: (id: string) => `The specified ClusterId ${id} does not exist.`, // emulator
  nodePoolNotFound: (id: string) => `The specified node pool ${id} does not exist.`, // emulator
  unknownParameter: (where: string) => `The parameter ${where} is not supported by this action.`, // emulator
  diskSize: (where: string, v: unknown) => `The parameter ${where} must be an integer of at least 20 and a multiple of 10 (GB), got ${JSON.stringify(v)}.`,
  systemDiskCategory: (v: unknown) =>
    `The parameter ScalingGroup.SystemDiskCategory must be one of ${ENS_SYSTEM_DISK_CATEGORIES.join(", ")}, got ${JSON.stringify(v)}.`,
  loginEither: "You must specify either ScalingGroup.KeyPairName or ScalingGroup.Password.",
  loginBoth: "ScalingGroup.KeyPairName and ScalingGroup.Password cannot both be set.", // emulator
  busy: (id: string, state: string) => `The node pool ${id} is ${state}; retry when it is active.`, // emulator
  countNotAbove: (count: unknown, current: number) =>
    `The parameter Body.Count (${JSON.stringify(count)}) must be greater than the current number of nodes in the pool (${current}).`,
  failedNodes: (id: string, n: number) => `The node pool ${id} has ${n} failed node(s); remove them with DeleteClusterNodes before scaling out.`,
} as const;

/** Values the server fills in when the create leaves them out (emulator; never drift for the package). */
export const ENS_SERVER_DEFAULTS = {
  InstanceChargeType: "PostPaid",
  SystemDiskCategory: "cloud_efficiency",
  SystemDiskSize: 40,
} as const;

const SCALING_GROUP_CREATE_KEYS = [
  "DesiredSize", "KeyPairName", "VswitchIds", "InstanceChargeType", "InstanceTypes", "SystemDiskCategory", "SystemDiskSize", "ImageId", "DataDisks", "Password",
];
/** ModifyClusterNodePoolRequest: no DesiredSize (that is ScaleClusterNodePool). */
const SCALING_GROUP_MODIFY_KEYS = SCALING_GROUP_CREATE_KEYS.filter((k) => k !== "DesiredSize");
const KUBERNETES_CONFIG_KEYS = ["PreUserData", "UserData"];

export interface EnsPoolStatus {
  State: "active" | "scaling" | "removing_nodes" | string;
  TotalNodes: number;
  DesiredNodes: number;
  ServingNodes: number;
  InitialNodes: number;
  RemovingNodes: number;
  FailedNodes: number;
}

/** A pool's mutable record, handed to `mutatePool` for out-of-band changes (PascalCase, as on the wire). */
export interface EnsPoolState {
  readonly accountId: string;
  readonly clusterId: string;
  readonly ensRegionId: string;
  readonly nodepoolId: string;
  name: string;
  /** As sent (Password in clear), without DesiredSize (see `status.DesiredNodes`). */
  scalingGroup: Record<string, any>;
  kubernetesConfig: Record<string, any>;
  status: EnsPoolStatus;
}

/** A pool as DescribeClusterNodePools returns it. */
export type EnsPool = {
  ClusterId: string;
  NodepoolInfo: { Name: string; EnsRegionId: string; NodepoolId: string };
  ScalingGroup: Record<string, any>;
  KubernetesConfig: Record<string, any>;
  Status: EnsPoolStatus;
};

export interface EnsClusterInfo {
  clusterId: string;
  accountId: string;
  ensRegionId: string;
  name: string;
}

export interface EnsSeed {
  clusterId: string;
  ensRegionId?: string;
  accountId?: string;
  name?: string;
}

export interface EnsAdmin {
  /** Adds an ENS edge cluster (ids look like `eck-d2666c5f`); idempotent. */
  seedCluster(seed: EnsSeed): EnsClusterInfo;
  clusters(): EnsClusterInfo[];
  /** Pools as DescribeClusterNodePools shows them (without counting as a poll). */
  pools(clusterId?: string): EnsPool[];
  /** Removes a pool out of band (someone deleted it in the console). */
  deletePool(clusterId: string, nodepoolId: string): void;
  /** Changes a pool out of band (drift, failed nodes). */
  mutatePool(clusterId: string, nodepoolId: string, patch: (p: EnsPoolState) => void): void;
  /** The next created pool settles `active` with `failedNodes` (default: all of its desired nodes) failed. */
  failNextCreate(opts?: { failedNodes?: number }): void;
  /** Manual progression: moves every busy pool one step. */
  advance(): number;
}

// ---------------------------------------------------------------------------------------------------------------

interface Cluster extends EnsClusterInfo {
  pools: Map<string, PoolRecord>;
}

class PoolRecord implements EnsPoolState {
  pending?: PendingChange<{ kind: "create" | "scale" | "delete" }>;
  constructor(
    readonly accountId: string,
    readonly clusterId: string,
    readonly ensRegionId: string,
    readonly nodepoolId: string,
    public name: string,
    public scalingGroup: Record<string, any>,
    public kubernetesConfig: Record<string, any>,
    public status: EnsPoolStatus,
  ) {}
}

function invalid(message: string, code = "InvalidParameter"): never {
  throw new ApiError(400, code, message);
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

function settled(desired: number, failed = 0): EnsPoolStatus {
  return {
    State: "active",
    TotalNodes: desired,
    DesiredNodes: desired,
    ServingNodes: desired - failed,
    InitialNodes: 0,
    RemovingNodes: 0,
    FailedNodes: failed,
  };
}

function checkKeys(obj: Record<string, any>, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) invalid(ENS_MESSAGES.unknownParameter(`${where}.${k}`));
}

function checkIdList(v: unknown, where: string): void {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== "string" || x === "")) {
    invalid(`The parameter ${where} must be a non-empty list of non-empty strings.`);
  }
}

function checkDiskSize(v: unknown, where: string): void {
  if (!isInt(v) || v < 20 || v % 10 !== 0) invalid(ENS_MESSAGES.diskSize(where, v));
}

/**
 * The documented rules of a scaling group: required members on create, disk sizes (at least 20 GB, multiples of 10),
 * system disk categories, and exactly one of KeyPairName and Password. Also run on the merged result of a Modify.
 */
export function validateEnsScalingGroup(sg: Record<string, any>, opts: { create: boolean }): void {
  checkKeys(sg, opts.create ? SCALING_GROUP_CREATE_KEYS : SCALING_GROUP_MODIFY_KEYS, "ScalingGroup");
  if (opts.create) {
    for (const k of ["VswitchIds", "InstanceTypes", "ImageId"]) {
      if (sg[k] === undefined || sg[k] === null || sg[k] === "") invalid(ENS_MESSAGES.missing(`ScalingGroup.${k}`), "MissingParameter");
    }
  }
  if (sg.VswitchIds !== undefined) checkIdList(sg.VswitchIds, "ScalingGroup.VswitchIds");
  if (sg.InstanceTypes !== undefined) checkIdList(sg.InstanceTypes, "ScalingGroup.InstanceTypes");
  if (sg.ImageId !== undefined && (typeof sg.ImageId !== "string" || sg.ImageId === "")) invalid("The parameter ScalingGroup.ImageId must be a non-empty string.");
  if (sg.InstanceChargeType !== undefined && sg.InstanceChargeType !== "PrePaid" && sg.InstanceChargeType !== "PostPaid") {
    invalid(`The parameter ScalingGroup.InstanceChargeType must be PrePaid or PostPaid, got ${JSON.stringify(sg.InstanceChargeType)}.`); // emulator
  }
  if (sg.SystemDiskCategory !== undefined && !(ENS_SYSTEM_DISK_CATEGORIES as readonly unknown[]).includes(sg.SystemDiskCategory)) {
    invalid(ENS_MESSAGES.systemDiskCategory(sg.SystemDiskCategory));
  }
  if (sg.SystemDiskSize !== undefined) checkDiskSize(sg.SystemDiskSize, "ScalingGroup.SystemDiskSize");
  if (sg.DataDisks !== undefined) {
    if (!Array.isArray(sg.DataDisks)) invalid("The parameter ScalingGroup.DataDisks must be a list.");
    sg.DataDisks.forEach((d: unknown, i: number) => {
      const where = `ScalingGroup.DataDisks.${i + 1}`;
      if (!isPlainObject(d)) invalid(`The parameter ${where} must be an object.`);
      checkKeys(d, ["Category", "Size"], where);
      if (d.Category !== undefined && (typeof d.Category !== "string" || d.Category === "")) invalid(`The parameter ${where}.Category must be a non-empty string.`);
      if (d.Size !== undefined) checkDiskSize(d.Size, `${where}.Size`);
    });
  }
  if (sg.DesiredSize !== undefined && (!isInt(sg.DesiredSize) || sg.DesiredSize < 0)) {
    invalid(`The parameter ScalingGroup.DesiredSize must be an integer of at least 0, got ${JSON.stringify(sg.DesiredSize)}.`);
  }
  for (const k of ["KeyPairName", "Password"]) {
    if (sg[k] !== undefined && (typeof sg[k] !== "string" || sg[k] === "")) invalid(`The parameter ScalingGroup.${k} must be a non-empty string.`);
  }
  const hasKey = typeof sg.KeyPairName === "string";
  const hasPassword = typeof sg.Password === "string";
  if (hasKey && hasPassword) invalid(ENS_MESSAGES.loginBoth);
  if (!hasKey && !hasPassword) invalid(ENS_MESSAGES.loginEither);
}

function validateKubernetesConfig(kc: Record<string, any>): void {
  checkKeys(kc, KUBERNETES_CONFIG_KEYS, "KubernetesConfig");
  for (const k of KUBERNETES_CONFIG_KEYS) {
    if (kc[k] !== undefined && typeof kc[k] !== "string") invalid(`The parameter KubernetesConfig.${k} must be a string.`);
  }
}

export class EnsService implements EmulatedService {
  readonly definition: ServiceDefinition;
  readonly adminRoutes: AdminRoute[];
  readonly admin: EnsAdmin;
  private readonly store = new AccountRegionStore<Map<string, Cluster>>(() => new Map());
  private failNext: { failedNodes?: number } | undefined;

  constructor(private readonly rt: EmulatorRuntime) {
    this.definition = {
      name: ENS_SERVICE,
      product: ENS_PRODUCT,
      version: ENS_VERSION,
      style: "RPC",
      authenticate: acs3Authenticator,
      renderError: rpcErrorBody,
      unimplementedActions: ["DeleteClusterNodes", "AttachInstancesToNodePool", "DescribeClusterNodes"],
      operations: [
        { action: "CreateClusterNodePool", handler: (c) => this.create(c) },
        { action: "DescribeClusterNodePools", handler: (c) => this.list(c) },
        { action: "ModifyClusterNodePool", handler: (c) => this.modify(c) },
        { action: "ScaleClusterNodePool", handler: (c) => this.scale(c) },
        { action: "DeleteClusterNodePool", handler: (c) => this.remove(c) },
      ],
    };
    this.admin = {
      seedCluster: (seed) => this.seedCluster(seed),
      clusters: () => this.allClusters().map(clusterInfo),
      pools: (clusterId) => this.adminPools(clusterId),
      deletePool: (clusterId, nodepoolId) => this.adminDeletePool(clusterId, nodepoolId),
      mutatePool: (clusterId, nodepoolId, patch) => this.adminMutatePool(clusterId, nodepoolId, patch),
      failNextCreate: (opts) => {
        this.failNext = { ...(opts ?? {}) };
      },
      advance: () => rt.tracker.advance(ENS_MODEL),
    };
    this.adminRoutes = [
      ...adminRoutes.seeding<EnsSeed>("/clusters", () => this.admin.clusters(), (seed) => this.seedCluster(seed)),
      { method: "GET", path: "/pools", handler: ({ query }) => this.admin.pools(query.clusterId) },
      adminRoutes.removal("/pools/{ClusterId}/{NodepoolId}", "NodepoolId", (params) => this.admin.deletePool(params.ClusterId, params.NodepoolId)),
      adminRoutes.mutation(
        "/pools/{ClusterId}/{NodepoolId}",
        "an object like {ScalingGroup?: {...}, KubernetesConfig?: {...}, Status?: {...}}",
        ({ params, body }) => {
          this.admin.mutatePool(params.ClusterId, params.NodepoolId, (p) => {
            if (isPlainObject(body.ScalingGroup)) deepMerge(p.scalingGroup, body.ScalingGroup);
            if (isPlainObject(body.KubernetesConfig)) deepMerge(p.kubernetesConfig, body.KubernetesConfig);
            if (isPlainObject(body.Status)) deepMerge(p.status, body.Status);
          });
          return this.admin.pools(params.ClusterId).find((p) => p.NodepoolInfo.NodepoolId === params.NodepoolId);
        },
      ),
      adminRoutes.trigger("/fail-next-create", (body) => this.admin.failNextCreate(isPlainObject(body) && isInt(body.failedNodes) ? { failedNodes: body.failedNodes } : undefined)),
      adminRoutes.advance(() => this.admin.advance()),
    ];
  }

  reset(): void {
    this.store.reset();
    this.failNext = undefined;
  }

  seedCluster(seed: EnsSeed): EnsClusterInfo {
    if (!seed || typeof seed.clusterId !== "string" || seed.clusterId === "") throw new Error("seedCluster needs a clusterId");
    const accountId = seed.accountId ?? this.rt.defaultAccount.accountId;
    const cluster = seedOnce(this.store, { accountId, region: CENTRAL }, seed.clusterId, (clusters) => clusters, (): Cluster => ({
      clusterId: seed.clusterId,
      accountId,
      ensRegionId: seed.ensRegionId ?? ENS_DEFAULT_REGION,
      name: seed.name ?? `emulated-${seed.clusterId}`,
      pools: new Map(),
    }));
    return clusterInfo(cluster);
  }

  // ---- lookups ------------------------------------------------------------------------------------------------

  private allClusters(): Cluster[] {
    return this.store.all().flatMap(({ backend }) => [...backend.values()]);
  }

  private required(ctx: OperationContext, name: string): string {
    const v = ctx.params[name];
    if (v === undefined || v === "") invalid(ENS_MESSAGES.missing(name), "MissingParameter");
    return v;
  }

  private object(ctx: OperationContext, name: string, required: boolean): Record<string, any> | undefined {
    const v = jsonParam(ctx, name);
    if (v === undefined || v === null) {
      if (required) invalid(ENS_MESSAGES.missing(name), "MissingParameter");
      return undefined;
    }
    if (!isPlainObject(v)) invalid(`The parameter ${name} must be a JSON object.`);
    return v;
  }

  private findCluster(ctx: OperationContext): Cluster {
    this.rt.tracker.sweep();
    const id = this.required(ctx, "ClusterId");
    const cluster = this.store.get(ctx.account.accountId, CENTRAL).get(id);
    if (!cluster) throw new ApiError(404, "InvalidClusterId.NotFound", ENS_MESSAGES.clusterNotFound(id));
    return cluster;
  }

  private findPool(cluster: Cluster, nodepoolId: string): PoolRecord {
    const pool = cluster.pools.get(nodepoolId);
    if (!pool) throw new ApiError(404, "InvalidNodepoolId.NotFound", ENS_MESSAGES.nodePoolNotFound(nodepoolId));
    return pool;
  }

  private assertIdle(pool: PoolRecord): void {
    if (isBusy(pool)) throw new ApiError(400, "IncorrectNodePoolStatus", ENS_MESSAGES.busy(pool.nodepoolId, pool.status.State));
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------------

  /** Shows `busy` until the change settles, then runs `apply`. */
  private start(pool: PoolRecord, kind: "create" | "scale" | "delete", busy: EnsPoolStatus, apply: () => void): void {
    pool.status = busy;
    startChange(this.rt, ENS_MODEL, pool, { kind }, apply);
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private create(ctx: OperationContext): OperationResult {
    const cluster = this.findCluster(ctx);
    const info = this.object(ctx, "NodepoolInfo", true)!;
    checkKeys(info, ["Name"], "NodepoolInfo");
    if (typeof info.Name !== "string" || info.Name.trim() === "") invalid(ENS_MESSAGES.missing("NodepoolInfo.Name"), "MissingParameter");
    const sg = this.object(ctx, "ScalingGroup", true)!;
    validateEnsScalingGroup(sg, { create: true });
    const kc = this.object(ctx, "KubernetesConfig", false) ?? {};
    validateKubernetesConfig(kc);

    const desired = isInt(sg.DesiredSize) ? sg.DesiredSize : 0;
    const stored = structuredClone(sg);
    delete stored.DesiredSize;
    const pool = new PoolRecord(
      cluster.accountId,
      cluster.clusterId,
      cluster.ensRegionId,
      `np${hex(16)}`,
      info.Name,
      stored,
      structuredClone(kc),
      settled(0),
    );
    cluster.pools.set(pool.nodepoolId, pool);
    const failure = this.failNext;
    this.failNext = undefined;
    const failed = failure ? Math.min(desired, failure.failedNodes ?? desired) : 0;
    this.start(pool, "create", { ...settled(desired), State: "scaling", ServingNodes: 0, InitialNodes: desired }, () => {
      pool.status = settled(desired, failed);
    });
    return { body: { Nodepool: this.view(cluster, pool), RequestId: ctx.req.requestId } };
  }

  private list(ctx: OperationContext): OperationResult {
    const cluster = this.findCluster(ctx);
    const page = this.pageParam(ctx, "PageNumber");
    const size = this.pageParam(ctx, "PageSize");
    if (size > MAX_PAGE_SIZE) invalid(`The parameter PageSize must be at most ${MAX_PAGE_SIZE}, got ${size}.`); // emulator
    for (const p of [...cluster.pools.values()]) p.pending?.op.observe();
    const all = [...cluster.pools.values()];
    const items = all.slice((page - 1) * size, page * size).map((p) => this.view(cluster, p));
    return {
      body: {
        NodePools: items,
        Page: { PageNumber: page, PageSize: size, TotalCount: all.length },
        RequestId: ctx.req.requestId,
      },
    };
  }

  private pageParam(ctx: OperationContext, name: string): number {
    const raw = this.required(ctx, name);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) invalid(`The parameter ${name} must be a positive integer, got ${JSON.stringify(raw)}.`);
    return n;
  }

  private modify(ctx: OperationContext): OperationResult {
    const cluster = this.findCluster(ctx);
    const info = this.object(ctx, "NodepoolInfo", true)!;
    checkKeys(info, ["NodepoolId"], "NodepoolInfo");
    if (typeof info.NodepoolId !== "string" || info.NodepoolId === "") invalid(ENS_MESSAGES.missing("NodepoolInfo.NodepoolId"), "MissingParameter");
    const pool = this.findPool(cluster, info.NodepoolId);
    const sg = this.object(ctx, "ScalingGroup", false);
    const kc = this.object(ctx, "KubernetesConfig", false);
    if (sg) checkKeys(sg, SCALING_GROUP_MODIFY_KEYS, "ScalingGroup");
    if (kc) validateKubernetesConfig(kc);
    this.assertIdle(pool);

    const nextSg = structuredClone(pool.scalingGroup);
    if (sg) {
      // Switching the login method replaces the other one.
      if (sg.Password !== undefined) delete nextSg.KeyPairName;
      if (sg.KeyPairName !== undefined) delete nextSg.Password;
      for (const [k, v] of Object.entries(sg)) if (v !== undefined && v !== null) nextSg[k] = structuredClone(v);
    }
    validateEnsScalingGroup(nextSg, { create: false });
    pool.scalingGroup = nextSg;
    if (kc) pool.kubernetesConfig = { ...pool.kubernetesConfig, ...structuredClone(kc) };
    return { body: { RequestId: ctx.req.requestId } };
  }

  private scale(ctx: OperationContext): OperationResult {
    const cluster = this.findCluster(ctx);
    const pool = this.findPool(cluster, this.required(ctx, "NodepoolId"));
    const body = this.object(ctx, "Body", true)!;
    checkKeys(body, ["Count"], "Body");
    if (body.Count === undefined || body.Count === null) invalid(ENS_MESSAGES.missing("Body.Count"), "MissingParameter");
    this.assertIdle(pool);
    const current = pool.status.TotalNodes;
    if (!isInt(body.Count) || body.Count <= current) invalid(ENS_MESSAGES.countNotAbove(body.Count, current), "InvalidParameter.Count");
    if (pool.status.FailedNodes > 0) throw new ApiError(400, "IncorrectNodePoolStatus", ENS_MESSAGES.failedNodes(pool.nodepoolId, pool.status.FailedNodes));
    const count = body.Count;
    this.start(pool, "scale", { ...settled(count), State: "scaling", ServingNodes: pool.status.ServingNodes, InitialNodes: count - current }, () => {
      pool.status = settled(count);
    });
    return { body: { RequestId: ctx.req.requestId } };
  }

  private remove(ctx: OperationContext): OperationResult {
    const cluster = this.findCluster(ctx);
    const pool = this.findPool(cluster, this.required(ctx, "NodepoolId"));
    this.assertIdle(pool);
    const total = pool.status.TotalNodes;
    this.start(pool, "delete", { ...pool.status, State: "removing_nodes", RemovingNodes: total }, () => {
      cluster.pools.delete(pool.nodepoolId);
    });
    return { body: { RequestId: ctx.req.requestId } };
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  private view(cluster: Cluster, pool: PoolRecord): EnsPool {
    const sg: Record<string, any> = { ...ENS_SERVER_DEFAULTS, DataDisks: [], ...structuredClone(pool.scalingGroup) };
    if (sg.Password !== undefined) sg.Password = ENS_MASKED_PASSWORD;
    return {
      ClusterId: cluster.clusterId,
      NodepoolInfo: { Name: pool.name, EnsRegionId: pool.ensRegionId, NodepoolId: pool.nodepoolId },
      ScalingGroup: sg,
      KubernetesConfig: structuredClone(pool.kubernetesConfig),
      Status: { ...pool.status },
    };
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  private adminFind(clusterId: string, nodepoolId: string): { cluster: Cluster; pool: PoolRecord } {
    const cluster = this.allClusters().find((c) => c.clusterId === clusterId);
    if (!cluster) throw new Error(`no ENS cluster ${clusterId}`);
    const pool = cluster.pools.get(nodepoolId);
    if (!pool) throw new Error(`no node pool ${nodepoolId} in ENS cluster ${clusterId}`);
    return { cluster, pool };
  }

  private adminPools(clusterId?: string): EnsPool[] {
    this.rt.tracker.sweep();
    return this.allClusters()
      .filter((c) => clusterId === undefined || c.clusterId === clusterId)
      .flatMap((c) => [...c.pools.values()].map((p) => this.view(c, p)));
  }

  private adminDeletePool(clusterId: string, nodepoolId: string): void {
    const { cluster, pool } = this.adminFind(clusterId, nodepoolId);
    dropChange(pool);
    cluster.pools.delete(nodepoolId);
  }

  private adminMutatePool(clusterId: string, nodepoolId: string, patch: (p: EnsPoolState) => void): void {
    this.rt.tracker.sweep();
    const { pool } = this.adminFind(clusterId, nodepoolId);
    patch(pool);
  }
}

function clusterInfo(c: Cluster): EnsClusterInfo {
  return { clusterId: c.clusterId, accountId: c.accountId, ensRegionId: c.ensRegionId, name: c.name };
}

export function createEnsService(rt: EmulatorRuntime): EnsService {
  return new EnsService(rt);
}
