/**
 * The serialized provider as users get it: the package installed under node_modules. Pulumi's closure serializer
 * stores a provider object that is the whole export of a module under node_modules as a `require` of that module,
 * so each resource type's `__provider` is one `require` line of its shim (provider/shims/) instead of the shim's
 * code. The per-resource protocol tests cover the other form, serialized by value (the package loaded from a
 * checkout, and every state written before the shims were modules), which the host must keep running.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator } from "../../provider/emulator";
import { kinds } from "../../provider/handlers";
import { basePool, CLUSTER } from "../support/ack";
import { ProviderHost, REPO_ROOT, secretValue } from "../support/provider-host";
import { installPackageCopy, serializedProviders } from "../support/user-install";

const { getModuleFromPath } = require("@pulumi/pulumi/runtime/closure/package");

jest.setTimeout(120_000);

const SHIMS: Record<string, string> = {
  "alicloud.ack.NodePool": "ack-nodepool",
  "alicloud.ens.NodePool": "ens-nodepool",
  "alicloud.eflo.NodeGroup": "eflo-nodegroup",
  "alicloud.batchcompute.Cluster": "batchcompute-cluster",
  "huaweicloud.modelarts.NodePool": "modelarts-nodepool",
};
const shimSpecifier = (kind: string) => `pulumi-nodepools/dist/provider/shims/${SHIMS[kind]}.js`;
const ACK_URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/ack:NodePool::gpu";

let tmp: string;
let texts: Record<string, string>;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-installed-"));
  installPackageCopy(path.join(tmp, "writer"));
  texts = serializedProviders(path.join(tmp, "writer"));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the provider of a package installed under node_modules", () => {
  it("has one shim module per resource type, whose export is the provider object", () => {
    expect(Object.keys(SHIMS).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      const shim = require(path.join(REPO_ROOT, "dist", "provider", "shims", `${SHIMS[kind]}.js`));
      expect(Object.keys(shim)).toEqual(["configure"]);
      expect(typeof shim.configure).toBe("function");
    }
  });

  it("is exported under its own file path, so Pulumi's reference is the same whether or not it reads the package map", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    for (const kind of kinds) expect(getModuleFromPath(shimSpecifier(kind), pkg)).toBe(shimSpecifier(kind));
  });

  it("is serialized as one require of its shim module: small, no path of the machine, no code of the package", () => {
    expect(Object.keys(texts).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      const text = texts[kind];
      const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(requires).toEqual([shimSpecifier(kind)]);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(400);
      expect(text).not.toContain(tmp);
      expect(text).not.toContain(REPO_ROOT);
      expect(text).not.toContain("configure");
    }
  });

  it("takes over state written with the provider serialized by value (earlier versions): no diff, and the old text still deletes", async () => {
    // From this checkout the package is not under node_modules, so the text is the shim's code, as every earlier
    // version of the package wrote it.
    const byValue = serializedProviders(REPO_ROOT)["alicloud.ack.NodePool"];
    expect(byValue).toContain('require("pulumi-nodepools/handlers")');
    const installed = texts["alicloud.ack.NodePool"];
    const emulator = await CloudEmulator.start();
    const elsewhere = path.join(tmp, "upgraded");
    installPackageCopy(elsewhere);
    const host = await ProviderHost.start({ cwd: elsewhere, env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" } });
    try {
      emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
      await host.configure({
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint }),
      });
      const old = await host.check(ACK_URN, {}, { ...basePool(), __provider: byValue });
      const { id, properties } = await host.create(ACK_URN, old.inputs);
      expect(properties.__provider).toBe(byValue);

      // The next `up` runs the program with the installed package: the same pool, the new provider text.
      const next = await host.check(ACK_URN, old.inputs, { ...basePool(), __provider: installed });
      expect(next.inputs.__provider).toBe(installed);
      expect(await host.diff(ACK_URN, id, properties, next.inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

      // The engine deletes with the stored outputs, whose text is still the old one.
      await host.delete(ACK_URN, id, properties);
      expect(emulator.ack.pools(CLUSTER)).toHaveLength(0);
    } finally {
      await host.stop();
      await emulator.stop();
    }
  });

  it("runs create, read and delete in a host started in another project with its own install", async () => {
    const emulator = await CloudEmulator.start();
    const elsewhere = path.join(tmp, "elsewhere");
    installPackageCopy(elsewhere);
    const host = await ProviderHost.start({ cwd: elsewhere, env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" } });
    try {
      emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
      await host.configure({
        "alicloud:accessKey": emulator.credentials.accessKeyId,
        "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
        "alicloud:region": "cn-hangzhou",
        "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint }),
      });
      const provider = texts["alicloud.ack.NodePool"];
      const checked = await host.check(ACK_URN, {}, { ...basePool(), __provider: provider });
      expect(checked.failures).toEqual([]);
      const { id, properties } = await host.create(ACK_URN, checked.inputs);
      expect(properties).toMatchObject({ status: { state: "active" }, __provider: provider });
      expect(emulator.ack.pools(CLUSTER)).toHaveLength(1);
      expect((await host.read(ACK_URN, id, properties)).id).toBe(id);
      await host.delete(ACK_URN, id, properties);
      expect(emulator.ack.pools(CLUSTER)).toHaveLength(0);
    } finally {
      await host.stop();
      await emulator.stop();
    }
  });
});
