/**
 * `__provider` as `pulumi.dynamic.Resource` serializes it, for each resource type of the package and for the floor
 * (the provider of programs/trivial, which does no work), captured through Pulumi's mock monitor as tests/protocol does.
 * Runs in its own process (`--provider-size-child`), so that the mocks never meet anything else of the bench.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { trivialProvider } from "./programs/trivial/provider";

export interface ProviderSizes {
  /** Resource type (`alicloud.ack.NodePool`) -> bytes of its `__provider` text. */
  types: Record<string, number>;
  /** The trivial provider's text, for the floor. */
  floor: number;
  /** Whether every captured text was a plain string (a secret `__provider` would arrive as an object). */
  allStrings: boolean;
  sample: string;
  /** Bytes of the ACK shim's own method text inside the sample (the rest is the serializer's frame). */
  methodBytes: number;
}

async function capture(): Promise<ProviderSizes> {
  // Loaded here, not at the top: the parent process never sets mocks.
  const p: typeof pulumi = require("@pulumi/pulumi");
  const captured = new Map<string, unknown>();
  await p.runtime.setMocks(
    {
      newResource: (args) => {
        captured.set(args.type, args.inputs.__provider);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "bench",
    "dev",
    false,
  );
  // Loaded by package name, from dist/, as a user's program loads it.
  const { alicloud, huaweicloud } = require("pulumi-nodepools");
  const resources: Array<[string, pulumi.CustomResource]> = [
    ["alicloud.ack.NodePool", new alicloud.ack.NodePool("a", {})],
    ["alicloud.ens.NodePool", new alicloud.ens.NodePool("b", {})],
    ["alicloud.eflo.NodeGroup", new alicloud.eflo.NodeGroup("c", {})],
    ["alicloud.batchcompute.Cluster", new alicloud.batchcompute.Cluster("d", {})],
    ["huaweicloud.modelarts.NodePool", new huaweicloud.modelarts.NodePool("e", {})],
  ];
  class Trivial extends p.dynamic.Resource {
    constructor(name: string) {
      super(trivialProvider, name, { nodepoolInfo: { name } }, undefined, "bench", "Trivial");
    }
  }
  const floorResource = new Trivial("f");
  await Promise.all([...resources.map(([, r]) => r), floorResource].map((r) => new Promise<void>((resolve) => r.urn.apply(() => resolve()))));
  const byType = (token: string) => {
    const v = captured.get(token);
    return typeof v === "string" ? v : JSON.stringify(v ?? "");
  };
  const types: Record<string, number> = {};
  let allStrings = true;
  const tokens = [...captured.keys()];
  for (const [kind] of resources) {
    // Tokens look like pulumi-nodejs:dynamic/alicloud/ack:NodePool.
    const [cloud, product, cls] = kind.split(".");
    const token = tokens.find((t) => t === `pulumi-nodejs:dynamic/${cloud}/${product}:${cls}`);
    if (!token) throw new Error(`no registration of ${kind} was captured (saw ${tokens.join(", ")})`);
    if (typeof captured.get(token) !== "string") allStrings = false;
    types[kind] = Buffer.byteLength(byType(token));
  }
  const floorText = byType("pulumi-nodejs:dynamic/bench:Trivial");
  const sample = byType("pulumi-nodejs:dynamic/alicloud/ack:NodePool");
  const start = sample.indexOf("return function");
  const methodBytes = start < 0 ? 0 : Buffer.byteLength(sample.slice(start, sample.indexOf("};", start) + 2));
  return { types, floor: Buffer.byteLength(floorText), allStrings, sample, methodBytes };
}

/** Captures the sizes in a child process (ts-node, transpile only). */
export function providerSizes(): ProviderSizes {
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--provider-size-child"], {
    cwd: path.resolve(__dirname, "..", ".."),
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, "..", "..", "tsconfig.json") },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = out.trim().split("\n").pop()!;
  return JSON.parse(line);
}

if (require.main === module && process.argv.includes("--provider-size-child")) {
  capture().then(
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
