/**
 * `check` derived from a field table: reports every problem at once, each with the property path and the
 * rule, tolerates Pulumi's unknown value during preview, and returns the normalised inputs.
 */
import type { $ZodIssue } from "zod/v4/core";
import { normaliseValue } from "./normalise";
import {
  containsUnknown,
  getPath,
  setPath,
  type FieldSpec,
  type ResourceSpec,
} from "./spec";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckOutcome {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/**
 * Failures listed per field: a list of 10^5 bad items would otherwise print 10^5 lines (and make a CheckResponse of
 * megabytes); the rest are counted in one more failure.
 */
export const MAX_FAILURES_PER_FIELD = 20;

/** Keys the Pulumi runtime adds to every dynamic resource's inputs. */
const RESERVED_KEYS = new Set(["__provider"]);

export function checkInputs(spec: ResourceSpec, news: unknown): CheckOutcome {
  const failures: CheckFailure[] = [];
  if (news === null || typeof news !== "object" || Array.isArray(news)) {
    return { inputs: {}, failures: [{ property: "", reason: "inputs must be an object" }] };
  }
  const raw = news as Record<string, unknown>;
  const inputs: Record<string, unknown> = structuredClone(raw);

  failures.push(...unknownProperties(spec, raw));

  const seenContainers = new Set<string>();
  // Whether each container holds an unknown value, computed once: walking a section per field made check take
  // fields x size (seconds for a list of 10^5 items).
  const unknownContainers = new Map<string, boolean>();
  const { prefixes } = shapeOf(spec);
  for (const field of spec.fields) {
    const container = checkContainers(raw, prefixes.get(field.path) ?? [], seenContainers, unknownContainers);
    if (container.blocked) {
      if (container.failure) failures.push(container.failure);
      continue;
    }
    const value = getPath(raw, field.path);
    if (containsUnknown(value)) continue; // known only at apply time; checked again then
    if (value === undefined || value === null) {
      if (field.required) failures.push({ property: field.path, reason: "is required" });
      continue;
    }
    const parsed = field.type.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      for (const issue of issues.slice(0, MAX_FAILURES_PER_FIELD)) failures.push(issueToFailure(field, issue, value));
      if (issues.length > MAX_FAILURES_PER_FIELD) {
        failures.push({
          property: field.path,
          reason: `has ${issues.length - MAX_FAILURES_PER_FIELD} more problem(s) like the ones above (${issues.length} in all; only the first ${MAX_FAILURES_PER_FIELD} are listed)`,
        });
      }
      continue;
    }
    const normalised = normaliseValue(field, value);
    if (normalised !== value) setPath(inputs, field.path, normalised);
  }

  const get = (path: string) => getPath(inputs, path);
  // Containers that are not objects: every field below them was skipped, so rules over them are too.
  const brokenContainers = failures.filter((f) => spec.fields.some((field) => isBelow(field.path, f.property) && field.path !== f.property));
  for (const rule of spec.rules) {
    if (rule.paths.some((p) => containsUnknown(getPath(raw, p)))) continue;
    // A rule over a field that already failed its own type check would only repeat the problem.
    if (rule.paths.some((p) => failures.some((f) => isBelow(f.property, p)))) continue;
    if (rule.paths.some((p) => brokenContainers.some((f) => isBelow(p, f.property)))) continue;
    const problem = rule.test(get);
    if (problem) failures.push({ property: rule.reportOn, reason: problem });
  }
  return { inputs, failures };
}

/** True when `child` is `parent` or lies below it ("a.b" is below "a"; so are "a.b.c" and "a[0]"). */
function isBelow(child: string, parent: string): boolean {
  return parent !== "" && (child === parent || child.startsWith(`${parent}.`) || child.startsWith(`${parent}[`));
}

/**
 * Every intermediate object on a field's path must be an object (or unknown, or absent). A container that
 * is not an object blocks all fields below it but is reported once.
 */
function checkContainers(
  raw: Record<string, unknown>,
  prefixes: readonly string[],
  seen: Set<string>,
  unknownMemo: Map<string, boolean>,
): { blocked: boolean; failure?: CheckFailure } {
  for (const prefix of prefixes) {
    const value = getPath(raw, prefix);
    if (value === undefined || value === null) return { blocked: false };
    let unknown = unknownMemo.get(prefix);
    if (unknown === undefined) unknownMemo.set(prefix, (unknown = containsUnknown(value)));
    if (unknown) return { blocked: false };
    if (typeof value !== "object" || Array.isArray(value)) {
      if (seen.has(prefix)) return { blocked: true };
      seen.add(prefix);
      return { blocked: true, failure: { property: prefix, reason: `must be an object (got ${describeKind(value)})` } };
    }
  }
  return { blocked: false };
}

/** What check needs to know of a table's paths, derived once per table (check runs for every resource). */
interface SpecShape {
  leaves: Set<string>;
  containers: Set<string>;
  /** Field path -> the paths of its containers, outermost first ("a.b.c" -> ["a", "a.b"]). */
  prefixes: Map<string, string[]>;
}

const shapes = new WeakMap<ResourceSpec, SpecShape>();

function shapeOf(spec: ResourceSpec): SpecShape {
  let shape = shapes.get(spec);
  if (!shape) {
    const prefixes = new Map<string, string[]>();
    const containers = new Set<string>();
    for (const f of spec.fields) {
      const keys = f.path.split(".");
      const own = keys.slice(1).map((_, i) => keys.slice(0, i + 1).join("."));
      prefixes.set(f.path, own);
      for (const c of own) containers.add(c);
    }
    shape = { leaves: new Set(spec.fields.map((f) => f.path)), containers, prefixes };
    shapes.set(spec, shape);
  }
  return shape;
}

function unknownProperties(spec: ResourceSpec, raw: Record<string, unknown>): CheckFailure[] {
  const { leaves, containers } = shapeOf(spec);
  const failures: CheckFailure[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const key of Object.keys(obj)) {
      if (prefix === "" && (RESERVED_KEYS.has(key) || key.startsWith("__"))) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      if (leaves.has(path)) continue;
      if (containers.has(path)) {
        const v = obj[key];
        if (v !== null && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
        continue;
      }
      if (obj[key] === undefined) continue;
      const siblings = [...leaves, ...containers]
        .filter((p) => p.startsWith(prefix ? `${prefix}.` : "") && p.split(".").length === path.split(".").length)
        .map((p) => p.split(".").pop() as string);
      const hint = closest(key, siblings);
      failures.push({
        property: path,
        reason: `is not a property of this resource${hint ? `; did you mean "${hint}"?` : ""}`,
      });
    }
  };
  walk(raw, "");
  return failures;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of new Set(candidates)) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function issueToFailure(field: FieldSpec, issue: $ZodIssue, value: unknown): CheckFailure {
  let property = field.path;
  for (const seg of issue.path) property += typeof seg === "number" ? `[${seg}]` : `.${String(seg)}`;
  const at = issue.path.reduce<unknown>(
    (v, seg) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[seg as PropertyKey] : undefined),
    value,
  );
  return { property, reason: describeIssue(issue, at, field.secret === true) };
}

function describeKind(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  // NaN and the infinities are numbers to JavaScript, but not to the rule ("must be a number (got a number)").
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function shown(v: unknown, secret: boolean): string {
  if (secret) return "";
  if (typeof v === "string") {
    const text = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return ` (got ${JSON.stringify(text)})`;
  }
  if (typeof v === "number" || typeof v === "boolean") return ` (got ${v})`;
  if (Array.isArray(v)) return ` (got ${v.length})`;
  return "";
}

/** Turns a zod issue into a sentence that states the rule; the value is never shown for secrets. */
export function describeIssue(issue: $ZodIssue, value: unknown, secret: boolean): string {
  const custom = !/^(Too small|Too big|Invalid|Unrecognized|Expected)/.test(issue.message);
  if (custom) return `${issue.message}${shown(value, secret)}`;
  switch (issue.code) {
    case "too_small": {
      const min = String(issue.minimum);
      const op = issue.inclusive === false ? ">" : ">=";
      if (issue.origin === "array" || issue.origin === "set") return `must have at least ${min} item(s)${shown(value, secret)}`;
      if (issue.origin === "string") return `must be at least ${min} character(s) long`;
      return `must be ${op} ${min}${shown(value, secret)}`;
    }
    case "too_big": {
      const max = String(issue.maximum);
      const op = issue.inclusive === false ? "<" : "<=";
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${max} item(s)${shown(value, secret)}`;
      if (issue.origin === "string") return `must be at most ${max} character(s) long${secret ? "" : ` (got ${String(value).length})`}`;
      return `must be ${op} ${max}${shown(value, secret)}`;
    }
    case "invalid_value":
      if (value === undefined) return `is required (must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${shown(value, secret)}`;
    case "invalid_type":
      if (issue.expected === "int") return `must be a whole number${shown(value, secret)}`;
      // A member missing from an object (e.g. the key of a tag): say that the member is required.
      if (value === undefined) return `is required (must be ${article(issue.expected)})`;
      return `must be ${article(issue.expected)} (got ${describeKind(value)})`;
    case "invalid_format":
      return `must match the pattern ${"pattern" in issue && issue.pattern ? String(issue.pattern) : issue.format}${shown(value, secret)}`;
    case "unrecognized_keys":
      return `has unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}${shown(value, secret)}`;
    default:
      return secret ? "is not valid" : issue.message;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
