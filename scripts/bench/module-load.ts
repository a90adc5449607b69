/**
 * Cold module load in the provider host: a fresh `node` process per sample, in the repository root (where
 * `pulumi-nodepools` resolves to the built package through node_modules, as in a user's project), timing only the
 * `require` calls with `process.hrtime` inside the process (node's own start-up is not part of the figure).
 * Variants run interleaved, so that a busy machine slows them alike; the median is reported.
 */
import { execFileSync } from "child_process";
import * as path from "path";

export interface LoadVariant {
  name: string;
  /** JavaScript run between the two clock reads. */
  code: string;
}

export const LOAD_VARIANTS: LoadVariant[] = [
  {
    // What the host loads for a stack of ACK node pools: the entry point, then the handlers of the kind (configure).
    name: "handlers + ACK handler",
    code: `const h = require("pulumi-nodepools/handlers"); h.handlers("alicloud.ack.NodePool");`,
  },
  {
    name: "handlers + all five handlers",
    code: `const h = require("pulumi-nodepools/handlers"); for (const k of h.kinds) h.handlers(k);`,
  },
  { name: "axios + zod (floor)", code: `require("axios"); require("zod");` },
];

export const FLOOR_VARIANT = "axios + zod (floor)";

function sampleOnce(code: string, root: string): number {
  const script = `const t0 = process.hrtime.bigint(); ${code} const t1 = process.hrtime.bigint(); process.stdout.write(String(Number(t1 - t0) / 1e6));`;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return Number(out.trim());
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function moduleLoad(samples: number): Record<string, { medianMs: number; samplesMs: number[] }> {
  const root = path.resolve(__dirname, "..", "..");
  const raw: Record<string, number[]> = Object.fromEntries(LOAD_VARIANTS.map((v) => [v.name, []]));
  for (let i = 0; i < samples; i++) for (const v of LOAD_VARIANTS) raw[v.name].push(sampleOnce(v.code, root));
  return Object.fromEntries(Object.entries(raw).map(([k, xs]) => [k, { medianMs: median(xs), samplesMs: xs }]));
}
