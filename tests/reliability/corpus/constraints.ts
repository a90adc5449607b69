/**
 * The inventory of documented constraints of a resource, derived from its field table: every keyword of
 * `z.toJSONSchema(field.type)` that constrains a value (minimum, maximum, exclusiveMinimum, multipleOf, integer,
 * minItems, maxItems, minLength, maxLength, pattern, enum, required members), every refinement (`.refine` /
 * `.superRefine`, which JSON Schema cannot show), every field documented as required, and every cross-field rule.
 *
 * Keys name the place and the keyword: `scalingGroup.systemDiskSize:maximum`, `scalingGroup.dataDisks[].size:minimum`
 * (`[]` an array item, `{}` a record value), `scalingGroup.tags[].key:refine#1` (the second refinement of that node),
 * `groups:required`, `rule: <reportOn>: <the rule's text>`. The bad-input corpus names the keys each case violates, and the
 * meta-test in bad-input.test.ts fails naming every key no case covers.
 */
import { z } from "zod";
import type { CrossFieldRule, ResourceSpec } from "../../../provider/core/fields/spec";

type Json = Record<string, any>;

const VALUE_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "minLength", "maxLength", "pattern", "enum", "const"] as const;

function fromJsonSchema(schema: Json, at: string, out: Set<string>): void {
  if (!schema || typeof schema !== "object") return;
  if (schema.type === "integer") out.add(`${at}:integer`);
  for (const k of VALUE_KEYWORDS) if (schema[k] !== undefined) out.add(`${at}:${k}`);
  if (schema.properties) {
    for (const [name, sub] of Object.entries(schema.properties as Record<string, Json>)) fromJsonSchema(sub, `${at}.${name}`, out);
  }
  for (const name of (schema.required as string[] | undefined) ?? []) out.add(`${at}.${name}:required`);
  if (schema.items && typeof schema.items === "object") fromJsonSchema(schema.items, `${at}[]`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") fromJsonSchema(schema.additionalProperties, `${at}{}`, out);
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) fromJsonSchema(alt, at, out);
}

/** Refinements are invisible to JSON Schema: walk the zod definition for `custom` checks. */
function refinements(type: unknown, at: string, out: Set<string>): void {
  const def = (type as { _zod?: { def?: Json } })?._zod?.def;
  if (!def) return;
  const custom = ((def.checks as Array<{ _zod: { def: { check: string } } }> | undefined) ?? []).filter((c) => c._zod.def.check === "custom");
  custom.forEach((_c, i) => out.add(`${at}:refine#${i}`));
  if (def.innerType) refinements(def.innerType, at, out);
  if (def.in) refinements(def.in, at, out);
  if (def.out) refinements(def.out, at, out);
  if (def.element) refinements(def.element, `${at}[]`, out);
  if (def.valueType) refinements(def.valueType, `${at}{}`, out);
  if (def.shape) for (const [name, sub] of Object.entries(def.shape as Record<string, unknown>)) refinements(sub, `${at}.${name}`, out);
  for (const opt of (def.options as unknown[] | undefined) ?? []) refinements(opt, at, out);
}

export function ruleKey(rule: CrossFieldRule): string {
  return `rule: ${rule.reportOn}: ${rule.rule}`;
}

/** Every constraint key of a resource. */
export function constraintKeys(spec: ResourceSpec): string[] {
  const out = new Set<string>();
  for (const field of spec.fields) {
    if (field.required) out.add(`${field.path}:required`);
    fromJsonSchema(z.toJSONSchema(field.type, { unrepresentable: "any" }) as Json, field.path, out);
    refinements(field.type, field.path, out);
  }
  for (const rule of spec.rules) out.add(ruleKey(rule));
  return [...out];
}
