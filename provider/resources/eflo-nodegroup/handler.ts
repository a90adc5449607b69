/**
 * Lifecycle of `alicloud.eflo.NodeGroup`.
 *
 * - Create: CreateNodeGroup is synchronous (it answers with the NodeGroupId). Node groups have no state field, so
 *   "listed by ListNodeGroups" is what ready means: create waits until the list shows the group, then reads the rest
 *   with DescribeNodeGroup.
 * - Read: ListNodeGroups filtered by cluster and group (an empty list means gone, as Terraform reads it), then
 *   DescribeNodeGroup for the fields the list omits (key pair, RAM role, system disk, user data).
 * - Update: one UpdateNodeGroup call with the changed fields, then DescribeTask until `execution_success`;
 *   `execution_fail` fails the update (Terraform's node group waits with no failure state; its attachment resource
 *   fails on `execution_fail`, which is copied here).
 * - Delete: DeleteNodeGroup (not found = done), then wait until the list no longer shows the group.
 *
 * Timeouts default to Terraform's: create 5m, update 120m, delete 5m.
 */
import { CloudApiError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, isUnknown, setPath } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, type DynamicHandlers, type Lifecycle, type Props } from "../../core/handler";
import { beginStep, createByName, initError, reasonOf, removeAndWaitGone, settleCreate, waitUntil, type Step } from "../../core/lifecycle";
import { descriptionMarkOf, markOf, withDescriptionMark, withoutDescriptionMark } from "../../core/ownership";
import type { PollResult } from "../../core/waiter";
import { efloApi, type EfloApi, type EfloGroupDetail, type EfloGroupListItem, type EfloTask } from "./api";
import { efloNodeGroupSpec as spec, RAM_ROLE_PATH, UPDATE } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for alicloud_eflo_node_group. */
export const DEFAULT_TIMEOUTS = { create: 5 * 60_000, update: 120 * 60_000, delete: 5 * 60_000 };

export const TASK_SUCCESS = "execution_success";
export const TASK_FAILURE = "execution_fail";

export function parseId(id: string): { clusterId: string; nodeGroupId: string } {
  const i = id.lastIndexOf(":");
  if (i <= 0 || i === id.length - 1) throw new Error(`invalid eflo node group id "${id}": expected "<clusterId>:<nodeGroupId>"`);
  return { clusterId: id.slice(0, i), nodeGroupId: id.slice(i + 1) };
}

function secretsOf(...props: Props[]): string[] {
  return props.flatMap((p) => (typeof p.loginPassword === "string" ? [p.loginPassword] : []));
}

function groupName(props: Props): string {
  return String(getPath(props, "nodeGroup.nodeGroupName"));
}

const present = <T>(v: T | undefined | null | ""): T | undefined => (v === undefined || v === null || v === "" ? undefined : v);

/**
 * The cloud's view in the create request's shape (`ClusterId`, `NodeGroup.*`), so that the field table's wire paths
 * map it back onto the inputs: the list's fields first, DescribeNodeGroup for the rest. The ownership mark at the
 * end of the description is the package's, not the program's: it is left out, so it is never drift.
 */
export function readView(group: EfloGroupListItem, detail: EfloGroupDetail): Record<string, unknown> {
  return {
    ClusterId: present(group.ClusterId) ?? present(detail.ClusterId),
    NodeGroup: {
      Az: present(group.ZoneId) ?? present(detail.Az),
      NodeGroupName: present(group.GroupName) ?? present(detail.NodeGroupName),
      NodeGroupDescription: withoutDescriptionMark(present(group.Description) ?? present(detail.NodeGroupDescription)),
      MachineType: present(group.MachineType) ?? present(detail.MachineType),
      ImageId: present(group.ImageId) ?? present(detail.ImageId),
      UserData: present(detail.UserData),
      SystemDisk: detail.SystemDisk,
      FileSystemMountEnabled: group.FileSystemMountEnabled ?? detail.FileSystemMountEnabled,
      VirtualGpuEnabled: group.VirtualGpuEnabled ?? detail.VirtualGpuEnabled,
      KeyPairName: present(detail.KeyPairName),
      RamRoleName: present(detail.RamRoleName),
    },
  };
}

function nodeCountOf(group: EfloGroupListItem | undefined, detail: EfloGroupDetail | undefined): number | undefined {
  if (typeof group?.NodeCount === "number") return group.NodeCount;
  const n = detail?.NodeCount === undefined ? NaN : Number(detail.NodeCount);
  return Number.isFinite(n) ? n : undefined;
}

/** Outputs = the normalised inputs plus what the cloud computed. */
function outputsOf(inputs: Props, nodeGroupId: string, group: EfloGroupListItem | undefined, detail: EfloGroupDetail | undefined): Props {
  return {
    ...inputs,
    nodeGroupId,
    clusterName: present(group?.ClusterName) ?? present(detail?.ClusterName),
    imageName: present(group?.ImageName) ?? present(detail?.ImageName),
    nodeCount: nodeCountOf(group, detail),
    loginType: present(detail?.LoginType),
    createTime: present(group?.CreateTime) ?? present(detail?.CreateTime),
    updateTime: present(group?.UpdateTime) ?? present(detail?.UpdateTime),
  };
}

/**
 * Waits until ListNodeGroups shows the group: the only readiness signal a node group has. A group just created may
 * take a moment to be listed; for one that existed before (`existed`), not being listed means it is gone.
 */
async function waitListed(step: Step, api: EfloApi, clusterId: string, nodeGroupId: string, existed = false): Promise<EfloGroupListItem> {
  return waitUntil<EfloGroupListItem | undefined>(step, `wait for node group ${nodeGroupId} to be listed`, {
    poll: () => api.findGroup(clusterId, nodeGroupId),
    acceptors: [
      { state: "success", matches: (r) => r.value !== undefined },
      ...(existed ? [{ state: "failure" as const, matches: (r: PollResult<EfloGroupListItem | undefined>) => !r.error && r.value === undefined, describe: "the node group no longer exists" }] : []),
    ],
    describeState: (r) => (r.value ? "listed" : r.error ? String(r.error) : "not listed"),
  }) as Promise<EfloGroupListItem>;
}

function taskState(t: EfloTask): string {
  return `TaskState=${t.TaskState ?? "unknown"}${t.Message ? ` (${t.Message})` : ""}`;
}

async function waitTask(step: Step, api: EfloApi, taskId: string): Promise<void> {
  await waitUntil<EfloTask>(step, `wait for task ${taskId}`, {
    poll: () => api.describeTask(taskId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.TaskState === TASK_SUCCESS },
      { state: "failure", matches: (r) => r.value?.TaskState === TASK_FAILURE, describe: "the UpdateNodeGroup task failed" },
    ],
    describeState: (r) => (r.value ? taskState(r.value) : String(r.error)),
  });
}

/**
 * CreateNodeGroup's parameters. The ownership mark goes at the end of `NodeGroupDescription`, the one free-text field
 * that ListNodeGroups returns (a description change replaces the group anyway, so the mark never needs an update).
 */
export function createParams(inputs: Props): { ClusterId: string; NodeGroup: Record<string, unknown>; NodeUnit?: Record<string, unknown> } {
  const body = createBody(spec, inputs);
  const group = (body.NodeGroup ?? {}) as Record<string, unknown>;
  const mark = markOf(spec.name, inputs);
  if (mark) setPath(group, "NodeGroupDescription", withDescriptionMark(group.NodeGroupDescription as string | undefined, mark));
  return { ClusterId: String(inputs.clusterId), NodeGroup: group, NodeUnit: body.NodeUnit as Record<string, unknown> | undefined };
}

/** True when the program removed a RAM role the group has: UpdateNodeGroup cannot clear it, so this replaces. */
export function ramRoleRemoved(olds: Props, news: Props): boolean {
  const before = getPath(olds, RAM_ROLE_PATH);
  const after = getPath(news, RAM_ROLE_PATH);
  return typeof before === "string" && before !== "" && !isUnknown(before) && (after === undefined || after === null);
}

/** The field table's diff, plus: removing `nodeGroup.ramRoleName` replaces the group instead of updating it. */
export function efloDiff(olds: Props, news: Props): DiffOutcome {
  const d = diffInputs(spec, olds, news);
  if (!ramRoleRemoved(olds, news) || d.replaces.includes(RAM_ROLE_PATH)) return d;
  const calls = { ...d.calls };
  const rest = (calls[UPDATE] ?? []).filter((p) => p !== RAM_ROLE_PATH);
  if (rest.length) calls[UPDATE] = rest;
  else delete calls[UPDATE];
  const order = spec.fields.map((f) => f.path);
  const replaces = [...d.replaces, RAM_ROLE_PATH].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { ...d, changes: true, replaces, calls, deleteBeforeReplace: spec.deleteBeforeReplace?.(olds, news) ?? false };
}

/**
 * UpdateNodeGroup's parameters for the changed paths. SystemDisk is one JSON object: when any member changed, every
 * declared member is sent, so that the call never depends on how the cloud merges a partial disk.
 */
export function updateParams(news: Props, changed: string[]): Record<string, unknown> {
  const params = updateBody(spec, UPDATE, news, changed);
  if (params.SystemDisk !== undefined) params.SystemDisk = getPath(createBody(spec, news), "NodeGroup.SystemDisk") ?? params.SystemDisk;
  for (const k of Object.keys(params)) if (params[k] === undefined || params[k] === null) delete params[k];
  return params;
}

/** What the cloud really has, on top of the old outputs (after an update the cloud did not finish). */
async function cloudState(api: EfloApi, clusterId: string, nodeGroupId: string, olds: Props): Promise<Props> {
  const group = await api.findGroup(clusterId, nodeGroupId).catch(() => undefined);
  const detail = group ? await api.describeNodeGroup(nodeGroupId).catch(() => undefined) : undefined;
  if (!group || !detail) return olds;
  return outputsOf(applyRead(spec, readView(group, detail), olds), nodeGroupId, group, detail);
}

export const efloNodeGroupLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = efloApi(rt, secretsOf(inputs));
    const clusterId = String(inputs.clusterId);
    const name = groupName(inputs);
    const step = beginStep(rt, "create", `create node group "${name}"`, inputs, DEFAULT_TIMEOUTS);
    const mark = markOf(spec.name, inputs);
    const claimed = await createByName(step, {
      noun: "a node group",
      name,
      scope: `cluster ${clusterId}`,
      rule: "names are unique in a cluster",
      namePath: "nodeGroup.nodeGroupName",
      find: () => api.findGroupsByName(clusterId, name),
      idOf: (g) => (g.GroupId ? `${clusterId}:${g.GroupId}` : undefined),
      create: async () => ({ id: `${clusterId}:${(await api.createNodeGroup(createParams(inputs))).nodeGroupId}` }),
      owner: mark ? { mark, markOf: (g) => descriptionMarkOf(g.Description) } : undefined,
      namesUnique: true,
      // No `nameTaken`: the API document names no error for a taken name (the emulator's NodeGroupName.Duplicate is
      // its own choice), so the name is looked up before the create.
    });
    const { id } = claimed;
    const { nodeGroupId } = parseId(id);
    return settleCreate(
      `node group ${nodeGroupId}`,
      id,
      async () => {
        const group = await waitListed(step, api, clusterId, nodeGroupId);
        const detail = await api.describeNodeGroup(nodeGroupId);
        if (!detail) throw new Error(`ListNodeGroups lists node group ${nodeGroupId} but DescribeNodeGroup does not find it`);
        // An adopted group was made from the inputs of the interrupted run: record what the cloud has, so that a
        // program changed since then shows its difference on the next `pulumi up`.
        const recorded = claimed.how === "adopted" ? applyRead(spec, readView(group, detail), inputs) : inputs;
        return { id, outputs: outputsOf(recorded, nodeGroupId, group, detail) };
      },
      async () => outputsOf(inputs, nodeGroupId, await api.findGroup(clusterId, nodeGroupId).catch(() => undefined), undefined),
    );
  },

  async read(rt, id, outputs) {
    const { clusterId, nodeGroupId } = parseId(id);
    const api = efloApi(rt, secretsOf(outputs));
    const group = await api.findGroup(clusterId, nodeGroupId);
    if (!group) return undefined;
    const detail = await api.describeNodeGroup(nodeGroupId);
    if (!detail) return undefined;
    const importing = outputs.nodeGroup === undefined;
    const refreshed = applyRead(spec, readView(group, detail), { ...outputs, clusterId }, { adoptAll: importing });
    return outputsOf(refreshed, nodeGroupId, group, detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const { clusterId, nodeGroupId } = parseId(id);
    if (ramRoleRemoved(olds, news)) {
      throw new Error(`${RAM_ROLE_PATH}: UpdateNodeGroup cannot remove a RAM role; removing it replaces the node group`);
    }
    const api = efloApi(rt, secretsOf(news, olds));
    const step = beginStep(rt, "update", `update node group "${groupName(news)}"`, news, DEFAULT_TIMEOUTS);
    // A group recorded by a create that did not finish has no creation time: this update resumes it.
    const resuming = olds.createTime === undefined;
    let accepted = false;
    try {
      const paths = diff.calls[UPDATE] ?? [];
      const params = paths.length ? updateParams(news, paths) : {};
      if (Object.keys(params).length) {
        const { taskId } = await api.updateNodeGroup(nodeGroupId, params);
        accepted = true;
        if (taskId) await waitTask(step, api, taskId);
      }
      const group = await waitListed(step, api, clusterId, nodeGroupId, !resuming);
      const detail = await api.describeNodeGroup(nodeGroupId);
      if (!detail) throw new CloudApiError({ operation: "DescribeNodeGroup", message: `node group ${nodeGroupId} is no longer found`, kind: "notFound" });
      return outputsOf(news, nodeGroupId, group, detail);
    } catch (e) {
      if (!accepted && !resuming) throw e;
      // The cloud took the update (or the group is still unfinished) but it did not complete: record what the cloud
      // really has, so that the next `pulumi up` sends the changes again instead of believing them applied.
      throw initError(`node group ${nodeGroupId} was not updated`, id, await cloudState(api, clusterId, nodeGroupId, olds), reasonOf(e));
    }
  },

  async delete(rt, id, outputs) {
    const { clusterId, nodeGroupId } = parseId(id);
    const api = efloApi(rt, secretsOf(outputs));
    const step = beginStep(rt, "delete", `delete node group ${nodeGroupId}`, outputs, DEFAULT_TIMEOUTS);
    // DeleteNodeGroup is synchronous: a delete interrupted after the cloud took it leaves nothing, and the next one
    // finds the group gone (not found = done).
    await removeAndWaitGone<EfloGroupListItem>(step, {
      remove: () => api.deleteNodeGroup(clusterId, nodeGroupId),
      poll: () => api.findGroup(clusterId, nodeGroupId),
      describe: () => "still listed",
      purpose: "wait until it is no longer listed",
    });
  },
};

const base = makeHandlers(efloNodeGroupLifecycle);

/** The dynamic-provider methods; diff adds the RAM role rule (see {@link efloDiff}) to the field table's diff. */
export const efloNodeGroupHandlers: DynamicHandlers = {
  ...base,
  async diff(id, olds, news) {
    const d = await base.diff(id, olds, news);
    if (!ramRoleRemoved(olds, news) || d.replaces.includes(RAM_ROLE_PATH)) return d;
    const full = efloDiff(olds, news);
    return { changes: true, replaces: full.replaces, deleteBeforeReplace: full.deleteBeforeReplace };
  },
};
