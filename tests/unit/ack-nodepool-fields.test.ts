/**
 * The ACK node pool field table against its API document: every documented request field is declared and
 * classified, and the declarations are consistent with each other and with the Terraform anchor.
 */
import * as fs from "fs";
import { z } from "zod";
import { camelToSnake, snakeToCamel, type FieldSpec } from "../../provider/core/fields/spec";
import { ackNodePoolSpec, MODIFY, MODIFY_NODE_CONFIG } from "../../provider/resources/ack-nodepool/fields";

const API_DOC = "/work/shared/api-docs/alibaba-ack-CreateClusterNodePool.txt";

/** One parameter row of the document's request tables. */
interface DocRow {
  name: string;
  /** The type column; undefined for wrapper rows that only introduce an array's items ("data_disk", "tag"). */
  type?: string;
  deprecated: boolean;
  line: number;
}

/**
 * The extracted document lists each parameter as `| name |` with its type on the next line (or, for a few
 * model-typed rows, on the same line: `| kubelet_configuration | kubelet_config |`). Deprecated parameters lose
 * the table markup: `name`, then `deprecated`, then `|`. Nesting is flattened away. Parsing runs from the path
 * parameters to "Response elements".
 */
function parseRequestRows(text: string): DocRow[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === "Path Parameters");
  const end = lines.findIndex((l, i) => i > start && l.trim() === "Response elements");
  if (start < 0 || end < 0) throw new Error("the API document has no Path Parameters ... Response elements section");
  const rows: DocRow[] = [];
  for (let i = start; i < end; i++) {
    const line = lines[i].trim();
    const row = /^\| ([A-Za-z_][A-Za-z0-9_]*) \|(?: ([A-Za-z_<>]+) \|)?$/.exec(line);
    if (row) {
      const next = (lines[i + 1] ?? "").trim();
      const type = row[2] ?? (/^(Yes|No) \|$/.test(next) ? undefined : next.replace(/\s*\|$/, ""));
      rows.push({ name: row[1], type, deprecated: false, line: i + 1 });
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(line) && (lines[i + 1] ?? "").trim() === "deprecated") {
      rows.push({ name: line, deprecated: true, line: i + 1 });
    }
  }
  return rows;
}

const rows = parseRequestRows(fs.readFileSync(API_DOC, "utf8"));

/**
 * Rows with a type that are deliberately not in the table. Each entry says why; an entry that no longer
 * matches a row of the document fails the test, so the list cannot go stale.
 */
const NOT_FIELDS: Record<string, string> = {
  // The request body itself ("Request body parameters"), not a member of it.
  body: "the body wrapper row",
  // Children of the deprecated `interconnect_config` (only their parent row carries the deprecated mark).
  cen_id: "member of deprecated interconnect_config",
  ccn_id: "member of deprecated interconnect_config",
  ccn_region_id: "member of deprecated interconnect_config",
  bandwidth: "member of deprecated interconnect_config",
  improved_period: "member of deprecated interconnect_config",
  // Children of the deprecated `management.upgrade_config` (the research notes confirm the nesting).
  surge: "member of deprecated management.upgrade_config",
  surge_percentage: "member of deprecated management.upgrade_config",
  max_unavailable: "member of deprecated management.upgrade_config",
};

/**
 * Rows without a type line (`| name |` followed by `No |`): doc-only rows that name the items of an array whose
 * members are then listed (or not) under them. The `DiskInit` item row of `disk_init` has no `| name |` markup
 * at all, so the parser never sees it.
 */
const WRAPPER_ROWS: Record<string, string> = {
  data_disk: "item row of scaling_group.data_disks (DataDisk model; members covered by the dataDisks item type)",
  instance_patterns: "item row of scaling_group.instance_patterns (the array row of the same name is covered)",
  tag: "item row of kubernetes_config.labels",
  taint: "item row of kubernetes_config.taints",
};

/**
 * Deprecated parameters (marked in the document) and their full body paths (the document flattens nesting;
 * the paths come from the SDK model, see docs/research/ack-createclusternodepool-values.md). None of them may
 * be sent. `auto_upgrade` is the deprecated member of upgrade_config, not the live `management.auto_upgrade`.
 */
const DEPRECATED: Record<string, string> = {
  is_bond_eip: "auto_scaling.is_bond_eip",
  eip_internet_charge_type: "auto_scaling.eip_internet_charge_type",
  eip_bandwidth: "auto_scaling.eip_bandwidth",
  upgrade_config: "management.upgrade_config",
  auto_upgrade: "management.upgrade_config.auto_upgrade",
  cis_enabled: "scaling_group.cis_enabled",
  security_group_id: "scaling_group.security_group_id",
  platform: "scaling_group.platform",
  interconnect_config: "interconnect_config",
  count: "count",
  max_nodes: "max_nodes",
};

type JsonSchema = { type?: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** snake_case keys of the objects inside a field's value (array items, their nested objects), at any depth. */
function memberKeys(field: FieldSpec): string[] {
  const keys: string[] = [];
  const walk = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      keys.push(camelToSnake(k));
      walk(v);
    }
    walk(s.items);
  };
  walk(z.toJSONSchema(field.type, { unrepresentable: "any" }) as JsonSchema);
  return keys;
}

const isObjectType = (type: string | undefined) => type === "object" || /^[A-Z]/.test(type ?? "");

/** Documented request parameters that no field of `fields` covers. */
function uncovered(fields: FieldSpec[]): string[] {
  const leaves = new Set<string>();
  const containers = new Set<string>();
  const members = new Set<string>();
  for (const f of fields) {
    if (!f.wire) continue;
    const segments = f.wire.split(".");
    leaves.add(segments[segments.length - 1]);
    segments.slice(0, -1).forEach((s) => containers.add(s));
    memberKeys(f).forEach((k) => members.add(k));
  }
  const pathParameterCovered = fields.some((f) => f.path === "clusterId" && f.wire === undefined);
  const missing: string[] = [];
  for (const row of rows) {
    if (row.deprecated || row.name in NOT_FIELDS || (row.type === undefined && row.name in WRAPPER_ROWS)) continue;
    if (row.name === "ClusterId" ? pathParameterCovered : leaves.has(row.name) || members.has(row.name)) continue;
    if (isObjectType(row.type) && containers.has(row.name)) continue;
    missing.push(row.name);
  }
  return [...new Set(missing)];
}

describe("ACK node pool field table: completeness against CreateClusterNodePool", () => {
  it("parses the document's request parameters", () => {
    const names = rows.map((r) => r.name);
    expect(names[0]).toBe("ClusterId");
    // Spot checks across the document: first, middle and last sections, inline-typed rows and deprecated rows.
    for (const n of ["nodepool_info", "vswitch_ids", "system_disk_provisioned_iops", "kubelet_configuration",
      "instance_metadata_options", "node_name_mode", "custom_config"]) {
      expect(names).toContain(n);
    }
    expect(rows.find((r) => r.name === "instance_metadata_options")?.type).toBe("InstanceMetadataOptions");
    expect(rows.find((r) => r.name === "vswitch_ids")?.type).toBe("array");
    expect(rows.filter((r) => r.deprecated).map((r) => r.name).sort()).toEqual(Object.keys(DEPRECATED).sort());
    expect(rows.length).toBeGreaterThan(100);
  });

  it("declares every documented request field (or lists it in a commented allow-list)", () => {
    expect(uncovered(ackNodePoolSpec.fields)).toEqual([]);
  });

  it("has allow-list entries only for rows that the document really contains", () => {
    for (const name of Object.keys(NOT_FIELDS)) {
      expect(rows.some((r) => r.name === name && !r.deprecated && r.type !== undefined)).toBe(true);
    }
    const wrappers = rows.filter((r) => r.type === undefined && !r.deprecated).map((r) => r.name);
    expect([...new Set(wrappers)].sort()).toEqual(Object.keys(WRAPPER_ROWS).sort());
  });

  it("reports a documented field that is removed from a copy of the table", () => {
    const without = (path: string) => ackNodePoolSpec.fields.filter((f) => f.path !== path);
    expect(uncovered(without("scalingGroup.systemDiskSnapshotPolicyId"))).toEqual(["system_disk_snapshot_policy_id"]);
    // An array field takes its documented item members with it.
    expect(uncovered(without("scalingGroup.spotPriceLimit"))).toEqual(["spot_price_limit", "instance_type", "price_limit"]);
    // A documented container is covered only through the fields below it.
    expect(uncovered(without("scalingGroup.instanceMetadataOptions.httpTokens"))).toEqual(["instance_metadata_options"]);
    expect(uncovered(without("clusterId"))).toEqual(["ClusterId"]);
  });

  it("sends no deprecated parameter", () => {
    const wires = ackNodePoolSpec.fields.flatMap((f) => [f.wire, f.updateWire].filter((w): w is string => w !== undefined));
    for (const deprecated of Object.values(DEPRECATED)) {
      expect(wires.filter((w) => w === deprecated || w.startsWith(`${deprecated}.`))).toEqual([]);
    }
  });
});

describe("ACK node pool field table: classification and consistency", () => {
  const fields = ackNodePoolSpec.fields;

  it.each(fields.map((f) => [f.path, f] as const))("classifies %s", (_path, f) => {
    expect(["replace", "update", "local"]).toContain(f.change.kind);
    if (f.change.kind === "update") expect(ackNodePoolSpec.updateCalls).toContain(f.change.call);
    if (f.change.kind !== "local") expect(f.change.source.trim()).not.toBe("");
    expect(f.doc.trim()).not.toBe("");
    // A field the cloud sees has a wire path, except the path parameter; local settings never reach the cloud.
    if (f.change.kind === "local") expect(f.wire).toBeUndefined();
    else if (f.path !== "clusterId") expect(f.wire).toBeDefined();
  });

  it("names only update calls in the order the update handler runs them", () => {
    expect(ackNodePoolSpec.updateCalls).toEqual([MODIFY, MODIFY_NODE_CONFIG]);
    const used = new Set(fields.flatMap((f) => (f.change.kind === "update" ? [f.change.call] : [])));
    expect([...used].sort()).toEqual([...ackNodePoolSpec.updateCalls].sort());
  });

  it("keeps secret fields at the top level and out of the read mapping", () => {
    const secrets = fields.filter((f) => f.secret);
    expect(secrets.map((f) => f.path)).toEqual(["loginPassword"]);
    for (const f of secrets) {
      expect(f.path).not.toContain(".");
      expect(f.readable).toBe(false);
    }
  });

  it("has unique input paths and unique wire paths, none nested inside another", () => {
    const paths = fields.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    const wires = fields.flatMap((f) => (f.wire ? [f.wire] : []));
    expect(new Set(wires).size).toBe(wires.length);
    for (const a of wires) for (const b of wires) expect(b.startsWith(`${a}.`)).toBe(false);
    // Same for input paths: a leaf is never also a container.
    for (const a of paths) for (const b of paths) expect(b.startsWith(`${a}.`)).toBe(false);
  });

  it("derives every input path from its wire path, except the documented exceptions", () => {
    /** Input path -> why it differs from the camelCase form of its wire path. */
    const EXCEPTIONS: Record<string, string> = {
      // Secrets must be top-level outputs for Pulumi to encrypt them in state.
      loginPassword: "scaling_group.login_password",
      // The API spells it "deploymentset_id"; the input uses the usual "deploymentSetId".
      "scalingGroup.deploymentSetId": "scaling_group.deploymentset_id",
    };
    const differing: Record<string, string> = {};
    for (const f of fields) {
      if (!f.wire) continue;
      const camel = f.wire.split(".").map(snakeToCamel).join(".");
      if (camel !== f.path) differing[f.path] = f.wire;
    }
    expect(differing).toEqual(EXCEPTIONS);
  });

  it("replaces the pool when autoScaling.type changes (documented immutable)", () => {
    const f = fields.find((x) => x.path === "autoScaling.type");
    expect(f?.change.kind).toBe("replace");
  });

  it.each([
    // Terraform alicloud_cs_kubernetes_node_pool ForceNew fields (iac-anchors.md A1.2) that exist in this API.
    ["type", "nodepoolInfo.type"],
    ["auto_mode", "autoMode.enable"],
    ["deployment_set_id", "scalingGroup.deploymentSetId"],
    ["instance_metadata_options", "scalingGroup.instanceMetadataOptions.httpTokens"],
    ["login_as_non_root", "scalingGroup.loginAsNonRoot"],
    ["node_name_mode", "kubernetesConfig.nodeNameMode"],
    ["ram_role_name", "scalingGroup.ramRoleName"],
    ["security_group_ids", "scalingGroup.securityGroupIds"],
    ["security_hardening_os", "scalingGroup.securityHardeningOs"],
    ["soc_enabled", "scalingGroup.socEnabled"],
    ["tee_config", "teeConfig.teeEnable"],
    ["cluster_id", "clusterId"],
  ])("replaces the pool when Terraform's ForceNew field %s (%s) changes", (_tf, path) => {
    const f = fields.find((x) => x.path === path);
    expect(f).toBeDefined();
    expect(f?.change.kind).toBe("replace");
  });

  it("sends kubelet configuration through the node-config call under its own body key", () => {
    const f = fields.find((x) => x.path === "nodeConfig.kubeletConfiguration");
    expect(f?.change).toMatchObject({ kind: "update", call: MODIFY_NODE_CONFIG });
    expect(f?.updateWire).toBe("kubelet_config");
  });

  it("gives every clear-on-unset field the value that clears it", () => {
    for (const f of fields.filter((x) => x.unset === "clear")) {
      expect(f.clearValue).toBeDefined();
      expect(f.change.kind).toBe("update");
    }
  });
});
