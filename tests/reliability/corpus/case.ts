/**
 * The shape of a bad-input corpus entry and the small builders the per-resource corpus files use. Every entry is a
 * valid example input with exactly one documented constraint broken; the bad-input test runs it through `check`
 * (in process and through the real dynamic-provider host) and expects a failure on `property` whose reason matches
 * `reason`, and nothing else.
 */
import { deletePath, setPath } from "../../../provider/core/fields/spec";

export interface BadInputCase {
  /** The documented rule in words, citing where it is documented (DOC = the API document, TF = Terraform, ...). */
  constraint: string;
  /** The constraint keys (see constraints.ts) this case breaks. */
  covers: string[];
  /** A valid example input with one violation. */
  input: Record<string, unknown>;
  /** The exact property path check reports. */
  property: string;
  /** Matches the reason check gives: the rule, in words. */
  reason: RegExp;
}

/** Marks a path to delete in {@link variant}. */
export const ABSENT = Symbol("absent");

/** A deep copy of `base` with each dotted path set to its value (or removed, for {@link ABSENT}). */
export function variant(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(base);
  for (const [path, value] of Object.entries(patch)) {
    if (value === ABSENT) deletePath(out, path);
    else setPath(out, path, value);
  }
  return out;
}

/** A corpus builder over one valid base input. */
export function corpusOf(base: Record<string, unknown>) {
  const cases: BadInputCase[] = [];
  const api = {
    cases,
    /** One case: `patch` breaks the constraint(s) `covers`. */
    bad(covers: string | string[], constraint: string, patch: Record<string, unknown>, property: string, reason: RegExp): void {
      cases.push({ constraint, covers: Array.isArray(covers) ? covers : [covers], input: variant(base, patch), property, reason });
    },
    /** A required field left out. */
    required(path: string, constraint: string): void {
      api.bad(`${path}:required`, constraint, { [path]: ABSENT }, path, /is required/);
    },
    /** An empty string where the constraint is "at least one character". */
    nonEmpty(path: string, constraint: string, at: { key?: string; patch?: (v: unknown) => Record<string, unknown>; property?: string } = {}): void {
      const patch = at.patch ? at.patch("") : { [path]: "" };
      api.bad(at.key ?? `${path}:minLength`, constraint, patch, at.property ?? path, /at least 1 character|must not be empty/);
    },
    /** A value outside an enumeration. */
    oneOf(path: string, constraint: string, values: readonly string[], at: { key?: string; patch?: (v: unknown) => Record<string, unknown>; property?: string } = {}): void {
      const bad = "not-a-valid-value";
      const patch = at.patch ? at.patch(bad) : { [path]: bad };
      const listed = values.map((v) => JSON.stringify(v).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(", ");
      api.bad(at.key ?? `${path}:enum`, constraint, patch, at.property ?? path, new RegExp(`must be one of ${listed}`));
    },
    /**
     * An integer field: a fraction (not a whole number), one below the minimum, and one above the maximum (for a field
     * documented without a maximum, a number beyond 2^53, which JSON cannot carry exactly).
     */
    integer(
      path: string,
      constraint: string,
      range: { min: number; max?: number },
      at: { key?: string; patch?: (v: unknown) => Record<string, unknown>; property?: string } = {},
    ): void {
      const key = at.key ?? path;
      const patch = (v: unknown) => (at.patch ? at.patch(v) : { [path]: v });
      const property = at.property ?? path;
      api.bad(`${key}:integer`, `${constraint}: a whole number`, patch(range.min + 0.5), property, /must be a whole number/);
      api.bad(`${key}:minimum`, `${constraint}: at least ${range.min}`, patch(range.min - 1), property, new RegExp(`must be >= ${range.min}\\b`));
      if (range.max !== undefined) {
        api.bad(`${key}:maximum`, `${constraint}: at most ${range.max}`, patch(range.max + 1), property, new RegExp(`must be <= ${range.max}\\b`));
      } else {
        const unsafe = Number.MAX_SAFE_INTEGER + 2;
        api.bad(`${key}:maximum`, `${constraint}: a safe integer (at most 2^53 - 1; JSON numbers beyond it lose precision)`, patch(unsafe), property, /must be <= 9007199254740991/);
      }
    },
  };
  return api;
}
