/**
 * Lifecycle of `alicloud.ack.NodePool`: create and wait (task, then pool state), read with not-found as
 * "gone", update through the named calls of the field table, delete and wait until the pool is gone.
 */
import { CloudApiError, WaiterFailureError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, mapKeys, snakeToCamel } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, type Lifecycle, type Props } from "../../core/handler";
import { beginStep, createByName, initError, reasonOf, removeAndWaitGone, sentInputs, settleCreate, waitUntil, type Step } from "../../core/lifecycle";
import { markOf, ownerTagOf, withOwnerTag, withoutOwnerTag } from "../../core/ownership";
import { ackApi, isNameTaken, type AckApi, type AckPoolDetail, type AckTask } from "./api";
import { ackNodePoolSpec as spec, MODIFY, MODIFY_NODE_CONFIG } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for alicloud_cs_kubernetes_node_pool. */
export const DEFAULT_TIMEOUTS = { create: 90 * 60_000, update: 60 * 60_000, delete: 60 * 60_000 };

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

const describeState = (detail: AckPoolDetail) => `state=${detail.status?.state}`;

async function waitTask(step: Step, api: AckApi, taskId: string): Promise<void> {
  await waitUntil<AckTask>(step, `wait for task ${taskId}`, {
    poll: () => api.describeTask(taskId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.state === "success" },
      { state: "failure", matches: (r) => TASK_FAILED.includes(r.value?.state ?? ""), describe: "task failed" },
    ],
    describeState: (r) => (r.value ? `task ${r.value.state}${r.value.error ? ` (${taskError(r.value)})` : ""}` : String(r.error)),
  });
}

async function waitActive(step: Step, api: AckApi, clusterId: string, nodepoolId: string): Promise<AckPoolDetail> {
  return waitUntil<AckPoolDetail | undefined>(step, `wait for node pool ${nodepoolId} to become active`, {
    poll: () => api.describePool(clusterId, nodepoolId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.status?.state === "active" },
      { state: "failure", matches: (r) => r.value?.status?.state === "failed", describe: "node pool state failed" },
      { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "node pool disappeared" },
    ],
    describeState: (r) => (r.value ? describeState(r.value) : r.error ? String(r.error) : "not found"),
  }) as Promise<AckPoolDetail>;
}

/**
 * The pool as the cloud shows it, without the ownership tag: the tag is this package's, never the program's, so it
 * is neither drift nor something an import adopts.
 */
export function withoutOwnerMark(detail: AckPoolDetail): AckPoolDetail {
  const tags = detail.scaling_group?.tags;
  if (!Array.isArray(tags)) return detail;
  return { ...detail, scaling_group: { ...detail.scaling_group, tags: withoutOwnerTag(tags) } };
}

/** The create body: the inputs at their wire paths, and the ownership mark as one more ECS tag. */
export function createRequest(inputs: Props): Record<string, unknown> {
  const body = createBody(spec, inputs);
  const mark = markOf(spec.name, inputs);
  if (mark) {
    const group = (body.scaling_group ?? {}) as Record<string, unknown>;
    body.scaling_group = { ...group, tags: withOwnerTag(group.tags as Array<{ key?: unknown }> | undefined, mark) };
  }
  return body;
}

/**
 * A ModifyClusterNodePool body that sets the tags replaces the whole list, so it carries the mark too (tags left
 * out of the body stay as they are, mark included).
 */
export function modifyRequest(news: Props, paths: string[]): Record<string, unknown> {
  const body = updateBody(spec, MODIFY, news, paths);
  const group = body.scaling_group as Record<string, unknown> | undefined;
  const mark = markOf(spec.name, news);
  if (mark && group && Array.isArray(group.tags)) group.tags = withOwnerTag(group.tags, mark);
  return body;
}

export const ackNodePoolLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = ackApi(rt, secretsOf(inputs));
    const clusterId = String(inputs.clusterId);
    const name = poolName(inputs);
    const step = beginStep(rt, "create", `create node pool "${name}"`, inputs, DEFAULT_TIMEOUTS);
    const mark = markOf(spec.name, inputs);
    const claimed = await createByName(step, {
      noun: "a node pool",
      name,
      scope: `cluster ${clusterId}`,
      rule: "names are unique in a cluster",
      namePath: "nodepoolInfo.name",
      find: () => api.findPoolsByName(clusterId, name),
      idOf: (p) => (p.nodepool_info?.nodepool_id ? `${clusterId}:${p.nodepool_info.nodepool_id}` : undefined),
      create: async () => {
        const r = await api.createPool(clusterId, createRequest(inputs));
        return { ...r, id: `${clusterId}:${r.nodepoolId}` };
      },
      owner: mark ? { mark, markOf: (p) => ownerTagOf(p.scaling_group?.tags) } : undefined,
      namesUnique: true,
      // ACK refuses a taken name itself, so a create goes first and DescribeClusterNodePools runs only after that
      // refusal or a lost answer: a create that goes through makes three calls (create, task, pool), not four.
      nameTaken: isNameTaken,
    });
    const { id } = claimed;
    const { nodepoolId } = parseId(id);
    // An adopted pool was made from the inputs of the interrupted run: record what the cloud has, so that a program
    // changed since then shows its difference on the next `pulumi up`.
    const recordedInputs = (detail: AckPoolDetail) => (claimed.how === "adopted" ? cloudView(detail, inputs, clusterId) : inputs);
    return settleCreate(
      `node pool ${nodepoolId}`,
      id,
      async () => {
        if (claimed.how === "created" && claimed.answer.taskId) await waitTask(step, api, claimed.answer.taskId);
        const detail = await waitActive(step, api, clusterId, nodepoolId);
        return { id, outputs: outputsOf(recordedInputs(detail), nodepoolId, detail) };
      },
      async () => {
        const detail = await api.describePool(clusterId, nodepoolId).catch(() => undefined);
        return outputsOf(detail ? recordedInputs(detail) : inputs, nodepoolId, detail);
      },
    );
  },

  async read(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(outputs));
    const detail = await api.describePool(clusterId, nodepoolId);
    if (!detail) return undefined;
    return outputsOf(cloudView(detail, outputs, clusterId), nodepoolId, detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(news));
    const step = beginStep(rt, "update", `update node pool "${poolName(news)}"`, news, DEFAULT_TIMEOUTS);
    // The calls the cloud accepted: on a failure, only their changes are recorded (the next `up` sends the rest).
    const sent = new Set<string>();
    try {
      for (const call of spec.updateCalls) {
        const paths = diff.calls[call];
        if (!paths?.length) continue;
        const body = call === MODIFY ? modifyRequest(news, paths) : updateBody(spec, call, news, paths);
        // update_nodes is a Modify-only switch: labels and taints then also reach existing nodes.
        if (call === MODIFY && news.updateNodes === true && paths.some((p) => LABELS_AND_TAINTS.includes(p))) body.update_nodes = true;
        const { taskId } =
          call === MODIFY ? await api.modifyPool(clusterId, nodepoolId, body) : call === MODIFY_NODE_CONFIG ? await api.modifyNodeConfig(clusterId, nodepoolId, body) : unknownCall(call);
        sent.add(call);
        if (taskId) {
          try {
            await waitTask(step, api, taskId);
          } catch (e) {
            // The cloud says its task failed: the change was not applied.
            if (e instanceof WaiterFailureError) sent.delete(call);
            throw e;
          }
        }
      }
      // Also resumes a pool recorded after a failed create: it must be active before the update is done.
      const detail = await waitActive(step, api, clusterId, nodepoolId);
      return outputsOf(news, nodepoolId, detail);
    } catch (e) {
      if (!sent.size && !(olds.status && getPath(olds, "status.state") !== "active")) throw e;
      const detail = await api.describePool(clusterId, nodepoolId).catch(() => undefined);
      const recorded = sent.size ? sentInputs(olds, news, diff, sent) : olds;
      throw initError(`node pool ${nodepoolId} is not ready after the update`, id, outputsOf(recorded, nodepoolId, detail), reasonOf(e));
    }
  },

  async delete(rt, id, outputs) {
    const { clusterId, nodepoolId } = parseId(id);
    const api = ackApi(rt, secretsOf(outputs));
    const step = beginStep(rt, "delete", `delete node pool ${nodepoolId}`, outputs, DEFAULT_TIMEOUTS);
    const force = outputs.forceDelete === undefined ? true : outputs.forceDelete === true;
    await removeAndWaitGone<AckPoolDetail>(step, {
      remove: async () => {
        const r = await api.deletePool(clusterId, nodepoolId, force);
        if (r?.taskId) await waitTask(step, api, r.taskId);
        return r !== undefined;
      },
      // A delete of an earlier run that was interrupted left the pool `deleting`: a second delete is refused while
      // its task runs, and waiting for the first one is all that is left to do.
      isDeleting: (p) => p.status?.state === "deleting",
      poll: () => api.describePool(clusterId, nodepoolId),
      describe: describeState,
      failures: [{ matches: (p) => p.status?.state === "failed", describe: "node pool state failed" }],
    });
  },
};

/** The stored outputs refreshed from the cloud (on import, every readable field is taken from the cloud). */
function cloudView(detail: AckPoolDetail, outputs: Props, clusterId: string): Props {
  const importing = outputs.nodepoolInfo === undefined;
  return applyRead(spec, withoutOwnerMark(detail) as Record<string, unknown>, { ...outputs, clusterId }, { adoptAll: importing });
}

function unknownCall(call: string): never {
  throw new CloudApiError({ operation: call, message: "no API call is bound to this update group", kind: "client" });
}

export const ackNodePoolHandlers = makeHandlers(ackNodePoolLifecycle);
/** For tests: the same diff the handler computes. */
export const ackDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
