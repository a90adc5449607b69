import * as fs from "fs";
import * as os from "os";
import { CloudEmulator } from "../../provider/emulator";
import { basePool, CLUSTER } from "../support/ack";
import { InitFailedError, ProviderHost, providerTextOf, registrations, REPO_ROOT, startHostOutsideCheckout, UNKNOWN, secretValue } from "../support/provider-host";

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/ack:NodePool::gpu";
const CANARY_SECRET = "canary-secret-value-7f3a";

/** The __provider text exactly as pulumi.dynamic.Resource produces it, from the package loaded by name. */
async function serializedProvider(): Promise<string> {
  const program = async () => {
    const { alicloud } = await import("pulumi-nodepools");
    return [new alicloud.ack.NodePool("gpu", basePool() as any)];
  };
  return providerTextOf(await registrations(program, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: CANARY_SECRET }));
}

let providerText: string;
let emulator: CloudEmulator;
let host: ProviderHost;
let elsewhere: string;
const output: string[] = [];

beforeAll(async () => {
  providerText = await serializedProvider();
  emulator = await CloudEmulator.start();
  ({ host, dir: elsewhere } = await startHostOutsideCheckout("nodepools-host-", (l) => output.push(l)));
  await host.configure({
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": "cn-hangzhou",
    "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.stop();
  if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
  emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
});

const withProvider = (p: Record<string, any>) => ({ ...p, __provider: providerText });

describe("the serialized ACK node pool provider", () => {
  it("fits the 2 KB budget and carries no absolute path and no credential", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).not.toContain(REPO_ROOT);
    expect(providerText).not.toContain(os.homedir());
    expect(providerText).not.toMatch(/require\("\//);
    expect(providerText).not.toContain(CANARY_SECRET);
    const requires = [...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-nodepools/handlers"]));
  });

  it("runs check, create, diff, update, read and delete through the real host started in another directory", async () => {
    const checked = await host.check(URN, {}, withProvider(basePool()));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(providerText);

    const { id, properties } = await host.create(URN, checked.inputs);
    expect(id).toMatch(new RegExp(`^${CLUSTER}:np`));
    expect(properties).toMatchObject({ nodePoolId: id.split(":")[1], status: { state: "active" }, __provider: providerText });

    const same = await host.diff(URN, id, properties, checked.inputs);
    expect(same).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = (await host.check(URN, checked.inputs, withProvider({ ...basePool(), scalingGroup: { ...basePool().scalingGroup, desiredSize: 3 } }))).inputs;
    expect(await host.diff(URN, id, properties, bigger)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, id, properties, bigger);
    expect(updated).toMatchObject({ scalingGroup: { desiredSize: 3 }, status: { totalNodes: 3 } });

    const otherType = (await host.check(URN, bigger, withProvider({ ...basePool(), autoScaling: { ...basePool().autoScaling, type: "cpu" } }))).inputs;
    expect(await host.diff(URN, id, updated, otherType)).toEqual({ changes: "some", replaces: ["autoScaling.type"], deleteBeforeReplace: true });

    const read = await host.read(URN, id, updated);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(updated);
    expect(read.inputs).toMatchObject({ nodepoolInfo: { name: "gpu" }, scalingGroup: { desiredSize: 3 } });

    await host.delete(URN, id, updated);
    expect(emulator.ack.pools(CLUSTER)).toHaveLength(0);
    const gone = await host.read(URN, id, updated);
    expect(gone.id).toBe("");
  });

  it("reports check failures with the property path and the rule", async () => {
    const bad = basePool();
    bad.scalingGroup.instanceTypes = [];
    bad.autoScaling.maxInstances = 2001;
    const r = await host.check(URN, {}, withProvider(bad));
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "scalingGroup.instanceTypes", reason: expect.stringMatching(/at least 1/) },
        { property: "autoScaling.maxInstances", reason: expect.stringMatching(/<= 2000/) },
      ]),
    );
    expect(emulator.requests()).toHaveLength(0);
  });

  it("accepts Pulumi's unknown value in check and reports it as a change in diff during preview", async () => {
    const preview = withProvider({ ...basePool(), scalingGroup: { ...basePool().scalingGroup, vswitchIds: UNKNOWN } });
    expect((await host.check(URN, {}, preview)).failures).toEqual([]);
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(basePool()))).inputs);
    expect(await host.diff(URN, id, properties, preview)).toMatchObject({ changes: "some", replaces: [] });
  });

  it("returns a pool that was created but failed as ErrorResourceInitFailed with its id", async () => {
    emulator.ack.failNextCreate("quota exceeded");
    const inputs = (await host.check(URN, {}, withProvider(basePool()))).inputs;
    const err = await host.create(URN, inputs).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect(err.id).toBe(`${CLUSTER}:${emulator.ack.pools(CLUSTER)[0].nodepool_info.nodepool_id}`);
    expect(err.properties).toMatchObject({ nodepoolInfo: { name: "gpu" } });
    expect(err.reasons.length).toBeGreaterThan(0);
  });

  it("adopts an existing pool from its id alone, as NodePool.get and the import option do", async () => {
    const { id } = await host.create(URN, (await host.check(URN, {}, withProvider(basePool()))).inputs);
    // A user-driven Get: no stored properties, only the program's inputs with __provider.
    const got = await host.read(URN, id, {}, { __provider: providerText });
    expect(got.id).toBe(id);
    expect(got.properties).toMatchObject({ clusterId: CLUSTER, nodepoolInfo: { name: "gpu" }, scalingGroup: { desiredSize: 2 } });
    expect(got.inputs).toMatchObject({ nodepoolInfo: { name: "gpu" }, autoScaling: { type: "gpu" } });
  });

  it("reads state written before output schema versions existed and refuses state from a newer package", async () => {
    const inputs = (await host.check(URN, {}, withProvider(basePool()))).inputs;
    const { id, properties } = await host.create(URN, inputs);
    const legacy = { ...properties };
    delete legacy.schemaVersion;
    expect((await host.read(URN, id, legacy)).id).toBe(id);
    const future = { ...properties, schemaVersion: 99 };
    await expect(host.read(URN, id, future)).rejects.toThrow(/newer version of pulumi-nodepools/);
  });
});
