/**
 * The bad-input corpus (tests/reliability/corpus/<resource>.ts): at least one violating case for every documented
 * constraint of every resource. Each case is rejected at preview, i.e. by `check` through the real Pulumi
 * dynamic-provider host (the path the engine takes), with the property path and the rule, and the emulator the host
 * is configured against receives no request for the whole corpus.
 *
 * A meta-test keeps the corpus complete: every constraint of every field table (the keywords of
 * `z.toJSONSchema(field.type)`, refinements, required fields) and every cross-field rule needs a case; it fails
 * naming the uncovered ones, and names cases that point at constraints that no longer exist.
 */
import * as fs from "fs";
import { checkInputs } from "../../provider/core/fields/check";
import type { ResourceSpec } from "../../provider/core/fields/spec";
import { providerShim } from "../../provider/core/shim";
import { CloudEmulator } from "../../provider/emulator";
import { resourceSpecs } from "../../provider/resources/specs";
import { dirLinkedToCheckout, ProviderHost, secretValue } from "../support/provider-host";
import { ackCorpus } from "./corpus/ack-nodepool";
import { batchComputeCorpus } from "./corpus/batchcompute-cluster";
import type { BadInputCase } from "./corpus/case";
import { constraintKeys } from "./corpus/constraints";
import { efloCorpus } from "./corpus/eflo-nodegroup";
import { ensCorpus } from "./corpus/ens-nodepool";
import { modelArtsCorpus } from "./corpus/modelarts-nodepool";

const CORPUS: Record<string, BadInputCase[]> = {
  "alicloud.ack.NodePool": ackCorpus,
  "alicloud.ens.NodePool": ensCorpus,
  "alicloud.eflo.NodeGroup": efloCorpus,
  "alicloud.batchcompute.Cluster": batchComputeCorpus,
  "huaweicloud.modelarts.NodePool": modelArtsCorpus,
};

const specOf = (name: string): ResourceSpec => resourceSpecs.find((s) => s.name === name)!;
const label = (c: BadInputCase) => `${c.covers.join(" + ")} (${c.property})`;

/** The checks every case must pass, whoever ran check: only `property` fails, with the rule, and no secret is echoed. */
function expectRejected(spec: ResourceSpec, c: BadInputCase, reported: Array<{ property: string; reason: string }>): void {
  const name = label(c);
  // The handlers report a failure at a secret field with an empty property and the path leading the reason, since
  // the Pulumi engine prints the input value at a failure's property (provider/core/handler.ts hideSecretPaths).
  const failures = reported.map((f) => {
    const moved = f.property === "" && f.reason.startsWith(`${c.property} `);
    return moved ? { property: c.property, reason: f.reason.slice(c.property.length + 1) } : f;
  });
  expect({ name, properties: [...new Set(failures.map((f) => f.property))] }).toEqual({ name, properties: [c.property] });
  expect({ name, reasons: failures.map((f) => f.reason), matches: failures.some((f) => c.reason.test(f.reason)) }).toEqual({
    name,
    reasons: failures.map((f) => f.reason),
    matches: true,
  });
  const secret = spec.fields.find((f) => f.secret && f.path === c.property);
  const value = secret && c.property.split(".").reduce<any>((v, k) => v?.[k], c.input);
  if (typeof value === "string" && value.length >= 4) for (const f of failures) expect(f.reason).not.toContain(value);
}

describe("the bad-input corpus covers every documented constraint", () => {
  it("has a corpus for every resource", () => {
    expect(Object.keys(CORPUS).sort()).toEqual(resourceSpecs.map((s) => s.name).sort());
  });

  it.each(resourceSpecs.map((s) => [s.name, s] as const))("%s: every constraint key has a case, every case a known key", (_name, spec) => {
    const keys = constraintKeys(spec);
    const covered = new Set(CORPUS[spec.name].flatMap((c) => c.covers));
    expect({ uncovered: keys.filter((k) => !covered.has(k)) }).toEqual({ uncovered: [] });
    expect({ unknown: [...covered].filter((k) => !keys.includes(k)) }).toEqual({ unknown: [] });
    // Every cross-field rule is among the keys, so every rule has a case.
    expect(spec.rules.every((r) => keys.includes(`rule: ${r.reportOn}: ${r.rule}`))).toBe(true);
  });

  it.each(Object.entries(CORPUS))("%s: every case states its rule, cites where it is documented, and names an exact property", (_name, cases) => {
    for (const c of cases) {
      expect(c.constraint).toMatch(/^(DOC|SDK|TF|ECS|ClusterId|package setting|package ownership mark)\b|field table/);
      expect(c.property).not.toMatch(/\[\]|\{\}|^$/);
      expect(c.covers.length).toBeGreaterThan(0);
    }
  });

  it("reports its size per resource", () => {
    const sizes = Object.fromEntries(Object.entries(CORPUS).map(([k, v]) => [k, v.length]));
    // At least one case per constraint key; more where one key has several documented facets.
    for (const spec of resourceSpecs) expect(sizes[spec.name]).toBeGreaterThanOrEqual(constraintKeys(spec).length);
  });
});

describe.each(Object.entries(CORPUS))("%s corpus, in process (checkInputs)", (name, cases) => {
  it.each(cases.map((c) => [label(c), c] as const))("%s", (_l, c) => {
    expectRejected(specOf(name), c, checkInputs(specOf(name), c.input).failures);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The real provider host, as at preview

let emulator: CloudEmulator;
let hostDir: string;
const hosts: Record<string, ProviderHost> = {};
const providerTexts: Record<string, string> = {};
const output: string[] = [];

/** The `__provider` text exactly as pulumi.dynamic.Resource serializes a provider (runtime/closure). */
async function serialize(kind: string): Promise<string> {
  const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");
  const provider = providerShim(kind);
  return (await serializeFunction(() => provider, { allowSecrets: true })).text;
}

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  // A directory outside the checkout: the host finds the package by name through node_modules only.
  hostDir = dirLinkedToCheckout("nodepools-bad-input-");
  const config = {
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": "cn-hangzhou",
    "huaweicloud:accessKey": emulator.credentials.accessKeyId,
    "huaweicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "huaweicloud:region": "cn-north-4",
    "huaweicloud:projectId": "0123456789abcdef0123456789abcdef",
    "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint, ens: emulator.endpoint, "eflo-controller": emulator.endpoint, batchcompute: emulator.endpoint, modelarts: emulator.endpoint }),
  };
  // One host per resource, started together.
  await Promise.all(
    resourceSpecs.map(async (spec) => {
      providerTexts[spec.name] = await serialize(spec.name);
      const host = await ProviderHost.start({ cwd: hostDir, onOutput: (l) => output.push(l), callTimeoutMs: 30_000 });
      hosts[spec.name] = host;
      await host.configure(config);
    }),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(hosts).map((h) => h.stop()));
  await emulator?.stop();
  if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
});

describe.each(Object.entries(CORPUS))("%s corpus, through the real provider host's check (preview)", (name, cases) => {
  const urn = () => `urn:pulumi:dev::proj::${specOf(name).review!.typeToken}::bad`;

  it("accepts the valid example the cases start from", async () => {
    const r = await hosts[name].check(urn(), {}, { ...specOf(name).example!, __provider: providerTexts[name] });
    expect(r.failures).toEqual([]);
  });

  it.each(cases.map((c) => [label(c), c] as const))("%s", async (_l, c) => {
    const r = await hosts[name].check(urn(), {}, { ...c.input, __provider: providerTexts[name] });
    expectRejected(specOf(name), c, r.failures);
  });
});

describe("the whole corpus at preview", () => {
  it("sent no request to the cloud (the emulator's log is empty)", () => {
    expect(Object.values(CORPUS).reduce((n, cases) => n + cases.length, 0)).toBeGreaterThan(300);
    expect(emulator.requests()).toEqual([]);
  });

  it("would have seen one: every host is configured against the emulator (a read after the corpus reaches it)", async () => {
    const ids: Record<string, string> = {
      "alicloud.ack.NodePool": "c0123456789abcdef0123456789abcdef:np-none",
      "alicloud.ens.NodePool": "eck-none:np-none",
      "alicloud.eflo.NodeGroup": "i-none:ng-none",
      "alicloud.batchcompute.Cluster": "cls-none",
      "huaweicloud.modelarts.NodePool": "pool-none/np-none",
    };
    for (const spec of resourceSpecs) {
      const urn = `urn:pulumi:dev::proj::${spec.review!.typeToken}::probe`;
      await hosts[spec.name].read(urn, ids[spec.name], {}, { __provider: providerTexts[spec.name] }).catch(() => undefined);
    }
    expect(new Set(emulator.requests().map((r) => r.service))).toEqual(new Set(["ack", "ens", "eflo", "batchcompute", "modelarts"]));
  });
});
