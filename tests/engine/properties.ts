/**
 * Property values as they travel between the Pulumi SDK, the engine and providers (`google.protobuf.Struct`
 * turned into plain JSON): the special signature objects, secret handling, deep comparison, property paths
 * and the engine's diff of two input maps.
 */

export type Value = unknown;
export type PropertyMap = Record<string, Value>;

/** The engine's "unknown during preview" value (`runtime/rpc.js` unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key of every special value (`specialSigKey`). */
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

export function isObject(v: Value): v is Record<string, Value> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: Value): v is { value: Value } {
  return isObject(v) && v[SIG] === SECRET_SIG;
}

export function makeSecret(v: Value): Value {
  return isSecret(v) ? v : { [SIG]: SECRET_SIG, value: v };
}

/** Rejects the special values this engine does not model (assets, archives, resource references, output values). */
export function assertSupportedValue(v: Value, where: string): void {
  if (Array.isArray(v)) return v.forEach((e, i) => assertSupportedValue(e, `${where}[${i}]`));
  if (!isObject(v)) return;
  const sig = v[SIG];
  if (sig === SECRET_SIG) return assertSupportedValue(v.value, where);
  if (sig === ASSET_SIG || sig === ARCHIVE_SIG) throw new Error(`${where}: assets and archives are not supported by the test engine`);
  if (sig === RESOURCE_SIG) throw new Error(`${where}: resource references are not supported by the test engine`);
  if (sig === OUTPUT_SIG) throw new Error(`${where}: output values are not supported by the test engine`);
  for (const [k, e] of Object.entries(v)) assertSupportedValue(e, `${where}.${k}`);
}

/** Plain values, secrets unwrapped at every depth (what a provider that does not accept secrets receives). */
export function unwrapSecrets<T = Value>(v: T): T {
  if (Array.isArray(v)) return v.map((e) => unwrapSecrets(e)) as T;
  if (!isObject(v)) return v;
  if (isSecret(v)) return unwrapSecrets(v.value) as T;
  const out: PropertyMap = {};
  for (const [k, e] of Object.entries(v)) out[k] = unwrapSecrets(e);
  return out as T;
}

export function containsSecrets(v: Value): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (isObject(v)) return Object.values(v).some(containsSecrets);
  return false;
}

export function containsUnknowns(v: Value): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknowns);
  if (isObject(v)) return Object.values(v).some(containsUnknowns);
  return false;
}

/** Structural equality of plain JSON values; secret wrappers are compared by their contents. */
export function deepEqual(a: Value, b: Value): boolean {
  if (isSecret(a)) a = a.value;
  if (isSecret(b)) b = b.value;
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((e, i) => deepEqual(e, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Keys Pulumi treats as internal (`resource.IsInternalPropertyKey`): never displayed or diffed for display. */
export const isInternalKey = (k: string): boolean => k.startsWith("__");

// ---------------------------------------------------------------------------------------------------------
// Property paths (`resource.PropertyPath`): `a.b[0].c`, `a["key.with.dots"]`, `a[*]`.

export type PathElement = string | number;

export function parsePath(text: string): PathElement[] {
  const out: PathElement[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`invalid property path "${text}": ${why}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) fail("unterminated [");
      const inner = text.slice(i + 1, close);
      if (inner === "*") out.push("*");
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^".*"$/.test(inner)) out.push(JSON.parse(inner) as string);
      else fail(`bad index [${inner}]`);
      i = close + 1;
      if (text[i] === ".") i++;
    } else {
      let j = i;
      while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
      if (j === i) fail("empty key");
      out.push(text.slice(i, j));
      i = j;
      if (text[i] === ".") i++;
    }
  }
  if (!out.length) fail("empty path");
  return out;
}

export function formatPath(path: PathElement[]): string {
  let s = "";
  for (const e of path) {
    if (typeof e === "number") s += `[${e}]`;
    else if (e === "*") s += "[*]";
    else if (/^[A-Za-z_$][\w$-]*$/.test(e)) s += s ? `.${e}` : e;
    else s += `[${JSON.stringify(e)}]`;
  }
  return s;
}

export function getPath(v: Value, path: PathElement[]): { found: boolean; value?: Value } {
  let cur: Value = v;
  for (const e of path) {
    if (isSecret(cur)) cur = cur.value;
    if (typeof e === "number" ? !Array.isArray(cur) || e >= cur.length : !isObject(cur) || !(e in cur)) return { found: false };
    cur = (cur as any)[e];
  }
  return { found: true, value: cur };
}

/**
 * Applies `ignoreChanges` as the engine does before Check (`processIgnoreChanges`): the new inputs take the old
 * value at each path (or lose the property when the old inputs did not have it). `[*]` applies to every element.
 */
export function applyIgnoreChanges(olds: PropertyMap, news: PropertyMap, paths: string[]): PropertyMap {
  const result = clone(news);
  for (const text of paths) {
    const path = parsePath(text);
    for (const concrete of expandWildcards(olds, result, path)) {
      const old = getPath(olds, concrete);
      setPath(result, concrete, old.found ? clone(old.value) : undefined, !old.found);
    }
  }
  return result;
}

function expandWildcards(a: Value, b: Value, path: PathElement[]): PathElement[][] {
  const i = path.indexOf("*");
  if (i < 0) return [path];
  const prefix = path.slice(0, i);
  const arrA = getPath(a, prefix).value;
  const arrB = getPath(b, prefix).value;
  const n = Math.max(Array.isArray(arrA) ? arrA.length : 0, Array.isArray(arrB) ? arrB.length : 0);
  const out: PathElement[][] = [];
  for (let k = 0; k < n; k++) out.push(...expandWildcards(a, b, [...prefix, k, ...path.slice(i + 1)]));
  return out;
}

function setPath(root: PropertyMap, path: PathElement[], value: Value, remove: boolean): void {
  let cur: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (isSecret(cur)) cur = cur.value;
    const e = path[i];
    if (cur[e] === undefined || cur[e] === null || typeof cur[e] !== "object") {
      if (remove) return;
      cur[e] = typeof path[i + 1] === "number" ? [] : {};
    }
    cur = cur[e];
  }
  if (isSecret(cur)) cur = cur.value;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
    else if (cur && typeof cur === "object") delete cur[last as string];
  } else cur[last] = value;
}

// ---------------------------------------------------------------------------------------------------------
// The engine's diff of two property maps (`PropertyMap.Diff` + `NewDetailedDiffFromObjectDiff`).

export type DiffKind = "add" | "delete" | "update";

export interface LeafDiff {
  path: PathElement[];
  kind: DiffKind;
}

/** Leaf-level differences between two maps, skipping internal (`__`) top-level keys. */
export function diffMaps(olds: PropertyMap, news: PropertyMap): LeafDiff[] {
  const out: LeafDiff[] = [];
  const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
  for (const k of [...keys].sort()) {
    if (isInternalKey(k)) continue;
    diffValues(olds?.[k], news?.[k], [k], out);
  }
  return out;
}

function present(v: Value): boolean {
  return v !== undefined && v !== null;
}

function diffValues(a: Value, b: Value, path: PathElement[], out: LeafDiff[]): void {
  const sa = isSecret(a);
  const sb = isSecret(b);
  if (sa) a = (a as any).value;
  if (sb) b = (b as any).value;
  if (!present(a) && !present(b)) return;
  if (!present(a)) return void out.push({ path, kind: "add" });
  if (!present(b)) return void out.push({ path, kind: "delete" });
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], [...path, i], out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffValues(a[k], b[k], [...path, k], out);
    return;
  }
  if (!deepEqual(a, b) || sa !== sb) out.push({ path, kind: "update" });
}

/** Top-level keys that differ (the engine's `ChangedKeys` / `diffReasons`). */
export function changedTopLevelKeys(olds: PropertyMap, news: PropertyMap): string[] {
  return [...new Set(diffMaps(olds, news).map((d) => String(d.path[0])))];
}

// ---------------------------------------------------------------------------------------------------------
// Secrets on provider results.

/**
 * Re-marks provider results as secret where the inputs were (`annotateSecrets`). The engine does this for
 * top-level keys only; here nested secret inputs mark the same nested output path too, so that a secret never
 * reaches the state file in plaintext.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [k, inValue] of Object.entries(ins ?? {})) {
    if (!(k in result)) continue;
    result[k] = annotateValue(result[k], inValue);
  }
  return result;
}

function annotateValue(out: Value, input: Value): Value {
  if (isSecret(out)) return out;
  if (isSecret(input)) return out === undefined ? out : makeSecret(out);
  if (isObject(input) && isObject(out)) return annotateSecrets(out, input);
  if (Array.isArray(input) && Array.isArray(out)) return out.map((e, i) => (i < input.length ? annotateValue(e, input[i]) : e));
  return out;
}

/** `additionalSecretOutputs`: the named top-level outputs become secret (`id` cannot). */
export function applyAdditionalSecretOutputs(outs: PropertyMap, names: string[] | undefined): PropertyMap {
  if (!names?.length) return outs;
  const result = { ...outs };
  for (const n of names) if (n in result && result[n] !== undefined && result[n] !== null) result[n] = makeSecret(result[n]);
  return result;
}

/** Top-level keys whose values differ, internal keys included (the engine's comparison for DIFF_UNKNOWN). */
export function changedKeysWithInternal(olds: PropertyMap, news: PropertyMap): string[] {
  const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
  return [...keys].filter((k) => !deepEqual(olds?.[k], news?.[k]) || isSecret(olds?.[k]) !== isSecret(news?.[k])).sort();
}
