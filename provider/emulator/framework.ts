/**
 * The cloud-emulator framework: everything that is not specific to one cloud API.
 *
 * Built after moto and LocalStack (see the style reference, anchor 4):
 * - a table of operations per service ({@link ServiceDefinition}), routed by method + path (ROA / REST) or by
 *   action name (RPC), with an explicit "not implemented" answer for the rest;
 * - state per account and region ({@link AccountRegionStore}, moto's `BackendDict`);
 * - asynchronous lifecycles through {@link ManagedState} and a {@link ProgressionRegistry} (moto's
 *   `ManagedState` / state manager): immediate, after N polls, after some time on the injected clock, or manual;
 * - deterministic failure injection through per-operation fault queues ({@link FaultQueue}, moto's static results);
 * - a per-service/action rate limiter answering `Throttling.User`;
 * - a request recorder with secrets redacted ({@link RequestLog}).
 *
 * Nothing here knows about node pools; the service models live in `services/`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../core/clock";

// ---------------------------------------------------------------------------------------------------------------
// Requests, responses, errors
// ---------------------------------------------------------------------------------------------------------------

export type HeaderMap = Record<string, string | string[] | undefined>;

/** An HTTP request as the emulator received it (headers lowercased by Node). */
export interface EmulatorRequest {
  requestId: string;
  method: string;
  /** The path exactly as sent, still percent-encoded, without the query string. */
  rawPath: string;
  /** The decoded path. */
  path: string;
  /** Decoded query parameters (the last value wins for repeated names). */
  query: Record<string, string>;
  headers: HeaderMap;
  body: Buffer;
}

/** What a handler returns on success. */
export interface OperationResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A cloud error with its HTTP status and wire code. Throw it from handlers; the service's renderer formats it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    Object.setPrototypeOf(this, ApiError.prototype);
  }
}

/** Formats an {@link ApiError} as the service's wire body. */
export type ErrorRenderer = (err: ApiError, ctx: { requestId: string; host: string; service?: ServiceDefinition }) => unknown;

/** ROA services (ACK `cs`): `{"code","message","requestId"}`. */
export const roaErrorBody: ErrorRenderer = (err, ctx) => ({ code: err.code, message: err.message, requestId: ctx.requestId });

/** RPC services (ENS, eflo-controller): `{"Code","Message","RequestId","HostId","Recommend"}`. */
export const rpcErrorBody: ErrorRenderer = (err, ctx) => ({
  RequestId: ctx.requestId,
  HostId: ctx.host,
  Code: err.code,
  Message: err.message,
  Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${encodeURIComponent(
    ctx.service?.product ?? "",
  )}`,
});

/** Generic Alibaba gateway messages (copied from real answers where known). */
export const GATEWAY_MESSAGES = {
  throttlingUser: "Request was denied due to user flow control.",
  apiNotFound: "Specified api is not found, please check your url and method.",
  invalidVersion: (v: string) => `Specified parameter Version is not valid: ${v}.`,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Accounts and authentication
// ---------------------------------------------------------------------------------------------------------------

export interface EmulatorAccount {
  accessKeyId: string;
  accessKeySecret: string;
  accountId: string;
  /** When set, requests with this key must carry this STS token (`x-acs-security-token`). */
  securityToken?: string;
}

export class AccountRegistry {
  private readonly byKey = new Map<string, EmulatorAccount>();
  constructor(accounts: EmulatorAccount[]) {
    for (const a of accounts) this.byKey.set(a.accessKeyId, a);
  }
  get(accessKeyId: string): EmulatorAccount | undefined {
    return this.byKey.get(accessKeyId);
  }
  all(): EmulatorAccount[] {
    return [...this.byKey.values()];
  }
  /** The shape the signing verifiers want. */
  readonly lookupSecret = (accessKeyId: string): { secret: string; securityToken?: string } | undefined => {
    const a = this.byKey.get(accessKeyId);
    return a ? { secret: a.accessKeySecret, securityToken: a.securityToken } : undefined;
  };
}

export type AuthResult =
  | { ok: true; accessKeyId: string }
  | { ok: false; status: number; code: string; message: string };

/**
 * Verifies a request's signature. Pluggable per service: Alibaba V3 (ACS3-HMAC-SHA256) for `cs`, ENS and eflo,
 * ROA V1 for Batch Compute, Huawei's SDK-HMAC-SHA256 for ModelArts.
 */
export type Authenticator = (req: EmulatorRequest, accounts: AccountRegistry, now: Date) => AuthResult;

// ---------------------------------------------------------------------------------------------------------------
// Services and operations
// ---------------------------------------------------------------------------------------------------------------

export type ApiStyle = "ROA" | "RPC";

export interface OperationContext {
  req: EmulatorRequest;
  service: ServiceDefinition;
  action: string;
  account: EmulatorAccount;
  /** `x-acs-region-id` header, or for RPC the `RegionId` parameter, when present. */
  region?: string;
  /** ROA: the `{Name}` segments of the path pattern, decoded. */
  pathParams: Record<string, string>;
  /**
   * RPC: query parameters merged with `application/x-www-form-urlencoded` body parameters (object parameters
   * arrive as JSON strings; see {@link jsonParam}). ROA: the query parameters.
   */
  params: Record<string, string>;
  /** The JSON body (ROA). An empty body is `{}`; a body that is not JSON raises 400 `InvalidParameter`. */
  json(): any;
  clock: Clock;
  runtime: EmulatorRuntime;
}

export interface Operation {
  action: string;
  /** ROA only: HTTP method. */
  method?: string;
  /** ROA only: path pattern with `{Name}` placeholders for single segments, e.g. `/clusters/{ClusterId}/nodepools`. */
  path?: string;
  handler(ctx: OperationContext): OperationResult | Promise<OperationResult>;
}

export interface ServiceDefinition {
  /** The emulator's name for the service: used by faults, rate limits, the request log (e.g. "ack"). */
  name: string;
  /** Other names accepted wherever a service name is (e.g. the product code "cs"). */
  aliases?: string[];
  /** The cloud's product code (e.g. "cs"); used in RPC `Recommend` links. */
  product: string;
  /** API version (`x-acs-version` / `Version`). */
  version: string;
  style: ApiStyle;
  operations: Operation[];
  /** Actions that exist in the real API but are not emulated: answered 501 `NotImplemented`. */
  unimplementedActions?: string[];
  authenticate: Authenticator;
  renderError: ErrorRenderer;
  /**
   * Extra claim test when several services share a path (e.g. ACK and Batch Compute both serve `/clusters/...`).
   * Default: a request claims the service when its `x-acs-version` (or RPC `Version`) equals {@link version}, or
   * carries no version at all.
   */
  claims?(req: EmulatorRequest, version: string | undefined): boolean;
  /** Response header that carries the request id (default `x-acs-request-id`; Huawei services use `X-Request-Id`). */
  requestIdHeader?: string;
  /** The answer to a request over a rate limit (default: 400 `Throttling.User` with `x-acs-retry-after` in ms). */
  throttlingError?(retryAfterMs: number): ApiError;
}

/** A service model plugged into the emulator. */
export interface EmulatedService {
  readonly definition: ServiceDefinition;
  /** Drop all state. */
  reset(): void;
  /** Admin routes mounted under `/_emulator/<definition.name>/`. */
  readonly adminRoutes?: AdminRoute[];
}

export type ServiceFactory = (runtime: EmulatorRuntime) => EmulatedService;

/** An unsigned JSON admin route (`/_emulator/...`). `path` is relative to its mount point; `{Name}` placeholders. */
export interface AdminRoute {
  method: string;
  path: string;
  handler(input: { params: Record<string, string>; query: Record<string, string>; body: any }): unknown;
}

/** Everything a service model may use from the emulator. */
export interface EmulatorRuntime {
  clock: Clock;
  progression: ProgressionRegistry;
  tracker: ManagedStateTracker;
  accounts: AccountRegistry;
  defaultAccount: EmulatorAccount;
}

/** Parses an RPC object parameter sent as a JSON string (the SDKs' "Shrink" requests). */
export function jsonParam(ctx: OperationContext, name: string): any {
  const raw = ctx.params[name];
  if (raw === undefined || raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "InvalidParameter", `The parameter ${name} is not valid JSON.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------------------------

interface CompiledRoute {
  service: ServiceDefinition;
  op: Operation;
  method: string;
  regex: RegExp;
  names: string[];
}

export type RouteResult =
  | { ok: true; service: ServiceDefinition; op: Operation; action: string; pathParams: Record<string, string> }
  | { ok: false; error: ApiError; service?: ServiceDefinition; action?: string };

export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  if (Array.isArray(v)) return v[0];
  return v;
}

function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const src = pattern
    .split("/")
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]);
        return "([^/]+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${src}/?$`), names };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Resolves a request to a service operation.
 *
 * ROA: candidates are the operations whose method + path pattern match; `x-acs-version` picks among services
 * (a path served only under another version answers 400 `InvalidVersion`); `x-acs-action`, when present, must
 * name the matched operation. RPC (`/` with an `Action`): the service is chosen by version, the operation by action.
 * Unknown actions answer 404 `InvalidAction.NotFound`; actions listed as unimplemented answer 501 `NotImplemented`.
 */
export class Router {
  private readonly roa: CompiledRoute[] = [];
  constructor(private readonly services: ServiceDefinition[]) {
    for (const service of services) {
      if (service.style !== "ROA") continue;
      for (const op of service.operations) {
        if (!op.method || !op.path) throw new Error(`ROA operation ${service.name}.${op.action} needs method and path`);
        const { regex, names } = compilePattern(op.path);
        this.roa.push({ service, op, method: op.method.toUpperCase(), regex, names });
      }
    }
  }

  /** @param extraParams RPC parameters from a form body (the action and version may be there rather than in the query). */
  resolve(req: Omit<EmulatorRequest, "body" | "requestId">, extraParams: Record<string, string> = {}): RouteResult {
    const params = { ...req.query, ...extraParams };
    const version = headerValue(req.headers, "x-acs-version") ?? params["Version"];
    const action = headerValue(req.headers, "x-acs-action") ?? params["Action"];
    const claims = (s: ServiceDefinition, r: EmulatorRequest | Omit<EmulatorRequest, "body" | "requestId">) =>
      s.claims ? s.claims(r as EmulatorRequest, version) : version === undefined || version === s.version;

    // ROA by method + path.
    const pathMatches: Array<{ route: CompiledRoute; pathParams: Record<string, string> }> = [];
    for (const route of this.roa) {
      if (route.method !== req.method.toUpperCase()) continue;
      const m = route.regex.exec(req.rawPath);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((n, i) => (pathParams[n] = safeDecode(m[i + 1])));
      pathMatches.push({ route, pathParams });
    }
    if (pathMatches.length > 0) {
      const claimed = pathMatches.filter((p) => claims(p.route.service, req));
      if (claimed.length === 0) {
        const service = pathMatches[0].route.service;
        return { ok: false, service, action, error: new ApiError(400, "InvalidVersion", GATEWAY_MESSAGES.invalidVersion(version ?? "")) };
      }
      const exact = action ? claimed.find((p) => p.route.op.action === action) : claimed[0];
      if (exact) return { ok: true, service: exact.route.service, op: exact.route.op, action: exact.route.op.action, pathParams: exact.pathParams };
      // The path is served, but under another action name.
      const service = claimed[0].route.service;
      return { ok: false, service, action, error: this.unknownAction(service, action!) };
    }

    // RPC: POST/GET "/" with an action.
    const rpcServices = this.services.filter((s) => s.style === "RPC");
    if ((req.rawPath === "/" || req.rawPath === "") && rpcServices.length > 0) {
      if (!action) {
        return { ok: false, error: new ApiError(400, "MissingParameter", "The input parameter Action that is mandatory for processing this request is not supplied.") };
      }
      const byVersion = rpcServices.filter((s) => claims(s, req));
      if (byVersion.length === 0) {
        return { ok: false, action, service: rpcServices[0], error: new ApiError(400, "InvalidVersion", GATEWAY_MESSAGES.invalidVersion(version ?? "")) };
      }
      for (const service of byVersion) {
        const op = service.operations.find((o) => o.action === action);
        if (op) return { ok: true, service, op, action, pathParams: {} };
      }
      return { ok: false, service: byVersion[0], action, error: this.unknownAction(byVersion[0], action) };
    }

    // Nothing serves this path. If the version names a service, answer in its style.
    const byVersion = version ? this.services.find((s) => s.version === version) : undefined;
    if (byVersion && action) return { ok: false, service: byVersion, action, error: this.unknownAction(byVersion, action) };
    return { ok: false, service: byVersion, action, error: this.noApi() };
  }

  private noApi(): ApiError {
    return new ApiError(404, "InvalidAction.NotFound", GATEWAY_MESSAGES.apiNotFound);
  }

  private unknownAction(service: ServiceDefinition, action: string | undefined): ApiError {
    if (action && service.unimplementedActions?.includes(action)) {
      return new ApiError(501, "NotImplemented", `The emulator does not implement ${service.name} ${action}.`);
    }
    return this.noApi();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// State per account and region
// ---------------------------------------------------------------------------------------------------------------

/** `[accountId][region] -> backend`, like moto's `BackendDict`. */
export class AccountRegionStore<T> {
  private readonly data = new Map<string, Map<string, T>>();
  constructor(private readonly create: (accountId: string, region: string) => T) {}
  get(accountId: string, region: string): T {
    let regions = this.data.get(accountId);
    if (!regions) this.data.set(accountId, (regions = new Map()));
    let b = regions.get(region);
    if (!b) regions.set(region, (b = this.create(accountId, region)));
    return b;
  }
  /** The backends that exist for an account, optionally only one region's. */
  regions(accountId: string, region?: string): Array<[string, T]> {
    const regions = this.data.get(accountId);
    if (!regions) return [];
    if (region !== undefined) {
      const b = regions.get(region);
      return b ? [[region, b]] : [];
    }
    return [...regions.entries()];
  }
  all(): Array<{ accountId: string; region: string; backend: T }> {
    const out: Array<{ accountId: string; region: string; backend: T }> = [];
    for (const [accountId, regions] of this.data) for (const [region, backend] of regions) out.push({ accountId, region, backend });
    return out;
  }
  reset(): void {
    this.data.clear();
  }
}

/**
 * Seeds a parent object (a cluster that node pools live in) for an account, idempotently: the same id seeded again
 * in the same region returns the object already there. Ids are unique across an account's regions, as cloud ids
 * are, so seeding one into a second region is a mistake in the test and throws.
 */
export function seedOnce<B, T>(
  store: AccountRegionStore<B>,
  at: { accountId: string; region: string },
  id: string,
  mapOf: (backend: B) => Map<string, T>,
  make: () => T,
  what = "cluster",
): T {
  for (const [region, backend] of store.regions(at.accountId)) {
    const existing = mapOf(backend).get(id);
    if (!existing) continue;
    if (region !== at.region) throw new Error(`${what} ${id} already exists in ${region}`);
    return existing;
  }
  const created = make();
  mapOf(store.get(at.accountId, at.region)).set(id, created);
  return created;
}

// ---------------------------------------------------------------------------------------------------------------
// Progression (ManagedState)
// ---------------------------------------------------------------------------------------------------------------

/**
 * How busy objects move on:
 * - `immediate`: the change is complete by the time the request that started it returns;
 * - `polls`: the first `count` observations (describe / list / task polls) still see the busy state, the next sees
 *   the final one;
 * - `time`: complete once `ms` milliseconds have passed on the emulator's clock;
 * - `manual`: only {@link ManagedStateTracker.advance} (or the admin route) moves it.
 */
export type Progression = { kind: "immediate" } | { kind: "polls"; count: number } | { kind: "time"; ms: number } | { kind: "manual" };

export function parseProgression(p: unknown): Progression {
  const o = p as Record<string, unknown> | undefined;
  if (!o || typeof o !== "object") throw new Error("progression must be an object with a kind");
  switch (o.kind) {
    case "immediate":
    case "manual":
      return { kind: o.kind };
    case "polls":
      if (typeof o.count !== "number" || !Number.isInteger(o.count) || o.count < 0) throw new Error("polls progression needs a count >= 0");
      return { kind: "polls", count: o.count };
    case "time":
      if (typeof o.ms !== "number" || o.ms < 0) throw new Error("time progression needs ms >= 0");
      return { kind: "time", ms: o.ms };
    default:
      throw new Error(`unknown progression kind ${JSON.stringify(o.kind)}`);
  }
}

/** The progression for each model name (e.g. "ack.nodepool"), with a default for the rest. */
export class ProgressionRegistry {
  private fallback: Progression;
  private readonly overrides = new Map<string, Progression>();
  private readonly aliases = new Map<string, string>();
  constructor(private readonly initial: Progression = { kind: "immediate" }) {
    this.fallback = initial;
  }
  /** Makes `name` another name for `model` (e.g. "ack.task" for "ack.nodepool"). */
  alias(name: string, model: string): void {
    this.aliases.set(name, model);
  }
  canonical(model: string): string {
    return this.aliases.get(model) ?? model;
  }
  set(p: Progression, model?: string): void {
    const parsed = parseProgression(p);
    if (model === undefined) {
      this.fallback = parsed;
      this.overrides.clear();
    } else {
      this.overrides.set(this.canonical(model), parsed);
    }
  }
  get(model: string): Progression {
    return this.overrides.get(this.canonical(model)) ?? this.fallback;
  }
  snapshot(): { default: Progression; models: Record<string, Progression>; aliases: Record<string, string> } {
    return { default: this.fallback, models: Object.fromEntries(this.overrides), aliases: Object.fromEntries(this.aliases) };
  }
  reset(): void {
    this.fallback = this.initial;
    this.overrides.clear();
  }
}

/** All unsettled {@link ManagedState}s, so that manual progression can move them. */
export class ManagedStateTracker {
  private readonly live = new Set<ManagedState>();
  add(s: ManagedState): void {
    this.live.add(s);
  }
  remove(s: ManagedState): void {
    this.live.delete(s);
  }
  /** Moves every busy object (of the given model, or model prefix such as "ack.") one step. Returns how many moved. */
  advance(model?: string): number {
    let n = 0;
    for (const s of [...this.live]) {
      if (model === undefined || s.model === model || (model.endsWith(".") && s.model.startsWith(model))) {
        if (s.advance()) n++;
      }
    }
    return n;
  }
  /** Settles time-based states whose time has come. */
  sweep(): void {
    for (const s of [...this.live]) s.peek();
  }
  pending(): ManagedState[] {
    return [...this.live];
  }
  reset(): void {
    this.live.clear();
  }
}

/**
 * One asynchronous change (a pool being created, a task running), from busy to settled. The settle callback applies
 * the change's outcome (pool active, pool removed, task success ...). Every change here is a single transition; a
 * model with several steps chains several ManagedStates.
 */
export class ManagedState {
  private polls = 0;
  private done = false;
  readonly startedAt: number;
  constructor(
    private readonly runtime: Pick<EmulatorRuntime, "clock" | "progression" | "tracker">,
    readonly model: string,
    private readonly onSettle: () => void,
  ) {
    this.startedAt = runtime.clock.now();
    runtime.tracker.add(this);
  }
  /** Call once the object is stored: settles at once under `immediate` progression. */
  start(): this {
    this.peek();
    return this;
  }
  get settled(): boolean {
    return this.done;
  }
  /** An API caller looked at the object (describe, list, task poll): counts as one poll. Returns whether settled. */
  observe(): boolean {
    if (this.done) return true;
    const p = this.runtime.progression.get(this.model);
    if (p.kind === "polls") {
      this.polls++;
      if (this.polls > p.count) this.settle();
      return this.done;
    }
    return this.peek();
  }
  /** Looks without counting a poll (admin views, conflict checks). Settles immediate / elapsed-time states. */
  peek(): boolean {
    if (this.done) return true;
    const p = this.runtime.progression.get(this.model);
    if (p.kind === "immediate") this.settle();
    else if (p.kind === "time" && this.runtime.clock.now() - this.startedAt >= p.ms) this.settle();
    return this.done;
  }
  /** Manual progression: one step (every state here has one transition). Returns false if already settled. */
  advance(): boolean {
    if (this.done) return false;
    this.settle();
    return true;
  }
  /** Drop without applying the outcome (the object was removed out of band). */
  cancel(): void {
    this.done = true;
    this.runtime.tracker.remove(this);
  }
  private settle(): void {
    this.done = true;
    this.runtime.tracker.remove(this);
    this.onSettle();
  }
}

/** The one asynchronous change an object (a pool, a cluster) has under way, with what its model keeps about it. */
export type PendingChange<D extends object = object> = D & { readonly op: ManagedState };

/** An object that can have one change under way; a model refuses most calls on it meanwhile. */
export interface ChangeHolder<D extends object = object> {
  pending?: PendingChange<D>;
}

/**
 * Starts a change of `holder`: it is busy ({@link isBusy}) until the change settles; then the change leaves the
 * holder (unless a newer one replaced it) and `settle` applies its outcome. The holder knows of the change before
 * it can settle, because immediate progression settles it inside `start`.
 */
export function startChange<D extends object>(
  runtime: Pick<EmulatorRuntime, "clock" | "progression" | "tracker">,
  model: string,
  holder: ChangeHolder<D>,
  details: D,
  settle: () => void,
): PendingChange<D> {
  const op: ManagedState = new ManagedState(runtime, model, () => {
    if (holder.pending?.op === op) holder.pending = undefined;
    settle();
  });
  const change = { ...details, op } as PendingChange<D>;
  holder.pending = change;
  op.start();
  return change;
}

/** Whether the holder's change is still running. A look settles one whose time has come (immediate, elapsed time). */
export function isBusy(holder: ChangeHolder<object>): boolean {
  return holder.pending !== undefined && !holder.pending.op.peek();
}

/** Drops the holder's change without applying its outcome (the object was removed out of band). */
export function dropChange(holder: ChangeHolder<object>): void {
  holder.pending?.op.cancel();
  holder.pending = undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------------------------

export interface FaultSpec {
  /** Service name (or alias); omitted = any service. */
  service?: string;
  action: string;
  /** How many matching requests this fault answers (default 1). */
  times?: number;
  status?: number;
  code?: string;
  message?: string;
  /** Wait this long (real time) before answering. Alone, the real handler then answers normally. */
  delayMs?: number;
  /**
   * Close the connection without an answer. `beforeResponse`: as soon as the request line and headers arrive,
   * before the body is read, authenticated or handled. `afterBodyRead`: after the body was read and the request
   * authenticated, still without running the handler (unless `afterHandler`).
   */
  dropConnection?: "beforeResponse" | "afterBodyRead";
  /** Answer 200 with a truncated JSON body. */
  malformedBody?: boolean;
  /** Run the real handler first (its changes stick), then answer with the fault: "accepted, but the answer was lost". */
  afterHandler?: boolean;
  /** Extra response headers for a status/code fault (e.g. `x-acs-retry-after`). */
  headers?: Record<string, string>;
}

export interface PendingFault extends FaultSpec {
  remaining: number;
}

export class FaultQueue {
  private queue: PendingFault[] = [];
  constructor(private readonly canonicalService: (name: string) => string) {}
  add(f: FaultSpec): void {
    if (!f || typeof f.action !== "string" || !f.action) throw new Error("a fault needs an action");
    if (f.dropConnection !== undefined && f.dropConnection !== "beforeResponse" && f.dropConnection !== "afterBodyRead") {
      throw new Error(`dropConnection must be "beforeResponse" or "afterBodyRead"`);
    }
    const times = f.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error("times must be a positive integer");
    this.queue.push({ ...f, service: f.service === undefined ? undefined : this.canonicalService(f.service), remaining: times });
  }
  private find(service: string, action: string): PendingFault | undefined {
    return this.queue.find((f) => f.action === action && (f.service === undefined || f.service === service));
  }
  peek(service: string, action: string): PendingFault | undefined {
    return this.find(service, action);
  }
  take(service: string, action: string): FaultSpec | undefined {
    const f = this.find(service, action);
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.queue.splice(this.queue.indexOf(f), 1);
    const { remaining: _remaining, ...spec } = f;
    return spec;
  }
  list(): PendingFault[] {
    return this.queue.map((f) => ({ ...f }));
  }
  clear(): void {
    this.queue = [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Random faults
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a random fault does to a request:
 * - `throttling`: the service's throttling answer (Alibaba `400 Throttling.User`, Huawei `429 APIG.0308`), handler not run;
 * - `5xx`: `503 ServiceUnavailable` or `500 InternalError`, handler not run;
 * - `reset`: the connection is closed without an answer, handler not run;
 * - `timeout`: the handler runs (its changes stick), then the connection is closed without an answer (after
 *   {@link RandomFaultOptions.timeoutMs}): what a client sees when its timer fires after the request was sent;
 * - `malformed`: the handler runs (its changes stick), then 200 with a truncated JSON body.
 */
export type RandomFaultKind = "throttling" | "5xx" | "reset" | "timeout" | "malformed";
export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = ["throttling", "5xx", "reset", "timeout", "malformed"];

export interface RandomFaultOptions {
  /** Chance, 0 to 1, that an authenticated cloud request is answered by a fault. */
  probability: number;
  /** Kinds picked from with equal chance (default: all of {@link RANDOM_FAULT_KINDS}). */
  kinds?: RandomFaultKind[];
  /** Seed of the generator: the same seed and the same sequence of requests give the same faults (default 1). */
  seed?: number;
  /** Only requests of these services (names or aliases); default every service. */
  services?: string[];
  /** Only these actions; default every action. */
  actions?: string[];
  /** How long a `timeout` fault holds the connection before closing it, real time (default 0). */
  timeoutMs?: number;
}

/** Seeded random faults for soak tests. Queued faults ({@link FaultQueue}) take precedence over them. */
export class RandomFaults {
  private opts?: Required<Omit<RandomFaultOptions, "services" | "actions">> & { services?: string[]; actions?: string[] };
  private state = 1;
  private counts: Record<string, number> = {};
  constructor(private readonly canonicalService: (name: string) => string) {}

  set(o: RandomFaultOptions | undefined): void {
    if (o === undefined || o === null) {
      this.opts = undefined;
      return;
    }
    if (typeof o.probability !== "number" || !(o.probability >= 0 && o.probability <= 1)) throw new Error("probability must be a number from 0 to 1");
    const kinds = o.kinds ?? [...RANDOM_FAULT_KINDS];
    if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !RANDOM_FAULT_KINDS.includes(k))) {
      throw new Error(`kinds must be a non-empty list of ${RANDOM_FAULT_KINDS.join(", ")}`);
    }
    const seed = o.seed ?? 1;
    if (!Number.isInteger(seed)) throw new Error("seed must be an integer");
    const timeoutMs = o.timeoutMs ?? 0;
    if (typeof timeoutMs !== "number" || !(timeoutMs >= 0)) throw new Error("timeoutMs must be >= 0");
    this.opts = {
      probability: o.probability,
      kinds: [...kinds],
      seed,
      timeoutMs,
      services: o.services?.map((s) => this.canonicalService(s)),
      actions: o.actions ? [...o.actions] : undefined,
    };
    this.state = seed >>> 0 || 1;
    this.counts = {};
  }

  options(): RandomFaultOptions | undefined {
    return this.opts && structuredClone(this.opts);
  }

  /** Faults injected so far (since the last {@link set}), by kind. */
  stats(): { injected: number; byKind: Record<string, number> } {
    return { injected: Object.values(this.counts).reduce((a, b) => a + b, 0), byKind: { ...this.counts } };
  }

  /** mulberry32: small, seedable, good enough for fault rolls. */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Rolls for one request; returns the fault to apply (as a {@link FaultSpec}) and its kind, or undefined.
   * `throttling` is the service's own throttling answer.
   */
  roll(service: ServiceDefinition, action: string): { kind: RandomFaultKind; spec: FaultSpec } | undefined {
    const o = this.opts;
    if (!o || o.probability <= 0) return undefined;
    if (o.services && !o.services.includes(service.name)) return undefined;
    if (o.actions && !o.actions.includes(action)) return undefined;
    if (this.next() >= o.probability) return undefined;
    const kind = o.kinds[Math.min(o.kinds.length - 1, Math.floor(this.next() * o.kinds.length))];
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    switch (kind) {
      case "throttling": {
        const retryAfterMs = 100;
        const err =
          service.throttlingError?.(retryAfterMs) ??
          new ApiError(400, "Throttling.User", GATEWAY_MESSAGES.throttlingUser, { "x-acs-retry-after": String(retryAfterMs) });
        return { kind, spec: { action, status: err.status, code: err.code, message: err.message, headers: err.headers } };
      }
      case "5xx":
        return this.next() < 0.5
          ? { kind, spec: { action, status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." } }
          : { kind, spec: { action, status: 500, code: "InternalError", message: "The request processing has failed due to some unknown error." } };
      case "reset":
        return { kind, spec: { action, dropConnection: "beforeResponse" } };
      case "timeout":
        return { kind, spec: { action, afterHandler: true, dropConnection: "afterBodyRead", delayMs: o.timeoutMs || undefined } };
      case "malformed":
        return { kind, spec: { action, afterHandler: true, malformedBody: true } };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------------------------

export interface RateLimitSpec {
  service: string;
  /** Requests allowed per second, per action. */
  perSecond: number;
  /** Only these actions are limited (default: every action of the service). */
  actions?: string[];
}

/** A sliding one-second window per service + action, on the emulator's clock. */
export class RateLimiter {
  private readonly limits = new Map<string, RateLimitSpec>();
  private readonly windows = new Map<string, number[]>();
  constructor(private readonly canonicalService: (name: string) => string) {}
  set(spec: RateLimitSpec | undefined): void {
    if (spec === undefined || spec === null) {
      this.limits.clear();
      this.windows.clear();
      return;
    }
    if (typeof spec.perSecond !== "number" || !(spec.perSecond > 0)) throw new Error("perSecond must be a positive number");
    const service = this.canonicalService(spec.service);
    this.limits.set(service, { ...spec, service });
    for (const k of [...this.windows.keys()]) if (k.startsWith(`${service}\u0000`)) this.windows.delete(k);
  }
  list(): RateLimitSpec[] {
    return [...this.limits.values()];
  }
  /** Records the request if allowed; otherwise returns how many ms until a slot frees up. */
  check(service: string, action: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const limit = this.limits.get(service);
    if (!limit || (limit.actions && !limit.actions.includes(action))) return { ok: true };
    const key = `${service}\u0000${action}`;
    const window = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    if (window.length >= Math.floor(limit.perSecond)) {
      this.windows.set(key, window);
      return { ok: false, retryAfterMs: Math.max(1, window[0] + 1000 - now) };
    }
    window.push(now);
    this.windows.set(key, window);
    return { ok: true };
  }
  reset(): void {
    this.limits.clear();
    this.windows.clear();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Request log
// ---------------------------------------------------------------------------------------------------------------

export interface RecordedRequest {
  requestId: string;
  service?: string;
  action?: string;
  accountId?: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers; the signature in `authorization` and any security token are replaced by "***". */
  headers: Record<string, string>;
  /** Parsed JSON (or form parameters) when possible, else the text; secrets replaced by "***". */
  body: unknown;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  code?: string;
  /** Which injected fault answered, if any (e.g. "status", "dropConnection:beforeResponse", "malformedBody"). */
  fault?: string;
  /** Set when that fault was a random one ({@link RandomFaults}): its kind. */
  randomFault?: RandomFaultKind;
  /** Emulator clock, milliseconds since the epoch. */
  time: number;
}

const SECRET_KEYS = new Set(["login_password", "loginpassword", "password", "accesskeysecret", "access_key_secret", "securitytoken", "security_token", "accesssecuritytoken"]);
export const REDACTED = "***";

/** Replaces secret-named values (recursively, also inside JSON-string values) with "***". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null && v !== "" ? REDACTED : redactSecrets(v);
    }
    return out;
  }
  if (typeof value === "string" && /^\s*[[{]/.test(value)) {
    try {
      const parsed = JSON.parse(value);
      const red = redactSecrets(parsed);
      if (JSON.stringify(red) !== JSON.stringify(parsed)) return JSON.stringify(red);
    } catch {
      // not JSON: keep as is
    }
  }
  return value;
}

export function redactHeaders(headers: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    let s = Array.isArray(v) ? v.join(", ") : v;
    const lk = k.toLowerCase();
    if (lk === "authorization") {
      if (/Signature=/.test(s)) s = s.replace(/Signature=[^,\s]*/g, `Signature=${REDACTED}`);
      else if (/^acs\s+[^:\s]+:/.test(s)) s = s.replace(/^(acs\s+[^:\s]+):.*$/, `$1:${REDACTED}`);
      else s = REDACTED;
    } else if (lk === "x-acs-security-token" || lk === "x-security-token" || lk === "x-auth-token") {
      s = REDACTED;
    }
    out[lk] = s;
  }
  return out;
}

export function parseBodyForLog(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  if (/x-www-form-urlencoded/i.test(contentType ?? "")) return redactSecrets(Object.fromEntries(new URLSearchParams(text)));
  try {
    return redactSecrets(JSON.parse(text));
  } catch {
    return text;
  }
}

export class RequestLog {
  private entries: RecordedRequest[] = [];
  constructor(private readonly canonicalService: (name: string) => string) {}
  add(r: RecordedRequest): void {
    this.entries.push(r);
  }
  list(filter?: { service?: string; action?: string }): RecordedRequest[] {
    const service = filter?.service === undefined ? undefined : this.canonicalService(filter.service);
    return this.entries
      .filter((e) => (service === undefined || e.service === service) && (filter?.action === undefined || e.action === filter.action))
      .map((e) => structuredClone(e));
  }
  clear(): void {
    this.entries = [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ids and helpers
// ---------------------------------------------------------------------------------------------------------------

export function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** Alibaba-style request id: an upper-case UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, arrays and scalars replace, `undefined` is skipped. */
export function deepMerge<T extends Record<string, any>>(target: T, patch: Record<string, any>): T {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (isPlainObject(v) && isPlainObject(target[k])) deepMerge(target[k], v);
    else (target as Record<string, any>)[k] = structuredClone(v);
  }
  return target;
}

/** Matches an admin path pattern (`/pools/{ClusterId}`) against a path. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const { regex, names } = compilePattern(pattern);
  const m = regex.exec(path);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = safeDecode(m[i + 1])));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Admin routes every service model offers
// ---------------------------------------------------------------------------------------------------------------

/** The admin routes of the service models, built one way: same paths, same answers, same body checks. */
export const adminRoutes = {
  /** `GET <path>` lists the seeded parents; `POST <path>` seeds one (a JSON object) or several (an array). */
  seeding<T>(path: string, list: () => unknown, seed: (body: T) => unknown): AdminRoute[] {
    return [
      { method: "GET", path, handler: () => list() },
      { method: "POST", path, handler: ({ body }) => (Array.isArray(body) ? body.map((b) => seed(b)) : seed(body)) },
    ];
  },

  /** `DELETE <path>` removes an object out of band (someone deleted it in the console); answers `{deleted: <id>}`. */
  removal(path: string, idParam: string, remove: (params: Record<string, string>, query: Record<string, string>) => void): AdminRoute {
    return {
      method: "DELETE",
      path,
      handler: ({ params, query }) => {
        remove(params, query);
        return { deleted: params[idParam] };
      },
    };
  },

  /** `PATCH <path>` changes an object out of band (drift); the body must be a JSON object, `usage` says which. */
  mutation(path: string, usage: string, apply: (input: { params: Record<string, string>; query: Record<string, string>; body: Record<string, any> }) => unknown): AdminRoute {
    return {
      method: "PATCH",
      path,
      handler: ({ params, query, body }) => {
        if (!isPlainObject(body)) throw new Error(`body must be ${usage}`);
        return apply({ params, query, body });
      },
    };
  },

  /** `POST <path>` arms a one-shot behaviour (the next create fails, ...); answers `{ok: true}`. */
  trigger(path: string, arm: (body: unknown) => void): AdminRoute {
    return {
      method: "POST",
      path,
      handler: ({ body }) => {
        arm(body);
        return { ok: true };
      },
    };
  },

  /** `POST /advance` moves every busy object of the model one step (manual progression); answers `{advanced: n}`. */
  advance(advance: () => number): AdminRoute {
    return { method: "POST", path: "/advance", handler: () => ({ advanced: advance() }) };
  },
};
