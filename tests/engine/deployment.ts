/**
 * Planner and executor for `preview` and `up`: receives the program's registrations from the monitor and
 * decides, as the Pulumi engine's step generator does, whether each resource is created, updated, replaced,
 * imported or left alone; then (unless it is a dry run) applies the step. Dynamic resources go to the real
 * dynamic-provider host; resources of other providers are simulated. When the program is done, resources it
 * no longer registers are deleted in reverse dependency order.
 */
import { createHash } from "crypto";
import { InitFailedError, type ProviderHost } from "../support/provider-host";
import type { HostManager } from "./host";
import type { MonitorHandler, ReadRequest, RegisterRequest, RegisterResponse, Severity } from "./monitor";
import {
  annotateSecrets,
  applyAdditionalSecretOutputs,
  applyIgnoreChanges,
  assertSupportedValue,
  changedKeysWithInternal,
  diffMaps,
  formatPath,
  getPath,
  parsePath,
  unwrapSecrets,
  type PropertyMap,
} from "./properties";
import { topoSort, type ResourceState, type StackState } from "./state";
import { inputDiff, makeStep } from "./steps";
import type { Diagnostic, Step } from "./types";
import { isDynamicType, makeUrn, parseUrn, ROOT_STACK_TYPE } from "./urn";

/** An error that has already been reported as a diagnostic. */
class ReportedError extends Error {}

/** An error raised by a provider (as opposed to the engine or the program). */
class ProviderError extends Error {}

async function fromProvider<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof InitFailedError) throw e;
    throw new ProviderError(e instanceof Error ? e.message : String(e));
  }
}

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface DeploymentOptions {
  project: string;
  stack: string;
  dryRun: boolean;
  old: StackState;
  hosts: HostManager;
  report: (d: Diagnostic) => void;
  /** Provider Create and Update calls in flight at once (`pulumi up --parallel`); default unbounded, as the CLI. */
  parallel?: number;
}

/**
 * A FIFO semaphore: `acquire` waits for one of `capacity` places (Infinity: never waits), `release` hands it to the
 * longest waiter.
 */
class Turn {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(capacity = 1) {
    this.free = capacity;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export function simulatedId(urn: string): string {
  return `sim-${createHash("sha256").update(urn).digest("hex").slice(0, 16)}`;
}

export class Deployment implements MonitorHandler {
  readonly steps: Step[] = [];
  /** `type "name"` of every simulated resource of this run. */
  readonly simulated: string[] = [];
  failed = false;
  stackUrn?: string;

  private readonly olds = new Map<string, ResourceState>();
  /** Replaced resources of an interrupted earlier run, still to delete. */
  private readonly pendingFromBefore: ResourceState[] = [];
  private readonly news = new Map<string, ResourceState>();
  /** Old resource states that no longer exist (deleted, or replaced delete-before-create). */
  private readonly gone = new Set<ResourceState>();
  /** Old states replaced create-before-delete: deleted when the program is done. */
  private readonly replaced: ResourceState[] = [];
  /**
   * Registrations are handled one at a time, as the engine's step generator does (Check and Diff included), but a
   * step's Create or Update call runs outside that turn, as the CLI's step executor runs steps in parallel: the next
   * registration proceeds while the call is in flight, and the registration answers when its call is done.
   */
  private readonly turn = new Turn();
  private readonly slots: Turn | undefined;

  constructor(private readonly o: DeploymentOptions) {
    const parallel = o.parallel ?? Number.POSITIVE_INFINITY;
    if (!(parallel >= 1)) throw new Error(`parallel must be at least 1, got ${parallel}`);
    this.slots = parallel === 1 ? undefined : new Turn(parallel);
    for (const r of o.old.resources) {
      if (r.delete) this.pendingFromBefore.push(r);
      else this.olds.set(r.urn, r);
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // Monitor callbacks, processed one at a time (the engine's step generator is serial); see `turn`.

  register(req: RegisterRequest): Promise<RegisterResponse> {
    return this.serial(() => this.registerNow(req));
  }

  registerOutputs(urn: string, outputs: PropertyMap): Promise<void> {
    return this.serial(async () => {
      const r = this.news.get(urn);
      if (r) r.outputs = outputs;
    });
  }

  read(req: ReadRequest): Promise<{ urn: string; properties: PropertyMap }> {
    return this.serial(() => this.readNow(req));
  }

  log(severity: Severity, message: string, urn: string): void {
    // The SDK's debug chatter (every RPC, the serialized provider text) is not a diagnostic.
    if (severity === "debug") return;
    if (severity === "error") this.failed = true;
    // eslint-disable-next-line no-control-regex
    this.o.report({ severity, message: message.replace(/\u001b\[[0-9;]*m/g, ""), urn: urn || undefined, source: "program" });
  }

  private async serial<T>(fn: () => Promise<T>): Promise<T> {
    await this.turn.acquire();
    try {
      return await fn();
    } finally {
      this.turn.release();
    }
  }

  /**
   * A step's provider call (Create, Update), made from within a registration's turn: the turn is given up while the
   * call is in flight (at most `parallel` calls at once) and taken back before the result is recorded. With
   * `parallel: 1` the call keeps the turn, and registrations are handled strictly one after another.
   */
  private async execute<T>(call: () => Promise<T>): Promise<T> {
    if (!this.slots) return call();
    this.turn.release();
    try {
      await this.slots.acquire();
      try {
        return await call();
      } finally {
        this.slots.release();
      }
    } finally {
      await this.turn.acquire();
    }
  }

  private fail(e: unknown, urn?: string): void {
    this.failed = true;
    if (e instanceof ReportedError) return;
    const source = e instanceof ProviderError || e instanceof InitFailedError ? "provider" : "engine";
    this.o.report({ severity: "error", message: messageOf(e), urn, source });
  }

  private get dryRun(): boolean {
    return this.o.dryRun;
  }

  private record(step: Step): Step {
    this.steps.push(step);
    return step;
  }

  // ----------------------------------------------------------------------------------------------------------
  // Registrations.

  private async registerNow(req: RegisterRequest): Promise<RegisterResponse> {
    const urn = makeUrn(this.o.stack, this.o.project, req.type, req.name, req.parent || undefined);
    // The engine stops at the first error: later registrations are not acted upon.
    if (this.failed) return { urn, object: {}, failed: true };
    try {
      if (this.news.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
      if (req.unsupported.length) {
        throw new Error(`${req.type} '${req.name}': ${req.unsupported.join(", ")} ${req.unsupported.length > 1 ? "are" : "is"} not supported by the test engine (tests/engine); run the real pulumi CLI`);
      }
      assertSupportedValue(req.object, `${req.type} '${req.name}'`);
      req.ignoreChanges.forEach(parsePath);
      const old = this.olds.get(urn);
      const base = this.baseState(urn, req, old);
      if (!req.custom) return this.registerComponent(base, old, req);
      if (isDynamicType(req.type)) return await this.registerDynamic(base, old, req);
      return this.registerSimulated(base, old, req);
    } catch (e) {
      this.fail(e, urn);
      return { urn, object: {}, failed: true };
    }
  }

  private baseState(urn: string, req: RegisterRequest, old: ResourceState | undefined): ResourceState {
    const now = new Date().toISOString();
    return {
      urn,
      type: req.type,
      custom: req.custom,
      parent: req.parent || undefined,
      inputs: {},
      outputs: {},
      dependencies: req.dependencies,
      propertyDependencies: Object.fromEntries(Object.entries(req.propertyDependencies).filter(([, urns]) => urns.length)),
      protect: req.protect || undefined,
      retainOnDelete: req.retainOnDelete || undefined,
      additionalSecretOutputs: req.additionalSecretOutputs.length ? req.additionalSecretOutputs : undefined,
      provider: req.provider || undefined,
      ignoreChanges: req.ignoreChanges.length ? req.ignoreChanges : undefined,
      hideDiffs: req.hideDiffs.length ? req.hideDiffs : undefined,
      created: old?.created ?? now,
      modified: now,
    };
  }

  private registerComponent(base: ResourceState, old: ResourceState | undefined, req: RegisterRequest): RegisterResponse {
    const next: ResourceState = { ...base, inputs: req.object, outputs: old?.outputs ?? {} };
    if (req.type === ROOT_STACK_TYPE) this.stackUrn = base.urn;
    const op = !old ? "create" : changedKeysWithInternal(old.inputs, next.inputs).length ? "update" : "same";
    this.record(makeStep(op, old, next, op === "update" ? inputDiff(old!.inputs, next.inputs, []) : {}));
    this.news.set(base.urn, next);
    return { urn: base.urn, object: req.object };
  }

  private async check(host: ProviderHost, base: ResourceState, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    const r = await fromProvider(host.check(base.urn, unwrapSecrets(olds), unwrapSecrets(news)));
    if (r.failures.length) {
      const name = parseUrn(base.urn).name;
      for (const f of r.failures) {
        const message = f.property
          ? `${base.type} resource '${name}': property ${f.property} value {${showValue(lookup(news, f.property))}} has a problem: ${f.reason}`
          : `${base.type} resource '${name}' has a problem: ${f.reason}`;
        this.o.report({ severity: "error", message, urn: base.urn, source: "provider" });
      }
      throw new ReportedError("check failed");
    }
    return annotateSecrets(r.inputs, news);
  }

  private finishOutputs(outs: PropertyMap, inputs: PropertyMap, base: ResourceState): PropertyMap {
    return applyAdditionalSecretOutputs(annotateSecrets(outs, inputs), base.additionalSecretOutputs);
  }

  private async registerDynamic(base: ResourceState, old: ResourceState | undefined, req: RegisterRequest): Promise<RegisterResponse> {
    const host = await this.o.hosts.get();
    const goal = old && req.ignoreChanges.length ? applyIgnoreChanges(old.inputs, req.object, req.ignoreChanges) : req.object;
    if (req.importId && !old) return this.importDynamic(host, base, goal, req.importId);
    const checked = await this.check(host, base, old ? old.inputs : {}, goal);
    if (!old) return this.create(host, base, checked, "create", {}, timeoutSeconds(req.customTimeouts?.create));

    const d = await fromProvider(host.diff(base.urn, old.id ?? "", unwrapSecrets(old.outputs), unwrapSecrets(checked), unwrapSecrets(old.inputs)));
    let changes = d.changes === "some";
    const replaces = [...d.replaces];
    if (d.changes === "unknown") {
      // No answer from the provider: the engine compares old and new inputs (provider text included), and
      // only then can replaceOnChanges apply.
      changes = changedKeysWithInternal(old.inputs, checked).length > 0;
      const changedPaths = diffMaps(old.inputs, checked).map((l) => formatPath(l.path));
      for (const roc of req.replaceOnChanges) {
        if (changedPaths.some((p) => p === roc || p.startsWith(`${roc}.`) || p.startsWith(`${roc}[`))) replaces.push(roc);
      }
    } else if (req.replaceOnChanges.length && d.changes === "some") {
      this.o.report({
        severity: "warning",
        message: `${base.type} resource '${req.name}': replaceOnChanges has no effect because the provider's diff answered "${d.changes}" without changed keys (the engine only applies it to keys it knows changed)`,
        urn: base.urn,
        source: "engine",
      });
    }
    if (changes && replaces.length) return this.replace(host, base, old, goal, replaces, d.deleteBeforeReplace || req.deleteBeforeReplace);
    // A resource recorded after a partial failure is updated even without changes, to resume it.
    if (changes || old.initErrors?.length) return this.update(host, base, old, checked);
    const next: ResourceState = { ...base, id: old.id, inputs: checked, outputs: this.finishOutputs(old.outputs, checked, base) };
    this.record(makeStep("same", old, next));
    this.news.set(base.urn, next);
    return { urn: base.urn, id: old.id, object: next.outputs };
  }

  private async create(
    host: ProviderHost,
    base: ResourceState,
    inputs: PropertyMap,
    op: "create" | "create-replacement",
    extra: Partial<Step> = {},
    timeout = 0,
  ): Promise<RegisterResponse> {
    const planned: ResourceState = { ...base, inputs, outputs: inputs };
    const step = this.record(makeStep(op, undefined, planned, extra));
    if (this.dryRun) {
      this.news.set(base.urn, planned);
      return { urn: base.urn, object: inputs };
    }
    try {
      // The engine sends customTimeouts.create as the call's timeout (the Node.js dynamic-provider host ignores it).
      const r = await this.execute(() => fromProvider(host.create(base.urn, unwrapSecrets(inputs), timeout)));
      if (!r.id) throw new ProviderError(`${base.type} resource '${parseUrn(base.urn).name}': plugin returned empty resource.ID from create`);
      const next: ResourceState = { ...base, id: r.id, inputs, outputs: this.finishOutputs(r.properties, inputs, base) };
      step.new = next;
      this.news.set(base.urn, next);
      return { urn: base.urn, id: r.id, object: next.outputs };
    } catch (e) {
      if (!(e instanceof InitFailedError)) throw e;
      return this.partialFailure(step, base, inputs, e);
    }
  }

  private partialFailure(step: Step, base: ResourceState, inputs: PropertyMap, e: InitFailedError): RegisterResponse {
    const next: ResourceState = { ...base, id: e.id, inputs, outputs: this.finishOutputs(e.properties, inputs, base), initErrors: e.reasons };
    step.new = next;
    step.error = e.message;
    this.news.set(base.urn, next);
    this.fail(e, base.urn);
    return { urn: base.urn, id: e.id, object: next.outputs, failed: true };
  }

  private async update(host: ProviderHost, base: ResourceState, old: ResourceState, inputs: PropertyMap): Promise<RegisterResponse> {
    const planned: ResourceState = { ...base, id: old.id, inputs, outputs: inputs };
    const step = this.record(makeStep("update", old, planned, inputDiff(old.inputs, inputs, [])));
    if (this.dryRun) {
      this.news.set(base.urn, planned);
      return { urn: base.urn, id: old.id, object: inputs };
    }
    try {
      const outs = await this.execute(() => fromProvider(host.update(base.urn, old.id ?? "", unwrapSecrets(old.outputs), unwrapSecrets(inputs), unwrapSecrets(old.inputs))));
      const next: ResourceState = { ...base, id: old.id, inputs, outputs: this.finishOutputs(outs, inputs, base) };
      step.new = next;
      this.news.set(base.urn, next);
      return { urn: base.urn, id: old.id, object: next.outputs };
    } catch (e) {
      if (!(e instanceof InitFailedError)) throw e;
      return this.partialFailure(step, { ...base }, inputs, Object.assign(e, { id: e.id || old.id || "" }));
    }
  }

  private async replace(host: ProviderHost, base: ResourceState, old: ResourceState, goal: PropertyMap, replaces: string[], deleteBeforeReplace: boolean): Promise<RegisterResponse> {
    if (old.protect) {
      throw new Error(
        `unable to replace resource "${base.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
      );
    }
    // A replacement is checked again from scratch (empty olds), as the engine does.
    const inputs = await this.check(host, base, {}, goal);
    const planned: ResourceState = { ...base, inputs, outputs: inputs };
    const diff = { ...inputDiff(old.inputs, inputs, replaces), replaceReasons: replaces, deleteBeforeReplace };
    if (deleteBeforeReplace) {
      const del = this.record(makeStep("delete-replaced", old, undefined, diff));
      this.record(makeStep("replace", old, planned, diff));
      if (!this.dryRun) {
        try {
          if (!old.retainOnDelete) await fromProvider(host.delete(base.urn, old.id ?? "", unwrapSecrets(old.outputs)));
        } catch (e) {
          del.error = messageOf(e);
          throw e;
        }
      }
      this.gone.add(old);
      return this.create(host, base, inputs, "create-replacement", diff);
    }
    const created = await this.create(host, base, inputs, "create-replacement", diff);
    this.record(makeStep("replace", old, this.news.get(base.urn) ?? planned, diff));
    if (!created.failed) this.replaced.push(old);
    return created;
  }

  private async importDynamic(host: ProviderHost, base: ResourceState, goal: PropertyMap, importId: string): Promise<RegisterResponse> {
    // A user-driven read: no stored properties, the program's inputs (with __provider) instead.
    const read = await fromProvider(host.read(base.urn, importId, {}, unwrapSecrets(goal)));
    if (!read.id) throw new Error(`${base.type} resource '${parseUrn(base.urn).name}': resource '${importId}' does not exist`);
    const readInputs = read.inputs ?? {};
    const inputs = await this.check(host, base, readInputs, goal);
    const d = await fromProvider(host.diff(base.urn, importId, read.properties, unwrapSecrets(inputs), readInputs));
    if (d.changes === "some") {
      const keys = inputDiff(readInputs, inputs, []).diffReasons;
      const message = `${base.type} resource '${parseUrn(base.urn).name}': inputs to import do not match the existing resource: [${keys.join(" ")}]`;
      if (!this.dryRun) throw new Error(message);
      this.o.report({ severity: "warning", message: `${message}; importing this resource will fail`, urn: base.urn, source: "engine" });
    }
    const next: ResourceState = { ...base, id: importId, importID: importId, inputs, outputs: this.finishOutputs(read.properties, inputs, base) };
    this.record(makeStep("import", undefined, next));
    this.news.set(base.urn, next);
    return { urn: base.urn, id: importId, object: next.outputs };
  }

  private registerSimulated(base: ResourceState, old: ResourceState | undefined, req: RegisterRequest): RegisterResponse {
    this.simulated.push(`${base.type} "${parseUrn(base.urn).name}"`);
    const goal = old && req.ignoreChanges.length ? applyIgnoreChanges(old.inputs, req.object, req.ignoreChanges) : req.object;
    if (req.importId && !old) throw new Error(`${base.type} '${req.name}': the import option is only supported for dynamic resources by the test engine`);
    const id = old?.id ?? (this.dryRun ? undefined : simulatedId(base.urn));
    const next: ResourceState = { ...base, id, inputs: goal, outputs: applyAdditionalSecretOutputs(goal, base.additionalSecretOutputs) };
    if (!old) this.record(makeStep("create", undefined, next, { simulated: true }));
    else if (changedKeysWithInternal(old.inputs, goal).length) this.record(makeStep("update", old, next, { simulated: true, ...inputDiff(old.inputs, goal, []) }));
    else this.record(makeStep("same", old, next, { simulated: true }));
    this.news.set(base.urn, next);
    return { urn: base.urn, id, object: next.outputs };
  }

  private async readNow(req: ReadRequest): Promise<{ urn: string; properties: PropertyMap }> {
    const urn = makeUrn(this.o.stack, this.o.project, req.type, req.name, req.parent || undefined);
    if (this.failed) throw new Error(`${req.type} '${req.name}': not read after an earlier error`);
    try {
      assertSupportedValue(req.properties, `${req.type} '${req.name}'`);
      const old = this.olds.get(urn);
      const base: ResourceState = {
        urn,
        type: req.type,
        custom: true,
        external: true,
        parent: req.parent || undefined,
        inputs: req.properties,
        outputs: {},
        dependencies: req.dependencies,
        provider: req.provider || undefined,
        additionalSecretOutputs: req.additionalSecretOutputs.length ? req.additionalSecretOutputs : undefined,
      };
      let outputs: PropertyMap;
      if (isDynamicType(req.type)) {
        const host = await this.o.hosts.get();
        const r = await fromProvider(host.read(urn, req.id, {}, unwrapSecrets(req.properties)));
        if (!r.id) throw new Error(`${req.type} resource '${req.name}': resource '${req.id}' does not exist`);
        outputs = this.finishOutputs(r.properties, req.properties, base);
      } else {
        this.simulated.push(`${req.type} "${req.name}" (read)`);
        outputs = applyAdditionalSecretOutputs(req.properties, base.additionalSecretOutputs);
      }
      const next: ResourceState = { ...base, id: req.id, outputs };
      this.record(makeStep("read", old, next, { simulated: !isDynamicType(req.type) }));
      this.news.set(urn, next);
      return { urn, properties: outputs };
    } catch (e) {
      this.fail(e, urn);
      throw new Error(messageOf(e));
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // After the program: deletes.

  /** Deletes what the program no longer registers, and replaced resources, in reverse dependency order. */
  async finish(): Promise<void> {
    if (this.failed) return;
    const replacedSet = new Set([...this.replaced, ...this.pendingFromBefore]);
    const order = topoSort([...this.o.old.resources, ...this.replaced.filter((r) => !this.o.old.resources.includes(r))]).reverse();
    for (const r of order) {
      if (this.gone.has(r)) continue;
      let op: "delete" | "delete-replaced";
      if (replacedSet.has(r)) op = "delete-replaced";
      else if (!this.news.has(r.urn)) op = "delete";
      else continue;
      if (r.external) {
        this.gone.add(r);
        continue;
      }
      if (!(await this.deleteOne(r, op))) return;
    }
  }

  private async deleteOne(r: ResourceState, op: "delete" | "delete-replaced"): Promise<boolean> {
    const step = this.record(makeStep(op, r, undefined));
    try {
      if (r.protect && op === "delete") {
        throw new Error(
          `unable to delete resource "${r.urn}"\nas it is currently marked for protection. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${r.urn}'\``,
        );
      }
      if (!this.dryRun && r.custom && !r.retainOnDelete && isDynamicType(r.type)) {
        const host = await this.o.hosts.get();
        await fromProvider(host.delete(r.urn, r.id ?? "", unwrapSecrets(r.outputs)));
      }
      this.gone.add(r);
      return true;
    } catch (e) {
      step.error = messageOf(e);
      this.fail(e, r.urn);
      return false;
    }
  }

  // ----------------------------------------------------------------------------------------------------------
  // Results.

  /** The state after this run: what was registered, plus old resources that still exist. */
  newState(): StackState {
    const resources: ResourceState[] = [...this.news.values()];
    for (const r of this.o.old.resources) {
      if (this.gone.has(r) || r.delete) continue;
      if (!this.news.has(r.urn)) resources.push(r);
    }
    // Replaced resources whose deletion did not happen stay, marked for deletion by the next run.
    for (const r of [...this.replaced, ...this.pendingFromBefore]) if (!this.gone.has(r)) resources.push({ ...r, delete: true });
    return { ...this.o.old, resources: topoSort(resources) };
  }

  stackOutputs(): PropertyMap {
    return (this.stackUrn && this.news.get(this.stackUrn)?.outputs) || {};
  }
}

/** A Go duration as customTimeouts carries it ("30m", "1h30m", "45s") in seconds; 0 when unset. */
function timeoutSeconds(text: string | undefined): number {
  if (!text) return 0;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
  return total;
}

function lookup(props: PropertyMap, property: string): unknown {
  try {
    const r = getPath(props, parsePath(property));
    return r.found ? r.value : undefined;
  } catch {
    return undefined;
  }
}

function showValue(v: unknown): string {
  if (v === undefined) return "<nil>";
  const text = JSON.stringify(unwrapSecrets(v));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
