/**
 * The one HTTP layer shared by every cloud: signing inside the retry loop, table-driven error
 * classification, capped full-jitter backoff, unknown-outcome detection for mutating calls,
 * redaction of every message and log line, and an optional client-side rate limiter.
 *
 * Nothing is constructed at module scope (no axios instance, agent or registry): this module is
 * loaded inside a Pulumi dynamic-provider host, so every object is built inside a function call.
 *
 * Unknown-outcome detection: each attempt goes through a small axios `transport` wrapper around
 * `http.request`/`https.request` that records the request's `finish` event. Node emits `finish`
 * only after the complete request (headers and body) has been handed to the operating system, so:
 * - no `finish` (connection refused, name resolution failed, reset while connecting or while still
 *   writing): the server cannot have acted on the request, and it is retried even when mutating;
 * - `finish`, then a timeout, reset or any other failure before the complete response was read:
 *   a mutating request raises {@link UnknownOutcomeError} (never retried), a read is retried.
 * Mutating requests use a fresh connection (a per-client agent without keep-alive), so a stale
 * pooled socket closed by the server cannot be mistaken for "sent, then nothing".
 */
import axios from "axios";
import { randomUUID } from "crypto";
import * as http from "http";
import * as https from "https";
import { Clock, systemClock } from "../clock";
import { CloudApiError, ConfigurationError, ErrorKind, UnknownOutcomeError, formatDuration } from "../errors";
import { redact } from "../redact";
import {
  DEFAULT_RETRY_POLICY,
  RetryPolicy,
  classifyError,
  classifyTransportFailure,
  computeBackoffDelay,
  isGatewayTimeout,
  isRetryableKind,
  networkErrorCode,
  parseRetryAfter,
} from "./retry";
import { percentEncode } from "../encoding";

export { DEFAULT_RETRY_POLICY };
export type { RetryPolicy };

/** @public */
export interface HttpRequest {
  /** Cloud operation name, e.g. `CreateClusterNodePool`; appears in errors and logs. */
  operation: string;
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** Already percent-encoded; sent as-is (e.g. `/clusters/c%2F1/nodepools`). */
  path: string;
  /** Encoded with {@link encodeQuery} (sorted keys, RFC 3986). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Exact body bytes. */
  body?: string | Buffer;
  /** True for calls that create/change/delete: a failure after sending makes the outcome unknown. */
  mutating: boolean;
}

/** @public */
export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; `undefined` for an empty body. */
  data: T;
  requestId?: string;
  /** Attempts made, including the successful one. */
  attempts: number;
}

/** What a {@link Signer} sees for one attempt. @public */
export interface SignableRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | Buffer;
  /** `host[:port]` as it will be sent in the Host header. */
  host: string;
}

/**
 * Signs one attempt. Called inside the retry loop so every attempt has a fresh date and nonce.
 * Returns the full header set to send.
 * @public
 */
export type Signer = (req: SignableRequest, attempt: { date: Date; nonce: string }) => Record<string, string>;

/** @public */
export interface CloudErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

/** Extracts the cloud's error code, message and request id from a non-2xx response. @public */
export type ErrorParser = (status: number, headers: Record<string, string>, bodyText: string) => CloudErrorBody;

/** A client-side rate limiter, awaited before each attempt. @public */
export interface RateLimiter {
  acquire(): Promise<void>;
}

/** @public */
export interface HttpClientOptions {
  /** `https://host[:port]`, without a path. */
  baseUrl: string;
  signer: Signer;
  parseError: ErrorParser;
  /** Response header carrying the request id, e.g. `x-acs-request-id`, `x-request-id`. */
  requestIdHeader?: string;
  /** Per-cloud throttling codes (e.g. Huawei `APIG.0308`). */
  extraThrottlingCodes?: string[];
  /** Codes mapped to kind `notFound`. */
  notFoundCodes?: string[];
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Values to redact from every message and log line. Read on each use, so it may change. */
  secrets?: () => string[];
  /** Debug log sink; receives redacted lines only. */
  log?: (line: string) => void;
  limiter?: RateLimiter;
  userAgent?: string;
}

/** @public */
export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}

/**
 * 32 random hex digits for signature nonces and invocation ids: a v4 UUID without its dashes (Node draws UUIDs from a
 * cached block of entropy, where randomBytes makes a system call per request).
 */
function randomHex32(): string {
  return randomUUID().replace(/-/g, "");
}

/** Default User-Agent. */
export const DEFAULT_USER_AGENT = "pulumi-nodepools";
/** Header carrying `attempt/maxAttempts`, so that recorders (the emulator) can see retries. */
export const ATTEMPT_HEADER = "x-nodepools-attempt";
/** Header carrying an id that is stable across the attempts of one call. */
export const INVOCATION_HEADER = "x-nodepools-invocation-id";
/** Largest response body accepted, in bytes. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Node's codes for a server certificate that failed verification (OpenSSL's X509 codes and the host check). */
const TLS_CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_/;
/** Characters of a body quoted in an error message. */
const BODY_SNIPPET_CHARS = 300;

export { percentEncode };

/** Encodes a query with sorted keys and RFC 3986 escaping; signers can use it to match the wire. @public */
export function encodeQuery(query: Record<string, string> | undefined): string {
  if (!query) return "";
  return Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k])}`)
    .join("&");
}

function pickCaseInsensitive(obj: Record<string, unknown>, names: string[]): unknown {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [k, v] of Object.entries(obj)) {
    if (wanted.includes(k.toLowerCase()) && v !== undefined && v !== null && v !== "") return v;
  }
  return undefined;
}

/**
 * A tolerant parser for the error bodies of both clouds: Alibaba RPC/ROA JSON (`Code`/`code`,
 * `Message`, `RequestId`/`requestid`), Alibaba XML (`<Code>`), Huawei service and gateway errors
 * (`error_code`, `error_msg`, `request_id`) and `{"error": {"code", "message"}}`. Never throws.
 * @public
 */
export function parseCommonErrorBody(_status: number, _headers: Record<string, string>, bodyText: string): CloudErrorBody {
  const text = bodyText.trim();
  if (text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        let obj = parsed as Record<string, unknown>;
        const nested = pickCaseInsensitive(obj, ["error"]);
        const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
        const requestId = str(pickCaseInsensitive(obj, ["RequestId", "request_id"]));
        if (nested && typeof nested === "object" && !pickCaseInsensitive(obj, ["code", "error_code"])) {
          obj = nested as Record<string, unknown>;
        }
        return {
          code: str(pickCaseInsensitive(obj, ["Code", "error_code", "errorCode"])),
          message: str(pickCaseInsensitive(obj, ["Message", "error_msg", "errorMsg", "error_message"])),
          requestId: requestId ?? str(pickCaseInsensitive(obj, ["RequestId", "request_id"])),
        };
      }
    } catch {
      // fall through: not JSON after all
    }
  }
  if (text.startsWith("<")) {
    const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`, "i").exec(text)?.[1];
    return { code: tag("Code"), message: tag("Message"), requestId: tag("RequestId") };
  }
  return {};
}

function validatePolicy(p: RetryPolicy): void {
  const positive = (name: keyof RetryPolicy, allowZero = false) => {
    const v = p[name];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new ConfigurationError(`retry.${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${v}`);
    }
  };
  positive("maxAttempts");
  if (!Number.isInteger(p.maxAttempts)) throw new ConfigurationError(`retry.maxAttempts must be an integer, got ${p.maxAttempts}`);
  positive("baseDelayMs", true);
  positive("throttlingBaseDelayMs", true);
  positive("maxDelayMs", true);
  positive("maxTotalMs");
  positive("attemptTimeoutMs");
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`invalid baseUrl "${baseUrl}": expected "https://host[:port]"`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || (url.pathname !== "/" && url.pathname !== "") || url.search) {
    throw new ConfigurationError(`invalid baseUrl "${baseUrl}": expected "https://host[:port]" with no path or query`);
  }
  return url;
}

function lowerCaseHeaders(raw: unknown): Record<string, string> {
  const source =
    raw && typeof (raw as { toJSON?: unknown }).toJSON === "function"
      ? (raw as { toJSON: () => Record<string, unknown> }).toJSON()
      : (raw as Record<string, unknown>) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return out;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

function requestIdFromBody(data: unknown): string | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
  const v = pickCaseInsensitive(data as Record<string, unknown>, ["RequestId", "request_id"]);
  return typeof v === "string" ? v : undefined;
}

type AttemptOutcome =
  | { ok: true; response: Omit<HttpResponse<unknown>, "attempts">; code?: string }
  | { ok: false; error: CloudApiError; retryable: boolean };

/**
 * Creates a client for one endpoint. See the module comment for retry and unknown-outcome rules.
 * @public
 */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const clock = opts.clock ?? systemClock;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...(opts.retry ?? {}) };
  validatePolicy(policy);
  const base = parseBaseUrl(opts.baseUrl);
  const origin = `${base.protocol}//${base.host}`;
  const host = base.host;
  const isHttps = base.protocol === "https:";
  const requestIdHeader = opts.requestIdHeader?.toLowerCase();
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const secrets = () => {
    try {
      return opts.secrets ? opts.secrets() : [];
    } catch {
      return [];
    }
  };
  const clean = (text: string) => redact(text, secrets());
  const log = (line: string) => {
    if (opts.log) opts.log(clean(line));
  };
  // Mutating requests never reuse a pooled socket (see the module comment); created lazily.
  let freshAgent: http.Agent | undefined;
  const mutatingAgent = () => (freshAgent ??= isHttps ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false }));

  const fail = (
    req: HttpRequest,
    kind: ErrorKind,
    message: string,
    extra: { status?: number; code?: string; requestId?: string; retryAfterMs?: number; cause?: unknown } = {},
  ): CloudApiError =>
    new CloudApiError({ operation: req.operation, kind, message: clean(message), ...extra });

  const handleResponse = (
    req: HttpRequest,
    status: number,
    headers: Record<string, string>,
    text: string,
  ): AttemptOutcome => {
    const headerRequestId = requestIdHeader ? headers[requestIdHeader] : undefined;
    if (status >= 200 && status < 300) {
      if (text.trim() === "") {
        return { ok: true, response: { status, headers, data: undefined, requestId: headerRequestId } };
      }
      try {
        const data: unknown = JSON.parse(text);
        return { ok: true, response: { status, headers, data, requestId: headerRequestId ?? requestIdFromBody(data) } };
      } catch {
        const message =
          `HTTP ${status} response body is not valid JSON (content-type ${headers["content-type"] ?? "none"}, ` +
          `${Buffer.byteLength(text)} bytes): ${text.slice(0, BODY_SNIPPET_CHARS)}`;
        // The cloud accepted a mutating request but we cannot read what it did: let the caller reconcile.
        if (req.mutating) {
          return {
            ok: false,
            retryable: false,
            error: new UnknownOutcomeError({
              operation: req.operation,
              status,
              requestId: headerRequestId,
              message: clean(`${message}; the request was accepted, so its outcome is unknown`),
            }),
          };
        }
        return { ok: false, retryable: true, error: fail(req, "transient", message, { status, requestId: headerRequestId }) };
      }
    }

    let parsed: CloudErrorBody;
    try {
      parsed = opts.parseError(status, headers, text) ?? {};
    } catch {
      parsed = {};
    }
    const code = parsed.code || undefined;
    const requestId = parsed.requestId || headerRequestId;
    const message = parsed.message || (text.trim() ? text.slice(0, BODY_SNIPPET_CHARS) : "no error message in the response");
    const kind = classifyError({
      status,
      code,
      extraThrottlingCodes: opts.extraThrottlingCodes,
      notFoundCodes: opts.notFoundCodes,
    });
    if (req.mutating && kind === "transient" && isGatewayTimeout(status, code)) {
      return {
        ok: false,
        retryable: false,
        error: new UnknownOutcomeError({
          operation: req.operation,
          status,
          code,
          requestId,
          message: clean(`${message} (a gateway gave up waiting for the backend; the outcome is unknown)`),
        }),
      };
    }
    const retryAfterMs = parseRetryAfter(headers, clock.now());
    return {
      ok: false,
      retryable: isRetryableKind(kind),
      error: fail(req, kind, message, { status, code, requestId, retryAfterMs }),
    };
  };

  const attemptOnce = async (req: HttpRequest, attempt: number, invocationId: string): Promise<AttemptOutcome> => {
    const query = { ...(req.query ?? {}) };
    const body = req.body ?? "";
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (!hasHeader(headers, "user-agent")) headers["user-agent"] = userAgent;
    headers[ATTEMPT_HEADER] = `${attempt}/${policy.maxAttempts}`;
    headers[INVOCATION_HEADER] = invocationId;
    const signed = opts.signer(
      { method: req.method, path: req.path, query, headers, body, host },
      { date: new Date(clock.now()), nonce: randomHex32() },
    );
    const qs = encodeQuery(req.query);
    const url = `${origin}${req.path}${qs ? `?${qs}` : ""}`;

    const progress = { written: false };
    const transport = {
      request(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest {
        const r = options.protocol === "https:" ? https.request(options, callback) : http.request(options, callback);
        r.once("finish", () => {
          progress.written = true;
        });
        return r;
      },
    };
    // axios gives a POST/PUT/PATCH without a content-type `application/x-www-form-urlencoded`, after signing: a
    // request with no body (an RPC call with its parameters in the query) must go out with no content-type at all.
    const bodyless = Buffer.isBuffer(body) ? body.length === 0 : body === "";
    const sent = bodyless && !hasHeader(signed, "content-type") ? { ...signed, "Content-Type": false as const } : signed;
    const controller = new AbortController();
    let timedOut = false;
    // A wall-clock timer, not the injected clock: it bounds real I/O.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, policy.attemptTimeoutMs);
    try {
      const res = await axios.request<string>({
        url,
        method: req.method,
        headers: sent,
        data: Buffer.isBuffer(body) ? (body.length ? body : undefined) : body === "" ? undefined : body,
        transformRequest: [(d: unknown) => d],
        transformResponse: [(d: unknown) => d],
        responseType: "text",
        responseEncoding: "utf8",
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        maxBodyLength: Infinity,
        signal: controller.signal,
        transport,
        ...(req.mutating ? (isHttps ? { httpsAgent: mutatingAgent() } : { httpAgent: mutatingAgent() }) : {}),
      });
      const text = typeof res.data === "string" ? res.data : res.data == null ? "" : String(res.data);
      return handleResponse(req, res.status, lowerCaseHeaders(res.headers), text);
    } catch (err) {
      const networkCode = networkErrorCode(err);
      const rawMessage = err instanceof Error ? err.message : String(err);
      const cause = Object.assign(new Error(clean(rawMessage)), { code: networkCode ?? (err as { code?: unknown })?.code });
      const what = timedOut
        ? `no complete response within ${formatDuration(policy.attemptTimeoutMs)}`
        : `connection failed (${networkCode ?? (err as { code?: unknown })?.code ?? "error"}: ${rawMessage})`;
      const decision = classifyTransportFailure({
        mutating: req.mutating,
        written: progress.written,
        timedOut,
        networkCode,
      });
      if (decision === "unknownOutcome") {
        return {
          ok: false,
          retryable: false,
          error: new UnknownOutcomeError({
            operation: req.operation,
            code: networkCode ?? (timedOut ? "Timeout" : undefined),
            message: clean(`the request was sent but ${what}; the cloud may or may not have applied it`),
            cause,
          }),
        };
      }
      const code = networkCode ?? (timedOut ? "ETIMEDOUT" : undefined);
      if (decision === "retry") {
        return { ok: false, retryable: true, error: fail(req, "transient", what, { code, cause }) };
      }
      // A certificate the TLS layer refused (self-signed, expired, another host's): say so, and keep its code.
      const errorCode = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : undefined;
      if (errorCode && TLS_CERTIFICATE_CODE.test(errorCode)) {
        const message =
          `the TLS certificate of ${host} was not accepted (${errorCode}: ${rawMessage}); certificate checks are always on: ` +
          "use an endpoint whose certificate a trusted CA issued, or add that CA with NODE_EXTRA_CA_CERTS";
        return { ok: false, retryable: false, error: fail(req, "client", message, { code: errorCode, cause }) };
      }
      return { ok: false, retryable: false, error: fail(req, "client", `request could not be sent: ${rawMessage}`, { code, cause }) };
    } finally {
      clearTimeout(timer);
    }
  };

  const request = async <T>(req: HttpRequest): Promise<HttpResponse<T>> => {
    if (!req.path.startsWith("/")) {
      throw new ConfigurationError(`${req.operation}: request path must start with "/", got "${req.path}"`);
    }
    // The HTTP stack parses the URL (WHATWG rules), which resolves "." and ".." segments, encoded ones ("%2E%2E")
    // included, and would send the request to another route than the one signed and meant: an id such as ".."
    // from hand-edited state must never reach a different resource (a 404 there would even read as "gone").
    const sentPath = new URL(req.path, origin).pathname;
    // An empty segment ("/clusters/") comes from an empty id and would address the collection instead of one member
    // (GET /clusters/ lists clusters, a DELETE there answers 404, which reads as "already gone").
    if (req.path !== "/" && req.path.split("/").slice(1).some((seg) => seg === "")) {
      throw new CloudApiError({
        operation: req.operation,
        kind: "client",
        message: clean(`refused before sending: the request path ${JSON.stringify(req.path)} has an empty segment (check the ids in the resource's inputs and state)`),
      });
    }
    if (sentPath !== req.path) {
      const dotSegment = req.path.split("/").some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
      throw new CloudApiError({
        operation: req.operation,
        kind: "client",
        message: clean(
          `refused before sending: the request path ${JSON.stringify(req.path)} would be sent as ${JSON.stringify(sentPath)}` +
            (dotSegment ? ' because a path segment is "." or ".." (check the ids in the resource\'s inputs and state)' : ""),
        ),
      });
    }
    const started = clock.now();
    const invocationId = randomHex32().slice(0, 16);
    const prefix = `${req.operation} ${req.method} ${req.path}`;
    for (let attempt = 1; ; attempt++) {
      if (opts.limiter) await opts.limiter.acquire();
      const outcome = await attemptOnce(req, attempt, invocationId);
      const tag = `attempt ${attempt}/${policy.maxAttempts}`;
      if (outcome.ok) {
        const r = outcome.response;
        log(`${prefix} -> ${r.status} request-id=${r.requestId ?? "-"} ${tag}: ok`);
        return { ...r, data: r.data as T, attempts: attempt };
      }
      const err = outcome.error;
      err.attempts = attempt;
      const status = err.status !== undefined ? String(err.status) : "no response";
      const head = `${prefix} -> ${status} ${err.code ?? "-"} request-id=${err.requestId ?? "-"} ${tag}`;
      if (!outcome.retryable) {
        log(`${head}: ${err.kind}, not retried: ${err.cloudMessage}`);
        throw err;
      }
      if (attempt >= policy.maxAttempts) {
        log(`${head}: ${err.kind}, giving up after ${attempt} attempts: ${err.cloudMessage}`);
        throw err;
      }
      const delay = computeBackoffDelay(attempt - 1, err.kind, policy, clock.random(), err.retryAfterMs);
      const elapsed = clock.now() - started;
      if (elapsed + delay > policy.maxTotalMs) {
        log(`${head}: ${err.kind}, giving up: retrying in ${delay}ms would exceed ${formatDuration(policy.maxTotalMs)} in total`);
        throw err;
      }
      log(`${head}: ${err.kind}, retrying in ${delay}ms`);
      await clock.sleep(delay);
    }
  };

  return { request };
}

// ---------------------------------------------------------------------------------------------
// Rate limiting

/** @public */
export interface RateLimiterOptions {
  /** Sustained rate. */
  ratePerSecond: number;
  /** Calls allowed back to back before spacing starts; default 1 (strict spacing). */
  burst?: number;
  clock?: Clock;
}

/**
 * A FIFO-fair rate limiter (GCRA, the "virtual scheduling" form of a token bucket). Each call to
 * `acquire` reserves the next free slot synchronously, so callers are served in call order.
 * @public
 */
export function createRateLimiter(o: RateLimiterOptions): RateLimiter {
  const clock = o.clock ?? systemClock;
  const burst = o.burst ?? 1;
  if (!(typeof o.ratePerSecond === "number" && Number.isFinite(o.ratePerSecond) && o.ratePerSecond > 0)) {
    throw new ConfigurationError(`ratePerSecond must be a positive number, got ${o.ratePerSecond}`);
  }
  if (!Number.isInteger(burst) || burst < 1) throw new ConfigurationError(`burst must be an integer >= 1, got ${burst}`);
  const interval = 1000 / o.ratePerSecond;
  const tolerance = (burst - 1) * interval;
  // Theoretical arrival time of the next call.
  let tat = Number.NEGATIVE_INFINITY;
  return {
    async acquire(): Promise<void> {
      const now = clock.now();
      const slot = Math.max(tat, now);
      tat = slot + interval;
      const wait = slot - tolerance - now;
      if (wait > 0) await clock.sleep(wait);
    },
  };
}

/** @public */
export interface WindowLimiterOptions {
  /** Calls allowed in any window. */
  limit: number;
  /** The window, in milliseconds. */
  windowMs: number;
  clock?: Clock;
}

/**
 * A FIFO-fair sliding-window limiter: at most `limit` calls start in any `windowMs`, so a queue of n
 * calls goes out `limit` at a time, one window apart (n = 50, limit = 10: at 0, 1, 2, 3 and 4 windows),
 * which is as fast as a cloud that counts calls per sliding second allows. Each call to `acquire`
 * reserves its slot synchronously, so callers are served in call order.
 * @public
 */
export function createWindowLimiter(o: WindowLimiterOptions): RateLimiter {
  const clock = o.clock ?? systemClock;
  if (!Number.isInteger(o.limit) || o.limit < 1) throw new ConfigurationError(`limit must be an integer >= 1, got ${o.limit}`);
  if (!(typeof o.windowMs === "number" && Number.isFinite(o.windowMs) && o.windowMs > 0)) {
    throw new ConfigurationError(`windowMs must be a positive number, got ${o.windowMs}`);
  }
  // Start times of the last `limit` calls, oldest first (reserved, so some may lie in the future).
  const starts: number[] = [];
  return {
    async acquire(): Promise<void> {
      const now = clock.now();
      let slot = Math.max(now, starts.length ? starts[starts.length - 1] : now);
      if (starts.length >= o.limit) slot = Math.max(slot, starts[starts.length - o.limit] + o.windowMs);
      starts.push(slot);
      if (starts.length > o.limit) starts.shift();
      if (slot > now) await clock.sleep(slot - now);
    },
  };
}

/**
 * What {@link sharedLimiter} adds to the cloud's one-second window: the cloud counts calls when they arrive, and
 * arrival times wander with the network (measured: calls sent exactly 100 ms apart to a 10/s limit arrived 994 ms
 * apart over ten calls and were throttled). 10 % keeps a queue of 50 calls within 1.1 times the least time the
 * limit allows.
 */
export const SHARED_LIMITER_MARGIN = 0.1;

/** globalThis key of the per-process limiter registry (a symbol, so that copies of this module share it). */
const SHARED_LIMITERS_KEY = "pulumi-nodepools.sharedRateLimiters";

function sharedRegistry(): Map<string, RateLimiter> {
  const g = globalThis as unknown as Record<symbol, Map<string, RateLimiter> | undefined>;
  const sym = Symbol.for(SHARED_LIMITERS_KEY);
  let map = g[sym];
  if (!map) {
    map = new Map();
    g[sym] = map;
  }
  return map;
}

/**
 * One limiter per process for `key` (compose it from account and product, e.g. `ens:<ak-id>`), so
 * that every resource of a program shares one budget (ENS creates must stay under 10/s). The first
 * call for a key decides the rate; later calls get the same limiter. Kept on `globalThis` so that a
 * module loaded twice by the dynamic-provider host still shares it.
 *
 * A sliding window ({@link createWindowLimiter}: `ratePerSecond` calls per second plus
 * {@link SHARED_LIMITER_MARGIN}), not even spacing: spacing calls exactly 1/rate apart made 50 creates take
 * 4.9 s where the cloud's limit allows 4 s, and left no room for network jitter.
 * @public
 */
export function sharedLimiter(key: string, ratePerSecond: number, clock?: Clock): RateLimiter {
  const registry = sharedRegistry();
  let limiter = registry.get(key);
  if (!limiter) {
    if (!(typeof ratePerSecond === "number" && Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new ConfigurationError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    // A fractional rate (0.5/s) becomes one call per 1/rate seconds.
    const limit = Math.max(1, Math.floor(ratePerSecond));
    limiter = createWindowLimiter({ limit, windowMs: Math.round(((1000 * limit) / ratePerSecond) * (1 + SHARED_LIMITER_MARGIN)), clock });
    registry.set(key, limiter);
  }
  return limiter;
}

/** Forgets every shared limiter (tests). @internal */
export function resetSharedLimiters(): void {
  sharedRegistry().clear();
}
