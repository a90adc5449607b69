/**
 * Request bodies and read mapping derived from a field table: which input goes where on the wire, and how
 * a read response maps back into the input shape for drift detection.
 */
import { equalValues, isEmptyValue, normaliseValue } from "./normalise";
import {
  camelToSnake,
  getPath,
  mapKeys,
  setPath,
  snakeToCamel,
  type FieldSpec,
  type ResourceSpec,
} from "./spec";

export function toWireValue(field: FieldSpec, value: unknown): unknown {
  return field.toWire ? field.toWire(value) : mapKeys(value, camelToSnake);
}

export function fromWireValue(field: FieldSpec, value: unknown): unknown {
  return field.fromWire ? field.fromWire(value) : mapKeys(value, snakeToCamel);
}

/** The create request body: every set input with a wire path. */
export function createBody(spec: ResourceSpec, inputs: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (!field.wire) continue;
    const value = getPath(inputs, field.path);
    if (value === undefined || value === null) continue;
    setPath(body, field.wire, toWireValue(field, value));
  }
  return body;
}

/**
 * The body of one update call: only the changed fields that this call carries, each at its update wire
 * path. A field removed from the program is sent as its documented empty value.
 */
export function updateBody(
  spec: ResourceSpec,
  call: string,
  news: Record<string, unknown>,
  changedPaths: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const partial = field.change.kind === "replace" && field.partialUpdate?.call === call ? field.partialUpdate : undefined;
    if (!partial && (field.change.kind !== "update" || field.change.call !== call)) continue;
    if (!changedPaths.includes(field.path)) continue;
    const wire = field.updateWire ?? field.wire;
    if (!wire) continue;
    const value = getPath(news, field.path);
    const toWire = partial?.toWire ?? ((v: unknown) => toWireValue(field, v));
    setPath(body, wire, value === undefined || value === null ? field.clearValue : toWire(value));
  }
  return body;
}

/**
 * Maps a read response onto the stored outputs. A field the program never set stays unset (server defaults
 * must not diff), except "clear" fields, whose out-of-band values are drift. A cloud value equal to the stored
 * one after normalisation keeps the stored form, so that a refresh of an unchanged resource changes nothing.
 * With `adoptAll` (an import, where nothing is stored yet) every readable field is taken from the cloud.
 */
export function applyRead(
  spec: ResourceSpec,
  wireState: Record<string, unknown>,
  oldOutputs: Record<string, unknown>,
  options: { adoptAll?: boolean } = {},
): Record<string, unknown> {
  const outputs = structuredClone(oldOutputs);
  for (const field of spec.fields) {
    if (field.readable === false || field.secret) continue;
    const readPath = field.readWire ?? field.wire;
    if (!readPath) continue;
    const cloud = getPath(wireState, readPath);
    if (cloud === undefined || cloud === null) continue;
    const old = getPath(oldOutputs, field.path);
    // Importing (no prior state): every readable field comes from the cloud.
    if (old === undefined && !options.adoptAll && !(field.unset === "clear" && !isEmptyValue(cloud))) continue;
    const value = normaliseValue(field, fromWireValue(field, cloud));
    if (old !== undefined && equalValues(field, value, old)) continue;
    setPath(outputs, field.path, value);
  }
  return outputs;
}

/** The input-shaped part of the outputs: what `read` reports as the resource's current inputs. */
export function inputsFromOutputs(spec: ResourceSpec, outputs: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = getPath(outputs, field.path);
    if (value !== undefined && value !== null) setPath(inputs, field.path, value);
  }
  return inputs;
}
