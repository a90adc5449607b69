/**
 * The lifecycle toolkit: the mechanics that every resource handler shares, written once.
 *
 * - {@link beginStep}: one create, update or delete, with its time budget from the `timeouts` input;
 * - {@link waitUntil} / {@link waitUntilGone}: the waiter with the package's poll delays, the step's remaining time
 *   and progress lines;
 * - {@link removeAndWaitGone}: delete, treating "already gone" and "already being deleted" (an earlier, interrupted
 *   delete) as progress rather than failure;
 * - {@link createByName}: the create of a resource keyed by a name the caller chooses: the name is looked up first
 *   (or, where the cloud refuses a duplicate name with an error the caller recognises, only once the cloud has
 *   refused it), a same-named resource that carries this resource's ownership mark (core/ownership.ts) is adopted,
 *   any other is refused with the import hint, and a lost answer is reconciled by name (re-sent only where the cloud
 *   refuses a duplicate name), so that no run ever makes a second one;
 * - {@link sentInputs}: the inputs an update that failed part-way may record: the new values of the calls that were
 *   sent, the old values of the others, so that the next `up` sends the rest;
 * - {@link settleCreate} / {@link initError}: a resource the cloud accepted but that did not become ready is
 *   reported with its id (ResourceInitError), so that Pulumi records it instead of orphaning it.
 */
import { z } from "zod";
import { CloudApiError, formatDuration, UnknownOutcomeError, WaiterTimeoutError } from "./errors";
import type { DiffOutcome } from "./fields/diff";
import { deletePath, getPath, setPath, type FieldSpec } from "./fields/spec";
import { ResourceInitError, timeoutOf, type Props } from "./handler";
import type { Runtime } from "./runtime";
import { parseDuration, waitFor, type Acceptor, type PollResult } from "./waiter";

export type Operation = "create" | "update" | "delete";

/**
 * Delays between polls: the first poll is immediate, then 5 s growing to 45 s. Node pools take minutes, so a
 * slower start only delays the answer while a faster one spends the API's rate limit. The cap bounds both: a
 * 10-minute provisioning takes at most 19 polls (ACK: task, then pool) and is seen at most 45 s late, within the
 * targets of 20 polls and 10 % of the wait (`npm run bench`, docs/performance.md; a 30 s cap took 25 polls).
 */
export const POLL_MIN_DELAY_MS = 5_000;
export const POLL_MAX_DELAY_MS = 45_000;

/** The poll delays scaled by `rt.pollDelayScale` (tests and the emulator demo use a small scale), never below 1 ms. */
export function pollDelays(rt: Runtime): { minDelayMs: number; maxDelayMs: number } {
  const scale = rt.pollDelayScale;
  return { minDelayMs: Math.max(1, POLL_MIN_DELAY_MS * scale), maxDelayMs: Math.max(1, POLL_MAX_DELAY_MS * scale) };
}

/** One create, update or delete under way. */
export interface Step {
  readonly rt: Runtime;
  readonly op: Operation;
  /** What is done, e.g. `create node pool "gpu"`: it opens every waiter operation, progress line and timeout error. */
  readonly what: string;
  /** The whole operation's budget (`timeouts.<op>` or the resource's default), in milliseconds. */
  readonly timeoutMs: number;
  /** `rt.clock` time by which the operation must be done: every wait of the step shares one budget. */
  readonly deadline: number;
}

/**
 * A `timeouts.<op>` value: duration text such as "45m", "1h30m" or "90s". Checked with the parser that
 * {@link beginStep} uses, so that every value check accepts is one the step can use.
 */
export const durationText = z
  .string()
  .refine((text) => {
    try {
      return parseDuration(text) > 0;
    } catch {
      return false;
    }
  }, 'must be a positive duration such as "45m", "1h30m" or "90s"')
  .describe('a positive duration such as "45m", "1h30m" or "90s"');

/** The `timeouts.create/update/delete` rows of a field table: package settings; `docs` name each default. */
export function timeoutFields(docs: Readonly<Record<Operation, string>>): FieldSpec[] {
  return (["create", "update", "delete"] as const).map((op) => ({
    path: `timeouts.${op}`,
    type: durationText,
    change: { kind: "local", source: "package setting" },
    doc: docs[op],
  }));
}

export function beginStep(rt: Runtime, op: Operation, what: string, props: Props, defaults: Readonly<Record<Operation, number>>): Step {
  const timeoutMs = timeoutOf(props, op, defaults[op]);
  return { rt, op, what, timeoutMs, deadline: rt.clock.now() + timeoutMs };
}

/** Time left in the step; at least 1 ms, so that a late waiter still polls once before it reports the timeout. */
export function remainingMs(step: Step): number {
  return Math.max(1, step.deadline - step.rt.clock.now());
}

export interface WaitSpec<T> {
  poll: () => Promise<T>;
  acceptors: Acceptor<T>[];
  describeState: (result: PollResult<T>) => string;
}

/**
 * Polls until an acceptor matches, within the step's remaining time. `purpose` completes the operation's name
 * (`<what>: <purpose>`); every poll after the first prints `<what>: <state>` as a progress line, so a long wait
 * shows what it is waiting for.
 */
export function waitUntil<T>(step: Step, purpose: string, spec: WaitSpec<T>): Promise<T> {
  const { rt } = step;
  return waitFor<T>({
    operation: `${step.what}: ${purpose}`,
    ...spec,
    ...pollDelays(rt),
    timeoutMs: remainingMs(step),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${step.what}: ${state}`),
  });
}

/** A state that ends a wait as a failure, e.g. "node pool state failed". */
export interface FailureState<T> {
  matches: (value: T) => boolean;
  describe: string;
}

export interface GoneSpec<T> {
  /** The resource, or undefined once the cloud no longer knows it. */
  poll: () => Promise<T | undefined>;
  /** Short state text of a resource that still exists. */
  describe: (value: T) => string;
  /** States in which waiting longer will not help. */
  failures?: FailureState<T>[];
  /** Default "wait until it is gone". */
  purpose?: string;
}

/** Waits until the resource is gone. A poll error that the waiter cannot retry ends the wait. */
export async function waitUntilGone<T>(step: Step, spec: GoneSpec<T>): Promise<void> {
  await waitUntil<T | undefined>(step, spec.purpose ?? "wait until it is gone", {
    poll: spec.poll,
    acceptors: [
      { state: "success", matches: (r) => !r.error && r.value === undefined },
      ...(spec.failures ?? []).map((f) => ({ state: "failure" as const, matches: (r: PollResult<T | undefined>) => r.value !== undefined && f.matches(r.value), describe: f.describe })),
    ],
    describeState: (r) => (r.value !== undefined ? spec.describe(r.value) : r.error ? String(r.error) : "gone"),
  });
}

export interface RemoveSpec<T> extends GoneSpec<T> {
  /** Sends the delete; false when the cloud says the resource is already gone. */
  remove: () => Promise<boolean>;
  /**
   * True for a resource already on its way out, e.g. because a delete of an earlier run was interrupted (a cancelled
   * CI job). When the delete call fails, the resource is looked at: gone or being deleted means the delete is under
   * way, so the step waits for it instead of failing. Without it, any error of the delete call is the step's error.
   */
  isDeleting?: (value: T) => boolean;
}

/** Deletes the resource and waits until it is gone; already gone is done. */
export async function removeAndWaitGone<T>(step: Step, spec: RemoveSpec<T>): Promise<void> {
  let removed: boolean;
  try {
    removed = await spec.remove();
  } catch (e) {
    if (!spec.isDeleting) throw e;
    const current = await spec.poll();
    if (current === undefined) return;
    if (!spec.isDeleting(current)) throw e;
    step.rt.progress(`${step.what}: already being deleted (${spec.describe(current)}); waiting until it is gone`);
    removed = true;
  }
  if (removed) await waitUntilGone(step, spec);
}

// ---------------------------------------------------------------------------------------------------------------
// Creating a resource keyed by a chosen name
// ---------------------------------------------------------------------------------------------------------------

/** Where a found resource carries an ownership mark (core/ownership.ts) and the mark of the resource being created. */
export interface OwnerCheck<T> {
  mark: string;
  markOf: (found: T) => string | undefined;
}

export interface NamedCreate<T, C extends { id: string }> {
  /** The kind of resource, with its article, for messages: "a node pool". */
  noun: string;
  name: string;
  /** Where the name lives, for messages: "cluster c-1". */
  scope: string;
  /** Why a taken name is refused, for messages: "names are unique in a cluster". */
  rule: string;
  /** Input path of the name, for messages: "nodepoolInfo.name". */
  namePath: string;
  /** The resources with exactly this name (compared exactly, so that a prefix filter never returns a stranger). */
  find: () => Promise<T[]>;
  /** The Pulumi id of a found resource (for the import hint and for adoption); undefined if the answer lacks it. */
  idOf: (found: T) => string | undefined;
  /** Sends the create call; `id` is the Pulumi id. Throws UnknownOutcomeError when the answer was lost. */
  create: () => Promise<C>;
  /**
   * This resource's mark, when its inputs carry an owner key and the API has a field for the mark. Without it a
   * taken name is always refused (the package cannot tell its own resource from a stranger's).
   */
  owner?: OwnerCheck<T>;
  /** Why this resource type carries no mark, added to the refusal (e.g. ENS has no field for one). */
  unmarkable?: string;
  /**
   * The cloud refuses a second resource with the same name (ACK, eflo, ModelArts). Only then may a create whose
   * answer was lost, and after which the name is still free, be sent again: should the first request still land
   * late, the cloud refuses one of the two. Where names are not unique (ENS), such a create is never re-sent: the
   * step fails with the unknown outcome, and the next `up` looks the name up again before it creates.
   */
  namesUnique: boolean;
  /**
   * The cloud refuses a duplicate name with this error (e.g. ACK's 400 `InvalidParameter.Name` "... is already
   * exist in cluster ..."): create first, and look the name up only when the cloud says it is taken (or the answer
   * was lost), which saves the lookup on every create that goes through. Match the refusal of a taken name only,
   * never a malformed one. Used only together with `owner` and `namesUnique`: without a mark, a resource found after
   * a lost answer could be this create's or a stranger's that held the name all along, which only a lookup before
   * the create tells apart, so such inputs are looked up first as without this field.
   */
  nameTaken?: (e: unknown) => boolean;
}

export type Claimed<T, C> =
  /** The create call answered. */
  | { how: "created"; id: string; answer: C }
  /** The create call's answer was lost; the resource it made was found by name. */
  | { how: "reconciled"; id: string; found: T }
  /**
   * The name was taken by a resource with this resource's mark: one that an interrupted earlier run created (or, when
   * the create went first and its answer was lost, possibly this create): recorded as the cloud has it.
   */
  | { how: "adopted"; id: string; found: T };

/**
 * Create attempts when answers are lost or a taken name is found free: the second one runs only when the first
 * provably made nothing.
 */
const NAMED_CREATE_ATTEMPTS = 2;

/**
 * Creates a resource whose name the caller chooses and that the API makes unique, so that the name identifies it
 * when the create call has no client token:
 *
 * 1. The name is looked up first. Free: go on. Taken by exactly one resource that carries this resource's mark: it
 *    is the one an earlier run created before it was killed (Pulumi recorded nothing), so it is adopted rather
 *    than duplicated. Taken otherwise (another mark, no mark, or no mark possible): refused, with the import hint.
 *    With `nameTaken` (and a mark), the create goes first instead and the name is looked up only when the cloud
 *    refuses it as taken, with the same outcomes: adopted, refused, or, when the resource that held the name is
 *    gone by the time of the lookup, the create is sent again (within {@link NAMED_CREATE_ATTEMPTS}).
 * 2. A create whose answer was lost (UnknownOutcomeError) is reconciled by name: the name was free just before, so a
 *    resource found now is the one this call made, unless it carries another resource's mark (or none while ours
 *    was sent): then someone else took the name in between, and it is refused. When the create went first, the name
 *    was not looked up before, so a resource with this resource's mark may also be an earlier run's: it is adopted
 *    (recorded as the cloud has it). Found nothing: the create did not happen yet. Where the cloud refuses duplicate
 *    names it is sent once more (a late first request is then refused by the cloud); elsewhere the request may
 *    still land, so the step fails with an UnknownOutcomeError that says what the next `up` will do, and no second
 *    resource is ever made.
 */
export async function createByName<T, C extends { id: string }>(step: Step, spec: NamedCreate<T, C>): Promise<Claimed<T, C>> {
  const ours = (found: T) => spec.owner !== undefined && spec.owner.markOf(found) === spec.owner.mark;
  const nameTaken = spec.owner !== undefined && spec.namesUnique ? spec.nameTaken : undefined;
  /** A create of this run whose answer was lost: a resource with this resource's mark may then be its own. */
  let lost = false;
  /** The name is taken: adopt the one resource with this resource's mark, refuse anything else. */
  const claimTaken = (existing: T[]): Claimed<T, C> => {
    const id = existing.length === 1 && ours(existing[0]) ? spec.idOf(existing[0]) : undefined;
    if (id === undefined) throw refusal(spec, existing.find((f) => !ours(f)) ?? existing[0]);
    step.rt.progress(
      lost
        ? `${step.what}: the create's answer was lost; adopting ${id}, which carries this resource's ownership mark (this create or an earlier, interrupted run made it)`
        : `${step.what}: adopting ${id}, which carries this resource's ownership mark (an earlier run created it and was interrupted)`,
    );
    return { how: "adopted", id, found: existing[0] };
  };
  if (!nameTaken) {
    const existing = await spec.find();
    if (existing.length) return claimTaken(existing);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await spec.create();
      return { how: "created", id: answer.id, answer };
    } catch (e) {
      if (nameTaken?.(e)) {
        const existing = await spec.find();
        if (existing.length) return claimTaken(existing);
        // The resource that held the name is gone (or not listed yet): the create is sent again.
        if (attempt >= NAMED_CREATE_ATTEMPTS) throw takenButNotFound(spec, e);
        continue;
      }
      if (!(e instanceof UnknownOutcomeError)) throw e;
      lost = true;
      const found = await spec.find();
      if (found.length > 1) throw new Error(`${step.what}: after a lost answer, ${found.length} resources named "${spec.name}" exist in ${spec.scope}`);
      if (found.length === 1) {
        if (spec.owner && !ours(found[0])) throw refusal(spec, found[0]);
        const id = spec.idOf(found[0]);
        // Created first, the name was not looked up before: ours may also be an earlier run's, recorded as it is.
        if (id !== undefined) return nameTaken ? claimTaken(found) : { how: "reconciled", id, found: found[0] };
      }
      if (!spec.namesUnique) throw unknownCreate(spec, e);
      if (attempt >= NAMED_CREATE_ATTEMPTS) throw e;
    }
  }
}

/**
 * The cloud refused the name as taken on every attempt, yet the lookup after each refusal found nothing (the holder
 * was deleted in between, or the list lags behind). The cloud's error, with what was done and what the next `up` does.
 */
function takenButNotFound<T, C extends { id: string }>(spec: NamedCreate<T, C>, e: unknown): Error {
  const text =
    `${spec.noun} named "${spec.name}" was not found in ${spec.scope} after the cloud refused the name as taken ` +
    `(${NAMED_CREATE_ATTEMPTS} attempts); run \`pulumi up\` again: it adopts such a resource if it carries this resource's ` +
    `ownership mark, and refuses it with the \`import\` hint otherwise`;
  if (!(e instanceof CloudApiError)) return new Error(`${reasonOf(e)}. ${text}`, { cause: e });
  return new CloudApiError({
    operation: e.operation,
    status: e.status,
    code: e.code,
    requestId: e.requestId,
    kind: e.kind,
    attempts: e.attempts,
    cause: e,
    message: `${e.cloudMessage.replace(/\.$/, "")}. ${text}`,
  });
}

/**
 * The lost create of a resource whose name the cloud does not keep unique: it may still land, so it is not sent
 * again. The error keeps the call's details (operation, code, request id) and says what the next `up` does.
 */
function unknownCreate<T, C extends { id: string }>(spec: NamedCreate<T, C>, e: UnknownOutcomeError): UnknownOutcomeError {
  const next = spec.owner
    ? "adopts it if it carries this resource's ownership mark"
    : `refuses it with the \`import\` hint and its id${spec.unmarkable ? ` (${spec.unmarkable})` : ""}: import it then to keep it, or delete it and run \`pulumi up\` again`;
  return new UnknownOutcomeError({
    operation: e.operation,
    status: e.status,
    code: e.code,
    requestId: e.requestId,
    attempts: e.attempts,
    cause: e,
    message:
      `${e.cloudMessage}. ${spec.noun} named "${spec.name}" was not found in ${spec.scope} right after, but the request may still ` +
      `be acted on, and the cloud does not refuse a second one with the same name, so the create is not sent again. ` +
      `The next \`pulumi up\` looks the name up first: if the create did not happen, it creates ${spec.noun}; if it did, it ${next}`,
  });
}

function refusal<T, C extends { id: string }>(spec: NamedCreate<T, C>, found: T): Error {
  const id = spec.idOf(found);
  let why = "";
  if (spec.owner) {
    why = spec.owner.markOf(found) === undefined
      ? " and carries no ownership mark of pulumi-nodepools, so this resource did not create it"
      : " and carries the ownership mark of another Pulumi resource";
  } else if (spec.unmarkable) {
    why = ` (${spec.unmarkable})`;
  }
  return new Error(
    `${spec.noun} named "${spec.name}" already exists in ${spec.scope}${why}; ${spec.rule}: choose another ${spec.namePath}, ` +
      `or adopt it with the \`import\` resource option${id !== undefined ? ` (id "${id}")` : ""}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// An update that failed part-way
// ---------------------------------------------------------------------------------------------------------------

/**
 * The inputs to record when an update fails after some of its calls were sent: `news`, except that the changed
 * paths of every call in `diff.calls` that was not sent keep their value from `olds`. The state then claims no
 * change the cloud never got, so the next `up` diffs those paths again and sends the rest. Paths changed without a
 * call (package settings) take their new value.
 */
export function sentInputs(olds: Props, news: Props, diff: Pick<DiffOutcome, "calls">, sent: ReadonlySet<string>): Props {
  const out = structuredClone(news);
  for (const [call, paths] of Object.entries(diff.calls)) {
    if (sent.has(call)) continue;
    for (const path of paths) {
      const old = getPath(olds, path);
      if (old === undefined) deletePath(out, path);
      else setPath(out, path, structuredClone(old));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Created (or updated) but not ready
// ---------------------------------------------------------------------------------------------------------------

/** The text of an error, for messages and the reasons of a ResourceInitError. */
export function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** {@link reasonOf}, and for a timeout the setting that bounds the whole step (`timeouts.create = 60m`). */
export function reasonWithTimeout(e: unknown, step: Step): string {
  const text = reasonOf(e);
  return e instanceof WaiterTimeoutError ? `${text} (the ${step.op} waits at most timeouts.${step.op} = ${formatDuration(step.timeoutMs)})` : text;
}

/** `<message>: <reason>` as a ResourceInitError: the host records the resource with `properties` under `id`. */
export function initError(message: string, id: string, properties: Props, reason: string): ResourceInitError {
  return new ResourceInitError(`${message}: ${reason}`, id, properties, [reason]);
}

/**
 * Runs the wait after a create the cloud accepted. If it fails, the resource exists all the same: the error names
 * it by id with the properties `recorded` returns (looked up again, best effort), so that Pulumi records it and the
 * next `pulumi up` resumes it through update, instead of losing it or making a second one.
 */
export async function settleCreate<R>(
  noun: string,
  id: string,
  wait: () => Promise<R>,
  recorded: () => Promise<Props>,
  reason: (e: unknown) => string = reasonOf,
): Promise<R> {
  try {
    return await wait();
  } catch (e) {
    throw initError(`${noun} was created but is not ready`, id, await recorded(), reason(e));
  }
}
