/**
 * Huawei Cloud API calls (REST, APIG AK/SK `SDK-HMAC-SHA256`) on the shared HTTP layer. Credentials, region,
 * project id and endpoint are resolved for every client, i.e. at call time (see settings.ts for the sources and
 * their order); a missing project id is a ConfigurationError that says how to set it, raised before any request.
 *
 * Errors: service errors are `{"error_code": "ModelArts.xxxx", "error_msg": "..."}` with an `X-Request-Id` header;
 * gateway (APIG) errors add `request_id` to the body. Gateway throttling (`APIG.0308` / `APIGW.0308`, HTTP 429) is
 * retried with backoff; `APIGW.0301`/`APIGW.0303` (signature, date) are auth errors and are not.
 */
import { createHttpClient, parseCommonErrorBody, type CloudErrorBody, type HttpClient, type HttpResponse, type RateLimiter, type RetryPolicy } from "./http/client";
import type { Runtime } from "./runtime";
import { assertTransportAllowed, resolveHuaweiEndpoint, resolveHuaweiSettings } from "./settings";
import { signHuawei } from "./signing/huawei";

/** Gateway throttling codes (also in the shared table; passed explicitly so that this client never depends on it). */
export const HUAWEI_THROTTLING_CODES = ["APIG.0308", "APIGW.0308"];
/** Response header carrying the request id. */
export const HUAWEI_REQUEST_ID_HEADER = "x-request-id";
export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";
export const MERGE_PATCH_CONTENT_TYPE = "application/merge-patch+json";

export interface HuaweiRequest {
  /** Operation name for errors and logs, e.g. `ShowNodePool`. */
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Already encoded (build segments with encodePathSegment). */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Content type of the body (default `application/json;charset=UTF-8`). */
  contentType?: string;
  mutating: boolean;
}

export interface HuaweiClient {
  region: string;
  projectId: string;
  endpoint: string;
  request<T>(req: HuaweiRequest): Promise<HttpResponse<T>>;
}

export interface HuaweiClientOptions {
  /** Codes mapped to kind `notFound` (HTTP 404 always is). */
  notFoundCodes?: string[];
  /** Values to redact from every error and log line of this client. */
  secrets?: string[];
  limiter?: RateLimiter;
  retry?: Partial<RetryPolicy>;
}

/**
 * Huawei error bodies: `error_code`/`error_msg` (service and gateway), `request_id` (gateway); other shapes
 * (`{"error": {"code", "message"}}` from IAM) through the shared tolerant parser. Never throws.
 */
export function parseHuaweiErrorBody(status: number, headers: Record<string, string>, bodyText: string): CloudErrorBody {
  const common = parseCommonErrorBody(status, headers, bodyText);
  let huawei: CloudErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
      huawei = { code: str(o.error_code), message: str(o.error_msg), requestId: str(o.request_id) };
    }
  } catch {
    // not JSON: the common parser's answer stands
  }
  return {
    code: huawei.code ?? common.code,
    message: huawei.message ?? common.message,
    requestId: headers[HUAWEI_REQUEST_ID_HEADER] ?? huawei.requestId ?? common.requestId,
  };
}

export function huaweiClient(rt: Runtime, opts: HuaweiClientOptions = {}): HuaweiClient {
  const settings = resolveHuaweiSettings(rt.resolve);
  const endpoint = resolveHuaweiEndpoint(rt.resolve, settings.region);
  assertTransportAllowed(rt.resolve, endpoint);
  const secrets = [settings.secretKey, settings.securityToken ?? "", ...(opts.secrets ?? [])].filter((s) => s.length >= 4);
  const credentials = { accessKey: settings.accessKey, secretKey: settings.secretKey, securityToken: settings.securityToken };
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.baseUrl,
    signer: (req, attempt) =>
      signHuawei({ method: req.method, path: req.path, query: req.query, headers: { ...req.headers, host: req.host }, body: req.body }, credentials, attempt),
    parseError: parseHuaweiErrorBody,
    requestIdHeader: HUAWEI_REQUEST_ID_HEADER,
    extraThrottlingCodes: HUAWEI_THROTTLING_CODES,
    notFoundCodes: opts.notFoundCodes,
    clock: rt.clock,
    secrets: () => secrets,
    log: rt.log,
    limiter: opts.limiter,
    retry: opts.retry,
  });
  return {
    region: settings.region,
    projectId: settings.projectId,
    endpoint: endpoint.baseUrl,
    request<T>(req: HuaweiRequest) {
      const hasBody = req.body !== undefined;
      return http.request<T>({
        operation: req.operation,
        method: req.method,
        path: req.path,
        query: req.query,
        headers: {
          accept: "application/json",
          // What the SDK adds for project-scoped services; the project id is in the path too.
          "X-Project-Id": settings.projectId,
          ...(hasBody ? { "content-type": req.contentType ?? JSON_CONTENT_TYPE } : {}),
        },
        body: hasBody ? JSON.stringify(req.body) : undefined,
        mutating: req.mutating,
      });
    },
  };
}
