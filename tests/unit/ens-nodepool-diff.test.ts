/**
 * The diff table of alicloud.ens.NodePool (what each change does), the request parameters built from the field
 * table, and the read mapping: the masked password never reaches the outputs or the diff.
 */
import { checkInputs } from "../../provider/core/fields/check";
import { diffInputs } from "../../provider/core/fields/diff";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { applyRead, createBody, updateBody } from "../../provider/core/fields/wire";
import { ensNodePoolSpec as spec, MODIFY, SCALE } from "../../provider/resources/ens-nodepool/fields";

type Props = Record<string, any>;

const base: Props = {
  clusterId: "eck-d2666c5f",
  nodepoolInfo: { name: "edge" },
  scalingGroup: {
    desiredSize: 2,
    keyPairName: "edge-key",
    vswitchIds: ["vsw-a", "vsw-b"],
    instanceChargeType: "PostPaid",
    instanceTypes: ["ens.sn1.small", "ens.sn1.medium"],
    systemDiskCategory: "cloud_efficiency",
    systemDiskSize: 80,
    imageId: "m-1",
    dataDisks: [{ category: "cloud_efficiency", size: 80 }, { category: "cloud_ssd", size: 40 }],
  },
  kubernetesConfig: { userData: "echo joined", preUserData: "echo prepare" },
};

function checked(props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}
/** What the host gives diff as olds: the stored outputs (normalised inputs plus computed values). */
const outputsOf = (props: Props): Props => ({
  ...checked(props),
  nodePoolId: "np1176939548ac49e59febe82dcbf1ad56",
  ensRegionId: "cn-guiyang-14",
  status: { state: "active", totalNodes: 2, desiredNodes: 2, servingNodes: 2, initialNodes: 0, removingNodes: 0, failedNodes: 0 },
  schemaVersion: 1,
});
const edit = (fn: (p: Props) => void, from: Props = base): Props => {
  const p = structuredClone(from);
  fn(p);
  return p;
};
const withPassword = (password: string): Props =>
  edit((p) => {
    delete p.scalingGroup.keyPairName;
    p.password = password;
  });

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

const cases: Record<string, Case> = {
  "unchanged inputs produce no diff": { olds: outputsOf(base), news: base, changes: false },
  "a new name replaces the pool, creating the new one first": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodepoolInfo.name = "edge-2")),
    changes: true,
    replaces: ["nodepoolInfo.name"],
    deleteBeforeReplace: false,
  },
  "another cluster replaces the pool, creating the new one first": {
    olds: outputsOf(base),
    news: edit((p) => (p.clusterId = "eck-other")),
    changes: true,
    replaces: ["clusterId"],
    deleteBeforeReplace: false,
  },
  "a name unknown during preview is reported as a replacement": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodepoolInfo.name = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["nodepoolInfo.name"],
  },
  "a higher desired size updates in place through ScaleClusterNodePool": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup.desiredSize = 5)),
    changes: true,
    replaces: [],
    calls: { [SCALE]: ["scalingGroup.desiredSize"] },
  },
  "a new image and instance types update in place through ModifyClusterNodePool": {
    olds: outputsOf(base),
    news: edit((p) => {
      p.scalingGroup.imageId = "m-2";
      p.scalingGroup.instanceTypes = ["ens.gn5i.large"];
    }),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.instanceTypes", "scalingGroup.imageId"] },
  },
  "a modification and a scale-out together use both calls": {
    olds: outputsOf(base),
    news: edit((p) => {
      p.scalingGroup.systemDiskSize = 120;
      p.scalingGroup.desiredSize = 4;
    }),
    changes: true,
    replaces: [],
    calls: { [SCALE]: ["scalingGroup.desiredSize"], [MODIFY]: ["scalingGroup.systemDiskSize"] },
  },
  "vSwitch IDs in another order are not a change": {
    olds: outputsOf(base),
    news: edit((p) => p.scalingGroup.vswitchIds.reverse()),
    changes: false,
  },
  "instance types in another order are not a change": {
    olds: outputsOf(base),
    news: edit((p) => p.scalingGroup.instanceTypes.reverse()),
    changes: false,
  },
  "data disks in another order are a change (attach order)": {
    olds: outputsOf(base),
    news: edit((p) => p.scalingGroup.dataDisks.reverse()),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.dataDisks"] },
  },
  "removing the data disks clears them in place": {
    olds: outputsOf(base),
    news: edit((p) => delete p.scalingGroup.dataDisks),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.dataDisks"] },
  },
  "user data written as base64 equals the same script written as plain text": {
    olds: outputsOf(base),
    news: edit((p) => {
      p.kubernetesConfig.userData = Buffer.from("echo joined").toString("base64");
      p.kubernetesConfig.preUserData = Buffer.from("echo prepare").toString("base64");
    }),
    changes: false,
  },
  "a new user data script updates in place": {
    olds: outputsOf(base),
    news: edit((p) => (p.kubernetesConfig.userData = "echo joined twice")),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["kubernetesConfig.userData"] },
  },
  "a server-filled value absent from the program does not diff": {
    olds: edit((o) => (o.scalingGroup.instanceChargeType = "PostPaid"), outputsOf(edit((p) => delete p.scalingGroup.instanceChargeType))),
    news: edit((p) => delete p.scalingGroup.instanceChargeType),
    changes: false,
  },
  "the same password is no change": {
    olds: outputsOf(withPassword("Edge-Passw0rd")),
    news: withPassword("Edge-Passw0rd"),
    changes: false,
  },
  "a new password updates in place": {
    olds: outputsOf(withPassword("Edge-Passw0rd")),
    news: withPassword("New-Passw0rd"),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["password"] },
  },
  "switching from a key pair to a password updates in place": {
    olds: outputsOf(base),
    news: withPassword("Edge-Passw0rd"),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["password"] },
  },
  "a desired size unknown during preview is a change, not a replacement": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup.desiredSize = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [SCALE]: ["scalingGroup.desiredSize"] },
  },
  "a new timeout changes only the state, with no cloud call": {
    olds: outputsOf(base),
    news: edit((p) => (p.timeouts = { update: "2h" })),
    changes: true,
    replaces: [],
    calls: { local: ["timeouts.update"] },
  },
};
describe("ENS node pool diff", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const news = c.raw ? c.news : checked(c.news);
    const d = diffInputs(spec, c.olds, news);
    expect(d.changes).toBe(c.changes);
    if (c.replaces) expect(d.replaces).toEqual(c.replaces);
    if (c.deleteBeforeReplace !== undefined) expect(d.deleteBeforeReplace).toBe(c.deleteBeforeReplace);
    if (c.calls) expect(d.calls).toEqual(c.calls);
    if (!c.changes) expect(d.changed).toEqual([]);
  });

  it("deletes first exactly when the replacement keeps both the name and the cluster", () => {
    expect(spec.deleteBeforeReplace!(outputsOf(base), checked(base))).toBe(true);
    expect(spec.deleteBeforeReplace!(outputsOf(base), checked(edit((p) => (p.nodepoolInfo.name = "x"))))).toBe(false);
    expect(spec.deleteBeforeReplace!(outputsOf(base), checked(edit((p) => (p.clusterId = "eck-x"))))).toBe(false);
  });
});

describe("ENS node pool request parameters", () => {
  it("the create parameters carry every set input at its documented name, objects in PascalCase", () => {
    expect(createBody(spec, checked(base))).toEqual({
      ClusterId: "eck-d2666c5f",
      NodepoolInfo: { Name: "edge" },
      ScalingGroup: {
        DesiredSize: 2,
        KeyPairName: "edge-key",
        VswitchIds: ["vsw-a", "vsw-b"],
        InstanceChargeType: "PostPaid",
        InstanceTypes: ["ens.sn1.small", "ens.sn1.medium"],
        SystemDiskCategory: "cloud_efficiency",
        SystemDiskSize: 80,
        ImageId: "m-1",
        DataDisks: [{ Category: "cloud_efficiency", Size: 80 }, { Category: "cloud_ssd", Size: 40 }],
      },
      KubernetesConfig: {
        UserData: Buffer.from("echo joined").toString("base64"),
        PreUserData: Buffer.from("echo prepare").toString("base64"),
      },
    });
  });

  it("the password goes into ScalingGroup.Password on the wire", () => {
    expect(createBody(spec, checked(withPassword("Edge-Passw0rd"))).ScalingGroup).toMatchObject({ Password: "Edge-Passw0rd" });
  });

  it("a modify carries only the changed fields; the desired size never goes to ModifyClusterNodePool", () => {
    const news = checked(edit((p) => {
      p.scalingGroup.imageId = "m-2";
      p.scalingGroup.desiredSize = 4;
      p.kubernetesConfig.userData = "echo v2";
    }));
    const d = diffInputs(spec, outputsOf(base), news);
    expect(updateBody(spec, MODIFY, news, d.calls[MODIFY])).toEqual({
      ScalingGroup: { ImageId: "m-2" },
      KubernetesConfig: { UserData: Buffer.from("echo v2").toString("base64") },
    });
    expect(updateBody(spec, SCALE, news, d.calls[SCALE])).toEqual({ Count: 4 });
  });

  it("removed data disks are sent as an empty list so that the cloud clears them", () => {
    expect(updateBody(spec, MODIFY, checked(edit((p) => delete p.scalingGroup.dataDisks)), ["scalingGroup.dataDisks"])).toEqual({
      ScalingGroup: { DataDisks: [] },
    });
  });
});

describe("ENS node pool read mapping", () => {
  /** A pool as DescribeClusterNodePools returns it for `base` with a password. */
  const listed = (changes: (p: Props) => void = () => undefined): Props =>
    edit(changes, {
      ClusterId: "eck-d2666c5f",
      NodepoolInfo: { Name: "edge", EnsRegionId: "cn-guiyang-14", NodepoolId: "np1" },
      ScalingGroup: {
        VswitchIds: ["vsw-b", "vsw-a"],
        DataDisks: [{ Category: "cloud_efficiency", Size: 80 }, { Category: "cloud_ssd", Size: 40 }],
        InstanceChargeType: "PostPaid",
        InstanceTypes: ["ens.sn1.small", "ens.sn1.medium"],
        SystemDiskCategory: "cloud_efficiency",
        SystemDiskSize: 80,
        ImageId: "m-1",
        Password: "************",
      },
      KubernetesConfig: { UserData: Buffer.from("echo joined").toString("base64"), PreUserData: Buffer.from("echo prepare").toString("base64") },
      Status: { State: "active", DesiredNodes: 2, TotalNodes: 2, ServingNodes: 2, InitialNodes: 0, RemovingNodes: 0, FailedNodes: 0 },
    });

  it("keeps the stored password when the cloud answers it masked, so the refreshed state has no diff", () => {
    const outputs = outputsOf(withPassword("Edge-Passw0rd"));
    const refreshed = applyRead(spec, listed(), outputs);
    expect(refreshed).toEqual(outputs);
    expect(JSON.stringify(refreshed)).not.toContain("*****");
    expect(diffInputs(spec, refreshed, checked(withPassword("Edge-Passw0rd"))).changes).toBe(false);
  });

  it("never adopts the masked password when importing", () => {
    const adopted = applyRead(spec, listed(), {}, { adoptAll: true });
    expect(adopted).not.toHaveProperty("password");
    expect(adopted).toMatchObject({
      clusterId: "eck-d2666c5f",
      nodepoolInfo: { name: "edge" },
      scalingGroup: { desiredSize: 2, imageId: "m-1", dataDisks: [{ category: "cloud_efficiency", size: 80 }, { category: "cloud_ssd", size: 40 }] },
    });
  });

  it("shows a desired size changed outside Pulumi (Status.DesiredNodes) as drift", () => {
    const refreshed = applyRead(spec, listed((p) => (p.Status.DesiredNodes = 5)), outputsOf(base)) as Props;
    expect(refreshed.scalingGroup.desiredSize).toBe(5);
    expect(diffInputs(spec, refreshed, checked(base)).calls).toEqual({ [SCALE]: ["scalingGroup.desiredSize"] });
  });

  it("shows data disks added outside Pulumi as drift even when the program never set any", () => {
    const outputs = outputsOf(edit((p) => delete p.scalingGroup.dataDisks));
    const refreshed = applyRead(spec, listed(), outputs) as Props;
    expect(refreshed.scalingGroup.dataDisks).toHaveLength(2);
    expect(diffInputs(spec, refreshed, checked(edit((p) => delete p.scalingGroup.dataDisks))).calls).toEqual({ [MODIFY]: ["scalingGroup.dataDisks"] });
  });
});
