/**
 * The soak stack, shared by the soak program (program/index.ts) and the soak script (scripts/soak.ts): which kind
 * pool `i` is, its cloud name, what each phase changes, and the cloud objects the pools live in.
 */

export const KINDS = ["ack", "ens", "eflo", "batchcompute", "modelarts"] as const;
export type Kind = (typeof KINDS)[number];

/** The phases of the soak program (stack config `phase`). */
export type Phase = "create" | "update" | "replace";

export const FIXTURES = {
  region: "cn-hangzhou",
  ackCluster: "c50a50a50a50a50a50a50a50a50a50a5",
  ensCluster: "eck-50a50a50",
  ensRegion: "cn-guiyang-14",
  efloCluster: "i150000000000000000001",
  modelartsPool: "pool-soak",
  huaweiRegion: "cn-north-4",
} as const;

export const kindOf = (i: number): Kind => KINDS[i % KINDS.length];

/** The Pulumi resource name of pool `i`. */
export const resourceName = (i: number): string => `pool-${String(i).padStart(3, "0")}`;

/** The cloud name of pool `i` (`soak-007`); ENS pools are replaced by a rename, to `soak-007-r`. */
export const cloudName = (i: number, renamed = false): string => `soak-${String(i).padStart(3, "0")}${renamed ? "-r" : ""}`;

/** The pool index of a cloud name, or undefined for a name the soak did not make. */
export function indexOfCloudName(name: string): number | undefined {
  const m = /^soak-(\d{3,})(?:-r)?$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Pools replaced in the `replace` phase: every fourth group of five, so about a quarter of each kind. */
export const isReplaced = (i: number): boolean => Math.floor(i / KINDS.length) % 4 === 0;
