/**
 * The ownership mark (docs/ownership.md): the owner key every resource class passes, the mark derived from it, and
 * how each resource carries the mark on the wire without ever showing it as drift or losing it on an update.
 */
import { checkInputs } from "../../provider/core/fields/check";
import { diffInputs } from "../../provider/core/fields/diff";
import type { ResourceSpec } from "../../provider/core/fields/spec";
import { applyRead } from "../../provider/core/fields/wire";
import {
  descriptionMarkOf,
  OWNER_MARK_KEY,
  ownerKey,
  ownerMark,
  withDescriptionMark,
  withoutDescriptionMark,
} from "../../provider/core/ownership";
import { ackNodePoolSpec } from "../../provider/resources/ack-nodepool/fields";
import { createRequest as ackCreate, modifyRequest, withoutOwnerMark as ackWithoutMark } from "../../provider/resources/ack-nodepool/handler";
import { MODIFY } from "../../provider/resources/ack-nodepool/fields";
import { efloNodeGroupSpec } from "../../provider/resources/eflo-nodegroup/fields";
import { createParams, readView } from "../../provider/resources/eflo-nodegroup/handler";
import { modelArtsNodePoolSpec, PATCH } from "../../provider/resources/modelarts-nodepool/fields";
import { createRequest as modelArtsCreate, patchBody, withoutOwnerMark as modelArtsWithoutMark } from "../../provider/resources/modelarts-nodepool/handler";
import { resourceSpecs } from "../../provider/resources/specs";
import { basePool } from "../support/ack";
import { baseNodePool } from "../support/modelarts";

type Props = Record<string, any>;

const KEY = "proj/dev/gpu";

function checked(spec: ResourceSpec, props: Props): Props {
  const r = checkInputs(spec, props);
  if (r.failures.length) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}

describe("the owner key and its mark", () => {
  it("is project/stack/name, or the parent's URN and the name for a resource with a parent", () => {
    expect(ownerKey("proj", "dev", "gpu")).toBe("proj/dev/gpu");
    expect(ownerKey("proj", "dev", "gpu", "urn:pulumi:dev::proj::my:Team::ml")).toBe("urn:pulumi:dev::proj::my:Team::ml/gpu");
  });

  it("is marked by 32 hex digits that are stable and differ by resource type and by key", () => {
    const mark = ownerMark("alicloud.ack.NodePool", KEY);
    expect(mark).toMatch(/^[0-9a-f]{32}$/);
    expect(ownerMark("alicloud.ack.NodePool", KEY)).toBe(mark);
    expect(ownerMark("alicloud.eflo.NodeGroup", KEY)).not.toBe(mark);
    expect(ownerMark("alicloud.ack.NodePool", "proj/prod/gpu")).not.toBe(mark);
  });

  it.each(resourceSpecs.map((s) => [s.name, s] as const))("is never a diff of %s: a new, changed or first owner key neither replaces nor updates", (_name, spec) => {
    const base = checked(spec, spec.example!);
    const keyed = (key: string) => checked(spec, { ...spec.example!, ownerKey: key });
    for (const [olds, news] of [[keyed("a/b/c"), keyed("a/b/d")], [base, keyed("a/b/c")], [keyed("a/b/c"), base]]) {
      expect(diffInputs(spec, olds, news)).toMatchObject({ changes: false, replaces: [], calls: {} });
    }
  });

  it.each(resourceSpecs.map((s) => [s.name, s] as const))("is a documented local input of %s", (_name, spec) => {
    const field = spec.fields.find((f) => f.path === "ownerKey");
    expect(field?.change.kind).toBe("local");
    expect(field?.wire).toBeUndefined();
    expect(field?.doc).toMatch(/docs\/ownership\.md/);
  });
});

describe("the description mark (eflo node groups)", () => {
  it("goes at the end of the description, or stands alone, and comes off again", () => {
    const mark = ownerMark("alicloud.eflo.NodeGroup", KEY);
    expect(withDescriptionMark("training nodes", mark)).toBe(`training nodes [${OWNER_MARK_KEY}=${mark}]`);
    expect(withDescriptionMark(undefined, mark)).toBe(`[${OWNER_MARK_KEY}=${mark}]`);
    expect(descriptionMarkOf(withDescriptionMark("training nodes", mark))).toBe(mark);
    expect(withoutDescriptionMark(withDescriptionMark("training nodes", mark))).toBe("training nodes");
    expect(withoutDescriptionMark(withDescriptionMark(undefined, mark))).toBeUndefined();
    expect(descriptionMarkOf("training nodes")).toBeUndefined();
  });
});

describe("alicloud.ack.NodePool: the mark is the ECS tag pulumi-nodepools-owner", () => {
  const spec = ackNodePoolSpec;
  const mark = ownerMark(spec.name, KEY);
  const inputs = (tags?: Props[]): Props => {
    const p: Props = { ...basePool(), ownerKey: KEY };
    if (tags) p.scalingGroup.tags = tags;
    return checked(spec, p);
  };
  /** A pool as DescribeClusterNodePoolDetail shows it, with the tags the cloud holds. */
  const detail = (tags: Props[]): Props => ({ nodepool_info: { name: "gpu", nodepool_id: "np1" }, scaling_group: { ...ackCreate(inputs()).scaling_group as Props, tags }, status: { state: "active" } });

  it("is added to the create's tags next to the program's", () => {
    expect((ackCreate(inputs([{ key: "team", value: "ml" }])).scaling_group as Props).tags).toEqual([
      { key: "team", value: "ml" },
      { key: OWNER_MARK_KEY, value: mark },
    ]);
    expect((ackCreate(inputs()).scaling_group as Props).tags).toEqual([{ key: OWNER_MARK_KEY, value: mark }]);
  });

  it("is not sent for inputs that carry no owner key", () => {
    expect((ackCreate(checked(spec, basePool())).scaling_group as Props).tags).toBeUndefined();
  });

  it("is left out when the pool is read, so it is never drift, with or without tags of the program", () => {
    for (const tags of [undefined, [{ key: "team", value: "ml" }]]) {
      const outputs = inputs(tags);
      const cloud = detail([...(tags ?? []), { key: OWNER_MARK_KEY, value: mark }]);
      const refreshed = applyRead(spec, ackWithoutMark(cloud) as Props, outputs);
      expect(refreshed).toEqual(outputs);
      // (Read as the cloud shows it, the mark would be drift.)
      expect(applyRead(spec, cloud, outputs)).not.toEqual(outputs);
      expect(diffInputs(spec, refreshed, outputs).changes).toBe(false);
    }
  });

  it("is left out of what an import adopts", () => {
    const adopted: Props = applyRead(spec, ackWithoutMark(detail([{ key: "team", value: "ml" }, { key: OWNER_MARK_KEY, value: mark }])) as Props, {}, { adoptAll: true });
    expect(adopted.scalingGroup.tags).toEqual([{ key: "team", value: "ml" }]);
  });

  it("is sent again with the program's tags when they change, and alone when the program removes them all", () => {
    const olds = inputs([{ key: "team", value: "ml" }]);
    const changed = inputs([{ key: "team", value: "cv" }]);
    expect(diffInputs(spec, olds, changed).calls[MODIFY]).toEqual(["scalingGroup.tags"]);
    expect((modifyRequest(changed, ["scalingGroup.tags"]).scaling_group as Props).tags).toEqual([
      { key: "team", value: "cv" },
      { key: OWNER_MARK_KEY, value: mark },
    ]);
    const removed = inputs();
    expect(diffInputs(spec, olds, removed).calls[MODIFY]).toEqual(["scalingGroup.tags"]);
    expect((modifyRequest(removed, ["scalingGroup.tags"]).scaling_group as Props).tags).toEqual([{ key: OWNER_MARK_KEY, value: mark }]);
  });

  it("leaves the tags out of an update that does not change them (the cloud keeps the mark)", () => {
    const body = modifyRequest(inputs(), ["scalingGroup.desiredSize"]);
    expect(body.scaling_group).toEqual({ desired_size: 2 });
  });

  it("is a tag key that the program may not use", () => {
    const p = basePool();
    p.scalingGroup.tags = [{ key: OWNER_MARK_KEY, value: "mine" }];
    expect(checkInputs(spec, p).failures).toEqual([{ property: "scalingGroup.tags[0].key", reason: expect.stringContaining("ownership mark") }]);
  });
});

describe("huaweicloud.modelarts.NodePool: the mark is the Kubernetes label pulumi-nodepools-owner", () => {
  const spec = modelArtsNodePoolSpec;
  const mark = ownerMark(spec.name, KEY);
  const inputs = (labels?: Record<string, string>): Props => {
    const p: Props = { ...baseNodePool(), ownerKey: KEY };
    if (labels) p.spec.resources.labels = labels;
    else delete p.spec.resources.labels;
    return checked(spec, p);
  };
  const shown = (labels: Record<string, string>): Props => ({ ...modelArtsCreate(inputs()), spec: { resources: { ...(modelArtsCreate(inputs()).spec as Props).resources, labels } } });

  it("is added to the create's labels next to the program's", () => {
    expect((modelArtsCreate(inputs({ team: "ml" })).spec as Props).resources.labels).toEqual({ team: "ml", [OWNER_MARK_KEY]: mark });
    expect((modelArtsCreate(inputs()).spec as Props).resources.labels).toEqual({ [OWNER_MARK_KEY]: mark });
  });

  it("is left out when the node pool is read, so it is never drift, with or without labels of the program", () => {
    for (const labels of [undefined, { team: "ml" }]) {
      const outputs = inputs(labels);
      const cloud = shown({ ...(labels ?? {}), [OWNER_MARK_KEY]: mark });
      expect(applyRead(spec, modelArtsWithoutMark(cloud as never) as Props, outputs)).toEqual(outputs);
      expect(applyRead(spec, cloud, outputs)).not.toEqual(outputs);
    }
  });

  it("is kept when the labels change and when the program removes them all (a merge patch of null would drop it)", () => {
    const olds = inputs({ team: "ml", zone: "a" });
    const changed = inputs({ team: "cv" });
    expect(patchBody(olds, changed, diffInputs(spec, olds, changed).calls[PATCH])).toEqual({
      spec: { resources: { labels: { team: "cv", zone: null, [OWNER_MARK_KEY]: mark } } },
    });
    const removed = inputs();
    expect(patchBody(olds, removed, diffInputs(spec, olds, removed).calls[PATCH])).toEqual({
      spec: { resources: { labels: { team: null, zone: null, [OWNER_MARK_KEY]: mark } } },
    });
  });

  it("is a label key that the program may not use", () => {
    const p = baseNodePool();
    p.spec.resources.labels = { [OWNER_MARK_KEY]: "mine" };
    expect(checkInputs(spec, p).failures).toEqual([{ property: "spec.resources.labels", reason: expect.stringContaining("ownership mark") }]);
  });
});

describe("alicloud.eflo.NodeGroup: the mark ends the node group's description", () => {
  const spec = efloNodeGroupSpec;
  const mark = ownerMark(spec.name, KEY);
  const group = (description?: string): Props =>
    checked(spec, {
      clusterId: "i118191731740041623425",
      nodeGroup: { az: "cn-wulanchabu-b", nodeGroupName: "gpu", machineType: "efg2.C48cNHmcn", imageId: "i-image-1", ...(description ? { nodeGroupDescription: description } : {}) },
      ownerKey: KEY,
    });

  it("is appended to the create's NodeGroupDescription, or is all of it", () => {
    expect(createParams(group("training nodes")).NodeGroup.NodeGroupDescription).toBe(`training nodes [${OWNER_MARK_KEY}=${mark}]`);
    expect(createParams(group()).NodeGroup.NodeGroupDescription).toBe(`[${OWNER_MARK_KEY}=${mark}]`);
  });

  it("is left out when the group is read, so it is never drift", () => {
    for (const description of [undefined, "training nodes"]) {
      const outputs = group(description);
      const sent = createParams(outputs).NodeGroup;
      const view = readView({ GroupId: "ng-1", GroupName: "gpu", ClusterId: outputs.clusterId, Description: sent.NodeGroupDescription as string, ZoneId: "cn-wulanchabu-b", MachineType: "efg2.C48cNHmcn", ImageId: "i-image-1" }, {});
      expect(applyRead(spec, view, outputs)).toEqual(outputs);
      expect(view).toMatchObject({ NodeGroup: { NodeGroupDescription: description } });
      expect((applyRead(spec, view, {}, { adoptAll: true }) as Props).nodeGroup.nodeGroupDescription).toBe(description);
    }
  });

  it("cannot be imitated by a description in the program", () => {
    const p = group();
    p.nodeGroup.nodeGroupDescription = `gpu [${OWNER_MARK_KEY}=${mark}]`;
    expect(checkInputs(spec, p).failures).toEqual([{ property: "nodeGroup.nodeGroupDescription", reason: expect.stringContaining("ownership mark") }]);
  });
});
