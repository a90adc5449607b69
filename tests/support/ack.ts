/** Shared fixtures: a running emulator with a seeded cluster, and the package's runtime pointed at it. */
import { FakeClock } from "../../provider/core/clock";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { CloudEmulator } from "../../provider/emulator";

export const CLUSTER = "c0123456789abcdef0123456789abcdef";

export interface AckEnv {
  emulator: CloudEmulator;
  clock: FakeClock;
  progress: string[];
  /** Points the package at the emulator through the environment, as a user would. */
  env: Record<string, string>;
}

export async function startAckEnv(): Promise<AckEnv> {
  const emulator = await CloudEmulator.start();
  emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
  const env = {
    NODEPOOLS_ENDPOINT: emulator.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    ALICLOUD_REGION: "cn-hangzhou",
  };
  // Real time for signatures (the emulator checks the 15-minute window), instant sleeps for waiters and backoff.
  const clock = new FakeClock(Date.now());
  const progress: string[] = [];
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: (line) => progress.push(line),
    log: () => undefined,
  });
  return { emulator, clock, progress, env };
}

export async function stopAckEnv(e: AckEnv | undefined): Promise<void> {
  setRuntimeOverrides({});
  await e?.emulator.stop();
}

export function basePool(name = "gpu"): Record<string, any> {
  return {
    clusterId: CLUSTER,
    nodepoolInfo: { name },
    autoScaling: { enable: true, type: "gpu", minInstances: 0, maxInstances: 4 },
    scalingGroup: {
      vswitchIds: ["vsw-a", "vsw-b"],
      instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
      instanceChargeType: "PostPaid",
      keyPair: "ml-team",
      desiredSize: 2,
    },
    kubernetesConfig: {
      labels: [{ key: "accelerator", value: "a10" }],
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
      userData: "#!/bin/sh\necho ready",
    },
  };
}
