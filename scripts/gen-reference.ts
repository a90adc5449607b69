/**
 * Writes docs/reference.md from the field tables: one section per resource, rendered by `referenceMarkdown`
 * (provider/core/fields/docs.ts), so that the reference always says what check, diff and update really do.
 *
 *   node -r ts-node/register/transpile-only scripts/gen-reference.ts          # rewrite docs/reference.md
 *   node -r ts-node/register/transpile-only scripts/gen-reference.ts --check  # exit 1 if it is out of date
 *
 * tests/unit/reference-docs.test.ts fails when the committed file differs from the generated text.
 */
import * as fs from "fs";
import * as path from "path";
import { referenceMarkdown } from "../provider/core/fields/docs";
import type { ResourceSpec } from "../provider/core/fields/spec";
import { resourceSpecs } from "../provider/resources/specs";

export { resourceSpecs };

export const REFERENCE_PATH = path.join(__dirname, "..", "docs", "reference.md");
export const REGENERATE_COMMAND = "node -r ts-node/register/transpile-only scripts/gen-reference.ts";

export function generateReference(specs: ResourceSpec[] = resourceSpecs): string {
  const header = [
    "<!-- Generated from the field tables by scripts/gen-reference.ts. Do not edit by hand. -->",
    "",
    "# Resource reference",
    "",
    "This file is generated from each resource's field table (the same declarations that drive input checks,",
    "request bodies, read mapping and diff). To regenerate it after changing a table, run:",
    "",
    "```sh",
    REGENERATE_COMMAND,
    "```",
    "",
    "Resources:",
    "",
    ...specs.map((s) => `- [${s.name}](#${anchor(s.name)})`),
    "",
  ];
  return [header.join("\n"), ...specs.map(referenceMarkdown)].join("\n");
}

/** GitHub's heading anchor: lower case, punctuation other than "-" and "_" dropped, spaces as "-". */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

function main(argv: string[]): number {
  const text = generateReference();
  if (argv.includes("--check")) {
    const current = fs.existsSync(REFERENCE_PATH) ? fs.readFileSync(REFERENCE_PATH, "utf8") : "";
    if (current === text) return 0;
    console.error(`${path.relative(process.cwd(), REFERENCE_PATH)} is out of date; run: ${REGENERATE_COMMAND}`);
    return 1;
  }
  fs.mkdirSync(path.dirname(REFERENCE_PATH), { recursive: true });
  fs.writeFileSync(REFERENCE_PATH, text);
  console.log(`wrote ${path.relative(process.cwd(), REFERENCE_PATH)}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
