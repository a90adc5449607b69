/**
 * alicloud.eflo.NodeGroup through the real `@pulumi/pulumi` dynamic-provider host, started in a directory outside
 * the checkout: the serialized provider text, Configure with the stack config, and every lifecycle call.
 */
import * as fs from "fs";
import * as os from "os";
import { CloudEmulator } from "../../provider/emulator";
import type { EfloAdmin, EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import { InitFailedError, ProviderHost, providerTextOf, registrations, REPO_ROOT, startHostOutsideCheckout, UNKNOWN, secretValue } from "../support/provider-host";

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/eflo:NodeGroup::gpu";
const CLUSTER = "i118191731740041623425";
const REGION = "cn-wulanchabu";
const CANARY_SECRET = "canary-secret-value-5c1e";

function baseGroup(): Record<string, any> {
  return {
    clusterId: CLUSTER,
    nodeGroup: {
      az: "cn-wulanchabu-b",
      nodeGroupName: "gpu",
      machineType: "efg2.C48cNHmcn",
      imageId: "i-image-1",
      systemDisk: { size: 1000, category: "cloud_essd" },
      ramRoleName: "lingjun-role",
    },
  };
}

/** The __provider text exactly as pulumi.dynamic.Resource produces it, captured through Pulumi's mock monitor. */
async function serializedProvider(): Promise<{ text: string; type: string }> {
  const program = async () => {
    const { NodeGroup } = await import("../../provider/resources/eflo-nodegroup/resource");
    return [new NodeGroup("gpu", { ...baseGroup(), loginPassword: "Passw0rd-in-program" } as any)];
  };
  const seen = await registrations(program, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: CANARY_SECRET });
  return { text: providerTextOf(seen), type: seen[0].type };
}

let provider: { text: string; type: string };
let emulator: CloudEmulator;
let eflo: EfloAdmin;
let host: ProviderHost;
let elsewhere: string;
const output: string[] = [];

beforeAll(async () => {
  provider = await serializedProvider();
  emulator = await CloudEmulator.start();
  eflo = emulator.service<EfloNodeGroupService>("eflo").admin;
  ({ host, dir: elsewhere } = await startHostOutsideCheckout("nodepools-eflo-host-", (l) => output.push(l)));
  await host.configure({
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": REGION,
    "nodepools:endpoints": JSON.stringify({ "eflo-controller": emulator.endpoint }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.stop();
  if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
  eflo.seedCluster({ clusterId: CLUSTER, region: REGION });
});

const withProvider = (p: Record<string, any>) => ({ ...p, __provider: provider.text });

describe("the serialized eflo node group provider", () => {
  it("fits the 2 KB budget, names its kind and carries no absolute path, credential or password", () => {
    expect(provider.type).toBe("pulumi-nodejs:dynamic/alicloud/eflo:NodeGroup");
    expect(Buffer.byteLength(provider.text)).toBeLessThanOrEqual(2048);
    expect(provider.text).toContain("alicloud.eflo.NodeGroup");
    expect(provider.text).not.toContain(REPO_ROOT);
    expect(provider.text).not.toContain(os.homedir());
    expect(provider.text).not.toMatch(/require\("\//);
    expect(provider.text).not.toContain(CANARY_SECRET);
    expect(provider.text).not.toContain("Passw0rd-in-program");
    const requires = [...provider.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-nodepools/handlers"]));
  });

  it("runs check, create, diff, update, read and delete through the real host started in another directory", async () => {
    const checked = await host.check(URN, {}, withProvider(baseGroup()));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(provider.text);

    const { id, properties } = await host.create(URN, checked.inputs);
    expect(id).toMatch(new RegExp(`^${CLUSTER}:ng-`));
    expect(properties).toMatchObject({ nodeGroupId: id.split(":")[1], nodeCount: 0, createTime: expect.any(String), __provider: provider.text });

    expect(await host.diff(URN, id, properties, checked.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const newImage = (await host.check(URN, checked.inputs, withProvider({ ...baseGroup(), nodeGroup: { ...baseGroup().nodeGroup, imageId: "i-image-2" } }))).inputs;
    expect(await host.diff(URN, id, properties, newImage)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(URN, id, properties, newImage);
    expect(updated).toMatchObject({ nodeGroup: { imageId: "i-image-2" } });
    expect(eflo.groups(CLUSTER)[0].ImageId).toBe("i-image-2");
    expect(emulator.requests({ action: "DescribeTask" }).length).toBeGreaterThan(0);

    const otherZone = (await host.check(URN, newImage, withProvider({ ...baseGroup(), nodeGroup: { ...baseGroup().nodeGroup, imageId: "i-image-2", az: "cn-wulanchabu-c" } }))).inputs;
    expect(await host.diff(URN, id, updated, otherZone)).toEqual({ changes: "some", replaces: ["nodeGroup.az"], deleteBeforeReplace: true });
    const noRole = { ...baseGroup(), nodeGroup: { ...baseGroup().nodeGroup, imageId: "i-image-2" } };
    delete noRole.nodeGroup.ramRoleName;
    const withoutRole = (await host.check(URN, newImage, withProvider(noRole))).inputs;
    expect(await host.diff(URN, id, updated, withoutRole)).toEqual({ changes: "some", replaces: ["nodeGroup.ramRoleName"], deleteBeforeReplace: true });

    const read = await host.read(URN, id, updated);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(updated);
    expect(read.inputs).toMatchObject({ nodeGroup: { nodeGroupName: "gpu", imageId: "i-image-2" } });

    await host.delete(URN, id, updated);
    expect(eflo.groups(CLUSTER)).toHaveLength(0);
    expect((await host.read(URN, id, updated)).id).toBe("");
  });

  it("reports check failures with the property path and the rule, before any request", async () => {
    const bad = baseGroup();
    bad.nodeGroup.systemDisk = { size: 10.5, performanceLevel: "PL3" };
    delete bad.nodeGroup.machineType;
    const r = await host.check(URN, {}, withProvider(bad));
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "nodeGroup.machineType", reason: "is required" },
        { property: "nodeGroup.systemDisk.size", reason: expect.stringMatching(/whole number/) },
        { property: "nodeGroup.systemDisk.performanceLevel", reason: expect.stringMatching(/"PL0", "PL1"/) },
      ]),
    );
    expect(emulator.requests()).toHaveLength(0);
  });

  it("accepts Pulumi's unknown value in check and reports it as a change in diff during preview", async () => {
    const preview = withProvider({ ...baseGroup(), nodeGroup: { ...baseGroup().nodeGroup, imageId: UNKNOWN } });
    expect((await host.check(URN, {}, preview)).failures).toEqual([]);
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(baseGroup()))).inputs);
    expect(await host.diff(URN, id, properties, preview)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
  });

  it("returns an update whose task failed as ErrorResourceInitFailed with its id and the cloud's real state", async () => {
    const inputs = (await host.check(URN, {}, withProvider(baseGroup()))).inputs;
    const { id, properties } = await host.create(URN, inputs);
    eflo.failNextUpdate("no capacity for the new image");
    const news = (await host.check(URN, inputs, withProvider({ ...baseGroup(), nodeGroup: { ...baseGroup().nodeGroup, imageId: "i-image-2" } }))).inputs;
    const err = await host.update(URN, id, properties, news).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(InitFailedError);
    expect(err.id).toBe(id);
    expect(err.properties).toMatchObject({ nodeGroup: { imageId: "i-image-1" }, nodeGroupId: id.split(":")[1] });
    expect(err.reasons.join(" ")).toMatch(/task failed/);
  });

  it("sends the login password to the cloud but never to the request log or the host's output", async () => {
    const inputs = (await host.check(URN, {}, withProvider({ ...baseGroup(), loginPassword: "H0st-Secret-Pw" }))).inputs;
    const { properties } = await host.create(URN, inputs);
    // The engine stores it encrypted: NodeGroup lists it in additionalSecretOutputs.
    expect(properties.loginPassword).toBe("H0st-Secret-Pw");
    expect(eflo.groups(CLUSTER)[0].LoginType).toBe("Password");
    expect(JSON.stringify(emulator.requests())).not.toContain("H0st-Secret-Pw");
    expect(output.join("")).not.toContain("H0st-Secret-Pw");
  });

  it("adopts an existing group from its id alone, as NodeGroup.get and the import option do", async () => {
    const { id } = await host.create(URN, (await host.check(URN, {}, withProvider(baseGroup()))).inputs);
    const got = await host.read(URN, id, {}, { __provider: provider.text });
    expect(got.id).toBe(id);
    expect(got.properties).toMatchObject({ clusterId: CLUSTER, nodeGroup: { nodeGroupName: "gpu", machineType: "efg2.C48cNHmcn" }, nodeGroupId: id.split(":")[1] });
    expect(got.inputs).toMatchObject({ nodeGroup: { az: "cn-wulanchabu-b", ramRoleName: "lingjun-role" } });
  });

  it("reads state written before output schema versions existed and refuses state from a newer package", async () => {
    const { id, properties } = await host.create(URN, (await host.check(URN, {}, withProvider(baseGroup()))).inputs);
    const legacy = { ...properties };
    delete legacy.schemaVersion;
    expect((await host.read(URN, id, legacy)).id).toBe(id);
    await expect(host.read(URN, id, { ...properties, schemaVersion: 99 })).rejects.toThrow(/newer version of pulumi-nodepools/);
  });
});
