/**
 * The ACK (cs 2015-12-15) calls this resource makes, as typed functions over the shared Alibaba client.
 * Paths and bodies follow the SDK's client.ts (see shared/reference/cloud-apis.md section 4.1).
 */
import { alibabaClient } from "../../core/alibaba";
import { CloudApiError } from "../../core/errors";
import type { Runtime } from "../../core/runtime";
import { encodePathSegment } from "../../core/signing/alibaba";
import { ACK_API_VERSION } from "./fields";

/** Codes that mean the pool (or its cluster) is gone; Terraform maps both to NotFound. */
export const ACK_NOT_FOUND_CODES = ["ErrorNodePoolNotFound", "ErrorClusterNotFound"];

export interface AckPoolDetail {
  nodepool_info?: { nodepool_id?: string; name?: string; created?: string; updated?: string; [k: string]: unknown };
  scaling_group?: { scaling_group_id?: string; [k: string]: unknown };
  status?: Record<string, unknown> & { state?: string };
  [k: string]: unknown;
}

export interface AckTask {
  task_id?: string;
  state?: string;
  error?: { code?: string; message?: string } | string;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof CloudApiError && (e.kind === "notFound" || ACK_NOT_FOUND_CODES.includes(e.code ?? ""));
}

/** The code of ACK's refusal of a pool name (terraform-provider-alicloud#6502). */
export const ACK_NAME_CODE = "InvalidParameter.Name";

/**
 * ACK refuses a second pool with the same name in a cluster: HTTP 400 `InvalidParameter.Name`, "nodepool name gpu is
 * already exist in cluster c-1." (terraform-provider-alicloud#6502). The message is matched too, so that the same
 * code for a name that is malformed rather than taken is never taken for a taken name.
 */
export function isNameTaken(e: unknown): boolean {
  return e instanceof CloudApiError && e.code === ACK_NAME_CODE && /\balready exist/i.test(e.cloudMessage);
}

const pools = (clusterId: string) => `/clusters/${encodePathSegment(clusterId)}/nodepools`;
const pool = (clusterId: string, id: string) => `${pools(clusterId)}/${encodePathSegment(id)}`;

export function ackApi(rt: Runtime, secrets: string[] = []) {
  const client = alibabaClient(rt, "cs", { version: ACK_API_VERSION, notFoundCodes: ACK_NOT_FOUND_CODES, secrets });
  return {
    region: client.region,

    async createPool(clusterId: string, body: Record<string, unknown>) {
      const r = await client.roa<{ nodepool_id?: string; task_id?: string }>({
        action: "CreateClusterNodePool", method: "POST", path: pools(clusterId), body, mutating: true,
      });
      if (!r.data?.nodepool_id) {
        throw new CloudApiError({ operation: "CreateClusterNodePool", status: r.status, message: "the response has no nodepool_id", requestId: r.requestId, kind: "transient" });
      }
      return { nodepoolId: r.data.nodepool_id, taskId: r.data.task_id };
    },

    /** Undefined when the pool or its cluster no longer exists. */
    async describePool(clusterId: string, id: string): Promise<AckPoolDetail | undefined> {
      try {
        const r = await client.roa<AckPoolDetail>({ action: "DescribeClusterNodePoolDetail", method: "GET", path: pool(clusterId, id), mutating: false });
        return r.data;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    async findPoolsByName(clusterId: string, name: string): Promise<AckPoolDetail[]> {
      const r = await client.roa<{ nodepools?: AckPoolDetail[] }>({
        action: "DescribeClusterNodePools", method: "GET", path: pools(clusterId), query: { NodepoolName: name }, mutating: false,
      });
      // The filter is documented as a name match; compare exactly so that a prefix match never adopts a stranger.
      return (r.data?.nodepools ?? []).filter((p) => p.nodepool_info?.name === name);
    },

    async modifyPool(clusterId: string, id: string, body: Record<string, unknown>) {
      const r = await client.roa<{ task_id?: string }>({ action: "ModifyClusterNodePool", method: "PUT", path: pool(clusterId, id), body, mutating: true });
      return { taskId: r.data?.task_id };
    },

    async modifyNodeConfig(clusterId: string, id: string, body: Record<string, unknown>) {
      const r = await client.roa<{ task_id?: string }>({
        action: "ModifyNodePoolNodeConfig", method: "PUT", path: `${pool(clusterId, id)}/node_config`, body, mutating: true,
      });
      return { taskId: r.data?.task_id };
    },

    /** Undefined when the pool is already gone. */
    async deletePool(clusterId: string, id: string, force: boolean) {
      try {
        const r = await client.roa<{ task_id?: string }>({
          action: "DeleteClusterNodepool", method: "DELETE", path: pool(clusterId, id), query: { force: String(force) }, mutating: true,
        });
        return { taskId: r.data?.task_id };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    async describeTask(taskId: string): Promise<AckTask> {
      const r = await client.roa<AckTask>({ action: "DescribeTaskInfo", method: "GET", path: `/tasks/${encodePathSegment(taskId)}`, mutating: false });
      return r.data ?? {};
    },
  };
}

export type AckApi = ReturnType<typeof ackApi>;
