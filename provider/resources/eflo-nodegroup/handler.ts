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
import { CloudApiError, UnknownOutcomeError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { getPath, isUnknown } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, ResourceInitError, timeoutOf, type DynamicHandlers, type Lifecycle, type Props } from "../../core/handler";
import type { Runtime } from "../../core/runtime";
import { waitFor, type PollResult } from "../../core/waiter";
import { efloApi, type EfloApi, type EfloGroupDetail, type EfloGroupListItem, type EfloTask } from "./api";
import { efloNodeGroupSpec as spec, RAM_ROLE_PATH, UPDATE } from "./fields";

export const SCHEMA_VERSION = 1;
/** Terraform's defaults for alicloud_eflo_node_group. */
export const DEFAULT_TIMEOUTS = { create: 5 * 60_000, update: 120 * 60_000, delete: 5 * 60_000 };
/** Poll delays: the first poll is immediate, then 5 s growing to 30 s. */
const MIN_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30_000;

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
 * map it back onto the inputs: the list's fields first, DescribeNodeGroup for the rest.
 */
export function readView(group: EfloGroupListItem, detail: EfloGroupDetail): Record<string, unknown> {
  return {
    ClusterId: present(group.ClusterId) ?? present(detail.ClusterId),
    NodeGroup: {
      Az: present(group.ZoneId) ?? present(detail.Az),
      NodeGroupName: present(group.GroupName) ?? present(detail.NodeGroupName),
      NodeGroupDescription: present(group.Description) ?? present(detail.NodeGroupDescription),
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

function delays(rt: Runtime) {
  const scale = rt.pollDelayScale;
  return { minDelayMs: Math.max(1, MIN_DELAY_MS * scale), maxDelayMs: Math.max(1, MAX_DELAY_MS * scale) };
}

function remaining(rt: Runtime, deadline: number): number {
  return Math.max(1, deadline - rt.clock.now());
}

/**
 * Waits until ListNodeGroups shows the group: the only readiness signal a node group has. A group just created may
 * take a moment to be listed; for one that existed before (`existed`), not being listed means it is gone.
 */
async function waitListed(
  rt: Runtime,
  api: EfloApi,
  clusterId: string,
  nodeGroupId: string,
  what: string,
  deadline: number,
  existed = false,
): Promise<EfloGroupListItem> {
  return waitFor<EfloGroupListItem | undefined>({
    operation: `${what}: wait for node group ${nodeGroupId} to be listed`,
    poll: () => api.findGroup(clusterId, nodeGroupId),
    acceptors: [
      { state: "success", matches: (r) => r.value !== undefined },
      ...(existed ? [{ state: "failure" as const, matches: (r: PollResult<EfloGroupListItem | undefined>) => !r.error && r.value === undefined, describe: "the node group no longer exists" }] : []),
    ],
    describeState: (r) => (r.value ? "listed" : r.error ? String(r.error) : "not listed"),
    ...delays(rt),
    timeoutMs: remaining(rt, deadline),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
  }) as Promise<EfloGroupListItem>;
}

function taskState(t: EfloTask): string {
  return `TaskState=${t.TaskState ?? "unknown"}${t.Message ? ` (${t.Message})` : ""}`;
}

async function waitTask(rt: Runtime, api: EfloApi, taskId: string, what: string, deadline: number): Promise<void> {
  await waitFor<EfloTask>({
    operation: `${what}: wait for task ${taskId}`,
    poll: () => api.describeTask(taskId),
    acceptors: [
      { state: "success", matches: (r) => r.value?.TaskState === TASK_SUCCESS },
      { state: "failure", matches: (r) => r.value?.TaskState === TASK_FAILURE, describe: "the UpdateNodeGroup task failed" },
    ],
    describeState: (r) => (r.value ? taskState(r.value) : String(r.error)),
    ...delays(rt),
    timeoutMs: remaining(rt, deadline),
    clock: rt.clock,
    onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
  });
}

/**
 * Creates the group. CreateNodeGroup has no client token, so a create whose answer was lost is reconciled by name:
 * names are unique in a cluster and were checked to be free just before, so a group found by that name is the one
 * this call made.
 */
async function createGroup(api: EfloApi, inputs: Props): Promise<string> {
  const clusterId = String(inputs.clusterId);
  const name = groupName(inputs);
  const existing = await api.findGroupsByName(clusterId, name);
  if (existing.length) {
    throw new Error(
      `a node group named "${name}" already exists in cluster ${clusterId} (${existing[0].GroupId}); ` +
        "names are unique in a cluster: choose another nodeGroup.nodeGroupName, or adopt the group with the `import` resource option",
    );
  }
  const body = createBody(spec, inputs);
  const params = { ClusterId: clusterId, NodeGroup: body.NodeGroup as Record<string, unknown>, NodeUnit: body.NodeUnit as Record<string, unknown> | undefined };
  for (let attempt = 1; ; attempt++) {
    try {
      return (await api.createNodeGroup(params)).nodeGroupId;
    } catch (e) {
      if (!(e instanceof UnknownOutcomeError)) throw e;
      const found = await api.findGroupsByName(clusterId, name);
      if (found.length === 1 && found[0].GroupId) return found[0].GroupId;
      if (found.length > 1) throw new Error(`CreateNodeGroup: after a lost answer, ${found.length} node groups named "${name}" exist in cluster ${clusterId}`);
      if (attempt >= 2) throw e;
    }
  }
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
    const what = `create node group "${groupName(inputs)}"`;
    const deadline = rt.clock.now() + timeoutOf(inputs, "create", DEFAULT_TIMEOUTS.create);
    const nodeGroupId = await createGroup(api, inputs);
    const id = `${clusterId}:${nodeGroupId}`;
    try {
      const group = await waitListed(rt, api, clusterId, nodeGroupId, what, deadline);
      const detail = await api.describeNodeGroup(nodeGroupId);
      if (!detail) throw new Error(`ListNodeGroups lists node group ${nodeGroupId} but DescribeNodeGroup does not find it`);
      return { id, outputs: outputsOf(inputs, nodeGroupId, group, detail) };
    } catch (e) {
      // The group exists: record it with its id so that Pulumi neither loses nor duplicates it.
      const group = await api.findGroup(clusterId, nodeGroupId).catch(() => undefined);
      const reason = e instanceof Error ? e.message : String(e);
      throw new ResourceInitError(`node group ${nodeGroupId} was created but is not ready: ${reason}`, id, outputsOf(inputs, nodeGroupId, group, undefined), [reason]);
    }
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
    const what = `update node group "${groupName(news)}"`;
    const deadline = rt.clock.now() + timeoutOf(news, "update", DEFAULT_TIMEOUTS.update);
    // A group recorded by a create that did not finish has no creation time: this update resumes it.
    const resuming = olds.createTime === undefined;
    let accepted = false;
    try {
      const paths = diff.calls[UPDATE] ?? [];
      const params = paths.length ? updateParams(news, paths) : {};
      if (Object.keys(params).length) {
        const { taskId } = await api.updateNodeGroup(nodeGroupId, params);
        accepted = true;
        if (taskId) await waitTask(rt, api, taskId, what, deadline);
      }
      const group = await waitListed(rt, api, clusterId, nodeGroupId, what, deadline, !resuming);
      const detail = await api.describeNodeGroup(nodeGroupId);
      if (!detail) throw new CloudApiError({ operation: "DescribeNodeGroup", message: `node group ${nodeGroupId} is no longer found`, kind: "notFound" });
      return outputsOf(news, nodeGroupId, group, detail);
    } catch (e) {
      if (!accepted && !resuming) throw e;
      // The cloud took the update (or the group is still unfinished) but it did not complete: record what the cloud
      // really has, so that the next `pulumi up` sends the changes again instead of believing them applied.
      const reason = e instanceof Error ? e.message : String(e);
      const properties = await cloudState(api, clusterId, nodeGroupId, olds);
      throw new ResourceInitError(`node group ${nodeGroupId} was not updated: ${reason}`, id, properties, [reason]);
    }
  },

  async delete(rt, id, outputs) {
    const { clusterId, nodeGroupId } = parseId(id);
    const api = efloApi(rt, secretsOf(outputs));
    const what = `delete node group ${nodeGroupId}`;
    const deadline = rt.clock.now() + timeoutOf(outputs, "delete", DEFAULT_TIMEOUTS.delete);
    if (!(await api.deleteNodeGroup(clusterId, nodeGroupId))) return;
    await waitFor<EfloGroupListItem | undefined>({
      operation: `${what}: wait until it is no longer listed`,
      poll: () => api.findGroup(clusterId, nodeGroupId),
      acceptors: [{ state: "success", matches: (r) => !r.error && r.value === undefined }],
      describeState: (r) => (r.value ? "still listed" : r.error ? String(r.error) : "gone"),
      ...delays(rt),
      timeoutMs: remaining(rt, deadline),
      clock: rt.clock,
      onPoll: (n, state) => n > 1 && rt.progress(`${what}: ${state}`),
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
