/**
 * docs/reference.md is generated from the field tables; the committed file must match what the tables say now.
 */
import * as fs from "fs";
import { describeType, nestedMembers, referenceMarkdown } from "../../provider/core/fields/docs";
import { ackNodePoolSpec } from "../../provider/resources/ack-nodepool/fields";
import { generateReference, REFERENCE_PATH, REGENERATE_COMMAND, resourceSpecs } from "../../scripts/gen-reference";

const field = (path: string) => {
  const f = ackNodePoolSpec.fields.find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path}`);
  return f;
};

describe("generated reference docs", () => {
  it("docs/reference.md matches the field tables", () => {
    const committed = fs.existsSync(REFERENCE_PATH) ? fs.readFileSync(REFERENCE_PATH, "utf8") : "";
    const generated = generateReference();
    if (committed !== generated) {
      throw new Error(`docs/reference.md is out of date with the field tables; regenerate it with:\n  ${REGENERATE_COMMAND}`);
    }
  });

  it("covers every resource spec, each field once", () => {
    const text = generateReference();
    expect(resourceSpecs).toContain(ackNodePoolSpec);
    for (const spec of resourceSpecs) {
      const section = referenceMarkdown(spec);
      expect(text).toContain(section);
      for (const f of spec.fields) {
        const rows = section.split("### Nested objects")[0].split("\n").filter((l) => l.startsWith(`| \`${f.path}\` |`));
        expect(rows).toHaveLength(1);
      }
    }
    expect(text).toContain(REGENERATE_COMMAND);
  });

  it("describes types with their documented constraints", () => {
    expect(describeType(field("scalingGroup.systemDiskSize"))).toBe("integer, 20..2048");
    expect(describeType(field("scalingGroup.vswitchIds"))).toBe("list of non-empty strings, 1-8 items");
    expect(describeType(field("scalingGroup.desiredSize"))).toBe("integer, >= 0");
    expect(describeType(field("autoScaling.type"))).toBe("one of `cpu`, `gpu`, `gpushare`, `spot`");
    expect(describeType(field("loginPassword"))).toMatch(/^string, 8-30 characters; at least three of/);
  });

  it("summarises nested objects by their keys and lists each key below the table", () => {
    const dataDisks = field("scalingGroup.dataDisks");
    expect(describeType(dataDisks)).toMatch(/^list of objects with keys `category`, `size`, /);
    expect(describeType(dataDisks).length).toBeLessThan(250);
    expect(nestedMembers(dataDisks)).toContainEqual({ key: "size", type: "integer, 40..32768", required: false });
    expect(nestedMembers(field("nodeComponents")).map((m) => m.key)).toEqual(["name", "version", "config", "config.customConfig"]);
    const md = referenceMarkdown(ackNodePoolSpec);
    expect(md).toContain("`scalingGroup.dataDisks` (each item):");
    expect(md).toContain("| `size` | integer, 40..32768 | no |");
  });

  it("keeps every table row readable", () => {
    for (const spec of resourceSpecs) {
      for (const line of referenceMarkdown(spec).split("\n").filter((l) => l.startsWith("| `"))) {
        const typeCell = line.split(" | ")[1] ?? "";
        expect(typeCell.length).toBeLessThan(400);
        expect(typeCell).not.toMatch(/9007199254740991|\{ /);
      }
    }
  });
});
