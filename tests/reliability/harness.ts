/**
 * Runs one fault-matrix cell: a fresh emulator state, the operation through the handlers in-process with the fault
 * injected on its call, the invariants right after (no duplicate, no unrecorded resource), then "the next up"
 * without faults and the convergence checks. Returns the observed outcome class and every problem found.
 */
import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, UnknownOutcomeError } from "../../provider/core/errors";
import { ResourceInitError, type DynamicHandlers, type Props } from "../../provider/core/handler";
import * as httpClient from "../../provider/core/http/client";
import { ATTEMPT_HEADER, INVOCATION_HEADER, resetSharedLimiters } from "../../provider/core/http/client";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import type { RecordedRequest } from "../../provider/emulator";
import type { Driver, DriverEnv } from "./drivers";
import { SIGNATURE_ERROR, SLOW_ATTEMPT_TIMEOUT_MS, SLOW_DELAY_MS, type Cell, type Outcome } from "./matrix";

// ---- the attempt timeout ----------------------------------------------------------------------------------------------

/** While set, requests of this operation get {@link SLOW_ATTEMPT_TIMEOUT_MS} as their attempt timeout. */
let slowAction: string | undefined;

/**
 * The HTTP layer's attempt timeout (`RetryPolicy.attemptTimeoutMs`, 60 s) has no runtime setting: no `NODEPOOLS_*`
 * variable or stack config reaches it, and only the Huawei client takes a `retry` option (which the ModelArts API
 * does not pass). So the matrix wraps `createHttpClient`: while a `slow` cell runs, requests of the faulted
 * operation go through a twin client whose attempt timeout is short; every other request keeps the default.
 * Returns the function that removes the wrapper.
 */
export function installAttemptTimeoutHook(): () => void {
  const original = httpClient.createHttpClient;
  const spy = jest.spyOn(httpClient, "createHttpClient").mockImplementation((opts) => {
    const normal = original(opts);
    let short: httpClient.HttpClient | undefined;
    return {
      request<T>(req: httpClient.HttpRequest) {
        if (slowAction === undefined || req.operation !== slowAction) return normal.request<T>(req);
        short ??= original({ ...opts, retry: { ...(opts.retry ?? {}), attemptTimeoutMs: SLOW_ATTEMPT_TIMEOUT_MS } });
        return short.request<T>(req);
      },
    };
  });
  return () => spy.mockRestore();
}

// ---- runtime ----------------------------------------------------------------------------------------------------------

interface CellRuntime {
  clock: FakeClock;
  /** Debug lines of the HTTP layer. */
  logs: string[];
  /** Calls `fn` once, right after `action` answers OK for the first time. */
  armAfter(action: string, fn: () => void): void;
  disarm(): void;
}

/** A fresh fake clock (real time for signatures, instant sleeps) and log hook for each cell. */
function freshRuntime(env: Record<string, string>): CellRuntime {
  const clock = new FakeClock(Date.now());
  const logs: string[] = [];
  let hook: ((line: string) => void) | undefined;
  resetSharedLimiters();
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: () => undefined,
    log: (line) => {
      logs.push(line);
      hook?.(line);
    },
  });
  return {
    clock,
    logs,
    armAfter(action, fn) {
      hook = (line) => {
        if (line.startsWith(`${action} `) && /: ok$/.test(line)) {
          hook = undefined;
          fn();
        }
      };
    },
    disarm() {
      hook = undefined;
    },
  };
}

// ---- a resource's context ---------------------------------------------------------------------------------------------

export interface ResourceContext {
  driver: Driver;
  env: DriverEnv;
}

export async function startContext(driver: Driver): Promise<ResourceContext> {
  return { driver, env: await driver.start() };
}

export interface CellResult {
  /** The observed outcome class, or a description of something outside the classes. */
  actual: Outcome | string;
  problems: string[];
}

async function checked(h: DynamicHandlers, news: Props, olds: Props = {}): Promise<Props> {
  const r = await h.check(olds, news);
  if (r.failures?.length) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
  return r.inputs;
}

const text = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (real time) until the emulator has finished the request a `slow` fault held back, so it cannot leak into the next cell. */
async function waitForDelayed(e: DriverEnv, service: string, action: string): Promise<boolean> {
  const deadline = Date.now() + SLOW_DELAY_MS + 3000;
  while (Date.now() < deadline) {
    if (e.emulator.requests({ service, action }).some((r) => r.fault === "delay")) return true;
    await sleep(10);
  }
  return false;
}

type Result = { id: string; outs: Props } | { props?: Props } | undefined;

async function runOperation(h: DynamicHandlers, cell: Cell, state: { id: string; outs: Props } | undefined, inputs: Props, target: Props): Promise<Result> {
  switch (cell.op) {
    case "create": {
      const r = await h.create(inputs);
      return { id: r.id, outs: r.outs };
    }
    case "update":
      return { id: state!.id, outs: (await h.update(state!.id, state!.outs, target)).outs };
    case "read":
      return { props: (await h.read(state!.id, state!.outs)).props };
    case "delete":
      await h.delete(state!.id, state!.outs);
      return undefined;
  }
}

function classify(error: unknown, retriedByHttp: boolean): Outcome | string {
  // Succeeded although the faulted call itself never got an answer it could use: the handler looked at the cloud.
  if (error === undefined) return retriedByHttp ? "retried" : "reconciled";
  if (error instanceof ResourceInitError) return "partial";
  if (error instanceof UnknownOutcomeError) return "unknown-reported";
  if (error instanceof CloudApiError) return "typed-error";
  return `untyped error (${text(error).slice(0, 300)})`;
}

const invocationOf = (r: RecordedRequest) => r.headers[INVOCATION_HEADER];

export async function runCell(rc: ResourceContext, cell: Cell): Promise<CellResult> {
  const { driver, env } = rc;
  const h = driver.handlers;
  const em = env.emulator;
  const { service, cloud } = cell.resource;
  const action = cell.call.action;
  const problems: string[] = [];

  em.reset();
  env.reseed();
  const rt = freshRuntime(env.env);

  const inputs = await checked(h, driver.inputs());
  const target = cell.op === "update" ? await checked(h, driver.updated(), inputs) : inputs;
  let state: { id: string; outs: Props } | undefined;
  if (cell.op !== "create") {
    const r = await h.create(inputs);
    state = { id: r.id, outs: r.outs };
  }
  em.clearRequests();
  rt.logs.length = 0;

  // ---- the operation, with the fault ----
  const fault = { service, action, ...cell.fault.spec(cloud) };
  if (cell.call.after) rt.armAfter(cell.call.after, () => em.injectFault(fault));
  else em.injectFault(fault);
  const slow = cell.fault.kind === "slow";
  let result: Result;
  let error: unknown;
  slowAction = slow ? action : undefined;
  try {
    result = await runOperation(h, cell, state, inputs, target);
  } catch (e) {
    error = e;
  } finally {
    slowAction = undefined;
    rt.disarm();
  }
  if (slow && !(await waitForDelayed(env, service, action))) problems.push("the request the slow fault held back never finished");
  if (em.pendingFaults().length) {
    problems.push(`the fault was not consumed: ${action} was not called${cell.call.after ? ` after ${cell.call.after}` : ""} as the matrix says`);
    em.clearFaults();
  }

  const log = em.requests({ service });
  const faulted = log.filter((r) => r.action === action && r.fault !== undefined);
  const faultedIds = new Set(faulted.map(invocationOf));
  const repeats = log.filter((r) => r.action === action && r.fault === undefined && faultedIds.has(invocationOf(r)));
  let actual = classify(error, repeats.length > 0);
  const ids = driver.cloudIds(env);
  // A create reported as an unknown outcome (never sent again) whose resource the cloud made late: it is in no
  // state; the next up must find it by name and refuse with the import hint naming it.
  const late = cell.op === "create" && actual === "unknown-reported" && ids.length === 1 ? ids[0] : undefined;
  if (late !== undefined) actual = "unknown-import";

  // ---- what the outcome class promises ----
  if (actual === "retried") {
    const last = repeats[repeats.length - 1];
    const expectedAttempt = faulted.length + 1;
    if (!last?.headers[ATTEMPT_HEADER]?.startsWith(`${expectedAttempt}/`)) {
      problems.push(`the call that got through was attempt ${last?.headers[ATTEMPT_HEADER]}, expected ${expectedAttempt}`);
    }
    const backoff = rt.logs.filter((l) => l.startsWith(`${action} `)).map((l) => /retrying in (\d+)ms$/.exec(l)?.[1]).filter((d) => d !== undefined);
    if (backoff.length < faulted.length || backoff.some((d) => Number(d) <= 0)) {
      problems.push(`expected a positive backoff before each retry of ${action}, logged: ${JSON.stringify(backoff)}`);
    }
  } else if (faulted.length > 0) {
    // Not retryable: the HTTP layer must not have repeated the call (a handler may make a new call on purpose).
    const counts = new Map<string, number>();
    for (const r of log.filter((x) => x.action === action)) counts.set(String(invocationOf(r)), (counts.get(String(invocationOf(r))) ?? 0) + 1);
    for (const id of faultedIds) if ((counts.get(String(id)) ?? 0) > 1) problems.push(`the HTTP layer repeated ${action} after a ${cell.fault.title}`);
  }
  const answered = faulted[0] && faulted[0].status !== 0 && cell.fault.kind !== "slow";
  if (actual === "typed-error" || actual === "unknown-reported" || actual === "unknown-import") {
    const e = error as CloudApiError;
    if (e.operation !== action) problems.push(`the error names operation ${e.operation}, expected ${action}`);
    if (answered && e.requestId !== faulted[0].requestId) problems.push(`the error's request id is ${e.requestId}, the cloud answered ${faulted[0].requestId}`);
    if (cell.fault.kind === "signature" && e.code !== SIGNATURE_ERROR[cloud].code) problems.push(`the error's code is ${e.code}, expected ${SIGNATURE_ERROR[cloud].code}`);
    if (cell.fault.kind !== "malformed" && !e.code) problems.push("the error names no code");
    if (cell.fault.kind === "malformed" && e.status !== 200) problems.push(`the error names HTTP ${e.status}, the cloud answered 200`);
  }
  if (actual === "partial") {
    const e = error as ResourceInitError;
    if (!e.id) problems.push("the partial failure carries no id");
    if (!e.message.includes(action)) problems.push(`the partial failure does not name ${action}: ${e.message}`);
    if (cell.fault.kind === "signature" && !(e.message.includes(SIGNATURE_ERROR[cloud].code) && e.message.includes(faulted[0]?.requestId ?? "?"))) {
      problems.push(`the partial failure does not name the code and request id: ${e.message}`);
    }
  }

  // ---- invariants right after the fault ----
  let recorded: { id: string; outs: Props } | undefined;
  if (cell.op === "create") {
    if (!error) recorded = result as { id: string; outs: Props };
    else if (error instanceof ResourceInitError) recorded = { id: error.id, outs: error.properties };
  } else if (cell.op === "delete") {
    recorded = error ? state : undefined;
  } else {
    recorded = state;
  }
  if (ids.length > 1) problems.push(`duplicate: the emulator holds ${ids.length} resources for one Pulumi resource (${ids.join(", ")})`);
  for (const id of ids) {
    if (id !== recorded?.id && id !== late) problems.push(`orphan: ${id} exists in the cloud but is neither in the state nor reported with its id (${error ? text(error) : "no error"})`);
  }
  if (cell.op === "create" && error instanceof ResourceInitError && !ids.includes(error.id)) problems.push(`the partial failure names ${error.id}, which does not exist`);

  // ---- the next `pulumi up`, without faults ----
  let final: { id: string; outs: Props } | undefined;
  try {
    switch (cell.op) {
      case "create":
        if (!error) final = recorded;
        else if (error instanceof ResourceInitError) final = { id: error.id, outs: (await h.update(error.id, error.properties, inputs)).outs };
        else if (late !== undefined) {
          // The next up refuses the name, naming the late resource; the user imports it (read by id, then update).
          const refused = await h.create(inputs).then(
            (r) => new Error(`the next up created ${r.id} instead of refusing the name of ${late}`),
            (e: unknown) => e,
          );
          if (!(refused instanceof Error) || !refused.message.includes(`\`import\``) || !refused.message.includes(`(id "${late}")`)) {
            throw new Error(`expected the next up to refuse with the import hint for ${late}, got: ${text(refused)}`);
          }
          const imported = (await h.read(late, {})).props;
          if (!imported) throw new Error(`import finds nothing under ${late}`);
          const d = await h.diff(late, imported, inputs);
          final = { id: late, outs: d.changes ? (await h.update(late, imported, inputs)).outs : imported };
        } else {
          const r = await h.create(inputs);
          final = { id: r.id, outs: r.outs };
        }
        break;
      case "update":
        if (!error) final = result as { id: string; outs: Props };
        else if (error instanceof ResourceInitError) final = { id: state!.id, outs: (await h.update(state!.id, error.properties, target)).outs };
        else final = { id: state!.id, outs: (await h.update(state!.id, state!.outs, target)).outs };
        break;
      case "read": {
        const props = error ? (await h.read(state!.id, state!.outs)).props : (result as { props?: Props }).props;
        if (!props) throw new Error("read says the resource is gone");
        final = { id: state!.id, outs: props };
        break;
      }
      case "delete":
        if (error) await h.delete(state!.id, state!.outs);
        break;
    }
  } catch (e) {
    problems.push(`the next up failed: ${text(e)}`);
  }

  // ---- convergence ----
  const after = driver.cloudIds(env);
  if (cell.op === "delete") {
    if (after.length) problems.push(`after the next up the cloud still holds ${after.join(", ")}`);
  } else if (final) {
    if (after.length !== 1 || after[0] !== final.id) problems.push(`after the next up the cloud holds [${after.join(", ")}], the state ${final.id}`);
    try {
      const read = await h.read(final.id, final.outs);
      if (!read.props) problems.push("after the next up a refresh finds nothing");
      else {
        const d = await h.diff(final.id, read.props, target);
        if (d.changes) problems.push(`after the next up a refresh still differs from the program (replaces: ${d.replaces.join(", ") || "none"})`);
      }
    } catch (e) {
      problems.push(`after the next up a refresh failed: ${text(e)}`);
    }
    const facts = driver.facts(env, final.id);
    const want = driver.expectedFacts(target);
    if (JSON.stringify(facts) !== JSON.stringify(want)) problems.push(`after the next up the cloud holds ${JSON.stringify(facts)}, the program says ${JSON.stringify(want)}`);
  }
  em.clearFaults();
  return { actual, problems };
}
