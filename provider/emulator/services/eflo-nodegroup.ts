/**
 * PAI-Lingjun node groups: eflo-controller (`eflo`, alias `eflo-controller`, API 2022-12-15, RPC, signature V3).
 *
 * Operations: CreateNodeGroup, ListNodeGroups, DescribeNodeGroup, UpdateNodeGroup, DescribeTask, DeleteNodeGroup.
 * Parameters arrive in the query or in an `application/x-www-form-urlencoded` body (the official SDK sends a form
 * body); object parameters (`NodeGroup`, `NodeUnit`, `SystemDisk`) are JSON strings. Shapes follow the API document
 * (`shared/api-docs/alibaba-eflo-CreateNodeGroup.txt`), the cloud-apis reference §4.3 and the official SDK models
 * (`eflo-controller-20221215`); see also the IaC anchors A3.
 *
 * Lifecycle:
 * - CreateNodeGroup is synchronous: the group exists (and is listed) as soon as the call returns. Node groups have
 *   no state field; "listed by ListNodeGroups" is the only readiness signal.
 * - UpdateNodeGroup starts a task (`DescribeTask`): `waiting_to_run` -> `running` -> `execution_success` or
 *   `execution_fail`. Each arrow is one {@link ManagedState} of model "eflo.task", so under `polls:N` each phase
 *   lasts N polls and under `manual` each phase takes one advance. The group's configuration changes only when the
 *   task succeeds; a failed task changes nothing. While a task is unfinished, further updates and the delete of the
 *   group are refused.
 * - DeleteNodeGroup is synchronous.
 *
 * Codes and messages marked "emulator" are this emulator's choice where the real text is not documented. Missing
 * parameters use Alibaba's generic `MissingParameter` text.
 */
import { acs3Authenticator } from "../auth";
import {
  AccountRegionStore,
  AdminRoute,
  ApiError,
  EmulatedService,
  EmulatorRuntime,
  ManagedState,
  OperationContext,
  OperationResult,
  ServiceDefinition,
  adminRoutes,
  hex,
  isPlainObject,
  jsonParam,
  rpcErrorBody,
  seedOnce,
} from "../framework";

export const EFLO_SERVICE = "eflo";
export const EFLO_PRODUCT = "eflo-controller";
export const EFLO_VERSION = "2022-12-15";
/** Progression model of UpdateNodeGroup tasks. */
export const EFLO_TASK_MODEL = "eflo.task";
export const EFLO_DEFAULT_REGION = "cn-wulanchabu";
/** ListNodeGroups page size when MaxResults is not given, and its largest accepted value (emulator). */
export const EFLO_DEFAULT_PAGE_SIZE = 20;
export const EFLO_MAX_PAGE_SIZE = 100;

export const EFLO_MESSAGES = {
  /** Alibaba's generic text for a missing required parameter. */
  missing: (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  invalid: (name: string, why: string) => `The parameter ${name} is invalid: ${why}.`, // emulator
  clusterNotFound: (id: string) => `The cluster ${id} does not exist.`, // emulator
  nodeGroupNotFound: (id: string) => `The node group ${id} does not exist.`, // emulator
  taskNotFound: (id: string) => `The task ${id} does not exist.`, // emulator
  nameTaken: (name: string, clusterId: string) => `A node group named ${name} already exists in cluster ${clusterId}.`, // emulator
  busy: (id: string, taskId: string) => `The node group ${id} has an unfinished task ${taskId}; try again when it has finished.`, // emulator
  notEmpty: (id: string, n: number) => `The node group ${id} still has ${n} node(s); shrink the cluster first.`, // emulator
  defaultUpdateFailure: "failed to apply the node group configuration to its nodes (emulated failure)",
} as const;

export const EFLO_CODES = {
  missing: "MissingParameter",
  invalid: "InvalidParameter",
  clusterNotFound: "ClusterNotFound", // emulator (HTTP 404)
  nodeGroupNotFound: "NodeGroupNotFound", // emulator (HTTP 404)
  taskNotFound: "TaskNotFound", // emulator (HTTP 404)
  nameTaken: "NodeGroupName.Duplicate", // emulator
  busy: "OperationConflict", // emulator
  notEmpty: "NodeGroup.NotEmpty", // emulator
} as const;

const SYSTEM_DISK_CATEGORIES = ["cloud_essd"];
const PERFORMANCE_LEVELS = ["PL0", "PL1"];

export type EfloTaskState = "waiting_to_run" | "running" | "execution_success" | "execution_fail";

export interface EfloSystemDisk {
  Category?: string;
  PerformanceLevel?: string;
  Size?: number;
}

/** A group's mutable record, handed to `mutateGroup` for out-of-band changes (drift). */
export interface EfloGroupState {
  readonly accountId: string;
  readonly regionId: string;
  readonly clusterId: string;
  readonly nodeGroupId: string;
  name: string;
  description?: string;
  az: string;
  machineType: string;
  imageId: string;
  userData?: string;
  systemDisk?: EfloSystemDisk;
  fileSystemMountEnabled: boolean;
  virtualGpuEnabled: boolean;
  keyPairName?: string;
  /** Stored, never returned by any read. */
  loginPassword?: string;
  ramRoleName?: string;
  nodeUnit?: Record<string, unknown>;
  nodeCount: number;
  createTime: string;
  updateTime: string;
}

/** A group as DescribeNodeGroup returns it, plus `NodeUnit` (admin views only; the API never returns it). */
export type EfloGroupView = Record<string, any> & { NodeGroupId: string; ClusterId: string; NodeGroupName: string };

export interface EfloTaskView {
  TaskId: string;
  ClusterId: string;
  ClusterName: string;
  NodeGroupId: string;
  TaskType: string;
  TaskState: EfloTaskState;
  CreateTime: string;
  UpdateTime: string;
  Message?: string;
}

export interface EfloClusterInfo {
  clusterId: string;
  accountId: string;
  regionId: string;
  name: string;
}

export interface EfloSeed {
  clusterId: string;
  region?: string;
  accountId?: string;
  name?: string;
}

export interface EfloAdmin {
  /** Seeds a Lingjun cluster node groups can be created in (idempotent for the same region). */
  seedCluster(seed: EfloSeed): EfloClusterInfo;
  clusters(): EfloClusterInfo[];
  /** Groups as DescribeNodeGroup shows them (plus `NodeUnit`), without counting as a poll. */
  groups(clusterId?: string): EfloGroupView[];
  /** Removes a group out of band (someone deleted it in the console). A running task of the group fails. */
  deleteGroup(clusterId: string, nodeGroupId: string): void;
  /** Changes a group out of band (drift); `UpdateTime` is bumped. */
  mutateGroup(clusterId: string, nodeGroupId: string, patch: (g: EfloGroupState) => void): void;
  /** The next UpdateNodeGroup task ends in `execution_fail` with this message and changes nothing. */
  failNextUpdate(reason?: string): void;
  /** Manual progression: moves every unfinished task one phase. */
  advance(): number;
  tasks(): EfloTaskView[];
}

// ---------------------------------------------------------------------------------------------------------------

interface Cluster extends EfloClusterInfo {
  groups: Map<string, GroupRecord>;
}

interface RegionBackend {
  clusters: Map<string, Cluster>;
  tasks: Map<string, TaskRecord>;
}

interface GroupRecord extends EfloGroupState {
  pending?: TaskRecord;
}

class TaskRecord {
  phase?: ManagedState;
  state: EfloTaskState = "waiting_to_run";
  message?: string;
  constructor(
    readonly taskId: string,
    readonly cluster: Cluster,
    readonly nodeGroupId: string,
    readonly taskType: string,
    readonly createTime: string,
    public updateTime: string,
  ) {}
  get finished(): boolean {
    return this.state === "execution_success" || this.state === "execution_fail";
  }
  view(): EfloTaskView {
    const v: EfloTaskView = {
      TaskId: this.taskId,
      ClusterId: this.cluster.clusterId,
      ClusterName: this.cluster.name,
      NodeGroupId: this.nodeGroupId,
      TaskType: this.taskType,
      TaskState: this.state,
      CreateTime: this.createTime,
      UpdateTime: this.updateTime,
    };
    if (this.message !== undefined) v.Message = this.message;
    return v;
  }
}

function missing(name: string): never {
  throw new ApiError(400, EFLO_CODES.missing, EFLO_MESSAGES.missing(name));
}

function invalid(name: string, why: string): never {
  throw new ApiError(400, EFLO_CODES.invalid, EFLO_MESSAGES.invalid(name, why));
}

function required(ctx: OperationContext, name: string): string {
  const v = ctx.params[name];
  if (v === undefined || v === "") missing(name);
  return v;
}

/** An object parameter sent as a JSON string. */
function objectParam(ctx: OperationContext, name: string): Record<string, any> | undefined {
  const v = jsonParam(ctx, name);
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) invalid(name, "it must be a JSON object");
  return v;
}

function optionalString(obj: Record<string, any>, key: string, label: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") invalid(label, "it must be a string");
  return v;
}

function requiredString(obj: Record<string, any>, key: string, label: string): string {
  const v = optionalString(obj, key, label);
  if (v === undefined || v.trim() === "") missing(label);
  return v;
}

function optionalBool(obj: Record<string, any>, key: string, label: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") invalid(label, "it must be true or false");
  return v;
}

/** A boolean sent as a plain form or query parameter ("true" / "false"). */
function boolParam(ctx: OperationContext, name: string): boolean | undefined {
  const v = ctx.params[name];
  if (v === undefined || v === "") return undefined;
  if (v !== "true" && v !== "false") invalid(name, "it must be true or false");
  return v === "true";
}

function validateSystemDisk(disk: unknown, label: string): EfloSystemDisk {
  if (!isPlainObject(disk)) invalid(label, "it must be a JSON object");
  const out: EfloSystemDisk = {};
  const category = optionalString(disk, "Category", `${label}.Category`);
  if (category !== undefined) {
    if (!SYSTEM_DISK_CATEGORIES.includes(category)) invalid(`${label}.Category`, `valid values are ${SYSTEM_DISK_CATEGORIES.join(", ")}`);
    out.Category = category;
  }
  const level = optionalString(disk, "PerformanceLevel", `${label}.PerformanceLevel`);
  if (level !== undefined) {
    if (!PERFORMANCE_LEVELS.includes(level)) invalid(`${label}.PerformanceLevel`, `valid values are ${PERFORMANCE_LEVELS.join(", ")}`);
    out.PerformanceLevel = level;
  }
  const size = disk.Size;
  if (size !== undefined && size !== null) {
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) invalid(`${label}.Size`, "it must be a positive whole number of GB");
    out.Size = size;
  }
  return out;
}

function nonEmpty<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out as T;
}

/** Lingjun-style numeric ids: "i" and 21 digits. */
function numericId(): string {
  let s = "i1";
  while (s.length < 22) s += String(Math.floor(Math.random() * 10));
  return s;
}

function clusterInfo(c: Cluster): EfloClusterInfo {
  return { clusterId: c.clusterId, accountId: c.accountId, regionId: c.regionId, name: c.name };
}

export class EfloNodeGroupService implements EmulatedService {
  readonly definition: ServiceDefinition;
  readonly adminRoutes: AdminRoute[];
  readonly admin: EfloAdmin;
  private readonly store = new AccountRegionStore<RegionBackend>(() => ({ clusters: new Map(), tasks: new Map() }));
  private failNext: string | undefined;

  constructor(private readonly rt: EmulatorRuntime) {
    this.definition = {
      name: EFLO_SERVICE,
      aliases: [EFLO_PRODUCT],
      product: EFLO_PRODUCT,
      version: EFLO_VERSION,
      style: "RPC",
      authenticate: acs3Authenticator,
      renderError: rpcErrorBody,
      unimplementedActions: ["ExtendCluster", "ShrinkCluster", "ListClusterNodes", "ListClusters", "DescribeCluster", "CreateCluster", "DeleteCluster", "ChangeNodeGroup"],
      operations: [
        { action: "CreateNodeGroup", handler: (c) => this.create(c) },
        { action: "ListNodeGroups", handler: (c) => this.list(c) },
        { action: "DescribeNodeGroup", handler: (c) => this.describe(c) },
        { action: "UpdateNodeGroup", handler: (c) => this.update(c) },
        { action: "DescribeTask", handler: (c) => this.describeTask(c) },
        { action: "DeleteNodeGroup", handler: (c) => this.remove(c) },
      ],
    };
    this.admin = {
      seedCluster: (seed) => this.seedCluster(seed),
      clusters: () => this.store.all().flatMap(({ backend }) => [...backend.clusters.values()].map(clusterInfo)),
      groups: (clusterId) => this.adminGroups(clusterId),
      deleteGroup: (clusterId, id) => this.adminDeleteGroup(clusterId, id),
      mutateGroup: (clusterId, id, patch) => this.adminMutateGroup(clusterId, id, patch),
      failNextUpdate: (reason) => {
        this.failNext = reason ?? EFLO_MESSAGES.defaultUpdateFailure;
      },
      advance: () => this.rt.tracker.advance(EFLO_TASK_MODEL),
      tasks: () => {
        this.rt.tracker.sweep();
        return this.store.all().flatMap(({ backend }) => [...backend.tasks.values()].map((t) => t.view()));
      },
    };
    this.adminRoutes = [
      ...adminRoutes.seeding<EfloSeed>("/clusters", () => this.admin.clusters(), (seed) => this.seedCluster(seed)),
      { method: "GET", path: "/groups", handler: ({ query }) => this.admin.groups(query.clusterId) },
      adminRoutes.removal("/groups/{ClusterId}/{NodeGroupId}", "NodeGroupId", (params) => this.admin.deleteGroup(params.ClusterId, params.NodeGroupId)),
      adminRoutes.mutation("/groups/{ClusterId}/{NodeGroupId}", 'an object of group fields, e.g. {"imageId": "i-new", "nodeCount": 2}', ({ params, body }) => {
        const allowed = ["name", "description", "imageId", "userData", "systemDisk", "fileSystemMountEnabled", "virtualGpuEnabled", "keyPairName", "ramRoleName", "nodeCount"];
        const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
        if (unknown.length) throw new Error(`unknown group field(s) ${unknown.join(", ")}; allowed: ${allowed.join(", ")}`);
        this.admin.mutateGroup(params.ClusterId, params.NodeGroupId, (g) => Object.assign(g, structuredClone(body)));
        return this.admin.groups(params.ClusterId).find((g) => g.NodeGroupId === params.NodeGroupId);
      }),
      adminRoutes.trigger("/fail-next-update", (body) => this.admin.failNextUpdate(isPlainObject(body) && typeof body.reason === "string" ? body.reason : undefined)),
      adminRoutes.advance(() => this.admin.advance()),
      { method: "GET", path: "/tasks", handler: () => this.admin.tasks() },
    ];
  }

  reset(): void {
    this.store.reset();
    this.failNext = undefined;
  }

  seedCluster(opts: EfloSeed): EfloClusterInfo {
    if (!opts || typeof opts.clusterId !== "string" || opts.clusterId === "") throw new Error("seedCluster needs a clusterId");
    const accountId = opts.accountId ?? this.rt.defaultAccount.accountId;
    const region = opts.region ?? EFLO_DEFAULT_REGION;
    const cluster = seedOnce(this.store, { accountId, region }, opts.clusterId, (b) => b.clusters, (): Cluster => ({
      clusterId: opts.clusterId,
      accountId,
      regionId: region,
      name: opts.name ?? `lingjun-${opts.clusterId}`,
      groups: new Map(),
    }));
    return clusterInfo(cluster);
  }

  // ---- lookups ------------------------------------------------------------------------------------------------

  private now(): string {
    return new Date(this.rt.clock.now()).toISOString();
  }

  private backends(ctx: OperationContext): RegionBackend[] {
    this.rt.tracker.sweep();
    return this.store.regions(ctx.account.accountId, ctx.region).map(([, b]) => b);
  }

  private findCluster(ctx: OperationContext, clusterId: string): { cluster: Cluster; backend: RegionBackend } {
    for (const backend of this.backends(ctx)) {
      const cluster = backend.clusters.get(clusterId);
      if (cluster) return { cluster, backend };
    }
    throw new ApiError(404, EFLO_CODES.clusterNotFound, EFLO_MESSAGES.clusterNotFound(clusterId));
  }

  /** By group id alone (DescribeNodeGroup and UpdateNodeGroup carry no cluster id). */
  private findGroup(ctx: OperationContext, nodeGroupId: string): { cluster: Cluster; backend: RegionBackend; group: GroupRecord } {
    for (const backend of this.backends(ctx)) {
      for (const cluster of backend.clusters.values()) {
        const group = cluster.groups.get(nodeGroupId);
        if (group) return { cluster, backend, group };
      }
    }
    throw new ApiError(404, EFLO_CODES.nodeGroupNotFound, EFLO_MESSAGES.nodeGroupNotFound(nodeGroupId));
  }

  private nameTaken(cluster: Cluster, name: string, except?: string): boolean {
    for (const g of cluster.groups.values()) if (g.nodeGroupId !== except && g.name === name) return true;
    return false;
  }

  private assertIdle(group: GroupRecord): void {
    if (group.pending && !group.pending.finished) {
      // Unfinished tasks may settle on a look (immediate / elapsed time).
      group.pending.phase?.peek();
      if (!group.pending.finished) throw new ApiError(400, EFLO_CODES.busy, EFLO_MESSAGES.busy(group.nodeGroupId, group.pending.taskId));
    }
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private create(ctx: OperationContext): OperationResult {
    // Cluster exists -> group given -> required fields -> field values -> name free.
    const clusterId = required(ctx, "ClusterId");
    const { cluster } = this.findCluster(ctx, clusterId);
    const ng = objectParam(ctx, "NodeGroup");
    if (!ng) missing("NodeGroup");
    const az = requiredString(ng, "Az", "NodeGroup.Az");
    const name = requiredString(ng, "NodeGroupName", "NodeGroup.NodeGroupName");
    const machineType = requiredString(ng, "MachineType", "NodeGroup.MachineType");
    const imageId = requiredString(ng, "ImageId", "NodeGroup.ImageId");
    const description = optionalString(ng, "NodeGroupDescription", "NodeGroup.NodeGroupDescription");
    const userData = optionalString(ng, "UserData", "NodeGroup.UserData");
    const systemDisk = ng.SystemDisk === undefined || ng.SystemDisk === null ? undefined : validateSystemDisk(ng.SystemDisk, "NodeGroup.SystemDisk");
    const fileSystemMountEnabled = optionalBool(ng, "FileSystemMountEnabled", "NodeGroup.FileSystemMountEnabled") ?? false;
    const virtualGpuEnabled = optionalBool(ng, "VirtualGpuEnabled", "NodeGroup.VirtualGpuEnabled") ?? false;
    const keyPairName = optionalString(ng, "KeyPairName", "NodeGroup.KeyPairName");
    const loginPassword = optionalString(ng, "LoginPassword", "NodeGroup.LoginPassword");
    const ramRoleName = optionalString(ng, "RamRoleName", "NodeGroup.RamRoleName");
    const nodeUnit = objectParam(ctx, "NodeUnit");
    if (this.nameTaken(cluster, name)) throw new ApiError(400, EFLO_CODES.nameTaken, EFLO_MESSAGES.nameTaken(name, cluster.clusterId));

    const now = this.now();
    const group: GroupRecord = {
      accountId: cluster.accountId,
      regionId: cluster.regionId,
      clusterId: cluster.clusterId,
      nodeGroupId: `ng-${hex(8)}`,
      name,
      description: description || undefined,
      az,
      machineType,
      imageId,
      userData: userData || undefined,
      systemDisk,
      fileSystemMountEnabled,
      virtualGpuEnabled,
      keyPairName: keyPairName || undefined,
      loginPassword: loginPassword || undefined,
      ramRoleName: ramRoleName || undefined,
      nodeUnit: nodeUnit ? structuredClone(nodeUnit) : undefined,
      nodeCount: 0,
      createTime: now,
      updateTime: now,
    };
    cluster.groups.set(group.nodeGroupId, group);
    return { body: { RequestId: ctx.req.requestId, NodeGroupId: group.nodeGroupId, NodeGroupName: group.name } };
  }

  private list(ctx: OperationContext): OperationResult {
    const clusterId = ctx.params["ClusterId"] || undefined;
    const nodeGroupId = ctx.params["NodeGroupId"] || undefined;
    const maxText = ctx.params["MaxResults"];
    let max = EFLO_DEFAULT_PAGE_SIZE;
    if (maxText !== undefined && maxText !== "") {
      max = Number(maxText);
      if (!Number.isInteger(max) || max < 1 || max > EFLO_MAX_PAGE_SIZE) invalid("MaxResults", `it must be a whole number from 1 to ${EFLO_MAX_PAGE_SIZE}`);
    }
    const token = ctx.params["NextToken"];
    let start = 0;
    if (token !== undefined && token !== "") {
      const m = /^page:(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"));
      if (!m) invalid("NextToken", "it is not a token returned by ListNodeGroups");
      start = Number(m[1]);
    }
    let clusters: Cluster[];
    if (clusterId !== undefined) clusters = [this.findCluster(ctx, clusterId).cluster];
    else clusters = this.backends(ctx).flatMap((b) => [...b.clusters.values()]);
    const all = clusters
      .flatMap((c) => [...c.groups.values()].map((g) => ({ c, g })))
      .filter(({ g }) => nodeGroupId === undefined || g.nodeGroupId === nodeGroupId)
      .sort((a, b) => (a.g.createTime < b.g.createTime ? -1 : a.g.createTime > b.g.createTime ? 1 : a.g.nodeGroupId < b.g.nodeGroupId ? -1 : 1));
    const page = all.slice(start, start + max);
    const body: Record<string, unknown> = { RequestId: ctx.req.requestId, Groups: page.map(({ c, g }) => this.listView(c, g)) };
    if (start + max < all.length) body.NextToken = Buffer.from(`page:${start + max}`, "utf8").toString("base64");
    return { body };
  }

  private describe(ctx: OperationContext): OperationResult {
    const { cluster, group } = this.findGroup(ctx, required(ctx, "NodeGroupId"));
    return { body: { RequestId: ctx.req.requestId, ...this.detailView(cluster, group) } };
  }

  private update(ctx: OperationContext): OperationResult {
    const id = required(ctx, "NodeGroupId");
    const { cluster, backend, group } = this.findGroup(ctx, id);
    const newName = ctx.params["NewNodeGroupName"];
    const imageId = ctx.params["ImageId"];
    const keyPairName = ctx.params["KeyPairName"];
    const loginPassword = ctx.params["LoginPassword"];
    const userData = ctx.params["UserData"];
    const ramRoleName = ctx.params["RamRoleName"];
    const fileSystemMountEnabled = boolParam(ctx, "FileSystemMountEnabled");
    const systemDiskParam = jsonParam(ctx, "SystemDisk");
    const systemDisk = systemDiskParam === undefined ? undefined : validateSystemDisk(systemDiskParam, "SystemDisk");
    this.assertIdle(group);
    if (newName !== undefined && newName !== "" && newName !== group.name && this.nameTaken(cluster, newName, group.nodeGroupId)) {
      throw new ApiError(400, EFLO_CODES.nameTaken, EFLO_MESSAGES.nameTaken(newName, cluster.clusterId));
    }

    const apply = () => {
      // Empty values change nothing; in particular a RAM role cannot be removed by clearing RamRoleName (documented).
      if (newName) group.name = newName;
      if (imageId) group.imageId = imageId;
      if (keyPairName) group.keyPairName = keyPairName;
      if (loginPassword) group.loginPassword = loginPassword;
      if (userData) group.userData = userData;
      if (ramRoleName) group.ramRoleName = ramRoleName;
      if (fileSystemMountEnabled !== undefined) group.fileSystemMountEnabled = fileSystemMountEnabled;
      if (systemDisk) group.systemDisk = { ...(group.systemDisk ?? {}), ...systemDisk };
      group.updateTime = this.now();
    };
    const failure = this.failNext;
    this.failNext = undefined;
    const task = this.startTask(backend, cluster, group, "update_node_group", apply, failure);
    return { body: { RequestId: ctx.req.requestId, TaskId: task.taskId } };
  }

  private describeTask(ctx: OperationContext): OperationResult {
    const id = required(ctx, "TaskId");
    for (const backend of this.backends(ctx)) {
      const task = backend.tasks.get(id);
      if (task) {
        task.phase?.observe();
        const { TaskId: _id, NodeGroupId: _g, ...view } = task.view();
        return { body: { RequestId: ctx.req.requestId, ...view, NodeIds: [], Steps: [{ StepName: task.taskType, StepState: task.state, UpdateTime: task.updateTime }] } };
      }
    }
    throw new ApiError(404, EFLO_CODES.taskNotFound, EFLO_MESSAGES.taskNotFound(id));
  }

  private remove(ctx: OperationContext): OperationResult {
    const id = required(ctx, "NodeGroupId");
    const clusterId = ctx.params["ClusterId"];
    const { cluster, group } = this.findGroup(ctx, id);
    if (clusterId && clusterId !== cluster.clusterId) throw new ApiError(404, EFLO_CODES.nodeGroupNotFound, EFLO_MESSAGES.nodeGroupNotFound(id));
    this.assertIdle(group);
    if (group.nodeCount > 0) throw new ApiError(400, EFLO_CODES.notEmpty, EFLO_MESSAGES.notEmpty(id, group.nodeCount));
    cluster.groups.delete(id);
    return { body: { RequestId: ctx.req.requestId } };
  }

  // ---- tasks --------------------------------------------------------------------------------------------------

  /** waiting_to_run -(phase 1)-> running -(phase 2)-> execution_success (apply) or execution_fail (`failure`). */
  private startTask(backend: RegionBackend, cluster: Cluster, group: GroupRecord, taskType: string, apply: () => void, failure?: string): TaskRecord {
    const now = this.now();
    const task = new TaskRecord(numericId(), cluster, group.nodeGroupId, taskType, now, now);
    backend.tasks.set(task.taskId, task);
    group.pending = task;
    const finish = () => {
      task.updateTime = this.now();
      if (group.pending === task) group.pending = undefined;
      if (task.state !== "running") return; // cancelled (the group was deleted out of band)
      if (failure !== undefined) {
        task.state = "execution_fail";
        task.message = failure;
      } else {
        task.state = "execution_success";
        apply();
      }
    };
    task.phase = new ManagedState(this.rt, EFLO_TASK_MODEL, () => {
      task.updateTime = this.now();
      if (task.finished) return;
      task.state = "running";
      task.phase = new ManagedState(this.rt, EFLO_TASK_MODEL, finish).start();
    });
    task.phase.start();
    return task;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  /** ListNodeGroups' item (NodeCount is a number there). */
  private listView(cluster: Cluster, g: GroupRecord): Record<string, unknown> {
    return nonEmpty({
      ClusterId: cluster.clusterId,
      ClusterName: cluster.name,
      GroupId: g.nodeGroupId,
      GroupName: g.name,
      Description: g.description,
      ZoneId: g.az,
      MachineType: g.machineType,
      ImageId: g.imageId,
      ImageName: `image-${g.imageId}`,
      NodeCount: g.nodeCount,
      FileSystemMountEnabled: g.fileSystemMountEnabled,
      VirtualGpuEnabled: g.virtualGpuEnabled,
      CreateTime: g.createTime,
      UpdateTime: g.updateTime,
    });
  }

  /** DescribeNodeGroup's body (NodeCount is a string there, as documented); never the password or NodeUnit. */
  private detailView(cluster: Cluster, g: GroupRecord): EfloGroupView {
    return nonEmpty({
      NodeGroupId: g.nodeGroupId,
      NodeGroupName: g.name,
      NodeGroupDescription: g.description,
      ClusterId: cluster.clusterId,
      ClusterName: cluster.name,
      Az: g.az,
      MachineType: g.machineType,
      ImageId: g.imageId,
      ImageName: `image-${g.imageId}`,
      KeyPairName: g.keyPairName,
      LoginType: g.keyPairName ? "KeyPair" : g.loginPassword ? "Password" : undefined,
      NodeCount: String(g.nodeCount),
      RamRoleName: g.ramRoleName,
      SystemDisk: g.systemDisk && Object.keys(g.systemDisk).length ? { ...g.systemDisk } : undefined,
      UserData: g.userData,
      FileSystemMountEnabled: g.fileSystemMountEnabled,
      VirtualGpuEnabled: g.virtualGpuEnabled,
      CreateTime: g.createTime,
      UpdateTime: g.updateTime,
    });
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  private adminFind(clusterId: string, nodeGroupId: string): { cluster: Cluster; group: GroupRecord } {
    for (const { backend } of this.store.all()) {
      const cluster = backend.clusters.get(clusterId);
      if (!cluster) continue;
      const group = cluster.groups.get(nodeGroupId);
      if (!group) throw new Error(`no node group ${nodeGroupId} in cluster ${clusterId}`);
      return { cluster, group };
    }
    throw new Error(`no cluster ${clusterId}`);
  }

  private adminGroups(clusterId?: string): EfloGroupView[] {
    this.rt.tracker.sweep();
    const out: EfloGroupView[] = [];
    for (const { backend } of this.store.all()) {
      for (const cluster of backend.clusters.values()) {
        if (clusterId !== undefined && cluster.clusterId !== clusterId) continue;
        for (const g of cluster.groups.values()) {
          out.push({ ...this.detailView(cluster, g), ...(g.nodeUnit ? { NodeUnit: structuredClone(g.nodeUnit) } : {}) });
        }
      }
    }
    return out;
  }

  private adminDeleteGroup(clusterId: string, nodeGroupId: string): void {
    const { cluster, group } = this.adminFind(clusterId, nodeGroupId);
    const task = group.pending;
    if (task && !task.finished) {
      task.phase?.cancel();
      task.state = "execution_fail";
      task.message = EFLO_MESSAGES.nodeGroupNotFound(nodeGroupId);
      task.updateTime = this.now();
    }
    cluster.groups.delete(nodeGroupId);
  }

  private adminMutateGroup(clusterId: string, nodeGroupId: string, patch: (g: EfloGroupState) => void): void {
    this.rt.tracker.sweep();
    const { group } = this.adminFind(clusterId, nodeGroupId);
    patch(group);
    group.updateTime = this.now();
  }
}

export function createEfloService(rt: EmulatorRuntime): EfloNodeGroupService {
  return new EfloNodeGroupService(rt);
}
