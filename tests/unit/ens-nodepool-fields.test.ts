/**
 * The ENS node pool field table against its API document: every documented request parameter is declared once, the
 * documented required parameters are required, the documented value rules are the field types' rules, and the
 * change behaviour follows what ModifyClusterNodePool and ScaleClusterNodePool accept.
 */
import * as fs from "fs";
import { z } from "zod";
import { checkInputs } from "../../provider/core/fields/check";
import { referenceMarkdown } from "../../provider/core/fields/docs";
import type { FieldSpec } from "../../provider/core/fields/spec";
import { ensNodePoolSpec as spec, MODIFY, SCALE, SYSTEM_DISK_CATEGORIES } from "../../provider/resources/ens-nodepool/fields";

const API_DOC = "/work/shared/api-docs/alibaba-ens-CreateClusterNodePool.txt";

/** One parameter row of the document's request table: name, type and required, each on its own line. */
interface DocRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/**
 * The extracted document lists each parameter as name / type / Yes|No / description / example on separate lines.
 * Array item rows have no name (they start with their type, e.g. "string" then "No"), so only named rows are kept.
 */
function parseRequestRows(text: string): DocRow[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const start = lines.indexOf("Request parameters");
  const end = lines.indexOf("Response elements");
  if (start < 0 || end < start) throw new Error("the API document has no Request parameters ... Response elements section");
  const rows: DocRow[] = [];
  for (let i = start; i < end - 2; i++) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(lines[i])) continue;
    if (!/^(string|integer|boolean|object|array|array<object>)$/.test(lines[i + 1])) continue;
    if (!/^(Yes|No)$/.test(lines[i + 2])) continue;
    rows.push({ name: lines[i], type: lines[i + 1], required: lines[i + 2] === "Yes", description: lines[i + 3] ?? "" });
  }
  return rows;
}

const rows = parseRequestRows(fs.readFileSync(API_DOC, "utf8"));
const row = (name: string): DocRow => {
  const r = rows.find((x) => x.name === name);
  if (!r) throw new Error(`the document has no row ${name}`);
  return r;
};
const field = (path: string): FieldSpec => {
  const f = spec.fields.find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path}`);
  return f;
};

const isContainer = (type: string) => type === "object";

/** PascalCase keys of the objects inside a field's value (data disk members). */
function memberKeys(f: FieldSpec): string[] {
  type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema };
  const keys: string[] = [];
  const walk = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      keys.push(k.charAt(0).toUpperCase() + k.slice(1));
      walk(v);
    }
    walk(s.items);
  };
  walk(z.toJSONSchema(f.type, { unrepresentable: "any" }) as JsonSchema);
  return keys;
}

/** Documented parameters that no field of `fields` covers (by leaf name, container or nested member). */
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
  return rows
    .filter((r) => !(leaves.has(r.name) || members.has(r.name) || (isContainer(r.type) && containers.has(r.name))))
    .map((r) => r.name);
}

describe("ENS node pool field table: completeness against CreateClusterNodePool", () => {
  it("parses the document's request parameters", () => {
    expect(rows.map((r) => r.name)).toEqual([
      "ClusterId", "NodepoolInfo", "Name", "ScalingGroup", "DesiredSize", "KeyPairName", "VswitchIds", "InstanceChargeType",
      "InstanceTypes", "SystemDiskCategory", "SystemDiskSize", "ImageId", "DataDisks", "Category", "Size", "Password",
      "KubernetesConfig", "PreUserData", "UserData",
    ]);
    expect(row("DataDisks").type).toBe("array<object>");
  });

  it("declares every documented request parameter", () => {
    expect(uncovered(spec.fields)).toEqual([]);
  });

  it("reports a documented parameter that is removed from a copy of the table", () => {
    const without = (path: string) => spec.fields.filter((f) => f.path !== path);
    expect(uncovered(without("scalingGroup.imageId"))).toEqual(["ImageId"]);
    // An array field takes its documented item members with it.
    expect(uncovered(without("scalingGroup.dataDisks"))).toEqual(["DataDisks", "Category", "Size"]);
    // A documented container is covered only through the fields below it.
    expect(uncovered(without("nodepoolInfo.name"))).toEqual(["NodepoolInfo", "Name"]);
    expect(uncovered(without("password"))).toEqual(["Password"]);
  });

  it("requires exactly the parameters the document marks as required", () => {
    const documented = rows.filter((r) => r.required && !isContainer(r.type)).map((r) => r.name).sort();
    const declared = spec.fields.filter((f) => f.required).map((f) => f.wire!.split(".").pop()).sort();
    expect(declared).toEqual(documented);
    expect(documented).toEqual(["ClusterId", "ImageId", "InstanceTypes", "Name", "VswitchIds"]);
  });

  it("allows exactly the documented system disk categories", () => {
    const listed = /Valid values: (.*)\./.exec(row("SystemDiskCategory").description)![1].replace(/ and /, " ").split(/,\s*/).map((s) => s.trim());
    expect([...SYSTEM_DISK_CATEGORIES].sort()).toEqual(listed.sort());
    const type = field("scalingGroup.systemDiskCategory").type;
    for (const c of listed) expect(type.safeParse(c).success).toBe(true);
    expect(type.safeParse("cloud_essd").success).toBe(false);
  });

  it.each([
    ["SystemDiskSize", (v: number) => field("scalingGroup.systemDiskSize").type.safeParse(v).success],
    ["Size", (v: number) => field("scalingGroup.dataDisks").type.safeParse([{ size: v }]).success],
  ])("applies the documented rule of %s: at least 20 and a multiple of 10", (name, accepts) => {
    expect(row(name).description).toMatch(/at least 20 and a multiple of 10/);
    expect([20, 30, 80, 2000].map(accepts)).toEqual([true, true, true, true]);
    expect([10, 19, 25, 81, 20.5].map(accepts)).toEqual([false, false, false, false, false]);
  });

  it("states the documented login rule (key pair or password, exactly one) as a cross-field rule", () => {
    expect(row("KeyPairName").description).toMatch(/either this parameter or Password/);
    expect(row("Password").description).toMatch(/either this parameter or KeyPairName/);
    expect(spec.rules.map((r) => r.paths)).toContainEqual(["scalingGroup.keyPairName", "password"]);
  });
});

describe("ENS node pool field table: classification and consistency", () => {
  it.each(spec.fields.map((f) => [f.path, f] as const))("classifies %s", (_path, f) => {
    expect(["replace", "update", "local"]).toContain(f.change.kind);
    if (f.change.kind === "update") expect(spec.updateCalls).toContain(f.change.call);
    if (f.change.kind !== "local") {
      expect(f.change.source.trim()).not.toBe("");
      expect(f.wire).toBeDefined();
    } else {
      expect(f.wire).toBeUndefined();
    }
    expect(f.doc.trim()).not.toBe("");
  });

  it("updates in place exactly the fields ModifyClusterNodePool accepts, and the desired size through ScaleClusterNodePool", () => {
    const byCall = (call: string) => spec.fields.filter((f) => f.change.kind === "update" && f.change.call === call).map((f) => f.wire);
    expect(byCall(MODIFY).sort()).toEqual(
      [
        "ScalingGroup.DataDisks", "ScalingGroup.ImageId", "ScalingGroup.InstanceChargeType", "ScalingGroup.InstanceTypes",
        "ScalingGroup.KeyPairName", "ScalingGroup.Password", "ScalingGroup.SystemDiskCategory", "ScalingGroup.SystemDiskSize",
        "ScalingGroup.VswitchIds", "KubernetesConfig.PreUserData", "KubernetesConfig.UserData",
      ].sort(),
    );
    expect(byCall(SCALE)).toEqual(["ScalingGroup.DesiredSize"]);
    expect(field("scalingGroup.desiredSize").updateWire).toBe("Count");
  });

  it("replaces the pool for everything else the cloud sees: the cluster and the name", () => {
    expect(spec.fields.filter((f) => f.change.kind === "replace").map((f) => f.path)).toEqual(["clusterId", "nodepoolInfo.name"]);
  });

  it("runs ModifyClusterNodePool before ScaleClusterNodePool, so that added nodes get the new configuration", () => {
    expect(spec.updateCalls).toEqual([MODIFY, SCALE]);
  });

  it("keeps the password a top-level secret that is never read back (the list returns it masked)", () => {
    const secrets = spec.fields.filter((f) => f.secret);
    expect(secrets.map((f) => [f.path, f.wire, f.readable])).toEqual([["password", "ScalingGroup.Password", false]]);
  });

  it("reads the desired size back from the pool status, as the list has no ScalingGroup.DesiredSize", () => {
    expect(field("scalingGroup.desiredSize").readWire).toBe("Status.DesiredNodes");
  });

  it("derives every input path from its wire path, except the top-level secret", () => {
    const differing: Record<string, string> = {};
    for (const f of spec.fields) {
      if (!f.wire) continue;
      const camel = f.wire.split(".").map((s) => s.charAt(0).toLowerCase() + s.slice(1)).join(".");
      if (camel !== f.path) differing[f.path] = f.wire;
    }
    expect(differing).toEqual({ password: "ScalingGroup.Password" });
  });

  it("has unique input paths and wire paths, none nested inside another", () => {
    const paths = spec.fields.map((f) => f.path);
    const wires = spec.fields.flatMap((f) => (f.wire ? [f.wire] : []));
    for (const list of [paths, wires]) {
      expect(new Set(list).size).toBe(list.length);
      for (const a of list) for (const b of list) expect(b.startsWith(`${a}.`)).toBe(false);
    }
  });

  it("compares vSwitches and instance types as sets (no documented order), but keeps data disks in attach order", () => {
    expect(field("scalingGroup.vswitchIds").normalise).toBe("unordered");
    expect(field("scalingGroup.instanceTypes").normalise).toBe("unordered");
    expect(field("scalingGroup.dataDisks").normalise).toBeUndefined();
  });

  it("stores both scripts as base64 and clears removed data disks", () => {
    expect(field("kubernetesConfig.userData").normalise).toBe("base64");
    expect(field("kubernetesConfig.preUserData").normalise).toBe("base64");
    expect(field("scalingGroup.dataDisks")).toMatchObject({ unset: "clear", clearValue: [] });
  });

  it("marks every ModifyClusterNodePool field as reaching only nodes added afterwards (it changes the pool's template)", () => {
    const modifyFields = spec.fields.filter((f) => f.change.kind === "update" && f.change.call === MODIFY);
    expect(modifyFields.filter((f) => !f.newNodesOnly).map((f) => f.path)).toEqual([]);
    expect(field("scalingGroup.desiredSize").newNodesOnly).toBeUndefined();
  });

  it("gives the cross-resource tests a valid example and the review its type token and node count", () => {
    expect(checkInputs(spec, spec.example).failures).toEqual([]);
    expect(spec.review?.typeToken).toBe("pulumi-nodejs:dynamic/alicloud/ens:NodePool");
    expect(spec.review?.runningNodes({ status: { totalNodes: 3 } })).toBe(3);
    expect(spec.review?.runningNodes({})).toBeUndefined();
  });

  it("documents the scale-in decision, the timeouts' defaults and the replacement order in the reference", () => {
    const md = referenceMarkdown(spec);
    expect(md).toContain("## alicloud.ens.NodePool");
    const desired = md.split("\n").find((l) => l.startsWith("| `scalingGroup.desiredSize` |"))!;
    expect(desired).toMatch(/ScaleClusterNodePool/);
    expect(desired).toMatch(/lower value is rejected at preview/);
    expect(desired).toMatch(/DeleteClusterNodes/);
    expect(md).toMatch(/default 60m/);
    expect(md).toMatch(/default 30m/);
    expect(md).toMatch(/creates the new pool before deleting the old one/);
    expect(md).toMatch(/ModifyClusterNodePool` runs before `ScaleClusterNodePool/);
    expect(md).toContain("`scalingGroup.dataDisks` (each item):");
    expect(md).toMatch(/\| `size` \| integer, >= 20, multiple of 10 \| no \|/);
  });
});
