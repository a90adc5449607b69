/**
 * Fixtures for alicloud.ens.NodePool: a running emulator with a seeded ENS cluster and the package's runtime pointed
 * at it, plus a simulated clock for tests where the client's rate limiter and the emulator's must agree on time.
 */
import * as diagnostics from "diagnostics_channel";
import { FakeClock, type Clock } from "../../provider/core/clock";
import { resetSharedLimiters } from "../../provider/core/http/client";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { CloudEmulator } from "../../provider/emulator";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";

/** An ENS edge cluster id (the API reference's example shape). */
export const ENS_CLUSTER = "eck-d2666c5f";

/**
 * The parameters of a recorded RPC call as the API reads them: the query merged with a form body (ENS sends the calls
 * that may carry the node password as a form, see provider/resources/ens-nodepool/api.ts).
 */
export function rpcParams(r: { query: Record<string, string>; body?: unknown }): Record<string, string> {
  const form = r.body !== null && typeof r.body === "object" ? (r.body as Record<string, string>) : {};
  return { ...r.query, ...form };
}

export const ENS_REGION = "cn-guiyang-14";

export interface EnsEnv {
  emulator: CloudEmulator;
  clock: Clock;
  progress: string[];
  env: Record<string, string>;
  ens: EnsService;
}

/**
 * Starts an emulator that shares `clock` with the package (default: a fake clock at the current time, whose sleeps
 * are instant), seeds {@link ENS_CLUSTER}, and points the package at it through the environment, as a user would.
 * The program-wide ENS rate limiters are forgotten so that each test's limiter runs on its own clock.
 */
export async function startEnsEnv(clock: Clock = new FakeClock(Date.now())): Promise<EnsEnv> {
  const emulator = await CloudEmulator.start({ clock });
  const ens = emulator.service<EnsService>("ens");
  ens.admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
  const env = {
    NODEPOOLS_ENDPOINT: emulator.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    ALICLOUD_REGION: "cn-hangzhou",
  };
  const progress: string[] = [];
  resetSharedLimiters();
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: (line) => progress.push(line),
    log: () => undefined,
  });
  return { emulator, clock, progress, env, ens };
}

export async function stopEnsEnv(e: EnsEnv | undefined): Promise<void> {
  setRuntimeOverrides({});
  resetSharedLimiters();
  await e?.emulator.stop();
}

/** A valid pool: required fields, a key pair, two nodes, and user data in plain text. */
export function ensPool(name = "edge"): Record<string, any> {
  return {
    clusterId: ENS_CLUSTER,
    nodepoolInfo: { name },
    scalingGroup: {
      desiredSize: 2,
      keyPairName: "edge-key",
      vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
      instanceChargeType: "PostPaid",
      instanceTypes: ["ens.sn1.small"],
      systemDiskCategory: "cloud_efficiency",
      systemDiskSize: 80,
      imageId: "m-6734fzvcwcv2o8jj201cpa7ox",
      dataDisks: [{ category: "cloud_efficiency", size: 80 }],
    },
    kubernetesConfig: { userData: "#!/bin/sh\necho joined" },
  };
}

/**
 * A clock for many concurrent calls against an in-process emulator that runs on the same clock: time stands still
 * while any HTTP request of this process is in flight, and otherwise jumps to the earliest pending sleep, waking
 * sleepers one at a time in the order they are due. So each request reaches the emulator at exactly the simulated
 * time its sender woke up, as if the network took no time, and nothing really sleeps.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers: Array<{ due: number; seq: number; wake: () => void }> = [];
  private inflight = 0;
  private activity = 0;
  private pumping = false;
  private readonly listeners: Array<[string, (message: unknown) => void]> = [];

  constructor(start = Date.now()) {
    this.time = start;
    const on = (channel: string, delta: number) => {
      const listener = () => {
        this.inflight = Math.max(0, this.inflight + delta);
        this.activity++;
        this.schedule();
      };
      diagnostics.subscribe(channel, listener);
      this.listeners.push([channel, listener]);
    };
    on("http.client.request.start", +1);
    on("http.client.response.finish", -1);
    on("http.client.request.error", -1);
  }

  now(): number {
    return this.time;
  }

  random(): number {
    return 0.5;
  }

  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((wake) => {
      this.timers.push({ due: this.time + ms, seq: this.seq++, wake });
      this.activity++;
      this.schedule();
    });
  }

  /** Stops listening to HTTP events; call when the test is done. */
  dispose(): void {
    for (const [channel, listener] of this.listeners) diagnostics.unsubscribe(channel, listener);
    this.listeners.length = 0;
  }

  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.timers.length && this.inflight === 0) this.schedule();
    });
  }

  /** Waits until nothing happened for a few event-loop turns with no request in flight, then wakes the next sleeper. */
  private async pump(): Promise<void> {
    while (this.timers.length) {
      const seen = this.activity;
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      if (this.inflight > 0) return; // a response restarts the pump
      if (this.activity !== seen) continue;
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.due);
      next.wake();
    }
  }
}
