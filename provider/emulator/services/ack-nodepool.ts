/**
 * ACK (`cs`, API 2015-12-15, ROA, signature V3) node pools and tasks.
 *
 * Operations: CreateClusterNodePool, DescribeClusterNodePoolDetail, DescribeClusterNodePools, ModifyClusterNodePool,
 * ModifyNodePoolNodeConfig, ScaleClusterNodePool, DeleteClusterNodepool, DescribeTaskInfo. Shapes follow the ACK API
 * reference and the official TS SDK models (`@alicloud/cs20151215`); see the cloud-apis reference §4.1 and the IaC
 * anchors A1.
 *
 * Lifecycle: every change is a task. The task and the pool share one {@link ManagedState} (model "ack.nodepool",
 * alias "ack.task"): polling either one counts as a poll, and the pool leaves its busy state (initial, updating,
 * scaling, removing, deleting) exactly when its task leaves `running`.
 *
 * Codes and messages marked "emulator" are this emulator's choice where the real text is not documented.
 */
import {
  AccountRegionStore,
  AdminRoute,
  ApiError,
  EmulatedService,
  EmulatorRuntime,
  ManagedState,
  OperationContext,
  OperationResult,
  PendingChange,
  ServiceDefinition,
  adminRoutes,
  deepMerge,
  hex,
  isBusy,
  isPlainObject,
  roaErrorBody,
  seedOnce,
  startChange,
} from "../framework";
import { acs3Authenticator } from "../auth";

export const ACK_SERVICE = "ack";
export const ACK_PRODUCT = "cs";
export const ACK_VERSION = "2015-12-15";
/** Progression model of node-pool changes and their tasks. */
export const ACK_MODEL = "ack.nodepool";
/** Another name for {@link ACK_MODEL}: tasks and pools move together. */
export const ACK_TASK_MODEL = "ack.task";
export const ACK_DEFAULT_REGION = "cn-hangzhou";

export const ACK_MESSAGES = {
  /** Verbatim shape from aliyun/terraform-provider-alicloud#6502 ("Code: InvalidParameter.Name"). */
  nameTaken: (name: string, clusterId: string) => `nodepool name ${name} is already exist in cluster ${clusterId}.`,
  clusterNotFound: (id: string) => `cluster ${id} not found`, // emulator
  nodePoolNotFound: (id: string) => `nodepool ${id} not found`, // emulator
  taskNotFound: (id: string) => `task ${id} not found`, // emulator
  busy: (id: string, state: string, taskId: string) => `nodepool ${id} is ${state}; wait for task ${taskId} to finish`, // emulator
  notEmpty: (id: string, n: number) => `nodepool ${id} still has ${n} node(s); remove them first or delete with force=true`, // emulator
  autoScalingTypeImmutable: "auto_scaling.type cannot be modified after the node pool is created", // emulator
  defaultCreateFailure: "failed to create the ECS instances of the node pool: the requested instance types are out of stock (emulated failure)",
} as const;

/** Values the server fills in when the request leaves them out (the package must not see them as drift). */
export const ACK_SERVER_DEFAULTS = {
  nodepool_info: { type: "ess", is_default: false },
  scaling_group: {
    instance_charge_type: "PostPaid",
    system_disk_category: "cloud_efficiency",
    system_disk_size: 120,
    image_type: "AliyunLinux3",
    image_id: "aliyun_3_x64_20G_alibase_20250117.vhd",
    multi_az_policy: "PRIORITY",
    scaling_policy: "release",
    spot_strategy: "NoSpot",
    data_disks: [] as unknown[],
    tags: [] as unknown[],
    login_as_non_root: false,
    security_hardening_os: false,
    soc_enabled: false,
  },
  kubernetes_config: {
    runtime: "containerd",
    runtime_version: "1.6.38",
    cpu_policy: "none",
    cms_enabled: false,
    unschedulable: false,
    labels: [] as unknown[],
    taints: [] as unknown[],
  },
  management: { enable: false },
  auto_scaling: { enable: false, type: "cpu", max_instances: 0, min_instances: 0, is_bond_eip: false },
  tee_config: { tee_enable: false },
} as const;

/** Sections a Create or Modify body may carry and the pool stores. */
const CONFIG_SECTIONS = ["nodepool_info", "scaling_group", "kubernetes_config", "management", "auto_scaling", "tee_config"] as const;
/** Further top-level Create fields stored and returned as sent. */
const CREATE_PASSTHROUGH = ["node_config", "auto_mode", "eflo_node_group", "interconnect_config", "interconnect_mode", "host_network", "intranet", "max_nodes", "node_components"] as const;

export type AckPoolStateName = "initial" | "active" | "failed" | "scaling" | "updating" | "removing" | "deleting" | string;

export interface AckPoolStatus {
  state: AckPoolStateName;
  total_nodes: number;
  serving_nodes: number;
  healthy_nodes: number;
  initial_nodes: number;
  removing_nodes: number;
  failed_nodes: number;
  offline_nodes: number;
}

/** A pool's mutable record, handed to `mutatePool` for out-of-band changes. */
export interface AckPoolState {
  readonly accountId: string;
  readonly clusterId: string;
  readonly regionId: string;
  readonly nodepoolId: string;
  readonly scalingGroupId: string;
  /** The stored configuration: the Create body's sections, snake_case as sent, merged by Modify. */
  config: Record<string, any>;
  status: AckPoolStatus;
  created: string;
  updated: string;
}

/** A pool as DescribeClusterNodePoolDetail returns it (plus `cluster_id` in admin listings). */
export type AckPool = Record<string, any> & {
  nodepool_info: Record<string, any>;
  scaling_group: Record<string, any>;
  status: AckPoolStatus;
  cluster_id?: string;
};

export interface AckTaskView {
  task_id: string;
  cluster_id: string;
  task_type: string;
  state: "running" | "success" | "fail";
  created: string;
  updated: string;
  target: { id: string; type: string };
  current_stage?: string;
  error?: { code: string; message: string };
  task_result?: Array<{ data: string; status: string }>;
}

export interface AckClusterInfo {
  clusterId: string;
  accountId: string;
  regionId: string;
  name: string;
}

export interface AckAdmin {
  /** Pools as DescribeClusterNodePoolDetail would show them (without counting as a poll). */
  pools(clusterId?: string): AckPool[];
  /** Removes a pool out of band (someone deleted it in the console). */
  deletePool(clusterId: string, nodepoolId: string): void;
  /** Changes a pool out of band (drift). `updated` is bumped; node counts follow a changed `desired_size`. */
  mutatePool(clusterId: string, nodepoolId: string, patch: (p: AckPoolState) => void): void;
  /** The next created pool's task ends in `fail` and the pool in state `failed` (the pool stays). */
  failNextCreate(reason?: string): void;
  /** Manual progression: moves every busy pool and task one step. */
  advance(): void;
  clusters(): AckClusterInfo[];
  tasks(): AckTaskView[];
}

// ---------------------------------------------------------------------------------------------------------------

interface Cluster extends AckClusterInfo {
  resourceGroupId: string;
  securityGroupId: string;
  pools: Map<string, PoolRecord>;
}

interface RegionBackend {
  clusters: Map<string, Cluster>;
  tasks: Map<string, TaskRecord>;
}

class PoolRecord implements AckPoolState {
  pending?: PendingChange<{ task: TaskRecord }>;
  constructor(
    readonly accountId: string,
    readonly clusterId: string,
    readonly regionId: string,
    readonly nodepoolId: string,
    readonly scalingGroupId: string,
    public config: Record<string, any>,
    public status: AckPoolStatus,
    public created: string,
    public updated: string,
  ) {}
}

class TaskRecord {
  op?: ManagedState;
  outcome: "success" | "fail" = "success";
  error?: { code: string; message: string };
  constructor(
    readonly taskId: string,
    readonly clusterId: string,
    readonly nodepoolId: string,
    readonly taskType: string,
    readonly created: string,
    public updated: string,
  ) {}
  get state(): "running" | "success" | "fail" {
    if (this.op && !this.op.settled) return "running";
    return this.outcome;
  }
  view(): AckTaskView {
    const v: AckTaskView = {
      task_id: this.taskId,
      cluster_id: this.clusterId,
      task_type: this.taskType,
      state: this.state,
      created: this.created,
      updated: this.updated,
      target: { id: this.nodepoolId, type: "nodepool" },
    };
    if (v.state === "running") v.current_stage = "running";
    if (this.error) v.error = { ...this.error };
    if (v.state !== "running") v.task_result = [{ data: this.nodepoolId, status: v.state }];
    return v;
  }
}

function desiredOf(config: Record<string, any>): number {
  const d = config.scaling_group?.desired_size;
  return typeof d === "number" && d >= 0 ? d : 0;
}

function settledStatus(state: AckPoolStateName, desired: number): AckPoolStatus {
  return {
    state,
    total_nodes: desired,
    serving_nodes: desired,
    healthy_nodes: desired,
    initial_nodes: 0,
    removing_nodes: 0,
    failed_nodes: 0,
    offline_nodes: 0,
  };
}

function invalid(message: string, code = "InvalidParameter"): never {
  throw new ApiError(400, code, message);
}

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

function checkStringArray(v: unknown, field: string, min: number, max: number): void {
  if (!Array.isArray(v) || v.length < min || v.length > max || v.some((x) => typeof x !== "string" || x === "")) {
    invalid(`${field} must be a list of ${min} to ${max} non-empty strings`);
  }
}

const PREPAID_PERIODS: Record<string, number[]> = { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Week: [1, 2, 3, 4] };

/** Checks a whole configuration (a Create body, or a pool's configuration after a Modify merge). */
export function validateAckConfig(config: Record<string, any>): void {
  const info = config.nodepool_info;
  if (info !== undefined && !isPlainObject(info)) invalid("nodepool_info must be an object");
  if (typeof info?.name !== "string" || info.name.trim() === "") invalid("nodepool_info.name is required");
  const type = info?.type ?? "ess";
  if (info?.type !== undefined && typeof info.type !== "string") invalid("nodepool_info.type must be a string");

  const sg = config.scaling_group;
  if (sg !== undefined && !isPlainObject(sg)) invalid("scaling_group must be an object");
  if (type === "ess") {
    if (!isPlainObject(sg)) invalid("scaling_group is required (scaling_group.vswitch_ids and scaling_group.instance_types)");
    checkStringArray(sg.vswitch_ids, "scaling_group.vswitch_ids", 1, 8);
    const patterns = Array.isArray(sg.instance_patterns) && sg.instance_patterns.length > 0;
    if (!patterns || sg.instance_types !== undefined) checkStringArray(sg.instance_types, "scaling_group.instance_types", 1, 10);
  }
  if (isPlainObject(sg)) {
    const charge = sg.instance_charge_type;
    if (charge !== undefined && charge !== "PrePaid" && charge !== "PostPaid") {
      invalid(`scaling_group.instance_charge_type must be PrePaid or PostPaid, got ${JSON.stringify(charge)}`);
    }
    if (charge === "PrePaid") {
      if (sg.period === undefined || sg.period === null) invalid("scaling_group.period is required when instance_charge_type is PrePaid");
      if (sg.period_unit === undefined || sg.period_unit === null) invalid("scaling_group.period_unit is required when instance_charge_type is PrePaid");
      const allowed = PREPAID_PERIODS[sg.period_unit];
      if (!allowed) invalid(`scaling_group.period_unit must be Month or Week, got ${JSON.stringify(sg.period_unit)}`);
      if (!allowed.includes(sg.period)) invalid(`scaling_group.period ${JSON.stringify(sg.period)} is not valid for period_unit ${sg.period_unit}: use one of ${allowed.join(", ")}`);
    }
    if (sg.system_disk_size !== undefined && (!isInt(sg.system_disk_size) || sg.system_disk_size < 20 || sg.system_disk_size > 2048)) {
      invalid(`scaling_group.system_disk_size must be an integer in [20, 2048], got ${JSON.stringify(sg.system_disk_size)}`);
    }
    if (sg.desired_size !== undefined && sg.desired_size !== null && (!isInt(sg.desired_size) || sg.desired_size < 0)) {
      invalid(`scaling_group.desired_size must be an integer >= 0, got ${JSON.stringify(sg.desired_size)}`);
    }
    if (sg.key_pair && sg.login_password) invalid("scaling_group.key_pair and scaling_group.login_password cannot both be set");
    const ppo = sg.private_pool_options;
    const hasPrivatePool = isPlainObject(ppo) && (!!ppo.id || !!ppo.match_criteria);
    const hasResourcePool = isPlainObject(sg.resource_pool_options) && Object.keys(sg.resource_pool_options).length > 0;
    if (hasPrivatePool && hasResourcePool) invalid("scaling_group.private_pool_options cannot be set together with scaling_group.resource_pool_options");
  }

  const as = config.auto_scaling;
  if (as !== undefined && !isPlainObject(as)) invalid("auto_scaling must be an object");
  if (isPlainObject(as)) {
    const max = as.max_instances;
    const min = as.min_instances ?? 0;
    if (min !== undefined && (!isInt(min) || min < 0)) invalid(`auto_scaling.min_instances must be an integer >= 0, got ${JSON.stringify(min)}`);
    if (max !== undefined) {
      if (!isInt(max) || max > 2000) invalid(`auto_scaling.max_instances must be an integer in [min_instances, 2000], got ${JSON.stringify(max)}`);
      if (max < min) invalid(`auto_scaling.max_instances (${max}) must not be less than auto_scaling.min_instances (${min})`);
    }
  }
}

export interface AckSeed {
  clusterId: string;
  region?: string;
  accountId?: string;
  name?: string;
}

export class AckNodePoolService implements EmulatedService {
  readonly definition: ServiceDefinition;
  readonly adminRoutes: AdminRoute[];
  readonly admin: AckAdmin;
  private readonly store = new AccountRegionStore<RegionBackend>(() => ({ clusters: new Map(), tasks: new Map() }));
  private failNext: string | undefined;

  constructor(private readonly rt: EmulatorRuntime) {
    rt.progression.alias(ACK_TASK_MODEL, ACK_MODEL);
    this.definition = {
      name: ACK_SERVICE,
      aliases: [ACK_PRODUCT],
      product: ACK_PRODUCT,
      version: ACK_VERSION,
      style: "ROA",
      authenticate: acs3Authenticator,
      renderError: roaErrorBody,
      unimplementedActions: [
        "UpgradeClusterNodepool",
        "AttachInstancesToNodePool",
        "RemoveNodePoolNodes",
        "DeleteClusterNodes",
        "RepairClusterNodePool",
        "SyncClusterNodePool",
        "DescribeClusterNodes",
        "DescribeClusterDetail",
      ],
      operations: [
        { action: "CreateClusterNodePool", method: "POST", path: "/clusters/{ClusterId}/nodepools", handler: (c) => this.create(c) },
        { action: "DescribeClusterNodePools", method: "GET", path: "/clusters/{ClusterId}/nodepools", handler: (c) => this.list(c) },
        { action: "DescribeClusterNodePoolDetail", method: "GET", path: "/clusters/{ClusterId}/nodepools/{NodepoolId}", handler: (c) => this.describe(c) },
        { action: "ModifyClusterNodePool", method: "PUT", path: "/clusters/{ClusterId}/nodepools/{NodepoolId}", handler: (c) => this.modify(c) },
        { action: "ScaleClusterNodePool", method: "POST", path: "/clusters/{ClusterId}/nodepools/{NodepoolId}", handler: (c) => this.scale(c) },
        { action: "DeleteClusterNodepool", method: "DELETE", path: "/clusters/{ClusterId}/nodepools/{NodepoolId}", handler: (c) => this.remove(c) },
        { action: "ModifyNodePoolNodeConfig", method: "PUT", path: "/clusters/{ClusterId}/nodepools/{NodepoolId}/node_config", handler: (c) => this.nodeConfig(c) },
        { action: "DescribeTaskInfo", method: "GET", path: "/tasks/{task_id}", handler: (c) => this.taskInfo(c) },
      ],
    };
    this.admin = {
      pools: (clusterId) => this.adminPools(clusterId),
      deletePool: (clusterId, nodepoolId) => this.adminDeletePool(clusterId, nodepoolId),
      mutatePool: (clusterId, nodepoolId, patch) => this.adminMutatePool(clusterId, nodepoolId, patch),
      failNextCreate: (reason) => {
        this.failNext = reason ?? ACK_MESSAGES.defaultCreateFailure;
      },
      advance: () => {
        rt.tracker.advance(ACK_MODEL);
      },
      clusters: () => this.store.all().flatMap(({ backend }) => [...backend.clusters.values()].map(clusterInfo)),
      tasks: () => this.store.all().flatMap(({ backend }) => [...backend.tasks.values()].map((t) => t.view())),
    };
    this.adminRoutes = [
      ...adminRoutes.seeding<AckSeed>("/clusters", () => this.admin.clusters(), (seed) => this.seedCluster(seed)),
      { method: "GET", path: "/pools", handler: ({ query }) => this.admin.pools(query.clusterId) },
      adminRoutes.removal("/pools/{ClusterId}/{NodepoolId}", "NodepoolId", (params) => this.admin.deletePool(params.ClusterId, params.NodepoolId)),
      adminRoutes.mutation("/pools/{ClusterId}/{NodepoolId}", "an object like {config?: {...}, status?: {...}}", ({ params, body }) => {
        this.admin.mutatePool(params.ClusterId, params.NodepoolId, (p) => {
          if (isPlainObject(body.config)) deepMerge(p.config, body.config);
          if (isPlainObject(body.status)) deepMerge(p.status, body.status);
        });
        return this.admin.pools(params.ClusterId).find((p) => p.nodepool_info.nodepool_id === params.NodepoolId);
      }),
      adminRoutes.trigger("/fail-next-create", (body) => this.admin.failNextCreate(isPlainObject(body) && typeof body.reason === "string" ? body.reason : undefined)),
      adminRoutes.advance(() => this.rt.tracker.advance(ACK_MODEL)),
      { method: "GET", path: "/tasks", handler: () => this.admin.tasks() },
    ];
  }

  reset(): void {
    this.store.reset();
    this.failNext = undefined;
  }

  seedCluster(opts: AckSeed): AckClusterInfo {
    if (!opts || typeof opts.clusterId !== "string" || opts.clusterId === "") throw new Error("seedCluster needs a clusterId");
    const accountId = opts.accountId ?? this.rt.defaultAccount.accountId;
    const region = opts.region ?? ACK_DEFAULT_REGION;
    const cluster = seedOnce(this.store, { accountId, region }, opts.clusterId, (b) => b.clusters, (): Cluster => ({
      clusterId: opts.clusterId,
      accountId,
      regionId: region,
      name: opts.name ?? `emulated-${opts.clusterId}`,
      resourceGroupId: `rg-acfm${hex(7)}`,
      securityGroupId: `sg-${hex(10)}`,
      pools: new Map(),
    }));
    return clusterInfo(cluster);
  }

  // ---- lookups ------------------------------------------------------------------------------------------------

  private now(): string {
    return new Date(this.rt.clock.now()).toISOString();
  }

  private findCluster(ctx: OperationContext, clusterId: string): { cluster: Cluster; backend: RegionBackend } {
    this.rt.tracker.sweep();
    for (const [, backend] of this.store.regions(ctx.account.accountId, ctx.region)) {
      const cluster = backend.clusters.get(clusterId);
      if (cluster) return { cluster, backend };
    }
    throw new ApiError(404, "ErrorClusterNotFound", ACK_MESSAGES.clusterNotFound(clusterId));
  }

  private findPool(ctx: OperationContext): { cluster: Cluster; backend: RegionBackend; pool: PoolRecord } {
    const { cluster, backend } = this.findCluster(ctx, ctx.pathParams.ClusterId);
    const pool = cluster.pools.get(ctx.pathParams.NodepoolId);
    if (!pool) throw new ApiError(404, "ErrorNodePoolNotFound", ACK_MESSAGES.nodePoolNotFound(ctx.pathParams.NodepoolId));
    return { cluster, backend, pool };
  }

  private assertIdle(pool: PoolRecord): void {
    if (isBusy(pool)) throw new ApiError(400, "ErrorNodePoolBusy", ACK_MESSAGES.busy(pool.nodepoolId, pool.status.state, pool.pending!.task.taskId));
  }

  private body(ctx: OperationContext): Record<string, any> {
    const b = ctx.json();
    if (!isPlainObject(b)) invalid("the request body must be a JSON object");
    return b;
  }

  private nameTaken(cluster: Cluster, name: string, except?: string): boolean {
    for (const p of cluster.pools.values()) if (p.nodepoolId !== except && p.config.nodepool_info?.name === name) return true;
    return false;
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------------

  /**
   * Starts a task on a pool: the pool shows `busy` until the task settles, then `apply` runs (or, for a failing
   * task, the pool becomes `failed`).
   */
  private startTask(
    backend: RegionBackend,
    pool: PoolRecord,
    taskType: string,
    busy: Partial<AckPoolStatus> & { state: AckPoolStateName },
    apply: () => void,
    failure?: { code: string; message: string },
  ): TaskRecord {
    const now = this.now();
    const task = new TaskRecord(`T-${hex(12)}`, pool.clusterId, pool.nodepoolId, taskType, now, now);
    backend.tasks.set(task.taskId, task);
    pool.status = { ...pool.status, ...busy };
    const change = startChange(this.rt, ACK_MODEL, pool, { task }, () => {
      task.updated = this.now();
      if (failure) {
        task.outcome = "fail";
        task.error = failure;
        pool.status = { ...settledStatus("failed", 0), failed_nodes: desiredOf(pool.config) };
      } else {
        apply();
      }
    });
    task.op = change.op;
    return task;
  }

  private settleActive(pool: PoolRecord): void {
    pool.status = settledStatus("active", desiredOf(pool.config));
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private create(ctx: OperationContext): OperationResult {
    // Cluster exists -> name given -> name free -> field combinations (moto's order).
    const { cluster, backend } = this.findCluster(ctx, ctx.pathParams.ClusterId);
    const body = this.body(ctx);
    const config: Record<string, any> = {};
    for (const k of [...CONFIG_SECTIONS, ...CREATE_PASSTHROUGH]) if (body[k] !== undefined) config[k] = structuredClone(body[k]);
    // `count` is the deprecated spelling of the desired size.
    if (isInt(body.count) && (config.scaling_group?.desired_size === undefined || config.scaling_group?.desired_size === null)) {
      config.scaling_group = { ...(config.scaling_group ?? {}), desired_size: body.count };
    }
    const name = config.nodepool_info?.name;
    if (typeof name !== "string" || name.trim() === "") invalid("nodepool_info.name is required");
    if (this.nameTaken(cluster, name)) invalid(ACK_MESSAGES.nameTaken(name, cluster.clusterId), "InvalidParameter.Name");
    validateAckConfig(config);

    const now = this.now();
    const pool = new PoolRecord(
      cluster.accountId,
      cluster.clusterId,
      cluster.regionId,
      `np${hex(16)}`,
      `asg-${hex(10)}`,
      config,
      { ...settledStatus("initial", 0), initial_nodes: desiredOf(config) },
      now,
      now,
    );
    cluster.pools.set(pool.nodepoolId, pool);
    const failure = this.failNext === undefined ? undefined : { code: "ErrorCreateNodePoolFailed", message: this.failNext };
    this.failNext = undefined;
    const task = this.startTask(backend, pool, "nodepool_create", { state: "initial" }, () => this.settleActive(pool), failure);
    return { body: { nodepool_id: pool.nodepoolId, task_id: task.taskId, request_id: ctx.req.requestId } };
  }

  private describe(ctx: OperationContext): OperationResult {
    const { cluster, pool } = this.findPool(ctx);
    pool.pending?.op.observe();
    if (!cluster.pools.has(pool.nodepoolId)) throw new ApiError(404, "ErrorNodePoolNotFound", ACK_MESSAGES.nodePoolNotFound(pool.nodepoolId));
    return { body: this.view(cluster, pool) };
  }

  private list(ctx: OperationContext): OperationResult {
    const { cluster } = this.findCluster(ctx, ctx.pathParams.ClusterId);
    const name = ctx.req.query["NodepoolName"];
    const pools = [...cluster.pools.values()].filter((p) => !name || p.config.nodepool_info?.name === name);
    for (const p of pools) p.pending?.op.observe();
    return { body: { nodepools: pools.filter((p) => cluster.pools.has(p.nodepoolId)).map((p) => this.view(cluster, p)) } };
  }

  private modify(ctx: OperationContext): OperationResult {
    const { cluster, backend, pool } = this.findPool(ctx);
    const body = this.body(ctx);
    this.assertIdle(pool);
    if (pool.status.state === "deleting") throw new ApiError(404, "ErrorNodePoolNotFound", ACK_MESSAGES.nodePoolNotFound(pool.nodepoolId));

    const next = structuredClone(pool.config);
    for (const k of CONFIG_SECTIONS) {
      const section = body[k];
      if (section === undefined || section === null) continue;
      if (!isPlainObject(section)) invalid(`${k} must be an object`);
      if (k === "auto_scaling" && section.type !== undefined) {
        const current = pool.config.auto_scaling?.type ?? ACK_SERVER_DEFAULTS.auto_scaling.type;
        if (section.type !== current) invalid(ACK_MESSAGES.autoScalingTypeImmutable);
      }
      if (k === "scaling_group") {
        // Switching the login method replaces the other one.
        if (section.login_password) delete next.scaling_group?.key_pair;
        if (section.key_pair) delete next.scaling_group?.login_password;
      }
      next[k] = deepMerge(isPlainObject(next[k]) ? next[k] : {}, section);
    }
    const newName = next.nodepool_info?.name;
    if (typeof newName === "string" && newName !== pool.config.nodepool_info?.name && this.nameTaken(cluster, newName, pool.nodepoolId)) {
      invalid(ACK_MESSAGES.nameTaken(newName, cluster.clusterId), "InvalidParameter.Name");
    }
    validateAckConfig(next);

    const before = desiredOf(pool.config);
    const after = desiredOf(next);
    pool.config = next;
    pool.updated = this.now();
    const busy: Partial<AckPoolStatus> & { state: string } =
      after > before
        ? { state: "scaling", initial_nodes: after - before }
        : after < before
          ? { state: "removing", removing_nodes: before - after }
          : { state: "updating" };
    const task = this.startTask(backend, pool, "nodepool_update", busy, () => this.settleActive(pool));
    return { body: { nodepool_id: pool.nodepoolId, task_id: task.taskId, request_id: ctx.req.requestId } };
  }

  private scale(ctx: OperationContext): OperationResult {
    const { backend, pool } = this.findPool(ctx);
    const body = this.body(ctx);
    this.assertIdle(pool);
    if (pool.status.state === "deleting") throw new ApiError(404, "ErrorNodePoolNotFound", ACK_MESSAGES.nodePoolNotFound(pool.nodepoolId));
    const count = body.count;
    if (!isInt(count) || count < 1 || count > 500) invalid(`count must be an integer in [1, 500] (nodes to add), got ${JSON.stringify(count)}`);
    const before = desiredOf(pool.config);
    pool.config.scaling_group = { ...(pool.config.scaling_group ?? {}), desired_size: before + count };
    pool.updated = this.now();
    const task = this.startTask(backend, pool, "nodepool_scaleout", { state: "scaling", initial_nodes: count }, () => this.settleActive(pool));
    return { body: { task_id: task.taskId, request_id: ctx.req.requestId } };
  }

  private nodeConfig(ctx: OperationContext): OperationResult {
    const { backend, pool } = this.findPool(ctx);
    const body = this.body(ctx);
    this.assertIdle(pool);
    if (pool.status.state === "deleting") throw new ApiError(404, "ErrorNodePoolNotFound", ACK_MESSAGES.nodePoolNotFound(pool.nodepoolId));
    const sections: Array<[string, string]> = [
      ["kubelet_config", "kubelet_configuration"],
      ["containerd_config", "containerd_config"],
      ["os_config", "node_os_config"],
    ];
    if (!sections.some(([k]) => body[k] !== undefined && body[k] !== null)) {
      invalid("one of kubelet_config, containerd_config or os_config is required");
    }
    const nodeConfig: Record<string, any> = isPlainObject(pool.config.node_config) ? pool.config.node_config : {};
    for (const [k, stored] of sections) {
      const v = body[k];
      if (v === undefined || v === null) continue;
      if (!isPlainObject(v)) invalid(`${k} must be an object`);
      nodeConfig[stored] = deepMerge(isPlainObject(nodeConfig[stored]) ? nodeConfig[stored] : {}, v);
    }
    pool.config.node_config = nodeConfig;
    pool.updated = this.now();
    const task = this.startTask(backend, pool, "nodepool_update_node_config", { state: "updating" }, () => this.settleActive(pool));
    return { body: { nodepool_id: pool.nodepoolId, task_id: task.taskId, request_id: ctx.req.requestId } };
  }

  private remove(ctx: OperationContext): OperationResult {
    const { cluster, backend, pool } = this.findPool(ctx);
    this.assertIdle(pool);
    const force = (ctx.req.query["force"] ?? "false").toLowerCase() === "true";
    const nodes = pool.status.total_nodes;
    if (!force && nodes > 0) throw new ApiError(400, "ErrorNodePoolNotEmpty", ACK_MESSAGES.notEmpty(pool.nodepoolId, nodes));
    const task = this.startTask(backend, pool, "nodepool_delete", { state: "deleting", removing_nodes: pool.status.total_nodes }, () => {
      cluster.pools.delete(pool.nodepoolId);
    });
    return { body: { request_id: ctx.req.requestId, task_id: task.taskId } };
  }

  private taskInfo(ctx: OperationContext): OperationResult {
    this.rt.tracker.sweep();
    const id = ctx.pathParams.task_id;
    for (const [, backend] of this.store.regions(ctx.account.accountId, ctx.region)) {
      const task = backend.tasks.get(id);
      if (task) {
        task.op?.observe();
        return { body: task.view() };
      }
    }
    throw new ApiError(404, "ErrorTaskNotFound", ACK_MESSAGES.taskNotFound(id));
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  private view(cluster: Cluster, pool: PoolRecord): AckPool {
    const c = structuredClone(pool.config);
    const d = ACK_SERVER_DEFAULTS;
    const out: Record<string, any> = {};
    for (const k of CREATE_PASSTHROUGH) if (c[k] !== undefined) out[k] = c[k];
    const info = c.nodepool_info ?? {};
    out.nodepool_info = {
      ...d.nodepool_info,
      ...info,
      nodepool_id: pool.nodepoolId,
      region_id: pool.regionId,
      resource_group_id: info.resource_group_id ?? cluster.resourceGroupId,
      created: pool.created,
      updated: pool.updated,
    };
    const sg: Record<string, any> = { ...structuredClone(d.scaling_group), ...(c.scaling_group ?? {}) };
    delete sg.login_password;
    if (sg.security_group_ids === undefined) sg.security_group_ids = sg.security_group_id ? [sg.security_group_id] : [cluster.securityGroupId];
    if (sg.security_group_id === undefined) sg.security_group_id = sg.security_group_ids[0];
    sg.scaling_group_id = pool.scalingGroupId;
    out.scaling_group = sg;
    out.kubernetes_config = { ...structuredClone(d.kubernetes_config), ...(c.kubernetes_config ?? {}) };
    out.management = deepMerge(structuredClone(d.management) as Record<string, any>, c.management ?? {});
    out.auto_scaling = { ...d.auto_scaling, ...(c.auto_scaling ?? {}) };
    out.tee_config = { ...d.tee_config, ...(c.tee_config ?? {}) };
    out.node_config = c.node_config ?? {};
    out.status = { ...pool.status };
    return out as AckPool;
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  private adminFind(clusterId: string, nodepoolId?: string): { cluster: Cluster; pool?: PoolRecord } {
    for (const { backend } of this.store.all()) {
      const cluster = backend.clusters.get(clusterId);
      if (cluster) return { cluster, pool: nodepoolId ? cluster.pools.get(nodepoolId) : undefined };
    }
    throw new Error(`no cluster ${clusterId}`);
  }

  private adminPools(clusterId?: string): AckPool[] {
    this.rt.tracker.sweep();
    const out: AckPool[] = [];
    for (const { backend } of this.store.all()) {
      for (const cluster of backend.clusters.values()) {
        if (clusterId !== undefined && cluster.clusterId !== clusterId) continue;
        for (const pool of cluster.pools.values()) out.push({ ...this.view(cluster, pool), cluster_id: cluster.clusterId });
      }
    }
    return out;
  }

  private adminDeletePool(clusterId: string, nodepoolId: string): void {
    const { cluster, pool } = this.adminFind(clusterId, nodepoolId);
    if (!pool) throw new Error(`no node pool ${nodepoolId} in cluster ${clusterId}`);
    if (pool.pending) {
      const { op, task } = pool.pending;
      op.cancel();
      task.updated = this.now();
      if (task.taskType !== "nodepool_delete") {
        task.outcome = "fail";
        task.error = { code: "ErrorNodePoolNotFound", message: ACK_MESSAGES.nodePoolNotFound(nodepoolId) };
      }
    }
    cluster.pools.delete(nodepoolId);
  }

  private adminMutatePool(clusterId: string, nodepoolId: string, patch: (p: AckPoolState) => void): void {
    this.rt.tracker.sweep();
    const { pool } = this.adminFind(clusterId, nodepoolId);
    if (!pool) throw new Error(`no node pool ${nodepoolId} in cluster ${clusterId}`);
    const desiredBefore = desiredOf(pool.config);
    const countsBefore = JSON.stringify({ ...pool.status, state: undefined });
    patch(pool);
    pool.updated = this.now();
    const countsChanged = JSON.stringify({ ...pool.status, state: undefined }) !== countsBefore;
    if (!countsChanged && !pool.pending && pool.status.state === "active" && desiredOf(pool.config) !== desiredBefore) this.settleActive(pool);
  }
}

function clusterInfo(c: Cluster): AckClusterInfo {
  return { clusterId: c.clusterId, accountId: c.accountId, regionId: c.regionId, name: c.name };
}

export function createAckService(rt: EmulatorRuntime): AckNodePoolService {
  return new AckNodePoolService(rt);
}
