/**
 * Lifecycle of `huaweicloud.modelarts.NodePool`: create and wait until the nodes are available, read with
 * not-found as "gone", update through one JSON merge patch (PatchNodePool) carrying only the changed fields,
 * delete and wait until the node pool is gone.
 *
 * Readiness comes from `status.resources` (there is no phase string): ready when nothing is `creating` or
 * `deleting`, nothing is `abnormal` and `available.count` equals the requested `spec.resources.count`; any
 * `abnormal` node is a failure. The Pulumi id is `<poolName>/<metadata.name>`.
 */
import { UnknownOutcomeError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, setPath } from "../../core/fields/spec";
import { applyRead, createBody, toWireValue, updateBody } from "../../core/fields/wire";
import { makeHandlers, ResourceInitError, timeoutOf, type Lifecycle, type Props } from "../../core/handler";
import type { Runtime } from "../../core/runtime";
import { waitFor } from "../../core/waiter";
import { modelArtsApi, type ModelArtsApi, type NodePoolDetail } from "./api";
import { modelArtsNodePoolSpec as spec, MODELARTS_API_VERSION, NODEPOOL_KIND, PATCH } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for huaweicloud_modelarts_resource_pool (create, update and delete: 90 minutes each). */
export const DEFAULT_TIMEOUTS = { create: 90 * 60_000, update: 90 * 60_000, delete: 90 * 60_000 };
/** Poll delays: the first poll is immediate, then 5 s growing to 30 s. */
const MIN_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30_000;

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

/** The create request: the constant `apiVersion` and `kind`, then every set input at its wire path. */
export function createRequest(inputs: Props): Record<string, unknown> {
  return { apiVersion: MODELARTS_API_VERSION, kind: NODEPOOL_KIND, ...createBody(spec, inputs) };
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
  for (const field of spec.fields) {
    if (!changedPaths.includes(field.path) || !field.wire) continue;
    const next = getPath(news, field.path);
    const prev = getPath(olds, field.path);
    if (!isPlainObject(next) || !isPlainObject(prev)) continue;
    const wire = toWireValue(field, next) as Record<string, unknown>;
    const old = toWireValue(field, prev) as Record<string, unknown>;
    for (const k of Object.keys(old)) if (!(k in wire)) wire[k] = null;
    setPath(body, field.wire, wire);
  }
  return body;
}

function delays(rt: Runtime) {
  const scale = rt.pollDelayScale;
  return { minDelayMs: Math.max(1, MIN_DELAY_MS * scale), maxDelayMs: Math.max(1, MAX_DELAY_MS * scale) };
}

function remaining(rt: Runtime, deadline: number): number {
  return Math.max(1, deadline - rt.clock.now());
}

async function waitReady(rt: Runtime, api: ModelArtsApi, poolName: string, name: string, wanted: number, what: string, deadline: number): Promise<NodePoolDetail> {
  return waitFor<NodePoolDetail | undefined>({
    operation: `${what}: wait for ${wanted} available node(s)`,
    poll: () => api.showNodePool(poolName, name),
    acceptors: [
      { state: "failure", matches: (r) => !!r.value && nodeCounts(r.value).abnormal > 0, describe: "the node pool has abnormal nodes" },
      { state: "success", matches: (r) => !!r.value && isReady(nodeCounts(r.value), wanted) },
      { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "node pool disappeared" },
    ],
    describeState: (r) => (r.value ? describeCounts(nodeCounts(r.value), wanted) : r.error ? String(r.error) : "not found"),
    ...delays(rt),
    timeoutMs: remaining(rt, deadline),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
  }) as Promise<NodePoolDetail>;
}

/**
 * Creates the node pool. The create call has no client token, but the caller chooses the name, which is unique
 * in the resource pool and was checked to be free just before: a node pool of that name found after a lost
 * answer is the one this call made.
 */
async function createNodePool(api: ModelArtsApi, inputs: Props): Promise<void> {
  const { poolName, name } = names(inputs);
  if (await api.showNodePool(poolName, name)) {
    throw new Error(
      `a node pool named "${name}" already exists in resource pool ${poolName}; names are unique in a resource pool: ` +
        `choose another metadata.name, or adopt it with the \`import\` resource option (id "${idOf(poolName, name)}")`,
    );
  }
  const body = createRequest(inputs);
  for (let attempt = 1; ; attempt++) {
    try {
      await api.createNodePool(poolName, body);
      return;
    } catch (e) {
      if (!(e instanceof UnknownOutcomeError)) throw e;
      if (await api.showNodePool(poolName, name)) return;
      if (attempt >= 2) throw e;
    }
  }
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

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const modelArtsNodePoolLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = modelArtsApi(rt);
    const { poolName, name } = names(inputs);
    const what = `create node pool "${name}" in resource pool ${poolName}`;
    const deadline = rt.clock.now() + timeoutOf(inputs, "create", DEFAULT_TIMEOUTS.create);
    await createNodePool(api, inputs);
    const id = idOf(poolName, name);
    try {
      const detail = await waitReady(rt, api, poolName, name, wantedCount(inputs), what, deadline);
      return { id, outputs: outputsOf(inputs, detail) };
    } catch (e) {
      // The node pool exists: record it with its id so that Pulumi neither loses nor duplicates it.
      const detail = await api.showNodePool(poolName, name).catch(() => undefined);
      const reason = reasonOf(e);
      throw new ResourceInitError(`node pool ${id} was created but is not ready: ${reason}`, id, outputsOf(inputs, detail), [reason]);
    }
  },

  async read(rt, id, outputs) {
    const { poolName, name } = parseId(id);
    const api = modelArtsApi(rt);
    const detail = await api.showNodePool(poolName, name);
    if (!detail) return undefined;
    const importing = outputs.metadata === undefined;
    const known = { ...outputs, poolName, metadata: { ...((outputs.metadata as Props | undefined) ?? {}), name } };
    const wire = importing ? (detail as Record<string, unknown>) : withClearedMembers(detail);
    const refreshed = applyRead(spec, wire, known, { adoptAll: importing });
    return outputsOf(refreshed, detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { poolName, name } = parseId(id);
    checkBillingChange(olds, news);
    const api = modelArtsApi(rt);
    const what = `update node pool ${id}`;
    const deadline = rt.clock.now() + timeoutOf(news, "update", DEFAULT_TIMEOUTS.update);
    let accepted = false;
    try {
      const paths = diff.calls[PATCH];
      if (paths?.length) {
        await api.patchNodePool(poolName, name, patchBody(olds, news, paths));
        accepted = true;
      }
      // Also resumes a node pool recorded after a failed create: it must be ready before the update is done.
      const detail = await waitReady(rt, api, poolName, name, wantedCount(news), what, deadline);
      return outputsOf(news, detail);
    } catch (e) {
      const oldStatus = olds.status as Partial<NodeCounts> | undefined;
      const wasReady = !oldStatus || isReady({ ...ZERO_COUNTS, ...oldStatus }, wantedCount(olds));
      if (!accepted && wasReady) throw e;
      const detail = await api.showNodePool(poolName, name).catch(() => undefined);
      const reason = reasonOf(e);
      throw new ResourceInitError(`node pool ${id} is not ready after the update: ${reason}`, id, outputsOf(accepted ? news : olds, detail), [reason]);
    }
  },

  async delete(rt, id, outputs) {
    const { poolName, name } = parseId(id);
    const api = modelArtsApi(rt);
    const what = `delete node pool ${id}`;
    const deadline = rt.clock.now() + timeoutOf(outputs, "delete", DEFAULT_TIMEOUTS.delete);
    const r = await api.deleteNodePool(poolName, name);
    if (!r) return;
    await waitFor<NodePoolDetail | undefined>({
      operation: `${what}: wait until it is gone`,
      poll: () => api.showNodePool(poolName, name),
      acceptors: [{ state: "success", matches: (res) => !res.error && res.value === undefined }],
      describeState: (res) => (res.value ? describeCounts(nodeCounts(res.value)) : res.error ? String(res.error) : "gone"),
      ...delays(rt),
      timeoutMs: remaining(rt, deadline),
      clock: rt.clock,
      onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
    });
  },
};

export const modelArtsNodePoolHandlers = makeHandlers(modelArtsNodePoolLifecycle);
/** For tests: the same diff the handler computes. */
export const modelArtsDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
