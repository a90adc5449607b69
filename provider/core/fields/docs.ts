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
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  multipleOf?: number;
  description?: string;
};

/** A nested member of a field's value (a key of an object, or of the objects in a list). */
export interface NestedMember {
  /** Dotted key below the field, e.g. "size" or "config.customConfig". */
  key: string;
  type: string;
  required: boolean;
}

function schemaOf(field: FieldSpec): JsonSchema | undefined {
  try {
    return z.toJSONSchema(field.type, { unrepresentable: "any" }) as JsonSchema;
  } catch {
    return undefined;
  }
}

/**
 * A one-line description of a zod type and its constraints, e.g. "integer, 20..2048". Objects (a field's own
 * value or the items of a list) are summarised by their keys; `nestedMembers` describes the keys one by one.
 */
export function describeType(field: FieldSpec): string {
  const schema = schemaOf(field);
  return schema ? describeSchema(schema) : "value";
}

/** The members of an object-valued field, or of the objects in a list field, flattened to dotted keys. */
export function nestedMembers(field: FieldSpec): NestedMember[] {
  const schema = schemaOf(field);
  if (!schema) return [];
  const target = objectTarget(schema);
  return target ? membersOf(target, "") : [];
}

/** The rule stated on an object-valued field's object (or its list items), e.g. a rule across its keys. */
export function nestedDescription(field: FieldSpec): string | undefined {
  const schema = schemaOf(field);
  return schema ? objectTarget(schema)?.description : undefined;
}

/** The object whose keys are described: the value itself, the items of a list, or the values of a map. */
function objectTarget(schema: JsonSchema): JsonSchema | undefined {
  if (isObjectWithKeys(schema)) return schema;
  if (schema.items && isObjectWithKeys(schema.items)) return schema.items;
  const values = schema.additionalProperties;
  return values && typeof values === "object" && isObjectWithKeys(values) ? values : undefined;
}

function membersOf(s: JsonSchema, prefix: string): NestedMember[] {
  const out: NestedMember[] = [];
  for (const [key, member] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${key}`;
    out.push({ key: path, type: describeSchema(member), required: (s.required ?? []).includes(key) });
    const inner = objectTarget(member);
    if (inner) out.push(...membersOf(inner, member === inner ? `${path}.` : inner === member.items ? `${path}[].` : `${path}.<key>.`));
  }
  return out;
}

function isObjectWithKeys(s: JsonSchema): boolean {
  return s.type === "object" && s.properties !== undefined && Object.keys(s.properties).length > 0;
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

function bounds(min: number | undefined, max: number | undefined, exclusiveMin: boolean, exclusiveMax: boolean): string | undefined {
  const lo = min === undefined || min <= -UNBOUNDED ? undefined : min;
  const hi = max === undefined || max >= UNBOUNDED ? undefined : max;
  if (lo !== undefined && hi !== undefined && !exclusiveMin && !exclusiveMax) return `${lo}..${hi}`;
  const parts: string[] = [];
  if (lo !== undefined) parts.push(`${exclusiveMin ? ">" : ">="} ${lo}`);
  if (hi !== undefined) parts.push(`${exclusiveMax ? "<" : "<="} ${hi}`);
  return parts.length ? parts.join(" and ") : undefined;
}

/** "1-8 items", "at least 1 item", "at most 128 characters" (`noun` is singular). */
function countOf(min: number | undefined, max: number | undefined, noun: string): string | undefined {
  const lo = min !== undefined && min > 0 ? min : undefined;
  const n = (count: number) => `${count} ${count === 1 ? noun : `${noun}s`}`;
  if (lo !== undefined && max !== undefined) return lo === max ? `exactly ${n(lo)}` : `${lo}-${n(max)}`;
  if (lo !== undefined) return `at least ${n(lo)}`;
  if (max !== undefined) return `at most ${n(max)}`;
  return undefined;
}

/** "string" -> "strings", "object with keys ..." -> "objects with keys ..." (the head noun of a description). */
function plural(description: string): string {
  return description.replace(/^(non-empty )?(string|integer|number|boolean|object)\b/, (_m, adj: string | undefined, noun: string) => `${adj ?? ""}${noun}s`);
}

function describeSchema(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map((x) => describeSchema(x)).join(" or ");
  if (s.enum) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  const type = Array.isArray(s.type) ? s.type.join(" or ") : s.type ?? "any value";
  const parts: string[] = [];
  if (type === "array") {
    const item = s.items ? describeSchema(s.items) : "any value";
    parts.push(s.items?.enum ? `list of values, each ${item}` : `list of ${plural(item)}`);
    const count = countOf(s.minItems, s.maxItems, "item");
    if (count) parts.push(count);
  } else if (type === "object") {
    if (isObjectWithKeys(s)) {
      // Summarised by its keys; the nested-objects section of the reference describes each key (and carries
      // the object's own description, which would make this cell unreadable).
      return `object with keys ${Object.keys(s.properties ?? {}).map((k) => `\`${k}\``).join(", ")}`;
    } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
      const value = describeSchema(s.additionalProperties);
      parts.push(value === "any value" ? "map of string keys to any value" : `map of string keys to ${value}`);
    } else parts.push("object");
  } else {
    parts.push(type === "string" && s.minLength === 1 && s.maxLength === undefined ? "non-empty string" : type);
    const range = bounds(
      s.minimum ?? s.exclusiveMinimum,
      s.maximum ?? s.exclusiveMaximum,
      s.minimum === undefined && s.exclusiveMinimum !== undefined,
      s.maximum === undefined && s.exclusiveMaximum !== undefined,
    );
    if (range) parts.push(range);
    if (!(type === "string" && s.minLength === 1 && s.maxLength === undefined)) {
      const length = countOf(s.minLength, s.maxLength, "character");
      if (length) parts.push(length);
    }
    if (s.multipleOf !== undefined) parts.push(`multiple of ${s.multipleOf}`);
    if (s.pattern) parts.push(`pattern \`${s.pattern}\``);
  }
  const text = parts.join(", ");
  return s.description ? `${text}; ${s.description}` : text;
}

export function describeChange(field: FieldSpec): string {
  switch (field.change.kind) {
    case "replace":
      return field.partialUpdate
        ? `**replace** (${field.change.source}), except ${field.partialUpdate.what}: update in place via \`${field.partialUpdate.call}\` (${field.partialUpdate.source})`
        : `**replace** (${field.change.source})`;
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
    const notes: string[] = [f.doc];
    if (f.required) notes.push("Required.");
    if (f.secret) notes.push("Secret: stored encrypted, never logged or shown in errors.");
    if (f.normalise === "base64") notes.push("Stored and compared as base64 (plain text is encoded).");
    if (f.normalise === "unordered") notes.push("Order does not matter.");
    if (f.unset === "clear") notes.push("Removing it clears the value in the cloud.");
    if (f.readable === false) notes.push("Not returned by the read call (no drift detection).");
    if (f.compare === false) notes.push("A new value shows no diff and runs no update: only the next create reads it.");
    if (f.newNodesOnly) notes.push("A change reaches only nodes added afterwards; existing nodes keep the old value.");
    const wire = f.wire ? `\`${f.wire}\`${f.updateWire ? ` (update: \`${f.updateWire}\`)` : ""}` : "-";
    lines.push(
      `| \`${f.path}\` | ${escapeCell(describeType(f))} | ${wire} | ${escapeCell(describeChange(f))} | ${escapeCell(notes.join(" "))} |`,
    );
  }
  const nested = spec.fields.map((f) => ({ f, members: nestedMembers(f) })).filter((n) => n.members.length > 0);
  if (nested.length) {
    lines.push("", "### Nested objects", "");
    const wireCase = spec.fields.some((f) => f.wire !== undefined && /^[A-Z]/.test(f.wire)) ? "PascalCase" : "snake_case";
    lines.push(`Keys are camelCase in the program and sent in ${wireCase}, like the fields above.`, "");
    for (const { f, members } of nested) {
      const type = describeType(f);
      const list = type.startsWith("list of") ? " (each item)" : type.startsWith("map of") ? " (each value)" : "";
      const rule = nestedDescription(f);
      lines.push(`\`${f.path}\`${list}:${rule ? ` ${rule}.` : ""}`, "");
      lines.push("| Key | Type and documented constraints | Required |");
      lines.push("|---|---|---|");
      for (const m of members) lines.push(`| \`${m.key}\` | ${escapeCell(m.type)} | ${m.required ? "yes" : "no"} |`);
      lines.push("");
    }
    lines.pop();
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
