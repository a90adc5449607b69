/**
 * Lifecycle of `alicloud.ens.NodePool`: create and wait until the pool is `active`, read by paging
 * DescribeClusterNodePools (there is no single-pool read) with a missing pool as "gone", update through
 * ModifyClusterNodePool and then ScaleClusterNodePool (scale-out only), delete and wait until the pool is gone.
 */
import type { CheckFailure } from "../../core/fields/check";
import { CloudApiError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, type DynamicHandlers, type Lifecycle, type Props } from "../../core/handler";
import { beginStep, createByName, initError, reasonWithTimeout, removeAndWaitGone, sentInputs, settleCreate, waitUntil, type Step } from "../../core/lifecycle";
import type { Acceptor } from "../../core/waiter";
import { ensApi, type EnsApi, type EnsPool } from "./api";
import { ensNodePoolSpec as spec, MODIFY, SCALE, toCamelKeys } from "./fields";

export const SCHEMA_VERSION = 1;
/**
 * No IaC anchor exists for ENS node pools. The API documents that a scale-out normally takes 5-10 minutes and has
 * failed when it still runs after one hour, so create and update wait up to an hour; delete up to 30 minutes.
 */
export const DEFAULT_TIMEOUTS = { create: 60 * 60_000, update: 60 * 60_000, delete: 30 * 60_000 };

/** Documented states: `active`; `scaling` (scaling out) and `removing_nodes` (scaling in) are busy. */
export const READY_STATE = "active";
export const BUSY_STATES = ["scaling", "removing_nodes"];

export function parseId(id: string): { clusterId: string; nodepoolId: string } {
  const i = id.lastIndexOf(":");
  if (i <= 0 || i === id.length - 1) throw new Error(`invalid ENS node pool id "${id}": expected "<clusterId>:<nodePoolId>"`);
  return { clusterId: id.slice(0, i), nodepoolId: id.slice(i + 1) };
}

function secretsOf(props: Props): string[] {
  return typeof props.password === "string" ? [props.password] : [];
}

function poolName(props: Props): string {
  return String(getPath(props, "nodepoolInfo.name"));
}

/** Outputs = the normalised inputs plus what the cloud computed. */
function outputsOf(inputs: Props, nodepoolId: string, pool: EnsPool | undefined): Props {
  return {
    ...inputs,
    nodePoolId: nodepoolId,
    ensRegionId: pool?.NodepoolInfo?.EnsRegionId,
    status: pool?.Status ? toCamelKeys(pool.Status) : undefined,
  };
}

const failedNodes = (pool: EnsPool | undefined): number => Number(pool?.Status?.FailedNodes ?? 0) || 0;
const stateOf = (pool: EnsPool | undefined): string | undefined => pool?.Status?.State;

/** A pool recorded after a failed create or update: not active, or holding failed nodes. */
function recordedUnready(olds: Props): boolean {
  if (!olds.status) return false;
  return getPath(olds, "status.state") !== READY_STATE || Number(getPath(olds, "status.failedNodes") ?? 0) > 0;
}

function describePool(pool: EnsPool | undefined, error: unknown): string {
  if (!pool) return error ? String(error) : "not found";
  const s = pool.Status ?? {};
  const failed = failedNodes(pool);
  return `state=${s.State}, ${s.ServingNodes ?? 0}/${s.DesiredNodes ?? 0} nodes serving${failed ? `, ${failed} failed` : ""}`;
}

const FAILED_NODES_DETAIL =
  "the pool has failed nodes; remove them with DeleteClusterNodes (ENS requires it before the pool can scale out again), then run `pulumi up` again";

/**
 * Polls the pool until it is `active`. With `failOnFailedNodes` (after a create or scale-out), an active pool that
 * holds failed nodes is a failure: those nodes did not come up.
 */
async function waitReady(step: Step, api: EnsApi, clusterId: string, nodepoolId: string, opts: { failOnFailedNodes: boolean }): Promise<EnsPool> {
  const acceptors: Acceptor<EnsPool | undefined>[] = [
    { state: "success", matches: (r) => stateOf(r.value) === READY_STATE && !(opts.failOnFailedNodes && failedNodes(r.value) > 0) },
    { state: "failure", matches: (r) => stateOf(r.value) === READY_STATE && failedNodes(r.value) > 0, describe: FAILED_NODES_DETAIL },
    // Not a documented state; if the cloud ever reports it, waiting longer will not help.
    { state: "failure", matches: (r) => stateOf(r.value) === "failed", describe: "node pool state failed" },
    { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "node pool disappeared" },
  ];
  return waitUntil<EnsPool | undefined>(step, `wait for node pool ${nodepoolId} to become active`, {
    poll: () => api.findPool(clusterId, nodepoolId),
    acceptors,
    describeState: (r) => describePool(r.value, r.error),
  }) as Promise<EnsPool>;
}

/**
 * Why a lower desired size cannot be applied in place. The same text is the preview failure (check) and, should a
 * lower size reach update another way (drift, state edits), the update error raised before any call.
 */
export function scaleInRefusal(from: number, to: number): string {
  return (
    `cannot be lowered from ${from} to ${to} in place: ENS ScaleClusterNodePool only adds nodes (its Count is the new ` +
    "total and must be greater than the current number of nodes), and removing nodes (DeleteClusterNodes) needs the names " +
    "of the nodes to release. Remove the nodes you choose with DeleteClusterNodes, run `pulumi refresh`, then set the lower " +
    "value; or change a field that replaces the pool"
  );
}

/**
 * The preview-time rule over old and new inputs: a lower `scalingGroup.desiredSize` fails check unless the same
 * change replaces the pool (a new pool may start with fewer nodes). `olds` are the old inputs (Pulumi's check).
 */
export function scaleInFailure(olds: Props, news: Props): CheckFailure | undefined {
  const before = getPath(olds, "scalingGroup.desiredSize");
  const after = getPath(news, "scalingGroup.desiredSize");
  if (typeof before !== "number" || typeof after !== "number" || after >= before) return undefined;
  if (diffInputs(spec, olds, news).replaces.length > 0) return undefined;
  return { property: "scalingGroup.desiredSize", reason: scaleInRefusal(before, after) };
}

/**
 * Why an ENS pool whose name is taken is always refused: the API has no field that could carry an ownership mark
 * (no tags, labels or description; the name and the user-data scripts are the program's own), so the package
 * cannot tell a pool that an interrupted run of this resource made from anyone else's.
 */
export const UNMARKABLE =
  "ENS node pools have no tag, label or description that could carry the ownership mark of pulumi-nodepools, so a pool left by an interrupted create cannot be told from anyone else's";

/**
 * Decides the scale-out before any change is sent: the pool must be idle, hold no failed nodes (the API refuses to
 * scale such a pool), and the target must not be below the current count. Returns the Count to send, if any.
 */
function scaleTarget(news: Props, pool: EnsPool): number | undefined {
  const target = getPath(news, "scalingGroup.desiredSize");
  if (typeof target !== "number") return undefined;
  const current = Number(pool.Status?.TotalNodes ?? pool.Status?.DesiredNodes ?? 0);
  if (target < current) throw new Error(`scalingGroup.desiredSize ${scaleInRefusal(current, target)}`);
  if (target === current) return undefined;
  if (failedNodes(pool) > 0) {
    throw new Error(`cannot scale node pool ${pool.NodepoolInfo?.NodepoolId} out to ${target}: ${FAILED_NODES_DETAIL}`);
  }
  return target;
}

export const ensNodePoolLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = ensApi(rt, secretsOf(inputs));
    const clusterId = String(inputs.clusterId);
    const name = poolName(inputs);
    const step = beginStep(rt, "create", `create node pool "${name}"`, inputs, DEFAULT_TIMEOUTS);
    // No client token and no mark: a lost answer is reconciled by the name, which was free just before. ENS does not
    // refuse a second pool with the same name, so a lost create that left the name free is never sent again (the
    // first request may still land): the step fails with the unknown outcome instead.
    const { id } = await createByName(step, {
      noun: "a node pool",
      name,
      scope: `ENS cluster ${clusterId}`,
      rule: "the package keeps pool names unique in a cluster (it finds a pool whose create answer was lost by its name)",
      namePath: "nodepoolInfo.name",
      find: () => api.findPoolsByName(clusterId, name),
      idOf: (p) => (p.NodepoolInfo?.NodepoolId ? `${clusterId}:${p.NodepoolInfo.NodepoolId}` : undefined),
      create: async () => ({ id: `${clusterId}:${(await api.createPool(createBody(spec, inputs))).nodepoolId}` }),
      unmarkable: UNMARKABLE,
      namesUnique: false,
    });
    const { nodepoolId } = parseId(id);
    return settleCreate(
      `node pool ${nodepoolId}`,
      id,
      async () => ({ id, outputs: outputsOf(inputs, nodepoolId, await waitReady(step, api, clusterId, nodepoolId, { failOnFailedNodes: true })) }),
      async () => outputsOf(inputs, nodepoolId, await api.findPool(clusterId, nodepoolId).catch(() => undefined)),
      (e) => reasonWithTimeout(e, step),
    );
  },

  async read(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ensApi(rt, secretsOf(outputs));
    const pool = await api.findPool(clusterId, nodepoolId);
    if (!pool) return undefined;
    const importing = outputs.nodepoolInfo === undefined;
    // The password is neither readable nor compared: the list returns it masked.
    const refreshed = applyRead(spec, pool as Record<string, unknown>, { ...outputs, clusterId }, { adoptAll: importing });
    return outputsOf(refreshed, nodepoolId, pool);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ensApi(rt, secretsOf(news));
    const step = beginStep(rt, "update", `update node pool "${poolName(news)}"`, news, DEFAULT_TIMEOUTS);
    const resuming = recordedUnready(olds);
    const cloudCalls = spec.updateCalls.filter((call) => diff.calls[call]?.length);
    // The calls the cloud accepted (or did not need): on a failure, only their changes are recorded.
    const sent = new Set<string>();
    let scaleTo: number | undefined;
    try {
      if (cloudCalls.length) {
        // ModifyClusterNodePool and ScaleClusterNodePool need an idle pool; the scale decision is made before any change.
        const idle = await waitReady(step, api, clusterId, nodepoolId, { failOnFailedNodes: false });
        if (diff.calls[SCALE]?.length) scaleTo = scaleTarget(news, idle);
      }
      for (const call of cloudCalls) {
        if (call === MODIFY) {
          await api.modifyPool(clusterId, nodepoolId, updateBody(spec, MODIFY, news, diff.calls[MODIFY]));
          sent.add(call);
        } else if (call === SCALE) {
          // The pool already has the target size: nothing to send, and the new value is true.
          if (scaleTo !== undefined) await api.scalePool(clusterId, nodepoolId, scaleTo);
          sent.add(call);
        } else {
          unknownCall(call);
        }
      }
      // Also resumes a pool recorded after a failed create: it must be active before the update is done.
      const pool = await waitReady(step, api, clusterId, nodepoolId, { failOnFailedNodes: scaleTo !== undefined || resuming });
      return outputsOf(news, nodepoolId, pool);
    } catch (e) {
      const accepted = [...sent].some((call) => call !== SCALE || scaleTo !== undefined);
      if (!accepted && !resuming) throw e;
      const pool = await api.findPool(clusterId, nodepoolId).catch(() => undefined);
      const recorded = accepted ? sentInputs(olds, news, diff, sent) : olds;
      throw initError(`node pool ${nodepoolId} is not ready after the update`, id, outputsOf(recorded, nodepoolId, pool), reasonWithTimeout(e, step));
    }
  },

  async delete(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ensApi(rt, secretsOf(outputs));
    const step = beginStep(rt, "delete", `delete node pool ${nodepoolId}`, outputs, DEFAULT_TIMEOUTS);
    const poll = () => api.findPool(clusterId, nodepoolId);
    // A pool that is still scaling cannot be deleted yet: wait until it is idle (or gone). A pool whose delete an
    // earlier run started shows `removing_nodes` until it is gone, so this wait also finishes an interrupted delete.
    const before = await waitUntil<EnsPool | undefined>(step, "wait until it is idle", {
      poll,
      acceptors: [{ state: "success", matches: (r) => (!r.error && r.value === undefined) || (r.value !== undefined && !BUSY_STATES.includes(stateOf(r.value) ?? "")) }],
      describeState: (r) => (r.value || r.error ? describePool(r.value, r.error) : "gone"),
    });
    if (!before) return;
    await removeAndWaitGone<EnsPool>(step, { remove: () => api.deletePool(clusterId, nodepoolId), poll, describe: (p) => describePool(p, undefined) });
  },
};

function unknownCall(call: string): never {
  throw new CloudApiError({ operation: call, message: "no API call is bound to this update group", kind: "client" });
}

const base = makeHandlers(ensNodePoolLifecycle);

/**
 * The dynamic-provider methods. `check` adds the rule that needs the old inputs: a lower desired size is refused at
 * preview (see {@link scaleInFailure}).
 */
export const ensNodePoolHandlers: DynamicHandlers = {
  ...base,
  async check(olds, news) {
    const r = await base.check(olds, news);
    if (r.failures?.length) return r;
    const refusal = scaleInFailure(olds ?? {}, r.inputs);
    return refusal ? { inputs: news, failures: [refusal] } : r;
  },
};

/** For tests: the same diff the handler computes. */
export const ensDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
