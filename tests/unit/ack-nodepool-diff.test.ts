import { checkInputs } from "../../provider/core/fields/check";
import { diffInputs } from "../../provider/core/fields/diff";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { createBody, updateBody } from "../../provider/core/fields/wire";
import { ackNodePoolSpec as spec, MODIFY, MODIFY_NODE_CONFIG } from "../../provider/resources/ack-nodepool/fields";

type Props = Record<string, any>;

const base: Props = {
  clusterId: "c-1",
  nodepoolInfo: { name: "gpu" },
  autoScaling: { enable: true, type: "gpu", minInstances: 0, maxInstances: 10 },
  scalingGroup: {
    vswitchIds: ["vsw-a", "vsw-b"],
    instanceTypes: ["ecs.gn7i-c8g1.2xlarge"],
    instanceChargeType: "PostPaid",
    keyPair: "kp",
    desiredSize: 2,
    securityGroupIds: ["sg-1"],
  },
  kubernetesConfig: {
    labels: [
      { key: "gpu", value: "a10" },
      { key: "team", value: "ml" },
    ],
    taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
    userData: "echo hello",
  },
};

/** What the host gives diff: news after check (normalised), olds = stored outputs (normalised inputs + computed). */
function checked(props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}
const outputsOf = (props: Props): Props => ({
  ...checked(props),
  nodePoolId: "np-1",
  status: { state: "active", totalNodes: 2 },
  created: "2026-01-01T00:00:00Z",
  schemaVersion: 1,
});
const edit = (fn: (p: Props) => void): Props => {
  const p = structuredClone(base);
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

const cases: Record<string, Case> = {
  "unchanged inputs produce no diff": { olds: outputsOf(base), news: base, changes: false },
  "a change of the documented-immutable autoScaling.type replaces, deleting first because the name is kept": {
    olds: outputsOf(base),
    news: edit((p) => (p.autoScaling.type = "cpu")),
    changes: true,
    replaces: ["autoScaling.type"],
    deleteBeforeReplace: true,
  },
  "an immutable change together with a new name replaces, creating first": {
    olds: outputsOf(base),
    news: edit((p) => {
      p.autoScaling.type = "cpu";
      p.nodepoolInfo.name = "gpu-2";
    }),
    changes: true,
    replaces: ["autoScaling.type"],
    deleteBeforeReplace: false,
    calls: { [MODIFY]: ["nodepoolInfo.name"] },
  },
  "a Terraform ForceNew field (securityGroupIds) replaces": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup.securityGroupIds = ["sg-2"])),
    changes: true,
    replaces: ["scalingGroup.securityGroupIds"],
    deleteBeforeReplace: true,
  },
  "a desired size change updates in place through ModifyClusterNodePool": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup.desiredSize = 4)),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.desiredSize"] },
  },
  "a kubelet change updates in place through ModifyNodePoolNodeConfig": {
    olds: outputsOf(base),
    news: edit((p) => (p.nodeConfig = { kubeletConfiguration: { maxPods: 64 } })),
    changes: true,
    replaces: [],
    calls: { [MODIFY_NODE_CONFIG]: ["nodeConfig.kubeletConfiguration"] },
  },
  "a desired size unknown during preview is a change, not a replacement": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup.desiredSize = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.desiredSize"] },
  },
  "an immutable field unknown during preview is reported as a replacement": {
    olds: outputsOf(base),
    news: edit((p) => (p.autoScaling.type = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["autoScaling.type"],
    deleteBeforeReplace: true,
  },
  "a whole unknown section only affects the fields that were set before": {
    olds: outputsOf(base),
    news: edit((p) => (p.scalingGroup = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["scalingGroup.securityGroupIds"],
    deleteBeforeReplace: true,
    calls: {
      [MODIFY]: [
        "scalingGroup.vswitchIds",
        "scalingGroup.instanceTypes",
        "scalingGroup.instanceChargeType",
        "scalingGroup.keyPair",
        "scalingGroup.desiredSize",
      ],
    },
  },
  "labels in another order are not a change": {
    olds: outputsOf(base),
    news: edit((p) => p.kubernetesConfig.labels.reverse()),
    changes: false,
  },
  "vSwitch IDs in another order are a change, because their order is the zone priority": {
    olds: outputsOf(base),
    news: edit((p) => p.scalingGroup.vswitchIds.reverse()),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["scalingGroup.vswitchIds"] },
  },
  "user data written as base64 equals the same script written as plain text": {
    olds: outputsOf(base),
    news: edit((p) => (p.kubernetesConfig.userData = Buffer.from("echo hello").toString("base64"))),
    changes: false,
  },
  "a server-filled default absent from the program does not diff": {
    olds: { ...outputsOf(base), scalingGroup: { ...outputsOf(base).scalingGroup, systemDiskCategory: "cloud_efficiency" } },
    news: base,
    changes: false,
  },
  "removing all labels clears them in place": {
    olds: outputsOf(base),
    news: edit((p) => delete p.kubernetesConfig.labels),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["kubernetesConfig.labels"] },
  },
  "a new timeout changes only the state, with no cloud call": {
    olds: outputsOf(base),
    news: edit((p) => (p.timeouts = { create: "2h" })),
    changes: true,
    replaces: [],
    calls: { local: ["timeouts.create"] },
  },
  "a new login password updates in place": {
    olds: outputsOf(edit((p) => {
      delete p.scalingGroup.keyPair;
      p.loginPassword = "Old-Passw0rd";
    })),
    news: edit((p) => {
      delete p.scalingGroup.keyPair;
      p.loginPassword = "New-Passw0rd";
    }),
    changes: true,
    replaces: [],
    calls: { [MODIFY]: ["loginPassword"] },
  },
};

describe("ACK node pool diff", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const news = c.raw ? c.news : checked(c.news);
    const d = diffInputs(spec, c.olds, news);
    expect(d.changes).toBe(c.changes);
    if (c.replaces) expect(d.replaces).toEqual(c.replaces);
    if (c.deleteBeforeReplace !== undefined) expect(d.deleteBeforeReplace).toBe(c.deleteBeforeReplace);
    if (c.calls) expect(d.calls).toEqual(c.calls);
    if (!c.changes) expect(d.changed).toEqual([]);
  });
});

describe("ACK node pool request bodies", () => {
  it("the create body carries every set input at its documented wire path", () => {
    const body = createBody(spec, checked(edit((p) => (p.scalingGroup.deploymentSetId = "ds-1"))));
    expect(body).toMatchObject({
      nodepool_info: { name: "gpu" },
      auto_scaling: { enable: true, type: "gpu", min_instances: 0, max_instances: 10 },
      scaling_group: {
        vswitch_ids: ["vsw-a", "vsw-b"],
        instance_types: ["ecs.gn7i-c8g1.2xlarge"],
        instance_charge_type: "PostPaid",
        key_pair: "kp",
        desired_size: 2,
        security_group_ids: ["sg-1"],
        deploymentset_id: "ds-1",
      },
      kubernetes_config: {
        labels: [{ key: "gpu", value: "a10" }, { key: "team", value: "ml" }],
        taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
        user_data: Buffer.from("echo hello").toString("base64"),
      },
    });
    expect(body).not.toHaveProperty("clusterId");
    expect(body).not.toHaveProperty("cluster_id");
  });

  it("the password goes into scaling_group.login_password on the wire", () => {
    const body = createBody(spec, checked(edit((p) => {
      delete p.scalingGroup.keyPair;
      p.loginPassword = "Secret-Passw0rd";
    })));
    expect(body.scaling_group).toMatchObject({ login_password: "Secret-Passw0rd" });
  });

  it("an update body contains only the changed section and field", () => {
    expect(updateBody(spec, MODIFY, checked(edit((p) => (p.scalingGroup.desiredSize = 4))), ["scalingGroup.desiredSize"])).toEqual({
      scaling_group: { desired_size: 4 },
    });
  });

  it("a removed list is sent as empty so that the cloud clears it", () => {
    expect(updateBody(spec, MODIFY, checked(edit((p) => delete p.kubernetesConfig.labels)), ["kubernetesConfig.labels"])).toEqual({
      kubernetes_config: { labels: [] },
    });
  });

  it("kubelet settings go to the node-config call under kubelet_config with their camelCase keys", () => {
    const news = checked(edit((p) => (p.nodeConfig = { kubeletConfiguration: { maxPods: 64, evictionHard: { "memory.available": "300Mi" } } })));
    expect(updateBody(spec, MODIFY_NODE_CONFIG, news, ["nodeConfig.kubeletConfiguration"])).toEqual({
      kubelet_config: { maxPods: 64, evictionHard: { "memory.available": "300Mi" } },
    });
    expect(updateBody(spec, MODIFY, news, ["nodeConfig.kubeletConfiguration"])).toEqual({});
  });
});
