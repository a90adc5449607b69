/**
 * Alibaba Cloud API calls (ROA and RPC styles) on the shared HTTP layer with V3 signing. Credentials,
 * region and endpoint are resolved for every client, i.e. at call time.
 */
import { createHttpClient, parseCommonErrorBody, type HttpClient, type HttpResponse, type RateLimiter } from "./http/client";
import type { Runtime } from "./runtime";
import {
  assertTransportAllowed,
  resolveAlibabaCredentials,
  resolveAlibabaEndpoint,
  resolveAlibabaRegion,
  type AlibabaProduct,
} from "./settings";
import { signAcs3 } from "./signing/alibaba";

export interface AlibabaClient {
  region: string;
  endpoint: string;
  roa<T>(req: RoaRequest): Promise<HttpResponse<T>>;
  rpc<T>(req: RpcRequest): Promise<HttpResponse<T>>;
}

export interface RoaRequest {
  action: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Already encoded (build it with encodePathSegment). */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  mutating: boolean;
}

export interface RpcRequest {
  action: string;
  /** Object values are sent as JSON strings, as the SDKs' "shrink" requests do. */
  params: Record<string, unknown>;
  mutating: boolean;
  /** Send parameters as a form body instead of the query string. */
  form?: boolean;
}

export interface AlibabaClientOptions {
  version: string;
  notFoundCodes?: string[];
  /** Values (passwords) to redact from every error and log line of this client. */
  secrets?: string[];
  limiter?: RateLimiter;
}

export function alibabaClient(rt: Runtime, product: AlibabaProduct, opts: AlibabaClientOptions): AlibabaClient {
  const credentials = resolveAlibabaCredentials(rt.resolve);
  const region = resolveAlibabaRegion(rt.resolve);
  const endpoint = resolveAlibabaEndpoint(rt.resolve, product, region);
  assertTransportAllowed(rt.resolve, endpoint);
  const secrets = [credentials.accessKeySecret, credentials.securityToken ?? "", ...(opts.secrets ?? [])].filter(
    (s) => s.length >= 4,
  );
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.baseUrl,
    signer: (req, attempt) =>
      signAcs3(
        { method: req.method, pathname: req.path, query: req.query, headers: { ...req.headers, host: req.host }, body: req.body },
        credentials,
        attempt,
      ),
    // ROA bodies use code/message/requestId, RPC bodies Code/Message/RequestId: parsed case-insensitively.
    parseError: parseCommonErrorBody,
    requestIdHeader: "x-acs-request-id",
    notFoundCodes: opts.notFoundCodes,
    clock: rt.clock,
    secrets: () => secrets,
    log: rt.log,
    limiter: opts.limiter,
  });
  const common = (action: string) => ({
    "x-acs-action": action,
    "x-acs-version": opts.version,
    "x-acs-region-id": region,
    accept: "application/json",
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
        headers: { ...common(req.action), ...(hasBody ? { "content-type": "application/json; charset=utf-8" } : {}) },
        body: hasBody ? JSON.stringify(req.body) : undefined,
        mutating: req.mutating,
      });
    },
    rpc<T>(req: RpcRequest) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.params)) {
        if (v === undefined || v === null) continue;
        params[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
      }
      const form = req.form === true;
      return http.request<T>({
        operation: req.action,
        method: "POST",
        path: "/",
        query: form ? {} : params,
        headers: {
          ...common(req.action),
          ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        body: form ? new URLSearchParams(params).toString().replace(/\+/g, "%20") : undefined,
        mutating: req.mutating,
      });
    },
  };
}
