/**
 * The eflo node group field table against its API document: every documented request parameter is declared once,
 * with the document's required flag, and every field is classified consistently with UpdateNodeGroup and Terraform.
 */
import * as fs from "fs";
import { z } from "zod";
import type { FieldSpec } from "../../provider/core/fields/spec";
import { efloNodeGroupSpec, UPDATE, UPDATE_PARAMETER } from "../../provider/resources/eflo-nodegroup/fields";

const API_DOC = "/work/shared/api-docs/alibaba-eflo-CreateNodeGroup.txt";

/** One parameter row of the document's request table. */
interface DocRow {
  /** Undefined for the unnamed `any` row that describes NodeUnit's contents. */
  name?: string;
  type: string;
  required: boolean;
  line: number;
}

const TYPES = new Set(["object", "string", "integer", "long", "boolean", "array", "any", "number"]);

/**
 * The extracted document lists each parameter as its name, its type, then Yes/No (blank lines between), from
 * "Request parameters" to "Response elements"; nesting is flattened away. NodeUnit's member row has no name, only
 * the type `any`.
 */
function parseRequestRows(text: string): DocRow[] {
  const all = text.split(/\r?\n/).map((l, i) => ({ text: l.trim(), line: i + 1 }));
  const start = all.findIndex((l) => l.text === "Request parameters");
  const end = all.findIndex((l, i) => i > start && l.text === "Response elements");
  if (start < 0 || end < 0) throw new Error("the API document has no Request parameters ... Response elements section");
  const lines = all.slice(start + 1, end).filter((l) => l.text !== "");
  const rows: DocRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const cur = lines[i].text;
    const next = lines[i + 1]?.text;
    const after = lines[i + 2]?.text;
    if (/^[A-Z][A-Za-z0-9]*$/.test(cur) && next !== undefined && TYPES.has(next) && /^(Yes|No)$/.test(after ?? "")) {
      rows.push({ name: cur, type: next, required: after === "Yes", line: lines[i].line });
      i += 2;
    } else if (TYPES.has(cur) && /^(Yes|No)$/.test(next ?? "")) {
      rows.push({ type: cur, required: next === "Yes", line: lines[i].line });
      i += 1;
    }
  }
  return rows;
}

const rows = parseRequestRows(fs.readFileSync(API_DOC, "utf8"));
const named = rows.filter((r): r is DocRow & { name: string } => r.name !== undefined);

/** Rows without a name: doc-only rows describing the members of an object parameter typed `any`. */
const UNNAMED_ROWS = ["any"];

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** PascalCase keys of the objects inside a field's value (none here but kept general). */
function memberKeys(field: FieldSpec): string[] {
  const keys: string[] = [];
  const walk = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      keys.push(k.charAt(0).toUpperCase() + k.slice(1));
      walk(v);
    }
    walk(s.items);
  };
  walk(z.toJSONSchema(field.type, { unrepresentable: "any" }) as JsonSchema);
  return keys;
}

/** Documented request parameters that no field of `fields` covers (a leaf, a member, or for objects a container). */
function uncovered(fields: FieldSpec[]): string[] {
  const leaves = new Set<string>();
  const containers = new Set<string>();
  for (const f of fields) {
    if (!f.wire) continue;
    const segments = f.wire.split(".");
    leaves.add(segments[segments.length - 1]);
    segments.slice(0, -1).forEach((s) => containers.add(s));
    memberKeys(f).forEach((k) => leaves.add(k));
  }
  return named
    .filter((row) => !(leaves.has(row.name) || (row.type === "object" && containers.has(row.name))))
    .map((row) => row.name);
}

const fields = efloNodeGroupSpec.fields;
const byPath = (path: string) => {
  const f = fields.find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path}`);
  return f;
};

describe("eflo node group field table: completeness against CreateNodeGroup", () => {
  it("parses the document's request parameters", () => {
    expect(named.map((r) => r.name)).toEqual([
      "NodeGroup", "Az", "NodeGroupDescription", "NodeGroupName", "MachineType", "ImageId", "UserData", "SystemDisk", "Size",
      "PerformanceLevel", "Category", "FileSystemMountEnabled", "VirtualGpuEnabled", "KeyPairName", "LoginPassword", "RamRoleName",
      "ClusterId", "NodeUnit",
    ]);
    expect(rows.filter((r) => r.name === undefined).map((r) => r.type)).toEqual(UNNAMED_ROWS);
    expect(named.find((r) => r.name === "Size")?.type).toBe("integer");
    expect(named.find((r) => r.name === "VirtualGpuEnabled")?.type).toBe("boolean");
  });

  it("declares every documented request parameter", () => {
    expect(uncovered(fields)).toEqual([]);
  });

  it("reports a documented parameter that is removed from a copy of the table", () => {
    const without = (path: string) => fields.filter((f) => f.path !== path);
    expect(uncovered(without("nodeGroup.virtualGpuEnabled"))).toEqual(["VirtualGpuEnabled"]);
    expect(uncovered(without("loginPassword"))).toEqual(["LoginPassword"]);
    expect(uncovered(without("nodeUnit"))).toEqual(["NodeUnit"]);
    // A documented container is covered only through the fields below it.
    expect(uncovered(fields.filter((f) => !f.path.startsWith("nodeGroup.systemDisk.")))).toEqual(["SystemDisk", "Size", "PerformanceLevel", "Category"]);
  });

  it("marks exactly the document's required parameters as required", () => {
    const requiredWire = fields.filter((f) => f.required).map((f) => f.wire?.split(".").pop());
    const documented = named.filter((r) => r.required && r.type !== "object").map((r) => r.name);
    expect(requiredWire.sort()).toEqual(documented.sort());
    expect(documented.sort()).toEqual(["Az", "ClusterId", "ImageId", "MachineType", "NodeGroupName"]);
  });

  it("declares the documented types: integers, booleans, enums", () => {
    expect(byPath("nodeGroup.systemDisk.size").type.safeParse(1.5).success).toBe(false);
    for (const p of ["nodeGroup.fileSystemMountEnabled", "nodeGroup.virtualGpuEnabled"]) expect(byPath(p).type.safeParse("true").success).toBe(false);
    expect(byPath("nodeGroup.systemDisk.performanceLevel").type.safeParse("PL0").success).toBe(true);
    expect(byPath("nodeGroup.systemDisk.performanceLevel").type.safeParse("PL2").success).toBe(false);
    expect(byPath("nodeGroup.systemDisk.category").type.safeParse("cloud_essd").success).toBe(true);
    expect(byPath("nodeGroup.systemDisk.category").type.safeParse("cloud_ssd").success).toBe(false);
    expect(byPath("nodeUnit").type.safeParse({ NodeUnitId: "u", MaxNodes: 0 }).success).toBe(true);
  });
});

describe("eflo node group field table: classification and consistency", () => {
  it.each(fields.map((f) => [f.path, f] as const))("classifies %s", (_path, f) => {
    expect(["replace", "update", "local"]).toContain(f.change.kind);
    if (f.change.kind === "update") expect(efloNodeGroupSpec.updateCalls).toContain(f.change.call);
    if (f.change.kind !== "local") expect(f.change.source.trim()).not.toBe("");
    expect(f.doc.trim()).not.toBe("");
    if (f.change.kind === "local") expect(f.wire).toBeUndefined();
    else expect(f.wire).toBeDefined();
  });

  it("updates in place exactly the fields UpdateNodeGroup accepts, each under its UpdateNodeGroup parameter", () => {
    const updated = Object.fromEntries(fields.filter((f) => f.change.kind === "update").map((f) => [f.path, f.updateWire]));
    expect(updated).toEqual({
      "nodeGroup.nodeGroupName": UPDATE_PARAMETER.name,
      "nodeGroup.imageId": "ImageId",
      "nodeGroup.userData": "UserData",
      "nodeGroup.systemDisk.size": "SystemDisk.Size",
      "nodeGroup.systemDisk.performanceLevel": "SystemDisk.PerformanceLevel",
      "nodeGroup.systemDisk.category": "SystemDisk.Category",
      "nodeGroup.fileSystemMountEnabled": "FileSystemMountEnabled",
      "nodeGroup.keyPairName": "KeyPairName",
      loginPassword: "LoginPassword",
      "nodeGroup.ramRoleName": "RamRoleName",
    });
    // Every UpdateNodeGroup parameter is used by some field.
    const tops = new Set(Object.values(updated).map((w) => String(w).split(".")[0]));
    expect([...tops].sort()).toEqual(Object.values(UPDATE_PARAMETER).sort());
    expect(efloNodeGroupSpec.updateCalls).toEqual([UPDATE]);
  });

  it.each([
    // Terraform alicloud_eflo_node_group ForceNew fields (iac-anchors.md A3) and fields UpdateNodeGroup does not take.
    ["cluster_id", "clusterId"],
    ["az", "nodeGroup.az"],
    ["machine_type", "nodeGroup.machineType"],
    ["node_group_description", "nodeGroup.nodeGroupDescription"],
    ["(no Terraform field) VirtualGpuEnabled", "nodeGroup.virtualGpuEnabled"],
    ["(no Terraform field) NodeUnit", "nodeUnit"],
  ])("replaces the group when %s (%s) changes", (_tf, path) => {
    expect(byPath(path).change.kind).toBe("replace");
  });

  it("keeps the secret at the top level, out of the read mapping", () => {
    const secrets = fields.filter((f) => f.secret);
    expect(secrets.map((f) => f.path)).toEqual(["loginPassword"]);
    expect(secrets[0].readable).toBe(false);
    expect(secrets[0].wire).toBe("NodeGroup.LoginPassword");
  });

  it("marks as unreadable only what neither ListNodeGroups nor DescribeNodeGroup returns", () => {
    expect(fields.filter((f) => f.readable === false).map((f) => f.path).sort()).toEqual(["loginPassword", "nodeUnit"]);
  });

  it("sends NodeUnit with the API's own keys, unchanged", () => {
    const f = byPath("nodeUnit");
    const unit = { NodeUnitId: "u-1", ResourceGroupId: "", MaxNodes: 0 };
    expect(f.toWire?.(unit)).toEqual(unit);
  });

  it("has unique input and wire paths, none nested inside another", () => {
    const paths = fields.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    const wires = fields.flatMap((f) => (f.wire ? [f.wire] : []));
    expect(new Set(wires).size).toBe(wires.length);
    for (const a of wires) for (const b of wires) expect(b.startsWith(`${a}.`)).toBe(false);
    for (const a of paths) for (const b of paths) expect(b.startsWith(`${a}.`)).toBe(false);
  });

  it("derives every input path from its wire path (lower camelCase), except the top-level secret", () => {
    const differing: Record<string, string> = {};
    for (const f of fields) {
      if (!f.wire) continue;
      const camel = f.wire.split(".").map((s) => s.charAt(0).toLowerCase() + s.slice(1)).join(".");
      if (camel !== f.path) differing[f.path] = f.wire;
    }
    expect(differing).toEqual({ loginPassword: "NodeGroup.LoginPassword" });
  });

  it("states Terraform's timeouts as the defaults", () => {
    expect(byPath("timeouts.create").doc).toMatch(/default 5m/);
    expect(byPath("timeouts.update").doc).toMatch(/default 120m/);
    expect(byPath("timeouts.delete").doc).toMatch(/default 5m/);
  });

  it("documents the RAM role rule and the readiness rule in the reference text", () => {
    expect(byPath("nodeGroup.ramRoleName").doc).toMatch(/Removing it .* replaces the node group/);
    expect(efloNodeGroupSpec.replaceNote).toMatch(/no state field/);
    expect(efloNodeGroupSpec.replaceNote).toMatch(/ramRoleName/);
  });
});
