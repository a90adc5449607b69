/**
 * Huawei Cloud APIG AK/SK signing (`SDK-HMAC-SHA256`), used by ModelArts. Both the client side (sign) and the
 * server side (verify, for the local cloud emulator) live here so that the two can never drift apart.
 *
 * The rules follow the official "API Signing Guide" (api-sign-algorithm-002/003/004), the Go SDK's
 * `core/auth/signer/signer.go` and the Node SDK's `auth/AKSKSigner.js`; the unit tests reproduce the published
 * vectors and use `@huaweicloud/huaweicloud-sdk-core`'s signer as an oracle:
 *
 *     CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
 *     StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 *     Authorization    = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex(hmac_sha256(SK, StringToSign))>"
 *
 * - CanonicalURI: every `/`-separated segment of the path RFC 3986-encoded, always ending in `/`. The path sent
 *   is already encoded (see {@link encodePathSegment}), so each segment is decoded and re-encoded: a path
 *   encoded by another encoder (`%7E`, lowercase hex) still canonicalises the way the server computes it.
 * - CanonicalQueryString: keys sorted; `enc(k)=enc(v)` joined by `&`; a repeated key (array value) appears once
 *   per value, values sorted; an empty value is `k=`.
 * - Signed headers: `host`, `content-type` and every `x-*` header, except names containing `_` (gateways drop
 *   them, which is also why the Go SDK excludes them). The Node SDK signs every header it sends; the official
 *   example signs `content-type;host;x-sdk-date`; the server accepts any set it receives unchanged.
 * - Temporary credentials add `X-Security-Token`, which is signed.
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";
import { percentEncode } from "../encoding";
import type { IncomingSignedRequest, SecretLookup, VerifyResult } from "./alibaba";

export type { IncomingSignedRequest, SecretLookup, VerifyResult };

export const SDK_HMAC_SHA256 = "SDK-HMAC-SHA256";
/** sha256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** APIG rejects requests whose X-Sdk-Date is further than this from server time (APIGW.0303). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The payload-hash literal the SDKs send (as `X-Sdk-Content-Sha256`) for bodies they do not hash. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

export interface HuaweiCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary (STS) credentials: sent and signed as `X-Security-Token`. */
  securityToken?: string;
}

export interface HuaweiSignInput {
  method: string;
  /** Exactly the (already encoded) path that will be sent, without the query string. */
  path: string;
  /** Decoded names and values; an array value is a repeated key. */
  query?: Record<string, string | string[]>;
  /** Must include `host`; `content-type` when there is a body. */
  headers: Record<string, string>;
  /** Exact bytes sent ("" when none). */
  body?: string | Buffer;
}

/** Gateway error codes answered by {@link verifyHuawei} (as real APIG answers them, with status 401). */
export const APIG_AUTH_FAILED = "APIGW.0301";
export const APIG_DATE_EXPIRED = "APIGW.0303";

/** RFC 3986 encoding, as the SDKs' `urlEncode`/`escape`: unreserved `A-Z a-z 0-9 - _ . ~` kept, the rest `%XX`. */
export { percentEncode };

/** Encodes one path segment (a pool or node pool name), including any `/` inside it. */
export function encodePathSegment(s: string): string {
  // "." and ".." are unreserved, yet as whole segments servers and proxies resolve them and the request would
  // reach another path; encoded, they stay a literal name.
  if (s === "." || s === "..") return s.replace(/\./g, "%2E");
  return percentEncode(s);
}

/** `YYYYMMDDTHHMMSSZ` (UTC, ISO 8601 basic format), the X-Sdk-Date format. */
export function formatSdkDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** Parses an X-Sdk-Date value; undefined when it is not `YYYYMMDDTHHMMSSZ`. */
export function parseSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  // Reject calendar overflow such as month 13 or 30 February.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return t;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The canonical URI of an encoded path: each segment decoded and re-encoded, with a trailing `/`. */
export function canonicalUri(path: string): string {
  const p = path.split("?")[0] || "/";
  const uri = p
    .split("/")
    .map((seg) => percentEncode(safeDecode(seg)))
    .join("/");
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** Keys sorted (raw, UTF-16 order, as the SDKs do); array values become repeated keys with sorted values. */
export function canonicalQuery(query: Record<string, string | string[]> | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    const values = Array.isArray(value) ? [...value].sort() : [value ?? ""];
    for (const v of values) parts.push(`${percentEncode(key)}=${percentEncode(v ?? "")}`);
  }
  return parts.join("&");
}

/** Header name (lowercase) -> values sent under any spelling of that name. */
type HeaderBag = Map<string, string[]>;

function toHeaderBag(headers: Record<string, string | string[] | undefined> | undefined): HeaderBag {
  const bag: HeaderBag = new Map();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const values = bag.get(lower) ?? [];
    values.push(...(Array.isArray(value) ? value : [value]));
    bag.set(lower, values);
  }
  return bag;
}

function headerText(bag: HeaderBag, name: string): string | undefined {
  const values = bag.get(name);
  return values && values.length > 0 ? values.map((v) => v.trim()).join(",") : undefined;
}

/** Whether the client signs a header by default (see the module comment). */
export function isSignedByDefault(lowerName: string): boolean {
  if (lowerName.includes("_")) return false;
  return lowerName === "host" || lowerName === "content-type" || lowerName.startsWith("x-");
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function toBuffer(body: string | Buffer | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

/**
 * The canonical request over an explicit list of signed header names (lowercase). Header values are trimmed;
 * names sort in byte order.
 */
export function huaweiCanonicalRequest(
  input: { method: string; path: string; query?: Record<string, string | string[]>; headers: Record<string, string | string[] | undefined> },
  signedNames: string[],
  payloadHash: string,
): { canonicalRequest: string; signedHeaders: string } {
  const bag = toHeaderBag(input.headers);
  const names = [...new Set(signedNames.map((n) => n.toLowerCase()))].sort();
  const headerBlock = names.map((n) => `${n}:${headerText(bag, n) ?? ""}\n`).join("");
  const signedHeaders = names.join(";");
  // headerBlock ends in "\n" and the join adds another: the blank line before SignedHeaders is intended.
  const canonicalRequest = [input.method.toUpperCase(), canonicalUri(input.path), canonicalQuery(input.query), headerBlock, signedHeaders, payloadHash].join("\n");
  return { canonicalRequest, signedHeaders };
}

export function huaweiStringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${SDK_HMAC_SHA256}\n${sdkDate}\n${sha256Hex(Buffer.from(canonicalRequest, "utf8"))}`;
}

export function huaweiSignature(secretKey: string, stringToSign: string): string {
  return createHmac("sha256", secretKey).update(stringToSign, "utf8").digest("hex");
}

export function huaweiAuthorization(accessKey: string, signedHeaders: string, signature: string): string {
  return `${SDK_HMAC_SHA256} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Headers this signer (re)sets: a retried request never keeps stale values. */
const SIGNING_HEADERS = ["authorization", "x-sdk-date", "x-security-token"];

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/**
 * Returns the complete header set to send: the input headers, `X-Sdk-Date`, `X-Security-Token` (temporary
 * credentials) and `Authorization`. The payload hash is the sha256 of the exact body bytes, unless the caller
 * declares `X-Sdk-Content-Sha256` (e.g. `UNSIGNED-PAYLOAD`), which is then used as the SDKs do.
 */
export function signHuawei(input: HuaweiSignInput, creds: HuaweiCredentials, opts: { date: Date }): Record<string, string> {
  if (!hasHeader(input.headers, "host")) throw new Error('signHuawei: header "host" is required');
  const body = toBuffer(input.body);
  // Without a content-type the HTTP client picks one itself, and the service then misreads the body.
  if (body.length > 0 && !hasHeader(input.headers, "content-type")) {
    throw new Error('signHuawei: a request with a body needs a "content-type" header');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) if (!SIGNING_HEADERS.includes(k.toLowerCase())) headers[k] = v;
  const sdkDate = formatSdkDate(opts.date);
  headers["X-Sdk-Date"] = sdkDate;
  if (creds.securityToken) headers["X-Security-Token"] = creds.securityToken;
  const declared = Object.entries(headers).find(([k]) => k.toLowerCase() === "x-sdk-content-sha256")?.[1]?.trim();
  const payloadHash = declared || sha256Hex(body);
  const signedNames = Object.keys(headers).map((k) => k.toLowerCase()).filter(isSignedByDefault);
  const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest({ ...input, headers }, signedNames, payloadHash);
  const signature = huaweiSignature(creds.secretKey, huaweiStringToSign(sdkDate, canonicalRequest));
  headers.Authorization = huaweiAuthorization(creds.accessKey, signedHeaders, signature);
  return headers;
}

// ---------------------------------------------------------------------------------------------------------
// Server side (the local cloud emulator)
// ---------------------------------------------------------------------------------------------------------

export interface ParsedHuaweiAuthorization {
  accessKey: string;
  signedNames: string[];
  signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex` (spaces after the commas optional). */
export function parseHuaweiAuthorization(value: string): ParsedHuaweiAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKey || !signedHeaders || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  return { accessKey, signedNames: signedHeaders.split(";").map((n) => n.trim().toLowerCase()), signature: signature.toLowerCase() };
}

function fail(status: number, code: string, message: string): VerifyResult {
  return { ok: false, status, code, message };
}

const iam = (why: string) => fail(401, APIG_AUTH_FAILED, `Incorrect IAM authentication information: ${why}`);

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Tokens are bearer credentials: an error message must not echo one back into logs. */
function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join("<redacted>") : text;
}

/**
 * Verifies an incoming SDK-HMAC-SHA256 request (used by the local cloud emulator). Failures are answered as APIG
 * does: 401 `APIGW.0301` ("Incorrect IAM authentication information: ..."), and `APIGW.0303` for an X-Sdk-Date
 * more than 15 minutes from server time. `host` and `x-sdk-date` must be signed, and so must a security token.
 */
export function verifyHuawei(req: IncomingSignedRequest, lookupSecret: SecretLookup, now: Date): VerifyResult {
  const bag = toHeaderBag(req.headers);
  const authorization = headerText(bag, "authorization");
  if (!authorization) return iam("the Authorization header is missing");
  const auth = parseHuaweiAuthorization(authorization);
  if (!auth) return iam("the Authorization header must be 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>'");
  const signed = new Set(auth.signedNames);
  for (const required of ["host", "x-sdk-date"]) {
    if (!signed.has(required)) return iam(`SignedHeaders must include "${required}"`);
  }
  if (bag.has("x-security-token") && !signed.has("x-security-token")) return iam('SignedHeaders must include "x-security-token"');
  for (const name of signed) if (!bag.has(name)) return iam(`signed header "${name}" is missing from the request`);

  const entry = lookupSecret(auth.accessKey);
  if (!entry) return iam(`the access key ${auth.accessKey} does not exist`);
  const sentToken = headerText(bag, "x-security-token");
  if ((sentToken ?? "") !== (entry.securityToken ?? "")) {
    return iam(entry.securityToken ? "the security token does not belong to the access key" : "a security token was sent with a permanent access key");
  }

  const sdkDate = headerText(bag, "x-sdk-date") ?? "";
  const when = parseSdkDate(sdkDate);
  if (when === undefined) return iam("X-Sdk-Date must be a UTC time formatted as YYYYMMDDTHHMMSSZ");
  if (Math.abs(now.getTime() - when) > MAX_CLOCK_SKEW_MS) {
    return fail(401, APIG_DATE_EXPIRED, `Incorrect IAM authentication information: X-Sdk-Date ${sdkDate} is more than 15 minutes from server time`);
  }

  const bodyHash = sha256Hex(req.body);
  const declared = headerText(bag, "x-sdk-content-sha256");
  let payloadHash = bodyHash;
  if (declared !== undefined) {
    if (!signed.has("x-sdk-content-sha256")) return iam('SignedHeaders must include "x-sdk-content-sha256"');
    if (declared === UNSIGNED_PAYLOAD) payloadHash = UNSIGNED_PAYLOAD;
    else if (declared.toLowerCase() !== bodyHash) return iam("X-Sdk-Content-Sha256 does not match the SHA-256 of the request body");
  }

  const { canonicalRequest } = huaweiCanonicalRequest({ method: req.method, path: req.rawPath, query: req.query, headers: req.headers }, [...signed], payloadHash);
  const stringToSign = huaweiStringToSign(sdkDate, canonicalRequest);
  if (!safeEqual(huaweiSignature(entry.secret, stringToSign), auth.signature)) {
    return iam(redactToken(`verify aksk signature fail; server string to sign is:\n${stringToSign}\nserver canonical request is:\n${canonicalRequest}`, sentToken));
  }
  return { ok: true, accessKeyId: auth.accessKey };
}
