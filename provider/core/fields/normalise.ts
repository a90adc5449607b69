import type { FieldSpec } from "./spec";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Terraform's rule for user data: text that is already valid base64 is kept, anything else is encoded.
 * The round trip check rejects strings such as "abcd" that match the alphabet but decode to binary junk
 * only when they would not re-encode identically.
 */
export function isBase64(text: string): boolean {
  if (text.length === 0 || !BASE64.test(text)) return false;
  return Buffer.from(text, "base64").toString("base64") === text;
}

export function toBase64(text: string): string {
  return isBase64(text) ? text : Buffer.from(text, "utf8").toString("base64");
}

/** JSON with sorted object keys, so that equal values serialise identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The stored form of a value: what check returns, what outputs hold, what diff compares. */
export function normaliseValue(field: Pick<FieldSpec, "normalise">, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (field.normalise === "base64" && typeof value === "string") return toBase64(value);
  return value;
}

/** The comparison form: normalised, and for unordered arrays, sorted. */
export function comparable(field: Pick<FieldSpec, "normalise">, value: unknown): string {
  const v = normaliseValue(field, value);
  if (field.normalise === "unordered" && Array.isArray(v)) {
    return `[${v.map(canonicalJson).sort().join(",")}]`;
  }
  return canonicalJson(v);
}

export function equalValues(field: Pick<FieldSpec, "normalise">, a: unknown, b: unknown): boolean {
  return comparable(field, a) === comparable(field, b);
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value as object).length === 0;
  return false;
}
