import * as fs from "fs";
import * as os from "os";
import * as pulumi from "@pulumi/pulumi";
import { CloudEmulator } from "../../provider/emulator";
import type { BatchComputeService } from "../../provider/emulator/services/batchcompute-cluster";
import { ACCESS_KEY_SECRET, baseCluster } from "../support/batchcompute";
import { InitFailedError, ProviderHost, providerTextOf, registrations, REPO_ROOT, startHostOutsideCheckout, UNKNOWN, secretValue } from "../support/provider-host";

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/batchcompute:Cluster::render";
const CANARY_SECRET = "canary-secret-value-7f3a";

/** The __provider text and inputs exactly as pulumi.dynamic.Resource produces them, captured through Pulumi's mock monitor. */
async function registered(): Promise<{ provider: string; inputs: Array<Record<string, any>> }> {
  const program = async () => {
    const { Cluster } = await import("../../provider/resources/batchcompute-cluster/resource");
    const { idempotencyKey: _key, ...args } = baseCluster();
    const cluster = new Cluster("render", { ...args, ossCredentials: { accessKeyId: "LTAIoss", accessKeySecret: ACCESS_KEY_SECRET } } as any);
    const team = new pulumi.ComponentResource("my:Team", "ml");
    const child = new Cluster("render", args as any, { parent: team });
    return [cluster, child];
  };
  const seen = await registrations(program, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: CANARY_SECRET });
  return { provider: providerTextOf(seen), inputs: seen.map((r) => r.inputs) };
}

let providerText: string;
let programInputs: Array<Record<string, any>>;
let emulator: CloudEmulator;
let host: ProviderHost;
let elsewhere: string;
const output: string[] = [];

beforeAll(async () => {
  ({ provider: providerText, inputs: programInputs } = await registered());
  emulator = await CloudEmulator.start();
  ({ host, dir: elsewhere } = await startHostOutsideCheckout("nodepools-bc-host-", (l) => output.push(l)));
  await host.configure({
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": "cn-hangzhou",
    "nodepools:endpoints": JSON.stringify({ batchcompute: emulator.endpoint }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.stop();
  if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
});

const admin = () => emulator.service<BatchComputeService>("batchcompute").admin;
const withProvider = (p: Record<string, any>) => ({ ...p, __provider: providerText });
const withCount = (n: number) => ({ ...baseCluster(), groups: { workers: { desiredVmCount: n, resourceType: "OnDemand" } } });

describe("the serialized Batch Compute cluster provider", () => {
  it("fits the 2 KB budget and carries no absolute path and no credential", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).not.toContain(REPO_ROOT);
    expect(providerText).not.toContain(os.homedir());
    expect(providerText).not.toMatch(/require\("\//);
    expect(providerText).not.toContain(CANARY_SECRET);
    expect(providerText).not.toContain(ACCESS_KEY_SECRET);
    expect(providerText).toContain('"alicloud.batchcompute.Cluster"');
    const requires = [...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-nodepools/handlers"]));
  });

  it("gives every cluster an idempotency key from project, stack, parent and name", () => {
    const keys = programInputs
      .map((i) => i.idempotencyKey)
      .filter((k) => k !== undefined)
      .sort();
    expect(keys).toEqual(["proj/dev/render", "urn:pulumi:dev::proj::my:Team::ml/render"]);
  });

  it("runs check, create, diff, update, read and delete through the real host started in another directory", async () => {
    const checked = await host.check(URN, {}, withProvider(baseCluster()));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(providerText);

    const { id, properties } = await host.create(URN, checked.inputs);
    expect(id).toMatch(/^cls-/);
    expect(properties).toMatchObject({ clusterId: id, state: "Active", actualVmCounts: { workers: 2 }, __provider: providerText });
    expect(emulator.requests({ action: "CreateCluster" })[0].query.IdempotentToken).toMatch(/^pnp_/);

    expect(await host.diff(URN, id, properties, checked.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = (await host.check(URN, checked.inputs, withProvider(withCount(3)))).inputs;
    expect(await host.diff(URN, id, properties, bigger)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, id, properties, bigger);
    expect(updated).toMatchObject({ groups: { workers: { desiredVmCount: 3 } }, actualVmCounts: { workers: 3 } });
    expect(emulator.requests({ action: "ModifyCluster" }).map((r) => r.body)).toEqual([{ Groups: { workers: { DesiredVMCount: 3 } } }]);

    const otherImage = (await host.check(URN, bigger, withProvider({ ...withCount(3), imageId: "img-centos" }))).inputs;
    expect(await host.diff(URN, id, updated, otherImage)).toEqual({ changes: "some", replaces: ["imageId"], deleteBeforeReplace: false });

    const read = await host.read(URN, id, updated);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(updated);
    expect(read.inputs).toMatchObject({ name: "render", groups: { workers: { desiredVmCount: 3 } } });

    await host.delete(URN, id, updated);
    expect(admin().clusters()).toHaveLength(0);
    expect((await host.read(URN, id, updated)).id).toBe("");
  });

  it("reports check failures with the property path and the rule, without any request", async () => {
    const bad = baseCluster();
    bad.name = "9lives";
    bad.groups.workers.desiredVmCount = 70000;
    const r = await host.check(URN, {}, withProvider(bad));
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "name", reason: expect.stringMatching(/must not start with a digit/) },
        { property: "groups.workers.desiredVmCount", reason: expect.stringMatching(/<= 65536/) },
      ]),
    );
    expect(emulator.requests()).toHaveLength(0);
  });

  it("accepts Pulumi's unknown value in check and reports an unknown count as an update in diff during preview", async () => {
    const preview = withProvider({ ...baseCluster(), groups: { workers: { desiredVmCount: UNKNOWN, resourceType: "OnDemand" } } });
    expect((await host.check(URN, {}, preview)).failures).toEqual([]);
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(baseCluster()))).inputs);
    expect(await host.diff(URN, id, properties, preview)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
  });

  it("keeps the OSS secret in the ossCredentials property only, and out of everything the host prints", async () => {
    const inputs = (await host.check(URN, {}, withProvider({ ...baseCluster(), ossCredentials: { accessKeyId: "LTAIoss", accessKeySecret: ACCESS_KEY_SECRET } }))).inputs;
    const { properties } = await host.create(URN, inputs);
    expect(properties.ossCredentials).toEqual({ accessKeyId: "LTAIoss", accessKeySecret: ACCESS_KEY_SECRET });
    expect(JSON.stringify({ ...properties, ossCredentials: undefined })).not.toContain(ACCESS_KEY_SECRET);
    expect(output.join("")).not.toContain(ACCESS_KEY_SECRET);
    expect(JSON.stringify(emulator.requests())).not.toContain(ACCESS_KEY_SECRET);
  });

  it("returns a cluster that was created but not ready in time as ErrorResourceInitFailed with its id", async () => {
    emulator.setProgression({ kind: "manual" });
    const inputs = (await host.check(URN, {}, withProvider({ ...baseCluster(), timeouts: { create: "1s" } }))).inputs;
    const err = await host.create(URN, inputs).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect(err.id).toBe(admin().clusters()[0].Id);
    expect(err.properties).toMatchObject({ name: "render", clusterId: err.id, actualVmCounts: { workers: 0 } });
    expect(err.reasons.join(" ")).toMatch(/timed out after \d+m?s; last observed state: state=Active, VMs workers 0\/2/);
  });

  it("adopts an existing cluster from its id alone, as Cluster.get and the import option do", async () => {
    const { id } = await host.create(URN, (await host.check(URN, {}, withProvider(baseCluster()))).inputs);
    const got = await host.read(URN, id, {}, { __provider: providerText });
    expect(got.id).toBe(id);
    expect(got.properties).toMatchObject({ clusterId: id, name: "render", groups: { workers: { desiredVmCount: 2, resourceType: "OnDemand" } } });
    expect(got.inputs).toMatchObject({ name: "render", imageId: "img-ubuntu" });
  });

  it("reads state written before output schema versions existed and refuses state from a newer package", async () => {
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(baseCluster()))).inputs);
    const legacy = { ...properties };
    delete legacy.schemaVersion;
    expect((await host.read(URN, id, legacy)).id).toBe(id);
    await expect(host.read(URN, id, { ...properties, schemaVersion: 99 })).rejects.toThrow(/newer version of pulumi-nodepools/);
  });
});
