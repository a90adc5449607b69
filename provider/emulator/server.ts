/**
 * The local cloud emulator: a real HTTP server on 127.0.0.1 that answers signed Alibaba Cloud API calls from an
 * in-memory model, plus unsigned JSON admin routes under `/_emulator/` for tests and demos.
 *
 * Request pipeline for cloud routes: route (method + path / action) -> early connection drop fault -> read body ->
 * signature check -> rate limit -> fault queue -> handler -> answer (always with the request id: `x-acs-request-id`, or the
 * service's own `requestIdHeader`) -> request log.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Clock, systemClock } from "../core/clock";
import {
  AccountRegistry,
  AdminRoute,
  ApiError,
  EmulatedService,
  EmulatorAccount,
  EmulatorRequest,
  EmulatorRuntime,
  FaultQueue,
  FaultSpec,
  GATEWAY_MESSAGES,
  ManagedStateTracker,
  OperationContext,
  PendingFault,
  Progression,
  RandomFaultKind,
  RandomFaultOptions,
  RandomFaults,
  ProgressionRegistry,
  RateLimiter,
  RateLimitSpec,
  RecordedRequest,
  RequestLog,
  Router,
  ServiceDefinition,
  ServiceFactory,
  headerValue,
  isPlainObject,
  matchPattern,
  newRequestId,
  parseBodyForLog,
  parseProgression,
  redactHeaders,
  redactSecrets,
  roaErrorBody,
} from "./framework";
import { AckAdmin, AckClusterInfo, AckNodePoolService, AckSeed, createAckService } from "./services/ack-nodepool";
import { BUILTIN_SERVICES } from "./services";

/** The built-in test account (not a real credential). */
export const EMULATOR_TEST_ACCOUNT: Readonly<EmulatorAccount> = Object.freeze({
  accessKeyId: "LTAI5tEmulatorTestKey01",
  accessKeySecret: "EmulatorTestSecretNotARealKey0001",
  accountId: "5000000000000001",
});

export const EMULATOR_DEFAULT_REGION = "cn-hangzhou";

/** Largest request body accepted (Huawei's APIG limit for signed bodies; generous for Alibaba). */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

export interface EmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Accounts accepted; the first is {@link CloudEmulator.credentials}. Default: {@link EMULATOR_TEST_ACCOUNT}. */
  accounts?: EmulatorAccount[];
  /** Clock for progression, rate limits, signature time checks and timestamps. Default: the system clock. */
  clock?: Clock;
  /** Default progression of busy objects. Default: immediate. */
  progression?: Progression;
  /** Clusters seeded at start and again after every {@link CloudEmulator.reset}. */
  seedClusters?: AckSeed[];
  /** Further service models served next to the built-in ones (services are tried in order, built-ins first). */
  extraServices?: ServiceFactory[];
}

export type { Progression, RecordedRequest, FaultSpec, RateLimitSpec, EmulatorAccount, RandomFaultOptions, RandomFaultKind };

interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  code?: string;
}

export class CloudEmulator {
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly credentials: { accessKeyId: string; accessKeySecret: string };
  readonly accounts: AccountRegistry;
  readonly clock: Clock;

  private readonly runtime: EmulatorRuntime;
  private readonly services: EmulatedService[];
  private readonly ackService: AckNodePoolService;
  private readonly router: Router;
  private readonly faults: FaultQueue;
  private readonly randomFaults: RandomFaults;
  private readonly rateLimiter: RateLimiter;
  private readonly log: RequestLog;
  private readonly sockets = new Set<Socket>();
  private server!: Server;

  private constructor(private readonly opts: EmulatorOptions, port: number, host: string) {
    const accounts = opts.accounts && opts.accounts.length > 0 ? opts.accounts : [EMULATOR_TEST_ACCOUNT];
    this.accounts = new AccountRegistry(accounts);
    this.clock = opts.clock ?? systemClock;
    this.runtime = {
      clock: this.clock,
      progression: new ProgressionRegistry(opts.progression ? parseProgression(opts.progression) : { kind: "immediate" }),
      tracker: new ManagedStateTracker(),
      accounts: this.accounts,
      defaultAccount: accounts[0],
    };
    this.ackService = createAckService(this.runtime);
    this.services = [this.ackService, ...BUILTIN_SERVICES.map((f) => f(this.runtime)), ...(opts.extraServices ?? []).map((f) => f(this.runtime))];
    this.router = new Router(this.services.map((s) => s.definition));
    const canonical = (name: string) => this.canonicalService(name);
    this.faults = new FaultQueue(canonical);
    this.randomFaults = new RandomFaults(canonical);
    this.rateLimiter = new RateLimiter(canonical);
    this.log = new RequestLog(canonical);
    this.credentials = { accessKeyId: accounts[0].accessKeyId, accessKeySecret: accounts[0].accessKeySecret };
    this.host = host;
    this.port = port;
    this.endpoint = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  /** Starts an emulator listening on `opts.host` (default 127.0.0.1) and `opts.port` (default: a free port). */
  static async start(opts: EmulatorOptions = {}): Promise<CloudEmulator> {
    const host = opts.host ?? "127.0.0.1";
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const emulator = new CloudEmulator(opts, port, host);
    emulator.attach(server);
    emulator.seedInitial();
    return emulator;
  }

  private attach(server: Server): void {
    this.server = server;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent && !res.destroyed) {
          this.send(res, { status: 500, body: { code: "InternalError", message: String(err?.message ?? err) }, headers: {} });
        }
      });
    });
  }

  private seedInitial(): void {
    for (const seed of this.opts.seedClusters ?? []) this.seedCluster(seed);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** Drops all state, pending and random faults, rate limits and the request log; progression returns to its initial value. */
  reset(): void {
    for (const s of this.services) s.reset();
    this.runtime.tracker.reset();
    this.runtime.progression.reset();
    this.faults.clear();
    this.randomFaults.set(undefined);
    this.rateLimiter.reset();
    this.log.clear();
    this.seedInitial();
  }

  // ---- admin, in process ----------------------------------------------------------------------------------------

  seedCluster(opts: { clusterId: string; region?: string; accountId?: string; name?: string }): AckClusterInfo {
    return this.ackService.seedCluster(opts);
  }

  /** Sets the progression of one model ("ack.nodepool", alias "ack.task"), or with no model the default for all. */
  setProgression(p: Progression, model?: string): void {
    this.runtime.progression.set(p, model);
  }

  /** Manual progression: moves every busy object (of one model, if given) one step. */
  advance(model?: string): number {
    return this.runtime.tracker.advance(model === undefined ? undefined : this.runtime.progression.canonical(model));
  }

  /** Limits a service's actions to `perSecond` each; excess answers 400 `Throttling.User` with `x-acs-retry-after` (ms). `undefined` clears all limits. */
  setRateLimit(opts: RateLimitSpec | undefined): void {
    this.rateLimiter.set(opts);
  }

  /** Queues a fault for an action; queued faults answer matching requests in order before the real handler. */
  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  pendingFaults(): PendingFault[] {
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Answers each authenticated cloud request with a random fault with the given probability (seeded, so a run can
   * be repeated); a queued fault ({@link injectFault}) for the request takes precedence. `undefined` turns it off.
   * Requests answered so are logged with `randomFault` set to the kind.
   */
  setRandomFaults(opts: RandomFaultOptions | undefined): void {
    this.randomFaults.set(opts);
  }

  /** The random-fault options in force (undefined when off) and the faults injected since they were set, by kind. */
  randomFaultStats(): { options?: RandomFaultOptions; injected: number; byKind: Record<string, number> } {
    return { options: this.randomFaults.options(), ...this.randomFaults.stats() };
  }

  requests(filter?: { service?: string; action?: string }): RecordedRequest[] {
    return this.log.list(filter);
  }

  clearRequests(): void {
    this.log.clear();
  }

  /** Out-of-band access to the ACK model (drift, failures, manual progression). */
  get ack(): AckAdmin {
    return this.ackService.admin;
  }

  /**
   * A served service model by name (or alias), for out-of-band access in tests and the demo, e.g.
   * `emulator.service<EnsService>("ens").admin`. Throws when no such service is served.
   */
  service<T extends EmulatedService = EmulatedService>(name: string): T {
    const canonical = this.canonicalService(name);
    const found = this.services.find((s) => s.definition.name === canonical);
    if (!found) throw new Error(`the emulator serves no service named "${name}" (served: ${this.services.map((s) => s.definition.name).join(", ")})`);
    return found as T;
  }

  /** The service definitions served (name, product, version, style, actions). */
  describeServices(): Array<{ name: string; product: string; version: string; style: string; actions: string[] }> {
    return this.services.map(({ definition: d }) => ({
      name: d.name,
      product: d.product,
      version: d.version,
      style: d.style,
      actions: d.operations.map((o) => o.action),
    }));
  }

  private canonicalService(name: string): string {
    for (const s of this.services ?? []) {
      if (s.definition.name === name || s.definition.aliases?.includes(name)) return s.definition.name;
    }
    return name;
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader("x-acs-request-id", requestId);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const query = parseQuery(q >= 0 ? url.slice(q + 1) : "");
    const method = (req.method ?? "GET").toUpperCase();

    if (rawPath === "/_emulator" || rawPath.startsWith("/_emulator/")) {
      const body = await readBody(req);
      this.handleAdmin(method, rawPath.slice("/_emulator".length) || "/", query, body, res);
      return;
    }

    const head = { method, rawPath, path: safeDecode(rawPath), query, headers: req.headers };
    let route = this.router.resolve(head);

    // A fault that cuts the connection before the body is even read.
    if (route.ok) {
      const f = this.faults.peek(route.service.name, route.action);
      if (f && f.dropConnection === "beforeResponse" && !f.afterHandler) {
        this.faults.take(route.service.name, route.action);
        this.record(head, requestId, Buffer.alloc(0), route.service, route.action, undefined, { status: 0, fault: "dropConnection:beforeResponse" });
        req.socket.destroy();
        return;
      }
    }

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(400, "InvalidRequest", `could not read the request body: ${(err as Error)?.message}`);
      this.answerError(res, head, requestId, Buffer.alloc(0), route.service, route.action, undefined, e);
      return;
    }
    const emReq: EmulatorRequest = { ...head, requestId, body };
    const formParams = /application\/x-www-form-urlencoded/i.test(headerValue(req.headers, "content-type") ?? "")
      ? parseForm(body.toString("utf8"))
      : {};
    if (!route.ok && Object.keys(formParams).length > 0) route = this.router.resolve(head, formParams);
    if (!route.ok) {
      this.answerError(res, head, requestId, body, route.service, route.action, undefined, route.error);
      return;
    }
    const { service, op, action } = route;

    // Signature.
    const auth = service.authenticate(emReq, this.accounts, new Date(this.clock.now()));
    if (!auth.ok) {
      this.answerError(res, head, requestId, body, service, action, undefined, new ApiError(auth.status, auth.code, auth.message));
      return;
    }
    const account = this.accounts.get(auth.accessKeyId)!;

    // Rate limit.
    const rl = this.rateLimiter.check(service.name, action, this.clock.now());
    if (!rl.ok) {
      const err =
        service.throttlingError?.(rl.retryAfterMs) ??
        new ApiError(400, "Throttling.User", GATEWAY_MESSAGES.throttlingUser, { "x-acs-retry-after": String(rl.retryAfterMs) });
      this.answerError(res, head, requestId, body, service, action, account.accountId, err);
      return;
    }

    const params = service.style === "RPC" ? { ...query, ...formParams } : { ...query };
    let parsedJson: { value: unknown } | undefined;
    const ctx: OperationContext = {
      req: emReq,
      service,
      action,
      account,
      region: headerValue(req.headers, "x-acs-region-id") ?? (service.style === "RPC" ? params["RegionId"] : undefined),
      pathParams: route.pathParams,
      params,
      json: () => {
        if (!parsedJson) {
          const text = body.toString("utf8").trim();
          if (text === "") parsedJson = { value: {} };
          else {
            try {
              parsedJson = { value: JSON.parse(text) };
            } catch {
              throw new ApiError(400, "InvalidParameter", "The request body is not valid JSON.");
            }
          }
        }
        return parsedJson.value;
      },
      clock: this.clock,
      runtime: this.runtime,
    };
    const run = async (): Promise<Reply> => {
      try {
        const r = await op.handler(ctx);
        return { status: r.status ?? 200, body: r.body ?? {}, headers: r.headers ?? {} };
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, "InternalError", `emulator error: ${(err as Error)?.message ?? String(err)}`);
        return { status: e.status, body: service.renderError(e, { requestId, host: hostOf(head.headers), service }), headers: e.headers, code: e.code };
      }
    };

    const queued = this.faults.take(service.name, action);
    const rolled = queued ? undefined : this.randomFaults.roll(service, action);
    const fault = queued ?? rolled?.spec;
    const randomFault = rolled?.kind;
    if (fault?.delayMs) await realSleep(fault.delayMs);
    const answersItself = fault && (fault.status !== undefined || fault.code !== undefined || fault.dropConnection || fault.malformedBody);
    if (!fault || !answersItself) {
      const reply = await run();
      this.sendAndRecord(res, head, requestId, body, service, action, account.accountId, reply, fault ? "delay" : undefined);
      return;
    }

    const real = fault.afterHandler ? await run() : undefined;
    const faultName = (kind: string) => (fault.afterHandler ? `${kind}+afterHandler` : kind);
    if (fault.dropConnection) {
      this.record(head, requestId, body, service, action, account.accountId, { status: 0, fault: faultName(`dropConnection:${fault.dropConnection}`), randomFault });
      req.socket.destroy();
      return;
    }
    if (fault.malformedBody) {
      const full = JSON.stringify(real && real.status < 300 ? real.body : { request_id: requestId, RequestId: requestId });
      const truncated = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      this.useRequestIdHeader(res, service, requestId);
      this.send(res, { status: 200, body: truncated, headers: {} });
      this.record(head, requestId, body, service, action, account.accountId, { status: 200, fault: faultName("malformedBody"), randomFault });
      return;
    }
    const status = fault.status ?? (fault.code ? 400 : 500);
    const code = fault.code ?? defaultCodeFor(status);
    const err = new ApiError(status, code, fault.message ?? `Injected fault: ${code}.`, fault.headers ?? {});
    const reply: Reply = { status, body: service.renderError(err, { requestId, host: hostOf(head.headers), service }), headers: err.headers, code };
    this.sendAndRecord(res, head, requestId, body, service, action, account.accountId, reply, faultName("status"), randomFault);
  }

  private answerError(
    res: ServerResponse,
    head: RequestHead,
    requestId: string,
    body: Buffer,
    service: ServiceDefinition | undefined,
    action: string | undefined,
    accountId: string | undefined,
    err: ApiError,
  ): void {
    const render = service?.renderError ?? roaErrorBody;
    const reply: Reply = { status: err.status, body: render(err, { requestId, host: hostOf(head.headers), service }), headers: err.headers, code: err.code };
    this.sendAndRecord(res, head, requestId, body, service, action, accountId, reply);
  }

  private sendAndRecord(
    res: ServerResponse,
    head: RequestHead,
    requestId: string,
    body: Buffer,
    service: ServiceDefinition | undefined,
    action: string | undefined,
    accountId: string | undefined,
    reply: Reply,
    fault?: string,
    randomFault?: RandomFaultKind,
  ): void {
    this.useRequestIdHeader(res, service, requestId);
    this.send(res, reply);
    this.record(head, requestId, body, service, action, accountId, { status: reply.status, code: reply.code, fault, randomFault });
  }

  /** A service that names its own request-id header (Huawei: `X-Request-Id`) answers with it instead of `x-acs-request-id`. */
  private useRequestIdHeader(res: ServerResponse, service: ServiceDefinition | undefined, requestId: string): void {
    const name = service?.requestIdHeader;
    if (!name || res.headersSent) return;
    res.removeHeader("x-acs-request-id");
    res.setHeader(name, requestId);
  }

  private send(res: ServerResponse, reply: { status: number; body: unknown; headers: Record<string, string> }): void {
    if (res.destroyed) return;
    const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status, {
      ...reply.headers,
      "content-type": "application/json;charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  private record(
    head: RequestHead,
    requestId: string,
    body: Buffer,
    service: ServiceDefinition | undefined,
    action: string | undefined,
    accountId: string | undefined,
    outcome: { status: number; code?: string; fault?: string; randomFault?: RandomFaultKind },
  ): void {
    const entry: RecordedRequest = {
      requestId,
      service: service?.name,
      action,
      accountId,
      method: head.method,
      path: head.path,
      query: redactSecrets(head.query) as Record<string, string>,
      headers: redactHeaders(head.headers),
      body: parseBodyForLog(body, headerValue(head.headers, "content-type")),
      status: outcome.status,
      time: this.clock.now(),
    };
    if (outcome.code !== undefined) entry.code = outcome.code;
    if (outcome.fault !== undefined) entry.fault = outcome.fault;
    if (outcome.randomFault !== undefined) entry.randomFault = outcome.randomFault;
    this.log.add(entry);
  }

  // ---- admin over HTTP --------------------------------------------------------------------------------------------

  private adminRoutes(): AdminRoute[] {
    const routes: AdminRoute[] = [
      {
        method: "GET",
        path: "/",
        handler: () => ({
          endpoint: this.endpoint,
          accounts: this.accounts.all().map((a) => ({ accessKeyId: a.accessKeyId, accountId: a.accountId })),
          services: this.describeServices(),
          progression: this.runtime.progression.snapshot(),
        }),
      },
      {
        method: "POST",
        path: "/reset",
        handler: () => {
          this.reset();
          return { ok: true };
        },
      },
      { method: "GET", path: "/clusters", handler: () => this.ack.clusters() },
      {
        method: "POST",
        path: "/clusters",
        handler: ({ body }) => (Array.isArray(body) ? body.map((b) => this.seedCluster(b)) : this.seedCluster(body)),
      },
      { method: "GET", path: "/faults", handler: () => this.faults.list() },
      {
        method: "POST",
        path: "/faults",
        handler: ({ body }) => {
          for (const f of Array.isArray(body) ? body : [body]) this.injectFault(f);
          return this.faults.list();
        },
      },
      {
        method: "DELETE",
        path: "/faults",
        handler: () => {
          this.faults.clear();
          return { ok: true };
        },
      },
      { method: "GET", path: "/random-faults", handler: () => this.randomFaultStats() },
      {
        method: "POST",
        path: "/random-faults",
        handler: ({ body }) => {
          this.setRandomFaults(body === null || body === undefined || (isPlainObject(body) && Object.keys(body).length === 0) ? undefined : body);
          return this.randomFaultStats();
        },
      },
      {
        method: "DELETE",
        path: "/random-faults",
        handler: () => {
          this.setRandomFaults(undefined);
          return { ok: true };
        },
      },
      { method: "GET", path: "/progression", handler: () => this.runtime.progression.snapshot() },
      {
        method: "POST",
        path: "/progression",
        handler: ({ body }) => {
          if (!isPlainObject(body)) throw new Error('body must be {"progression": {...}, "model"?: "..."} or {"kind": ..., "model"?: "..."}');
          const { model, progression, ...rest } = body;
          this.setProgression(parseProgression(progression ?? rest), typeof model === "string" ? model : undefined);
          return this.runtime.progression.snapshot();
        },
      },
      {
        method: "POST",
        path: "/advance",
        handler: ({ query, body }) => ({ advanced: this.advance(query.model ?? (isPlainObject(body) ? body.model : undefined)) }),
      },
      { method: "GET", path: "/rate-limit", handler: () => this.rateLimiter.list() },
      {
        method: "POST",
        path: "/rate-limit",
        handler: ({ body }) => {
          this.setRateLimit(body === null || body === undefined || (isPlainObject(body) && Object.keys(body).length === 0) ? undefined : body);
          return this.rateLimiter.list();
        },
      },
      {
        method: "DELETE",
        path: "/rate-limit",
        handler: () => {
          this.setRateLimit(undefined);
          return { ok: true };
        },
      },
      { method: "GET", path: "/requests", handler: ({ query }) => this.requests({ service: query.service, action: query.action }) },
      {
        method: "DELETE",
        path: "/requests",
        handler: () => {
          this.clearRequests();
          return { ok: true };
        },
      },
    ];
    for (const s of this.services) {
      for (const r of s.adminRoutes ?? []) routes.push({ ...r, path: `/${s.definition.name}${r.path === "/" ? "" : r.path}` });
    }
    return routes;
  }

  private handleAdmin(method: string, path: string, query: Record<string, string>, raw: Buffer, res: ServerResponse): void {
    let body: unknown = undefined;
    const text = raw.toString("utf8").trim();
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        this.send(res, { status: 400, body: { error: "the admin body must be JSON" }, headers: {} });
        return;
      }
    }
    let pathMatched = false;
    for (const r of this.adminRoutes()) {
      const params = matchPattern(r.path, path);
      if (!params) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      try {
        const out = r.handler({ params, query, body });
        this.send(res, { status: 200, body: out === undefined ? { ok: true } : out, headers: {} });
      } catch (err) {
        this.send(res, { status: 400, body: { error: (err as Error)?.message ?? String(err) }, headers: {} });
      }
      return;
    }
    this.send(res, {
      status: pathMatched ? 405 : 404,
      body: { error: pathMatched ? `method ${method} not allowed on /_emulator${path}` : `no admin route /_emulator${path}` },
      headers: {},
    });
  }
}

type RequestHead = Omit<EmulatorRequest, "body" | "requestId">;

function defaultCodeFor(status: number): string {
  switch (status) {
    case 400:
      return "InvalidParameter";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 429:
      return "Throttling";
    case 502:
    case 503:
    case 504:
      return "ServiceUnavailable";
    default:
      return status >= 500 ? "InternalError" : "InvalidParameter";
  }
}

function hostOf(headers: RequestHead["headers"]): string {
  return headerValue(headers, "host") ?? "";
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query strings as Alibaba clients send them: RFC 3986 percent-encoding, `+` is a literal plus. */
function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!qs) return out;
  for (const part of qs.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    out[k] = eq >= 0 ? safeDecode(part.slice(eq + 1)) : "";
  }
  return out;
}

/** `application/x-www-form-urlencoded` bodies (`+` is a space there). */
function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new ApiError(413, "RequestEntityTooLarge", `The request body exceeds ${MAX_BODY_BYTES} bytes.`));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (!failed) reject(e);
    });
  });
}

/** Real time, not the injected clock: delays exist to exercise client timeouts. */
function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
