/**
 * Typed errors raised by the HTTP layer and the waiters. Every error that can reach a user carries the
 * operation, and where the cloud answered, the HTTP status, the cloud's error code and its request id.
 * Messages are built from redacted text only (see redact.ts).
 */

export type ErrorKind =
  | "throttling"
  | "transient" // 5xx, ServiceUnavailable, network resets: safe to retry
  | "timeout" // the request may have reached the cloud; outcome unknown
  | "client" // 4xx other than throttling: fix the request
  | "auth" // signature / access key problems
  | "notFound"
  | "conflict";

export interface CloudApiErrorDetails {
  operation: string;
  status?: number;
  code?: string;
  message: string;
  requestId?: string;
  kind: ErrorKind;
  /** Number of attempts made, including the failing one. */
  attempts?: number;
  /** Server-suggested wait before the next attempt, in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class CloudApiError extends Error {
  readonly operation: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly kind: ErrorKind;
  attempts?: number;
  readonly retryAfterMs?: number;
  /** The cloud's own message, without the operation/code prefix. */
  readonly cloudMessage: string;

  constructor(d: CloudApiErrorDetails) {
    const parts = [`${d.operation} failed`];
    if (d.status !== undefined) parts.push(`HTTP ${d.status}`);
    if (d.code) parts.push(d.code);
    let text = `${parts.join(": ")}: ${d.message}`;
    if (d.requestId) text += ` (request id ${d.requestId})`;
    super(text);
    this.name = "CloudApiError";
    this.operation = d.operation;
    this.status = d.status;
    this.code = d.code;
    this.requestId = d.requestId;
    this.kind = d.kind;
    this.attempts = d.attempts;
    this.retryAfterMs = d.retryAfterMs;
    this.cloudMessage = d.message;
    if (d.cause !== undefined) (this as { cause?: unknown }).cause = d.cause;
    Object.setPrototypeOf(this, CloudApiError.prototype);
  }
}

/** The request was sent but no answer came back: the cloud may or may not have acted on it. */
export class UnknownOutcomeError extends CloudApiError {
  constructor(d: Omit<CloudApiErrorDetails, "kind">) {
    super({ ...d, kind: "timeout" });
    this.name = "UnknownOutcomeError";
    Object.setPrototypeOf(this, UnknownOutcomeError.prototype);
  }
}

/** A waiter gave up because its time ran out; `lastStates` names what it saw last. */
export class WaiterTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    readonly lastStates: string[],
  ) {
    super(
      `${operation}: timed out after ${formatDuration(timeoutMs)}; last observed state: ${
        lastStates.length ? lastStates.join(" -> ") : "none"
      }`,
    );
    this.name = "WaiterTimeoutError";
    Object.setPrototypeOf(this, WaiterTimeoutError.prototype);
  }
}

/** A waiter reached a documented failure state. */
export class WaiterFailureError extends Error {
  constructor(
    readonly operation: string,
    readonly state: string,
    readonly detail?: string,
  ) {
    super(`${operation}: reached failure state ${state}${detail ? `: ${detail}` : ""}`);
    this.name = "WaiterFailureError";
    Object.setPrototypeOf(this, WaiterFailureError.prototype);
  }
}

/** Bad configuration (credentials, endpoints, timeouts): raised before any cloud call. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
    Object.setPrototypeOf(this, ConfigurationError.prototype);
  }
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
