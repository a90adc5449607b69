/**
 * Lifecycle of `alicloud.batchcompute.Cluster` (legacy ROA V1) through the test engine against the local cloud
 * emulator, as Terraform acceptance steps: create, an empty preview, an empty refresh, update in place (the desired
 * VM count of a group through ModifyCluster), replace, drift (deleted and changed outside Pulumi), unknown inputs
 * during preview, invalid input, destroy. Every `up` is followed by a preview that must be empty. Throughout, the
 * OSS access key secret (a secret stack config value) must never show in plaintext: not in the state file, not in
 * any plan (text or JSON), not in any diagnostic or provider output.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import type { BatchComputeAdmin, BatchComputeService } from "../../provider/emulator/services/batchcompute-cluster";
import { baseCluster } from "../support/batchcompute";
import { isSecret, TestEngine, UNKNOWN, unwrapSecrets, type OperationResult, type Step } from "../engine";
import { changes, runSteps, type AcceptanceStep } from "./harness";

jest.setTimeout(240_000);

const PROGRAM = path.join(__dirname, "programs", "batchcompute-cluster");
const CLUSTER = "pulumi-nodejs:dynamic/alicloud/batchcompute:Cluster";
const IMAGE = "alicloud:ecs/image:Image";
const URN = `urn:pulumi:dev::batchcompute-lifecycle::${CLUSTER}::render`;
const OSS_KEY_ID = "LTAI5tOssReadWrite";
const OSS_SECRET = "OssSecret-Lifecycle-Do-Not-Leak-5d1e";
const OSS_SECRET_ROTATED = "OssSecret-Rotated-Do-Not-Leak-9a7c";

interface Ctx {
  engine: TestEngine;
  emulator: CloudEmulator;
  admin: BatchComputeAdmin;
  cluster: Record<string, any>;
  /** Cluster ids seen so far, in order. */
  ids: string[];
  saved?: unknown;
}

const clusterStep = (r: OperationResult, op?: string): Step | undefined => r.steps.find((s) => s.type === CLUSTER && (!op || s.op === op));
const clusterSteps = (r: OperationResult): Step[] => r.steps.filter((s) => s.type === CLUSTER);
const calls = (emulator: CloudEmulator): RecordedRequest[] => emulator.requests().filter((q) => q.service === "batchcompute");
const writes = (emulator: CloudEmulator): RecordedRequest[] => calls(emulator).filter((q) => q.method !== "GET");
const stateOf = (engine: TestEngine) => engine.state().resources.find((r) => r.urn === URN);
const currentId = (engine: TestEngine) => stateOf(engine)?.id;
const cloudCluster = (admin: BatchComputeAdmin, id: string) => admin.clusters().find((c) => c.Id === id);

/** What the cloud holds for the cluster's OSS key pair (GetCluster never shows the secret). */
function cloudOssCredentials(admin: BatchComputeAdmin, id: string): Record<string, unknown> | undefined {
  let oss: Record<string, unknown> | undefined;
  admin.mutateCluster(id, (c) => (oss = structuredClone(c.config.Configs?.Mounts?.OSS)));
  return oss;
}

function setCluster(ctx: Ctx, edit: (c: Record<string, any>) => void): void {
  edit(ctx.cluster);
  ctx.engine.setConfig("cluster", ctx.cluster);
}

/** A cluster with two groups; the idempotency key is left to the resource class (owner key of the resource). */
function programCluster(): Record<string, any> {
  const { idempotencyKey: _key, ...cluster } = baseCluster("render");
  cluster.groups = { workers: { desiredVmCount: 2, resourceType: "OnDemand" }, spot: { desiredVmCount: 1, resourceType: "Spot", spotStrategy: "SpotAsPriceGo" } };
  return cluster;
}

const steps: Array<AcceptanceStep<Ctx>> = [
  {
    name: "create the cluster: the OSS key pair reaches the cloud, the state holds it only encrypted",
    check: (r, { emulator, admin, ids, engine }) => {
      expect(clusterStep(r)?.op).toBe("create");
      const id = currentId(engine)!;
      expect(id).toMatch(/^cls-/);
      expect(admin.clusters().map((c) => c.Id)).toEqual([id]);
      expect(cloudCluster(admin, id)).toMatchObject({ Name: "render", State: "Active", Groups: { workers: { DesiredVMCount: 2, ActualVMCount: 2 }, spot: { ActualVMCount: 1 } } });
      expect(cloudOssCredentials(admin, id)).toEqual({ AccessKeyId: OSS_KEY_ID, AccessKeySecret: OSS_SECRET });
      const create = writes(emulator).find((q) => q.action === "CreateCluster")!;
      expect(create.query.IdempotentToken).toMatch(/^pnp_[0-9a-f]{48}$/);
      expect(r.outputs).toMatchObject({ id, state: "Active", actualVmCounts: { workers: 2, spot: 1 } });
      const recorded = stateOf(engine)!.outputs.ossCredentials;
      expect(isSecret(recorded)).toBe(true);
      expect(unwrapSecrets(recorded)).toEqual({ accessKeyId: OSS_KEY_ID, accessKeySecret: OSS_SECRET });
      ids.push(id);
    },
  },
  {
    name: "preview: no changes, and no call reaches the cloud",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.saved = stateOf(ctx.engine)!.outputs;
    },
    check: (r, { emulator }) => {
      expect(changes(r)).toEqual({});
      expect(clusterStep(r)?.op).toBe("same");
      expect(calls(emulator)).toHaveLength(0);
    },
  },
  {
    name: "refresh: reads the cluster and changes nothing (the secret, never read back, stays as it was)",
    op: "refresh",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, engine, saved }) => {
      expect(changes(r)).toEqual({});
      expect(clusterStep(r)).toMatchObject({ op: "refresh", refreshResult: "same" });
      expect(calls(emulator).map((q) => q.action)).toEqual(["GetCluster"]);
      expect(stateOf(engine)!.outputs).toEqual(saved);
    },
  },
  {
    name: "change the workers' desired VM count: updated in place through ModifyCluster, only that group on the wire",
    prepare: (ctx) => {
      // Meanwhile someone scaled the spot group in the console (no refresh since): the plan does not show it, so
      // the update must leave it alone.
      ctx.admin.mutateCluster(ctx.ids[0], (c) => {
        c.config.Groups.spot.DesiredVMCount = 2;
        c.actual.spot = 2;
      });
      ctx.emulator.clearRequests();
      setCluster(ctx, (c) => (c.groups.workers.desiredVmCount = 3));
    },
    check: (r, { emulator, admin, engine, ids }) => {
      expect(clusterStep(r)).toMatchObject({ op: "update", diffReasons: ["groups"], detailedDiff: { "groups.workers.desiredVmCount": { kind: "update", inputDiff: true } } });
      expect(Object.keys(clusterStep(r)!.detailedDiff!)).toEqual(["groups.workers.desiredVmCount"]);
      expect(currentId(engine)).toBe(ids[0]);
      const sent = writes(emulator);
      expect(sent.map((q) => [q.action, q.method, q.path])).toEqual([["ModifyCluster", "PUT", `/clusters/${ids[0]}`]]);
      expect(sent[0].body).toEqual({ Groups: { workers: { DesiredVMCount: 3 } } });
      expect(cloudCluster(admin, ids[0])!.Groups).toMatchObject({ workers: { DesiredVMCount: 3, ActualVMCount: 3 }, spot: { DesiredVMCount: 2, ActualVMCount: 2 } });
      expect(r.outputs).toMatchObject({ actualVmCounts: { workers: 3, spot: 2 } });
    },
  },
  {
    name: "change instanceType and rotate the OSS key: replaced, the new cluster created before the old one is deleted",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setCluster(ctx, (c) => (c.instanceType = "bcs.a2.xlarge"));
      ctx.engine.setConfig("ossAccessKeySecret", OSS_SECRET_ROTATED, { secret: true });
    },
    check: (r, { emulator, admin, engine, ids }) => {
      expect(clusterSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      const replace = clusterSteps(r)[1];
      expect(replace.replaceReasons.sort()).toEqual(["instanceType", "ossCredentials.accessKeySecret"]);
      expect(replace.deleteBeforeReplace).toBeFalsy();
      expect(replace.detailedDiff).toEqual({ instanceType: { kind: "update-replace", inputDiff: true }, "ossCredentials.accessKeySecret": { kind: "update-replace", inputDiff: true } });
      expect(r.json.steps!.find((s) => s.urn === URN)).toMatchObject({ op: "replace", replaceReasons: expect.arrayContaining(["instanceType", "ossCredentials.accessKeySecret"]) });
      expect(r.rendered).toMatch(/~ instanceType\s*: "bcs\.a2\.large" => "bcs\.a2\.xlarge" # forces replacement\n/);
      expect(r.rendered).toMatch(/ossCredentials\s*: \[secret\] => \[secret\]/);
      expect(writes(emulator).map((q) => q.action)).toEqual(["CreateCluster", "DeleteCluster"]);
      const id = currentId(engine)!;
      expect(id).not.toBe(ids[0]);
      expect(admin.clusters().map((c) => c.Id)).toEqual([id]);
      expect(cloudOssCredentials(admin, id)).toEqual({ AccessKeyId: OSS_KEY_ID, AccessKeySecret: OSS_SECRET_ROTATED });
      ids.push(id);
    },
  },
  {
    name: "cluster deleted outside Pulumi: refresh removes it from the state",
    op: "refresh",
    prepare: ({ admin, ids }) => admin.deleteCluster(ids[ids.length - 1]),
    check: (r, { engine }) => {
      expect(clusterStep(r)).toMatchObject({ op: "refresh", refreshResult: "delete" });
      expect(r.changeSummary).toMatchObject({ delete: 1 });
      expect(currentId(engine)).toBeUndefined();
    },
  },
  {
    name: "the next up creates it again (a fresh idempotency token: the old one belongs to the deleted cluster)",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, admin, engine, ids }) => {
      expect(clusterStep(r)?.op).toBe("create");
      const creates = writes(emulator).filter((q) => q.action === "CreateCluster");
      // The first token answers the deleted cluster's id, which is gone; the next generation makes a new one.
      expect(creates).toHaveLength(2);
      expect(creates[0].query.IdempotentToken).not.toBe(creates[1].query.IdempotentToken);
      const id = currentId(engine)!;
      expect(ids).not.toContain(id);
      expect(admin.clusters().map((c) => c.Id)).toEqual([id]);
      ids.push(id);
    },
  },
  {
    name: "cluster changed outside Pulumi: refresh shows the drift",
    op: "refresh",
    prepare: ({ admin, ids }) =>
      admin.mutateCluster(ids[ids.length - 1], (c) => {
        c.config.Groups.workers.DesiredVMCount = 5;
        c.actual.workers = 5;
      }),
    check: (r, { engine }) => {
      expect(clusterStep(r)).toMatchObject({ op: "refresh", refreshResult: "update" });
      expect(r.rendered).toMatch(/~ desiredVmCount\s*: 3 => 5\n/);
      const state = stateOf(engine)!;
      expect(state.inputs.groups).toMatchObject({ workers: { desiredVmCount: 5 }, spot: { desiredVmCount: 1 } });
      expect(state.outputs.actualVmCounts).toEqual({ workers: 5, spot: 1 });
    },
  },
  {
    name: "the next up repairs the drift",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { emulator, admin, ids }) => {
      expect(clusterStep(r)).toMatchObject({ op: "update", detailedDiff: { "groups.workers.desiredVmCount": { kind: "update" } } });
      const sent = writes(emulator);
      expect(sent.map((q) => q.action)).toEqual(["ModifyCluster"]);
      expect(sent[0].body).toEqual({ Groups: { workers: { DesiredVMCount: 3 } } });
      expect(cloudCluster(admin, ids[ids.length - 1])!.Groups.workers).toMatchObject({ DesiredVMCount: 3, ActualVMCount: 3 });
    },
  },
  {
    name: "image from another resource: unknown during the preview, no failure, no call",
    op: "preview",
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      ctx.engine.setConfig("imageFromResource", true);
    },
    check: (r, { emulator }) => {
      expect(clusterSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      const step = clusterStep(r, "replace")!;
      expect(step.replaceReasons).toEqual(["imageId"]);
      expect(step.new!.inputs.imageId).toBe(UNKNOWN);
      expect(r.rendered).toMatch(/~ imageId\s*: "img-ubuntu" => \[unknown\]/);
      expect(r.notes.join("\n")).toMatch(/simulated: alicloud:ecs\/image:Image "worker-image"/);
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "apply it: the cluster is replaced with the image id once known",
    prepare: ({ emulator }) => emulator.clearRequests(),
    check: (r, { admin, engine, ids }) => {
      const image = r.steps.find((s) => s.type === IMAGE)!;
      expect(image).toMatchObject({ op: "create", simulated: true });
      expect(clusterSteps(r).map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
      const id = currentId(engine)!;
      expect(id).not.toBe(ids[ids.length - 1]);
      expect(admin.clusters().map((c) => [c.Id, c.ImageId])).toEqual([[id, image.new!.id]]);
      ids.push(id);
    },
  },
  {
    name: "invalid input: the preview fails with the property path and the rule, and calls no API",
    op: "preview",
    expectError: /property configs\.networks\.vpc\.cidrBlock value \{"192\.168\.1\.0\/16"\} has a problem: .*no host bits set/,
    prepare: (ctx) => {
      ctx.emulator.clearRequests();
      setCluster(ctx, (c) => (c.configs.networks.vpc.cidrBlock = "192.168.1.0/16"));
    },
    check: (r, { emulator }) => {
      expect(r.diagnostics.find((d) => d.severity === "error")).toMatchObject({ urn: URN, source: "provider" });
      expect(emulator.requests()).toHaveLength(0);
    },
  },
  {
    name: "destroy: the state is empty and no cluster is left",
    op: "destroy",
    check: (r, { admin, engine }) => {
      expect(r.changeSummary).toEqual({ delete: 3 }); // with the stack itself
      expect(engine.state().resources).toEqual([]);
      expect(admin.clusters()).toHaveLength(0);
    },
  },
];

/** Every place a secret could leak from one operation: the plan (text and JSON), diagnostics, provider output. */
function exposedText(r: OperationResult): string {
  return [r.rendered, JSON.stringify(r.json), JSON.stringify(r.diagnostics), r.hostOutput, r.program?.stdout ?? "", r.program?.stderr ?? ""].join("\n");
}

describe("alicloud.batchcompute.Cluster lifecycle (test engine + emulator)", () => {
  let emulator: CloudEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await CloudEmulator.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "batchcompute-lifecycle-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("create, no-op preview and refresh, update, replace, drift, unknowns, invalid input, destroy; the OSS secret never in plaintext", async () => {
    const cluster = programCluster();
    const engine = new TestEngine({
      programDir: PROGRAM,
      stack: "dev",
      stateFile: path.join(dir, "dev.json"),
      config: {
        cluster,
        ossAccessKeyId: OSS_KEY_ID,
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": { batchcompute: emulator.endpoint },
      },
      secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret, ossAccessKeySecret: OSS_SECRET },
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });

    // Watch every operation, the harness's own previews and refreshes included, and the state file after each.
    const leaks: string[] = [];
    const secrets = [OSS_SECRET, OSS_SECRET_ROTATED, emulator.credentials.accessKeySecret];
    for (const op of ["preview", "up", "refresh", "destroy"] as const) {
      const run = engine[op].bind(engine) as (opts?: object) => Promise<OperationResult>;
      const watched = async (opts?: object): Promise<OperationResult> => {
        const r = await run(opts);
        const text = exposedText(r);
        const raw = engine.rawState();
        for (const s of secrets) {
          if (text.includes(s)) leaks.push(`${op}: the output of the operation shows a secret`);
          if (raw.includes(s)) leaks.push(`${op}: the state file holds a secret in plaintext`);
        }
        return r;
      };
      Object.assign(engine, { [op]: watched });
    }

    const timings: string[] = [];
    const admin = emulator.service<BatchComputeService>("batchcompute").admin;
    await runSteps(engine, { engine, emulator, admin, cluster, ids: [] }, steps, (line) => timings.push(line));
    expect(leaks).toEqual([]);
    if (process.env.LIFECYCLE_TIMINGS) console.log(timings.join("\n"));
  });
});
