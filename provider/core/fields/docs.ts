/**
 * The generated reference table of a resource: one row per input, derived from the field table, so that the
 * documentation says exactly what validation, diff and update do.
 */
import { z } from "zod";
import type { FieldSpec, ResourceSpec } from "./spec";

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  multipleOf?: number;
};

/** A one-line description of a zod type and its constraints, e.g. "integer, 20..2048". */
export function describeType(field: FieldSpec): string {
  let schema: JsonSchema;
  try {
    schema = z.toJSONSchema(field.type, { unrepresentable: "any" }) as JsonSchema;
  } catch {
    return "value";
  }
  return describeSchema(schema, 0);
}

function describeSchema(s: JsonSchema, depth: number): string {
  if (s.anyOf) return s.anyOf.map((x) => describeSchema(x, depth)).join(" or ");
  if (s.enum) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  const parts: string[] = [];
  const type = Array.isArray(s.type) ? s.type.join("|") : s.type ?? "value";
  if (type === "array") {
    const item = s.items ? describeSchema(s.items, depth + 1) : "value";
    parts.push(`list of ${item}`);
    if (s.minItems !== undefined || s.maxItems !== undefined) parts.push(`${s.minItems ?? 0}..${s.maxItems ?? "∞"} items`);
  } else if (type === "object") {
    if (s.properties && depth < 2) {
      const keys = Object.entries(s.properties).map(([k, v]) => `${k}: ${describeSchema(v, depth + 1)}`);
      parts.push(`{ ${keys.join("; ")} }`);
    } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
      parts.push(`map of ${describeSchema(s.additionalProperties, depth + 1)}`);
    } else parts.push("object");
  } else {
    parts.push(type);
    const min = s.minimum ?? s.exclusiveMinimum;
    const max = s.maximum ?? s.exclusiveMaximum;
    if (min !== undefined || max !== undefined) parts.push(`${min ?? "-∞"}..${max ?? "∞"}`);
    if (s.minLength !== undefined || s.maxLength !== undefined) parts.push(`length ${s.minLength ?? 0}..${s.maxLength ?? "∞"}`);
    if (s.multipleOf !== undefined) parts.push(`multiple of ${s.multipleOf}`);
    if (s.pattern) parts.push(`pattern \`${s.pattern}\``);
  }
  return parts.join(", ");
}

export function describeChange(field: FieldSpec): string {
  switch (field.change.kind) {
    case "replace":
      return `**replace** (${field.change.source})`;
    case "update":
      return `update in place via \`${field.change.call}\` (${field.change.source})`;
    case "local":
      return `state only, no cloud call (${field.change.source})`;
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Markdown reference for one resource. */
export function referenceMarkdown(spec: ResourceSpec): string {
  const lines: string[] = [];
  lines.push(`## ${spec.name}`, "");
  lines.push(`Built from: ${spec.document}.`, "");
  if (spec.replaceNote) lines.push(spec.replaceNote, "");
  lines.push("| Input | Type and documented constraints | Wire (create body) | On change | Notes |");
  lines.push("|---|---|---|---|---|");
  for (const f of spec.fields) {
    const notes: string[] = [];
    if (f.required) notes.push("required");
    if (f.secret) notes.push("secret (stored encrypted, never logged)");
    if (f.normalise === "base64") notes.push("plain text or base64; stored and compared as base64");
    if (f.normalise === "unordered") notes.push("order does not matter");
    if (f.unset === "clear") notes.push("removing it clears the value in the cloud");
    if (f.readable === false) notes.push("not returned by the read call (no drift detection)");
    notes.push(f.doc);
    const wire = f.wire ? `\`${f.wire}\`${f.updateWire ? ` (update: \`${f.updateWire}\`)` : ""}` : "-";
    lines.push(
      `| \`${f.path}\` | ${escapeCell(describeType(f))} | ${wire} | ${escapeCell(describeChange(f))} | ${escapeCell(notes.join("; "))} |`,
    );
  }
  if (spec.rules.length) {
    lines.push("", "Rules across fields (checked before any cloud call):", "");
    for (const r of spec.rules) lines.push(`- \`${r.reportOn}\`: ${r.rule}`);
  }
  if (spec.computed.length) {
    lines.push("", "Outputs computed by the cloud:", "");
    for (const c of spec.computed) lines.push(`- \`${c.path}\`: ${c.doc}`);
  }
  lines.push("");
  return lines.join("\n");
}
