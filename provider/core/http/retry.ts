/**
 * Error classification and retry backoff for the shared HTTP layer.
 *
 * Classification is driven by the tables below rather than ad-hoc conditions, in the manner of
 * smithy-typescript's `service-error-classification/constants.ts`: each cloud module only adds its
 * own codes (extra throttling codes, not-found codes) through {@link ClassifyInput}.
 *
 * Only plain strings and numbers live at module scope: these modules are loaded inside a Pulumi
 * dynamic-provider host, where module-level library objects are not wanted.
 */
import type { ErrorKind } from "../errors";

/**
 * Error codes that mean "slow down". Any code containing `Throttling` also counts (Alibaba's SDK and
 * Terraform provider both match on the substring).
 * @public
 */
export const THROTTLING_CODES: readonly string[] = [
  "Throttling",
  "Throttling.User",
  "Throttling.Api",
  "Rejected.Throttling",
  "APIG.0308",
  "APIGW.0308",
];

/** HTTP statuses that mean throttling whatever the code. @public */
export const THROTTLING_STATUSES: readonly number[] = [429];

/** Error codes for a server-side failure that is safe to retry. @public */
export const TRANSIENT_CODES: readonly string[] = ["ServiceUnavailable", "InternalError", "APIGW.0201"];

/** HTTP statuses for a server-side failure that is safe to retry. @public */
export const TRANSIENT_STATUSES: readonly number[] = [500, 502, 503, 504];

/**
 * Statuses and codes meaning "a gateway gave up waiting for the backend". The backend may still have
 * acted on the request, so for a mutating request these are an unknown outcome, not a retry.
 * @public
 */
export const GATEWAY_TIMEOUT_STATUSES: readonly number[] = [502, 504];
/** @public */
export const GATEWAY_TIMEOUT_CODES: readonly string[] = ["APIGW.0201"];

/**
 * Node/axios network error codes (and messages) raised before any response arrived. Whether a
 * retry is safe for a mutating request also depends on whether the request was fully written: see
 * {@link classifyTransportFailure}.
 * @public
 */
export const NETWORK_ERROR_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNABORTED",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "socket hang up",
];

/**
 * Network error codes which prove that no request reached the server: the connection was never
 * established (refused, name resolution failed). Always safe to retry, even for a mutating request.
 * @public
 */
export const NEVER_SENT_CODES: readonly string[] = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"];

/** Codes for signature and access-key problems. Codes ending in `.*` match by prefix. @public */
export const AUTH_CODES: readonly string[] = [
  "SignatureDoesNotMatch",
  "InvalidAccessKeyId.NotFound",
  "InvalidAccessKeyId",
  "Forbidden.RAM",
  "InvalidSecurityToken.*",
  "IncompleteSignature",
  "APIGW.0301",
  "APIGW.0303",
];

/** HTTP statuses classed as auth failures when the code says nothing more specific. @public */
export const AUTH_STATUSES: readonly number[] = [401, 403];

/** HTTP statuses meaning the resource does not exist. @public */
export const NOT_FOUND_STATUSES: readonly number[] = [404];

/** HTTP statuses meaning a conflicting state or concurrent change. @public */
export const CONFLICT_STATUSES: readonly number[] = [409];

/** Error kinds that the HTTP client retries. @public */
export const RETRYABLE_KINDS: readonly ErrorKind[] = ["throttling", "transient"];

/** Maximum depth followed along `error.cause` chains when looking for a network code. */
const MAX_CAUSE_DEPTH = 10;

/** Upper bound for a server-provided retry-after hint, in milliseconds (Alibaba's SDK uses 120 s). */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Retry limits. All durations in milliseconds.
 * @public
 */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Backoff base for transient errors. */
  baseDelayMs: number;
  /** Backoff base for throttling errors. */
  throttlingBaseDelayMs: number;
  /** Cap on a computed backoff delay. */
  maxDelayMs: number;
  /** Total time budget across all attempts and delays (measured on the injected clock). */
  maxTotalMs: number;
  /** Wall-clock limit for one attempt (connect, send, and read the full response). */
  attemptTimeoutMs: number;
}

/** @public */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 200,
  throttlingBaseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxTotalMs: 300_000,
  attemptTimeoutMs: 60_000,
});

/** @public */
export interface ClassifyInput {
  status?: number;
  code?: string;
  /** Per-cloud throttling codes in addition to {@link THROTTLING_CODES}. */
  extraThrottlingCodes?: readonly string[];
  /** Per-cloud codes meaning "not found" (e.g. `ErrorNodePoolNotFound`, `ModelArts.50015001`). */
  notFoundCodes?: readonly string[];
}

function matchesCodeTable(code: string, table: readonly string[]): boolean {
  for (const entry of table) {
    if (entry.endsWith(".*")) {
      if (code.startsWith(entry.slice(0, -1))) return true;
    } else if (entry === code) {
      return true;
    }
  }
  return false;
}

/** True when `code` is a throttling code, including any code containing `Throttling`. @public */
export function isThrottlingCode(code: string | undefined, extra: readonly string[] = []): boolean {
  if (!code) return false;
  return code.includes("Throttling") || matchesCodeTable(code, THROTTLING_CODES) || matchesCodeTable(code, extra);
}

/**
 * Classifies a cloud error response by its HTTP status and error code.
 *
 * Precedence: throttling, auth, not-found, conflict, transient, then `client` for anything else
 * (including 5xx statuses outside {@link TRANSIENT_STATUSES}, such as 501, which retrying will not fix).
 * @public
 */
export function classifyError(input: ClassifyInput): ErrorKind {
  const { status, code } = input;
  if (isThrottlingCode(code, input.extraThrottlingCodes)) return "throttling";
  if (status !== undefined && THROTTLING_STATUSES.includes(status)) return "throttling";
  if (code && matchesCodeTable(code, AUTH_CODES)) return "auth";
  if (code && input.notFoundCodes && matchesCodeTable(code, input.notFoundCodes)) return "notFound";
  if (code && matchesCodeTable(code, TRANSIENT_CODES)) return "transient";
  if (status !== undefined && NOT_FOUND_STATUSES.includes(status)) return "notFound";
  if (status !== undefined && CONFLICT_STATUSES.includes(status)) return "conflict";
  if (status !== undefined && AUTH_STATUSES.includes(status)) return "auth";
  if (status !== undefined && TRANSIENT_STATUSES.includes(status)) return "transient";
  return "client";
}

/** True for the kinds the HTTP client retries (throttling, transient). @public */
export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE_KINDS.includes(kind);
}

/**
 * True when a gateway answered on behalf of a backend that did not reply in time: for a mutating
 * request the backend may have acted, so the outcome is unknown.
 * @public
 */
export function isGatewayTimeout(status: number | undefined, code: string | undefined): boolean {
  if (code && GATEWAY_TIMEOUT_CODES.includes(code)) return true;
  return status !== undefined && GATEWAY_TIMEOUT_STATUSES.includes(status);
}

/**
 * Finds a known network error code on an error or along its `cause` chain (bounded depth). Looks at
 * `code`, `errno`-style codes and the message (`socket hang up` has only a message in some paths).
 * @public
 */
export function networkErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current && typeof current === "object"; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string" && NETWORK_ERROR_CODES.includes(e.code)) return e.code;
    if (typeof e.message === "string") {
      for (const code of NETWORK_ERROR_CODES) {
        if (e.message.includes(code)) return code;
      }
    }
    current = e.cause;
  }
  return undefined;
}

/** Facts about one failed attempt that got no HTTP response. @public */
export interface TransportFailure {
  /** The request creates, changes or deletes something. */
  mutating: boolean;
  /** The complete request (headers and body) was handed to the operating system. */
  written: boolean;
  /** The attempt's own timer expired. */
  timedOut: boolean;
  /** A code from {@link NETWORK_ERROR_CODES}, if one was found. */
  networkCode?: string;
}

/**
 * What to do after an attempt failed without a complete response:
 * - `retry`: nothing reached the server, or the request is a read;
 * - `unknownOutcome`: a mutating request was fully sent and then the connection failed or timed
 *   out, so the cloud may have acted on it: never retried blindly;
 * - `fail`: an error that retrying will not fix (bad URL, TLS certificate problem, ...).
 * @public
 */
export function classifyTransportFailure(f: TransportFailure): "retry" | "unknownOutcome" | "fail" {
  if (f.networkCode && NEVER_SENT_CODES.includes(f.networkCode)) return "retry";
  if (f.mutating && f.written) return "unknownOutcome";
  if (f.timedOut || f.networkCode) return "retry";
  return "fail";
}

/**
 * Capped exponential backoff with full jitter: `random * min(maxDelayMs, base * 2^retryIndex)`,
 * where base is `throttlingBaseDelayMs` for throttling. A server hint (`retryAfterMs`) raises the
 * delay to at least the hint, capped at `min(2 * maxDelayMs, 120 s)`.
 *
 * @param retryIndex - 0 for the delay after the first failed attempt.
 * @public
 */
export function computeBackoffDelay(
  retryIndex: number,
  kind: ErrorKind,
  policy: Pick<RetryPolicy, "baseDelayMs" | "throttlingBaseDelayMs" | "maxDelayMs">,
  random: number,
  retryAfterMs?: number,
): number {
  const base = kind === "throttling" ? policy.throttlingBaseDelayMs : policy.baseDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** Math.min(retryIndex, 52));
  let delay = Math.floor(random * ceiling);
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    const hintCap = Math.min(policy.maxDelayMs * 2, MAX_RETRY_AFTER_MS);
    delay = Math.max(delay, Math.min(retryAfterMs, hintCap));
  }
  return delay;
}

/**
 * Reads a server-provided retry hint from lower-cased response headers: Alibaba's
 * `x-acs-retry-after` (milliseconds) or the standard `Retry-After` (seconds or an HTTP date).
 * @public
 */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const acs = headers["x-acs-retry-after"];
  if (acs !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(acs)) return Math.ceil(Number(acs));
  const std = headers["retry-after"];
  if (std === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(std)) return Math.ceil(Number(std) * 1000);
  const at = Date.parse(std);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
