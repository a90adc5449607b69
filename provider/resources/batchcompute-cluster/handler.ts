/**
 * Lifecycle of `alicloud.batchcompute.Cluster`: create with an idempotency token and wait until every group runs
 * its desired VM count; read with not-found (or Deleting) as "gone"; update the desired VM counts in place through
 * ModifyCluster and wait again; delete and wait until the cluster is gone.
 */
import { randomBytes } from "crypto";
import { UnknownOutcomeError } from "../../core/errors";
import { diffInputs, type DiffOutcome } from "../../core/fields/diff";
import { deletePath } from "../../core/fields/spec";
import { applyRead, createBody, updateBody } from "../../core/fields/wire";
import { makeHandlers, type Lifecycle, type Props } from "../../core/handler";
import { beginStep, initError, reasonOf, removeAndWaitGone, settleCreate, waitUntil, type Step } from "../../core/lifecycle";
import { OWNER_KEY_PATH } from "../../core/ownership";
import type { Runtime } from "../../core/runtime";
import { batchComputeApi, idempotencyToken, isTokenMismatch, type BatchComputeApi, type BatchComputeCluster, type BatchComputeGroup } from "./api";
import { batchComputeClusterSpec as spec, GROUP_KEYS, MODIFY } from "./fields";

export const SCHEMA_VERSION = 1;
/** No IaC anchor exists (iac-anchors A5): VMs of a Batch Compute cluster start within minutes. */
export const DEFAULT_TIMEOUTS = { create: 30 * 60_000, update: 30 * 60_000, delete: 30 * 60_000 };
/** Tokens tried per create: a generation is skipped when its token belongs to an earlier cluster that is gone. */
export const MAX_TOKEN_GENERATIONS = 8;
/** Attempts with one token after answers were lost (the token makes them safe). */
const CREATE_ATTEMPTS = 3;
/** A cluster the token points to must be missing this many times in a row to count as gone, not as not-yet-visible. */
const GONE_CONFIRMATIONS = 3;
const GONE_CONFIRMATION_DELAY_MS = 2_000;

type Groups = Record<string, BatchComputeGroup>;
const isRecord = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The values the HTTP layer redacts from every message and log line. */
function secretsOf(props: Props): string[] {
  const oss = isRecord(props.ossCredentials) ? props.ossCredentials : {};
  return [oss.accessKeySecret, oss.securityToken].filter((s): s is string => typeof s === "string");
}

function withoutSecrets(inputs: Props): Props {
  const copy = structuredClone(inputs);
  for (const field of spec.fields) if (field.secret) deletePath(copy, field.path);
  return copy;
}

function actualCounts(groups: Groups): Record<string, number> {
  return Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, typeof g.ActualVMCount === "number" ? g.ActualVMCount : 0]));
}

/** Outputs = the normalised inputs plus what the cloud computed. */
function outputsOf(inputs: Props, clusterId: string, detail: BatchComputeCluster | undefined): Props {
  const m = detail?.Metrics;
  return {
    ...inputs,
    clusterId,
    state: detail?.State,
    ownerId: detail?.OwnerId === undefined ? undefined : String(detail.OwnerId),
    creationTime: detail?.CreationTime,
    actualVmCounts: detail?.Groups ? actualCounts(detail.Groups) : undefined,
    metrics: m
      ? { runningCount: m.RunningCount ?? 0, startingCount: m.StartingCount ?? 0, stoppingCount: m.StoppingCount ?? 0, stoppedCount: m.StoppedCount ?? 0 }
      : undefined,
  };
}

/** Active, and every group runs exactly its desired number of VMs. */
function isReady(c: BatchComputeCluster | undefined): boolean {
  if (c?.State !== "Active") return false;
  return Object.values(c.Groups ?? {}).every((g) => (g.ActualVMCount ?? 0) === (g.DesiredVMCount ?? 0));
}

function describeCluster(c: BatchComputeCluster): string {
  const vms = Object.entries(c.Groups ?? {}).map(([name, g]) => `${name} ${g.ActualVMCount ?? 0}/${g.DesiredVMCount ?? 0}`);
  return `state=${c.State}${vms.length ? `, VMs ${vms.join(", ")}` : ""}`;
}

/** Whether stored outputs show a cluster that was ready (a failed create or update records one that was not). */
function wasReady(outputs: Props): boolean {
  if (outputs.state === undefined) return true;
  if (outputs.state !== "Active" || !isRecord(outputs.groups) || !isRecord(outputs.actualVmCounts)) return false;
  const actual = outputs.actualVmCounts;
  return Object.entries(outputs.groups).every(([name, g]) => isRecord(g) && actual[name] === g.desiredVmCount);
}

async function waitReady(step: Step, api: BatchComputeApi, id: string): Promise<BatchComputeCluster> {
  return waitUntil<BatchComputeCluster | undefined>(step, `wait for cluster ${id} to run the desired VMs`, {
    poll: () => api.getCluster(id),
    acceptors: [
      { state: "success", matches: (r) => isReady(r.value) },
      { state: "failure", matches: (r) => r.value?.State === "Deleting", describe: "the cluster is being deleted" },
      { state: "failure", matches: (r) => !r.error && r.value === undefined, describe: "the cluster disappeared" },
    ],
    describeState: (r) => (r.value ? describeCluster(r.value) : r.error ? String(r.error) : "not found"),
  }) as Promise<BatchComputeCluster>;
}

/** CreateCluster with one token, repeated after lost answers: the token makes a repeat return the same cluster. */
async function createWithToken(rt: Runtime, api: BatchComputeApi, body: Props, token: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.createCluster(body, token);
    } catch (e) {
      if (!(e instanceof UnknownOutcomeError) || attempt >= CREATE_ATTEMPTS) throw e;
      rt.log?.(`CreateCluster: the answer was lost (${e.message}); repeating the request with the same IdempotentToken`);
    }
  }
}

/** Whether the cluster a token answered exists and is not being deleted (a new cluster may take a moment to show). */
async function isLive(rt: Runtime, api: BatchComputeApi, id: string): Promise<boolean> {
  for (let i = 1; ; i++) {
    const c = await api.getCluster(id);
    if (c) return c.State !== "Deleting";
    if (i >= GONE_CONFIRMATIONS) return false;
    await rt.clock.sleep(Math.max(1, GONE_CONFIRMATION_DELAY_MS * rt.pollDelayScale * i));
  }
}

/**
 * Creates the cluster. Tokens come from {@link idempotencyToken} in generations 0, 1, 2, ...: a token whose
 * earlier cluster is gone or Deleting (the resource was destroyed and is created again with the same inputs), or
 * that the API refuses with IdempotentTokenMismatch (used before with other secrets), is skipped for the next
 * generation. The sequence is the same on every run, so a retry after a lost answer or a crash reaches the
 * cluster the first attempt made instead of making a second one: the token is this resource's ownership mark
 * (docs/ownership.md). The key is `idempotencyKey`, else the owner key (the resource class sets both to the same
 * value); without either (inputs not made by the resource class) it is random, which protects only the retries of
 * this one call.
 */
async function createCluster(rt: Runtime, api: BatchComputeApi, inputs: Props): Promise<string> {
  const body = createBody(spec, inputs);
  const publicBody = createBody(spec, withoutSecrets(inputs));
  const given = [inputs.idempotencyKey, inputs[OWNER_KEY_PATH]].find((k): k is string => typeof k === "string" && k !== "");
  const key = given ?? `random:${randomBytes(16).toString("hex")}`;
  for (let generation = 0; generation < MAX_TOKEN_GENERATIONS; generation++) {
    const token = idempotencyToken(key, publicBody, generation);
    let id: string;
    try {
      id = await createWithToken(rt, api, body, token);
    } catch (e) {
      if (!isTokenMismatch(e)) throw e;
      rt.log?.(`CreateCluster: token generation ${generation} was used before with other inputs; trying generation ${generation + 1}`);
      continue;
    }
    // CreateCluster was accepted: whatever fails from here on, the cluster is reported with its id.
    const live = await settleCreate(
      `Batch Compute cluster ${id}`,
      id,
      () => isLive(rt, api, id),
      async () => outputsOf(inputs, id, await api.getCluster(id).catch(() => undefined)),
    );
    if (live) return id;
    rt.log?.(`CreateCluster: token generation ${generation} belongs to cluster ${id}, which is gone or being deleted; trying generation ${generation + 1}`);
  }
  throw new Error(
    `CreateCluster: the idempotency tokens of ${MAX_TOKEN_GENERATIONS} generations were all used by earlier clusters of this resource; ` +
      "set a new `idempotencyKey` on the resource to start a fresh sequence",
  );
}

/**
 * GetCluster fills members the program did not set ("" instance type, "" spot strategy, 0 price limit). For
 * groups the program knows, only the members it set are compared; groups that appeared outside Pulumi (and
 * everything on import) keep the members that carry a value.
 */
function groupsForRead(cloud: Groups | undefined, stored: unknown): Groups | undefined {
  if (!cloud) return undefined;
  const before = isRecord(stored) ? stored : {};
  const out: Groups = {};
  for (const [name, g] of Object.entries(cloud)) {
    const known = isRecord(before[name]) ? before[name] : undefined;
    const kept: Record<string, unknown> = {};
    for (const [member, wire] of Object.entries(GROUP_KEYS)) {
      const v = g[wire];
      if (v === undefined || v === null) continue;
      const always = member === "desiredVmCount" || member === "resourceType";
      const carriesValue = v !== "" && !(member === "spotPriceLimit" && v === 0);
      if (always || (known ? known[member] !== undefined : carriesValue)) kept[wire] = v;
    }
    out[name] = kept as BatchComputeGroup;
  }
  return out;
}

/**
 * The ModifyCluster body: the desired VM count of only the groups whose count changed, as the plan shows them.
 * Re-sending the count of an unchanged group would undo a resize made outside Pulumi since the last refresh
 * without the plan saying so. Undefined when no group's count changed.
 */
export function modifyBody(olds: Props, news: Props, paths: string[]): Props | undefined {
  const body = updateBody(spec, MODIFY, news, paths);
  if (!isRecord(body.Groups)) return body;
  const before = isRecord(olds.groups) ? olds.groups : {};
  const changed = Object.entries(body.Groups).filter(([name, g]) => !isRecord(before[name]) || !isRecord(g) || before[name].desiredVmCount !== g.DesiredVMCount);
  return changed.length ? { ...body, Groups: Object.fromEntries(changed) } : undefined;
}

export const batchComputeClusterLifecycle: Lifecycle = {
  spec,
  schemaVersion: SCHEMA_VERSION,

  async create(rt, inputs) {
    const api = batchComputeApi(rt, secretsOf(inputs));
    const step = beginStep(rt, "create", `create Batch Compute cluster "${String(inputs.name)}"`, inputs, DEFAULT_TIMEOUTS);
    const id = await createCluster(rt, api, inputs);
    return settleCreate(
      `Batch Compute cluster ${id}`,
      id,
      async () => ({ id, outputs: outputsOf(inputs, id, await waitReady(step, api, id)) }),
      async () => outputsOf(inputs, id, await api.getCluster(id).catch(() => undefined)),
    );
  },

  async read(rt, id, outputs) {
    const api = batchComputeApi(rt, secretsOf(outputs));
    const detail = await api.getCluster(id);
    // A cluster being deleted is on its way out: Pulumi should create a new one rather than keep this one.
    if (!detail || detail.State === "Deleting") return undefined;
    const importing = outputs.name === undefined;
    const wire = { ...detail, Groups: groupsForRead(detail.Groups, outputs.groups) };
    const refreshed = applyRead(spec, wire as Record<string, unknown>, outputs, { adoptAll: importing });
    return outputsOf(refreshed, id, detail);
  },

  async update(rt, id, olds, news, diff: DiffOutcome) {
    const api = batchComputeApi(rt, secretsOf(news));
    const step = beginStep(rt, "update", `update Batch Compute cluster ${id}`, news, DEFAULT_TIMEOUTS);
    let accepted = false;
    try {
      const paths = diff.calls[MODIFY];
      const body = paths?.length ? modifyBody(olds, news, paths) : undefined;
      if (body) {
        await api.modifyCluster(id, body);
        accepted = true;
      }
      // Also resumes a cluster recorded after a failed create: it must be ready before the update is done.
      const detail = await waitReady(step, api, id);
      return outputsOf(news, id, detail);
    } catch (e) {
      if (!accepted && wasReady(olds)) throw e;
      const detail = await api.getCluster(id).catch(() => undefined);
      throw initError(`Batch Compute cluster ${id} is not ready after the update`, id, outputsOf(accepted ? news : olds, id, detail), reasonOf(e));
    }
  },

  async delete(rt, id, outputs) {
    const api = batchComputeApi(rt, secretsOf(outputs));
    const step = beginStep(rt, "delete", `delete Batch Compute cluster ${id}`, outputs, DEFAULT_TIMEOUTS);
    await removeAndWaitGone<BatchComputeCluster>(step, {
      remove: async () => {
        const outcome = await api.deleteCluster(id);
        if (outcome === "gone") return false;
        if (outcome === "conflict") {
          // 409 StateConflict: fine when a delete is already under way (an earlier, interrupted run), otherwise the
          // cluster cannot be deleted now.
          const c = await api.getCluster(id);
          if (!c) return false;
          if (c.State !== "Deleting") throw new Error(`DeleteCluster answered 409 StateConflict for cluster ${id} in state ${c.State}`);
        }
        return true;
      },
      poll: () => api.getCluster(id),
      describe: describeCluster,
    });
  },
};

export const batchComputeClusterHandlers = makeHandlers(batchComputeClusterLifecycle);
/** For tests: the same diff the handler computes. */
export const batchComputeDiff = (olds: Props, news: Props) => diffInputs(spec, olds, news);
