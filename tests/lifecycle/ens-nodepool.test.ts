/**
 * Lifecycle of `alicloud.ens.NodePool` through the test engine against the local cloud emulator, as Terraform
 * acceptance steps: create, update in place (ModifyClusterNodePool, then a scale-out through ScaleClusterNodePool),
 * scale-in refused at preview, invalid input, unknown inputs during preview, replacement, drift (deleted and changed
 * outside Pulumi), destroy. Every `up` is followed by a preview that must be empty (the harness). Then one program
 * that creates 30 pools against an emulator that enforces the documented 10-calls-per-second limit.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import { ENS_RATE_LIMITED_ACTIONS, type EnsService } from "../../provider/emulator/services/ens-nodepool";
import { ENS_CLUSTER, ENS_REGION, ensPool, rpcParams } from "../support/ens";
import { TestEngine, UNKNOWN, type OperationResult, type Step } from "../engine";
import { runSteps, type AcceptanceStep } from "./harness";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "ens-nodepool");
const NODEPOOL = "pulumi-nodejs:dynamic/alicloud/ens:NodePool";
const URN = `urn:pulumi:dev::ens-lifecycle::${NODEPOOL}::edge`;
const MUTATING = ["CreateClusterNodePool", "ModifyClusterNodePool", "ScaleClusterNodePool", "DeleteClusterNodePool"];

interface Ctx {
  engine: TestEngine;
  emulator: CloudEmulator;
  ens: EnsService;
  pool: Record<string, any>;
  /** Pool ids seen so far, in order. */
  ids: string[];
}

const poolStep = (r: OperationResult, op?: string): Step | undefined => r.steps.find((s) => s.type === NODEPOOL && (!op || s.op === op));
const writes = (emulator: CloudEmulator): RecordedRequest[] => emulator.requests({ service: "ens" }).filter((q) => MUTATING.includes(q.action ?? ""));
/** A recorded RPC call as the API sees it: its action and its parameters, the object ones parsed from their JSON strings. */
function call(q: RecordedRequest): [string, Record<string, unknown>] {
  const params = Object.fromEntries(Object.entries(rpcParams(q)).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
  return [q.action!, params];
}
const cloudPools = (ens: EnsService) => ens.admin.pools(ENS_CLUSTER);
const currentId = (engine: TestEngine) => engine.state().resources.find((r) => r.urn === URN)?.id;
const nodepoolIdOf = (id: string) => id.split(":")[1];

function setPool(ctx: Ctx, edit: (p: Record<string, any>) => void): void {
  edit(ctx.pool);
  ctx.engine.setConfig("pool", ctx.pool);
}

const steps: Array<AcceptanceStep<Ctx>> = [
  {
    name: "create the pool",
    check: (r, { emulator, ens, ids, engine }) => {
      expect(poolStep(r)?.op).toBe("create");
      const pools = cloudPools(ens);
      expect(pools).toHaveLength(1);
      expect(pools[0]).toMatchObject({ NodepoolInfo: { Name: "edge", EnsRegionId: ENS_REGION }, Status: { State: "active", TotalNodes: 2 } });
      const id = currentId(engine)!;
      expect(id).toBe(`${ENS_CLUSTER}:${pools[0].NodepoolInfo.NodepoolId}`);
      expect(r.outputs).toEqual({ id, nodePoolId: nodepoolIdOf(id), state: "active", totalNodes: 2 });
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateClusterNodePool"]);
      ids.push(id);
    },
    // The harness then checks that a preview shows no change and that a refresh changes nothing.
    expectEmptyRefresh: true,
  },
  {
    name: "change imageId and raise desiredSize 2 -> 3: same id, ModifyClusterNodePool with only the image, then ScaleClusterNodePool",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => {
        p.scalingGroup.imageId = "m-edge-v2";
        p.scalingGroup.desiredSize = 3;
      });
    },
    check: (r, { emulator, ens, engine, ids }) => {
      const step = poolStep(r)!;
      expect(step).toMatchObject({ op: "update", diffReasons: ["scalingGroup"] });
      expect(Object.keys(step.detailedDiff!).sort()).toEqual(["scalingGroup.desiredSize", "scalingGroup.imageId"]);
      expect(currentId(engine)).toBe(ids[0]);
      // Modify first (so that the new nodes get the new image), then the scale-out with the new total.
      expect(writes(emulator).map(call)).toEqual([
        ["ModifyClusterNodePool", { ClusterId: ENS_CLUSTER, NodepoolInfo: { NodepoolId: nodepoolIdOf(ids[0]) }, ScalingGroup: { ImageId: "m-edge-v2" } }],
        ["ScaleClusterNodePool", { ClusterId: ENS_CLUSTER, NodepoolId: nodepoolIdOf(ids[0]), Body: { Count: 3 } }],
      ]);
      expect(r.outputs).toMatchObject({ state: "active", totalNodes: 3 });
      expect(cloudPools(ens)[0]).toMatchObject({ ScalingGroup: { ImageId: "m-edge-v2" }, Status: { TotalNodes: 3 } });
    },
  },
  {
    name: "lower desiredSize 3 -> 2: the preview fails with the documented scale-in refusal and calls no API",
    op: "preview",
    expectError:
      /property scalingGroup\.desiredSize value \{2\} has a problem: cannot be lowered from 3 to 2 in place: ENS ScaleClusterNodePool only adds nodes .*DeleteClusterNodes.*pulumi refresh/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => (p.scalingGroup.desiredSize = 2));
    },
    check: (r, { emulator }) => {
      expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ urn: URN, source: "provider" });
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "invalid input: the preview fails with the property path and the rule, and calls no API",
    op: "preview",
    expectError: /property scalingGroup\.systemDiskSize value \{25\} has a problem: .*multiple of 10/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => {
        p.scalingGroup.desiredSize = 3;
        p.scalingGroup.systemDiskSize = 25;
      });
    },
    check: (r, { emulator }) => {
      expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ urn: URN, source: "provider" });
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "vSwitch id from another resource: unknown during the preview, no failure and no API call",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setPool(ctx, (p) => (p.scalingGroup.systemDiskSize = 80));
      ctx.engine.setConfig("vswitchFromResource", true);
    },
    check: (r, { emulator }) => {
      const step = poolStep(r)!;
      expect(step.op).toBe("update");
      expect(step.new!.inputs.scalingGroup).toMatchObject({ vswitchIds: [UNKNOWN] });
      expect(r.rendered).toMatch(/\[0\]: "vsw-58eu2p6v64qw8ihhit1wz7wgv" => \[unknown\]/);
      expect(r.notes.join("\n")).toMatch(/simulated: alicloud:ens\/vswitch:Vswitch "edge-vswitch"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "rename the pool: replaced (new pool created first, then the old one deleted), replaceReasons names the property",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.engine.removeConfig("vswitchFromResource");
      setPool(ctx, (p) => (p.nodepoolInfo.name = "edge-v2"));
    },
    check: (r, { emulator, ens, engine, ids }) => {
      const poolSteps = r.steps.filter((s) => s.type === NODEPOOL);
      // A new name is free, so the engine's default order applies: create the replacement, then delete the old pool.
      expect(poolSteps.map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      expect(poolSteps[1]).toMatchObject({ replaceReasons: ["nodepoolInfo.name"], deleteBeforeReplace: false });
      expect(poolSteps[1].detailedDiff).toMatchObject({ "nodepoolInfo.name": { kind: "update-replace" } });
      expect(r.json.steps!.find((s) => s.urn === URN)).toMatchObject({ op: "replace", replaceReasons: ["nodepoolInfo.name"] });
      expect(r.rendered).toMatch(/name\s*: "edge" => "edge-v2"/);
      const id = currentId(engine)!;
      expect(id).not.toBe(ids[ids.length - 1]);
      expect(writes(emulator).map(call)).toEqual([
        ["CreateClusterNodePool", expect.objectContaining({ NodepoolInfo: { Name: "edge-v2" } })],
        ["DeleteClusterNodePool", { ClusterId: ENS_CLUSTER, NodepoolId: nodepoolIdOf(ids[ids.length - 1]) }],
      ]);
      expect(cloudPools(ens).map((p) => `${ENS_CLUSTER}:${p.NodepoolInfo.NodepoolId}`)).toEqual([id]);
      ids.push(id);
    },
  },
  {
    name: "pool deleted outside Pulumi: refresh removes it from the state",
    op: "refresh",
    prepare: ({ ens, ids }) => ens.admin.deletePool(ENS_CLUSTER, nodepoolIdOf(ids[ids.length - 1])),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "delete" });
      expect(r.changeSummary).toMatchObject({ delete: 1 });
      expect(currentId(engine)).toBeUndefined();
    },
  },
  {
    name: "the next up creates it again",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, ens, ids }) => {
      expect(poolStep(r)?.op).toBe("create");
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateClusterNodePool"]);
      expect(cloudPools(ens)).toHaveLength(1);
      ids.push(currentId(engine)!);
    },
  },
  {
    name: "pool changed outside Pulumi: refresh shows the drift",
    op: "refresh",
    prepare: ({ ens, ids }) =>
      ens.admin.mutatePool(ENS_CLUSTER, nodepoolIdOf(ids[ids.length - 1]), (p) => {
        p.scalingGroup.ImageId = "m-rogue";
      }),
    check: (r, { engine }) => {
      expect(poolStep(r)).toMatchObject({ op: "refresh", refreshResult: "update" });
      expect(r.rendered).toMatch(/~ imageId\s*: "m-edge-v2" => "m-rogue"\n/);
      const state = engine.state().resources.find((x) => x.urn === URN)!;
      expect(state.inputs.scalingGroup).toMatchObject({ imageId: "m-rogue" });
    },
  },
  {
    name: "the next up repairs the drift with ModifyClusterNodePool, sending only the image",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, ens, ids }) => {
      expect(poolStep(r)).toMatchObject({ op: "update", detailedDiff: { "scalingGroup.imageId": { kind: "update" } } });
      expect(writes(emulator).map(call)).toEqual([
        ["ModifyClusterNodePool", { ClusterId: ENS_CLUSTER, NodepoolInfo: { NodepoolId: nodepoolIdOf(ids[ids.length - 1]) }, ScalingGroup: { ImageId: "m-edge-v2" } }],
      ]);
      expect(cloudPools(ens)[0].ScalingGroup.ImageId).toBe("m-edge-v2");
    },
  },
  {
    name: "destroy: the state is empty and the cluster has no pool left",
    op: "destroy",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, ens, ids }) => {
      expect(r.changeSummary).toEqual({ delete: 2 });
      expect(engine.state().resources).toEqual([]);
      expect(writes(emulator).map(call)).toEqual([["DeleteClusterNodePool", { ClusterId: ENS_CLUSTER, NodepoolId: nodepoolIdOf(ids[ids.length - 1]) }]]);
      expect(cloudPools(ens)).toHaveLength(0);
    },
  },
];

describe("alicloud.ens.NodePool lifecycle (test engine + emulator)", () => {
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ens-lifecycle-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("create, update and scale out, scale-in refused, invalid input, unknowns, replace, drift, destroy", async () => {
    const pool = ensPool("edge");
    const engine = new TestEngine({
      programDir: PROGRAM,
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        pool,
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": { ens: emulator.endpoint },
      },
      secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const ens = emulator.service<EnsService>("ens");
    const timings: string[] = [];
    await runSteps(engine, { engine, emulator, ens, pool, ids: [] }, steps, (line) => timings.push(line));
    expect(engine.rawState()).not.toContain(emulator.credentials.accessKeySecret);
    if (process.env.LIFECYCLE_TIMINGS) console.log(timings.join("\n"));
  });
});

/** Most calls within any one second (a sliding window over the emulator's receive times). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * How one rate-limited action went, from the emulator's request log: calls, throttled answers, the busiest second of
 * accepted calls, and the time between consecutive accepted calls split into the engine's own pace (everything the
 * engine and provider did in between) and the time each call was held just before it went out (the client-side
 * limiter: the gap after the call's preceding request, a list or a poll, which otherwise takes a few milliseconds).
 */
function rhythm(emulator: CloudEmulator, action: string) {
  const all = emulator.requests({ service: "ens" });
  const calls = all.filter((q) => q.action === action);
  const ok = all.map((q, i) => ({ q, i })).filter(({ q }) => q.action === action && q.status === 200);
  const paces: number[] = [];
  let heldMs = 0;
  for (let k = 1; k < ok.length; k++) {
    const held = ok[k].q.time - all[ok[k].i - 1].time;
    heldMs += held;
    paces.push(ok[k].q.time - ok[k - 1].q.time - held);
  }
  const times = ok.map(({ q }) => q.time);
  return {
    calls: calls.length,
    accepted: ok.length,
    throttled: calls.filter((q) => q.code === "Throttling.User").length,
    busiest: busiestSecond(times),
    spanMs: Math.max(...times) - Math.min(...times),
    medianPaceMs: median(paces),
    heldMs,
  };
}

function describeRhythm(what: string, r: ReturnType<typeof rhythm>, durationMs: number): string {
  return (
    `${what}: ${r.calls} calls, ${r.throttled} throttled, ${r.accepted} accepted, at most ${r.busiest} in one second, ` +
    `spanning ${r.spanMs} ms; engine pace ${r.medianPaceMs} ms per call (median), ${r.heldMs} ms held by the client limiter; ` +
    `operation ${durationMs} ms`
  );
}

/**
 * ENS documents CreateClusterNodePool, ScaleClusterNodePool and DeleteClusterNodePool at 10 calls per second per
 * user; the emulator answers a call beyond 10 in a sliding second with `Throttling.User`. One program registers 30
 * pools at once; the package's client-side limiter (one per provider process and access key) must keep the calls
 * under the limit, so that no throttling error reaches the user.
 *
 * Does the engine make this trivial? No, but nearly. The test engine handles registrations one at a time (the real
 * engine runs them in parallel), so the creates reach the provider one after another, each after the previous pool
 * is active. Against the local emulator such a create cycle (list by name, create, one poll, the engine's
 * bookkeeping) still takes only about 70 ms (median, measured on a loaded 2-core machine; a delete cycle about
 * 35 ms), so back-to-back creates would go out at some 14 per second and deletes at some 30: the limiter is what
 * holds them (measured: about 1 s of creates and 1.7 s of deletes held, the 11th and 21st calls waiting 300-500 ms).
 * On a machine so loaded that the engine's own pace drops below 10 per second, this test would pass without the
 * limiter; the rhythm is therefore printed (LIFECYCLE_TIMINGS=1), not asserted. Concurrent calls from one process
 * (the real engine's parallelism) are proven in-process on a simulated clock by
 * tests/emulator/ens-nodepool-handler.test.ts ("creates 30 pools concurrently ..."), which asserts zero throttled
 * answers.
 *
 * Throttled answers are retried by the client and never reach the user; on real time they can still happen when a
 * call's arrival is delayed (process scheduling, the network) past the limiter's margin, so a few are tolerated here.
 */
describe("30 ENS node pools in one program under the 10-per-second limit (test engine + emulator)", () => {
  const POOLS = 30;
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
    emulator.setRateLimit({ service: "ens", perSecond: 10, actions: [...ENS_RATE_LIMITED_ACTIONS] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ens-many-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates and destroys 30 pools: every call succeeds and no throttling error reaches the user", async () => {
    const ens = emulator.service<EnsService>("ens");
    const engine = new TestEngine({
      programDir: path.join(__dirname, "programs", "ens-many"),
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        count: POOLS,
        pool: ensPool("template"),
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": { ens: emulator.endpoint },
      },
      secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });
    const names = Array.from({ length: POOLS }, (_, i) => `edge-${String(i).padStart(2, "0")}`);
    const report: string[] = [];
    const userVisible = (r: OperationResult) => r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");

    const up = await engine.up();
    expect(userVisible(up)).toEqual([]);
    expect(up.ok).toBe(true);
    expect(up.hostOutput).not.toMatch(/Throttling/);
    expect(up.changeSummary).toMatchObject({ create: POOLS + 1 });
    const pools = ens.admin.pools(ENS_CLUSTER);
    expect(pools.map((p) => p.NodepoolInfo.Name).sort()).toEqual(names);
    expect(pools.every((p) => p.Status.State === "active")).toBe(true);
    const creates = rhythm(emulator, "CreateClusterNodePool");
    report.push(describeRhythm("up, CreateClusterNodePool", creates, up.durationMs));
    expect(creates.accepted).toBe(POOLS);
    expect(creates.busiest).toBeLessThanOrEqual(10);
    expect(creates.throttled).toBeLessThanOrEqual(3);

    emulator.clearRequests();
    const destroy = await engine.destroy();
    expect(userVisible(destroy)).toEqual([]);
    expect(destroy.ok).toBe(true);
    expect(engine.state().resources).toEqual([]);
    expect(ens.admin.pools(ENS_CLUSTER)).toEqual([]);
    const deletes = rhythm(emulator, "DeleteClusterNodePool");
    report.push(describeRhythm("destroy, DeleteClusterNodePool", deletes, destroy.durationMs));
    expect(deletes.accepted).toBe(POOLS);
    expect(deletes.busiest).toBeLessThanOrEqual(10);
    expect(deletes.throttled).toBeLessThanOrEqual(3);
    if (process.env.LIFECYCLE_TIMINGS) console.log(report.join("\n"));
  });
});
