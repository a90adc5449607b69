/**
 * Lifecycle of `huaweicloud.modelarts.NodePool`: create and wait until the nodes are available, read with
 * not-found as "gone", update through one JSON merge patch (PatchNodePool) carrying only the changed fields,
 * delete and wait until the node pool is gone.
 *
 * Readiness comes from `status.resources` (there is no phase string): ready when nothing is `creating` or
 * `deleting`, nothing is `abnormal` and `available.count` equals the requested `spec.resources.count`; any
 * `abnormal` node is a failure. The Pulumi id is `<poolName>/<metadata.name>`.
 */
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, setPath } from "../../core/fields/spec";
import { applyRead, createBody, toWireValue, updateBody } from "../../core/fields/wire";
import { makeHandlers, type Lifecycle, type Props } from "../../core/handler";
import { beginStep, createByName, initError, reasonOf, removeAndWaitGone, settleCreate, waitUntil, type Step } from "../../core/lifecycle";
import { markOf, ownerLabelOf, withOwnerLabel, withoutOwnerLabel } from "../../core/ownership";
import { modelArtsApi, type ModelArtsApi, type NodePoolDetail } from "./api";
import { modelArtsNodePoolSpec as spec, MODELARTS_API_VERSION, NODEPOOL_KIND, PATCH } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for huaweicloud_modelarts_resource_pool (create, update and delete: 90 minutes each). */
export const DEFAULT_TIMEOUTS = { create: 90 * 60_000, update: 90 * 60_000, delete: 90 * 60_000 };
/** Where the ownership mark goes: a Kubernetes label of the nodes (allowed in every pool, unlike tags). */
const LABELS = "spec.resources.labels";

export interface NodeCounts {
  creating: number;
  available: number;
  abnormal: number;
  deleting: number;
}

const ZERO_COUNTS: NodeCounts = { creating: 0, available: 0, abnormal: 0, deleting: 0 };

export function parseId(id: string): { poolName: string; name: string } {
  const i = id.indexOf("/");
  if (i <= 0 || i === id.length - 1 || id.indexOf("/", i + 1) >= 0) {
    throw new Error(`invalid ModelArts node pool id "${id}": expected "<poolName>/<nodePoolName>"`);
  }
  return { poolName: id.slice(0, i), name: id.slice(i + 1) };
}

export function idOf(poolName: string, name: string): string {
  return `${poolName}/${name}`;
}

/** Node counts of `status.resources`; an entry the service leaves out counts 0. */
export function nodeCounts(detail: NodePoolDetail | undefined): NodeCounts {
  const r = detail?.status?.resources ?? {};
  const n = (v: { count?: number } | undefined) => (typeof v?.count === "number" && v.count > 0 ? v.count : 0);
  return { creating: n(r.creating), available: n(r.available), abnormal: n(r.abnormal), deleting: n(r.deleting) };
}

export function isReady(c: NodeCounts, wanted: number): boolean {
  return c.creating === 0 && c.deleting === 0 && c.abnormal === 0 && c.available === wanted;
}

function describeCounts(c: NodeCounts, wanted?: number): string {
  const text = `creating=${c.creating} available=${c.available} abnormal=${c.abnormal} deleting=${c.deleting}`;
  return wanted === undefined ? text : `${text} (want ${wanted} available)`;
}

function names(props: Props): { poolName: string; name: string } {
  return { poolName: String(props.poolName), name: String(getPath(props, "metadata.name")) };
}

function wantedCount(props: Props): number {
  const c = getPath(props, "spec.resources.count");
  return typeof c === "number" ? c : 0;
}

/** Outputs = the normalised inputs plus the node counts. */
function outputsOf(inputs: Props, detail: NodePoolDetail | undefined): Props {
  return { ...inputs, status: nodeCounts(detail) };
}

/**
 * The create request: the constant `apiVersion` and `kind`, then every set input at its wire path, and the
 * ownership mark as one more Kubernetes label (`spec.resources.labels`; tags would be refused by a non-privileged
 * pool).
 */
export function createRequest(inputs: Props): Record<string, unknown> {
  const body: Record<string, unknown> = { apiVersion: MODELARTS_API_VERSION, kind: NODEPOOL_KIND, ...createBody(spec, inputs) };
  const mark = markOf(spec.name, inputs);
  if (mark) setPath(body, LABELS, withOwnerLabel(getPath(body, LABELS) as Record<string, unknown> | undefined, mark));
  return body;
}

/** The node pool as the service shows it, without the ownership label: it is the package's, never drift. */
export function withoutOwnerMark(detail: NodePoolDetail): NodePoolDetail {
  const labels = getPath(detail, LABELS) as Record<string, unknown> | undefined;
  if (labels === undefined || labels === null) return detail;
  const copy = structuredClone(detail) as Record<string, unknown>;
  const rest = withoutOwnerLabel(labels);
  if (rest) setPath(copy, LABELS, rest);
  else delete (getPath(copy, "spec.resources") as Record<string, unknown>).labels;
  return copy as NodePoolDetail;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The PatchNodePool body: only the changed fields. It is a JSON merge patch, so a map (labels, annotations) is
 * merged key by key: a key the program no longer sets is sent as `null` to remove it; lists replace whole.
 */
export function patchBody(olds: Props, news: Props, changedPaths: string[]): Record<string, unknown> {
  const body = updateBody(spec, PATCH, news, changedPaths);
  const mark = markOf(spec.name, news);
  for (const field of spec.fields) {
    if (!changedPaths.includes(field.path) || !field.wire) continue;
    const next = getPath(news, field.path);
    const prev = getPath(olds, field.path);
    // With an ownership mark, removing every label removes them key by key: `labels: null` would remove the mark too.
    const keepMark = mark !== undefined && field.wire === LABELS && next === undefined;
    if (!isPlainObject(prev) || !(isPlainObject(next) || keepMark)) continue;
    const wire = isPlainObject(next) ? (toWireValue(field, next) as Record<string, unknown>) : {};
    const old = toWireValue(field, prev) as Record<string, unknown>;
    for (const k of Object.keys(old)) if (!(k in wire)) wire[k] = null;
    setPath(body, field.wire, wire);
  }
  // A labels patch carries the mark again: harmless when it is there, and it restores one removed out of band.
  const labels = getPath(body, LABELS);
  if (mark && isPlainObject(labels)) setPath(body, LABELS, withOwnerLabel(labels, mark));
  return body;
}

async function waitReady(step: Step, api: ModelArtsApi, poolName: string, name: string, wanted: number): Promise<NodePoolDetail> {
  return waitUntil<NodePoolDetail | undefined>(step, `wait for ${wanted} available node(s)`, {
    poll: () => api.showNodePool(poolName, name),
    acceptors: [
      { state: "failure", matches: (r) => !!r.value && nodeCounts(r.value).abnormal > 0, describe: "the node pool has abnormal nodes" },
      { state: "success", matches: (r) => !!r.value && isReady(nodeCounts(r.value), wanted) },
      { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "node pool disappeared" },
    ],
    describeState: (r) => (r.value ? describeCounts(nodeCounts(r.value), wanted) : r.error ? String(r.error) : "not found"),
  }) as Promise<NodePoolDetail>;
}

/**
 * The service leaves out a list or map that is empty (a merge patch with `null` removes the member), so for the
 * clear-on-unset fields (labels, taints, tags) an absent member reads as empty: labels removed outside Pulumi are
 * then drift, like labels added outside Pulumi.
 */
function withClearedMembers(detail: NodePoolDetail): Record<string, unknown> {
  const wire = structuredClone(detail) as Record<string, unknown>;
  for (const field of spec.fields) {
    if (field.unset !== "clear" || !field.wire || getPath(wire, field.wire) !== undefined) continue;
    setPath(wire, field.wire, field.clearValue === null ? {} : structuredClone(field.clearValue));
  }
  return wire;
}

/** DOC: the order id is mandatory for changing the billing mode. Checked before any call. */
function checkBillingChange(olds: Props, news: Props): void {
  const before = getPath(olds, "metadata.annotations.billingMode");
  const after = getPath(news, "metadata.annotations.billingMode");
  if (after !== undefined && after !== before && getPath(news, "metadata.annotations.orderId") === undefined) {
    throw new Error(
      `metadata.annotations.orderId is required to change metadata.annotations.billingMode from ${JSON.stringify(before ?? "unset")} to ${JSON.stringify(after)} ` +
        "(the order id is mandatory for changing the billing mode)",
    );
  }
}

/** The stored outputs refreshed from the service (on import, every readable field is taken from it). */
function cloudView(detail: NodePoolDetail, outputs: Props, poolName: string, name: string): Props {
  const importing = outputs.metadata === undefined;
  const known = { ...outputs, poolName, metadata: { ...((outputs.metadata as Props | undefined) ?? {}), name } };
  const shown = withoutOwnerMark(detail);
  const wire = importing ? (shown as Record<string, unknown>) : withClearedMembers(shown);
  return applyRead(spec, wire, known, { adoptAll: importing });
}

export const modelArtsNodePoolLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = modelArtsApi(rt);
    const { poolName, name } = names(inputs);
    const step = beginStep(rt, "create", `create node pool "${name}" in resource pool ${poolName}`, inputs, DEFAULT_TIMEOUTS);
    const id = idOf(poolName, name);
    const mark = markOf(spec.name, inputs);
    // The caller chooses the name, which keys every call: it is the id, and a lost answer is reconciled by a GET.
    const claimed = await createByName(step, {
      noun: "a node pool",
      name,
      scope: `resource pool ${poolName}`,
      rule: "names are unique in a resource pool",
      namePath: "metadata.name",
      find: async () => {
        const found = await api.showNodePool(poolName, name);
        return found ? [found] : [];
      },
      idOf: () => id,
      create: async () => {
        await api.createNodePool(poolName, createRequest(inputs));
        return { id };
      },
      owner: mark ? { mark, markOf: (np) => ownerLabelOf(getPath(np, LABELS)) } : undefined,
      namesUnique: true,
      // No `nameTaken`: the API document shows only the generic 400 ModelArts.50004000 "Bad request." (the emulator's
      // "already exists" text is its own choice), so the name is looked up before the create.
    });
    // An adopted node pool was made from the inputs of the interrupted run: record what the service has, so that a
    // program changed since then shows its difference on the next `pulumi up`.
    const recorded = (detail: NodePoolDetail) => (claimed.how === "adopted" ? cloudView(detail, inputs, poolName, name) : inputs);
    return settleCreate(
      `node pool ${id}`,
      id,
      async () => {
        const detail = await waitReady(step, api, poolName, name, wantedCount(inputs));
        return { id, outputs: outputsOf(recorded(detail), detail) };
      },
      async () => {
        const detail = await api.showNodePool(poolName, name).catch(() => undefined);
        return outputsOf(detail ? recorded(detail) : inputs, detail);
      },
    );
  },

  async read(rt, id, outputs) {
    const { poolName, name } = parseId(id);
    const api = modelArtsApi(rt);
    const detail = await api.showNodePool(poolName, name);
    if (!detail) return undefined;
    return outputsOf(cloudView(detail, outputs, poolName, name), detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { poolName, name } = parseId(id);
    checkBillingChange(olds, news);
    const api = modelArtsApi(rt);
    const step = beginStep(rt, "update", `update node pool ${id}`, news, DEFAULT_TIMEOUTS);
    let accepted = false;
    try {
      const paths = diff.calls[PATCH];
      if (paths?.length) {
        await api.patchNodePool(poolName, name, patchBody(olds, news, paths));
        accepted = true;
      }
      // Also resumes a node pool recorded after a failed create: it must be ready before the update is done.
      const detail = await waitReady(step, api, poolName, name, wantedCount(news));
      return outputsOf(news, detail);
    } catch (e) {
      const oldStatus = olds.status as Partial<NodeCounts> | undefined;
      const wasReady = !oldStatus || isReady({ ...ZERO_COUNTS, ...oldStatus }, wantedCount(olds));
      if (!accepted && wasReady) throw e;
      const detail = await api.showNodePool(poolName, name).catch(() => undefined);
      throw initError(`node pool ${id} is not ready after the update`, id, outputsOf(accepted ? news : olds, detail), reasonOf(e));
    }
  },

  async delete(rt, id, outputs) {
    const { poolName, name } = parseId(id);
    const api = modelArtsApi(rt);
    const step = beginStep(rt, "delete", `delete node pool ${id}`, outputs, DEFAULT_TIMEOUTS);
    await removeAndWaitGone<NodePoolDetail>(step, {
      remove: async () => (await api.deleteNodePool(poolName, name)) !== undefined,
      poll: () => api.showNodePool(poolName, name),
      describe: (np) => describeCounts(nodeCounts(np)),
      // Every node deleting and none left in any other state: a delete of an earlier run is under way.
      isDeleting: (np) => {
        const c = nodeCounts(np);
        return c.deleting > 0 && c.creating + c.available + c.abnormal === 0;
      },
    });
  },
};

export const modelArtsNodePoolHandlers = makeHandlers(modelArtsNodePoolLifecycle);
/** For tests: the same diff the handler computes. */
export const modelArtsDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
