/**
 * Input validation of alicloud.ack.NodePool, derived from its field table: every documented range and rule is
 * checked before any API call, all failures are reported at once with the property path and the rule, and
 * Pulumi's unknown value (preview) is accepted anywhere.
 */
import * as fs from "fs";
import * as path from "path";
import { checkInputs, type CheckFailure } from "../../provider/core/fields/check";
import { getPath, UNKNOWN } from "../../provider/core/fields/spec";
import { ackNodePoolSpec } from "../../provider/resources/ack-nodepool/fields";

type Inputs = Record<string, any>;

/** A valid pool: the required fields and a key pair. */
function base(): Inputs {
  return {
    clusterId: "c61da77e8bfbc4c4c999af2b51b65xxxx",
    nodepoolInfo: { name: "gpu-pool" },
    scalingGroup: {
      vswitchIds: ["vsw-a"],
      instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
      instanceChargeType: "PostPaid",
      keyPair: "np-key",
    },
  };
}

function failuresOf(change: (i: Inputs) => void): CheckFailure[] {
  const inputs = base();
  change(inputs);
  return checkInputs(ackNodePoolSpec, inputs).failures;
}

/** Exactly one failure, on `property`, whose reason matches `reason`. */
function expectOneFailure(change: (i: Inputs) => void, property: string, reason: RegExp): void {
  const failures = failuresOf(change);
  expect(failures).toHaveLength(1);
  expect(failures[0].property).toBe(property);
  expect(failures[0].reason).toMatch(reason);
}

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe("alicloud.ack.NodePool check", () => {
  it("accepts the base inputs", () => {
    expect(checkInputs(ackNodePoolSpec, base()).failures).toEqual([]);
  });

  it("accepts a full, valid configuration", () => {
    const outcome = checkInputs(ackNodePoolSpec, {
      ...base(),
      nodepoolInfo: { name: "gpu-pool", type: "ess", resourceGroupId: "rg-1" },
      autoScaling: { enable: true, type: "gpu", minInstances: 1, maxInstances: 2000 },
      management: { enable: true, autoRepair: true, autoVulFixPolicy: { vulLevel: "asap,nntf", restartNode: false } },
      scalingGroup: {
        vswitchIds: ids(8, "vsw"),
        instanceTypes: ids(10, "ecs"),
        instanceChargeType: "PrePaid",
        keyPair: "np-key",
        period: 12,
        periodUnit: "Month",
        autoRenew: true,
        autoRenewPeriod: 6,
        systemDiskCategory: "cloud_auto",
        systemDiskSize: 2048,
        systemDiskProvisionedIops: 50000,
        systemDiskBurstingEnabled: true,
        dataDisks: [{ category: "cloud_auto", size: 40, provisionedIops: 200 }, { category: "cloud_essd", size: 32768, performanceLevel: "PL1" }],
        tags: [{ key: "team", value: "ml" }, { key: "env" }],
        internetMaxBandwidthOut: 100,
        onDemandBaseCapacity: 1000,
        onDemandPercentageAboveBaseCapacity: 100,
        spotInstancePools: 10,
        privatePoolOptions: { matchCriteria: "Open" },
        loginAsNonRoot: true,
      },
      kubernetesConfig: {
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
        nodeNameMode: "customized,gpu,ip,node",
        userData: "#!/bin/sh\necho hi",
      },
      timeouts: { create: "1h30m", delete: "45m" },
    });
    expect(outcome.failures).toEqual([]);
  });

  describe("ranges", () => {
    it("rejects a pool with no vSwitch ID (1-8 are required)", () =>
      expectOneFailure((i) => (i.scalingGroup.vswitchIds = []), "scalingGroup.vswitchIds", /at least 1 item/));
    it("rejects 9 vSwitch IDs (at most 8)", () =>
      expectOneFailure((i) => (i.scalingGroup.vswitchIds = ids(9, "vsw")), "scalingGroup.vswitchIds", /at most 8 item/));
    it("rejects a pool with no instance type (1-10 are required)", () =>
      expectOneFailure((i) => (i.scalingGroup.instanceTypes = []), "scalingGroup.instanceTypes", /at least 1 item/));
    it("rejects 11 instance types (at most 10)", () =>
      expectOneFailure((i) => (i.scalingGroup.instanceTypes = ids(11, "ecs")), "scalingGroup.instanceTypes", /at most 10 item/));
    it("rejects a 19 GiB system disk (at least 20)", () =>
      expectOneFailure((i) => (i.scalingGroup.systemDiskSize = 19), "scalingGroup.systemDiskSize", />= 20 .*19/));
    it("rejects a 2049 GiB system disk (at most 2048)", () =>
      expectOneFailure((i) => (i.scalingGroup.systemDiskSize = 2049), "scalingGroup.systemDiskSize", /<= 2048 .*2049/));
    it("rejects maxInstances 2001 (at most 2000)", () =>
      expectOneFailure((i) => (i.autoScaling = { maxInstances: 2001 }), "autoScaling.maxInstances", /<= 2000/));
    it("rejects maxInstances below minInstances", () =>
      expectOneFailure((i) => (i.autoScaling = { minInstances: 5, maxInstances: 3 }), "autoScaling.maxInstances", /must be >= autoScaling\.minInstances \(5\)/));
    it("accepts maxInstances equal to minInstances", () =>
      expect(failuresOf((i) => (i.autoScaling = { minInstances: 5, maxInstances: 5 }))).toEqual([]));
    it("rejects internetMaxBandwidthOut 0 (1-100 Mbps)", () =>
      expectOneFailure((i) => (i.scalingGroup.internetMaxBandwidthOut = 0), "scalingGroup.internetMaxBandwidthOut", />= 1/));
    it("rejects internetMaxBandwidthOut 101 (1-100 Mbps)", () =>
      expectOneFailure((i) => (i.scalingGroup.internetMaxBandwidthOut = 101), "scalingGroup.internetMaxBandwidthOut", /<= 100/));
    it("rejects onDemandBaseCapacity outside 0-1000", () => {
      expectOneFailure((i) => (i.scalingGroup.onDemandBaseCapacity = 1001), "scalingGroup.onDemandBaseCapacity", /<= 1000/);
      expectOneFailure((i) => (i.scalingGroup.onDemandBaseCapacity = -1), "scalingGroup.onDemandBaseCapacity", />= 0/);
    });
    it("rejects onDemandPercentageAboveBaseCapacity outside 0-100", () => {
      expectOneFailure((i) => (i.scalingGroup.onDemandPercentageAboveBaseCapacity = 101), "scalingGroup.onDemandPercentageAboveBaseCapacity", /<= 100/);
      expectOneFailure((i) => (i.scalingGroup.onDemandPercentageAboveBaseCapacity = -1), "scalingGroup.onDemandPercentageAboveBaseCapacity", />= 0/);
    });
    it("rejects spotInstancePools 11 (1-10)", () =>
      expectOneFailure((i) => (i.scalingGroup.spotInstancePools = 11), "scalingGroup.spotInstancePools", /<= 10/));
    it("rejects a fractional count as not a whole number", () =>
      expectOneFailure((i) => (i.scalingGroup.desiredSize = 1.5), "scalingGroup.desiredSize", /whole number/));
    it("rejects a 39 GiB data disk (at least 40)", () =>
      expectOneFailure((i) => (i.scalingGroup.dataDisks = [{ size: 39 }]), "scalingGroup.dataDisks[0].size", />= 40 .*39/));
  });

  describe("subscription (PrePaid) rules", () => {
    it("requires period and periodUnit when instanceChargeType is PrePaid", () =>
      expectOneFailure(
        (i) => (i.scalingGroup.instanceChargeType = "PrePaid"),
        "scalingGroup.period",
        /scalingGroup\.period and scalingGroup\.periodUnit required when instanceChargeType is PrePaid/,
      ));
    it("requires periodUnit alone when only the period is given", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 1 }),
        "scalingGroup.period",
        /scalingGroup\.periodUnit required when instanceChargeType is PrePaid/,
      ));
    it("rejects period 10 with periodUnit Month (1-9, 12, 24, 36, 48, 60)", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 10, periodUnit: "Month" }),
        "scalingGroup.period",
        /must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60 when periodUnit is Month \(got 10\)/,
      ));
    it("rejects period 5 with periodUnit Week (1-4)", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 5, periodUnit: "Week" }),
        "scalingGroup.period",
        /must be one of 1, 2, 3, 4 when periodUnit is Week \(got 5\)/,
      ));
    it("rejects autoRenewPeriod 4 with periodUnit Week (1-3)", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Week", autoRenew: true, autoRenewPeriod: 4 }),
        "scalingGroup.autoRenewPeriod",
        /must be one of 1, 2, 3 when periodUnit is Week \(got 4\)/,
      ));
    it("rejects autoRenewPeriod 5 with periodUnit Month (1, 2, 3, 6, 12, 24, 36, 48, 60)", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month", autoRenewPeriod: 5 }),
        "scalingGroup.autoRenewPeriod",
        /must be one of 1, 2, 3, 6, 12, 24, 36, 48, 60 when periodUnit is Month \(got 5\)/,
      ));
  });

  describe("login and pool options", () => {
    it("rejects both keyPair and loginPassword", () =>
      expectOneFailure((i) => (i.loginPassword = "Passw0rd!"), "scalingGroup.keyPair", /either scalingGroup\.keyPair or loginPassword, not both/));
    it("rejects neither keyPair nor loginPassword", () =>
      expectOneFailure((i) => delete i.scalingGroup.keyPair, "scalingGroup.keyPair", /one of scalingGroup\.keyPair or loginPassword is required/));
    it("accepts a loginPassword instead of a key pair", () =>
      expect(failuresOf((i) => { delete i.scalingGroup.keyPair; i.loginPassword = "Passw0rd!"; })).toEqual([]));
    it("rejects privatePoolOptions together with resourcePoolOptions", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { privatePoolOptions: { matchCriteria: "Target", id: "eap-1" }, resourcePoolOptions: { strategy: "PrivatePoolFirst" } }),
        "scalingGroup.resourcePoolOptions",
        /cannot be set together with scalingGroup\.privatePoolOptions/,
      ));
    it("requires privatePoolIds when the resource pool strategy is PrivatePoolOnly", () =>
      expectOneFailure(
        (i) => (i.scalingGroup.resourcePoolOptions = { strategy: "PrivatePoolOnly" }),
        "scalingGroup.resourcePoolOptions.privatePoolIds",
        /required when scalingGroup\.resourcePoolOptions\.strategy is PrivatePoolOnly/,
      ));
    it("rejects resourcePoolOptions for PrePaid instances (pay-as-you-go only)", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 1, periodUnit: "Month", resourcePoolOptions: { strategy: "PrivatePoolFirst" } }),
        "scalingGroup.resourcePoolOptions",
        /only applies when scalingGroup\.instanceChargeType is PostPaid/,
      ));
  });

  describe("enums", () => {
    it("rejects an unknown instanceChargeType", () =>
      expectOneFailure((i) => (i.scalingGroup.instanceChargeType = "Monthly"), "scalingGroup.instanceChargeType", /must be one of "PrePaid", "PostPaid" \(got "Monthly"\)/));
    it("rejects an unknown autoScaling.type", () =>
      expectOneFailure((i) => (i.autoScaling = { type: "tpu" }), "autoScaling.type", /must be one of "cpu", "gpu", "gpushare", "spot"/));
    it("rejects an unknown taint effect, naming the taint's index", () =>
      expectOneFailure(
        (i) => (i.kubernetesConfig = { taints: [{ key: "a", effect: "NoSchedule" }, { key: "b", effect: "Never" }] }),
        "kubernetesConfig.taints[1].effect",
        /must be one of "NoSchedule", "NoExecute", "PreferNoSchedule" \(got "Never"\)/,
      ));
    it("rejects an unknown systemDiskCategory", () =>
      expectOneFailure((i) => (i.scalingGroup.systemDiskCategory = "hdd"), "scalingGroup.systemDiskCategory", /must be one of .*"cloud_essd".* \(got "hdd"\)/));
  });

  describe("tags", () => {
    it("rejects a duplicate tag key", () =>
      expectOneFailure((i) => (i.scalingGroup.tags = [{ key: "team" }, { key: "team", value: "x" }]), "scalingGroup.tags[1].key", /duplicate tag key "team"/));
    it("rejects a tag key that starts with aliyun", () =>
      expectOneFailure((i) => (i.scalingGroup.tags = [{ key: "aliyun-owner" }]), "scalingGroup.tags[0].key", /must not start with "aliyun" or "acs:"/));
    it("rejects a tag value that contains http://", () =>
      expectOneFailure((i) => (i.scalingGroup.tags = [{ key: "site", value: "see http://example.com" }]), "scalingGroup.tags[0].value", /must not contain "http:\/\/" or "https:\/\/"/));
    it("rejects a tag key longer than 128 characters", () =>
      expectOneFailure((i) => (i.scalingGroup.tags = [{ key: "k".repeat(129) }]), "scalingGroup.tags[0].key", /at most 128 character/));
    it("rejects an unknown key inside a tag", () =>
      expectOneFailure((i) => (i.scalingGroup.tags = [{ key: "a", colour: "red" }]), "scalingGroup.tags[0]", /unknown key\(s\) "colour"/));
  });

  describe("disks", () => {
    it("rejects system disk provisioned IOPS without the cloud_auto category", () =>
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { systemDiskCategory: "cloud_essd", systemDiskProvisionedIops: 1000 }),
        "scalingGroup.systemDiskCategory",
        /must be cloud_auto when scalingGroup\.systemDiskProvisionedIops is set/,
      ));
    it("rejects system disk provisioned IOPS above min{50000, 1000*size - baseline}", () =>
      // 40 GiB: baseline = min(1800 + 50*40, 50000) = 3800; limit = min(50000, 40000 - 3800) = 36200.
      expectOneFailure(
        (i) => Object.assign(i.scalingGroup, { systemDiskCategory: "cloud_auto", systemDiskSize: 40, systemDiskProvisionedIops: 36201 }),
        "scalingGroup.systemDiskProvisionedIops",
        /must be <= 36200 for a 40 GiB system disk \(got 36201\)/,
      ));
    it("accepts system disk provisioned IOPS at the limit", () =>
      expect(failuresOf((i) => Object.assign(i.scalingGroup, { systemDiskCategory: "cloud_auto", systemDiskSize: 40, systemDiskProvisionedIops: 36200 }))).toEqual([]));
    it("rejects data disk provisioned IOPS without the cloud_auto category", () =>
      expectOneFailure(
        (i) => (i.scalingGroup.dataDisks = [{ category: "cloud_essd", size: 100, provisionedIops: 1000 }]),
        "scalingGroup.dataDisks[0].category",
        /must be cloud_auto when provisionedIops is set/,
      ));
    it("rejects data disk provisioned IOPS above the limit for its size", () =>
      expectOneFailure(
        (i) => (i.scalingGroup.dataDisks = [{ category: "cloud_auto", size: 40, provisionedIops: 40000 }]),
        "scalingGroup.dataDisks[0].provisionedIops",
        /must be <= 36200 for a 40 GiB disk/,
      ));
  });

  describe("formats", () => {
    it("rejects a nodeNameMode that is not customized,<prefix>,ip,<suffix>", () =>
      expectOneFailure((i) => (i.kubernetesConfig = { nodeNameMode: "aliyun.com" }), "kubernetesConfig.nodeNameMode", /customized,<prefix>,ip,<suffix>/));
    it("rejects a timeout that is not a duration", () =>
      expectOneFailure((i) => (i.timeouts = { create: "soon" }), "timeouts.create", /positive duration such as "45m".*\(got "soon"\)/));
  });

  describe("shape", () => {
    it("rejects an unknown property with a did-you-mean hint", () =>
      expectOneFailure((i) => (i.scalingGroup.vswitchId = "vsw-a"), "scalingGroup.vswitchId", /not a property of this resource; did you mean "vswitchIds"\?/));
    it("rejects an unknown top-level property", () =>
      expectOneFailure((i) => (i.scallingGroup = {}), "scallingGroup", /did you mean "scalingGroup"\?/));
    it("ignores the keys the Pulumi runtime adds", () =>
      expect(failuresOf((i) => (i.__provider = "serialized"))).toEqual([]));
    it("reports a container that is not an object once, without follow-on failures", () =>
      expectOneFailure((i) => (i.scalingGroup = "x"), "scalingGroup", /must be an object \(got a string\)/));
    it("reports a missing required field", () =>
      expectOneFailure((i) => delete i.nodepoolInfo, "nodepoolInfo.name", /is required/));
    it("rejects a value of the wrong type", () =>
      expectOneFailure((i) => (i.scalingGroup.systemDiskSize = "40"), "scalingGroup.systemDiskSize", /must be a number \(got a string\)/));
  });

  it("reports all failures at once", () => {
    const failures = failuresOf((i) => {
      i.scalingGroup.vswitchIds = ids(9, "vsw");
      i.scalingGroup.systemDiskSize = 10;
      i.autoScaling = { type: "tpu" };
      i.loginPassword = "Passw0rd!"; // together with the key pair
      i.kubernetesConfig = { nodeNameMod: "customized,a,ip," };
    });
    expect(failures.map((f) => f.property).sort()).toEqual(
      ["autoScaling.type", "kubernetesConfig.nodeNameMod", "scalingGroup.keyPair", "scalingGroup.systemDiskSize", "scalingGroup.vswitchIds"],
    );
  });

  describe("unknown values during preview", () => {
    it.each([
      ["a leaf", (i: Inputs) => (i.scalingGroup.systemDiskSize = UNKNOWN)],
      ["a required leaf", (i: Inputs) => (i.clusterId = UNKNOWN)],
      ["a whole section", (i: Inputs) => (i.scalingGroup = UNKNOWN)],
      ["an array element", (i: Inputs) => (i.scalingGroup.vswitchIds = ["vsw-a", UNKNOWN])],
      ["a whole array", (i: Inputs) => (i.scalingGroup.instanceTypes = UNKNOWN)],
      ["a value inside a taint", (i: Inputs) => (i.kubernetesConfig = { taints: [{ key: "gpu", effect: UNKNOWN }] })],
      ["a whole taint", (i: Inputs) => (i.kubernetesConfig = { taints: [UNKNOWN] })],
      ["a data disk size", (i: Inputs) => (i.scalingGroup.dataDisks = [{ category: "cloud_auto", size: UNKNOWN, provisionedIops: 1000 }])],
      ["a nested section", (i: Inputs) => (i.management = { autoRepairPolicy: UNKNOWN })],
    ])("accepts the unknown value in %s", (_where, change) => {
      expect(failuresOf(change)).toEqual([]);
    });

    it("keeps checking the known fields next to an unknown one", () =>
      expectOneFailure((i) => Object.assign(i.scalingGroup, { vswitchIds: [UNKNOWN], systemDiskSize: 10 }), "scalingGroup.systemDiskSize", />= 20/));

    it.each([
      ["minInstances", (i: Inputs) => (i.autoScaling = { minInstances: UNKNOWN, maxInstances: 3 })],
      ["maxInstances", (i: Inputs) => (i.autoScaling = { minInstances: 5, maxInstances: UNKNOWN })],
      ["the key pair (with a password)", (i: Inputs) => { i.scalingGroup.keyPair = UNKNOWN; i.loginPassword = "Passw0rd!"; }],
      ["the password (with a key pair)", (i: Inputs) => (i.loginPassword = UNKNOWN)],
      ["the charge type (PrePaid rule)", (i: Inputs) => (i.scalingGroup.instanceChargeType = UNKNOWN)],
      ["the period unit", (i: Inputs) => Object.assign(i.scalingGroup, { instanceChargeType: "PrePaid", period: 10, periodUnit: UNKNOWN })],
      ["the system disk size (IOPS limit)", (i: Inputs) => Object.assign(i.scalingGroup, { systemDiskCategory: "cloud_auto", systemDiskSize: UNKNOWN, systemDiskProvisionedIops: 50000 })],
      ["the private pool options", (i: Inputs) => Object.assign(i.scalingGroup, { privatePoolOptions: UNKNOWN, resourcePoolOptions: { strategy: "PrivatePoolFirst" } })],
    ])("skips a cross-field rule while %s is unknown", (_which, change) => {
      expect(failuresOf(change)).toEqual([]);
    });
  });

  describe("secrets", () => {
    it.each([
      ["too short", "Ab1!"],
      ["too long", `Aa1!${"x".repeat(40)}`],
      ["with too few character classes", "onlylowercaseletters"],
    ])("never shows a loginPassword that is %s", (_why, password) => {
      const failures = failuresOf((i) => { delete i.scalingGroup.keyPair; i.loginPassword = password; });
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) {
        expect(f.property).toBe("loginPassword");
        expect(f.reason).not.toContain(password);
        expect(f.reason).not.toContain(password.slice(0, 4));
      }
    });

    it("states the password rule without the value", () =>
      expectOneFailure(
        (i) => { delete i.scalingGroup.keyPair; i.loginPassword = "onlylowercaseletters"; },
        "loginPassword",
        /^must contain at least three of: uppercase letters, lowercase letters, digits, special characters$/,
      ));

    it("never shows a password given together with a key pair", () => {
      const failures = failuresOf((i) => (i.loginPassword = "Secret#Value9"));
      expect(JSON.stringify(failures)).not.toContain("Secret#Value9");
    });
  });

  describe("normalisation", () => {
    it("returns plain-text userData as base64", () => {
      const script = "#!/bin/bash\necho ready > /tmp/ready";
      const outcome = checkInputs(ackNodePoolSpec, { ...base(), kubernetesConfig: { userData: script, preUserData: "echo pre" } });
      expect(outcome.failures).toEqual([]);
      expect(getPath(outcome.inputs, "kubernetesConfig.userData")).toBe(Buffer.from(script, "utf8").toString("base64"));
      expect(getPath(outcome.inputs, "kubernetesConfig.preUserData")).toBe(Buffer.from("echo pre", "utf8").toString("base64"));
    });

    it("keeps base64 userData unchanged", () => {
      const encoded = Buffer.from("#!/bin/bash\necho ready", "utf8").toString("base64");
      const outcome = checkInputs(ackNodePoolSpec, { ...base(), kubernetesConfig: { userData: encoded } });
      expect(getPath(outcome.inputs, "kubernetesConfig.userData")).toBe(encoded);
    });

    it("does not modify the caller's inputs", () => {
      const inputs = { ...base(), kubernetesConfig: { userData: "echo hi" } };
      checkInputs(ackNodePoolSpec, inputs);
      expect(inputs.kubernetesConfig.userData).toBe("echo hi");
    });
  });

  it("is pure: check.ts imports no HTTP client, emulator or cloud call", () => {
    const dir = path.join(__dirname, "../../provider/core/fields");
    const importsOf = (file: string) =>
      [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/(?:from|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
    const imports = importsOf("check.ts");
    expect(imports.length).toBeGreaterThan(0);
    // Its local imports stay inside the field engine, and those import only zod and each other.
    const local = imports.filter((m) => m.startsWith("."));
    expect(local.every((m) => /^\.\/[a-z]+$/.test(m))).toBe(true);
    const reachable = new Set([...imports, ...local.flatMap((m) => importsOf(`${m.slice(2)}.ts`))]);
    for (const m of reachable) {
      expect(m).not.toMatch(/http|emulator|axios|client|alibaba|signing|^https?$|^net$|^tls$/);
      expect(m.startsWith(".") || m === "zod" || m.startsWith("zod/")).toBe(true);
    }
  });
});
