/**
 * The ENS (2017-11-10) calls this resource makes, as typed functions over the shared Alibaba client. RPC over
 * `POST https://ens.aliyuncs.com/` with signature V3; object parameters are JSON strings, as the ENS SDK sends them (see
 * shared/reference/cloud-apis.md section 4.2). Parameters go in the query as the SDK sends them, except for the two
 * calls whose `ScalingGroup` may carry the node password (CreateClusterNodePool, ModifyClusterNodePool): those go in
 * a form body (which the RPC gateway reads the same way), so that the password never appears in a URL, where
 * proxies and access logs record it.
 *
 * Rate limit: CreateClusterNodePool, ScaleClusterNodePool and DeleteClusterNodePool are documented at 10 calls per
 * second per user. Those calls go through a second client whose limiter is shared by every resource of the program
 * (one per process and access key, see `sharedLimiter`), so that many pools created at once queue on the client
 * instead of being throttled by the cloud. Reads (100/s documented) and ModifyClusterNodePool are not limited here.
 */
import { alibabaClient } from "../../core/alibaba";
import { CloudApiError, UnknownOutcomeError } from "../../core/errors";
import { sharedLimiter } from "../../core/http/client";
import type { Runtime } from "../../core/runtime";
import { resolveAlibabaCredentials } from "../../core/settings";
import { ENS_API_VERSION, ENS_MUTATION_RATE_PER_SECOND } from "./fields";

/** Page size of DescribeClusterNodePools (PageNumber and PageSize are required; there is no node-pool filter). */
export const LIST_PAGE_SIZE = 50;
/** Guards against a server that keeps answering full pages. */
const MAX_PAGES = 1000;

export interface EnsPoolStatus {
  State?: string;
  TotalNodes?: number;
  DesiredNodes?: number;
  ServingNodes?: number;
  InitialNodes?: number;
  RemovingNodes?: number;
  FailedNodes?: number;
}

/** A pool as DescribeClusterNodePools (and the create answer) shows it. */
export interface EnsPool {
  ClusterId?: string;
  NodepoolInfo?: { Name?: string; NodepoolId?: string; EnsRegionId?: string };
  ScalingGroup?: Record<string, unknown>;
  KubernetesConfig?: Record<string, unknown>;
  Status?: EnsPoolStatus;
  [k: string]: unknown;
}

interface ListAnswer {
  NodePools?: EnsPool[];
  Page?: { PageNumber?: number; PageSize?: number; TotalCount?: number };
}

/**
 * No node-pool not-found code is documented for ENS: a pool missing from the list is gone, and so is anything the
 * cloud answers with HTTP 404 or a code containing "NotFound" (e.g. a cluster that no longer exists).
 */
export function isNotFound(e: unknown): boolean {
  return e instanceof CloudApiError && !(e instanceof UnknownOutcomeError) && (e.kind === "notFound" || e.status === 404 || /NotFound/i.test(e.code ?? ""));
}

/** The key of the program-wide limiter for one account's ENS mutating calls. */
export function limiterKey(accessKeyId: string): string {
  return `ens:${accessKeyId}`;
}

export function ensApi(rt: Runtime, secrets: string[] = []) {
  const { accessKeyId } = resolveAlibabaCredentials(rt.resolve);
  const limiter = sharedLimiter(limiterKey(accessKeyId), ENS_MUTATION_RATE_PER_SECOND, rt.clock);
  const client = alibabaClient(rt, "ens", { version: ENS_API_VERSION, secrets });
  const limited = alibabaClient(rt, "ens", { version: ENS_API_VERSION, secrets, limiter });

  async function listPage(clusterId: string, page: number): Promise<ListAnswer> {
    const r = await client.rpc<ListAnswer>({
      action: "DescribeClusterNodePools",
      params: { ClusterId: clusterId, PageNumber: page, PageSize: LIST_PAGE_SIZE },
      mutating: false,
    });
    return r.data ?? {};
  }

  /** Every pool of the cluster, page by page. */
  async function listPools(clusterId: string): Promise<EnsPool[]> {
    const pools: EnsPool[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await listPage(clusterId, page);
      const items = answer.NodePools ?? [];
      pools.push(...items);
      const total = answer.Page?.TotalCount;
      if (items.length === 0 || (typeof total === "number" ? pools.length >= total : items.length < LIST_PAGE_SIZE)) break;
    }
    return pools;
  }

  return {
    region: client.region,
    listPools,

    /** Returns the new pool's id. An answer without one is an unknown outcome (reconciled by name). */
    async createPool(params: Record<string, unknown>): Promise<{ nodepoolId: string; pool?: EnsPool }> {
      const r = await limited.rpc<{ Nodepool?: EnsPool }>({ action: "CreateClusterNodePool", params, mutating: true, form: true });
      const id = r.data?.Nodepool?.NodepoolInfo?.NodepoolId;
      if (!id) {
        throw new UnknownOutcomeError({
          operation: "CreateClusterNodePool",
          status: r.status,
          requestId: r.requestId,
          message: "the answer carries no Nodepool.NodepoolInfo.NodepoolId, so it is not known which pool was created",
        });
      }
      return { nodepoolId: id, pool: r.data?.Nodepool };
    },

    /** Undefined when the pool (or its cluster) no longer exists. */
    async findPool(clusterId: string, nodepoolId: string): Promise<EnsPool | undefined> {
      try {
        return (await listPools(clusterId)).find((p) => p.NodepoolInfo?.NodepoolId === nodepoolId);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    /** Pools with exactly this name (a missing cluster is an error here: the create must not go on). */
    async findPoolsByName(clusterId: string, name: string): Promise<EnsPool[]> {
      return (await listPools(clusterId)).filter((p) => p.NodepoolInfo?.Name === name);
    },

    async modifyPool(clusterId: string, nodepoolId: string, sections: Record<string, unknown>): Promise<void> {
      await client.rpc({
        action: "ModifyClusterNodePool",
        params: { ClusterId: clusterId, NodepoolInfo: { NodepoolId: nodepoolId }, ...sections },
        mutating: true,
        form: true,
      });
    },

    /** `count` is the new total number of nodes; the API requires it to exceed the current number. */
    async scalePool(clusterId: string, nodepoolId: string, count: number): Promise<void> {
      await limited.rpc({
        action: "ScaleClusterNodePool",
        params: { ClusterId: clusterId, NodepoolId: nodepoolId, Body: { Count: count } },
        mutating: true,
      });
    },

    /** False when the pool is already gone. */
    async deletePool(clusterId: string, nodepoolId: string): Promise<boolean> {
      try {
        await limited.rpc({ action: "DeleteClusterNodePool", params: { ClusterId: clusterId, NodepoolId: nodepoolId }, mutating: true });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
  };
}

export type EnsApi = ReturnType<typeof ensApi>;
