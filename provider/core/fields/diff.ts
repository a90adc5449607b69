/**
 * `diff` derived from a field table. `olds` are the stored outputs (the dynamic-provider host passes
 * outputs, not inputs); they hold the normalised inputs, so both sides compare in the same form.
 */
import { equalValues, isEmptyValue } from "./normalise";
import { containsUnknown, getPath, UNKNOWN, type FieldSpec, type ResourceSpec } from "./spec";

export interface DiffOutcome {
  changes: boolean;
  /** Input paths whose change forces replacement, e.g. "autoScaling.type". */
  replaces: string[];
  /** Every changed input path. */
  changed: string[];
  deleteBeforeReplace: boolean;
  /** Changed paths grouped by the update call that carries them ("local" for package-only settings). */
  calls: Record<string, string[]>;
}

export function diffInputs(
  spec: ResourceSpec,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const changed: string[] = [];
  const replaces: string[] = [];
  const calls: Record<string, string[]> = {};
  for (const field of spec.fields) {
    if (field.compare === false) continue;
    if (!fieldChanged(field, getPath(olds, field.path), news)) continue;
    changed.push(field.path);
    const call = callFor(field, getPath(olds, field.path), getPath(news, field.path));
    if (call === undefined) replaces.push(field.path);
    else (calls[call] ??= []).push(field.path);
  }
  const deleteBeforeReplace = replaces.length > 0 && (spec.deleteBeforeReplace?.(olds, news) ?? false);
  return { changes: changed.length > 0, replaces, changed, deleteBeforeReplace, calls };
}

/** The call that carries a change of this field ("local" for package settings), or undefined: it replaces. */
function callFor(field: FieldSpec, oldValue: unknown, newValue: unknown): string | undefined {
  switch (field.change.kind) {
    case "update":
      return field.change.call;
    case "local":
      return "local";
    case "replace":
      return field.partialUpdate?.applies(oldValue, newValue) ? field.partialUpdate.call : undefined;
  }
}

function fieldChanged(field: FieldSpec, oldValue: unknown, news: Record<string, unknown>): boolean {
  const value = getPath(news, field.path);
  if (value === UNKNOWN && !ownValueUnknown(news, field.path)) {
    // A whole section is unknown: only fields that were set before can be affected.
    return oldValue !== undefined;
  }
  if (containsUnknown(value)) return true;
  if (value === undefined || value === null) {
    // Unset: the cloud keeps (or fills) its own value, unless unset means "empty" for this field.
    return field.unset === "clear" && !isEmptyValue(oldValue);
  }
  if (oldValue === undefined && field.unset === "clear" && isEmptyValue(value)) return false;
  return !equalValues(field, value, oldValue);
}

/** True when the field's own value is the unknown sentinel (as opposed to one of its parents). */
function ownValueUnknown(news: Record<string, unknown>, path: string): boolean {
  const keys = path.split(".");
  for (let i = 1; i < keys.length; i++) {
    if (getPath(news, keys.slice(0, i).join(".")) === UNKNOWN) return false;
  }
  return true;
}
