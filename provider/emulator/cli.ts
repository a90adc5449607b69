#!/usr/bin/env node
/**
 * `npm run emulator` (node dist/provider/emulator/cli.js): runs the local cloud emulator until interrupted.
 *
 *   --port N              listen port (default $NODEPOOLS_EMULATOR_PORT, else 0 = a free port)
 *   --host H              listen address (default 127.0.0.1)
 *   --seed-cluster ID     seed an ACK cluster (repeatable; default: one fixed cluster id)
 *   --region R            region of the seeded clusters (default cn-hangzhou)
 *   --progression P       immediate | manual | polls:N | time:MS (default immediate)
 */
import { CloudEmulator, EMULATOR_DEFAULT_REGION } from "./server";
import type { Progression } from "./framework";

/** Used when no --seed-cluster is given, so that a demo always has a cluster to put pools in. */
export const DEFAULT_SEED_CLUSTER = "c0123456789abcdef0123456789abcdef";

export const USAGE =
  "usage: emulator [--port N] [--host H] [--seed-cluster ID]... [--region R] [--progression immediate|manual|polls:N|time:MS]";

class UsageRequested extends Error {
  constructor() {
    super(USAGE);
  }
}

export interface CliOptions {
  host: string;
  port: number;
  region: string;
  clusters: string[];
  progression: Progression;
}

export function parseProgressionArg(s: string): Progression {
  if (s === "immediate" || s === "manual") return { kind: s };
  const m = /^(polls|time):(\d+)$/.exec(s);
  if (m) return m[1] === "polls" ? { kind: "polls", count: Number(m[2]) } : { kind: "time", ms: Number(m[2]) };
  throw new Error(`--progression must be immediate, manual, polls:N or time:MS (got ${s})`);
}

export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = process.env): CliOptions {
  const opts: CliOptions = {
    host: "127.0.0.1",
    port: env.NODEPOOLS_EMULATOR_PORT ? Number(env.NODEPOOLS_EMULATOR_PORT) : 0,
    region: EMULATOR_DEFAULT_REGION,
    clusters: [],
    progression: { kind: "immediate" },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case "--port":
        opts.port = Number(value());
        break;
      case "--host":
        opts.host = value();
        break;
      case "--seed-cluster":
        opts.clusters.push(value());
        break;
      case "--region":
        opts.region = value();
        break;
      case "--progression":
        opts.progression = parseProgressionArg(value());
        break;
      case "--help":
      case "-h":
        throw new UsageRequested();
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`invalid port ${opts.port}`);
  if (opts.clusters.length === 0) opts.clusters.push(DEFAULT_SEED_CLUSTER);
  return opts;
}

export function banner(emulator: CloudEmulator, opts: CliOptions): string {
  const { accessKeyId, accessKeySecret } = emulator.credentials;
  return [
    `pulumi-nodepools cloud emulator listening on ${emulator.endpoint}`,
    ``,
    `test access key id:     ${accessKeyId}`,
    `test access key secret: ${accessKeySecret}`,
    `seeded ACK clusters (${opts.region}): ${opts.clusters.join(", ")}`,
    ``,
    `To use it:`,
    `  export NODEPOOLS_ENDPOINT=${emulator.endpoint}`,
    `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${accessKeyId}`,
    `  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${accessKeySecret}`,
    `  export ALICLOUD_REGION=${opts.region}`,
    ``,
    `Admin: ${emulator.endpoint}/_emulator (reset, clusters, faults, progression, rate-limit, requests, ack/...)`,
    `Press Ctrl+C to stop.`,
  ].join("\n");
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageRequested) {
      console.log(USAGE);
      return;
    }
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const emulator = await CloudEmulator.start({
    host: opts.host,
    port: opts.port,
    progression: opts.progression,
    seedClusters: opts.clusters.map((clusterId) => ({ clusterId, region: opts.region })),
  });
  console.log(banner(emulator, opts));
  const shutdown = () => {
    emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
