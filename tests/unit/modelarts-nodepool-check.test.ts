/**
 * Input validation of huaweicloud.modelarts.NodePool, derived from its field table: every documented constraint is
 * checked before any API call, each violation reported with the property path and the rule, all at once, and
 * Pulumi's unknown value (preview) is accepted anywhere.
 */
import { checkInputs, type CheckFailure } from "../../provider/core/fields/check";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { modelArtsNodePoolSpec as spec } from "../../provider/resources/modelarts-nodepool/fields";

type Inputs = Record<string, any>;

/** A valid node pool: the required fields only. */
function base(): Inputs {
  return {
    poolName: "pool-gpu-a",
    metadata: { name: "nodepool-1" },
    spec: { resources: { flavor: "modelarts.vm.gpu.t4u8", count: 2, maxCount: 2 } },
  };
}

const yearlyMonthly = { billingMode: "1", periodNum: "2", periodType: "2", orderId: "CS2601011200ABCDE" };

function failuresOf(change: (i: Inputs) => void): CheckFailure[] {
  const inputs = base();
  change(inputs);
  return checkInputs(spec, inputs).failures;
}

/** Exactly one failure, on `property`, whose reason matches `reason`. */
function expectOneFailure(change: (i: Inputs) => void, property: string, reason: RegExp): void {
  const failures = failuresOf(change);
  expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
}

const r = (i: Inputs) => i.spec.resources;

describe("huaweicloud.modelarts.NodePool check", () => {
  it("accepts the base inputs", () => {
    expect(checkInputs(spec, base()).failures).toEqual([]);
  });

  it("accepts a full, valid configuration (every documented field, yearly/monthly billing)", () => {
    const outcome = checkInputs(spec, {
      poolName: "pool-gpu-a",
      metadata: { name: "nodepool-1", annotations: { ...yearlyMonthly, autoRenew: "1", promotionInfo: "p-1", serviceConsoleUrl: "https://console.example.com/done" } },
      spec: {
        resources: {
          flavor: "modelarts.vm.gpu.t4u8",
          count: 2,
          maxCount: 8,
          azs: [{ az: "cn-north-4a", count: 1 }, { az: "cn-north-4b", count: 1 }],
          nodePool: "nodepool-1",
          taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }, { key: "dedicated", effect: "NoExecute" }],
          labels: { accelerator: "t4", "node.kubernetes.io/pool": "gpu" },
          tags: [{ key: "env", value: "dev" }, { key: "owner", value: "" }],
          network: { vpc: "vpc-1", subnet: "subnet-1", securityGroups: ["sg-1", "sg-2"] },
          extendParams: { dockerBaseSize: "0" },
          creatingStep: { step: 8, type: "hyperinstance" },
          os: { name: "EulerOS 2.10", imageId: "img-1", imageType: "private" },
        },
      },
      timeouts: { create: "2h", update: "1h30m", delete: "45m" },
    });
    expect(outcome.failures).toEqual([]);
  });

  describe("names and required fields", () => {
    it("requires poolName", () => expectOneFailure((i) => delete i.poolName, "poolName", /is required/));
    it("requires metadata.name", () => expectOneFailure((i) => delete i.metadata.name, "metadata.name", /is required/));
    it("requires spec.resources.flavor", () => expectOneFailure((i) => delete r(i).flavor, "spec.resources.flavor", /is required/));
    it("requires spec.resources.count", () => expectOneFailure((i) => delete r(i).count, "spec.resources.count", /is required/));
    it("requires spec.resources.maxCount", () => expectOneFailure((i) => delete r(i).maxCount, "spec.resources.maxCount", /is required/));
    it("rejects an empty flavor", () => expectOneFailure((i) => (r(i).flavor = ""), "spec.resources.flavor", /must not be empty/));
    it.each([["a/b"], [".."], [""], ["-x"], ["x".repeat(129)]])("rejects the poolName %j, which could change the request path", (name) =>
      expectOneFailure((i) => (i.poolName = name), "poolName", /letters, digits, "\.", "_" and "-"/));
    it("rejects a node pool name with a slash", () => expectOneFailure((i) => (i.metadata.name = "np/1"), "metadata.name", /letters, digits/));
    it("accepts dotted and underscored names", () => expect(failuresOf((i) => (i.metadata.name = "np_1.gpu-a"))).toEqual([]));
  });

  describe("counts", () => {
    it("rejects a negative count", () => expectOneFailure((i) => (r(i).count = -1), "spec.resources.count", />= 0 .*-1/));
    it("rejects a fractional maxCount as not a whole number", () => expectOneFailure((i) => (r(i).maxCount = 2.5), "spec.resources.maxCount", /whole number/));
    it("rejects maxCount below count (equal in a physical pool, at least count in a logical one)", () =>
      expectOneFailure((i) => Object.assign(r(i), { count: 3, maxCount: 2 }), "spec.resources.maxCount", /must be >= spec\.resources\.count \(3\) \(got 2\)/));
    it("accepts maxCount above count (a logical pool's elastic limit)", () => expect(failuresOf((i) => (r(i).maxCount = 10))).toEqual([]));
    it("accepts a count of 0", () => expect(failuresOf((i) => Object.assign(r(i), { count: 0, maxCount: 0 }))).toEqual([]));
  });

  describe("AZ distribution", () => {
    it("requires az in every item", () => expectOneFailure((i) => (r(i).azs = [{ count: 1 }]), "spec.resources.azs[0].az", /expected string|must be a string/));
    it("requires count in every item", () => expectOneFailure((i) => (r(i).azs = [{ az: "a" }]), "spec.resources.azs[0].count", /number/));
    it("rejects a negative AZ count", () => expectOneFailure((i) => (r(i).azs = [{ az: "a", count: -1 }]), "spec.resources.azs[0].count", />= 0/));
    it("rejects the same AZ twice", () =>
      expectOneFailure((i) => (r(i).azs = [{ az: "a", count: 1 }, { az: "a", count: 1 }]), "spec.resources.azs[1].az", /duplicate AZ "a"/));
  });

  describe("taints, labels and tags", () => {
    it("requires the taint effect", () => expectOneFailure((i) => (r(i).taints = [{ key: "k" }]), "spec.resources.taints[0].effect", /one of "NoSchedule", "PreferNoSchedule", "NoExecute"/));
    it("rejects an unknown taint effect", () =>
      expectOneFailure((i) => (r(i).taints = [{ key: "k", effect: "Never" }]), "spec.resources.taints[0].effect", /must be one of .* \(got "Never"\)/));
    it("requires the taint key", () => expectOneFailure((i) => (r(i).taints = [{ effect: "NoSchedule" }]), "spec.resources.taints[0].key", /string/));
    it("rejects a taint member that does not exist", () =>
      expectOneFailure((i) => (r(i).taints = [{ key: "k", effect: "NoSchedule", operator: "Exists" }]), "spec.resources.taints[0]", /unknown key\(s\) "operator"/));
    it("rejects a label value that is not text", () => expectOneFailure((i) => (r(i).labels = { a: 1 }), "spec.resources.labels.a", /string/));
    it.each([["CCE-owner"], ["__type_baremetal"], ["__type_baremetal_x"]])("rejects the reserved tag key %s", (key) =>
      expectOneFailure((i) => (r(i).tags = [{ key, value: "v" }]), "spec.resources.tags[0].key", /must not start with "CCE-" or "__type_baremetal"/));
    it("accepts a tag key that merely contains cce-", () => expect(failuresOf((i) => (r(i).tags = [{ key: "my-CCE-tag", value: "v" }]))).toEqual([]));
    it("requires the tag value (documented mandatory)", () => expectOneFailure((i) => (r(i).tags = [{ key: "env" }]), "spec.resources.tags[0].value", /string/));
    it("rejects duplicate tag keys", () =>
      expectOneFailure((i) => (r(i).tags = [{ key: "env", value: "a" }, { key: "env", value: "b" }]), "spec.resources.tags[1].key", /duplicate tag key "env"/));
  });

  describe("network, extend params, creating step and OS", () => {
    it("rejects security groups that are not a list", () => expectOneFailure((i) => (r(i).network = { securityGroups: "sg-1" }), "spec.resources.network.securityGroups", /array/));
    it("rejects an empty VPC id", () => expectOneFailure((i) => (r(i).network = { vpc: "" }), "spec.resources.network.vpc", /must not be empty/));
    it("rejects a dockerBaseSize that is not a whole number of GiB", () =>
      expectOneFailure((i) => (r(i).extendParams = { dockerBaseSize: "50G" }), "spec.resources.extendParams.dockerBaseSize", /whole number of GiB written as text \("0" = no limit\)/));
    it("accepts other extend params as free text", () => expect(failuresOf((i) => (r(i).extendParams = { postInstall: "echo hi" }))).toEqual([]));
    it("rejects a creating step below 1", () => expectOneFailure((i) => (r(i).creatingStep = { step: 0 }), "spec.resources.creatingStep.step", />= 1/));
    it("rejects a creating type other than hyperinstance", () =>
      expectOneFailure((i) => (r(i).creatingStep = { type: "batch" }), "spec.resources.creatingStep.type", /must be one of "hyperinstance"/));
    it("rejects an image type other than private", () => expectOneFailure((i) => (r(i).os = { imageType: "public" }), "spec.resources.os.imageType", /must be one of "private"/));
  });

  describe("billing annotations", () => {
    const annotations = (a: Record<string, unknown>) => (i: Inputs) => (i.metadata.annotations = a);
    it("rejects a billing mode other than 0 and 1", () => expectOneFailure(annotations({ billingMode: "2" }), "metadata.annotations.billingMode", /one of "0", "1"/));
    it("rejects a billing mode given as a number", () => expectOneFailure(annotations({ billingMode: 1 }), "metadata.annotations.billingMode", /one of "0", "1"/));
    it("rejects a period type other than 2 (month), 3 (year) and 4 (hour)", () =>
      expectOneFailure(annotations({ periodType: "1" }), "metadata.annotations.periodType", /one of "2", "3", "4"/));
    it("rejects an auto-renew value other than 0 and 1", () => expectOneFailure(annotations({ autoRenew: "yes" }), "metadata.annotations.autoRenew", /one of "0", "1"/));
    it("rejects a period number that is not a positive whole number", () =>
      expectOneFailure(annotations({ periodNum: "0" }), "metadata.annotations.periodNum", /whole number of periods/));
    it("rejects an annotation that does not exist", () =>
      expectOneFailure(annotations({ billingmode: "0" }), "metadata.annotations", /unknown key\(s\) "billingmode"/));
    it.each([
      ["periodNum", "os.modelarts/period.num"],
      ["periodType", "os.modelarts/period.type"],
      ["orderId", "os.modelarts/order.id"],
    ])("requires %s (%s) for yearly/monthly billing", (name) => {
      const a: Record<string, string> = { ...yearlyMonthly };
      delete a[name];
      expectOneFailure(annotations(a), `metadata.annotations.${name}`, /required when metadata\.annotations\.billingMode is "1" \(yearly\/monthly\)/);
    });
    it("does not require period fields for pay-per-use", () => expect(failuresOf(annotations({ billingMode: "0" }))).toEqual([]));
  });

  describe("package settings", () => {
    it("rejects a timeout that is not a duration", () => expectOneFailure((i) => (i.timeouts = { create: "soon" }), "timeouts.create", /positive duration/));
    it("rejects a zero timeout", () => expectOneFailure((i) => (i.timeouts = { delete: "0m" }), "timeouts.delete", /positive duration/));
  });

  it("names a misspelt property and suggests the right one", () => {
    expectOneFailure((i) => (r(i).maxcount = 2), "spec.resources.maxcount", /not a property of this resource; did you mean "maxCount"\?/);
  });

  it("reports every problem at once", () => {
    const failures = failuresOf((i) => {
      delete i.poolName;
      r(i).count = -1;
      r(i).tags = [{ key: "CCE-x", value: "v" }];
      i.metadata.annotations = { billingMode: "1" };
    });
    expect(failures.map((f) => f.property).sort()).toEqual(
      ["metadata.annotations.orderId", "metadata.annotations.periodNum", "metadata.annotations.periodType", "poolName", "spec.resources.count", "spec.resources.tags[0].key"].sort(),
    );
  });

  it("accepts Pulumi's unknown value anywhere and skips rules over unknown fields", () => {
    expect(failuresOf((i) => (r(i).maxCount = UNKNOWN))).toEqual([]);
    expect(failuresOf((i) => (i.spec = UNKNOWN))).toEqual([]);
    expect(failuresOf((i) => (i.metadata.annotations = { billingMode: UNKNOWN }))).toEqual([]);
    expect(failuresOf((i) => (i.metadata.annotations = UNKNOWN))).toEqual([]);
  });

  it("returns the inputs unchanged when they are valid (no normalisation rewrites them)", () => {
    const inputs = base();
    expect(checkInputs(spec, inputs).inputs).toEqual(inputs);
  });
});
