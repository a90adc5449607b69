#!/usr/bin/env node
/**
 * The package's command line: `pulumi-nodepools review [preview.json]` (or JSON on standard input).
 */
import * as fs from "fs";
import { parseDigest, review } from "./review/review";
import { resourceSpecs } from "./resources/specs";

const USAGE = `Usage: pulumi-nodepools review [preview.json] [options]

Turns the JSON of \`pulumi preview --json\` into a Markdown summary of node pool changes for a pull request.
Reads standard input when no file is given.

Options:
  --fail-on-replace     exit with status 2 when a pool that runs nodes would be replaced
  --fail-on-node-loss   exit with status 2 when any replacement, deletion or scale-in removes running nodes
  --output FILE         write the Markdown to FILE instead of standard output
  -h, --help            show this help

Exit status: 0 summary written; 1 bad usage or input; 2 a --fail-on-* condition holds (summary still written).`;

export interface CliIo {
  stdin: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string;
  writeFile: (path: string, text: string) => void;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help") {
    io.stdout(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  if (command !== "review") {
    io.stderr(`pulumi-nodepools: unknown command "${command}"\n\n${USAGE}\n`);
    return 1;
  }
  let file: string | undefined;
  let output: string | undefined;
  let failOnReplace = false;
  let failOnNodeLoss = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--fail-on-replace") failOnReplace = true;
    else if (a === "--fail-on-node-loss") failOnNodeLoss = true;
    else if (a === "--output") {
      output = rest[++i];
      if (!output) {
        io.stderr("pulumi-nodepools review: --output needs a file name\n");
        return 1;
      }
    } else if (a === "-h" || a === "--help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith("-") && a !== "-") {
      io.stderr(`pulumi-nodepools review: unknown option ${a}\n\n${USAGE}\n`);
      return 1;
    } else if (file === undefined) file = a;
    else {
      io.stderr("pulumi-nodepools review: give at most one input file\n");
      return 1;
    }
  }
  let text: string;
  try {
    text = file && file !== "-" ? io.readFile(file) : await io.stdin();
  } catch (e) {
    io.stderr(`pulumi-nodepools review: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  let result;
  try {
    result = review(parseDigest(text), { specs: resourceSpecs });
  } catch (e) {
    io.stderr(`pulumi-nodepools review: ${(e as Error).message}\n`);
    return 1;
  }
  if (output) io.writeFile(output, result.markdown);
  else io.stdout(result.markdown);
  const replacesRunning = result.pools.some((p) => p.action === "replace" && p.nodesRemoved > 0);
  const losesNodes = result.pools.some((p) => p.nodesRemoved > 0);
  if ((failOnReplace && replacesRunning) || (failOnNodeLoss && losesNodes)) {
    io.stderr("pulumi-nodepools review: the plan removes running nodes (see the summary)\n");
    return 2;
  }
  return 0;
}

if (require.main === module) {
  const io: CliIo = {
    stdin: () =>
      new Promise((resolve, reject) => {
        let data = "";
        process.stdin.setEncoding("utf8");
        process.stdin.on("data", (c) => (data += c));
        process.stdin.on("end", () => resolve(data));
        process.stdin.on("error", reject);
      }),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => fs.readFileSync(p, "utf8"),
    writeFile: (p, t) => fs.writeFileSync(p, t),
  };
  main(process.argv.slice(2), io).then((code) => (process.exitCode = code));
}
