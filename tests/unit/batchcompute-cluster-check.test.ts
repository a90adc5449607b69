/**
 * Input validation of alicloud.batchcompute.Cluster, derived from its field table: every rule of the CreateCluster
 * error table that concerns the inputs is checked before any API call, each violation is reported with the property
 * path and the rule, and Pulumi's unknown value (preview) is accepted anywhere.
 */
import { checkInputs, type CheckFailure } from "../../provider/core/fields/check";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { batchComputeClusterSpec as spec, isCidrBlock } from "../../provider/resources/batchcompute-cluster/fields";
import { docErrorTable } from "../support/batchcompute";

type Inputs = Record<string, any>;

/** A valid cluster: the required fields only. */
function base(): Inputs {
  return {
    name: "render",
    imageId: "img-ubuntu",
    instanceType: "bcs.a2.large",
    groups: { workers: { desiredVmCount: 2, resourceType: "OnDemand" } },
  };
}

function failuresOf(change: (i: Inputs) => void): CheckFailure[] {
  const inputs = base();
  change(inputs);
  return checkInputs(spec, inputs).failures;
}

/** Exactly one failure, on `property`, whose reason matches `reason`. */
function expectOneFailure(change: (i: Inputs) => void, property: string, reason: RegExp): void {
  const failures = failuresOf(change);
  expect(failures).toHaveLength(1);
  expect(failures[0].property).toBe(property);
  expect(failures[0].reason).toMatch(reason);
}

interface Violation {
  change: (i: Inputs) => void;
  property: string;
  reason: RegExp;
}

const vpc = (i: Inputs, v: Inputs) => (i.configs = { networks: { vpc: v } });
const group = (i: Inputs, g: Inputs) => (i.groups.workers = { ...i.groups.workers, ...g });

/** For each row of the error table (`code|message`): an input that breaks its rule, once. */
const VIOLATIONS: Record<string, Violation[]> = {
  "MissingName|Name is mandatory for this action.": [{ change: (i) => delete i.name, property: "name", reason: /^is required$/ }],
  "MissingConfigs.Networks.VPC.OppositeRouterId|Configs.Networks.VPC.OppositeRouterId is mandatory for this action.": [
    { change: (i) => vpc(i, { oppositeAccessPointId: "ap-1", oppositeRegionId: "cn-beijing" }), property: "configs.networks.vpc.oppositeRouterId", reason: /required when the VPC connects to an opposite router \(oppositeAccessPointId, oppositeRegionId set\)/ },
  ],
  "MissingConfigs.Networks.VPC.OppositeAccessPointId|Configs.Networks.VPC.OppositeAccessPointId is mandatory for this action.": [
    { change: (i) => vpc(i, { oppositeRouterId: "vrt-1", oppositeRegionId: "cn-beijing" }), property: "configs.networks.vpc.oppositeAccessPointId", reason: /required when the VPC connects to an opposite router/ },
  ],
  "MissingConfigs.Networks.VPC.OppositeRegionId|Configs.Networks.VPC.OppositeRegionId is mandatory for this action.": [
    { change: (i) => vpc(i, { oppositeRouterId: "vrt-1", oppositeAccessPointId: "ap-1", oppositeRouterType: "VRouter" }), property: "configs.networks.vpc.oppositeRegionId", reason: /oppositeRouterId, oppositeAccessPointId, oppositeRouterType set/ },
  ],
  "InvalidName|Specified parameter Name is not valid. Its type must be string.": [{ change: (i) => (i.name = 7), property: "name", reason: /must be a string \(got a number\)/ }],
  "InvalidName|Specified parameter Name is not valid. Its length must be in [1, 64].": [
    { change: (i) => (i.name = ""), property: "name", reason: /at least 1 character/ },
    { change: (i) => (i.name = "n".repeat(65)), property: "name", reason: /at most 64 character\(s\) long \(got 65\)/ },
  ],
  "InvalidName|Specified parameter Name is not valid. It must only contain characters within [a-zA-Z0-9_-], and must not start with [0-9].": [
    { change: (i) => (i.name = "9lives"), property: "name", reason: /only letters, digits, "_" and "-", and must not start with a digit \(got "9lives"\)/ },
    { change: (i) => (i.name = "render farm"), property: "name", reason: /only letters, digits/ },
  ],
  "InvalidDescription|Specified parameter Description is not valid. Its type must be string.": [{ change: (i) => (i.description = ["a"]), property: "description", reason: /must be a string/ }],
  "InvalidDescription|Specified parameter Description is not valid. Its length must be in [0, 1024].": [
    { change: (i) => (i.description = "d".repeat(1025)), property: "description", reason: /at most 1024 character\(s\) long \(got 1025\)/ },
  ],
  "MissingImageId|ImageId is mandatory for this action.": [{ change: (i) => delete i.imageId, property: "imageId", reason: /^is required$/ }],
  "InvalidImageId|Specified parameter ImageId is not valid. Its type must be string.": [{ change: (i) => (i.imageId = 1), property: "imageId", reason: /must be a string/ }],
  "InvalidImageId|Specified parameter ImageId is not valid. Its length must be in [1, 256].": [
    { change: (i) => (i.imageId = ""), property: "imageId", reason: /at least 1 character/ },
    { change: (i) => (i.imageId = "m".repeat(257)), property: "imageId", reason: /at most 256 character\(s\) long \(got 257\)/ },
  ],
  "InvalidUserData|Specified parameter UserData is not valid. Its type must be object.": [{ change: (i) => (i.userData = "k=v"), property: "userData", reason: /must be a record/ }],
  "InvalidUserData|Specified parameter UserData is not valid. Its size must be in [0, 64].": [
    { change: (i) => (i.userData = Object.fromEntries(Array.from({ length: 65 }, (_, n) => [`k${n}`, "v"]))), property: "userData", reason: /at most 64 entries \(got 65\)/ },
  ],
  "InvalidUserData.{key}|Specified parameter UserData.{key} is not valid. Its length must be in [1, 128].": [
    { change: (i) => (i.userData = { "": "v" }), property: "userData", reason: /key "" must be 1-128 characters long \(got 0\)/ },
    { change: (i) => (i.userData = { ["k".repeat(129)]: "v" }), property: "userData", reason: /must be 1-128 characters long \(got 129\)/ },
  ],
  "InvalidUserData.{key}.value|Specified parameter UserData.{key}.value is not valid. Its type must be string.": [
    { change: (i) => (i.userData = { role: 1 }), property: "userData.role", reason: /must be a string \(got a number\)/ },
  ],
  "InvalidUserData.{key}.value|Specified parameter UserData.{key}.value is not valid. Its length must be in [0, 1024].": [
    { change: (i) => (i.userData = { role: "v".repeat(1025) }), property: "userData.role", reason: /at most 1024 character\(s\) long \(got 1025\)/ },
  ],
  "InvalidGroups|Specified parameter Groups is not valid. Its type must be object.": [{ change: (i) => (i.groups = ["workers"]), property: "groups", reason: /must be a record \(got an array\)/ }],
  "InvalidGroups.{key}|Specified parameter Groups.{key} is not valid. Its type must be object.": [
    { change: (i) => (i.groups = { workers: 3 }), property: "groups.workers", reason: /must be an object/ },
  ],
  "InvalidGroups.{key}|Specified parameter Groups.{key} is not valid. Its size must be in [1, 64].": [
    { change: (i) => (i.groups = {}), property: "groups", reason: /must have 1-64 groups \(got 0\)/ },
    {
      change: (i) => (i.groups = Object.fromEntries(Array.from({ length: 65 }, (_, n) => [`g${n}`, { desiredVmCount: 1, resourceType: "OnDemand" }]))),
      property: "groups",
      reason: /must have 1-64 groups \(got 65\)/,
    },
    { change: (i) => (i.groups = { ["g".repeat(65)]: { desiredVmCount: 1, resourceType: "OnDemand" } }), property: "groups", reason: /must be 1-64 characters long \(got 65\)/ },
  ],
  "MissingDesiredVMCount|DesiredVMCount is mandatory for this action.": [
    { change: (i) => delete i.groups.workers.desiredVmCount, property: "groups.workers.desiredVmCount", reason: /^is required$/ },
  ],
  "InvalidDesiredVMCount|Specified parameter DesiredVMCount is not valid. Its type must be integer.": [
    { change: (i) => group(i, { desiredVmCount: 1.5 }), property: "groups.workers.desiredVmCount", reason: /must be a whole number \(got 1.5\)/ },
    { change: (i) => group(i, { desiredVmCount: "2" }), property: "groups.workers.desiredVmCount", reason: /must be a number \(got a string\)/ },
  ],
  "InvalidDesiredVMCount|Specified parameter DesiredVMCount is not valid. It must be in [1, 65536].": [
    { change: (i) => group(i, { desiredVmCount: 0 }), property: "groups.workers.desiredVmCount", reason: /must be >= 1 \(got 0\)/ },
    { change: (i) => group(i, { desiredVmCount: 65537 }), property: "groups.workers.desiredVmCount", reason: /must be <= 65536 \(got 65537\)/ },
  ],
  "InvalidCidrBlock|Specified parameter CidrBlock is not valid. Configs.Networks.VPC.CidrBlock is not valid.": [
    { change: (i) => vpc(i, { cidrBlock: "10.0.0.1/8" }), property: "configs.networks.vpc.cidrBlock", reason: /IPv4 CIDR block .*no host bits set \(got "10.0.0.1\/8"\)/ },
    { change: (i) => vpc(i, { cidrBlock: "10.0.0.0/33" }), property: "configs.networks.vpc.cidrBlock", reason: /prefix length 0-32/ },
    { change: (i) => vpc(i, { cidrBlock: "256.0.0.0/8" }), property: "configs.networks.vpc.cidrBlock", reason: /octets 0-255/ },
    { change: (i) => vpc(i, { cidrBlock: "vpc-default" }), property: "configs.networks.vpc.cidrBlock", reason: /IPv4 CIDR block/ },
  ],
  "MissingInstanceType|InstanceType is mandatory for this action.": [{ change: (i) => delete i.instanceType, property: "instanceType", reason: /^is required$/ }],
  "InvalidInstanceType|Specified parameter InstanceType is not valid.": [
    { change: (i) => (i.instanceType = ""), property: "instanceType", reason: /at least 1 character/ },
    { change: (i) => group(i, { instanceType: 5 }), property: "groups.workers.instanceType", reason: /must be a string/ },
  ],
  "MissingResourceType|ResourceType is mandatory for this action.": [
    { change: (i) => delete i.groups.workers.resourceType, property: "groups.workers.resourceType", reason: /^is required$/ },
  ],
  "InvalidResourceType|Specified parameter ResourceType is not valid.": [
    { change: (i) => group(i, { resourceType: "Reserved" }), property: "groups.workers.resourceType", reason: /must be one of "OnDemand", "Spot" \(got "Reserved"\)/ },
  ],
  "Invalid{Parameter}|Specified parameter {Parameter} is not valid.": [
    { change: (i) => group(i, { spotStrategy: "Sometimes" }), property: "groups.workers.spotStrategy", reason: /must be one of "SpotWithPriceLimit", "SpotAsPriceGo"/ },
    { change: (i) => group(i, { spotPriceLimit: -0.1 }), property: "groups.workers.spotPriceLimit", reason: /must be >= 0/ },
    { change: (i) => (i.notification = { topic: { events: ["OnJobFinished"] } }), property: "notification.topic.events[0]", reason: /must be one of "OnClusterDeleted", "OnInstanceCreated", "OnInstanceActive"/ },
    { change: (i) => (i.configs = { disks: { systemDisk: { size: 0 } } }), property: "configs.disks.systemDisk.size", reason: /must be >= 1/ },
  ],
};

/** Rows of the error table that no input can break, and why. */
const NOT_INPUT_RULES: Record<string, string> = {
  "IdempotentTokenMismatch|Specified idempotent token mismatch.": "the token is the handler's; a mismatch moves it to the next generation (handler tests)",
  "InvalidJsonFormat|The request body has an invalid json format.": "the package always sends a JSON body",
  "InvalidHttpBody|Specified parameter HttpBody is not valid. Its type must be object.": "the package always sends a JSON object",
  "QuotaExhausted.MaxClusterCount|The MaxClusterCount ({value}) quota is exhausted.": "an account quota, known only to the cloud",
  "QuotaExhausted.MaxClusterGroupCount|The MaxClusterGroupCount ({value}) quota is exhausted.": "an account quota, known only to the cloud",
  "QuotaExhausted.MaxClusterGroupDesiredVMCount|The MaxClusterGroupDesiredVMCount ({value}) quota is exhausted.": "an account quota, known only to the cloud",
  "QuotaExhausted.Configs.Networks.VPC.OppositeRouterType|The Configs.Networks.VPC.OppositeRouterType ({value}) is forbidden.": "which router types an account may use is known only to the cloud",
};

describe("alicloud.batchcompute.Cluster check", () => {
  it("accepts the base inputs and the resource's example", () => {
    expect(checkInputs(spec, base()).failures).toEqual([]);
    expect(checkInputs(spec, spec.example).failures).toEqual([]);
  });

  it("accepts a full, valid configuration", () => {
    const outcome = checkInputs(spec, {
      ...base(),
      name: "_render-farm_2",
      description: "",
      userData: { ["k".repeat(128)]: "v".repeat(1024), empty: "" },
      notification: { topic: { name: "topic", endpoint: "https://123.mns.cn-hangzhou.aliyuncs.com/", events: ["OnClusterDeleted", "OnInstanceActive"] } },
      configs: {
        disks: { systemDisk: { type: "cloud_ssd", size: 40 }, dataDisk: { type: "cloud", size: 500, mountPoint: "/data" } },
        mounts: { entries: [{ destination: "/data", source: "oss://b/p/" }], locale: "UTF-8", lock: true, cacheSupport: false, nas: { accessGroup: ["ag"], fileSystem: ["fs"] } },
        networks: {
          classic: { allowIpAddress: ["10.1.1.1"], allowIpAddressEgress: [], allowSecurityGroup: ["sg-1"], allowSecurityGroupEgress: [] },
          vpc: { cidrBlock: "10.240.0.0/12", oppositeRouterId: "vrt-1", oppositeAccessPointId: "ap-1", oppositeRegionId: "cn-beijing", oppositeRouterType: "VRouter" },
        },
      },
      ossCredentials: { accessKeyId: "LTAIoss", accessKeySecret: "secret", securityToken: "token" },
      groups: Object.fromEntries(
        Array.from({ length: 64 }, (_, n) => [`g${n}`.padEnd(n === 0 ? 64 : 2, "x"), { desiredVmCount: n === 0 ? 65536 : 1, resourceType: "Spot", spotStrategy: "SpotWithPriceLimit", spotPriceLimit: 0.5, instanceType: "" }]),
      ),
      idempotencyKey: "proj/dev/render",
      timeouts: { create: "1h", update: "45m", delete: "90s" },
    });
    expect(outcome.failures).toEqual([]);
  });

  it("has a violating input or a stated reason for every row of the document's error table, and no entry for a row that does not exist", () => {
    const rows = docErrorTable().map((r) => `${r.code}|${r.message}`);
    expect([...Object.keys(VIOLATIONS), ...Object.keys(NOT_INPUT_RULES)].sort()).toEqual([...rows].sort());
  });

  describe.each(Object.entries(VIOLATIONS))("the rule of %s", (_row, cases) => {
    it.each(cases.map((c) => [`${c.property}: ${c.reason}`, c] as const))("is reported as %s", (_name, c) => expectOneFailure(c.change, c.property, c.reason));
  });

  it("checks CIDR blocks as the document's CidrBlock rule", () => {
    for (const ok of ["10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0", "172.16.4.0/24", "10.240.0.0/12", "1.2.3.4/32"]) expect(isCidrBlock(ok)).toBe(true);
    for (const bad of ["10.0.0.1/8", "10.0.0.0", "10.0.0/8", "10.0.0.0/-1", " 10.0.0.0/8", "10.0.0.0/8 "]) expect(isCidrBlock(bad)).toBe(false);
  });

  it("requires the OSS key pair to come in one piece, without echoing it", () => {
    expectOneFailure((i) => (i.ossCredentials = { accessKeyId: "LTAIoss" }), "ossCredentials", /needs both accessKeyId and accessKeySecret/);
    expectOneFailure((i) => (i.ossCredentials = { accessKeySecret: "s3cr3t-value", securityToken: "tok-value" }), "ossCredentials", /needs both/);
    const failures = failuresOf((i) => (i.ossCredentials = { accessKeyId: "LTAIoss", accessKeySecret: 42, securityToken: "" }));
    expect(failures.map((f) => f.property).sort()).toEqual(["ossCredentials.accessKeySecret", "ossCredentials.securityToken"]);
    expect(failures.map((f) => f.reason).join(" ")).not.toMatch(/42/);
  });

  it("rejects unknown properties with a hint, including members of a group", () => {
    expectOneFailure((i) => (i.imageID = "img-1"), "imageID", /did you mean "imageId"/);
    expectOneFailure((i) => group(i, { desiredVMCount: 3 }), "groups.workers", /unknown key\(s\) "desiredVMCount"/);
    expectOneFailure((i) => (i.configs = { mounts: { oss: { accessKeySecret: "x" } } }), "configs.mounts.oss", /is not a property of this resource/);
  });

  it("rejects a notification endpoint that is not a URL and a malformed timeout", () => {
    expectOneFailure((i) => (i.notification = { topic: { endpoint: "mns.example" } }), "notification.topic.endpoint", /http:\/\/ or https:\/\/ URL/);
    expectOneFailure((i) => (i.timeouts = { create: "soon" }), "timeouts.create", /positive duration/);
  });

  it("reports every problem at once", () => {
    const failures = failuresOf((i) => {
      i.name = "9";
      delete i.imageId;
      i.groups.workers.desiredVmCount = 0;
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["groups.workers.desiredVmCount", "imageId", "name"]);
  });

  it("accepts Pulumi's unknown value for a whole section, a group or one member, and skips the rules that read it", () => {
    for (const change of [
      (i: Inputs) => (i.groups = UNKNOWN),
      (i: Inputs) => (i.groups.workers = UNKNOWN),
      (i: Inputs) => group(i, { desiredVmCount: UNKNOWN }),
      (i: Inputs) => vpc(i, { oppositeRouterId: UNKNOWN }),
      (i: Inputs) => (i.ossCredentials = { accessKeyId: UNKNOWN }),
      (i: Inputs) => (i.userData = UNKNOWN),
    ]) {
      expect(failuresOf(change)).toEqual([]);
    }
  });
});
