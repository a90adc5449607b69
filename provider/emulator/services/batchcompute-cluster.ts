/**
 * Batch Compute (`batchcompute`, API 2015-11-11, ROA, legacy V1 signature) clusters. The service is deprecated by
 * Alibaba Cloud but still served.
 *
 * Operations (shared/reference/cloud-apis.md 4.5): CreateCluster `POST /clusters?IdempotentToken=` (201 `{"Id"}`),
 * GetCluster `GET /clusters/{Id}`, ListClusters `GET /clusters?Marker=&MaxItemCount=`, ModifyCluster
 * `PUT /clusters/{Id}` (200, asynchronous; desired VM counts of existing groups), DeleteCluster
 * `DELETE /clusters/{Id}` (204, asynchronous). Errors are `{"HostId","Code","Message","RequestId"}`; every row of the
 * CreateCluster document's error table is answered with its status, code and message.
 *
 * ACK serves `/clusters/...` paths too: this service claims only requests that carry `x-acs-version: 2015-11-11`.
 *
 * Lifecycle: a cluster is `Active` from the moment it is created; its VMs follow the desired counts through one
 * {@link ManagedState} per change (model "batchcompute.cluster"), visible as `ActualVMCount` and `Metrics`.
 * DeleteCluster turns it `Deleting` and it disappears when that change settles; a second DeleteCluster meanwhile
 * answers 409 `StateConflict`.
 *
 * Idempotency: a token is remembered per account and region with the canonical JSON of its body, also after the
 * cluster is deleted. The same token with the same body answers the same Id (201) without creating anything;
 * with another body, 400 `IdempotentTokenMismatch`.
 *
 * Codes and messages marked "emulator" are this emulator's choice where the documents give none.
 */
import { canonicalJson } from "../../core/fields/normalise";
import { roaV1Authenticator } from "../auth-roa-v1";
import {
  AccountRegionStore,
  AdminRoute,
  ApiError,
  EmulatedService,
  EmulatorRuntime,
  ErrorRenderer,
  OperationContext,
  OperationResult,
  PendingChange,
  ServiceDefinition,
  adminRoutes,
  deepMerge,
  dropChange,
  hex,
  isPlainObject,
  startChange,
} from "../framework";

export const BATCHCOMPUTE_SERVICE = "batchcompute";
export const BATCHCOMPUTE_VERSION = "2015-11-11";
/** Progression model of VM changes and deletions. */
export const BATCHCOMPUTE_MODEL = "batchcompute.cluster";
export const BATCHCOMPUTE_DEFAULT_REGION = "cn-hangzhou";

/** Messages of the CreateCluster error table, verbatim, with `{key}`/`{value}` filled in. */
export const BATCHCOMPUTE_MESSAGES = {
  idempotentTokenMismatch: "Specified idempotent token mismatch.",
  invalidJsonFormat: "The request body has an invalid json format.",
  invalidHttpBody: "Specified parameter HttpBody is not valid. Its type must be object.",
  missing: (name: string) => `${name} is mandatory for this action.`,
  notValid: (name: string) => `Specified parameter ${name} is not valid.`,
  type: (name: string, type: string) => `Specified parameter ${name} is not valid. Its type must be ${type}.`,
  length: (name: string, lo: number, hi: number) => `Specified parameter ${name} is not valid. Its length must be in [${lo}, ${hi}].`,
  size: (name: string, lo: number, hi: number) => `Specified parameter ${name} is not valid. Its size must be in [${lo}, ${hi}].`,
  namePattern: "Specified parameter Name is not valid. It must only contain characters within [a-zA-Z0-9_-], and must not start with [0-9].",
  desiredVmCountRange: "Specified parameter DesiredVMCount is not valid. It must be in [1, 65536].",
  cidrBlock: "Specified parameter CidrBlock is not valid. Configs.Networks.VPC.CidrBlock is not valid.",
  quota: (name: string, value: number) => `The ${name} (${value}) quota is exhausted.`,
  forbidden: (name: string, value: string) => `The ${name} (${value}) is forbidden.`,
  notFound: (id: string) => `The specified cluster ${id} is not found.`, // emulator
  stateConflict: (id: string, state: string) => `The cluster ${id} is ${state}; the operation conflicts with its state.`, // emulator
} as const;

/** Account limits behind the QuotaExhausted codes (emulator defaults; change them with `admin.setQuotas`). */
export interface BatchComputeQuotas {
  MaxClusterCount: number;
  MaxClusterGroupCount: number;
  MaxClusterGroupDesiredVMCount: number;
  /** Values of `Configs.Networks.VPC.OppositeRouterType` this account may not use. */
  ForbiddenOppositeRouterTypes: string[];
}

export const BATCHCOMPUTE_DEFAULT_QUOTAS: Readonly<BatchComputeQuotas> = Object.freeze({
  MaxClusterCount: 50,
  MaxClusterGroupCount: 16,
  MaxClusterGroupDesiredVMCount: 1000,
  ForbiddenOppositeRouterTypes: [] as string[],
});

/** What GetCluster shows for members the request left out (emulator values; the SDKs show the same shapes). */
export const BATCHCOMPUTE_SERVER_DEFAULTS = {
  Notification: { Topic: { Name: "", Endpoint: "", Events: [] as string[] } },
  Configs: {
    Disks: { SystemDisk: { Type: "cloud_efficiency", Size: 40 }, DataDisk: { Type: "", Size: 0, MountPoint: "" } },
    Mounts: { Entries: [] as unknown[], Locale: "GBK", Lock: false, CacheSupport: false, NAS: { AccessGroup: [] as string[], FileSystem: [] as string[] }, OSS: { AccessKeyId: "" } },
    Networks: {
      Classic: { AllowIpAddress: [] as string[], AllowIpAddressEgress: [] as string[], AllowSecurityGroup: [] as string[], AllowSecurityGroupEgress: [] as string[] },
      VPC: { CidrBlock: "" },
    },
  },
  Group: { InstanceType: "", SpotStrategy: "", SpotPriceLimit: 0 },
} as const;

/** Members of `Configs.Mounts.OSS` that GetCluster never shows. */
const OSS_SECRETS = ["AccessKeySecret", "AccessSecurityToken"];

export type BatchComputeClusterStateName = "Active" | "Deleting";

/** A cluster's mutable record, handed to `mutateCluster` for out-of-band changes. */
export interface BatchComputeClusterState {
  readonly accountId: string;
  readonly regionId: string;
  readonly id: string;
  /** The CreateCluster body as sent (PascalCase), group changes merged in. */
  config: Record<string, any>;
  state: BatchComputeClusterStateName;
  /** Running VMs per group. */
  actual: Record<string, number>;
}

/** A cluster as GetCluster returns it (plus `RegionId` in admin listings). */
export type BatchComputeClusterView = Record<string, any> & { Id: string; State: BatchComputeClusterStateName; Groups: Record<string, Record<string, any>> };

export interface BatchComputeAdmin {
  /** Clusters as GetCluster would show them (without counting as a poll), with their `RegionId`. */
  clusters(): BatchComputeClusterView[];
  /** Removes a cluster out of band (someone deleted it in the console); its token stays remembered. */
  deleteCluster(id: string): void;
  /** Changes a cluster out of band (drift). */
  mutateCluster(id: string, patch: (c: BatchComputeClusterState) => void): void;
  setQuotas(quotas: Partial<BatchComputeQuotas>): BatchComputeQuotas;
  /** Manual progression: moves every busy cluster one step. */
  advance(): number;
}

// ---------------------------------------------------------------------------------------------------------------

class ClusterRecord implements BatchComputeClusterState {
  pending?: PendingChange;
  readonly logs: Array<{ Time: string; Level: string; Message: string }> = [];
  constructor(
    readonly accountId: string,
    readonly regionId: string,
    readonly id: string,
    public config: Record<string, any>,
    public state: BatchComputeClusterStateName,
    public actual: Record<string, number>,
    readonly creationTime: string,
  ) {}
}

interface RegionBackend {
  clusters: Map<string, ClusterRecord>;
  /** Token -> canonical JSON of the body it was first used with, and the cluster it made. */
  tokens: Map<string, { body: string; id: string }>;
}

function fail(status: number, code: string, message: string): never {
  throw new ApiError(status, code, message);
}

const M = BATCHCOMPUTE_MESSAGES;
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const TOKEN_RE = /^[A-Za-z0-9_]{1,64}$/;
const NAME_RE = /^[A-Za-z_-][A-Za-z0-9_-]*$/;
/** Instance types look like `bcs.a2.large` or `ecs.sn1ne.xlarge` (emulator rule). */
const INSTANCE_TYPE_RE = /^[a-z0-9]+(\.[a-z0-9-]+){2,}$/;
const RESOURCE_TYPES = ["OnDemand", "Spot"];
const SPOT_STRATEGIES = ["SpotWithPriceLimit", "SpotAsPriceGo"];
const CLUSTER_EVENTS = ["OnClusterDeleted", "OnInstanceCreated", "OnInstanceActive"];
const OPPOSITE_REQUIRED = ["OppositeRouterId", "OppositeAccessPointId", "OppositeRegionId"];

function cidrValid(text: unknown): boolean {
  if (typeof text !== "string") return false;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  return octets.reduce((acc, o) => acc * 256 + o, 0) % 2 ** (32 - prefix) === 0;
}

/** The body as JSON: 400 InvalidJsonFormat when it is not JSON, InvalidHttpBody when it is not an object. */
function parseBody(ctx: OperationContext): Record<string, any> {
  const text = ctx.req.body.toString("utf8").trim();
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    fail(400, "InvalidJsonFormat", M.invalidJsonFormat);
  }
  if (!isPlainObject(body)) fail(400, "InvalidHttpBody", M.invalidHttpBody);
  return body;
}

function checkString(value: unknown, name: string, code: string, lo: number, hi: number): void {
  if (typeof value !== "string") fail(400, code, M.type(name, "string"));
  if (value.length < lo || value.length > hi) fail(400, code, M.length(name, lo, hi));
}

/** The members of a group that both CreateCluster and ModifyCluster take. */
function checkGroupMembers(g: Record<string, any>, quotas: BatchComputeQuotas): void {
  if (g.DesiredVMCount !== undefined) {
    if (!isInt(g.DesiredVMCount)) fail(400, "InvalidDesiredVMCount", M.type("DesiredVMCount", "integer"));
    if (g.DesiredVMCount < 1 || g.DesiredVMCount > 65536) fail(400, "InvalidDesiredVMCount", M.desiredVmCountRange);
    if (g.DesiredVMCount > quotas.MaxClusterGroupDesiredVMCount) {
      fail(403, "QuotaExhausted.MaxClusterGroupDesiredVMCount", M.quota("MaxClusterGroupDesiredVMCount", quotas.MaxClusterGroupDesiredVMCount));
    }
  }
  if (g.InstanceType !== undefined && g.InstanceType !== "" && (typeof g.InstanceType !== "string" || !INSTANCE_TYPE_RE.test(g.InstanceType))) {
    fail(400, "InvalidInstanceType", M.notValid("InstanceType"));
  }
  if (g.SpotStrategy !== undefined && g.SpotStrategy !== "" && !SPOT_STRATEGIES.includes(g.SpotStrategy)) fail(400, "InvalidSpotStrategy", M.notValid("SpotStrategy"));
  if (g.SpotPriceLimit !== undefined && (typeof g.SpotPriceLimit !== "number" || !(g.SpotPriceLimit >= 0))) fail(400, "InvalidSpotPriceLimit", M.notValid("SpotPriceLimit"));
}

/** CreateCluster's checks, in the order of the document's error table where one applies. */
export function validateCreateCluster(body: Record<string, any>, quotas: BatchComputeQuotas): void {
  // Name
  if (body.Name === undefined || body.Name === null) fail(400, "MissingName", M.missing("Name"));
  checkString(body.Name, "Name", "InvalidName", 1, 64);
  if (!NAME_RE.test(body.Name)) fail(400, "InvalidName", M.namePattern);
  // Description
  if (body.Description !== undefined) checkString(body.Description, "Description", "InvalidDescription", 0, 1024);
  // ImageId
  if (body.ImageId === undefined || body.ImageId === null) fail(400, "MissingImageId", M.missing("ImageId"));
  checkString(body.ImageId, "ImageId", "InvalidImageId", 1, 256);
  // InstanceType
  if (body.InstanceType === undefined || body.InstanceType === null) fail(400, "MissingInstanceType", M.missing("InstanceType"));
  if (typeof body.InstanceType !== "string" || !INSTANCE_TYPE_RE.test(body.InstanceType)) fail(400, "InvalidInstanceType", M.notValid("InstanceType"));
  // UserData
  if (body.UserData !== undefined) {
    if (!isPlainObject(body.UserData)) fail(400, "InvalidUserData", M.type("UserData", "object"));
    const keys = Object.keys(body.UserData);
    if (keys.length > 64) fail(400, "InvalidUserData", M.size("UserData", 0, 64));
    for (const key of keys) {
      if (key.length < 1 || key.length > 128) fail(400, `InvalidUserData.${key}`, M.length(`UserData.${key}`, 1, 128));
      const value = body.UserData[key];
      if (typeof value !== "string") fail(400, `InvalidUserData.${key}.value`, M.type(`UserData.${key}.value`, "string"));
      if (value.length > 1024) fail(400, `InvalidUserData.${key}.value`, M.length(`UserData.${key}.value`, 0, 1024));
    }
  }
  // Notification (the generic Invalid{Parameter} row)
  if (body.Notification !== undefined) {
    if (!isPlainObject(body.Notification)) fail(400, "InvalidNotification", M.notValid("Notification"));
    const topic = body.Notification.Topic;
    if (topic !== undefined) {
      if (!isPlainObject(topic)) fail(400, "InvalidNotification.Topic", M.notValid("Notification.Topic"));
      const events = topic.Events;
      if (events !== undefined && (!Array.isArray(events) || events.some((e) => !CLUSTER_EVENTS.includes(e)))) {
        fail(400, "InvalidNotification.Topic.Events", M.notValid("Notification.Topic.Events"));
      }
    }
  }
  // Configs
  const configs = body.Configs;
  if (configs !== undefined && !isPlainObject(configs)) fail(400, "InvalidConfigs", M.notValid("Configs"));
  const vpc = configs?.Networks?.VPC;
  if (vpc !== undefined) {
    if (!isPlainObject(vpc)) fail(400, "InvalidConfigs.Networks.VPC", M.notValid("Configs.Networks.VPC"));
    if (vpc.CidrBlock !== undefined && vpc.CidrBlock !== "" && !cidrValid(vpc.CidrBlock)) fail(400, "InvalidCidrBlock", M.cidrBlock);
    const opposite = [...OPPOSITE_REQUIRED, "OppositeRouterType"].some((k) => vpc[k] !== undefined && vpc[k] !== "");
    if (opposite) {
      for (const k of OPPOSITE_REQUIRED) {
        if (vpc[k] === undefined || vpc[k] === "") fail(400, `MissingConfigs.Networks.VPC.${k}`, M.missing(`Configs.Networks.VPC.${k}`));
      }
      const type = vpc.OppositeRouterType;
      if (typeof type === "string" && quotas.ForbiddenOppositeRouterTypes.includes(type)) {
        fail(403, "QuotaExhausted.Configs.Networks.VPC.OppositeRouterType", M.forbidden("Configs.Networks.VPC.OppositeRouterType", type));
      }
    }
  }
  // Groups
  if (!isPlainObject(body.Groups)) fail(400, "InvalidGroups", M.type("Groups", "object"));
  const names = Object.keys(body.Groups);
  // The table's "Groups.{key} ... size must be in [1, 64]" row: read as the length of a group's name, and (as
  // InvalidGroups, the generic row) as the number of groups.
  if (names.length < 1 || names.length > 64) fail(400, "InvalidGroups", M.size("Groups", 1, 64));
  if (names.length > quotas.MaxClusterGroupCount) fail(403, "QuotaExhausted.MaxClusterGroupCount", M.quota("MaxClusterGroupCount", quotas.MaxClusterGroupCount));
  for (const name of names) {
    const g = body.Groups[name];
    if (!isPlainObject(g)) fail(400, `InvalidGroups.${name}`, M.type(`Groups.${name}`, "object"));
    if (name.length < 1 || name.length > 64) fail(400, `InvalidGroups.${name}`, M.size(`Groups.${name}`, 1, 64));
    if (g.DesiredVMCount === undefined || g.DesiredVMCount === null) fail(400, "MissingDesiredVMCount", M.missing("DesiredVMCount"));
    if (g.ResourceType === undefined || g.ResourceType === null) fail(400, "MissingResourceType", M.missing("ResourceType"));
    if (!RESOURCE_TYPES.includes(g.ResourceType)) fail(400, "InvalidResourceType", M.notValid("ResourceType"));
    checkGroupMembers(g, quotas);
  }
}

export class BatchComputeService implements EmulatedService {
  readonly definition: ServiceDefinition;
  readonly adminRoutes: AdminRoute[];
  readonly admin: BatchComputeAdmin;
  private readonly store = new AccountRegionStore<RegionBackend>(() => ({ clusters: new Map(), tokens: new Map() }));
  private quotas: BatchComputeQuotas = structuredClone(BATCHCOMPUTE_DEFAULT_QUOTAS) as BatchComputeQuotas;

  constructor(private readonly rt: EmulatorRuntime) {
    const renderError: ErrorRenderer = (err, ctx) => ({ HostId: ctx.host, Code: err.code, Message: err.message, RequestId: ctx.requestId });
    this.definition = {
      name: BATCHCOMPUTE_SERVICE,
      product: "batchcompute",
      version: BATCHCOMPUTE_VERSION,
      style: "ROA",
      authenticate: roaV1Authenticator,
      renderError,
      // ACK serves /clusters/... as well; Batch Compute is chosen by its API version only.
      claims: (_req, version) => version === BATCHCOMPUTE_VERSION,
      unimplementedActions: ["ListClusterInstances", "GetClusterInstance", "RecreateClusterInstance"],
      operations: [
        { action: "CreateCluster", method: "POST", path: "/clusters", handler: (c) => this.create(c) },
        { action: "ListClusters", method: "GET", path: "/clusters", handler: (c) => this.list(c) },
        { action: "GetCluster", method: "GET", path: "/clusters/{ClusterId}", handler: (c) => this.get(c) },
        { action: "ModifyCluster", method: "PUT", path: "/clusters/{ClusterId}", handler: (c) => this.modify(c) },
        { action: "DeleteCluster", method: "DELETE", path: "/clusters/{ClusterId}", handler: (c) => this.remove(c) },
      ],
    };
    this.admin = {
      clusters: () => this.adminClusters(),
      deleteCluster: (id) => this.adminDelete(id),
      mutateCluster: (id, patch) => this.adminMutate(id, patch),
      setQuotas: (q) => {
        this.quotas = { ...this.quotas, ...structuredClone(q) };
        return structuredClone(this.quotas);
      },
      advance: () => rt.tracker.advance(BATCHCOMPUTE_MODEL),
    };
    this.adminRoutes = [
      { method: "GET", path: "/clusters", handler: () => this.admin.clusters() },
      adminRoutes.removal("/clusters/{ClusterId}", "ClusterId", (params) => this.admin.deleteCluster(params.ClusterId)),
      adminRoutes.mutation("/clusters/{ClusterId}", 'an object like {"config"?: {...}, "state"?: "...", "actual"?: {...}}', ({ params, body }) => {
        this.admin.mutateCluster(params.ClusterId, (c) => {
          if (isPlainObject(body.config)) deepMerge(c.config, body.config);
          if (body.state === "Active" || body.state === "Deleting") c.state = body.state;
          if (isPlainObject(body.actual)) Object.assign(c.actual, body.actual);
        });
        return this.admin.clusters().find((c) => c.Id === params.ClusterId);
      }),
      { method: "POST", path: "/quotas", handler: ({ body }) => this.admin.setQuotas(isPlainObject(body) ? body : {}) },
      adminRoutes.advance(() => this.admin.advance()),
    ];
  }

  reset(): void {
    this.store.reset();
    this.quotas = structuredClone(BATCHCOMPUTE_DEFAULT_QUOTAS) as BatchComputeQuotas;
  }

  // ---- lookups ------------------------------------------------------------------------------------------------

  private now(): string {
    return new Date(this.rt.clock.now()).toISOString();
  }

  private find(ctx: OperationContext): { cluster: ClusterRecord; backend: RegionBackend } {
    this.rt.tracker.sweep();
    const id = ctx.pathParams.ClusterId;
    for (const [, backend] of this.store.regions(ctx.account.accountId, ctx.region)) {
      const cluster = backend.clusters.get(id);
      if (cluster) return { cluster, backend };
    }
    return fail(404, "InvalidResource.NotFound", M.notFound(id));
  }

  // ---- lifecycle ----------------------------------------------------------------------------------------------

  /** One asynchronous change; the previous one (if any) is dropped, as a new desired count supersedes it. */
  private start(cluster: ClusterRecord, settle: () => void): void {
    dropChange(cluster);
    startChange(this.rt, BATCHCOMPUTE_MODEL, cluster, {}, settle);
  }

  private followDesired(cluster: ClusterRecord): void {
    this.start(cluster, () => {
      for (const [name, g] of Object.entries(cluster.config.Groups ?? {})) cluster.actual[name] = (g as any).DesiredVMCount ?? 0;
    });
  }

  private log(cluster: ClusterRecord, message: string): void {
    cluster.logs.push({ Time: this.now(), Level: "Info", Message: message });
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private create(ctx: OperationContext): OperationResult {
    const body = parseBody(ctx);
    const token = ctx.params.IdempotentToken;
    if (token !== undefined && !TOKEN_RE.test(token)) fail(400, "InvalidIdempotentToken", M.notValid("IdempotentToken"));
    const region = ctx.region ?? BATCHCOMPUTE_DEFAULT_REGION;
    const backend = this.store.get(ctx.account.accountId, region);
    const canonical = canonicalJson(body);
    if (token !== undefined) {
      const seen = backend.tokens.get(token);
      if (seen) {
        if (seen.body !== canonical) fail(400, "IdempotentTokenMismatch", M.idempotentTokenMismatch);
        return { status: 201, body: { Id: seen.id } };
      }
    }
    validateCreateCluster(body, this.quotas);
    if (backend.clusters.size >= this.quotas.MaxClusterCount) fail(403, "QuotaExhausted.MaxClusterCount", M.quota("MaxClusterCount", this.quotas.MaxClusterCount));

    const id = `cls-${hex(11)}`;
    const config = structuredClone(body);
    const actual = Object.fromEntries(Object.keys(config.Groups).map((name) => [name, 0]));
    const cluster = new ClusterRecord(ctx.account.accountId, region, id, config, "Active", actual, this.now());
    backend.clusters.set(id, cluster);
    if (token !== undefined) backend.tokens.set(token, { body: canonical, id });
    this.log(cluster, "cluster created");
    this.followDesired(cluster);
    return { status: 201, body: { Id: id } };
  }

  private get(ctx: OperationContext): OperationResult {
    const { cluster, backend } = this.find(ctx);
    cluster.pending?.op.observe();
    if (!backend.clusters.has(cluster.id)) fail(404, "InvalidResource.NotFound", M.notFound(cluster.id));
    return { body: this.view(cluster) };
  }

  private list(ctx: OperationContext): OperationResult {
    this.rt.tracker.sweep();
    const raw = ctx.params.MaxItemCount;
    const max = raw === undefined || raw === "" ? 50 : Number(raw);
    if (!Number.isInteger(max) || max < 1 || max > 100) fail(400, "InvalidMaxItemCount", M.notValid("MaxItemCount"));
    const all: ClusterRecord[] = [];
    // Like GetCluster: the header's region, or every region of the account when the request names none.
    for (const [, backend] of this.store.regions(ctx.account.accountId, ctx.region)) {
      for (const c of backend.clusters.values()) c.pending?.op.observe();
      all.push(...backend.clusters.values());
    }
    const marker = ctx.params.Marker;
    const start = marker === undefined || marker === "" ? 0 : all.findIndex((c) => c.id === marker);
    if (start < 0) fail(400, "InvalidMarker", M.notValid("Marker"));
    const page = all.slice(start, start + max);
    const next = all[start + max];
    return { body: { Items: page.map((c) => this.view(c)), NextMarker: next ? next.id : "" } };
  }

  private modify(ctx: OperationContext): OperationResult {
    const body = parseBody(ctx);
    const { cluster } = this.find(ctx);
    if (cluster.state === "Deleting") fail(409, "StateConflict", M.stateConflict(cluster.id, cluster.state));
    for (const key of Object.keys(body)) if (key !== "Groups") fail(400, `Invalid${key}`, M.notValid(key));
    if (!isPlainObject(body.Groups)) fail(400, "InvalidGroups", M.type("Groups", "object"));
    for (const [name, g] of Object.entries(body.Groups)) {
      if (!isPlainObject(cluster.config.Groups[name])) fail(400, `InvalidGroups.${name}`, M.notValid(`Groups.${name}`)); // emulator: unknown group
      if (!isPlainObject(g)) fail(400, `InvalidGroups.${name}`, M.type(`Groups.${name}`, "object"));
      for (const key of Object.keys(g)) {
        if (!["DesiredVMCount", "InstanceType", "SpotStrategy", "SpotPriceLimit"].includes(key)) fail(400, `Invalid${key}`, M.notValid(key));
      }
      checkGroupMembers(g, this.quotas);
    }
    for (const [name, g] of Object.entries(body.Groups)) Object.assign(cluster.config.Groups[name], g);
    this.log(cluster, `groups changed: ${Object.keys(body.Groups).join(", ")}`);
    this.followDesired(cluster);
    return { status: 200, body: {} };
  }

  private remove(ctx: OperationContext): OperationResult {
    const { cluster, backend } = this.find(ctx);
    cluster.pending?.op.peek();
    if (!backend.clusters.has(cluster.id)) fail(404, "InvalidResource.NotFound", M.notFound(cluster.id));
    if (cluster.state === "Deleting") fail(409, "StateConflict", M.stateConflict(cluster.id, cluster.state));
    cluster.state = "Deleting";
    this.log(cluster, "cluster deleting");
    this.start(cluster, () => backend.clusters.delete(cluster.id));
    return { status: 204, body: "" };
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  private view(c: ClusterRecord): BatchComputeClusterView {
    const cfg = structuredClone(c.config);
    const d = BATCHCOMPUTE_SERVER_DEFAULTS;
    const configs = deepMerge(structuredClone(d.Configs) as Record<string, any>, isPlainObject(cfg.Configs) ? cfg.Configs : {});
    for (const k of OSS_SECRETS) delete configs.Mounts.OSS[k];
    const groups: Record<string, Record<string, any>> = {};
    let running = 0;
    let starting = 0;
    let stopping = 0;
    for (const [name, g] of Object.entries<Record<string, any>>(cfg.Groups ?? {})) {
      const desired = g.DesiredVMCount ?? 0;
      const actual = c.actual[name] ?? 0;
      running += actual;
      starting += Math.max(0, desired - actual);
      stopping += Math.max(0, actual - desired);
      groups[name] = { ...d.Group, ...g, DesiredVMCount: desired, ActualVMCount: actual };
    }
    const owner = Number(c.accountId);
    // GetCluster's documented fields (doc-detail/44741): no top-level InstanceType.
    return {
      Id: c.id,
      Name: cfg.Name,
      OwnerId: Number.isSafeInteger(owner) ? owner : c.accountId,
      Description: cfg.Description ?? "",
      CreationTime: c.creationTime,
      State: c.state,
      ImageId: cfg.ImageId,
      UserData: cfg.UserData ?? {},
      Notification: deepMerge(structuredClone(d.Notification) as Record<string, any>, isPlainObject(cfg.Notification) ? cfg.Notification : {}),
      Configs: configs,
      Groups: groups,
      OperationLogs: structuredClone(c.logs),
      Metrics: { RunningCount: running, StartingCount: starting, StoppingCount: stopping, StoppedCount: 0 },
    };
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  private adminFind(id: string): { cluster: ClusterRecord; backend: RegionBackend } {
    for (const { backend } of this.store.all()) {
      const cluster = backend.clusters.get(id);
      if (cluster) return { cluster, backend };
    }
    throw new Error(`no Batch Compute cluster ${id}`);
  }

  private adminClusters(): BatchComputeClusterView[] {
    this.rt.tracker.sweep();
    return this.store.all().flatMap(({ region, backend }) => [...backend.clusters.values()].map((c) => ({ ...this.view(c), RegionId: region })));
  }

  private adminDelete(id: string): void {
    const { cluster, backend } = this.adminFind(id);
    dropChange(cluster);
    backend.clusters.delete(id);
  }

  private adminMutate(id: string, patch: (c: BatchComputeClusterState) => void): void {
    this.rt.tracker.sweep();
    const { cluster } = this.adminFind(id);
    patch(cluster);
  }
}

export function createBatchComputeService(rt: EmulatorRuntime): BatchComputeService {
  return new BatchComputeService(rt);
}
