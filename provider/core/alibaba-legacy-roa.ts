/**
 * Alibaba Cloud ROA calls signed with the legacy V1 scheme (`Authorization: acs AK:Signature`, HMAC-SHA1), on
 * the shared HTTP layer. Batch Compute's gateway accepts only this scheme (shared/reference/cloud-apis.md 1.4).
 * Credentials, region and endpoint are resolved for every client, i.e. at call time, exactly as for the V3
 * client in alibaba.ts; the request is signed inside the retry loop, so every attempt has a fresh Date and nonce.
 *
 * Headers sent: Date, Accept (application/json), Content-Type (application/json, with a body), x-acs-version,
 * x-acs-region-id, x-acs-signature-method (HMAC-SHA1), x-acs-signature-nonce, x-acs-signature-version (1.0),
 * the STS headers when a security token is used, and Authorization. No Content-MD5: the documents disagree on
 * its format and the official SDKs sign an empty line. Error bodies are `{"Code","Message","RequestId","HostId"}`.
 */
import type { AlibabaClient, AlibabaClientOptions, RoaRequest } from "./alibaba";
import { createHttpClient, parseCommonErrorBody } from "./http/client";
import type { Runtime } from "./runtime";
import {
  assertTransportAllowed,
  resolveAlibabaCredentials,
  resolveAlibabaEndpoint,
  resolveAlibabaRegion,
  type AlibabaProduct,
} from "./settings";
import { signRoaV1 } from "./signing/alibaba";

export type LegacyRoaClient = Pick<AlibabaClient, "region" | "endpoint" | "roa">;

export function legacyRoaClient(rt: Runtime, product: AlibabaProduct, opts: AlibabaClientOptions): LegacyRoaClient {
  const credentials = resolveAlibabaCredentials(rt.resolve);
  const region = resolveAlibabaRegion(rt.resolve);
  const endpoint = resolveAlibabaEndpoint(rt.resolve, product, region);
  assertTransportAllowed(rt.resolve, endpoint);
  const secrets = [credentials.accessKeySecret, credentials.securityToken ?? "", ...(opts.secrets ?? [])].filter(
    (s) => s.length >= 4,
  );
  const http = createHttpClient({
    baseUrl: endpoint.baseUrl,
    // V1 signs the path as sent and the decoded query values; the body is not part of the signature.
    signer: (req, attempt) => signRoaV1({ method: req.method, pathname: req.path, query: req.query, headers: req.headers }, credentials, attempt),
    parseError: parseCommonErrorBody,
    requestIdHeader: "x-acs-request-id",
    notFoundCodes: opts.notFoundCodes,
    clock: rt.clock,
    secrets: () => secrets,
    log: rt.log,
    limiter: opts.limiter,
  });
  return {
    region,
    endpoint: endpoint.baseUrl,
    roa<T>(req: RoaRequest) {
      const hasBody = req.body !== undefined;
      return http.request<T>({
        operation: req.action,
        method: req.method,
        path: req.path,
        query: req.query,
        headers: {
          accept: "application/json",
          "x-acs-version": opts.version,
          "x-acs-region-id": region,
          ...(hasBody ? { "content-type": "application/json" } : {}),
        },
        body: hasBody ? JSON.stringify(req.body) : undefined,
        mutating: req.mutating,
      });
    },
  };
}
