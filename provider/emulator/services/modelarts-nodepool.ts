/**
 * Huawei Cloud ModelArts (REST, `v2` paths, APIG AK/SK signature `SDK-HMAC-SHA256`) node pools of resource pools.
 *
 * Operations: ListNodePools, CreateNodePool, ShowNodePool, PatchNodePool (JSON merge patch, RFC 7396), DeleteNodePool,
 * all under `/v2/{project_id}/pools/{pool_name}/nodepools`. Shapes follow the CreateNodePool API reference and the Go
 * SDK models (`ShowNodePoolResponse`, `NodePoolStatus{resources{creating, available, abnormal, deleting}}`, each a
 * `PoolResourceFlavorCount`); see the cloud-apis reference §4.4 and the IaC anchors A4.
 *
 * State is kept per account and project. Resource pools are not created through the API: tests seed them with the
 * admin accessor ({@link ModelArtsAdmin.seedPool}); a request for a pool that does not exist answers 404
 * `ModelArts.50015001`. A missing node pool answers the documented ShowNodePool example, 400 `ModelArts.50004000`
 * "Bad request. invalid nodepool name". Validation errors are 400 `ModelArts.50004000` with a message that names the
 * field ("Bad request. ..."; the texts after "Bad request." are this emulator's).
 *
 * Lifecycle (model "modelarts.nodepool"): a create shows its nodes under `status.resources.creating` until it settles,
 * then under `available` (or `abnormal` after {@link ModelArtsAdmin.failNextCreate}); a count change shows the added
 * nodes as `creating` or the removed ones as `deleting` until it settles; a delete shows every node as `deleting`,
 * then the node pool is gone. Changes of labels, taints, tags, maxCount or annotations apply at once.
 */
import { huaweiAuthenticator, huaweiErrorBody, HUAWEI_REQUEST_ID_HEADER } from "../auth-huawei";
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
  headerValue,
  isBusy,
  isPlainObject,
  startChange,
} from "../framework";

export const MODELARTS_SERVICE = "modelarts";
export const MODELARTS_VERSION = "v2";
/** Progression model of node pool changes. */
export const MODELARTS_MODEL = "modelarts.nodepool";
/** The project the admin accessors use when none is given (tests point HW_PROJECT_ID at it). */
export const MODELARTS_DEFAULT_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

export const MODELARTS_CODES = {
  badRequest: "ModelArts.50004000",
  poolNotFound: "ModelArts.50015001",
} as const;

export const MODELARTS_MESSAGES = {
  /** The pool-level 404 (ListWorkloads/pool API examples). */
  poolNotFound: (name: string) => `Pool ${name} not found.`,
  /** Verbatim from the ShowNodePool example. */
  invalidNodePoolName: "Bad request. invalid nodepool name",
  badRequest: (why: string) => `Bad request. ${why}`,
  nameTaken: (name: string, pool: string) => `Bad request. nodepool ${name} already exists in pool ${pool}`, // emulator
  busy: (name: string, what: string) => `Bad request. nodepool ${name} is ${what}, try again later`, // emulator
  notPrivileged: (field: string) => `Bad request. spec.resources.${field} cannot be specified for a non-privileged pool`, // emulator
  immutable: (field: string) => `Bad request. spec.resources.${field} cannot be modified`, // emulator
  prepaidDelete: "Bad request. yearly/monthly node pools cannot be deleted; unsubscribe them instead", // emulator (DOC: not supported)
  mergePatchOnly: "Bad request. Content-Type must be application/merge-patch+json", // emulator (DOC: the only allowed value)
  throttled: "The throttling threshold has been reached",
} as const;

/** Annotation keys of the billing settings. */
export const BILLING = {
  mode: "os.modelarts/billing.mode",
  periodNum: "os.modelarts/period.num",
  periodType: "os.modelarts/period.type",
  autoRenew: "os.modelarts/auto.renew",
  orderId: "os.modelarts/order.id",
} as const;

/** `spec.resources` members a patch may not change (this package replaces the node pool for them). */
const IMMUTABLE = ["flavor", "nodePool", "network", "extendParams", "creatingStep", "os"] as const;
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** A `PoolResourceFlavorCount`. */
export interface FlavorCount {
  flavor: string;
  count: number;
  maxCount?: number;
  nodePool?: string;
  azs?: Array<{ az: string; count: number }>;
}

export interface NodePoolStatusResources {
  creating?: FlavorCount;
  available?: FlavorCount;
  abnormal?: FlavorCount;
  deleting?: FlavorCount;
}

/** A node pool's mutable record, handed to `mutateNodePool` for out-of-band changes. */
export interface ModelArtsNodePoolState {
  readonly accountId: string;
  readonly projectId: string;
  readonly poolName: string;
  readonly name: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { resources: Record<string, any> };
  status: { resources: NodePoolStatusResources };
}

/** A node pool as ShowNodePool returns it (plus `poolName` and `projectId` in admin listings). */
export interface ModelArtsNodePoolView {
  apiVersion: "v2";
  kind: "NodePool";
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { resources: Record<string, any> };
  status: { resources: NodePoolStatusResources };
  poolName?: string;
  projectId?: string;
}

export interface ModelArtsPoolSeed {
  poolName: string;
  projectId?: string;
  accountId?: string;
  /** "physical": maxCount must equal count; "logical" (default): maxCount at least count. */
  type?: "physical" | "logical";
  /** Non-privileged pools refuse taints, tags and network settings. Default true. */
  privileged?: boolean;
}

export interface ModelArtsPoolInfo {
  poolName: string;
  projectId: string;
  accountId: string;
  type: "physical" | "logical";
  privileged: boolean;
}

export interface ModelArtsAdmin {
  /** Creates a resource pool (idempotent for the same project). */
  seedPool(opts: ModelArtsPoolSeed): ModelArtsPoolInfo;
  pools(): ModelArtsPoolInfo[];
  /** Node pools as ShowNodePool would show them (without counting as a poll). */
  nodePools(filter?: { poolName?: string; projectId?: string }): ModelArtsNodePoolView[];
  /** Removes a node pool out of band (someone deleted it in the console). */
  deleteNodePool(poolName: string, name: string, projectId?: string): void;
  /** Changes a node pool out of band (drift). Available nodes follow a changed `spec.resources.count` unless the patch set a status. */
  mutateNodePool(poolName: string, name: string, patch: (np: ModelArtsNodePoolState) => void, projectId?: string): void;
  /** The next created node pool settles with `abnormal` nodes (default: all of them). */
  failNextCreate(opts?: { abnormal?: number }): void;
  /** Manual progression: moves every busy node pool one step. Returns how many moved. */
  advance(): number;
}

// ---------------------------------------------------------------------------------------------------------------

interface PoolRecord extends ModelArtsPoolInfo {
  nodePools: Map<string, NodePoolRecord>;
}

interface ProjectBackend {
  pools: Map<string, PoolRecord>;
}

class NodePoolRecord implements ModelArtsNodePoolState {
  pending?: PendingChange<{ what: string }>;
  constructor(
    readonly accountId: string,
    readonly projectId: string,
    readonly poolName: string,
    readonly name: string,
    public metadata: { name: string; annotations?: Record<string, string> },
    public spec: { resources: Record<string, any> },
    public status: { resources: NodePoolStatusResources },
  ) {}
}

function bad(why: string): never {
  throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.badRequest(why));
}

function isInt(v: unknown, min = 0): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

function checkStringMap(v: unknown, field: string): void {
  if (!isPlainObject(v) || Object.values(v).some((x) => typeof x !== "string")) bad(`${field} must be a map of strings`);
}

/** JSON with sorted object keys, so that equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

/** RFC 7396: objects merge member by member, `null` removes a member, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function flavorCount(resources: Record<string, any>, count: number): FlavorCount {
  const fc: FlavorCount = { flavor: resources.flavor, count };
  if (resources.maxCount !== undefined) fc.maxCount = resources.maxCount;
  if (resources.nodePool !== undefined) fc.nodePool = resources.nodePool;
  if (Array.isArray(resources.azs) && count === resources.count) fc.azs = structuredClone(resources.azs);
  return fc;
}

/** `status.resources` of a settled node pool: `abnormal` of the nodes are abnormal, the rest available. */
function settledResources(resources: Record<string, any>, abnormal = 0): NodePoolStatusResources {
  const total = isInt(resources.count) ? resources.count : 0;
  const out: NodePoolStatusResources = {};
  if (total - abnormal > 0) out.available = flavorCount(resources, total - abnormal);
  if (abnormal > 0) out.abnormal = { flavor: resources.flavor, count: abnormal };
  return out;
}

/** Checks a node pool document (a create body, or the document after a merge patch). */
export function validateNodePool(doc: Record<string, any>, pool: ModelArtsPoolInfo): void {
  const annotations = doc.metadata?.annotations;
  if (annotations !== undefined) {
    checkStringMap(annotations, "metadata.annotations");
    const mode = annotations[BILLING.mode];
    if (mode !== undefined && mode !== "0" && mode !== "1") bad(`${BILLING.mode} must be "0" or "1"`);
    if (mode === "1") {
      for (const key of [BILLING.periodNum, BILLING.periodType, BILLING.orderId]) {
        if (!isNonEmptyString(annotations[key])) bad(`${key} is mandatory when the billing mode is yearly/monthly`);
      }
    }
    const periodType = annotations[BILLING.periodType];
    if (periodType !== undefined && !["2", "3", "4"].includes(periodType)) bad(`${BILLING.periodType} must be "2", "3" or "4"`);
    const renew = annotations[BILLING.autoRenew];
    if (renew !== undefined && renew !== "0" && renew !== "1") bad(`${BILLING.autoRenew} must be "0" or "1"`);
    const periodNum = annotations[BILLING.periodNum];
    if (periodNum !== undefined && !/^[1-9][0-9]*$/.test(periodNum)) bad(`${BILLING.periodNum} must be a positive whole number`);
  }

  const r = doc.spec?.resources;
  if (!isPlainObject(r)) bad("spec.resources is required");
  if (!isNonEmptyString(r.flavor)) bad("spec.resources.flavor is required");
  if (!isInt(r.count)) bad("spec.resources.count must be an integer >= 0");
  if (!isInt(r.maxCount)) bad("spec.resources.maxCount must be an integer >= 0");
  if (pool.type === "physical" && r.maxCount !== r.count) bad(`spec.resources.maxCount (${r.maxCount}) must equal spec.resources.count (${r.count}) in a physical pool`);
  if (pool.type === "logical" && r.maxCount < r.count) bad(`spec.resources.maxCount (${r.maxCount}) must be >= spec.resources.count (${r.count}) in a logical pool`);
  if (r.azs !== undefined) {
    if (!Array.isArray(r.azs) || r.azs.some((a: any) => !isPlainObject(a) || !isNonEmptyString(a.az) || !isInt(a.count))) {
      bad("spec.resources.azs must be a list of {az, count} with a non-empty az and an integer count >= 0");
    }
  }
  if (r.nodePool !== undefined && typeof r.nodePool !== "string") bad("spec.resources.nodePool must be a string");
  if (r.taints !== undefined) {
    if (!Array.isArray(r.taints)) bad("spec.resources.taints must be a list");
    for (const t of r.taints) {
      if (!isPlainObject(t) || !isNonEmptyString(t.key)) bad("spec.resources.taints[].key is required");
      if (!TAINT_EFFECTS.includes(t.effect)) bad(`spec.resources.taints[].effect must be one of ${TAINT_EFFECTS.join(", ")}`);
      if (t.value !== undefined && typeof t.value !== "string") bad("spec.resources.taints[].value must be a string");
    }
  }
  if (r.labels !== undefined) checkStringMap(r.labels, "spec.resources.labels");
  if (r.tags !== undefined) {
    if (!Array.isArray(r.tags)) bad("spec.resources.tags must be a list");
    for (const t of r.tags) {
      if (!isPlainObject(t) || !isNonEmptyString(t.key)) bad("spec.resources.tags[].key is required");
      if (t.key.startsWith("CCE-") || t.key.startsWith("__type_baremetal")) bad(`tag key ${t.key} cannot start with CCE- or __type_baremetal`);
      if (typeof t.value !== "string") bad("spec.resources.tags[].value is required");
    }
  }
  if (r.network !== undefined) {
    const n = r.network;
    if (!isPlainObject(n)) bad("spec.resources.network must be an object");
    if (n.vpc !== undefined && typeof n.vpc !== "string") bad("spec.resources.network.vpc must be a string");
    if (n.subnet !== undefined && typeof n.subnet !== "string") bad("spec.resources.network.subnet must be a string");
    if (n.securityGroups !== undefined && (!Array.isArray(n.securityGroups) || n.securityGroups.some((g: unknown) => typeof g !== "string"))) {
      bad("spec.resources.network.securityGroups must be a list of strings");
    }
  }
  if (r.extendParams !== undefined) {
    checkStringMap(r.extendParams, "spec.resources.extendParams");
    const size = r.extendParams.dockerBaseSize;
    if (size !== undefined && !/^(0|[1-9][0-9]*)$/.test(size)) bad("extendParams.dockerBaseSize must be a whole number");
  }
  if (r.creatingStep !== undefined) {
    const s = r.creatingStep;
    if (!isPlainObject(s)) bad("spec.resources.creatingStep must be an object");
    if (s.step !== undefined && !isInt(s.step, 1)) bad("spec.resources.creatingStep.step must be an integer >= 1");
    if (s.type !== undefined && s.type !== "hyperinstance") bad('spec.resources.creatingStep.type must be "hyperinstance"');
  }
  if (r.os !== undefined) {
    const o = r.os;
    if (!isPlainObject(o)) bad("spec.resources.os must be an object");
    if (o.imageType !== undefined && o.imageType !== "private") bad('spec.resources.os.imageType must be "private"');
  }
  if (!pool.privileged) {
    for (const k of ["taints", "tags", "network"]) {
      if (r[k] !== undefined) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.notPrivileged(k));
    }
  }
}

export class ModelArtsService implements EmulatedService {
  readonly definition: ServiceDefinition;
  readonly adminRoutes: AdminRoute[];
  readonly admin: ModelArtsAdmin;
  private readonly store = new AccountRegionStore<ProjectBackend>(() => ({ pools: new Map() }));
  private failNext: { abnormal?: number } | undefined;

  constructor(private readonly rt: EmulatorRuntime) {
    const base = "/v2/{project_id}/pools/{pool_name}/nodepools";
    this.definition = {
      name: MODELARTS_SERVICE,
      product: "modelarts",
      version: MODELARTS_VERSION,
      style: "ROA",
      authenticate: huaweiAuthenticator,
      renderError: huaweiErrorBody,
      requestIdHeader: HUAWEI_REQUEST_ID_HEADER,
      throttlingError: (retryAfterMs) =>
        new ApiError(429, "APIG.0308", MODELARTS_MESSAGES.throttled, { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) }),
      // Huawei requests carry no Alibaba version header; anything that does belongs to another service.
      claims: (_req, version) => version === undefined,
      operations: [
        { action: "ListNodePools", method: "GET", path: base, handler: (c) => this.list(c) },
        { action: "CreateNodePool", method: "POST", path: base, handler: (c) => this.create(c) },
        { action: "ShowNodePool", method: "GET", path: `${base}/{nodepool_name}`, handler: (c) => this.show(c) },
        { action: "PatchNodePool", method: "PATCH", path: `${base}/{nodepool_name}`, handler: (c) => this.patch(c) },
        { action: "DeleteNodePool", method: "DELETE", path: `${base}/{nodepool_name}`, handler: (c) => this.remove(c) },
      ],
    };
    this.admin = {
      seedPool: (opts) => this.seedPool(opts),
      pools: () => this.store.all().flatMap(({ backend }) => [...backend.pools.values()].map(poolInfo)),
      nodePools: (filter) => this.adminNodePools(filter),
      deleteNodePool: (poolName, name, projectId) => this.adminDelete(poolName, name, projectId),
      mutateNodePool: (poolName, name, patch, projectId) => this.adminMutate(poolName, name, patch, projectId),
      failNextCreate: (opts) => {
        this.failNext = opts ?? {};
      },
      advance: () => this.rt.tracker.advance(MODELARTS_MODEL),
    };
    this.adminRoutes = [
      ...adminRoutes.seeding<ModelArtsPoolSeed>("/pools", () => this.admin.pools(), (seed) => this.seedPool(seed)),
      { method: "GET", path: "/nodepools", handler: ({ query }) => this.admin.nodePools({ poolName: query.poolName, projectId: query.projectId }) },
      adminRoutes.removal("/nodepools/{PoolName}/{Name}", "Name", (params, query) => this.admin.deleteNodePool(params.PoolName, params.Name, query.projectId)),
      adminRoutes.mutation("/nodepools/{PoolName}/{Name}", "an object like {metadata?: {...}, spec?: {...}, status?: {...}}", ({ params, query, body }) => {
        this.admin.mutateNodePool(
          params.PoolName,
          params.Name,
          (np) => {
            if (isPlainObject(body.metadata)) deepMerge(np.metadata, body.metadata);
            if (isPlainObject(body.spec)) deepMerge(np.spec, body.spec);
            if (isPlainObject(body.status)) deepMerge(np.status, body.status);
          },
          query.projectId,
        );
        return this.admin.nodePools({ poolName: params.PoolName, projectId: query.projectId }).find((n) => n.metadata.name === params.Name);
      }),
      adminRoutes.trigger("/fail-next-create", (body) => this.admin.failNextCreate(isPlainObject(body) && isInt(body.abnormal) ? { abnormal: body.abnormal } : undefined)),
      adminRoutes.advance(() => this.admin.advance()),
    ];
  }

  reset(): void {
    this.store.reset();
    this.failNext = undefined;
  }

  seedPool(opts: ModelArtsPoolSeed): ModelArtsPoolInfo {
    if (!opts || !isNonEmptyString(opts.poolName)) throw new Error("seedPool needs a poolName");
    if (opts.type !== undefined && opts.type !== "physical" && opts.type !== "logical") throw new Error('type must be "physical" or "logical"');
    const accountId = opts.accountId ?? this.rt.defaultAccount.accountId;
    const projectId = opts.projectId ?? MODELARTS_DEFAULT_PROJECT;
    const backend = this.store.get(accountId, projectId);
    const existing = backend.pools.get(opts.poolName);
    if (existing) return poolInfo(existing);
    const pool: PoolRecord = {
      poolName: opts.poolName,
      projectId,
      accountId,
      type: opts.type ?? "logical",
      privileged: opts.privileged ?? true,
      nodePools: new Map(),
    };
    backend.pools.set(pool.poolName, pool);
    return poolInfo(pool);
  }

  // ---- lookups ------------------------------------------------------------------------------------------------

  private findPool(ctx: OperationContext): PoolRecord {
    this.rt.tracker.sweep();
    const name = ctx.pathParams.pool_name;
    const [entry] = this.store.regions(ctx.account.accountId, ctx.pathParams.project_id);
    const pool = entry?.[1].pools.get(name);
    if (!pool) throw new ApiError(404, MODELARTS_CODES.poolNotFound, MODELARTS_MESSAGES.poolNotFound(name));
    return pool;
  }

  private findNodePool(ctx: OperationContext): { pool: PoolRecord; np: NodePoolRecord } {
    const pool = this.findPool(ctx);
    const np = pool.nodePools.get(ctx.pathParams.nodepool_name);
    if (!np) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.invalidNodePoolName);
    return { pool, np };
  }

  private body(ctx: OperationContext): Record<string, any> {
    const text = ctx.req.body.toString("utf8").trim();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      bad("the request body is not valid JSON");
    }
    if (!isPlainObject(parsed)) bad("the request body must be a JSON object");
    return parsed;
  }

  private assertIdle(np: NodePoolRecord): void {
    if (isBusy(np)) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.busy(np.name, np.pending!.what));
  }

  /** Starts a change: `busy` shows until it settles, then `settle` runs. */
  private start(np: NodePoolRecord, what: string, busy: NodePoolStatusResources, settle: () => void): void {
    np.status = { resources: busy };
    startChange(this.rt, MODELARTS_MODEL, np, { what }, settle);
  }

  // ---- handlers -----------------------------------------------------------------------------------------------

  private list(ctx: OperationContext): OperationResult {
    const pool = this.findPool(ctx);
    const items = [...pool.nodePools.values()];
    for (const np of items) np.pending?.op.observe();
    return { body: { apiVersion: MODELARTS_VERSION, kind: "List", metadata: {}, items: [...pool.nodePools.values()].map(view) } };
  }

  private create(ctx: OperationContext): OperationResult {
    // Pool exists -> body shape -> name given -> name free -> field rules.
    const pool = this.findPool(ctx);
    const body = this.body(ctx);
    if (body.apiVersion !== MODELARTS_VERSION) bad('apiVersion must be "v2"');
    if (body.kind !== "NodePool") bad('kind must be "NodePool"');
    if (!isPlainObject(body.metadata) || !isNonEmptyString(body.metadata.name)) bad("metadata.name is required");
    const name: string = body.metadata.name;
    if (pool.nodePools.has(name)) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.nameTaken(name, pool.poolName));
    validateNodePool(body, pool);

    const metadata: ModelArtsNodePoolState["metadata"] = { name };
    if (isPlainObject(body.metadata.annotations)) metadata.annotations = structuredClone(body.metadata.annotations);
    const resources = structuredClone(body.spec.resources);
    const np = new NodePoolRecord(pool.accountId, pool.projectId, pool.poolName, name, metadata, { resources }, { resources: {} });
    pool.nodePools.set(name, np);
    const failure = this.failNext;
    this.failNext = undefined;
    const total: number = resources.count;
    const abnormal = failure ? Math.min(total, failure.abnormal ?? total) : 0;
    this.start(np, "creating", total > 0 ? { creating: flavorCount(resources, total) } : {}, () => {
      np.status = { resources: settledResources(np.spec.resources, abnormal) };
    });
    return { body: view(np) };
  }

  private show(ctx: OperationContext): OperationResult {
    const { pool, np } = this.findNodePool(ctx);
    np.pending?.op.observe();
    if (!pool.nodePools.has(np.name)) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.invalidNodePoolName);
    return { body: view(np) };
  }

  private patch(ctx: OperationContext): OperationResult {
    const contentType = (headerValue(ctx.req.headers, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (contentType !== "application/merge-patch+json") throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.mergePatchOnly);
    const { pool, np } = this.findNodePool(ctx);
    const body = this.body(ctx);
    this.assertIdle(np);
    for (const k of Object.keys(body)) {
      if (!["metadata", "spec", "apiVersion", "kind"].includes(k)) bad(`${k} cannot be patched`);
    }
    if (body.metadata !== undefined && body.metadata !== null) {
      if (!isPlainObject(body.metadata)) bad("metadata must be an object");
      for (const k of Object.keys(body.metadata)) {
        if (k === "name" && body.metadata.name === np.name) continue;
        if (k !== "annotations") bad(`metadata.${k} cannot be modified`);
      }
    }
    if (body.spec !== undefined && body.spec !== null && !isPlainObject(body.spec)) bad("spec must be an object");

    const current = { metadata: { annotations: np.metadata.annotations ?? {} }, spec: np.spec };
    const change: Record<string, unknown> = {};
    if (isPlainObject(body.metadata) && body.metadata.annotations !== undefined) change.metadata = { annotations: body.metadata.annotations };
    if (isPlainObject(body.spec)) change.spec = body.spec;
    const next = mergePatch(current, change) as Record<string, any>;
    const resources: Record<string, any> = next.spec?.resources ?? {};
    for (const k of IMMUTABLE) {
      if (canonical(resources[k]) !== canonical(np.spec.resources[k])) throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.immutable(k));
    }
    validateNodePool(next, pool);

    const before: number = np.spec.resources.count;
    const after: number = resources.count;
    const annotations = next.metadata?.annotations;
    np.metadata = isPlainObject(annotations) && Object.keys(annotations).length > 0 ? { name: np.name, annotations } : { name: np.name };
    np.spec = { resources };
    if (after > before) {
      this.start(np, "scaling", { available: flavorCount(resources, before), creating: flavorCount(resources, after - before) }, () => {
        np.status = { resources: settledResources(np.spec.resources) };
      });
    } else if (after < before) {
      const busy: NodePoolStatusResources = { deleting: flavorCount(resources, before - after) };
      if (after > 0) busy.available = flavorCount(resources, after);
      this.start(np, "scaling", busy, () => {
        np.status = { resources: settledResources(np.spec.resources) };
      });
    } else {
      // Labels, taints, tags, maxCount, annotations: applied at once; abnormal nodes stay abnormal.
      const abnormal = np.status.resources.abnormal?.count ?? 0;
      np.status = { resources: settledResources(resources, abnormal) };
    }
    return { body: view(np) };
  }

  private remove(ctx: OperationContext): OperationResult {
    const { pool, np } = this.findNodePool(ctx);
    if (np.pending?.what === "deleting" && isBusy(np)) return { body: view(np) };
    this.assertIdle(np);
    if (np.metadata.annotations?.[BILLING.mode] === "1") throw new ApiError(400, MODELARTS_CODES.badRequest, MODELARTS_MESSAGES.prepaidDelete);
    const r = np.status.resources;
    const total = (r.available?.count ?? 0) + (r.abnormal?.count ?? 0) + (r.creating?.count ?? 0);
    this.start(np, "deleting", total > 0 ? { deleting: flavorCount(np.spec.resources, total) } : {}, () => {
      pool.nodePools.delete(np.name);
    });
    return { body: view(np) };
  }

  // ---- admin --------------------------------------------------------------------------------------------------

  private adminFind(poolName: string, name: string, projectId?: string): { pool: PoolRecord; np: NodePoolRecord } {
    this.rt.tracker.sweep();
    for (const { region, backend } of this.store.all()) {
      if (projectId !== undefined && region !== projectId) continue;
      const pool = backend.pools.get(poolName);
      const np = pool?.nodePools.get(name);
      if (pool && np) return { pool, np };
    }
    throw new Error(`no node pool ${name} in pool ${poolName}`);
  }

  private adminNodePools(filter?: { poolName?: string; projectId?: string }): ModelArtsNodePoolView[] {
    this.rt.tracker.sweep();
    const out: ModelArtsNodePoolView[] = [];
    for (const { region, backend } of this.store.all()) {
      if (filter?.projectId !== undefined && region !== filter.projectId) continue;
      for (const pool of backend.pools.values()) {
        if (filter?.poolName !== undefined && pool.poolName !== filter.poolName) continue;
        for (const np of pool.nodePools.values()) out.push({ ...view(np), poolName: pool.poolName, projectId: pool.projectId });
      }
    }
    return out;
  }

  private adminDelete(poolName: string, name: string, projectId?: string): void {
    const { pool, np } = this.adminFind(poolName, name, projectId);
    dropChange(np);
    pool.nodePools.delete(name);
  }

  private adminMutate(poolName: string, name: string, patch: (np: ModelArtsNodePoolState) => void, projectId?: string): void {
    const { np } = this.adminFind(poolName, name, projectId);
    const countBefore = np.spec.resources.count;
    const statusBefore = JSON.stringify(np.status);
    patch(np);
    const statusChanged = JSON.stringify(np.status) !== statusBefore;
    if (!statusChanged && !np.pending && np.spec.resources.count !== countBefore) {
      np.status = { resources: settledResources(np.spec.resources, np.status.resources.abnormal?.count ?? 0) };
    }
  }
}

function poolInfo(p: PoolRecord): ModelArtsPoolInfo {
  return { poolName: p.poolName, projectId: p.projectId, accountId: p.accountId, type: p.type, privileged: p.privileged };
}

function view(np: NodePoolRecord): ModelArtsNodePoolView {
  const metadata: ModelArtsNodePoolView["metadata"] = { name: np.name };
  if (np.metadata.annotations && Object.keys(np.metadata.annotations).length > 0) metadata.annotations = structuredClone(np.metadata.annotations);
  return {
    apiVersion: "v2",
    kind: "NodePool",
    metadata,
    spec: structuredClone(np.spec),
    status: structuredClone(np.status),
  };
}

export function createModelArtsService(rt: EmulatorRuntime): ModelArtsService {
  return new ModelArtsService(rt);
}
