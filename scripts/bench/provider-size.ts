/**
 * `__provider` as `pulumi.dynamic.Resource` serializes it, for each resource type of the package and for the floor
 * (the provider of programs/trivial, which does no work), captured through Pulumi's mock monitor as tests/protocol does.
 * The package is loaded from a project that has it installed under node_modules, as users have it (engine-stack.ts
 * `prepareProject`); the same from this checkout, where Pulumi serializes the provider by value, is reported beside.
 * Runs in its own process (`--provider-size-child`), so that the mocks never meet anything else of the bench.
 */
import { execFileSync } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { trivialProvider } from "./programs/trivial/provider";

export interface ProviderSizes {
  /** Resource type (`alicloud.ack.NodePool`) -> bytes of its `__provider` text, package installed under node_modules. */
  types: Record<string, number>;
  /** The same with the package loaded from this checkout (serialized by value: `npm link`, a workspace). */
  checkout: Record<string, number>;
  /** The trivial provider's text, for the floor. */
  floor: number;
  /** Whether every captured text was a plain string (a secret `__provider` would arrive as an object). */
  allStrings: boolean;
  /** The installed ACK text. */
  sample: string;
  /** The ACK text from the checkout. */
  checkoutSample: string;
}

const KINDS = ["alicloud.ack.NodePool", "alicloud.ens.NodePool", "alicloud.eflo.NodeGroup", "alicloud.batchcompute.Cluster", "huaweicloud.modelarts.NodePool"];

async function capture(project: string): Promise<ProviderSizes> {
  // Loaded here, not at the top: the parent process never sets mocks.
  const p: typeof pulumi = require("@pulumi/pulumi");
  const captured = new Map<string, unknown>();
  await p.runtime.setMocks(
    {
      newResource: (args) => {
        captured.set(args.name, args.inputs.__provider);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "bench",
    "dev",
    false,
  );
  // By package name, as a user's program loads it: from the project (a copy under node_modules), and from here (dist/).
  const sources: Record<"installed" | "checkout", any> = {
    installed: createRequire(path.join(project, "program.js"))("pulumi-nodepools"),
    checkout: require("pulumi-nodepools"),
  };
  const resources: pulumi.CustomResource[] = [];
  for (const [where, pkg] of Object.entries(sources)) {
    const classes = [pkg.alicloud.ack.NodePool, pkg.alicloud.ens.NodePool, pkg.alicloud.eflo.NodeGroup, pkg.alicloud.batchcompute.Cluster, pkg.huaweicloud.modelarts.NodePool];
    classes.forEach((C, i) => resources.push(new C(`${KINDS[i]}/${where}`, {})));
  }
  class Trivial extends p.dynamic.Resource {
    constructor(name: string) {
      super(trivialProvider, name, { nodepoolInfo: { name } }, undefined, "bench", "Trivial");
    }
  }
  resources.push(new Trivial("floor"));
  await Promise.all(resources.map((r) => new Promise<void>((resolve) => r.urn.apply(() => resolve()))));
  let allStrings = true;
  const text = (name: string) => {
    const v = captured.get(name);
    if (v === undefined) throw new Error(`no registration of ${name} was captured (saw ${[...captured.keys()].join(", ")})`);
    if (typeof v !== "string") allStrings = false;
    return typeof v === "string" ? v : JSON.stringify(v);
  };
  const sizes = (where: string) => Object.fromEntries(KINDS.map((k) => [k, Buffer.byteLength(text(`${k}/${where}`))]));
  return {
    types: sizes("installed"),
    checkout: sizes("checkout"),
    floor: Buffer.byteLength(text("floor")),
    allStrings,
    sample: text("alicloud.ack.NodePool/installed"),
    checkoutSample: text("alicloud.ack.NodePool/checkout"),
  };
}

/** Captures the sizes in a child process (ts-node, transpile only). */
export function providerSizes(project: string): ProviderSizes {
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--provider-size-child", project], {
    cwd: path.resolve(__dirname, "..", ".."),
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, "..", "..", "tsconfig.json") },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = out.trim().split("\n").pop()!;
  return JSON.parse(line);
}

if (require.main === module && process.argv.includes("--provider-size-child")) {
  capture(process.argv[process.argv.indexOf("--provider-size-child") + 1]).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
