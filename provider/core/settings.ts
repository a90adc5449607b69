/**
 * Credentials, regions and endpoints, resolved at call time from Pulumi stack config, the environment
 * and the aliyun CLI profile file. Nothing here is read at module load: every function takes a
 * {@link ResolveContext}, which a dynamic provider builds from `configure(req)` (see
 * {@link defaultResolveContext}) and tests build by hand.
 *
 * Documented names (copied into the README):
 *
 * Alibaba Cloud credentials (first complete source wins):
 *   1. Pulumi config `alicloud:accessKey` + `alicloud:secretKey` (+ optional `alicloud:securityToken`)
 *   2. env `ALIBABA_CLOUD_ACCESS_KEY_ID` + `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (+ optional `ALIBABA_CLOUD_SECURITY_TOKEN`)
 *   3. env `ALICLOUD_ACCESS_KEY` + `ALICLOUD_SECRET_KEY` (+ optional `ALICLOUD_SECURITY_TOKEN`)
 *   4. aliyun CLI profile file `~/.aliyun/config.json`, modes `AK` and `StsToken`. Profile name from
 *      env `ALIBABA_CLOUD_PROFILE`, then env `ALICLOUD_PROFILE`, then config `alicloud:profile`, then
 *      the file's `current`, then `default`.
 *   A source with half a key pair (or a security token without its key pair) is an error.
 *
 * Alibaba Cloud region (first non-empty wins): config `alicloud:region`, env `ALICLOUD_REGION`,
 *   env `ALIBABA_CLOUD_REGION`, env `ALIBABA_CLOUD_REGION_ID`, the CLI profile's `region_id`.
 *
 * Endpoint overrides (private endpoints, the local emulator), first match wins:
 *   1. config `nodepools:endpoints`: JSON object keyed by product code,
 *      e.g. `{"cs":"https://cs-vpc.cn-hangzhou.aliyuncs.com","ens":"...","eflo-controller":"...","batchcompute":"...","modelarts":"..."}`
 *   2. config `alicloud:endpoints` (Alibaba products only), pulumi-alicloud's shape: JSON array of objects
 *      such as `[{"cs":"cs-vpc.cn-hangzhou.aliyuncs.com"}]` (a single object is accepted too); keys `cs`,
 *      `ens`, `efloController` (also `eflo_controller` / `eflo-controller`), `batchcompute`
 *   3. env `NODEPOOLS_ENDPOINT_CS`, `NODEPOOLS_ENDPOINT_ENS`, `NODEPOOLS_ENDPOINT_EFLO_CONTROLLER`,
 *      `NODEPOOLS_ENDPOINT_BATCHCOMPUTE`, `NODEPOOLS_ENDPOINT_MODELARTS`
 *   4. env `NODEPOOLS_ENDPOINT`: one URL for every product (the emulator serves all of them on one port)
 *   5. the default: `cs.{region}.aliyuncs.com`, `ens.aliyuncs.com` (central),
 *      `eflo-controller.{region}.aliyuncs.com`, `batchcompute.{region}.aliyuncs.com`,
 *      `modelarts.{region}.myhuaweicloud.com` (`modelarts.ap-southeast-1.myhuaweicloud.cn` for ap-southeast-1)
 *   A value is a bare host (`https` assumed) or an `http://` / `https://` URL with optional port; no path,
 *   query or user info.
 *
 * Plain http: allowed only for loopback hosts (`localhost`, 127.0.0.0/8, `::1`), or when config
 *   `nodepools:allowInsecureHttp` or env `NODEPOOLS_ALLOW_INSECURE_HTTP` is `true`.
 *
 * Huawei Cloud (each setting: config, then `HW_*`, then `HUAWEICLOUD_SDK_*`; config keys in camelCase or
 * snake_case): `huaweicloud:accessKey`/`access_key`, `huaweicloud:secretKey`/`secret_key`,
 * `huaweicloud:securityToken`/`security_token`, `huaweicloud:region`, `huaweicloud:projectId`/`project_id`;
 * env `HW_ACCESS_KEY`, `HW_SECRET_KEY`, `HW_SECURITY_TOKEN`, `HW_REGION_NAME`, `HW_PROJECT_ID`;
 * env `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`,
 * `HUAWEICLOUD_SDK_REGION`, `HUAWEICLOUD_SDK_PROJECT_ID`.
 *
 * Messages never contain a secret key or a security token; access key ids appear masked (`LTAI****`).
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError } from "./errors";

/** What a dynamic provider's configure(req) gives us: full namespaced stack config, e.g. get("alicloud:accessKey"). */
export interface ConfigReader {
  get(key: string): string | undefined;
}

export interface ResolveContext {
  /** May be an empty reader (no stack config). */
  config: ConfigReader;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** Returns undefined when the file does not exist. */
  readFile: (path: string) => string | undefined;
}

/** A reader with no keys. */
export const emptyConfig: ConfigReader = { get: () => undefined };

/** A reader over a plain object of namespaced keys, e.g. `{ "alicloud:region": "cn-hangzhou" }`. */
export function configFromRecord(values: Record<string, string | undefined>): ConfigReader {
  return { get: (key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined) };
}

/** The real process environment, home directory and file system, read when this is called. */
export function defaultResolveContext(config?: ConfigReader): ResolveContext {
  return {
    config: config ?? emptyConfig,
    env: process.env,
    homeDir: os.homedir(),
    readFile: (file: string) => {
      try {
        return fs.readFileSync(file, "utf8");
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw new ConfigurationError(`cannot read ${file}: ${code ?? "unknown error"}`);
      }
    },
  };
}

export interface AlibabaCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** `source` names where the credentials came from, e.g. "environment ALICLOUD_ACCESS_KEY". */
export interface ResolvedAlibabaCredentials extends AlibabaCredentials {
  source: string;
}

export type AlibabaProduct = "cs" | "ens" | "eflo-controller" | "batchcompute";

/** `baseUrl` has no trailing slash, e.g. "https://cs.cn-hangzhou.aliyuncs.com"; `host` includes a non-default port. */
export interface Endpoint {
  baseUrl: string;
  host: string;
  source: string;
}

export interface HuaweiSettings {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
  region: string;
  projectId: string;
  /** Where the access key came from. */
  source: string;
}

/** Shows an access key id as its first four characters and "****"; short ids are hidden entirely. */
export function maskAccessKeyId(id: string): string {
  return id.length >= 8 ? `${id.slice(0, 4)}****` : "****";
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  const t = String(v).trim();
  return t === "" ? undefined : t;
}

function fromConfig(ctx: ResolveContext, key: string): string | undefined {
  return nonEmpty(ctx.config.get(key));
}

function fromEnv(ctx: ResolveContext, name: string): string | undefined {
  return nonEmpty(ctx.env[name]);
}

/** Reads the first of several spellings of one setting; returns the value and the key it came from. */
function firstConfig(ctx: ResolveContext, keys: string[]): { value: string; key: string } | undefined {
  for (const key of keys) {
    const value = fromConfig(ctx, key);
    if (value !== undefined) return { value, key };
  }
  return undefined;
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}

const REGION_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkRegion(region: string, source: string): string {
  if (!REGION_RE.test(region) || region.length > 64) {
    throw new ConfigurationError(
      `${source} is ${quote(region)}, which is not a region id (expected lowercase letters, digits and dashes, e.g. "cn-hangzhou")`,
    );
  }
  return region;
}

interface KeyPairSource {
  /** Human description, e.g. "Pulumi config alicloud:accessKey". */
  source: string;
  idName: string;
  secretName: string;
  tokenName: string;
  id?: string;
  secret?: string;
  token?: string;
}

/**
 * Returns the pair when complete, undefined when the source is entirely absent, and throws when it is
 * half set. Never puts the secret or the token into a message.
 */
function completePair(s: KeyPairSource, cloud: string): { id: string; secret: string; token?: string } | undefined {
  if (s.id && s.secret) return { id: s.id, secret: s.secret, token: s.token };
  if (s.id && !s.secret) {
    throw new ConfigurationError(
      `${cloud} credentials are incomplete: ${s.idName} is set (${maskAccessKeyId(s.id)}) but ${s.secretName} is not. Set both, or neither.`,
    );
  }
  if (!s.id && s.secret) {
    throw new ConfigurationError(
      `${cloud} credentials are incomplete: ${s.secretName} is set but ${s.idName} is not. Set both, or neither.`,
    );
  }
  if (s.token) {
    throw new ConfigurationError(
      `${cloud} credentials are incomplete: ${s.tokenName} is set but ${s.idName} and ${s.secretName} are not; ` +
        `a security token must come with the temporary key pair it was issued with.`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// aliyun CLI profile file

const CLI_SUPPORTED_MODES = ["AK", "StsToken"];

interface CliProfileLookup {
  path: string;
  displayPath: string;
  profileName: string;
  /** How the profile name was chosen, e.g. "chosen by environment ALIBABA_CLOUD_PROFILE". */
  nameSource: string;
  status: "no-file" | "invalid" | "not-found" | "found";
  profile?: Record<string, unknown>;
  available?: string[];
}

function cliConfigPath(ctx: ResolveContext): { path: string; displayPath: string } {
  const file = path.join(ctx.homeDir, ".aliyun", "config.json");
  const displayPath = ctx.homeDir ? path.join("~", ".aliyun", "config.json") : file;
  return { path: file, displayPath };
}

function explicitProfileName(ctx: ResolveContext): { name: string; source: string } | undefined {
  const env1 = fromEnv(ctx, "ALIBABA_CLOUD_PROFILE");
  if (env1) return { name: env1, source: "environment ALIBABA_CLOUD_PROFILE" };
  const env2 = fromEnv(ctx, "ALICLOUD_PROFILE");
  if (env2) return { name: env2, source: "environment ALICLOUD_PROFILE" };
  const cfg = fromConfig(ctx, "alicloud:profile");
  if (cfg) return { name: cfg, source: "Pulumi config alicloud:profile" };
  return undefined;
}

function lookupCliProfile(ctx: ResolveContext): CliProfileLookup {
  const { path: file, displayPath } = cliConfigPath(ctx);
  const explicit = explicitProfileName(ctx);
  const base = {
    path: file,
    displayPath,
    profileName: explicit?.name ?? "default",
    nameSource: explicit ? `chosen by ${explicit.source}` : "the fallback name, as nothing selects a profile",
  };
  const text = ctx.readFile(file);
  if (text === undefined) return { ...base, status: "no-file" };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's message can quote the file's content, which holds secrets: do not pass it on.
    return { ...base, status: "invalid" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ...base, status: "invalid" };
  const d = doc as { current?: unknown; profiles?: unknown };
  if (d.profiles !== undefined && !Array.isArray(d.profiles)) return { ...base, status: "invalid" };
  let { profileName, nameSource } = base;
  if (!explicit && typeof d.current === "string" && d.current.trim() !== "") {
    profileName = d.current.trim();
    nameSource = `chosen by "current" in ${displayPath}`;
  }
  const profiles = ((d.profiles as unknown[] | undefined) ?? []).filter(
    (p): p is Record<string, unknown> => typeof p === "object" && p !== null && !Array.isArray(p),
  );
  const available = profiles.map((p) => (typeof p.name === "string" ? p.name : "")).filter((n) => n !== "");
  const profile = profiles.find((p) => p.name === profileName);
  if (!profile) return { ...base, profileName, nameSource, status: "not-found", available };
  return { ...base, profileName, nameSource, status: "found", profile, available };
}

function profileString(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  return typeof v === "string" ? nonEmpty(v) : undefined;
}

function describeProfileMiss(l: CliProfileLookup): string {
  switch (l.status) {
    case "no-file":
      return "file does not exist";
    case "invalid":
      return "file is not valid aliyun CLI JSON (expected {\"current\": ..., \"profiles\": [...]})";
    case "not-found":
      return `no profile named '${l.profileName}' (profiles in the file: ${l.available?.length ? l.available.join(", ") : "none"})`;
    default:
      return "found";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Alibaba credentials

/**
 * Resolves Alibaba Cloud credentials; the first complete source wins (see the file header for the order).
 * Throws ConfigurationError for a half-set source, an unsupported CLI profile mode, or when nothing is
 * found (one error that lists every place looked).
 */
export function resolveAlibabaCredentials(ctx: ResolveContext): ResolvedAlibabaCredentials {
  const pairSources: KeyPairSource[] = [
    {
      source: "Pulumi config alicloud:accessKey",
      idName: "Pulumi config alicloud:accessKey",
      secretName: "Pulumi config alicloud:secretKey",
      tokenName: "Pulumi config alicloud:securityToken",
      id: fromConfig(ctx, "alicloud:accessKey"),
      secret: fromConfig(ctx, "alicloud:secretKey"),
      token: fromConfig(ctx, "alicloud:securityToken"),
    },
    envPair(ctx, "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
    envPair(ctx, "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
  ];
  for (const s of pairSources) {
    const pair = completePair(s, "Alibaba Cloud");
    if (pair) return withToken({ accessKeyId: pair.id, accessKeySecret: pair.secret, source: s.source }, pair.token);
  }

  const lookup = lookupCliProfile(ctx);
  const where = `aliyun CLI profile '${lookup.profileName}' (${lookup.displayPath})`;
  let profileNote = describeProfileMiss(lookup);
  if (lookup.status === "found" && lookup.profile) {
    const p = lookup.profile;
    const mode = profileString(p, "mode") ?? "AK";
    if (!CLI_SUPPORTED_MODES.includes(mode)) {
      throw new ConfigurationError(
        `${where} uses mode '${mode}', which pulumi-nodepools does not support (supported modes: ${CLI_SUPPORTED_MODES.join(", ")}). ` +
          `Select an AK or StsToken profile with ALIBABA_CLOUD_PROFILE=<name>, or set credentials with ` +
          `'pulumi config set alicloud:accessKey <id>' and 'pulumi config set --secret alicloud:secretKey <secret>', ` +
          `or export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.`,
      );
    }
    const pair = completePair(
      {
        source: where,
        idName: `access_key_id in ${where}`,
        secretName: "access_key_secret",
        tokenName: "sts_token",
        id: profileString(p, "access_key_id"),
        secret: profileString(p, "access_key_secret"),
        // AK mode ignores any sts_token left in the profile, as the aliyun CLI does.
        token: mode === "StsToken" ? profileString(p, "sts_token") : undefined,
      },
      "Alibaba Cloud",
    );
    if (pair) {
      if (mode === "StsToken" && !pair.token) {
        throw new ConfigurationError(`${where} has mode 'StsToken' but no sts_token. Run 'aliyun configure --mode StsToken --profile ${lookup.profileName}' again.`);
      }
      return withToken({ accessKeyId: pair.id, accessKeySecret: pair.secret, source: where }, pair.token);
    }
    profileNote = `profile '${lookup.profileName}' has mode '${mode}' but no access_key_id or access_key_secret`;
  }

  throw new ConfigurationError(
    [
      "No Alibaba Cloud credentials found. Looked in, in this order:",
      "  1. Pulumi config alicloud:accessKey and alicloud:secretKey (optional alicloud:securityToken): not set",
      "  2. environment ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (optional ALIBABA_CLOUD_SECURITY_TOKEN): not set",
      "  3. environment ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY (optional ALICLOUD_SECURITY_TOKEN): not set",
      `  4. aliyun CLI profile file ${lookup.path}, profile '${lookup.profileName}' (${lookup.nameSource}; ` +
        `choose another with ALIBABA_CLOUD_PROFILE, ALICLOUD_PROFILE or Pulumi config alicloud:profile): ${profileNote}`,
      "Set credentials in one of these ways:",
      "  pulumi config set alicloud:accessKey <access-key-id> && pulumi config set --secret alicloud:secretKey <access-key-secret>",
      "  export ALIBABA_CLOUD_ACCESS_KEY_ID=<access-key-id> ALIBABA_CLOUD_ACCESS_KEY_SECRET=<access-key-secret>",
      "  aliyun configure --profile <name>   (modes AK or StsToken; then export ALIBABA_CLOUD_PROFILE=<name> if it is not the current profile)",
    ].join("\n"),
  );
}

function envPair(ctx: ResolveContext, idVar: string, secretVar: string, tokenVar: string): KeyPairSource {
  return {
    source: `environment ${idVar}`,
    idName: `environment ${idVar}`,
    secretName: secretVar,
    tokenName: `environment ${tokenVar}`,
    id: fromEnv(ctx, idVar),
    secret: fromEnv(ctx, secretVar),
    token: fromEnv(ctx, tokenVar),
  };
}

function withToken<T extends object>(o: T, token: string | undefined): T & { securityToken?: string } {
  return token ? { ...o, securityToken: token } : o;
}

// ---------------------------------------------------------------------------------------------------------
// Alibaba region

/** Resolves the Alibaba Cloud region id; throws ConfigurationError listing the places looked when none is set. */
export function resolveAlibabaRegion(ctx: ResolveContext): string {
  const cfg = fromConfig(ctx, "alicloud:region");
  if (cfg) return checkRegion(cfg, "Pulumi config alicloud:region");
  for (const name of ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"]) {
    const v = fromEnv(ctx, name);
    if (v) return checkRegion(v, `environment ${name}`);
  }
  const lookup = lookupCliProfile(ctx);
  let note = describeProfileMiss(lookup);
  if (lookup.status === "found" && lookup.profile) {
    const region = profileString(lookup.profile, "region_id");
    if (region) return checkRegion(region, `region_id of aliyun CLI profile '${lookup.profileName}' (${lookup.displayPath})`);
    note = `profile '${lookup.profileName}' has no region_id`;
  }
  throw new ConfigurationError(
    [
      "No Alibaba Cloud region found. Looked in, in this order:",
      "  1. Pulumi config alicloud:region",
      "  2. environment ALICLOUD_REGION",
      "  3. environment ALIBABA_CLOUD_REGION",
      "  4. environment ALIBABA_CLOUD_REGION_ID",
      `  5. region_id of aliyun CLI profile '${lookup.profileName}' in ${lookup.path}: ${note}`,
      "Set it with: pulumi config set alicloud:region <region-id>   (e.g. cn-hangzhou), or export ALICLOUD_REGION=<region-id>",
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Endpoints

type EndpointProduct = AlibabaProduct | "modelarts";

const ENDPOINT_PRODUCTS: readonly EndpointProduct[] = ["cs", "ens", "eflo-controller", "batchcompute", "modelarts"];

/** Keys accepted for each product inside `alicloud:endpoints` (pulumi-alicloud camelCase first). */
const ALICLOUD_ENDPOINT_KEYS: Record<AlibabaProduct, string[]> = {
  cs: ["cs"],
  ens: ["ens"],
  "eflo-controller": ["efloController", "eflo_controller", "eflo-controller"],
  batchcompute: ["batchcompute", "batchCompute", "batch_compute"],
};

function productEnvVar(product: EndpointProduct): string {
  return `NODEPOOLS_ENDPOINT_${product.toUpperCase().replace(/-/g, "_")}`;
}

function parseJsonConfig(ctx: ResolveContext, key: string): unknown {
  const raw = fromConfig(ctx, key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigurationError(`Pulumi config ${key} is not valid JSON`);
  }
}

function nodepoolsEndpointOverride(ctx: ResolveContext, product: EndpointProduct): { value: string; source: string } | undefined {
  const key = "nodepools:endpoints";
  const doc = parseJsonConfig(ctx, key);
  if (doc === undefined) return undefined;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ConfigurationError(
      `Pulumi config ${key} must be a JSON object keyed by product code (${ENDPOINT_PRODUCTS.join(", ")}), e.g. {"cs":"https://cs.cn-hangzhou.aliyuncs.com"}`,
    );
  }
  const obj = doc as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (!(ENDPOINT_PRODUCTS as readonly string[]).includes(k)) {
      throw new ConfigurationError(`Pulumi config ${key} has unknown product key ${quote(k)}; known keys: ${ENDPOINT_PRODUCTS.join(", ")}`);
    }
    if (v !== null && v !== undefined && typeof v !== "string") {
      throw new ConfigurationError(`Pulumi config ${key}.${k} must be a string (a host or an http(s) URL)`);
    }
  }
  const value = nonEmpty(obj[product] as string | undefined);
  return value === undefined ? undefined : { value, source: `Pulumi config ${key}.${product}` };
}

function alicloudEndpointOverride(ctx: ResolveContext, product: AlibabaProduct): { value: string; source: string } | undefined {
  const key = "alicloud:endpoints";
  const doc = parseJsonConfig(ctx, key);
  if (doc === undefined) return undefined;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
  let entries: Record<string, unknown>[];
  let indexed: boolean;
  if (Array.isArray(doc) && doc.every(isObj)) {
    entries = doc;
    indexed = true;
  } else if (isObj(doc)) {
    entries = [doc];
    indexed = false;
  } else {
    throw new ConfigurationError(`Pulumi config ${key} must be a JSON array of objects (pulumi-alicloud's shape), e.g. [{"cs":"cs.cn-hangzhou.aliyuncs.com"}]`);
  }
  for (let i = 0; i < entries.length; i++) {
    for (const k of ALICLOUD_ENDPOINT_KEYS[product]) {
      const v = entries[i][k];
      if (v === undefined || v === null) continue;
      const where = `Pulumi config ${key}${indexed ? `[${i}]` : ""}.${k}`;
      if (typeof v !== "string") throw new ConfigurationError(`${where} must be a string (a host or an http(s) URL)`);
      const value = nonEmpty(v);
      if (value !== undefined) return { value, source: where };
    }
  }
  return undefined;
}

function redactUserInfo(value: string): string {
  return value.replace(/\/\/[^/?#]*@/, "//***@");
}

const HOST_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Parses an endpoint value: a bare host (https assumed) or an http/https URL with optional port, optionally
 * followed by a single "/". Throws ConfigurationError naming `source` otherwise.
 */
export function parseEndpointValue(value: string, source: string): { baseUrl: string; host: string } {
  const bad = (why: string): never => {
    throw new ConfigurationError(
      `${source} is ${quote(redactUserInfo(value))}, which is not a valid endpoint: ${why}. ` +
        `Use a host name ("cs.cn-hangzhou.aliyuncs.com") or an http(s) URL with an optional port ("http://127.0.0.1:8080").`,
    );
  };
  const trimmed = value.trim();
  if (trimmed === "") bad("it is empty");
  if (/\s/.test(trimmed)) bad("it contains whitespace");
  let scheme = "https";
  let rest = trimmed;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(trimmed);
  if (m) {
    scheme = m[1].toLowerCase();
    if (scheme !== "http" && scheme !== "https") bad(`scheme "${m[1]}" is not supported (only https and http)`);
    rest = trimmed.slice(m[0].length);
  } else if (trimmed.includes("://")) {
    bad("the scheme is malformed");
  }
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  if (rest.includes("@")) bad("user info is not allowed");
  if (/[/?#\\]/.test(rest)) bad("a path, query or fragment is not allowed");
  const am = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(rest);
  if (!am) bad("expected host or host:port");
  const [, hostPart, portPart] = am as RegExpExecArray;
  if (!hostPart.startsWith("[") && !hostPart.split(".").every((label) => HOST_LABEL_RE.test(label))) {
    bad("the host name is malformed");
  }
  if (portPart !== undefined) {
    const port = Number(portPart);
    if (port < 1 || port > 65535) bad("the port must be between 1 and 65535");
  }
  let url: URL | undefined;
  try {
    url = new URL(`${scheme}://${rest}`);
  } catch {
    bad("the host is malformed");
  }
  const u = url as URL;
  return { baseUrl: `${u.protocol}//${u.host}`, host: u.host };
}

function resolveEndpoint(
  ctx: ResolveContext,
  product: EndpointProduct,
  alicloudKeysProduct: AlibabaProduct | undefined,
  defaultHost: () => string,
): Endpoint {
  const override =
    nodepoolsEndpointOverride(ctx, product) ??
    (alicloudKeysProduct ? alicloudEndpointOverride(ctx, alicloudKeysProduct) : undefined) ??
    envOverride(ctx, productEnvVar(product)) ??
    envOverride(ctx, "NODEPOOLS_ENDPOINT");
  if (override) return { ...parseEndpointValue(override.value, override.source), source: override.source };
  const host = defaultHost();
  return { baseUrl: `https://${host}`, host, source: "default endpoint" };
}

function envOverride(ctx: ResolveContext, name: string): { value: string; source: string } | undefined {
  const value = fromEnv(ctx, name);
  return value === undefined ? undefined : { value, source: `environment ${name}` };
}

/**
 * The endpoint for one Alibaba product in `region`: an override from config or the environment, else the
 * default (regional, except ENS which is central).
 */
export function resolveAlibabaEndpoint(ctx: ResolveContext, product: AlibabaProduct, region: string): Endpoint {
  if (!Object.prototype.hasOwnProperty.call(ALICLOUD_ENDPOINT_KEYS, product)) {
    throw new ConfigurationError(`unknown Alibaba Cloud product ${quote(String(product))}`);
  }
  return resolveEndpoint(ctx, product, product, () => {
    if (product === "ens") return "ens.aliyuncs.com";
    checkRegion(region, "the Alibaba Cloud region");
    return `${product}.${region}.aliyuncs.com`;
  });
}

/** The ModelArts endpoint for `region`: an override from config or the environment, else the regional default. */
export function resolveHuaweiEndpoint(ctx: ResolveContext, region: string): Endpoint {
  return resolveEndpoint(ctx, "modelarts", undefined, () => {
    checkRegion(region, "the Huawei Cloud region");
    return region === "ap-southeast-1" ? `modelarts.${region}.myhuaweicloud.cn` : `modelarts.${region}.myhuaweicloud.com`;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Transport

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === "localhost" || h === "[::1]" || h === "::1") return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

function insecureOptIn(ctx: ResolveContext): boolean {
  const cfg = fromConfig(ctx, "nodepools:allowInsecureHttp");
  const env = fromEnv(ctx, "NODEPOOLS_ALLOW_INSECURE_HTTP");
  return cfg?.toLowerCase() === "true" || env?.toLowerCase() === "true";
}

/** Plain http:// is allowed only for loopback hosts or when the user opted in. Throws ConfigurationError otherwise. */
export function assertTransportAllowed(ctx: ResolveContext, endpoint: Endpoint): void {
  let url: URL;
  try {
    url = new URL(endpoint.baseUrl);
  } catch {
    throw new ConfigurationError(`${endpoint.source}: ${quote(redactUserInfo(endpoint.baseUrl))} is not a URL`);
  }
  if (url.protocol === "https:") return;
  if (url.protocol !== "http:") {
    throw new ConfigurationError(`${endpoint.source}: scheme ${url.protocol} is not supported (only https and http)`);
  }
  if (isLoopbackHost(url.hostname) || insecureOptIn(ctx)) return;
  throw new ConfigurationError(
    `${endpoint.source} uses plain http:// to ${endpoint.host}, which would send signed requests and resource data unencrypted. ` +
      `Use https://, or, if this is intended (for example an emulator on another host or a private network), opt in with ` +
      `'pulumi config set nodepools:allowInsecureHttp true' or 'export NODEPOOLS_ALLOW_INSECURE_HTTP=true'. ` +
      `Loopback hosts (localhost, 127.0.0.0/8, ::1) are always allowed.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Huawei

const PROJECT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Resolves Huawei Cloud credentials, region and project id. Credentials come from the first complete source
 * (config, then HW_*, then HUAWEICLOUD_SDK_*); region and project id each take the first value found in the
 * same order.
 */
export function resolveHuaweiSettings(ctx: ResolveContext): HuaweiSettings {
  const ak = firstConfig(ctx, ["huaweicloud:accessKey", "huaweicloud:access_key"]);
  const sk = firstConfig(ctx, ["huaweicloud:secretKey", "huaweicloud:secret_key"]);
  const tk = firstConfig(ctx, ["huaweicloud:securityToken", "huaweicloud:security_token"]);
  const sources: KeyPairSource[] = [
    {
      source: `Pulumi config ${ak?.key ?? "huaweicloud:accessKey"}`,
      idName: `Pulumi config ${ak?.key ?? "huaweicloud:accessKey (or huaweicloud:access_key)"}`,
      secretName: `Pulumi config ${sk?.key ?? "huaweicloud:secretKey (or huaweicloud:secret_key)"}`,
      tokenName: `Pulumi config ${tk?.key ?? "huaweicloud:securityToken"}`,
      id: ak?.value,
      secret: sk?.value,
      token: tk?.value,
    },
    envPair(ctx, "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN"),
    envPair(ctx, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
  ];

  let creds: { id: string; secret: string; token?: string; source: string } | undefined;
  for (const s of sources) {
    const pair = completePair(s, "Huawei Cloud");
    if (pair) {
      creds = { ...pair, source: s.source };
      break;
    }
  }
  if (!creds) {
    throw new ConfigurationError(
      [
        "No Huawei Cloud credentials found. Looked in, in this order:",
        "  1. Pulumi config huaweicloud:accessKey (or huaweicloud:access_key) and huaweicloud:secretKey (or huaweicloud:secret_key), " +
          "optional huaweicloud:securityToken (or huaweicloud:security_token): not set",
        "  2. environment HW_ACCESS_KEY and HW_SECRET_KEY (optional HW_SECURITY_TOKEN): not set",
        "  3. environment HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (optional HUAWEICLOUD_SDK_SECURITY_TOKEN): not set",
        "Set credentials in one of these ways:",
        "  pulumi config set huaweicloud:accessKey <ak> && pulumi config set --secret huaweicloud:secretKey <sk>",
        "  export HW_ACCESS_KEY=<ak> HW_SECRET_KEY=<sk>",
      ].join("\n"),
    );
  }

  const regionCfg = fromConfig(ctx, "huaweicloud:region");
  const regionFound: { value: string; source: string } | undefined = regionCfg
    ? { value: regionCfg, source: "Pulumi config huaweicloud:region" }
    : (envOverride(ctx, "HW_REGION_NAME") ?? envOverride(ctx, "HUAWEICLOUD_SDK_REGION"));
  if (!regionFound) {
    throw new ConfigurationError(
      [
        "No Huawei Cloud region found. Looked in, in this order:",
        "  1. Pulumi config huaweicloud:region",
        "  2. environment HW_REGION_NAME",
        "  3. environment HUAWEICLOUD_SDK_REGION",
        "Set it with: pulumi config set huaweicloud:region <region>   (e.g. cn-north-4), or export HW_REGION_NAME=<region>",
      ].join("\n"),
    );
  }
  const region = checkRegion(regionFound.value, regionFound.source);

  const projectCfg = firstConfig(ctx, ["huaweicloud:projectId", "huaweicloud:project_id"]);
  const projectFound: { value: string; source: string } | undefined = projectCfg
    ? { value: projectCfg.value, source: `Pulumi config ${projectCfg.key}` }
    : (envOverride(ctx, "HW_PROJECT_ID") ?? envOverride(ctx, "HUAWEICLOUD_SDK_PROJECT_ID"));
  if (!projectFound) {
    throw new ConfigurationError(
      [
        `No Huawei Cloud project id found; ModelArts API paths need the id of the project for region ${region}. Looked in, in this order:`,
        "  1. Pulumi config huaweicloud:projectId (or huaweicloud:project_id)",
        "  2. environment HW_PROJECT_ID",
        "  3. environment HUAWEICLOUD_SDK_PROJECT_ID",
        `Set it with: pulumi config set huaweicloud:projectId <id>   or   export HW_PROJECT_ID=<id>`,
        `(the console lists it under My Credentials > API Credentials, in the row for project ${region}).`,
      ].join("\n"),
    );
  }
  if (!PROJECT_ID_RE.test(projectFound.value)) {
    throw new ConfigurationError(
      `${projectFound.source} is ${quote(projectFound.value)}, which is not a project id (expected letters, digits, '-' or '_', e.g. a 32-character hex id)`,
    );
  }

  return withToken(
    { accessKey: creds.id, secretKey: creds.secret, region, projectId: projectFound.value, source: creds.source },
    creds.token,
  );
}
