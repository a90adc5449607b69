/**
 * The Batch Compute (2015-11-11) cluster calls this resource makes, as typed functions over the legacy ROA V1
 * client (shared/reference/cloud-apis.md sections 1.4 and 4.5).
 */
import { createHash } from "crypto";
import { legacyRoaClient } from "../../core/alibaba-legacy-roa";
import { CloudApiError, UnknownOutcomeError } from "../../core/errors";
import { canonicalJson } from "../../core/fields/normalise";
import type { Runtime } from "../../core/runtime";
import { encodePathSegment } from "../../core/signing/alibaba";
import { BATCHCOMPUTE_API_VERSION } from "./fields";

export const BATCHCOMPUTE_NOT_FOUND_CODES = ["InvalidResource.NotFound"];
/** 400: the token was used before with another request body. */
export const IDEMPOTENT_TOKEN_MISMATCH = "IdempotentTokenMismatch";
/** 409: DeleteCluster on a cluster that is already Deleting. */
export const STATE_CONFLICT = "StateConflict";

export interface BatchComputeGroup {
  DesiredVMCount?: number;
  ActualVMCount?: number;
  InstanceType?: string;
  ResourceType?: string;
  SpotStrategy?: string;
  SpotPriceLimit?: number;
  [k: string]: unknown;
}

/** GetCluster's answer (doc-detail/44741). */
export interface BatchComputeCluster {
  Id?: string;
  Name?: string;
  OwnerId?: number | string;
  Description?: string;
  CreationTime?: string;
  State?: "Active" | "Deleting" | string;
  ImageId?: string;
  UserData?: Record<string, string>;
  Groups?: Record<string, BatchComputeGroup>;
  Metrics?: Record<string, number>;
  [k: string]: unknown;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof CloudApiError && (e.kind === "notFound" || BATCHCOMPUTE_NOT_FOUND_CODES.includes(e.code ?? ""));
}

export function isTokenMismatch(e: unknown): boolean {
  return e instanceof CloudApiError && e.code === IDEMPOTENT_TOKEN_MISMATCH;
}

/**
 * The `IdempotentToken` of one CreateCluster request: `pnp_` and 48 hex digits of a SHA-256 over the resource's
 * idempotency key, the request body without secrets (canonical JSON, so key order does not matter) and a
 * generation number. 52 characters of `[A-Za-z0-9_]`, within the documented 64.
 *
 * The same resource with the same inputs always gets the same token, so a retried create returns the cluster
 * the first attempt made. Secrets are left out so that no digest of them leaves the machine; a change of only
 * the secrets therefore reuses the token, the API answers IdempotentTokenMismatch, and the handler moves on to
 * the next generation.
 */
export function idempotencyToken(key: string, publicBody: Record<string, unknown>, generation: number): string {
  const digest = createHash("sha256").update(canonicalJson([key, publicBody, generation])).digest("hex");
  return `pnp_${digest.slice(0, 48)}`;
}

const cluster = (id: string) => `/clusters/${encodePathSegment(id)}`;

export function batchComputeApi(rt: Runtime, secrets: string[] = []) {
  const client = legacyRoaClient(rt, "batchcompute", { version: BATCHCOMPUTE_API_VERSION, notFoundCodes: BATCHCOMPUTE_NOT_FOUND_CODES, secrets });
  return {
    region: client.region,

    /** 201 `{"Id"}`; the same token with the same body answers the same Id. */
    async createCluster(body: Record<string, unknown>, token: string): Promise<string> {
      const r = await client.roa<{ Id?: string }>({ action: "CreateCluster", method: "POST", path: "/clusters", query: { IdempotentToken: token }, body, mutating: true });
      if (typeof r.data?.Id !== "string" || r.data.Id === "") {
        // Accepted without saying what it made: a retry with the same token answers the Id.
        throw new UnknownOutcomeError({ operation: "CreateCluster", status: r.status, requestId: r.requestId, message: "the response has no cluster Id" });
      }
      return r.data.Id;
    },

    /** Undefined when the cluster does not exist (any more). */
    async getCluster(id: string): Promise<BatchComputeCluster | undefined> {
      try {
        const r = await client.roa<BatchComputeCluster>({ action: "GetCluster", method: "GET", path: cluster(id), mutating: false });
        return r.data;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },

    /** 200, asynchronous: the VMs follow the new desired counts. */
    async modifyCluster(id: string, body: Record<string, unknown>): Promise<void> {
      await client.roa({ action: "ModifyCluster", method: "PUT", path: cluster(id), body, mutating: true });
    },

    /**
     * 204, asynchronous: the cluster turns Deleting, then disappears. "gone" when it no longer exists;
     * "conflict" for 409 StateConflict (the caller checks whether it is already Deleting).
     */
    async deleteCluster(id: string): Promise<"accepted" | "conflict" | "gone"> {
      try {
        await client.roa({ action: "DeleteCluster", method: "DELETE", path: cluster(id), mutating: true });
        return "accepted";
      } catch (e) {
        if (isNotFound(e)) return "gone";
        if (e instanceof CloudApiError && e.code === STATE_CONFLICT) return "conflict";
        throw e;
      }
    },
  };
}

export type BatchComputeApi = ReturnType<typeof batchComputeApi>;
