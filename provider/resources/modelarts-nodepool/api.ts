/**
 * The ModelArts node pool calls this resource makes, as typed functions over the shared Huawei client. Paths and
 * shapes follow the API reference and the Go SDK models (see shared/reference/cloud-apis.md section 4.4).
 *
 * Not found: HTTP 404 (any code), `ModelArts.50015001` ("Pool {name} not found": the parent resource pool is gone,
 * and the node pool with it) and, for the calls on one node pool only, 400 `ModelArts.50004000` whose message says
 * "invalid nodepool name" (the ShowNodePool example answers a missing node pool that way). Any other
 * `ModelArts.50004000` is a real validation error and is never taken for "gone".
 */
import { CloudApiError } from "../../core/errors";
import { huaweiClient, MERGE_PATCH_CONTENT_TYPE } from "../../core/huawei";
import type { Runtime } from "../../core/runtime";
import { encodePathSegment } from "../../core/signing/huawei";

/** Codes that mean the node pool (or its resource pool) is gone. */
export const MODELARTS_NOT_FOUND_CODES = ["ModelArts.50015001"];
export const BAD_REQUEST_CODE = "ModelArts.50004000";
const INVALID_NODEPOOL_NAME = /invalid\s*node\s*pool\s*name/i;

/** A `PoolResourceFlavorCount`: one entry of `status.resources`. */
export interface FlavorCount {
  flavor?: string;
  count?: number;
  maxCount?: number;
  nodePool?: string;
  azs?: Array<{ az?: string; count?: number }>;
}

/** ShowNodePool's answer: `{apiVersion, kind, metadata, spec, status}`. */
export interface NodePoolDetail {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: { resources?: Record<string, unknown> & { count?: number } };
  status?: { resources?: { creating?: FlavorCount; available?: FlavorCount; abnormal?: FlavorCount; deleting?: FlavorCount } };
  [k: string]: unknown;
}

export function isNotFound(e: unknown): boolean {
  if (!(e instanceof CloudApiError)) return false;
  if (e.kind === "notFound" || e.status === 404 || MODELARTS_NOT_FOUND_CODES.includes(e.code ?? "")) return true;
  return e.code === BAD_REQUEST_CODE && INVALID_NODEPOOL_NAME.test(e.cloudMessage);
}

export function modelArtsApi(rt: Runtime) {
  const client = huaweiClient(rt, { notFoundCodes: MODELARTS_NOT_FOUND_CODES });
  const nodePools = (poolName: string) => `/v2/${encodePathSegment(client.projectId)}/pools/${encodePathSegment(poolName)}/nodepools`;
  const nodePool = (poolName: string, name: string) => `${nodePools(poolName)}/${encodePathSegment(name)}`;
  const orGone = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  return {
    region: client.region,
    projectId: client.projectId,

    /** POST; the answer echoes the node pool. */
    async createNodePool(poolName: string, body: Record<string, unknown>): Promise<NodePoolDetail> {
      const r = await client.request<NodePoolDetail>({ operation: "CreateNodePool", method: "POST", path: nodePools(poolName), body, mutating: true });
      return r.data ?? {};
    },

    /** Undefined when the node pool or its resource pool no longer exists. */
    showNodePool(poolName: string, name: string): Promise<NodePoolDetail | undefined> {
      return orGone(async () => {
        const r = await client.request<NodePoolDetail>({ operation: "ShowNodePool", method: "GET", path: nodePool(poolName, name), mutating: false });
        return r.data ?? {};
      });
    },

    async listNodePools(poolName: string): Promise<NodePoolDetail[]> {
      const r = await client.request<{ items?: NodePoolDetail[] }>({ operation: "ListNodePools", method: "GET", path: nodePools(poolName), mutating: false });
      return r.data?.items ?? [];
    },

    /** A JSON merge patch (RFC 7396): members absent from `body` stay, `null` removes one. */
    async patchNodePool(poolName: string, name: string, body: Record<string, unknown>): Promise<NodePoolDetail> {
      const r = await client.request<NodePoolDetail>({
        operation: "PatchNodePool",
        method: "PATCH",
        path: nodePool(poolName, name),
        body,
        contentType: MERGE_PATCH_CONTENT_TYPE,
        mutating: true,
      });
      return r.data ?? {};
    },

    /** Undefined when the node pool is already gone. */
    deleteNodePool(poolName: string, name: string): Promise<NodePoolDetail | undefined> {
      return orGone(async () => {
        const r = await client.request<NodePoolDetail>({ operation: "DeleteNodePool", method: "DELETE", path: nodePool(poolName, name), mutating: true });
        return r.data ?? {};
      });
    },
  };
}

export type ModelArtsApi = ReturnType<typeof modelArtsApi>;
