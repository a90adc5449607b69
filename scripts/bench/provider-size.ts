/**
 * `__provider` as `pulumi.dynamic.Resource` serializes it, for each resource type of the package and for the floor
 * (the provider of programs/trivial, which does no work), captured through Pulumi's mock monitor as tests/protocol does.
 * The package is loaded from a project that has it installed under node_modules, as users have it (engine-stack.ts
 * `prepareProject`); the same from this checkout, where Pulumi serializes the provider by value, is reported beside
 * (both through tests/support/user-install.ts `serializedProviders`). The floor is captured in its own process
 * (`--provider-size-child`), so that the mocks never meet anything else of the bench.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { serializedProviders } from "../../tests/support/user-install";
import { trivialProvider } from "./programs/trivial/provider";

const ROOT = path.resolve(__dirname, "..", "..");

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

/** The floor's `__provider` text, under Pulumi's mocks (run in the child process). */
async function captureFloor(): Promise<unknown> {
  // Loaded here, not at the top: the parent process never sets mocks.
  const p: typeof pulumi = require("@pulumi/pulumi");
  let captured: unknown;
  await p.runtime.setMocks(
    {
      newResource: (args) => {
        captured = args.inputs.__provider;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "bench",
    "dev",
    false,
  );
  class Trivial extends p.dynamic.Resource {
    constructor(name: string) {
      super(trivialProvider, name, { nodepoolInfo: { name } }, undefined, "bench", "Trivial");
    }
  }
  const floor = new Trivial("floor");
  await new Promise<void>((resolve) => floor.urn.apply(() => resolve()));
  return captured;
}

export function providerSizes(project: string): ProviderSizes {
  const installed = serializedProviders(project);
  const checkout = serializedProviders(ROOT);
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--provider-size-child"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    maxBuffer: 16 * 1024 * 1024,
  });
  const floor: unknown = JSON.parse(out.trim().split("\n").pop()!);
  const all = [...Object.values(installed), ...Object.values(checkout), floor];
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const sizes = (texts: Record<string, string>) => Object.fromEntries(Object.entries(texts).map(([kind, t]) => [kind, Buffer.byteLength(text(t))]));
  return {
    types: sizes(installed),
    checkout: sizes(checkout),
    floor: Buffer.byteLength(text(floor)),
    allStrings: all.every((v) => typeof v === "string"),
    sample: text(installed["alicloud.ack.NodePool"]),
    checkoutSample: text(checkout["alicloud.ack.NodePool"]),
  };
}

if (require.main === module && process.argv.includes("--provider-size-child")) {
  captureFloor().then(
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
