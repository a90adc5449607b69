/**
 * Input validation of alicloud.eflo.NodeGroup, derived from its field table: every documented constraint is checked
 * before any API call, each violation is reported with the property path and the rule, all at once, and Pulumi's
 * unknown value (preview) is accepted anywhere.
 */
import { checkInputs, type CheckFailure } from "../../provider/core/fields/check";
import { referenceMarkdown } from "../../provider/core/fields/docs";
import { getPath, UNKNOWN } from "../../provider/core/fields/spec";
import { efloNodeGroupSpec } from "../../provider/resources/eflo-nodegroup/fields";
import { efloNodeGroupHandlers } from "../../provider/resources/eflo-nodegroup/handler";

type Inputs = Record<string, any>;

/** A valid group: the documented required fields. */
function base(): Inputs {
  return {
    clusterId: "i118191731740041623425",
    nodeGroup: {
      az: "cn-wulanchabu-b",
      nodeGroupName: "gpu-group",
      machineType: "efg2.C48cNHmcn",
      imageId: "i191887641687336652616",
    },
  };
}

function failuresOf(change: (i: Inputs) => void): CheckFailure[] {
  const inputs = base();
  change(inputs);
  return checkInputs(efloNodeGroupSpec, inputs).failures;
}

/** Exactly one failure, on `property`, whose reason matches `reason`. */
function expectOneFailure(change: (i: Inputs) => void, property: string, reason: RegExp): void {
  const failures = failuresOf(change);
  expect(failures).toHaveLength(1);
  expect(failures[0].property).toBe(property);
  expect(failures[0].reason).toMatch(reason);
}

describe("alicloud.eflo.NodeGroup check", () => {
  it("accepts the required fields alone", () => {
    expect(checkInputs(efloNodeGroupSpec, base()).failures).toEqual([]);
  });

  it("accepts every documented field set to a valid value", () => {
    const outcome = checkInputs(efloNodeGroupSpec, {
      ...base(),
      nodeGroup: {
        ...base().nodeGroup,
        nodeGroupDescription: "GPU nodes",
        userData: "#!/bin/bash\nuptime",
        systemDisk: { size: 1000, performanceLevel: "PL0", category: "cloud_essd" },
        fileSystemMountEnabled: true,
        virtualGpuEnabled: false,
        keyPairName: "ml-team",
        ramRoleName: "lingjun-role",
      },
      loginPassword: "test-LoginPassword",
      nodeUnit: { NodeUnitId: "3c2999a8-2b95-4409-93c5-ad3985fc5c9f", ResourceGroupId: "", MaxNodes: 0, NodeUnitName: "unit" },
      timeouts: { create: "10m", update: "3h", delete: "90s" },
    });
    expect(outcome.failures).toEqual([]);
  });

  describe("required fields (documented Required: Yes)", () => {
    it.each([
      ["clusterId", (i: Inputs) => delete i.clusterId],
      ["nodeGroup.az", (i: Inputs) => delete i.nodeGroup.az],
      ["nodeGroup.nodeGroupName", (i: Inputs) => delete i.nodeGroup.nodeGroupName],
      ["nodeGroup.machineType", (i: Inputs) => delete i.nodeGroup.machineType],
      ["nodeGroup.imageId", (i: Inputs) => delete i.nodeGroup.imageId],
    ])("rejects a group without %s", (path, change) => expectOneFailure(change, path, /^is required$/));

    it("reports every missing required field at once when the whole nodeGroup is missing", () => {
      const failures = failuresOf((i) => delete i.nodeGroup);
      expect(failures.map((f) => f.property).sort()).toEqual(["nodeGroup.az", "nodeGroup.imageId", "nodeGroup.machineType", "nodeGroup.nodeGroupName"]);
    });

    it.each([
      ["clusterId", (i: Inputs) => (i.clusterId = "")],
      ["nodeGroup.az", (i: Inputs) => (i.nodeGroup.az = "")],
      ["nodeGroup.nodeGroupName", (i: Inputs) => (i.nodeGroup.nodeGroupName = "")],
      ["nodeGroup.machineType", (i: Inputs) => (i.nodeGroup.machineType = "")],
      ["nodeGroup.imageId", (i: Inputs) => (i.nodeGroup.imageId = "")],
      ["nodeGroup.keyPairName", (i: Inputs) => (i.nodeGroup.keyPairName = "")],
      ["nodeGroup.ramRoleName", (i: Inputs) => (i.nodeGroup.ramRoleName = "")],
    ])("rejects an empty %s", (path, change) => expectOneFailure(change, path, /must not be empty/));
  });

  describe("system disk", () => {
    it("rejects a fractional size (integer, in GB)", () =>
      expectOneFailure((i) => (i.nodeGroup.systemDisk = { size: 99.5 }), "nodeGroup.systemDisk.size", /whole number \(got 99\.5\)/));
    it("rejects a size of 0 GB", () => expectOneFailure((i) => (i.nodeGroup.systemDisk = { size: 0 }), "nodeGroup.systemDisk.size", />= 1 \(got 0\)/));
    it("rejects a performance level other than PL0 and PL1", () =>
      expectOneFailure((i) => (i.nodeGroup.systemDisk = { performanceLevel: "PL2" }), "nodeGroup.systemDisk.performanceLevel", /must be one of "PL0", "PL1" \(got "PL2"\)/));
    it("rejects a category other than cloud_essd", () =>
      expectOneFailure((i) => (i.nodeGroup.systemDisk = { category: "cloud_ssd" }), "nodeGroup.systemDisk.category", /must be one of "cloud_essd" \(got "cloud_ssd"\)/));
    it("rejects a system disk that is not an object", () =>
      expectOneFailure((i) => (i.nodeGroup.systemDisk = 500), "nodeGroup.systemDisk", /must be an object \(got a number\)/));
  });

  describe("types", () => {
    it.each([
      ["nodeGroup.fileSystemMountEnabled", (i: Inputs) => (i.nodeGroup.fileSystemMountEnabled = "true")],
      ["nodeGroup.virtualGpuEnabled", (i: Inputs) => (i.nodeGroup.virtualGpuEnabled = 1)],
    ])("rejects a %s that is not a boolean", (path, change) => expectOneFailure(change, path, /must be a boolean/));

    it("rejects a nodeUnit that is not an object", () => expectOneFailure((i) => (i.nodeUnit = "unit-a"), "nodeUnit", /must be (an object|a record)/));
    it("rejects a nodeGroup that is not an object, once", () => expectOneFailure((i) => (i.nodeGroup = ["a"]), "nodeGroup", /must be an object \(got an array\)/));
    it("rejects a description that is not text", () => expectOneFailure((i) => (i.nodeGroup.nodeGroupDescription = 42), "nodeGroup.nodeGroupDescription", /must be a string/));
  });

  describe("user data (the SDK reference: at most 16 KB of script)", () => {
    it("accepts 16 KB of plain text", () => expect(failuresOf((i) => (i.nodeGroup.userData = "x".repeat(16 * 1024)))).toEqual([]));
    it("rejects 16 KB and one byte of plain text", () =>
      expectOneFailure((i) => (i.nodeGroup.userData = "x".repeat(16 * 1024 + 1)), "nodeGroup.userData", /at most 16384 bytes/));
    it("measures base64 user data by its decoded size", () => {
      expect(failuresOf((i) => (i.nodeGroup.userData = Buffer.alloc(16 * 1024, 65).toString("base64")))).toEqual([]);
      expectOneFailure((i) => (i.nodeGroup.userData = Buffer.alloc(16 * 1024 + 3, 65).toString("base64")), "nodeGroup.userData", /16 KB/);
    });
    it("keeps user data exactly as given (no base64 conversion)", () => {
      const outcome = checkInputs(efloNodeGroupSpec, { ...base(), nodeGroup: { ...base().nodeGroup, userData: "#!/bin/sh\necho hi" } });
      expect(getPath(outcome.inputs, "nodeGroup.userData")).toBe("#!/bin/sh\necho hi");
    });
  });

  describe("package settings and shape", () => {
    it("rejects a timeout that is not a duration", () =>
      expectOneFailure((i) => (i.timeouts = { update: "forever" }), "timeouts.update", /positive duration such as "45m".*\(got "forever"\)/));
    it("rejects an unknown property with a did-you-mean hint", () =>
      expectOneFailure((i) => (i.nodeGroup.imageID = "i-1"), "nodeGroup.imageID", /not a property of this resource; did you mean "imageId"\?/));
    it("rejects the password inside nodeGroup, pointing at the top-level property", () => {
      const failures = failuresOf((i) => (i.nodeGroup.loginPassword = "Secret-Pw1"));
      expect(failures).toEqual([{ property: "nodeGroup.loginPassword", reason: expect.stringMatching(/not a property of this resource/) }]);
      expect(JSON.stringify(failures)).not.toContain("Secret-Pw1");
    });
    it("reports every problem at once", () => {
      const failures = failuresOf((i) => {
        delete i.clusterId;
        i.nodeGroup.systemDisk = { size: 0, category: "hdd" };
        i.timeouts = { create: "soon" };
      });
      expect(failures.map((f) => f.property).sort()).toEqual(["clusterId", "nodeGroup.systemDisk.category", "nodeGroup.systemDisk.size", "timeouts.create"]);
    });
  });

  describe("unknown values during preview", () => {
    it.each([
      ["a required leaf", (i: Inputs) => (i.clusterId = UNKNOWN)],
      ["the whole nodeGroup", (i: Inputs) => (i.nodeGroup = UNKNOWN)],
      ["the system disk", (i: Inputs) => (i.nodeGroup.systemDisk = UNKNOWN)],
      ["a system disk member", (i: Inputs) => (i.nodeGroup.systemDisk = { size: UNKNOWN, category: "cloud_essd" })],
      ["the password", (i: Inputs) => (i.loginPassword = UNKNOWN)],
      ["a value inside nodeUnit", (i: Inputs) => (i.nodeUnit = { NodeUnitId: UNKNOWN })],
    ])("accepts the unknown value in %s", (_where, change) => {
      expect(failuresOf(change)).toEqual([]);
    });

    it("keeps checking the known fields next to an unknown one", () =>
      expectOneFailure((i) => Object.assign(i.nodeGroup, { az: UNKNOWN, systemDisk: { size: -1 } }), "nodeGroup.systemDisk.size", />= 1/));
  });

  describe("secrets", () => {
    it("never shows the password in a failure", () => {
      const failures = failuresOf((i) => (i.loginPassword = ""));
      expect(failures).toEqual([{ property: "loginPassword", reason: "must not be empty" }]);
      const typed = failuresOf((i) => (i.loginPassword = 12345678));
      expect(typed).toEqual([{ property: "loginPassword", reason: "must be a string (got a number)" }]);
      expect(JSON.stringify(typed)).not.toContain("12345678");
    });
  });

  it("is what the handler's check runs, answering with the same failures and no network", async () => {
    const bad = base();
    bad.nodeGroup.systemDisk = { performanceLevel: "PL3" };
    const r = await efloNodeGroupHandlers.check({}, bad);
    expect(r.failures).toEqual([{ property: "nodeGroup.systemDisk.performanceLevel", reason: expect.stringMatching(/PL0.*PL1/) }]);
  });

  it("renders one reference row per field with the documented constraints", () => {
    const md = referenceMarkdown(efloNodeGroupSpec);
    for (const f of efloNodeGroupSpec.fields) expect(md.split("\n").filter((l) => l.startsWith(`| \`${f.path}\` |`))).toHaveLength(1);
    expect(md).toContain("| `nodeGroup.systemDisk.size` | integer, >= 1 |");
    expect(md).toContain("one of `PL0`, `PL1`");
    expect(md).toContain("Secret: stored encrypted");
    expect(md).toContain("update in place via `UpdateNodeGroup`");
    for (const line of md.split("\n").filter((l) => l.startsWith("| `"))) expect((line.split(" | ")[1] ?? "").length).toBeLessThan(400);
  });
});
