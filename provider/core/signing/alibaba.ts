/**
 * Alibaba Cloud request signing: V3 (`ACS3-HMAC-SHA256`, used by ACK `cs`, ENS and eflo-controller for both
 * RPC and ROA styles) and the legacy ROA V1 scheme (`Authorization: acs AK:Signature`, HMAC-SHA1), which is
 * the only one the Batch Compute gateway accepts. Both the client side (sign) and the server side (verify,
 * for the local cloud emulator) live here so that the two can never drift apart.
 *
 * The rules follow the official V3 document and `@alicloud/openapi-util`'s `getAuthorization`; the unit
 * tests reproduce the published test vectors and use that package as an oracle.
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";
import { percentEncode } from "../encoding";

export interface AlibabaCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";
/** sha256 of the empty string, which is what a body-less request must declare. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Alibaba rejects requests whose timestamp is further than this from server time, in either direction. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export { percentEncode };

/**
 * Encode one segment of a ROA path, e.g. an id put into `/clusters/{id}/nodepools`. A `/` inside the value
 * is encoded too (as the SDK's `percentEncode(ClusterId)` does), so an id can never change the route.
 */
export function encodePathSegment(s: string): string {
  // "." and ".." are unreserved characters, yet as whole segments servers and proxies resolve them and the
  // request would reach another path; encoded, they stay a literal id.
  if (s === "." || s === "..") return s.replace(/\./g, "%2E");
  return percentEncode(s);
}

/** Encode each '/'-separated segment of a whole ROA path (the SDK's `getEncodePath`). */
export function encodePath(path: string): string {
  return path.split("/").map(percentEncode).join("/");
}

export interface Acs3SignInput {
  /** GET/POST/PUT/DELETE */
  method: string;
  /** Exactly the (already encoded) path string that will be sent; "/" for RPC. */
  pathname: string;
  /** Decoded names/values; canonicalised here. */
  query: Record<string, string>;
  /** Must include host, x-acs-action, x-acs-version; content-type if there is a body. */
  headers: Record<string, string>;
  /** Exact bytes sent ("" when none). */
  body: string | Buffer;
}

export type VerifyResult = { ok: true; accessKeyId: string } | { ok: false; status: number; code: string; message: string };

/** A request as the emulator's HTTP server sees it; header names arrive lowercased from Node's http module. */
export interface IncomingSignedRequest {
  method: string;
  /** The path as it appeared on the request line (still percent-encoded), without the query string. */
  rawPath: string;
  /** Decoded query names/values. */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type SecretLookup = (accessKeyId: string) => { secret: string; securityToken?: string } | undefined;

/** Header name (lowercase) -> every value sent under any spelling of that name. */
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

/** The SDK merges repeated names by sorting their trimmed values and joining them with ','. */
function mergedValue(values: string[]): string {
  return values
    .map((v) => v.trim())
    .sort()
    .join(",");
}

function firstValue(bag: HeaderBag, name: string): string | undefined {
  const values = bag.get(name);
  return values && values.length > 0 ? values.join(",") : undefined;
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function toBuffer(body: string | Buffer): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Copy `headers` without any spelling of `names`, so re-signing a retried request never keeps stale values. */
function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  const drop = new Set(names);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function fail(status: number, code: string, message: string): VerifyResult {
  return { ok: false, status, code, message };
}

/** Tokens are bearer credentials: an error message must not echo one back into logs. */
function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join("<redacted>") : text;
}

// ---------------------------------------------------------------------------------------------------------
// V3: ACS3-HMAC-SHA256
// ---------------------------------------------------------------------------------------------------------

export function formatAcsDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The SDK rewrites these three spellings before signing; doing the same means a path that reached us
 * encoded by another encoder (`+` for space, literal `*`, `%7E`) still signs the way the server expects.
 */
function canonicalUri(pathname: string): string {
  return pathname.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~");
}

/**
 * Sorted by the raw (decoded) name in UTF-16 order, as the SDK and the doc's Java sample do; for the plain
 * alphanumeric names Alibaba APIs use, this equals sorting the encoded names.
 */
function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(query[k] ?? "")}`)
    .join("&");
}

function isAcs3SignedByDefault(lowerName: string): boolean {
  return lowerName.startsWith("x-acs-") || lowerName === "host" || lowerName === "content-type";
}

function buildAcs3Canonical(
  method: string,
  pathname: string,
  query: Record<string, string>,
  bag: HeaderBag,
  signedNames: string[],
  payloadHash: string,
): { canonicalRequest: string; signedHeaders: string } {
  const headerBlock = signedNames.map((n) => `${n}:${mergedValue(bag.get(n) ?? [])}\n`).join("");
  const signedHeaders = signedNames.join(";");
  // headerBlock ends in "\n" and the join adds another: the blank line before SignedHeaders is intended.
  const canonicalRequest = [method, canonicalUri(pathname), canonicalQuery(query), headerBlock, signedHeaders, payloadHash].join(
    "\n",
  );
  return { canonicalRequest, signedHeaders };
}

/**
 * The canonical request for headers that already include the x-acs-* signing headers. The payload hash is
 * taken from `payloadHash`, else from `x-acs-content-sha256`, else computed from the body; the override
 * exists because the SDK's own test vector signs a hash that does not belong to any body.
 */
export function acs3CanonicalRequest(input: Acs3SignInput, payloadHash?: string): { canonicalRequest: string; signedHeaders: string } {
  const bag = toHeaderBag(input.headers);
  const signedNames = [...bag.keys()].filter(isAcs3SignedByDefault).sort();
  const hash = payloadHash ?? firstValue(bag, "x-acs-content-sha256")?.trim() ?? sha256Hex(toBuffer(input.body));
  return buildAcs3Canonical(input.method, input.pathname, input.query ?? {}, bag, signedNames, hash);
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(Buffer.from(canonicalRequest, "utf8"))}`;
}

function acs3Signature(secret: string, stringToSign: string): string {
  return createHmac("sha256", secret).update(stringToSign, "utf8").digest("hex");
}

const ACS3_SIGNING_HEADERS = [
  "authorization",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
  "x-acs-security-token",
  "x-acs-accesskey-id",
];

/**
 * Returns the complete header set to send: input headers + x-acs-date, x-acs-signature-nonce,
 * x-acs-content-sha256, x-acs-security-token and x-acs-accesskey-id when STS, and Authorization.
 */
export function signAcs3(input: Acs3SignInput, creds: AlibabaCredentials, opts: { date: Date; nonce: string }): Record<string, string> {
  for (const required of ["host", "x-acs-action", "x-acs-version"]) {
    if (!hasHeader(input.headers, required)) throw new Error(`signAcs3: header "${required}" is required`);
  }
  const body = toBuffer(input.body);
  // Without a signed content-type the HTTP client picks one itself, and the server then rejects the request.
  if (body.length > 0 && !hasHeader(input.headers, "content-type")) {
    throw new Error('signAcs3: a request with a body needs a "content-type" header');
  }
  const headers = withoutHeaders(input.headers, ACS3_SIGNING_HEADERS);
  headers["x-acs-date"] = formatAcsDate(opts.date);
  headers["x-acs-signature-nonce"] = opts.nonce;
  headers["x-acs-content-sha256"] = sha256Hex(body);
  if (creds.securityToken) {
    headers["x-acs-accesskey-id"] = creds.accessKeyId;
    headers["x-acs-security-token"] = creds.securityToken;
  }
  const { canonicalRequest, signedHeaders } = acs3CanonicalRequest({ ...input, headers, body });
  const signature = acs3Signature(creds.accessKeySecret, acs3StringToSign(canonicalRequest));
  headers.Authorization = `${ACS3_ALGORITHM} Credential=${creds.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return headers;
}

function parseAcs3Authorization(value: string): { accessKeyId: string; signedNames: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || signedHeaders === undefined || !signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return undefined;
  const signedNames = signedHeaders === "" ? [] : signedHeaders.split(";").map((n) => n.trim().toLowerCase());
  return { accessKeyId, signedNames, signature: signature.toLowerCase() };
}

function checkSecurityToken(sent: string | undefined, expected: string | undefined): VerifyResult | undefined {
  if ((sent ?? "") === (expected ?? "")) return undefined;
  return fail(
    400,
    "InvalidSecurityToken.Mismatch",
    expected ? "The Security Token is mismatch with Access Key." : "A Security Token was sent with a permanent Access Key.",
  );
}

function checkSkew(when: number, now: Date, shown: string): VerifyResult | undefined {
  if (Math.abs(now.getTime() - when) <= MAX_CLOCK_SKEW_MS) return undefined;
  return fail(400, "InvalidTimeStamp.Expired", `Specified time stamp or date value is expired: ${shown} is more than 15 minutes from server time.`);
}

/** Server side (used by the local cloud emulator): verify an incoming V3-signed request. */
export function verifyAcs3(req: IncomingSignedRequest, lookupSecret: SecretLookup, now: Date): VerifyResult {
  const bag = toHeaderBag(req.headers);
  const authorization = firstValue(bag, "authorization");
  if (!authorization) return fail(400, "MissingAuthorization", "The Authorization header is missing.");
  const auth = parseAcs3Authorization(authorization);
  if (!auth) {
    return fail(400, "IncompleteSignature", "The Authorization header must be 'ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...'.");
  }
  // Real clients sign every header the scheme selects; accepting fewer would let such a header be altered
  // in flight, and would hide a client that forgot to sign one.
  const signedSet = new Set(auth.signedNames);
  for (const name of bag.keys()) {
    if (isAcs3SignedByDefault(name) && !signedSet.has(name)) {
      return fail(400, "IncompleteSignature", `Header "${name}" is present but not listed in SignedHeaders.`);
    }
  }
  if (!signedSet.has("host")) return fail(400, "IncompleteSignature", 'SignedHeaders must include "host".');
  for (const name of auth.signedNames) {
    if (!bag.has(name)) return fail(400, "IncompleteSignature", `Signed header "${name}" is missing from the request.`);
  }

  const entry = lookupSecret(auth.accessKeyId);
  if (!entry) return fail(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  const sentToken = firstValue(bag, "x-acs-security-token")?.trim();
  const tokenProblem = checkSecurityToken(sentToken, entry.securityToken);
  if (tokenProblem) return tokenProblem;

  const date = firstValue(bag, "x-acs-date")?.trim();
  if (!date || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Number.isNaN(Date.parse(date))) {
    return fail(400, "InvalidTimeStamp.Format", "Header x-acs-date must be a UTC time formatted as yyyy-MM-ddTHH:mm:ssZ.");
  }
  const skew = checkSkew(Date.parse(date), now, date);
  if (skew) return skew;

  const bodyHash = sha256Hex(req.body);
  const declared = firstValue(bag, "x-acs-content-sha256")?.trim().toLowerCase();
  if (declared !== undefined && declared !== bodyHash) {
    return fail(400, "ContentSHA256Mismatch", "The x-acs-content-sha256 header does not match the SHA-256 of the request body.");
  }

  const path = req.rawPath.split("?")[0];
  const signedNames = [...signedSet].sort();
  // The server's own body hash goes into the canonical request, so the body is bound even when the
  // optional x-acs-content-sha256 header is absent.
  const { canonicalRequest } = buildAcs3Canonical(req.method, path, req.query ?? {}, bag, signedNames, bodyHash);
  const stringToSign = acs3StringToSign(canonicalRequest);
  if (!safeEqual(acs3Signature(entry.secret, stringToSign), auth.signature)) {
    return fail(
      400,
      "SignatureDoesNotMatch",
      redactToken(
        `The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}\nserver canonical request is:${canonicalRequest}`,
        sentToken,
      ),
    );
  }
  return { ok: true, accessKeyId: auth.accessKeyId };
}

// ---------------------------------------------------------------------------------------------------------
// Legacy ROA V1 (HMAC-SHA1), needed for Batch Compute
// ---------------------------------------------------------------------------------------------------------

function roaV1StringToSignFromBag(method: string, bag: HeaderBag, pathname: string, query: Record<string, string>): string {
  // A missing Accept/Content-MD5/Content-Type/Date is an empty line (the doc's rule; the SDK would print "undefined").
  const line = (name: string) => firstValue(bag, name) ?? "";
  const acsHeaders = [...bag.keys()]
    .filter((n) => n.startsWith("x-acs-"))
    .sort()
    .map((n) => `${n}:${mergedValue((bag.get(n) ?? []).map((v) => v.replace(/[\t\n\r\f]/g, " ")))}\n`)
    .join("");
  const keys = Object.keys(query).sort();
  // V1 signs query values exactly as decoded, without percent-encoding.
  const resource = keys.length === 0 ? pathname : `${pathname}?${keys.map((k) => `${k}=${query[k] ?? ""}`).join("&")}`;
  return `${method}\n${line("accept")}\n${line("content-md5")}\n${line("content-type")}\n${line("date")}\n${acsHeaders}${resource}`;
}

export function roaV1StringToSign(method: string, headers: Record<string, string>, pathname: string, query: Record<string, string>): string {
  return roaV1StringToSignFromBag(method, toHeaderBag(headers), pathname, query ?? {});
}

/** base64(HMAC-SHA1(secret, stringToSign)); the key is the plain secret, without the RPC scheme's "&". */
export function roaV1Signature(stringToSign: string, secret: string): string {
  return createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
}

const ROA_V1_SIGNING_HEADERS = [
  "authorization",
  "date",
  "x-acs-signature-nonce",
  "x-acs-signature-method",
  "x-acs-signature-version",
  "x-acs-security-token",
  "x-acs-accesskey-id",
];

/**
 * Returns the complete header set to send: input headers (which should carry host, x-acs-version and,
 * with a body, content-type) + date, accept (application/json unless given), x-acs-signature-nonce,
 * x-acs-signature-method, x-acs-signature-version, the STS headers when a token is used, and Authorization.
 * No Content-MD5 is added: the docs disagree on its format, and the official SDKs sign an empty line.
 */
export function signRoaV1(
  input: { method: string; pathname: string; query: Record<string, string>; headers: Record<string, string> },
  creds: AlibabaCredentials,
  opts: { date: Date; nonce: string },
): Record<string, string> {
  const headers = withoutHeaders(input.headers, ROA_V1_SIGNING_HEADERS);
  if (!hasHeader(headers, "accept")) headers.accept = "application/json";
  headers.date = opts.date.toUTCString();
  headers["x-acs-signature-nonce"] = opts.nonce;
  headers["x-acs-signature-method"] = "HMAC-SHA1";
  headers["x-acs-signature-version"] = "1.0";
  if (creds.securityToken) {
    headers["x-acs-accesskey-id"] = creds.accessKeyId;
    headers["x-acs-security-token"] = creds.securityToken;
  }
  const stringToSign = roaV1StringToSign(input.method, headers, input.pathname, input.query ?? {});
  headers.Authorization = `acs ${creds.accessKeyId}:${roaV1Signature(stringToSign, creds.accessKeySecret)}`;
  return headers;
}

const RFC1123_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Server side (used by the local cloud emulator): verify an incoming ROA V1-signed request. */
export function verifyRoaV1(req: IncomingSignedRequest, lookupSecret: SecretLookup, now: Date): VerifyResult {
  const bag = toHeaderBag(req.headers);
  const authorization = firstValue(bag, "authorization");
  if (!authorization) return fail(400, "MissingAuthorization", "The Authorization header is missing.");
  const m = /^acs\s+([^:\s]+):([A-Za-z0-9+/]+={0,2})$/.exec(authorization.trim());
  if (!m) return fail(400, "IncompleteSignature", "The Authorization header must be 'acs <AccessKeyId>:<Signature>'.");
  const [, accessKeyId, signature] = m;

  const entry = lookupSecret(accessKeyId);
  if (!entry) return fail(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  const sentToken = firstValue(bag, "x-acs-security-token")?.trim();
  const tokenProblem = checkSecurityToken(sentToken, entry.securityToken);
  if (tokenProblem) return tokenProblem;

  const date = firstValue(bag, "date")?.trim();
  if (!date || !RFC1123_DATE.test(date) || Number.isNaN(Date.parse(date))) {
    return fail(400, "InvalidTimeStamp.Format", "Header Date must be an RFC 1123 GMT date, e.g. 'Wed, 01 Jan 2025 00:00:00 GMT'.");
  }
  const skew = checkSkew(Date.parse(date), now, date);
  if (skew) return skew;

  // V1 signs the Content-MD5 header but not the body, so the body is bound only if the header is checked
  // against it. The docs disagree on base64 versus hex, so either is accepted.
  const contentMd5 = firstValue(bag, "content-md5")?.trim();
  if (contentMd5 !== undefined) {
    const digest = createHash("md5").update(req.body).digest();
    if (contentMd5 !== digest.toString("base64") && contentMd5.toLowerCase() !== digest.toString("hex")) {
      return fail(400, "ContentMD5Mismatch", "The Content-MD5 header does not match the MD5 of the request body.");
    }
  }

  const stringToSign = roaV1StringToSignFromBag(req.method, bag, req.rawPath.split("?")[0], req.query ?? {});
  if (!safeEqual(roaV1Signature(stringToSign, entry.secret), signature)) {
    return fail(
      400,
      "SignatureDoesNotMatch",
      redactToken(`The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}`, sentToken),
    );
  }
  return { ok: true, accessKeyId };
}

// ---------------------------------------------------------------------------------------------------------
// RPC V1 (HMAC-SHA1 over the query): not used by this package's products, kept for the published vectors
// ---------------------------------------------------------------------------------------------------------

export function rpcV1StringToSign(params: Record<string, string>, method: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? "")}`)
    .join("&");
  return `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

/** base64(HMAC-SHA1(secret + "&", stringToSign)); unlike ROA V1, the RPC scheme appends "&" to the key. */
export function rpcV1Signature(params: Record<string, string>, method: string, secret: string): string {
  return createHmac("sha1", `${secret}&`).update(rpcV1StringToSign(params, method), "utf8").digest("base64");
}
