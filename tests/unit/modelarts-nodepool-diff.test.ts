/**
 * The diff of huaweicloud.modelarts.NodePool (what replaces, what PatchNodePool updates, what only changes the state)
 * and the request bodies derived from the field table: the create body and the JSON merge patch.
 */
import { checkInputs } from "../../provider/core/fields/check";
import { diffInputs } from "../../provider/core/fields/diff";
import { UNKNOWN } from "../../provider/core/fields/spec";
import { modelArtsNodePoolSpec as spec, PATCH } from "../../provider/resources/modelarts-nodepool/fields";
import { createRequest, patchBody } from "../../provider/resources/modelarts-nodepool/handler";

type Props = Record<string, any>;

const base: Props = {
  poolName: "pool-gpu-a",
  metadata: { name: "nodepool-1", annotations: { billingMode: "0" } },
  spec: {
    resources: {
      flavor: "modelarts.vm.gpu.t4u8",
      count: 2,
      maxCount: 4,
      nodePool: "nodepool-1",
      azs: [{ az: "cn-north-4a", count: 1 }, { az: "cn-north-4b", count: 1 }],
      labels: { accelerator: "t4", team: "ml" },
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }, { key: "dedicated", effect: "NoExecute" }],
      tags: [{ key: "env", value: "dev" }, { key: "owner", value: "ml" }],
      network: { vpc: "vpc-1", subnet: "subnet-1", securityGroups: ["sg-1", "sg-2"] },
      extendParams: { dockerBaseSize: "0" },
    },
  },
};

/** What the host gives diff: news after check, olds = stored outputs (normalised inputs + computed). */
function checked(props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}
const outputsOf = (props: Props): Props => ({ ...checked(props), status: { creating: 0, available: 2, abnormal: 0, deleting: 0 }, schemaVersion: 1 });
const edit = (fn: (p: Props) => void): Props => {
  const p = structuredClone(base);
  fn(p);
  return p;
};
const res = (p: Props) => p.spec.resources;

interface Case {
  news: Props;
  olds?: Props;
  changes: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
  calls?: Record<string, string[]>;
  /** news are passed as-is (not through check), as during a preview with unknowns. */
  raw?: boolean;
}

const cases: Record<string, Case> = {
  "unchanged inputs produce no diff": { news: base, changes: false },
  "a new flavor replaces, deleting first because pool and name are kept": {
    news: edit((p) => (res(p).flavor = "modelarts.vm.gpu.v100")),
    changes: true,
    replaces: ["spec.resources.flavor"],
    deleteBeforeReplace: true,
  },
  "a new name replaces, creating the new node pool first": {
    news: edit((p) => (p.metadata.name = "nodepool-2")),
    changes: true,
    replaces: ["metadata.name"],
    deleteBeforeReplace: false,
  },
  "another resource pool replaces, creating first": {
    news: edit((p) => (p.poolName = "pool-gpu-b")),
    changes: true,
    replaces: ["poolName"],
    deleteBeforeReplace: false,
  },
  "a new network, OS image, creating step or extend param replaces": {
    news: edit((p) => {
      res(p).network.subnet = "subnet-2";
      res(p).os = { imageId: "img-2" };
      res(p).creatingStep = { step: 2 };
      res(p).extendParams = { dockerBaseSize: "100" };
    }),
    changes: true,
    replaces: ["spec.resources.network.subnet", "spec.resources.extendParams", "spec.resources.creatingStep.step", "spec.resources.os.imageId"],
    deleteBeforeReplace: true,
  },
  "a count change updates in place through PatchNodePool": {
    news: edit((p) => (res(p).count = 3)),
    changes: true,
    replaces: [],
    calls: { [PATCH]: ["spec.resources.count"] },
  },
  "count, maxCount and AZ distribution change together in one patch": {
    news: edit((p) => {
      res(p).count = 4;
      res(p).maxCount = 8;
      res(p).azs = [{ az: "cn-north-4a", count: 2 }, { az: "cn-north-4b", count: 2 }];
    }),
    changes: true,
    replaces: [],
    calls: { [PATCH]: ["spec.resources.count", "spec.resources.maxCount", "spec.resources.azs"] },
  },
  "labels, taints, tags and billing annotations update in place": {
    news: edit((p) => {
      res(p).labels = { accelerator: "t4" };
      res(p).taints = [];
      res(p).tags = [{ key: "env", value: "prod" }];
      p.metadata.annotations = { billingMode: "0", autoRenew: "1" };
    }),
    changes: true,
    replaces: [],
    calls: { [PATCH]: ["metadata.annotations", "spec.resources.taints", "spec.resources.labels", "spec.resources.tags"] },
  },
  "taints, tags, AZs and security groups in another order are not a change": {
    news: edit((p) => {
      res(p).taints.reverse();
      res(p).tags.reverse();
      res(p).azs.reverse();
      res(p).network.securityGroups.reverse();
    }),
    changes: false,
  },
  "labels written in another key order are not a change": {
    news: edit((p) => (res(p).labels = { team: "ml", accelerator: "t4" })),
    changes: false,
  },
  "removing all labels, taints or tags clears them in place": {
    news: edit((p) => {
      delete res(p).labels;
      delete res(p).taints;
      delete res(p).tags;
    }),
    changes: true,
    replaces: [],
    calls: { [PATCH]: ["spec.resources.taints", "spec.resources.labels", "spec.resources.tags"] },
  },
  "removing the AZ distribution or the annotations from the program leaves the cloud's values (no diff)": {
    news: edit((p) => {
      delete res(p).azs;
      delete p.metadata.annotations;
    }),
    changes: false,
  },
  "a server-filled value absent from the program does not diff": {
    olds: { ...outputsOf(base), spec: { resources: { ...outputsOf(base).spec.resources, os: { name: "EulerOS 2.10" } } } },
    news: base,
    changes: false,
  },
  "a new timeout changes only the state, with no cloud call": {
    news: edit((p) => (p.timeouts = { create: "2h" })),
    changes: true,
    replaces: [],
    calls: { local: ["timeouts.create"] },
  },
  "a count unknown during preview is a change, not a replacement": {
    news: edit((p) => (res(p).count = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: [],
    calls: { [PATCH]: ["spec.resources.count"] },
  },
  "a flavor unknown during preview is reported as a replacement": {
    news: edit((p) => (res(p).flavor = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["spec.resources.flavor"],
    deleteBeforeReplace: true,
  },
  "a whole unknown network only affects the network fields that were set before": {
    news: edit((p) => (res(p).network = UNKNOWN)),
    raw: true,
    changes: true,
    replaces: ["spec.resources.network.vpc", "spec.resources.network.subnet", "spec.resources.network.securityGroups"],
  },
};

describe("ModelArts node pool diff", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const news = c.raw ? c.news : checked(c.news);
    const d = diffInputs(spec, c.olds ?? outputsOf(base), news);
    expect(d.changes).toBe(c.changes);
    if (c.replaces) expect(d.replaces).toEqual(c.replaces);
    if (c.deleteBeforeReplace !== undefined) expect(d.deleteBeforeReplace).toBe(c.deleteBeforeReplace);
    if (c.calls) expect(d.calls).toEqual(c.calls);
    if (!c.changes) expect(d.changed).toEqual([]);
  });
});

describe("ModelArts node pool request bodies", () => {
  it("the create body is the documented request: constants, metadata with os.modelarts/ annotation keys, and spec.resources unchanged", () => {
    const body = createRequest(checked(edit((p) => (p.metadata.annotations = { billingMode: "1", periodNum: "2", periodType: "2", autoRenew: "1", orderId: "CS-1" }))));
    expect(body).toEqual({
      apiVersion: "v2",
      kind: "NodePool",
      metadata: {
        name: "nodepool-1",
        annotations: {
          "os.modelarts/billing.mode": "1",
          "os.modelarts/period.num": "2",
          "os.modelarts/period.type": "2",
          "os.modelarts/auto.renew": "1",
          "os.modelarts/order.id": "CS-1",
        },
      },
      spec: { resources: base.spec.resources },
    });
    expect(body).not.toHaveProperty("poolName");
    expect(body).not.toHaveProperty("timeouts");
  });

  const patchFor = (news: Props, olds: Props = outputsOf(base)) => {
    const n = checked(news);
    return patchBody(olds, n, diffInputs(spec, olds, n).calls[PATCH] ?? []);
  };

  it("a count change patches only spec.resources.count", () => {
    expect(patchFor(edit((p) => (res(p).count = 3)))).toEqual({ spec: { resources: { count: 3 } } });
  });

  it("a label change is a merge patch: changed keys with their values, removed keys as null", () => {
    expect(patchFor(edit((p) => (res(p).labels = { accelerator: "a100", zone: "b" })))).toEqual({
      spec: { resources: { labels: { accelerator: "a100", zone: "b", team: null } } },
    });
  });

  it("removing every label sends labels: null, which removes the member", () => {
    expect(patchFor(edit((p) => delete res(p).labels))).toEqual({ spec: { resources: { labels: null } } });
  });

  it("lists (taints, tags, AZs) are sent whole, as merge patch replaces arrays; removed lists are sent empty", () => {
    expect(patchFor(edit((p) => {
      res(p).tags = [{ key: "env", value: "prod" }];
      delete res(p).taints;
    }))).toEqual({ spec: { resources: { tags: [{ key: "env", value: "prod" }], taints: [] } } });
  });

  it("an annotation change patches metadata.annotations with the wire keys, removing dropped ones with null", () => {
    const olds = outputsOf(edit((p) => (p.metadata.annotations = { billingMode: "0", promotionInfo: "spring" })));
    expect(patchFor(edit((p) => (p.metadata.annotations = { billingMode: "0", autoRenew: "1" })), olds)).toEqual({
      metadata: { annotations: { "os.modelarts/billing.mode": "0", "os.modelarts/auto.renew": "1", "os.modelarts/promotion.info": null } },
    });
  });
});
