/**
 * The field table: every input of a resource is declared exactly once, with its type and documented
 * constraints, its place in the API request, what a change to it does, whether it is secret and how it is
 * normalised. Validation (check), request bodies, read mapping, diff and the generated reference docs are
 * all derived from these declarations (see check.ts, diff.ts, wire.ts, docs.ts).
 */
import type { ZodType } from "zod";

/** What changing a field does to an existing cloud resource. */
export type ChangeBehaviour =
  /** The cloud cannot change it in place: the resource is replaced. `source` names the document or IaC anchor. */
  | { kind: "replace"; source: string }
  /** Updated in place through the named API call (`call` is an operation name of the resource's API). */
  | { kind: "update"; call: string; source: string }
  /** A setting of this package only (timeouts, delete options): a change updates the state, no cloud call. */
  | { kind: "local"; source: string };

/** See {@link FieldSpec.partialUpdate}. */
export interface PartialUpdate {
  /** Operation name of the update call, listed in the resource's `updateCalls`. */
  call: string;
  /** The document or anchor that says the part can change in place. */
  source: string;
  /** The part that changes in place, e.g. "`desiredVmCount` of an existing group". */
  what: string;
  /** True when every difference between the two values lies in the part (values may hold UNKNOWN). */
  applies: (oldValue: unknown, newValue: unknown) => boolean;
  toWire?: (value: unknown) => unknown;
}

/** How values are normalised before comparison and before they are stored. */
export type Normaliser =
  /** Text or base64: stored and compared as base64 (plain text is encoded; valid base64 is kept as is). */
  | "base64"
  /** An array whose order carries no meaning: compared as a sorted multiset. */
  | "unordered";

export interface FieldSpec {
  /** Dotted camelCase path of the input, e.g. "scalingGroup.desiredSize". */
  path: string;
  /**
   * Dotted path in the create request body, e.g. "scaling_group.desired_size". Absent for fields that are
   * not sent in the body (path parameters, local settings).
   */
  wire?: string;
  /** Path in the update call's body when it differs from `wire` (e.g. a separate node-config call). */
  updateWire?: string;
  /** Path in the read response when it differs from `wire`. */
  readWire?: string;
  /** Zod type with the documented constraints (ranges, enums, lengths) of the value alone. */
  type: ZodType;
  /** Documented as required by the create call. */
  required?: boolean;
  change: ChangeBehaviour;
  /**
   * For a "replace" field of which the cloud can change one part in place (e.g. the desired count of each
   * group in a map of groups): a change for which `applies(oldValue, newValue)` holds is sent through `call`
   * instead of replacing; any other change replaces. `what` names that part for the reference docs; `toWire`
   * builds the update body value (default: the field's own wire form).
   */
  partialUpdate?: PartialUpdate;
  /** A secret value: stored only as a top-level secret output, never logged or echoed in errors. */
  secret?: boolean;
  normalise?: Normaliser;
  /**
   * What an input that is not set means for an existing resource. "server" (the default): the cloud keeps
   * or fills its own value, which never produces a diff. "clear": unset means empty, so removing the field
   * from the program removes the value in the cloud (sent as `clearValue`).
   */
  unset?: "server" | "clear";
  clearValue?: unknown;
  /**
   * Whether the read call returns this field, so that drift made outside Pulumi can be seen. False for
   * passwords and create-only options the API does not echo.
   */
  readable?: boolean;
  /** Converts an input value into its wire form (default: object keys camelCase -> snake_case, deeply). */
  toWire?: (value: unknown) => unknown;
  /** Converts a wire value from the read call into input form (default: keys snake_case -> camelCase). */
  fromWire?: (value: unknown) => unknown;
  /**
   * The cloud applies a change only to nodes added afterwards; existing nodes keep the old value. Shown in
   * the reference docs and as a risk note by `pulumi-nodepools review`.
   */
  newNodesOnly?: boolean;
  /**
   * False for a bookkeeping input that only the next create reads (the owner key, see core/ownership.ts): a new
   * value is no change of the resource, so it shows no diff and runs no update. Upgrading the package (which adds
   * the input to every resource) and importing a resource (whose read cannot know it) then show no change either.
   */
  compare?: false;
  /** One line for the reference documentation. */
  doc: string;
}

/** A rule that involves more than one field (e.g. "period is required when instanceChargeType is PrePaid"). */
export interface CrossFieldRule {
  /** The fields the rule reads; a rule is skipped while any of them is unknown (preview). */
  paths: string[];
  /** The property path a violation is reported on. */
  reportOn: string;
  /** Human-readable statement of the rule, used in the reference docs. */
  rule: string;
  /** Returns a violation message, or undefined when the rule holds. `get` reads a (normalised) input. */
  test: (get: (path: string) => unknown) => string | undefined;
}

/** An output computed by the cloud, listed for the reference docs. */
export interface ComputedOutput {
  path: string;
  doc: string;
}

/** What `pulumi-nodepools review` needs to know about a resource beyond its fields. */
export interface ReviewProfile {
  /** Pulumi type token of the resource class, e.g. "pulumi-nodejs:dynamic/alicloud/ack:NodePool". */
  typeToken: string;
  /** Nodes the resource runs according to its stored outputs, if known. */
  runningNodes(outputs: Record<string, unknown>): number | undefined;
  /** Input path of the desired node count, for scale-in notes. */
  desiredCountPath?: string;
  /** What the nodes are called for this resource ("nodes", "VMs"). */
  unit?: string;
}

export interface ResourceSpec {
  /** Public name, e.g. "alicloud.ack.NodePool". */
  name: string;
  review?: ReviewProfile;
  /** A small valid input, used by cross-resource tests (unknown values anywhere, hostile values). */
  example?: Record<string, unknown>;
  /** The API document the create call is built from, for the reference docs. */
  document: string;
  fields: FieldSpec[];
  rules: CrossFieldRule[];
  computed: ComputedOutput[];
  /** Update calls in the order the update handler must run them. */
  updateCalls: string[];
  /**
   * Whether a replacement must delete the old resource first (e.g. names unique in a cluster). Receives the
   * old outputs and new inputs.
   */
  deleteBeforeReplace?: (olds: Record<string, unknown>, news: Record<string, unknown>) => boolean;
  /** Prose for the reference docs: what a replacement deletes first and why. */
  replaceNote?: string;
}

/** The value Pulumi uses for inputs that are not known yet during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value is unknown or contains an unknown value at any depth. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * The keys of dotted paths, split once: the field engine reads the same few hundred paths for every resource (check,
 * request bodies, read mapping). Bounded, since a path may also come from user input.
 */
const splitPaths = new Map<string, readonly string[]>();

function keysOf(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split(".");
    if (splitPaths.size < 4096) splitPaths.set(path, keys);
  }
  return keys;
}

/** Reads a dotted path. Returns UNKNOWN when an ancestor is unknown, undefined when absent. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of keysOf(path)) {
    if (cur === UNKNOWN) return UNKNOWN;
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Writes a dotted path, creating intermediate objects. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur: Record<string, unknown> = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

export function deletePath(obj: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  const parents: Array<Record<string, unknown>> = [];
  let cur: unknown = obj;
  for (const key of keys.slice(0, -1)) {
    if (cur === null || typeof cur !== "object") return;
    parents.push(cur as Record<string, unknown>);
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === null || typeof cur !== "object") return;
  delete (cur as Record<string, unknown>)[keys[keys.length - 1]];
  // Drop objects left empty so that outputs do not grow `{}` shells for unset sections.
  for (let i = parents.length - 1; i >= 0; i--) {
    const child = parents[i][keys[i]];
    if (child && typeof child === "object" && !Array.isArray(child) && Object.keys(child).length === 0) {
      delete parents[i][keys[i]];
    } else break;
  }
}

export function camelToSnake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Deeply renames object keys; arrays and scalars keep their shape. */
export function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[rename(k)] = mapKeys(v, rename);
    return out;
  }
  return value;
}

/**
 * Removes `undefined` (and null) values deeply. Pulumi's encoding fails with "Unexpected struct type" on
 * `undefined` after the cloud call succeeded, which would orphan the resource, so every handler result
 * passes through this.
 */
export function definedOnly<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v) => definedOnly(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out[k] = definedOnly(v);
    }
    return out as T;
  }
  return value;
}
