/** Building steps: the engine-style diff of old and new inputs that every update or replacement carries. */
import { diffMaps, formatPath, type PropertyMap } from "./properties";
import type { ResourceState } from "./state";
import type { PropertyDiff, Step, StepOp } from "./types";

export function inputDiff(olds: PropertyMap, news: PropertyMap, replaces: string[]): { diffReasons: string[]; detailedDiff: Record<string, PropertyDiff> } {
  const detailedDiff: Record<string, PropertyDiff> = {};
  const reasons = new Set<string>();
  for (const leaf of diffMaps(olds, news)) {
    const p = formatPath(leaf.path);
    reasons.add(String(leaf.path[0]));
    const forces = replaces.some((r) => p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`) || r.startsWith(`${p}.`) || r.startsWith(`${p}[`));
    detailedDiff[p] = { kind: forces ? (`${leaf.kind}-replace` as PropertyDiff["kind"]) : leaf.kind, inputDiff: true };
  }
  return { diffReasons: [...reasons], detailedDiff };
}

export function makeStep(op: StepOp, old: ResourceState | undefined, next: ResourceState | undefined, extra: Partial<Step> = {}): Step {
  const r = (next ?? old)!;
  return { op, urn: r.urn, type: r.type, old, new: next, diffReasons: [], replaceReasons: [], detailedDiff: null, ...extra };
}

/** Logical steps are the ones the CLI counts and shows by default (not the replacement halves). */
export const isLogical = (op: StepOp): boolean => op !== "create-replacement" && op !== "delete-replaced";
