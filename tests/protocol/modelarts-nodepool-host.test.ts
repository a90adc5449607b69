import * as fs from "fs";
import * as os from "os";
import { CloudEmulator } from "../../provider/emulator";
import type { ModelArtsAdmin } from "../../provider/emulator/services/modelarts-nodepool";
import { baseNodePool, modelArtsAdmin, POOL, PROJECT, REGION } from "../support/modelarts";
import { InitFailedError, ProviderHost, providerTextOf, registrations, REPO_ROOT, startHostOutsideCheckout, UNKNOWN, secretValue } from "../support/provider-host";

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/huaweicloud/modelarts:NodePool::gpu";
const CANARY_SECRET = "canary-secret-value-9c1e";
const ID = `${POOL}/nodepool-1`;

/** The __provider text exactly as pulumi.dynamic.Resource produces it, captured through Pulumi's mock monitor. */
async function serializedProvider(): Promise<string> {
  const program = async () => {
    const { NodePool } = await import("../../provider/resources/modelarts-nodepool/resource");
    return [new NodePool("gpu", baseNodePool() as any)];
  };
  return providerTextOf(await registrations(program, { HW_SECRET_KEY: CANARY_SECRET, HUAWEICLOUD_SDK_SK: CANARY_SECRET }));
}

let providerText: string;
let emulator: CloudEmulator;
let admin: ModelArtsAdmin;
let host: ProviderHost;
let elsewhere: string;
const output: string[] = [];

beforeAll(async () => {
  providerText = await serializedProvider();
  emulator = await CloudEmulator.start();
  admin = modelArtsAdmin(emulator);
  ({ host, dir: elsewhere } = await startHostOutsideCheckout("nodepools-host-", (l) => output.push(l)));
  await host.configure({
    "huaweicloud:accessKey": emulator.credentials.accessKeyId,
    "huaweicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "huaweicloud:region": REGION,
    "huaweicloud:projectId": PROJECT,
    "nodepools:endpoints": JSON.stringify({ modelarts: emulator.endpoint }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.stop();
  if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
  admin.seedPool({ poolName: POOL });
});

const withProvider = (p: Record<string, any>) => ({ ...p, __provider: providerText });
const scaled = (count: number) => {
  const p = baseNodePool();
  p.spec.resources.count = count;
  p.spec.resources.azs = [{ az: "cn-north-4a", count }];
  return p;
};

describe("the serialized ModelArts node pool provider", () => {
  it("fits the 2 KB budget and carries no absolute path and no credential", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).toContain('"huaweicloud.modelarts.NodePool"');
    expect(providerText).not.toContain(REPO_ROOT);
    expect(providerText).not.toContain(os.homedir());
    expect(providerText).not.toMatch(/require\("\//);
    expect(providerText).not.toContain(CANARY_SECRET);
    const requires = [...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-nodepools/handlers"]));
  });

  it("runs check, create, diff, update, read and delete through the real host started in another directory", async () => {
    const checked = await host.check(URN, {}, withProvider(baseNodePool()));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(providerText);

    const { id, properties } = await host.create(URN, checked.inputs);
    expect(id).toBe(ID);
    expect(properties).toMatchObject({ status: { available: 2, creating: 0, abnormal: 0, deleting: 0 }, schemaVersion: 1, __provider: providerText });

    const same = await host.diff(URN, id, properties, checked.inputs);
    expect(same).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = (await host.check(URN, checked.inputs, withProvider(scaled(3)))).inputs;
    expect(await host.diff(URN, id, properties, bigger)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, id, properties, bigger);
    expect(updated).toMatchObject({ spec: { resources: { count: 3 } }, status: { available: 3 } });
    const patch = emulator.requests({ action: "PatchNodePool" });
    expect(patch.map((r) => [r.headers["content-type"], r.body])).toEqual([["application/merge-patch+json", { spec: { resources: { count: 3, azs: [{ az: "cn-north-4a", count: 3 }] } } }]]);

    const otherFlavor = scaled(3);
    otherFlavor.spec.resources.flavor = "modelarts.vm.gpu.v100";
    const replacing = (await host.check(URN, bigger, withProvider(otherFlavor))).inputs;
    expect(await host.diff(URN, id, updated, replacing)).toEqual({ changes: "some", replaces: ["spec.resources.flavor"], deleteBeforeReplace: true });

    const read = await host.read(URN, id, updated);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(updated);
    expect(read.inputs).toMatchObject({ poolName: POOL, metadata: { name: "nodepool-1" }, spec: { resources: { count: 3 } } });

    await host.delete(URN, id, updated);
    expect(admin.nodePools()).toHaveLength(0);
    const gone = await host.read(URN, id, updated);
    expect(gone.id).toBe("");
  });

  it("signs with the huaweicloud:* credentials and talks to the nodepools:endpoints override", async () => {
    await host.create(URN, (await host.check(URN, {}, withProvider(baseNodePool()))).inputs);
    const [first] = emulator.requests({ service: "modelarts" });
    expect(first.headers.authorization).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${emulator.credentials.accessKeyId}, SignedHeaders=`));
    expect(first.path).toBe(`/v2/${PROJECT}/pools/${POOL}/nodepools/nodepool-1`);
  });

  it("reports check failures with the property path and the rule", async () => {
    const bad = baseNodePool();
    bad.spec.resources.tags = [{ key: "__type_baremetal", value: "x" }];
    bad.spec.resources.maxCount = 1;
    const r = await host.check(URN, {}, withProvider(bad));
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "spec.resources.tags[0].key", reason: expect.stringMatching(/must not start with "CCE-" or "__type_baremetal"/) },
        { property: "spec.resources.maxCount", reason: expect.stringMatching(/must be >= spec\.resources\.count \(2\)/) },
      ]),
    );
    expect(emulator.requests()).toHaveLength(0);
  });

  it("accepts Pulumi's unknown value in check and reports it as a change in diff during preview", async () => {
    const p = baseNodePool();
    p.spec.resources.count = UNKNOWN;
    const preview = withProvider(p);
    expect((await host.check(URN, {}, preview)).failures).toEqual([]);
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(baseNodePool()))).inputs);
    expect(await host.diff(URN, id, properties, preview)).toMatchObject({ changes: "some", replaces: [] });
  });

  it("returns a node pool that was created with abnormal nodes as ErrorResourceInitFailed with its id", async () => {
    admin.failNextCreate();
    const inputs = (await host.check(URN, {}, withProvider(baseNodePool()))).inputs;
    const err = await host.create(URN, inputs).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect(err.id).toBe(ID);
    expect(err.properties).toMatchObject({ metadata: { name: "nodepool-1" }, status: { abnormal: 2 } });
    expect(err.reasons.join(" ")).toMatch(/abnormal/);
  });

  it("adopts an existing node pool from its id alone, as NodePool.get and the import option do", async () => {
    await host.create(URN, (await host.check(URN, {}, withProvider(baseNodePool()))).inputs);
    const got = await host.read(URN, ID, {}, { __provider: providerText });
    expect(got.id).toBe(ID);
    expect(got.properties).toMatchObject({ poolName: POOL, metadata: { name: "nodepool-1" }, spec: { resources: { count: 2, flavor: "modelarts.vm.gpu.t4u8" } } });
    expect(got.inputs).toMatchObject({ poolName: POOL, spec: { resources: { maxCount: 4 } } });
  });

  it("reads state written before output schema versions existed and refuses state from a newer package", async () => {
    const inputs = (await host.check(URN, {}, withProvider(baseNodePool()))).inputs;
    const { id, properties } = await host.create(URN, inputs);
    const legacy = { ...properties };
    delete legacy.schemaVersion;
    expect((await host.read(URN, id, legacy)).id).toBe(id);
    await expect(host.read(URN, id, { ...properties, schemaVersion: 99 })).rejects.toThrow(/newer version of pulumi-nodepools/);
  });
});
