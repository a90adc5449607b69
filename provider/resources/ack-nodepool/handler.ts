/**
 * Lifecycle of `alicloud.ack.NodePool`: create and wait (task, then pool state), read with not-found as
 * "gone", update through the named calls of the field table, delete and wait until the pool is gone.
 */
import { CloudApiError, UnknownOutcomeError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, mapKeys, snakeToCamel } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, ResourceInitError, timeoutOf, type Lifecycle, type Props } from "../../core/handler";
import type { Runtime } from "../../core/runtime";
import { waitFor } from "../../core/waiter";
import { ackApi, type AckApi, type AckPoolDetail, type AckTask } from "./api";
import { ackNodePoolSpec as spec, MODIFY, MODIFY_NODE_CONFIG } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for alicloud_cs_kubernetes_node_pool. */
export const DEFAULT_TIMEOUTS = { create: 90 * 60_000, update: 60 * 60_000, delete: 60 * 60_000 };
/** Poll delays: the first poll is immediate, then 5 s growing to 30 s. */
const MIN_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30_000;

const TASK_FAILED = ["fail", "failed"];
const LABELS_AND_TAINTS = ["kubernetesConfig.labels", "kubernetesConfig.taints"];

export function parseId(id: string): { clusterId: string; nodepoolId: string } {
  const i = id.lastIndexOf(":");
  if (i <= 0 || i === id.length - 1) throw new Error(`invalid ACK node pool id "${id}": expected "<clusterId>:<nodePoolId>"`);
  return { clusterId: id.slice(0, i), nodepoolId: id.slice(i + 1) };
}

function secretsOf(props: Props): string[] {
  return typeof props.loginPassword === "string" ? [props.loginPassword] : [];
}

function poolName(props: Props): string {
  return String(getPath(props, "nodepoolInfo.name"));
}

/** Outputs = the normalised inputs plus what the cloud computed. */
function outputsOf(inputs: Props, nodepoolId: string, detail: AckPoolDetail | undefined): Props {
  return {
    ...inputs,
    nodePoolId: nodepoolId,
    scalingGroupId: detail?.scaling_group?.scaling_group_id,
    status: detail?.status ? mapKeys(detail.status, snakeToCamel) : undefined,
    created: detail?.nodepool_info?.created,
    updated: detail?.nodepool_info?.updated,
  };
}

function taskError(task: AckTask): string {
  const e = task.error;
  if (!e) return "no error detail";
  return typeof e === "string" ? e : [e.code, e.message].filter(Boolean).join(": ");
}

function delays(rt: Runtime) {
  const scale = rt.pollDelayScale;
  return { minDelayMs: Math.max(1, MIN_DELAY_MS * scale), maxDelayMs: Math.max(1, MAX_DELAY_MS * scale) };
}

function remaining(rt: Runtime, deadline: number): number {
  return Math.max(1, deadline - rt.clock.now());
}

async function waitTask(rt: Runtime, api: AckApi, taskId: string, what: string, deadline: number): Promise<void> {
  await waitFor<AckTask>({
    operation: `${what}: wait for task ${taskId}`,
    poll: () => api.describeTask(taskId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.state === "success" },
      { state: "failure", matches: (r) => TASK_FAILED.includes(r.value?.state ?? ""), describe: "task failed" },
    ],
    describeState: (r) => (r.value ? `task ${r.value.state}${r.value.error ? ` (${taskError(r.value)})` : ""}` : String(r.error)),
    ...delays(rt),
    timeoutMs: remaining(rt, deadline),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
  });
}

async function waitActive(rt: Runtime, api: AckApi, clusterId: string, nodepoolId: string, what: string, deadline: number): Promise<AckPoolDetail> {
  return waitFor<AckPoolDetail | undefined>({
    operation: `${what}: wait for node pool ${nodepoolId} to become active`,
    poll: () => api.describePool(clusterId, nodepoolId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.status?.state === "active" },
      { state: "failure", matches: (r) => r.value?.status?.state === "failed", describe: "node pool state failed" },
      { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "node pool disappeared" },
    ],
    describeState: (r) => (r.value ? `state=${r.value.status?.state}` : r.error ? String(r.error) : "not found"),
    ...delays(rt),
    timeoutMs: remaining(rt, deadline),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
  }) as Promise<AckPoolDetail>;
}

/**
 * Creates the pool. The create call has no client token, so a create whose answer was lost is reconciled by
 * name: names are unique in a cluster and were checked to be free just before, so a pool found by that name
 * is the one this call made.
 */
async function createPool(api: AckApi, inputs: Props): Promise<{ nodepoolId: string; taskId?: string }> {
  const clusterId = String(inputs.clusterId);
  const name = poolName(inputs);
  const existing = await api.findPoolsByName(clusterId, name);
  if (existing.length) {
    throw new Error(
      `a node pool named "${name}" already exists in cluster ${clusterId} (${existing[0].nodepool_info?.nodepool_id}); ` +
        "names are unique in a cluster: choose another nodepoolInfo.name, or adopt the pool with the `import` resource option",
    );
  }
  const body = createBody(spec, inputs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.createPool(clusterId, body);
    } catch (e) {
      if (!(e instanceof UnknownOutcomeError)) throw e;
      const found = await api.findPoolsByName(clusterId, name);
      if (found.length === 1 && found[0].nodepool_info?.nodepool_id) return { nodepoolId: found[0].nodepool_info.nodepool_id };
      if (found.length > 1) throw new Error(`CreateClusterNodePool: after a lost answer, ${found.length} pools named "${name}" exist in cluster ${clusterId}`);
      if (attempt >= 2) throw e;
    }
  }
}

export const ackNodePoolLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = ackApi(rt, secretsOf(inputs));
    const clusterId = String(inputs.clusterId);
    const what = `create node pool "${poolName(inputs)}"`;
    const deadline = rt.clock.now() + timeoutOf(inputs, "create", DEFAULT_TIMEOUTS.create);
    const { nodepoolId, taskId } = await createPool(api, inputs);
    const id = `${clusterId}:${nodepoolId}`;
    try {
      if (taskId) await waitTask(rt, api, taskId, what, deadline);
      const detail = await waitActive(rt, api, clusterId, nodepoolId, what, deadline);
      return { id, outputs: outputsOf(inputs, nodepoolId, detail) };
    } catch (e) {
      // The pool exists: record it with its id so that Pulumi neither loses nor duplicates it.
      const detail = await api.describePool(clusterId, nodepoolId).catch(() => undefined);
      const reason = e instanceof Error ? e.message : String(e);
      throw new ResourceInitError(`node pool ${nodepoolId} was created but is not ready: ${reason}`, id, outputsOf(inputs, nodepoolId, detail), [reason]);
    }
  },

  async read(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(outputs));
    const detail = await api.describePool(clusterId, nodepoolId);
    if (!detail) return undefined;
    const importing = outputs.nodepoolInfo === undefined;
    const refreshed = applyRead(spec, detail as Record<string, unknown>, { ...outputs, clusterId }, { adoptAll: importing });
    return outputsOf(refreshed, nodepoolId, detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(news));
    const what = `update node pool "${poolName(news)}"`;
    const deadline = rt.clock.now() + timeoutOf(news, "update", DEFAULT_TIMEOUTS.update);
    let accepted = false;
    try {
      for (const call of spec.updateCalls) {
        const paths = diff.calls[call];
        if (!paths?.length) continue;
        const body = updateBody(spec, call, news, paths);
        // update_nodes is a Modify-only switch: labels and taints then also reach existing nodes.
        if (call === MODIFY && news.updateNodes === true && paths.some((p) => LABELS_AND_TAINTS.includes(p))) body.update_nodes = true;
        const { taskId } =
          call === MODIFY ? await api.modifyPool(clusterId, nodepoolId, body) : call === MODIFY_NODE_CONFIG ? await api.modifyNodeConfig(clusterId, nodepoolId, body) : unknownCall(call);
        accepted = true;
        if (taskId) await waitTask(rt, api, taskId, what, deadline);
      }
      // Also resumes a pool recorded after a failed create: it must be active before the update is done.
      const detail = await waitActive(rt, api, clusterId, nodepoolId, what, deadline);
      return outputsOf(news, nodepoolId, detail);
    } catch (e) {
      if (!accepted && !(olds.status && getPath(olds, "status.state") !== "active")) throw e;
      const detail = await api.describePool(clusterId, nodepoolId).catch(() => undefined);
      const reason = e instanceof Error ? e.message : String(e);
      throw new ResourceInitError(`node pool ${nodepoolId} is not ready after the update: ${reason}`, id, outputsOf(accepted ? news : olds, nodepoolId, detail), [reason]);
    }
  },

  async delete(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(outputs));
    const what = `delete node pool ${nodepoolId}`;
    const deadline = rt.clock.now() + timeoutOf(outputs, "delete", DEFAULT_TIMEOUTS.delete);
    const force = outputs.forceDelete === undefined ? true : outputs.forceDelete === true;
    const r = await api.deletePool(clusterId, nodepoolId, force);
    if (!r) return;
    if (r.taskId) await waitTask(rt, api, r.taskId, what, deadline);
    await waitFor<AckPoolDetail | undefined>({
      operation: `${what}: wait until it is gone`,
      poll: () => api.describePool(clusterId, nodepoolId),
      acceptors: [
        { state: "success", matches: (res) => !res.error && res.value === undefined },
        { state: "failure", matches: (res) => res.value?.status?.state === "failed", describe: "node pool state failed" },
      ],
      describeState: (res) => (res.value ? `state=${res.value.status?.state}` : res.error ? String(res.error) : "gone"),
      ...delays(rt),
      timeoutMs: remaining(rt, deadline),
      clock: rt.clock,
      onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
    });
  },
};

function unknownCall(call: string): never {
  throw new CloudApiError({ operation: call, message: "no API call is bound to this update group", kind: "client" });
}

export const ackNodePoolHandlers = makeHandlers(ackNodePoolLifecycle);
/** For tests: the same diff the handler computes. */
export const ackDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
