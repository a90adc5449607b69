/**
 * alicloud.ens.NodePool through the real `@pulumi/pulumi` dynamic-provider host, started in a directory outside the
 * checkout: the serialized provider stays within its budget, and check, create, diff, update, read and delete run
 * against the emulator exactly as the Pulumi engine would drive them.
 */
import * as fs from "fs";
import * as os from "os";
import * as pulumi from "@pulumi/pulumi";
import { CloudEmulator } from "../../provider/emulator";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import { ENS_CLUSTER, ENS_REGION, ensPool } from "../support/ens";
import { InitFailedError, ProviderHost, providerTextOf, registrations, REPO_ROOT, startHostOutsideCheckout, UNKNOWN, secretValue } from "../support/provider-host";

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/ens:NodePool::edge";
const CANARY_SECRET = "canary-secret-value-5e1b";
const PASSWORD = "Edge-Passw0rd";

/** The __provider text exactly as pulumi.dynamic.Resource produces it, captured through Pulumi's mock monitor. */
async function serializedProvider(): Promise<{ text: string; secretOutputs: string[] }> {
  let pool: { password: pulumi.Output<string> } | undefined;
  const program = async () => {
    const { NodePool } = await import("../../provider/resources/ens-nodepool/resource");
    const p = ensPool();
    delete p.scalingGroup.keyPairName;
    const made = new NodePool("edge", { ...p, password: PASSWORD } as any);
    pool = made as any;
    return [made];
  };
  const text = providerTextOf(await registrations(program, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: CANARY_SECRET }));
  const secret = await (pool!.password as any).isSecret;
  return { text, secretOutputs: secret ? ["password"] : [] };
}

let providerText: string;
let secretOutputs: string[];
let emulator: CloudEmulator;
let ens: EnsService;
let host: ProviderHost;
let elsewhere: string;
const output: string[] = [];

beforeAll(async () => {
  ({ text: providerText, secretOutputs } = await serializedProvider());
  emulator = await CloudEmulator.start();
  ens = emulator.service<EnsService>("ens");
  ({ host, dir: elsewhere } = await startHostOutsideCheckout("nodepools-ens-host-", (l) => output.push(l)));
  await host.configure({
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": "cn-hangzhou",
    "nodepools:endpoints": JSON.stringify({ ens: emulator.endpoint }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.stop();
  if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
  ens.admin.seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
});

const withProvider = (p: Record<string, any>) => ({ ...p, __provider: providerText });
const sized = (n: number) => ({ ...ensPool(), scalingGroup: { ...ensPool().scalingGroup, desiredSize: n } });

describe("the serialized ENS node pool provider", () => {
  it("fits the 2 KB budget and carries no absolute path and no credential", () => {
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2048);
    expect(providerText).not.toContain(REPO_ROOT);
    expect(providerText).not.toContain(os.homedir());
    expect(providerText).not.toMatch(/require\("\//);
    expect(providerText).not.toContain(CANARY_SECRET);
    expect(providerText).not.toContain(PASSWORD);
    expect(providerText).toContain("alicloud.ens.NodePool");
    const requires = [...providerText.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-nodepools/handlers"]));
  });

  it("marks the password output as a secret", () => {
    expect(secretOutputs).toEqual(["password"]);
  });

  it("runs check, create, diff, update (scale-out), read and delete through the real host started in another directory", async () => {
    const checked = await host.check(URN, {}, withProvider(ensPool()));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(providerText);

    const { id, properties } = await host.create(URN, checked.inputs);
    expect(id).toMatch(new RegExp(`^${ENS_CLUSTER}:np`));
    expect(properties).toMatchObject({ nodePoolId: id.split(":")[1], ensRegionId: ENS_REGION, status: { state: "active" }, __provider: providerText });

    expect(await host.diff(URN, id, properties, checked.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = (await host.check(URN, checked.inputs, withProvider(sized(4)))).inputs;
    expect(await host.diff(URN, id, properties, bigger)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, id, properties, bigger);
    expect(updated).toMatchObject({ scalingGroup: { desiredSize: 4 }, status: { totalNodes: 4 } });
    expect(emulator.requests({ action: "ScaleClusterNodePool" }).map((r) => JSON.parse(r.query.Body))).toEqual([{ Count: 4 }]);

    const renamed = (await host.check(URN, bigger, withProvider({ ...sized(4), nodepoolInfo: { name: "edge-2" } }))).inputs;
    expect(await host.diff(URN, id, updated, renamed)).toEqual({ changes: "some", replaces: ["nodepoolInfo.name"], deleteBeforeReplace: false });

    const read = await host.read(URN, id, updated);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(updated);
    expect(read.inputs).toMatchObject({ nodepoolInfo: { name: "edge" }, scalingGroup: { desiredSize: 4 } });

    await host.delete(URN, id, updated);
    expect(ens.admin.pools(ENS_CLUSTER)).toEqual([]);
    expect((await host.read(URN, id, updated)).id).toBe("");
  });

  it("refuses a lower desired size at preview, comparing the old inputs with the new ones", async () => {
    const olds = (await host.check(URN, {}, withProvider(sized(3)))).inputs;
    const r = await host.check(URN, olds, withProvider(sized(1)));
    expect(r.failures).toEqual([{ property: "scalingGroup.desiredSize", reason: expect.stringMatching(/cannot be lowered from 3 to 1 in place/) }]);
    const replaced = await host.check(URN, olds, withProvider({ ...sized(1), nodepoolInfo: { name: "edge-small" } }));
    expect(replaced.failures).toEqual([]);
  });

  it("reports check failures with the property path and the rule", async () => {
    const bad = ensPool();
    bad.scalingGroup.systemDiskSize = 25;
    bad.scalingGroup.systemDiskCategory = "cloud_essd";
    const r = await host.check(URN, {}, withProvider(bad));
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "scalingGroup.systemDiskSize", reason: expect.stringMatching(/multiple of 10/) },
        { property: "scalingGroup.systemDiskCategory", reason: expect.stringMatching(/local_ssd/) },
      ]),
    );
    expect(emulator.requests()).toEqual([]);
  });

  it("accepts Pulumi's unknown value in check and reports it as a change in diff during preview", async () => {
    const preview = withProvider({ ...ensPool(), scalingGroup: { ...ensPool().scalingGroup, imageId: UNKNOWN } });
    expect((await host.check(URN, {}, preview)).failures).toEqual([]);
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(ensPool()))).inputs);
    expect(await host.diff(URN, id, properties, preview)).toMatchObject({ changes: "some", replaces: [] });
  });

  it("keeps the password out of every request log line and never diffs it against the masked value", async () => {
    // The host answers Configure with acceptSecrets=false, so the engine sends secret inputs as plain values; the
    // resource keeps them secret in state through additionalSecretOutputs (checked above).
    const p = ensPool();
    delete p.scalingGroup.keyPairName;
    const checkedPw = await host.check(URN, {}, withProvider({ ...p, password: PASSWORD }));
    expect(checkedPw.failures).toEqual([]);
    const inputs = checkedPw.inputs;
    const { id, properties } = await host.create(URN, inputs);
    expect(ens.admin.pools(ENS_CLUSTER)[0].ScalingGroup.Password).toBe("************");
    const read = await host.read(URN, id, properties);
    expect(JSON.stringify(read.properties)).not.toContain("*****");
    expect(await host.diff(URN, id, read.properties, inputs)).toMatchObject({ changes: "none" });
    expect(JSON.stringify(emulator.requests())).not.toContain(PASSWORD);
    expect(output.join("")).not.toContain(PASSWORD);
  });

  it("returns a pool whose nodes failed as ErrorResourceInitFailed with its id", async () => {
    ens.admin.failNextCreate();
    const inputs = (await host.check(URN, {}, withProvider(ensPool()))).inputs;
    const err = await host.create(URN, inputs).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect(err.id).toBe(`${ENS_CLUSTER}:${ens.admin.pools(ENS_CLUSTER)[0].NodepoolInfo.NodepoolId}`);
    expect(err.properties).toMatchObject({ nodepoolInfo: { name: "edge" }, status: { failedNodes: 2 } });
    expect(err.reasons.join(" ")).toMatch(/DeleteClusterNodes/);
  });

  it("adopts an existing pool from its id alone, as NodePool.get and the import option do", async () => {
    const { id } = await host.create(URN, (await host.check(URN, {}, withProvider(ensPool()))).inputs);
    const got = await host.read(URN, id, {}, { __provider: providerText });
    expect(got.id).toBe(id);
    expect(got.properties).toMatchObject({ clusterId: ENS_CLUSTER, nodepoolInfo: { name: "edge" }, scalingGroup: { desiredSize: 2 } });
    expect(got.inputs).toMatchObject({ nodepoolInfo: { name: "edge" }, scalingGroup: { imageId: "m-6734fzvcwcv2o8jj201cpa7ox" } });
  });
});
