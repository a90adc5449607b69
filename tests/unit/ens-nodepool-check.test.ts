/**
 * Input validation of alicloud.ens.NodePool, derived from its field table: every documented rule is checked before
 * any API call, each violation is reported with its property path and the rule, unknown values (preview) pass, and
 * the preview-time scale-in rule compares the old inputs with the new ones.
 */
import { checkInputs, type CheckFailure } from "../../provider/core/fields/check";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { ensNodePoolSpec } from "../../provider/resources/ens-nodepool/fields";
import { ensNodePoolHandlers as h, scaleInFailure } from "../../provider/resources/ens-nodepool/handler";

type Inputs = Record<string, any>;

/** A valid pool: the required fields and a key pair. */
function base(): Inputs {
  return {
    clusterId: "eck-d2666c5f",
    nodepoolInfo: { name: "edge" },
    scalingGroup: {
      vswitchIds: ["vsw-58eu2p6v64qw8ihhit1wz7wgv"],
      instanceTypes: ["ens.sn1.small"],
      imageId: "m-6734fzvcwcv2o8jj201cpa7ox",
      keyPairName: "edge-key",
    },
  };
}

function failuresOf(change: (i: Inputs) => void): CheckFailure[] {
  const inputs = base();
  change(inputs);
  return checkInputs(ensNodePoolSpec, inputs).failures;
}

/** Exactly one failure, on `property`, whose reason matches `reason`. */
function expectOneFailure(change: (i: Inputs) => void, property: string, reason: RegExp): void {
  const failures = failuresOf(change);
  expect(failures).toHaveLength(1);
  expect(failures[0].property).toBe(property);
  expect(failures[0].reason).toMatch(reason);
}

describe("alicloud.ens.NodePool check", () => {
  it("accepts the required inputs with a key pair", () => {
    expect(checkInputs(ensNodePoolSpec, base()).failures).toEqual([]);
  });

  it("accepts every documented field with valid values, and a password instead of the key pair", () => {
    const outcome = checkInputs(ensNodePoolSpec, {
      ...base(),
      password: "Edge-Passw0rd",
      scalingGroup: {
        ...base().scalingGroup,
        keyPairName: undefined,
        desiredSize: 0,
        vswitchIds: ["vsw-1", "vsw-2"],
        instanceChargeType: "PrePaid",
        instanceTypes: ["ens.sn1.small", "ens.gn5i.large"],
        systemDiskCategory: "local_ssd",
        systemDiskSize: 20,
        dataDisks: [{ category: "cloud_ssd", size: 20 }, { size: 2000 }],
      },
      kubernetesConfig: { preUserData: "ZWNobyBvawo=", userData: "#!/bin/sh\necho ok" },
      timeouts: { create: "1h30m", update: "45m", delete: "90s" },
    });
    expect(outcome.failures).toEqual([]);
  });

  it("reports every missing required field at once", () => {
    const outcome = checkInputs(ensNodePoolSpec, { scalingGroup: { keyPairName: "k" } });
    expect(outcome.failures.map((f) => [f.property, f.reason])).toEqual([
      ["clusterId", "is required"],
      ["nodepoolInfo.name", "is required"],
      ["scalingGroup.vswitchIds", "is required"],
      ["scalingGroup.instanceTypes", "is required"],
      ["scalingGroup.imageId", "is required"],
    ]);
  });

  it.each<[string, (i: Inputs) => void, string, RegExp]>([
    ["an empty cluster id", (i) => (i.clusterId = ""), "clusterId", /must not be empty/],
    ["an empty pool name", (i) => (i.nodepoolInfo.name = ""), "nodepoolInfo.name", /must not be empty/],
    ["a negative desired size", (i) => (i.scalingGroup.desiredSize = -1), "scalingGroup.desiredSize", /must be >= 0 \(got -1\)/],
    ["a fractional desired size", (i) => (i.scalingGroup.desiredSize = 1.5), "scalingGroup.desiredSize", /whole number/],
    ["no vSwitch", (i) => (i.scalingGroup.vswitchIds = []), "scalingGroup.vswitchIds", /at least 1 item/],
    ["an empty vSwitch id", (i) => (i.scalingGroup.vswitchIds = [""]), "scalingGroup.vswitchIds[0]", /must not be empty/],
    ["no instance type", (i) => (i.scalingGroup.instanceTypes = []), "scalingGroup.instanceTypes", /at least 1 item/],
    ["an unknown billing method", (i) => (i.scalingGroup.instanceChargeType = "PayByTraffic"), "scalingGroup.instanceChargeType", /one of "PrePaid", "PostPaid"/],
    ["an undocumented system disk category", (i) => (i.scalingGroup.systemDiskCategory = "cloud_essd"), "scalingGroup.systemDiskCategory", /one of "local_ssd", "local_hdd", "cloud_efficiency", "cloud_ssd" \(got "cloud_essd"\)/],
    ["a system disk below 20 GB", (i) => (i.scalingGroup.systemDiskSize = 10), "scalingGroup.systemDiskSize", /must be >= 20 \(got 10\)/],
    ["a system disk size that is not a multiple of 10", (i) => (i.scalingGroup.systemDiskSize = 25), "scalingGroup.systemDiskSize", /multiple of 10 \(got 25\)/],
    ["an empty image id", (i) => (i.scalingGroup.imageId = ""), "scalingGroup.imageId", /must not be empty/],
    ["a data disk below 20 GB", (i) => (i.scalingGroup.dataDisks = [{ size: 10 }]), "scalingGroup.dataDisks[0].size", /must be >= 20 \(got 10\)/],
    ["a data disk size that is not a multiple of 10", (i) => (i.scalingGroup.dataDisks = [{ size: 20 }, { size: 35 }]), "scalingGroup.dataDisks[1].size", /multiple of 10 \(got 35\)/],
    ["an unknown data disk key", (i) => (i.scalingGroup.dataDisks = [{ size: 20, iops: 3 }]), "scalingGroup.dataDisks[0]", /unknown key\(s\) "iops"/],
    ["an empty key pair name", (i) => (i.scalingGroup.keyPairName = ""), "scalingGroup.keyPairName", /must not be empty/],
    ["user data that is not text", (i) => (i.kubernetesConfig = { userData: 42 }), "kubernetesConfig.userData", /must be a string/],
    ["a malformed timeout", (i) => (i.timeouts = { create: "soon" }), "timeouts.create", /positive duration/],
    ["a misspelt property", (i) => (i.scalingGroup.imageID = "m-1"), "scalingGroup.imageID", /not a property of this resource; did you mean "imageId"\?/],
  ])("rejects %s with the property path and the rule", (_name, change, property, reason) => {
    expectOneFailure(change, property, reason);
  });

  it("requires exactly one of the key pair and the password", () => {
    expectOneFailure((i) => delete i.scalingGroup.keyPairName, "scalingGroup.keyPairName", /one of scalingGroup.keyPairName or password is required/);
    expectOneFailure((i) => (i.password = "Edge-Passw0rd"), "scalingGroup.keyPairName", /either scalingGroup.keyPairName or password, not both/);
  });

  it("never shows the password in a failure", () => {
    const failures = failuresOf((i) => {
      i.password = 12345678;
      delete i.scalingGroup.keyPairName;
    });
    expect(failures.map((f) => f.property)).toEqual(["password"]);
    expect(JSON.stringify(failures)).not.toContain("12345678");
  });

  it("accepts Pulumi's unknown value anywhere during preview, including in the login rule", () => {
    const failures = failuresOf((i) => {
      i.clusterId = UNKNOWN;
      i.scalingGroup.vswitchIds = UNKNOWN;
      i.scalingGroup.systemDiskSize = UNKNOWN;
      i.scalingGroup.dataDisks = [{ size: UNKNOWN }];
      i.scalingGroup.keyPairName = UNKNOWN;
      i.password = UNKNOWN;
    });
    expect(failures).toEqual([]);
    expect(failuresOf((i) => (i.scalingGroup = UNKNOWN))).toEqual([]);
  });

  it("returns the scripts normalised to base64", () => {
    const r = checkInputs(ensNodePoolSpec, { ...base(), kubernetesConfig: { userData: "echo ok", preUserData: "ZWNobyBvawo=" } });
    expect(r.inputs.kubernetesConfig).toEqual({ userData: Buffer.from("echo ok").toString("base64"), preUserData: "ZWNobyBvawo=" });
  });
});

describe("alicloud.ens.NodePool check: the desired size cannot go down in place", () => {
  const withSize = (n: number | string, change: (i: Inputs) => void = () => undefined): Inputs => {
    const i = base();
    i.scalingGroup.desiredSize = n;
    change(i);
    return checkInputs(ensNodePoolSpec, i).inputs;
  };

  it("fails at preview when the desired size is lowered, naming the property, both sizes and the way out", async () => {
    const r = await h.check(withSize(3), withSize(2));
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].property).toBe("scalingGroup.desiredSize");
    expect(r.failures![0].reason).toMatch(/cannot be lowered from 3 to 2 in place/);
    expect(r.failures![0].reason).toMatch(/ScaleClusterNodePool only adds nodes/);
    expect(r.failures![0].reason).toMatch(/DeleteClusterNodes.*pulumi refresh/);
  });

  it("accepts a higher or equal desired size, a first size, a removed size and an unknown size", async () => {
    expect((await h.check(withSize(2), withSize(5))).failures).toBeUndefined();
    expect((await h.check(withSize(2), withSize(2))).failures).toBeUndefined();
    expect((await h.check(base(), withSize(1))).failures).toBeUndefined();
    expect((await h.check(withSize(3), base())).failures).toBeUndefined();
    expect((await h.check(withSize(3), withSize(UNKNOWN))).failures).toBeUndefined();
  });

  it("accepts a lower desired size when the same change replaces the pool", async () => {
    const renamed = withSize(1, (i) => (i.nodepoolInfo.name = "edge-small"));
    expect((await h.check(withSize(3), renamed)).failures).toBeUndefined();
    expect(scaleInFailure(withSize(3), withSize(1, (i) => (i.clusterId = "eck-other")))).toBeUndefined();
  });

  it("accepts a create (no old inputs) of any size", async () => {
    const r = await h.check({}, withSize(0));
    expect(r.failures).toBeUndefined();
  });

  it("reports the field rules first and the scale-in rule only for otherwise valid inputs", async () => {
    const bad = withSize(1);
    bad.scalingGroup.systemDiskSize = 25;
    const r = await h.check(withSize(3), bad);
    expect(r.failures!.map((f) => f.property)).toEqual(["scalingGroup.systemDiskSize"]);
  });
});
