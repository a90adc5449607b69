/**
 * The ModelArts node pool field table against its API document: every documented request field is declared and
 * classified, documented mandatory members and value ranges are enforced, and the declarations are consistent.
 */
import * as fs from "fs";
import { z } from "zod";
import type { FieldSpec } from "../../provider/core/fields/spec";
import { ANNOTATION_KEYS, modelArtsNodePoolSpec as spec, PATCH } from "../../provider/resources/modelarts-nodepool/fields";
import { createRequest } from "../../provider/resources/modelarts-nodepool/handler";

const API_DOC = "/work/shared/api-docs/huaweicloud-modelarts-CreateNodePool.txt";

interface DocRow {
  table: string;
  name: string;
  mandatory: boolean;
  type: string;
  /** Values listed under "Range:", e.g. ["0", "1"]. */
  range: string[];
}

/**
 * The extracted document lists each table as "Table N <name>", then per parameter its name, "Yes"/"No", the type
 * and the description lines; a "Range:" line is followed by "• value: meaning" bullets. Parsing runs from the path
 * parameters to "Response Parameters".
 */
function parseRequestRows(text: string): DocRow[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const start = lines.findIndex((l) => /^Table 1 Path Parameters$/.test(l));
  const end = lines.findIndex((l, i) => i > start && l === "Response Parameters");
  if (start < 0 || end < 0) throw new Error("the API document has no Table 1 ... Response Parameters section");
  const rows: DocRow[] = [];
  let table = "";
  let inRange = false;
  for (let i = start; i < end; i++) {
    const t = /^Table \d+ (.+)$/.exec(lines[i]);
    if (t) {
      table = t[1];
      inRange = false;
      continue;
    }
    if (/^[A-Za-z_][\w./]*$/.test(lines[i]) && (lines[i + 1] === "Yes" || lines[i + 1] === "No")) {
      rows.push({ table, name: lines[i], mandatory: lines[i + 1] === "Yes", type: lines[i + 2], range: [] });
      i += 2;
      inRange = false;
      continue;
    }
    if (lines[i] === "Range:") inRange = true;
    else if (inRange && lines[i].startsWith("•") && rows.length) rows[rows.length - 1].range.push(lines[i].replace(/^•\s*/, "").split(":")[0].trim());
    else if (!lines[i].startsWith("•")) inRange = false;
  }
  return rows;
}

const rows = parseRequestRows(fs.readFileSync(API_DOC, "utf8"));

interface DocLeaf {
  /** Wire path; `[]` marks the items of a list, e.g. "spec.resources.azs[].az". */
  path: string;
  row: DocRow;
  /** Mandatory here and in every ancestor. */
  mandatoryAlways: boolean;
  /** Mandatory within its parent object (or list item). */
  mandatoryInParent: boolean;
}

/** The request as a tree: object-typed rows descend into the table named by their type. */
function docLeaves(): DocLeaf[] {
  const byTable = new Map<string, DocRow[]>();
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  const out: DocLeaf[] = [];
  const walk = (table: string, prefix: string, ancestorsMandatory: boolean) => {
    for (const row of byTable.get(table) ?? []) {
      const m = /^(Array of )?(\w+) objects?$/.exec(row.type);
      const path = `${prefix}${row.name}`;
      if (m && byTable.has(m[2])) walk(m[2], `${path}${m[1] ? "[]" : ""}.`, ancestorsMandatory && row.mandatory);
      else out.push({ path, row, mandatoryAlways: ancestorsMandatory && row.mandatory, mandatoryInParent: row.mandatory });
    }
  };
  walk("Path Parameters", "", true);
  walk("Request body parameters", "", true);
  return out;
}

const leaves = docLeaves();

type JsonSchema = { type?: unknown; enum?: unknown[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; required?: string[] };
const schemaOf = (f: FieldSpec) => z.toJSONSchema(f.type, { unrepresentable: "any" }) as JsonSchema;

/** The schema of a member below a field's value: "az" (list items), "key", or "" for the value itself. */
function memberSchema(schema: JsonSchema, member: string): { schema: JsonSchema; required: boolean } | undefined {
  let cur = schema;
  let required = true;
  for (const key of member === "" ? [] : member.split(".")) {
    if (key === "[]") {
      if (!cur.items) return undefined;
      cur = cur.items;
      continue;
    }
    const next = cur.properties?.[key];
    if (!next) return undefined;
    required = (cur.required ?? []).includes(key);
    cur = next;
  }
  return { schema: cur, required };
}

/** Documented paths that no field declares on purpose, with the reason. */
const NOT_FIELDS: Record<string, string> = {
  project_id: "path parameter filled from the provider settings (huaweicloud:projectId / HW_PROJECT_ID)",
  apiVersion: "constant, always sent as documented",
  kind: "constant, always sent as documented",
};

/** The field (and member inside its value) that carries a documented request path. */
function coverage(fields: FieldSpec[], leaf: DocLeaf): { field: FieldSpec; member: string } | undefined {
  if (leaf.path === "pool_name") {
    const f = fields.find((x) => x.path === "poolName" && x.wire === undefined);
    return f && { field: f, member: "" };
  }
  const annotation = /^metadata\.annotations\.(.+)$/.exec(leaf.path);
  if (annotation) {
    const name = Object.entries(ANNOTATION_KEYS).find(([, key]) => key === annotation[1])?.[0];
    const f = fields.find((x) => x.wire === "metadata.annotations");
    return f && name && memberSchema(schemaOf(f), name) ? { field: f, member: name } : undefined;
  }
  for (const f of fields) {
    if (!f.wire) continue;
    const plain = leaf.path.replace(/\[\]/g, "");
    if (plain === f.wire) return { field: f, member: "" };
    if (leaf.path.startsWith(`${f.wire}[].`) || leaf.path.startsWith(`${f.wire}.`)) {
      const rest = leaf.path.slice(f.wire.length).replace(/^\./, "").replace(/^\[\]\./, "[].");
      const member = rest
        .split(".")
        .flatMap((k) => (k === "[]" ? [k] : k.endsWith("[]") ? [k.slice(0, -2), "[]"] : [k]))
        .join(".");
      if (memberSchema(schemaOf(f), member)) return { field: f, member };
    }
  }
  return undefined;
}

function uncovered(fields: FieldSpec[]): string[] {
  return leaves.filter((l) => !(l.path in NOT_FIELDS) && !coverage(fields, l)).map((l) => l.path);
}

describe("ModelArts node pool field table: completeness against CreateNodePool", () => {
  it("parses the document's path and body parameters into the documented tree", () => {
    expect(rows[0]).toMatchObject({ table: "Path Parameters", name: "project_id", mandatory: true });
    const paths = leaves.map((l) => l.path);
    for (const p of ["pool_name", "apiVersion", "metadata.name", "metadata.annotations.os.modelarts/order.id", "spec.resources.maxCount",
      "spec.resources.azs[].az", "spec.resources.taints[].effect", "spec.resources.tags[].value", "spec.resources.network.securityGroups",
      "spec.resources.creatingStep.type", "spec.resources.os.imageType", "spec.resources.labels", "spec.resources.extendParams"]) {
      expect(paths).toContain(p);
    }
    expect(leaves.find((l) => l.path === "metadata.annotations.os.modelarts/billing.mode")?.row.range).toEqual(["0", "1"]);
    expect(leaves).toHaveLength(33);
  });

  it("declares every documented request field (or lists it in a commented allow-list)", () => {
    expect(uncovered(spec.fields)).toEqual([]);
  });

  it("has allow-list entries only for rows that the document really contains", () => {
    for (const p of Object.keys(NOT_FIELDS)) expect(leaves.map((l) => l.path)).toContain(p);
  });

  it("reports a documented field that is removed from a copy of the table", () => {
    const without = (path: string) => spec.fields.filter((f) => f.path !== path);
    expect(uncovered(without("spec.resources.os.imageId"))).toEqual(["spec.resources.os.imageId"]);
    expect(uncovered(without("spec.resources.azs"))).toEqual(["spec.resources.azs[].az", "spec.resources.azs[].count"]);
    expect(uncovered(without("metadata.annotations"))).toHaveLength(Object.keys(ANNOTATION_KEYS).length);
    expect(uncovered(without("poolName"))).toEqual(["pool_name"]);
  });

  it("names a camelCase input for every billing annotation of the document", () => {
    const documented = leaves.filter((l) => l.path.startsWith("metadata.annotations.")).map((l) => l.path.slice("metadata.annotations.".length));
    expect(Object.values(ANNOTATION_KEYS).sort()).toEqual(documented.sort());
  });

  it("sends the constant apiVersion and kind with their documented values", () => {
    const body = createRequest(structuredClone(spec.example!));
    expect(body.apiVersion).toBe(leaves.find((l) => l.path === "apiVersion")?.row.range[0]);
    expect(body.kind).toBe(leaves.find((l) => l.path === "kind")?.row.range[0]);
  });

  it("requires every documented mandatory member of an object or list item", () => {
    const missing: string[] = [];
    for (const leaf of leaves) {
      if (!leaf.mandatoryInParent || leaf.path in NOT_FIELDS) continue;
      const c = coverage(spec.fields, leaf)!;
      const ok = c.member === "" ? c.field.required === true : memberSchema(schemaOf(c.field), c.member)?.required === true;
      if (!ok) missing.push(leaf.path);
    }
    expect(missing).toEqual([]);
  });

  it("requires flavor, count and maxCount although spec is optional in the document (readiness is judged against count)", () => {
    const alwaysMandatory = leaves.filter((l) => l.mandatoryAlways && !(l.path in NOT_FIELDS)).map((l) => l.path);
    expect(alwaysMandatory.sort()).toEqual(["metadata.name", "pool_name"]);
    for (const p of ["spec.resources.flavor", "spec.resources.count", "spec.resources.maxCount"]) {
      expect(spec.fields.find((f) => f.path === p)?.required).toBe(true);
    }
  });

  it("accepts exactly the documented values wherever the document lists a range", () => {
    const mismatches: Array<{ path: string; documented: string[]; declared: unknown }> = [];
    for (const leaf of leaves) {
      if (leaf.row.range.length === 0 || leaf.path in NOT_FIELDS) continue;
      const c = coverage(spec.fields, leaf)!;
      const declared = memberSchema(schemaOf(c.field), c.member)?.schema.enum;
      if (JSON.stringify(declared) !== JSON.stringify(leaf.row.range)) mismatches.push({ path: leaf.path, documented: leaf.row.range, declared });
    }
    expect(mismatches).toEqual([]);
  });
});

describe("ModelArts node pool field table: classification and consistency", () => {
  const fields = spec.fields;

  it.each(fields.map((f) => [f.path, f] as const))("classifies %s", (_path, f) => {
    expect(["replace", "update", "local"]).toContain(f.change.kind);
    if (f.change.kind === "update") expect(spec.updateCalls).toContain(f.change.call);
    if (f.change.kind !== "local") expect(f.change.source.trim()).not.toBe("");
    expect(f.doc.trim()).not.toBe("");
    if (f.change.kind === "local") expect(f.wire).toBeUndefined();
    else if (f.path !== "poolName") expect(f.wire).toBeDefined();
  });

  it("updates the node counts, their AZ distribution, labels, taints, tags and billing annotations through PatchNodePool, and replaces for the rest", () => {
    const updated = fields.filter((f) => f.change.kind === "update").map((f) => f.path);
    expect(updated.sort()).toEqual(
      ["metadata.annotations", "spec.resources.azs", "spec.resources.count", "spec.resources.labels", "spec.resources.maxCount", "spec.resources.tags", "spec.resources.taints"].sort(),
    );
    expect(spec.updateCalls).toEqual([PATCH]);
    for (const p of ["poolName", "metadata.name", "spec.resources.flavor", "spec.resources.nodePool", "spec.resources.network.vpc", "spec.resources.os.imageId", "spec.resources.extendParams"]) {
      expect(fields.find((f) => f.path === p)?.change.kind).toBe("replace");
    }
  });

  it("uses each wire path as the input path, because the API's keys are camelCase already, and passes values through unchanged", () => {
    for (const f of fields) {
      if (!f.wire) continue;
      expect(f.path).toBe(f.wire);
    }
    const labels = fields.find((f) => f.path === "spec.resources.labels")!;
    expect(labels.toWire?.({ "node.kubernetes.io/gpu_type": "t4" })).toEqual({ "node.kubernetes.io/gpu_type": "t4" });
  });

  it("has unique input paths, none nested inside another", () => {
    const paths = fields.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const a of paths) for (const b of paths) expect(b.startsWith(`${a}.`)).toBe(false);
  });

  it("has no secret input (the API has no credential-like field)", () => {
    expect(fields.filter((f) => f.secret)).toEqual([]);
  });

  it("gives every clear-on-unset field the value that clears it with a merge patch", () => {
    const clear = Object.fromEntries(fields.filter((x) => x.unset === "clear").map((f) => [f.path, f.clearValue]));
    expect(clear).toEqual({ "spec.resources.taints": [], "spec.resources.labels": null, "spec.resources.tags": [] });
  });

  it("does not compare values the read call does not echo faithfully (billing annotations, server-extended extendParams)", () => {
    expect(fields.filter((f) => f.readable === false).map((f) => f.path)).toEqual(["metadata.annotations", "spec.resources.extendParams"]);
  });

  it("deletes first only when a replacement keeps both the resource pool and the name", () => {
    const old = { poolName: "p", metadata: { name: "n" } };
    expect(spec.deleteBeforeReplace!(old, { poolName: "p", metadata: { name: "n" } })).toBe(true);
    expect(spec.deleteBeforeReplace!(old, { poolName: "p", metadata: { name: "n2" } })).toBe(false);
    expect(spec.deleteBeforeReplace!(old, { poolName: "p2", metadata: { name: "n" } })).toBe(false);
  });
});
