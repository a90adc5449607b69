/**
 * Turns a resource's lifecycle (create/read/update/delete against its cloud API) into the methods of a
 * Pulumi dynamic provider. check and diff come from the field table; every result is cleaned of
 * `undefined` and stamped with the output schema version; state written by earlier package versions is
 * upgraded before use.
 */
import { checkInputs, type CheckFailure } from "./fields/check";
import { diffInputs, type DiffOutcome } from "./fields/diff";
import { definedOnly, type ResourceSpec } from "./fields/spec";
import { inputsFromOutputs } from "./fields/wire";
import { currentRuntime, type Runtime } from "./runtime";
import { parseDuration } from "./waiter";

export type Props = Record<string, unknown>;

/**
 * Thrown when the cloud accepted a create but the resource did not become ready. The dynamic-provider
 * host turns an error with `id` into ErrorResourceInitFailed, so Pulumi records the resource (with these
 * properties) instead of orphaning it, and the next `up` runs update to resume.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "ResourceInitError";
    Object.setPrototypeOf(this, ResourceInitError.prototype);
  }
}

export interface Lifecycle {
  spec: ResourceSpec;
  /** Version of the output layout; stored as `schemaVersion`. */
  schemaVersion: number;
  /** Upgrades outputs written by an older version of this package (never called for the current one). */
  migrate?: (outputs: Props, fromVersion: number) => Props;
  create(rt: Runtime, inputs: Props): Promise<{ id: string; outputs: Props }>;
  /** Returns the refreshed outputs, or undefined when the resource no longer exists. */
  read(rt: Runtime, id: string, outputs: Props): Promise<Props | undefined>;
  update(rt: Runtime, id: string, olds: Props, news: Props, diff: DiffOutcome): Promise<Props>;
  delete(rt: Runtime, id: string, outputs: Props): Promise<void>;
}

export interface DynamicHandlers {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures?: Array<{ property: string; reason: string }> }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/**
 * Failures at (or around) a secret field leave without a property path, the path moved into the reason: the Pulumi
 * engine prints the input at a failure's property next to it ("property loginPassword value {...} has a problem"),
 * secret or not, and the reasons of secret fields never quote the value (fields/check).
 */
function hideSecretPaths(spec: ResourceSpec, failures: CheckFailure[]): CheckFailure[] {
  const secrets = spec.fields.filter((f) => f.secret).map((f) => f.path);
  const near = (p: string) => p !== "" && secrets.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`) || s.startsWith(`${p}.`));
  return failures.map((f) => (near(f.property) ? { property: "", reason: `${f.property} ${f.reason}` } : f));
}

/** Keys Pulumi adds to a dynamic resource's inputs and outputs; never part of the cloud model. */
function withoutReserved(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props ?? {})) if (!k.startsWith("__")) out[k] = v;
  return out;
}

export function makeHandlers(lc: Lifecycle): DynamicHandlers {
  const finish = (outputs: Props): Props => definedOnly({ ...withoutReserved(outputs), schemaVersion: lc.schemaVersion });
  const upgrade = (outputs: Props): Props => {
    const clean = withoutReserved(outputs);
    const version = typeof clean.schemaVersion === "number" ? clean.schemaVersion : lc.schemaVersion;
    if (version > lc.schemaVersion) {
      throw new Error(
        `${lc.spec.name}: this state was written by a newer version of pulumi-nodepools (output schema ${version}; this version reads up to ${lc.schemaVersion}). Upgrade the package.`,
      );
    }
    return version < lc.schemaVersion && lc.migrate ? lc.migrate(clean, version) : clean;
  };

  return {
    async check(_olds, news) {
      const { inputs, failures } = checkInputs(lc.spec, news);
      if (failures.length) return { inputs: news, failures: hideSecretPaths(lc.spec, failures) };
      return { inputs: { ...inputs, ...(news.__provider !== undefined ? { __provider: news.__provider } : {}) } };
    },

    async diff(_id, olds, news) {
      const d = diffInputs(lc.spec, upgrade(olds), withoutReserved(news));
      return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    },

    async create(inputs) {
      const rt = currentRuntime();
      try {
        const { id, outputs } = await lc.create(rt, withoutReserved(inputs));
        return { id, outs: finish(outputs) };
      } catch (e) {
        if (e instanceof ResourceInitError) throw new ResourceInitError(e.message, e.id, finish(e.properties), e.reasons);
        throw e;
      }
    },

    async read(id, props) {
      const rt = currentRuntime();
      const outputs = await lc.read(rt, id, upgrade(props));
      if (!outputs) return {};
      const outs = finish(outputs);
      return { id, props: outs, inputs: definedOnly(inputsFromOutputs(lc.spec, outs)) };
    },

    async update(id, olds, news) {
      const rt = currentRuntime();
      const old = upgrade(olds);
      const next = withoutReserved(news);
      try {
        return { outs: finish(await lc.update(rt, id, old, next, diffInputs(lc.spec, old, next))) };
      } catch (e) {
        if (e instanceof ResourceInitError) throw new ResourceInitError(e.message, e.id, finish(e.properties), e.reasons);
        throw e;
      }
    },

    async delete(id, props) {
      await lc.delete(currentRuntime(), id, upgrade(props));
    },
  };
}

/** The `timeouts` input of a resource, in milliseconds, with the documented default. */
export function timeoutOf(props: Props, op: "create" | "update" | "delete", defaultMs: number): number {
  const t = (props.timeouts as Record<string, unknown> | undefined)?.[op];
  return typeof t === "string" ? parseDuration(t) : defaultMs;
}
