/**
 * The diff table of alicloud.eflo.NodeGroup: which changes replace the group, which go through UpdateNodeGroup, which
 * only touch the state; and the request parameters that follow.
 */
import { checkInputs } from "../../provider/core/fields/check";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { createBody } from "../../provider/core/fields/wire";
import { efloNodeGroupSpec as spec, UPDATE } from "../../provider/resources/eflo-nodegroup/fields";
import { efloDiff, efloNodeGroupHandlers, updateParams } from "../../provider/resources/eflo-nodegroup/handler";

type Props = Record<string, any>;

const base: Props = {
  clusterId: "i118191731740041623425",
  nodeGroup: {
    az: "cn-wulanchabu-b",
    nodeGroupName: "gpu",
    machineType: "efg2.C48cNHmcn",
    imageId: "i-image-1",
    userData: "#!/bin/sh\necho hello",
    systemDisk: { size: 1000, performanceLevel: "PL1", category: "cloud_essd" },
    keyPairName: "kp",
    ramRoleName: "role-a",
  },
  nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
};

/** What the host gives diff: news after check, olds = stored outputs (normalised inputs + computed). */
function checked(props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}
const outputsOf = (props: Props): Props => ({
  ...checked(props),
  nodeGroupId: "ng-0123456789abcdef",
  clusterName: "lingjun",
  nodeCount: 0,
  createTime: "2026-01-01T00:00:00Z",
  schemaVersion: 1,
});
const edit = (fn: (p: Props) => void, from: Props = base): Props => {
  const p = structuredClone(from);
  fn(p);
  return p;
};

interface Case {
  olds: Props;
  news: Props;
  changes: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
  calls?: Record<string, string[]>;
  /** news are passed as-is (not through check), as during a preview with unknowns. */
  raw?: boolean;
}

const replaceCase = (path: string, fn: (p: Props) => void): Case => ({ olds: outputsOf(base), news: edit(fn), changes: true, replaces: [path], deleteBeforeReplace: true, calls: {} });
const updateCase = (path: string, fn: (p: Props) => void, from: Props = base): Case => ({
  olds: outputsOf(from),
  news: edit(fn, from),
  changes: true,
  replaces: [],
  deleteBeforeReplace: false,
  calls: { [UPDATE]: [path] },
});

const cases: Record<string, Case> = {
  "unchanged inputs produce no diff": { olds: outputsOf(base), news: base, changes: false },

  // Replacements: Terraform ForceNew, or not accepted by UpdateNodeGroup. The name is kept, so the old group goes first.
  "a new clusterId replaces the group, creating first because the name is free in the other cluster": {
    olds: outputsOf(base),
    news: edit((p) => (p.clusterId = "i-other-cluster")),
    changes: true,
    replaces: ["clusterId"],
    deleteBeforeReplace: false,
  },
  "a new zone replaces the group, deleting first because the name is kept": replaceCase("nodeGroup.az", (p) => (p.nodeGroup.az = "cn-wulanchabu-c")),
  "a new machine type replaces the group": replaceCase("nodeGroup.machineType", (p) => (p.nodeGroup.machineType = "efg3")),
  "a new description replaces the group": replaceCase("nodeGroup.nodeGroupDescription", (p) => (p.nodeGroup.nodeGroupDescription = "new")),
  "turning GPU virtualization on replaces the group": replaceCase("nodeGroup.virtualGpuEnabled", (p) => (p.nodeGroup.virtualGpuEnabled = true)),
  "a new node unit replaces the group": replaceCase("nodeUnit", (p) => (p.nodeUnit = { NodeUnitId: "unit-2", MaxNodes: 0 })),
  "removing the RAM role replaces the group: UpdateNodeGroup cannot clear it": replaceCase("nodeGroup.ramRoleName", (p) => delete p.nodeGroup.ramRoleName),
  "removing the RAM role together with another in-place change replaces, leaving the rest for the new group": {
    olds: outputsOf(base),
    news: edit((p) => {
      delete p.nodeGroup.ramRoleName;
      p.nodeGroup.imageId = "i-image-2";
    }),
    changes: true,
    replaces: ["nodeGroup.ramRoleName"],
    deleteBeforeReplace: true,
    calls: { [UPDATE]: ["nodeGroup.imageId"] },
  },
  "a replacement that also renames the group creates the new one first": {
    olds: outputsOf(base),
    news: edit((p) => {
      p.nodeGroup.machineType = "efg3";
      p.nodeGroup.nodeGroupName = "gpu-2";
    }),
    changes: true,
    replaces: ["nodeGroup.machineType"],
    deleteBeforeReplace: false,
    calls: { [UPDATE]: ["nodeGroup.nodeGroupName"] },
  },

  // In place through UpdateNodeGroup.
  "a new name updates in place (NewNodeGroupName)": updateCase("nodeGroup.nodeGroupName", (p) => (p.nodeGroup.nodeGroupName = "gpu-renamed")),
  "a new image updates in place": updateCase("nodeGroup.imageId", (p) => (p.nodeGroup.imageId = "i-image-2")),
  "a new key pair updates in place": updateCase("nodeGroup.keyPairName", (p) => (p.nodeGroup.keyPairName = "kp-2")),
  "new user data updates in place": updateCase("nodeGroup.userData", (p) => (p.nodeGroup.userData = "echo bye")),
  "a larger system disk updates in place": updateCase("nodeGroup.systemDisk.size", (p) => (p.nodeGroup.systemDisk.size = 2000)),
  "another ESSD performance level updates in place": updateCase("nodeGroup.systemDisk.performanceLevel", (p) => (p.nodeGroup.systemDisk.performanceLevel = "PL0")),
  "turning file storage mounting on updates in place": updateCase("nodeGroup.fileSystemMountEnabled", (p) => (p.nodeGroup.fileSystemMountEnabled = true)),
  "another RAM role updates in place": updateCase("nodeGroup.ramRoleName", (p) => (p.nodeGroup.ramRoleName = "role-b")),
  "adding a RAM role to a group without one updates in place": updateCase(
    "nodeGroup.ramRoleName",
    (p) => (p.nodeGroup.ramRoleName = "role-a"),
    edit((p) => delete p.nodeGroup.ramRoleName),
  ),
  "a new login password updates in place": updateCase("loginPassword", (p) => (p.loginPassword = "New-Passw0rd"), edit((p) => (p.loginPassword = "Old-Passw0rd"))),

  // Neither.
  "a new timeout changes only the state, with no cloud call": {
    olds: outputsOf(base),
    news: edit((p) => (p.timeouts = { update: "3h" })),
    changes: true,
    replaces: [],
    calls: { local: ["timeouts.update"] },
  },
  "removing the key pair keeps the cloud's value and does not diff": { olds: outputsOf(base), news: edit((p) => delete p.nodeGroup.keyPairName), changes: false },
  "a server-filled system disk value absent from the program does not diff": {
    olds: { ...outputsOf(base), nodeGroup: { ...outputsOf(base).nodeGroup, fileSystemMountEnabled: false } },
    news: base,
    changes: false,
  },
  "user data in another encoding is a change: it is sent exactly as given": updateCase("nodeGroup.userData", (p) => (p.nodeGroup.userData = Buffer.from(p.nodeGroup.userData).toString("base64"))),

  // Preview.
  "an image unknown during preview is an in-place change": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodeGroup.imageId = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [UPDATE]: ["nodeGroup.imageId"] },
  },
  "a zone unknown during preview is reported as a replacement": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodeGroup.az = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["nodeGroup.az"],
  },
  "a RAM role unknown during preview is an in-place change, not a removal": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodeGroup.ramRoleName = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [UPDATE]: ["nodeGroup.ramRoleName"] },
  },
  "a whole unknown nodeGroup affects only the fields that were set before": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodeGroup = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["nodeGroup.az", "nodeGroup.machineType"],
    deleteBeforeReplace: false,
    calls: {
      [UPDATE]: [
        "nodeGroup.nodeGroupName",
        "nodeGroup.imageId",
        "nodeGroup.userData",
        "nodeGroup.systemDisk.size",
        "nodeGroup.systemDisk.performanceLevel",
        "nodeGroup.systemDisk.category",
        "nodeGroup.keyPairName",
        "nodeGroup.ramRoleName",
      ],
    },
  },
};

describe("eflo node group diff", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const news = c.raw ? c.news : checked(c.news);
    const d = efloDiff(c.olds, news);
    expect(d.changes).toBe(c.changes);
    if (c.replaces) expect(d.replaces).toEqual(c.replaces);
    if (c.deleteBeforeReplace !== undefined) expect(d.deleteBeforeReplace).toBe(c.deleteBeforeReplace);
    if (c.calls) expect(d.calls).toEqual(c.calls);
    if (!c.changes) expect(d.changed).toEqual([]);
  });

  it("is what the handler answers the host, also for the RAM role removal", async () => {
    const olds = { ...outputsOf(base), __provider: "text" };
    expect(await efloNodeGroupHandlers.diff("c:ng", olds, checked(edit((p) => delete p.nodeGroup.ramRoleName)))).toEqual({
      changes: true,
      replaces: ["nodeGroup.ramRoleName"],
      deleteBeforeReplace: true,
    });
    expect(await efloNodeGroupHandlers.diff("c:ng", olds, checked(edit((p) => (p.nodeGroup.imageId = "i-2"))))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await expect(efloNodeGroupHandlers.diff("c:ng", { ...olds, schemaVersion: 99 }, checked(base))).rejects.toThrow(/newer version of pulumi-nodepools/);
  });
});

describe("eflo node group request parameters", () => {
  it("the create parameters are ClusterId, the NodeGroup object in the API's names, and NodeUnit as given", () => {
    const body = createBody(spec, checked(edit((p) => (p.loginPassword = "Secret-Passw0rd"))));
    expect(body).toEqual({
      ClusterId: "i118191731740041623425",
      NodeGroup: {
        Az: "cn-wulanchabu-b",
        NodeGroupName: "gpu",
        MachineType: "efg2.C48cNHmcn",
        ImageId: "i-image-1",
        UserData: "#!/bin/sh\necho hello",
        SystemDisk: { Size: 1000, PerformanceLevel: "PL1", Category: "cloud_essd" },
        KeyPairName: "kp",
        LoginPassword: "Secret-Passw0rd",
        RamRoleName: "role-a",
      },
      NodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
    });
  });

  it("an update carries only the changed fields, at UpdateNodeGroup's top level", () => {
    const news = checked(edit((p) => {
      p.nodeGroup.nodeGroupName = "renamed";
      p.nodeGroup.imageId = "i-image-2";
      p.nodeGroup.fileSystemMountEnabled = true;
    }));
    expect(updateParams(news, ["nodeGroup.nodeGroupName", "nodeGroup.imageId", "nodeGroup.fileSystemMountEnabled"])).toEqual({
      NewNodeGroupName: "renamed",
      ImageId: "i-image-2",
      FileSystemMountEnabled: true,
    });
  });

  it("a change of one system disk member sends the whole declared system disk", () => {
    const news = checked(edit((p) => (p.nodeGroup.systemDisk.size = 2000)));
    expect(updateParams(news, ["nodeGroup.systemDisk.size"])).toEqual({ SystemDisk: { Size: 2000, PerformanceLevel: "PL1", Category: "cloud_essd" } });
  });

  it("a new password goes to UpdateNodeGroup's LoginPassword", () => {
    expect(updateParams(checked(edit((p) => (p.loginPassword = "New-Passw0rd"))), ["loginPassword"])).toEqual({ LoginPassword: "New-Passw0rd" });
  });
});
