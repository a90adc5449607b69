/**
 * The Batch Compute cluster field table against its API document: every documented request field is declared and
 * classified, the declarations are consistent with each other, and the generated reference says what the table does.
 */
import { z } from "zod";
import { describeChange, nestedMembers, referenceMarkdown } from "../../provider/core/fields/docs";
import type { FieldSpec } from "../../provider/core/fields/spec";
import { batchComputeClusterSpec as spec, DEPRECATION_NOTE, MODIFY } from "../../provider/resources/batchcompute-cluster/fields";
import { docAttributes, docErrorTable, docExampleBody } from "../support/batchcompute";

type Json = Record<string, any>;

/**
 * Dotted wire paths of every leaf of the example body. `UserData` is a map of the user's own keys (one leaf);
 * `Groups` is a map of group names, written `Groups.*.<member>`; lists of objects are written `<path>[].<member>`.
 */
function docLeaves(body: Json): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (path === "UserData") return void out.push(path);
    if (path === "Groups") return Object.values(v as Json).forEach((g) => walk(g, "Groups.*"));
    if (Array.isArray(v)) {
      if (v.length && v.every((x) => x && typeof x === "object" && !Array.isArray(x))) return walk(v[0], `${path}[]`);
      return void out.push(path);
    }
    if (v && typeof v === "object") return Object.entries(v).forEach(([k, x]) => walk(x, path ? `${path}.${k}` : k));
    out.push(path);
  };
  walk(body, "");
  return [...new Set(out)];
}

/** Wire paths the table produces, with the members of list items and map values found through each field's toWire. */
function tableLeaves(fields: FieldSpec[]): Set<string> {
  const out = new Set<string>();
  for (const f of fields) {
    if (!f.wire) continue;
    const schema = z.toJSONSchema(f.type, { unrepresentable: "any" }) as Json;
    const sample = (props: Json) => Object.fromEntries(Object.keys(props).map((k) => [k, 1]));
    if (schema.items?.properties) {
      const [item] = f.toWire!([sample(schema.items.properties)]) as Json[];
      Object.keys(item).forEach((k) => out.add(`${f.wire}[].${k}`));
    } else if (schema.additionalProperties?.properties) {
      const { g } = f.toWire!({ g: sample(schema.additionalProperties.properties) }) as Json;
      Object.keys(g).forEach((k) => out.add(`${f.wire}.*.${k}`));
    } else out.add(f.wire);
  }
  return out;
}

/** Fields the error table names that the example body does not show. */
function errorTableFields(): string[] {
  const paths = docErrorTable().flatMap((r) => {
    const m = /^(?:Missing|QuotaExhausted\.)(Configs\.[A-Za-z.]+)$/.exec(r.code);
    return m ? [m[1]] : [];
  });
  return [...new Set(paths)];
}

/** Documented request parameters that no field of `fields` covers. */
function uncovered(fields: FieldSpec[]): string[] {
  const covered = tableLeaves(fields);
  return [...docLeaves(docExampleBody()), ...errorTableFields()].filter((p) => !covered.has(p));
}

/** The attribute table's rows that are not body fields, and why. */
const NOT_BODY_FIELDS: Record<string, string> = {
  IdempotentToken: "query parameter derived by the handler from idempotencyKey and the request (see api.ts idempotencyToken)",
};

describe("Batch Compute cluster field table: completeness against CreateCluster", () => {
  it("parses the document's example body, attribute table and error table", () => {
    const leaves = docLeaves(docExampleBody());
    for (const p of ["Name", "UserData", "Notification.Topic.Events", "Configs.Mounts.Entries[].WriteSupport", "Configs.Mounts.OSS.AccessSecurityToken", "Configs.Networks.VPC.CidrBlock", "Groups.*.SpotPriceLimit"]) {
      expect(leaves).toContain(p);
    }
    expect(leaves).toHaveLength(34);
    expect(docAttributes().map((a) => a.name)).toEqual(["Name", "ImageId", "InstanceType", "Groups", "Description", "UserData", "Notification", "Configs", "IdempotentToken"]);
    expect(errorTableFields().sort()).toEqual(
      ["OppositeAccessPointId", "OppositeRegionId", "OppositeRouterId", "OppositeRouterType"].map((k) => `Configs.Networks.VPC.${k}`),
    );
  });

  it("declares every documented request field, including the ones only the error table names", () => {
    expect(uncovered(spec.fields)).toEqual([]);
    for (const a of docAttributes()) {
      if (a.name in NOT_BODY_FIELDS) continue;
      expect(spec.fields.some((f) => f.wire === a.name || f.wire?.startsWith(`${a.name}.`))).toBe(true);
    }
  });

  it("reports a documented field that is removed from a copy of the table", () => {
    const without = (path: string) => spec.fields.filter((f) => f.path !== path);
    expect(uncovered(without("configs.mounts.locale"))).toEqual(["Configs.Mounts.Locale"]);
    expect(uncovered(without("configs.networks.vpc.oppositeRouterType"))).toEqual(["Configs.Networks.VPC.OppositeRouterType"]);
    // A list or map field takes its documented members with it.
    expect(uncovered(without("configs.mounts.entries"))).toEqual(["Configs.Mounts.Entries[].Destination", "Configs.Mounts.Entries[].Source", "Configs.Mounts.Entries[].WriteSupport"]);
    expect(uncovered(without("groups"))).toHaveLength(5);
  });

  it("requires exactly the fields the attribute table marks as required", () => {
    const required = docAttributes().filter((a) => a.required).map((a) => a.name);
    expect(spec.fields.filter((f) => f.required).map((f) => f.wire)).toEqual(required.sort((a, b) => ["Name", "ImageId", "InstanceType", "Groups"].indexOf(a) - ["Name", "ImageId", "InstanceType", "Groups"].indexOf(b)));
  });
});

/** camelCase of an API path segment: "NAS" -> "nas", "DataDisk" -> "dataDisk", "DesiredVMCount" -> "desiredVmCount". */
const camel = (segment: string) => (/^[A-Z]+$/.test(segment) ? segment.toLowerCase() : segment.replace(/VM/g, "Vm").replace(/^[A-Z]/, (c) => c.toLowerCase()));

describe("Batch Compute cluster field table: classification and consistency", () => {
  const fields = spec.fields;

  it.each(fields.map((f) => [f.path, f] as const))("classifies %s", (_path, f) => {
    expect(["replace", "update", "local"]).toContain(f.change.kind);
    expect(f.change.source.trim()).not.toBe("");
    expect(f.doc.trim()).not.toBe("");
    if (f.change.kind === "local") expect(f.wire).toBeUndefined();
    else expect(f.wire).toBeDefined();
  });

  it("updates nothing in place except the desired VM counts of the groups, through ModifyCluster", () => {
    expect(spec.updateCalls).toEqual([MODIFY]);
    expect(fields.filter((f) => f.change.kind === "update")).toEqual([]);
    const partial = fields.filter((f) => f.partialUpdate);
    expect(partial.map((f) => [f.path, f.change.kind, f.partialUpdate!.call])).toEqual([["groups", "replace", MODIFY]]);
    expect(describeChange(partial[0])).toMatch(/^\*\*replace\*\* .*, except a change of only `desiredVmCount` in existing groups: update in place via `ModifyCluster`/);
    expect(fields.filter((f) => f.change.kind === "local").map((f) => f.path)).toEqual(["idempotencyKey", "ownerKey", "timeouts.create", "timeouts.update", "timeouts.delete"]);
  });

  it("keeps the OSS key pair under the top-level ossCredentials input, secret and never read back", () => {
    const secrets = fields.filter((f) => f.secret);
    expect(secrets.map((f) => f.path)).toEqual(["ossCredentials.accessKeyId", "ossCredentials.accessKeySecret", "ossCredentials.securityToken"]);
    for (const f of secrets) expect(f.readable).toBe(false);
    expect(new Set(secrets.map((f) => f.path.split(".")[0]))).toEqual(new Set(["ossCredentials"]));
    expect(fields.filter((f) => f.path.startsWith("ossCredentials.")).every((f) => f.secret)).toBe(true);
  });

  it("has unique input paths and unique wire paths, none nested inside another", () => {
    const paths = fields.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    const wires = fields.flatMap((f) => (f.wire ? [f.wire] : []));
    expect(new Set(wires).size).toBe(wires.length);
    for (const a of wires) for (const b of wires) expect(b.startsWith(`${a}.`)).toBe(false);
    for (const a of paths) for (const b of paths) expect(b.startsWith(`${a}.`)).toBe(false);
  });

  it("derives every input path from its wire path, except the OSS key pair", () => {
    const differing: Record<string, string> = {};
    for (const f of fields) {
      if (!f.wire) continue;
      if (f.wire.split(".").map(camel).join(".") !== f.path) differing[f.path] = f.wire;
    }
    expect(differing).toEqual({
      "ossCredentials.accessKeyId": "Configs.Mounts.OSS.AccessKeyId",
      "ossCredentials.accessKeySecret": "Configs.Mounts.OSS.AccessKeySecret",
      "ossCredentials.securityToken": "Configs.Mounts.OSS.AccessSecurityToken",
    });
  });

  it("does not read back the cluster-level instanceType, which GetCluster does not return", () => {
    expect(fields.filter((f) => f.readable === false && !f.secret).map((f) => f.path)).toEqual(["instanceType"]);
  });

  it("has an example input and a review profile that match the resource class", () => {
    expect(spec.example).toBeDefined();
    expect(spec.review?.typeToken).toBe("pulumi-nodejs:dynamic/alicloud/batchcompute:Cluster");
    expect(spec.review?.runningNodes({ actualVmCounts: { a: 2, b: 3 } })).toBe(5);
    expect(spec.review?.runningNodes({})).toBeUndefined();
  });
});

describe("Batch Compute cluster reference documentation", () => {
  const md = referenceMarkdown(spec);

  it("opens with the deprecation notice and what to plan for", () => {
    expect(md.split("\n").slice(0, 6).join("\n")).toContain(DEPRECATION_NOTE);
    expect(DEPRECATION_NOTE).toMatch(/deprecated/);
    expect(DEPRECATION_NOTE).toMatch(/plan a move/);
  });

  it("documents the members of each group and of each mount entry, with their constraints", () => {
    const groups = spec.fields.find((f) => f.path === "groups")!;
    expect(nestedMembers(groups)).toEqual([
      { key: "desiredVmCount", type: "integer, 1..65536", required: true },
      { key: "instanceType", type: "string; empty or unset: the cluster's instanceType", required: false },
      { key: "resourceType", type: "one of `OnDemand`, `Spot`", required: true },
      { key: "spotStrategy", type: "one of `SpotWithPriceLimit`, `SpotAsPriceGo`", required: false },
      { key: "spotPriceLimit", type: "number, >= 0", required: false },
    ]);
    expect(md).toContain("`groups` (each value):");
    expect(md).toContain("`configs.mounts.entries` (each item):");
    expect(md).toContain("Keys are camelCase in the program and sent in PascalCase, like the fields above.");
  });

  it("keeps every table row readable and lists the cross-field rules and computed outputs", () => {
    for (const line of md.split("\n").filter((l) => l.startsWith("| `"))) {
      const typeCell = line.split(" | ")[1] ?? "";
      expect(typeCell.length).toBeLessThan(400);
      expect(typeCell).not.toMatch(/9007199254740991|\{ /);
    }
    expect(md).toContain("- `configs.networks.vpc.oppositeRouterId`: required when the cluster's VPC connects to an opposite router");
    expect(md).toContain("- `actualVmCounts`: running VMs per group");
  });
});
