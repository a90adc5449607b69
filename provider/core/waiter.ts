/**
 * A generic poller with acceptors, modelled on smithy-typescript's `util-waiter`: poll once
 * immediately, then sleep with jittered exponential backoff between `minDelayMs` and `maxDelayMs`,
 * never past the deadline, until an acceptor says success or failure or time runs out.
 *
 * Time comes from an injected {@link Clock}, so tests run without real waiting.
 */
import { Clock, systemClock } from "./clock";
import { CloudApiError, ConfigurationError, WaiterFailureError, WaiterTimeoutError } from "./errors";

/** @public */
export type AcceptorState = "success" | "failure" | "retry";

/** One poll's outcome: the value returned, or the error thrown. @public */
export interface PollResult<T> {
  value?: T;
  error?: unknown;
}

/** @public */
export interface Acceptor<T> {
  state: AcceptorState;
  matches: (result: PollResult<T>) => boolean;
  /** Used as the failure detail when a `failure` acceptor matches. */
  describe?: string;
}

/** @public */
export interface WaiterOptions<T> {
  /** What is being waited for, e.g. "wait for node pool np-1 to become active". */
  operation: string;
  poll: () => Promise<T>;
  /**
   * First match wins. No match: retry for a value; for a thrown error, retry when it is a
   * {@link CloudApiError} of a retryable kind (throttling, transient, timeout), else rethrow it.
   */
  acceptors: Acceptor<T>[];
  /** Short state text for progress and timeout messages, e.g. "state=scaling, task=running". */
  describeState: (result: PollResult<T>) => string;
  minDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  clock?: Clock;
  /** Progress hook, called after every poll with the 1-based poll number and the described state. */
  onPoll?: (attempt: number, state: string) => void;
}

/** Distinct states kept for the timeout message. */
const LAST_STATES_KEPT = 5;
/** Error kinds a waiter polls through when no acceptor matched the error. */
const RETRYABLE_POLL_ERROR_KINDS: readonly string[] = ["throttling", "transient", "timeout"];

function validate<T>(o: WaiterOptions<T>): void {
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  if (!finite(o.minDelayMs) || o.minDelayMs <= 0) {
    throw new ConfigurationError(`${o.operation}: minDelayMs must be a positive number, got ${o.minDelayMs}`);
  }
  if (!finite(o.maxDelayMs) || o.maxDelayMs < o.minDelayMs) {
    throw new ConfigurationError(
      `${o.operation}: maxDelayMs (${o.maxDelayMs}) must be a number no smaller than minDelayMs (${o.minDelayMs})`,
    );
  }
  if (!finite(o.timeoutMs) || o.timeoutMs <= 0) {
    throw new ConfigurationError(`${o.operation}: timeoutMs must be a positive number, got ${o.timeoutMs}`);
  }
  if (!Array.isArray(o.acceptors)) throw new ConfigurationError(`${o.operation}: acceptors must be an array`);
}

/**
 * Delay before poll `attempt + 1` (`attempt` is 1-based, the number of polls so far): a random value
 * in `[minDelayMs, minDelayMs * 2^(attempt-1)]`, and exactly `maxDelayMs` once that range would
 * pass it (smithy's `exponentialBackoffWithJitter`).
 * @public
 */
export function waiterDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: number): number {
  const attemptCeiling = Math.log(maxDelayMs / minDelayMs) / Math.log(2) + 1;
  if (attempt > attemptCeiling) return maxDelayMs;
  const upper = minDelayMs * 2 ** (attempt - 1);
  return Math.round(minDelayMs + random * (upper - minDelayMs));
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Polls until an acceptor reports success (resolves with the polled value; `undefined` when success
 * matched a thrown error, e.g. "not found" for a delete) or failure (throws
 * {@link WaiterFailureError}), or until `timeoutMs` passes (throws {@link WaiterTimeoutError} naming
 * the last few distinct states observed).
 * @public
 */
export async function waitFor<T>(opts: WaiterOptions<T>): Promise<T> {
  validate(opts);
  const clock = opts.clock ?? systemClock;
  const deadline = clock.now() + opts.timeoutMs;
  const states: string[] = [];

  for (let attempt = 1; ; attempt++) {
    let result: PollResult<T>;
    try {
      result = { value: await opts.poll() };
    } catch (error) {
      result = { error };
    }

    let state: string;
    try {
      state = opts.describeState(result);
    } catch {
      state = result.error !== undefined ? `error: ${errorText(result.error)}` : "unknown";
    }
    if (states[states.length - 1] !== state) {
      states.push(state);
      if (states.length > LAST_STATES_KEPT) states.shift();
    }
    opts.onPoll?.(attempt, state);

    const acceptor = opts.acceptors.find((a) => a.matches(result));
    if (acceptor?.state === "success") return result.value as T;
    if (acceptor?.state === "failure") {
      const detail = acceptor.describe ?? (result.error !== undefined ? errorText(result.error) : undefined);
      throw new WaiterFailureError(opts.operation, state, detail);
    }
    if (!acceptor && "error" in result) {
      const e = result.error;
      if (!(e instanceof CloudApiError) || !RETRYABLE_POLL_ERROR_KINDS.includes(e.kind)) throw e;
    }

    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new WaiterTimeoutError(opts.operation, opts.timeoutMs, [...states]);
    const delay = Math.min(waiterDelay(attempt, opts.minDelayMs, opts.maxDelayMs, clock.random()), remaining);
    await clock.sleep(delay);
  }
}

/** Units accepted by {@link parseDuration}, in milliseconds. */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Parses a duration such as `"45m"`, `"1h30m"`, `"90s"`, `"2h"` or `"500ms"` into milliseconds.
 * Units must appear largest first and at most once each.
 * @public
 */
export function parseDuration(text: string): number {
  const format = `expected whole numbers with units h, m, s or ms, largest first, e.g. "45m", "1h30m", "90s", "2h"`;
  if (typeof text !== "string") throw new Error(`invalid duration ${String(text)}: ${format}`);
  const trimmed = text.trim();
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(trimmed);
  if (!trimmed || !m) throw new Error(`invalid duration "${text}": ${format}`);
  const [, h, min, s, ms] = m;
  let total = 0;
  if (h) total += Number(h) * DURATION_UNITS_MS.h;
  if (min) total += Number(min) * DURATION_UNITS_MS.m;
  if (s) total += Number(s) * DURATION_UNITS_MS.s;
  if (ms) total += Number(ms) * DURATION_UNITS_MS.ms;
  if (!Number.isSafeInteger(total)) throw new Error(`invalid duration "${text}": too large`);
  return total;
}
