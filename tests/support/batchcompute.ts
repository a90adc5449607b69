/**
 * Shared fixtures for Batch Compute: the API document parsed (example body, attribute table, error table), a
 * small ROA V1-signed client for the emulator, and a running emulator with the package's runtime pointed at it.
 */
import * as fs from "fs";
import { randomBytes } from "crypto";
import { FakeClock } from "../../provider/core/clock";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { signRoaV1 } from "../../provider/core/signing/alibaba";
import { CloudEmulator, EmulatorClient, type RawResponse } from "../../provider/emulator";
import {
  BATCHCOMPUTE_VERSION,
  type BatchComputeAdmin,
  type BatchComputeService,
} from "../../provider/emulator/services/batchcompute-cluster";

export const API_DOC = "/work/shared/api-docs/alibaba-batchcompute-CreateCluster.txt";
const docText = () => fs.readFileSync(API_DOC, "utf8");

/** The request body example of the document (`POST /clusters?IdempotentToken=...` followed by JSON). */
export function docExampleBody(): Record<string, any> {
  const text = docText();
  // The first line that opens the JSON (the request line itself has "{IdempotentToken}").
  const start = text.indexOf("\n{", text.indexOf("POST /clusters?IdempotentToken=")) + 1;
  const end = text.indexOf("Attribute description");
  return JSON.parse(text.slice(start, end).trim());
}

function rowsAfter(heading: string, until: string, headerCells: number, cellsPerRow: number): string[][] {
  const text = docText();
  const from = text.indexOf(heading);
  const to = until ? text.indexOf(until, from) : text.length;
  const cells = text
    .slice(from + heading.length, to)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(headerCells);
  const rows: string[][] = [];
  for (let i = 0; i + cellsPerRow <= cells.length; i += cellsPerRow) rows.push(cells.slice(i, i + cellsPerRow));
  return rows;
}

/** The request attribute table: name, type, required, description. */
export function docAttributes(): Array<{ name: string; type: string; required: boolean }> {
  return rowsAfter("Attribute description", "Response", 4, 4).map(([name, type, required]) => ({ name, type, required: required === "Yes" }));
}

export interface ErrorRow {
  /** As documented, placeholders included (e.g. `InvalidUserData.{key}`). */
  code: string;
  message: string;
  status: number;
  syntax: string;
}

/** The document's error table, one entry per row. */
export function docErrorTable(): ErrorRow[] {
  return rowsAfter("Error codes", "", 4, 4).map(([code, message, status, syntax]) => ({ code, message, status: Number(status), syntax }));
}

export const ACCESS_KEY_SECRET = "OssSecret-Do-Not-Leak-7f3a9c";
export const SECURITY_TOKEN = "OssStsToken-Do-Not-Leak-41b2";

/** A valid cluster (program inputs). */
export function baseCluster(name = "render"): Record<string, any> {
  return {
    name,
    description: "render farm",
    imageId: "img-ubuntu",
    instanceType: "bcs.a2.large",
    userData: { role: "worker" },
    configs: {
      disks: { systemDisk: { type: "cloud_efficiency", size: 40 } },
      mounts: { entries: [{ destination: "/home/admin/data", source: "oss://bucket/data/", writeSupport: false }] },
      networks: { vpc: { cidrBlock: "192.168.0.0/16" } },
    },
    groups: { workers: { desiredVmCount: 2, resourceType: "OnDemand" } },
    idempotencyKey: "proj/dev/render",
  };
}

export interface RoaV1Request {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Default 2015-11-11; null sends no x-acs-version. */
  version?: string | null;
  date?: Date;
  /** Changes the signed headers before they are sent. */
  tamper?: (headers: Record<string, string>) => void;
}

/** Signs with the package's ROA V1 signer and sends exactly that (the emulator's own client signs V3 only). */
export class RoaV1Client {
  private readonly raw: EmulatorClient;
  constructor(
    private readonly opts: { endpoint: string; accessKeyId: string; accessKeySecret: string; securityToken?: string; region?: string; now?: () => number },
  ) {
    this.raw = new EmulatorClient({ endpoint: opts.endpoint, accessKeyId: opts.accessKeyId, accessKeySecret: opts.accessKeySecret });
  }

  with(changes: Partial<RoaV1Client["opts"]>): RoaV1Client {
    return new RoaV1Client({ ...this.opts, ...changes });
  }

  /** The headers, request target and body of a signed request, without sending it. */
  sign(req: RoaV1Request): { headers: Record<string, string>; target: string; body: string } {
    const body = req.body === undefined ? "" : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    const url = new URL(this.opts.endpoint);
    const headers: Record<string, string> = {
      host: url.host,
      ...(req.version === null ? {} : { "x-acs-version": req.version ?? BATCHCOMPUTE_VERSION }),
      ...(body ? { "content-type": "application/json" } : {}),
      ...(this.opts.region ? { "x-acs-region-id": this.opts.region } : {}),
      ...(req.headers ?? {}),
    };
    const query = req.query ?? {};
    const signed = signRoaV1(
      { method: req.method, pathname: req.path, query, headers },
      { accessKeyId: this.opts.accessKeyId, accessKeySecret: this.opts.accessKeySecret, securityToken: this.opts.securityToken },
      { date: req.date ?? new Date(this.opts.now?.() ?? Date.now()), nonce: randomBytes(8).toString("hex") },
    );
    req.tamper?.(signed);
    const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const qs = Object.keys(query)
      .map((k) => `${enc(k)}=${enc(query[k])}`)
      .join("&");
    return { headers: signed, target: qs ? `${req.path}?${qs}` : req.path, body };
  }

  call(req: RoaV1Request): Promise<RawResponse> {
    const { headers, target, body } = this.sign(req);
    return this.raw.send(req.method, target, headers, body);
  }

  /** Sends exactly what it is given (for tampering tests). */
  send(method: string, target: string, headers: Record<string, string>, body: string): Promise<RawResponse> {
    return this.raw.send(method, target, headers, body);
  }

  create = (body: unknown, token?: string) =>
    this.call({ method: "POST", path: "/clusters", query: token === undefined ? {} : { IdempotentToken: token }, body });
  get = (id: string) => this.call({ method: "GET", path: `/clusters/${id}` });
  list = (query: Record<string, string> = {}) => this.call({ method: "GET", path: "/clusters", query });
  modify = (id: string, body: unknown) => this.call({ method: "PUT", path: `/clusters/${id}`, body });
  remove = (id: string) => this.call({ method: "DELETE", path: `/clusters/${id}` });
}

export interface BcEnv {
  emulator: CloudEmulator;
  admin: BatchComputeAdmin;
  clock: FakeClock;
  progress: string[];
  /** Every debug line the package logged. */
  logs: string[];
  env: Record<string, string>;
}

export async function startBcEnv(): Promise<BcEnv> {
  const emulator = await CloudEmulator.start();
  const env = {
    NODEPOOLS_ENDPOINT_BATCHCOMPUTE: emulator.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    ALICLOUD_REGION: "cn-hangzhou",
  };
  // Real time for signatures (the emulator checks the 15-minute window), instant sleeps for waiters and backoff.
  const clock = new FakeClock(Date.now());
  const progress: string[] = [];
  const logs: string[] = [];
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: (line) => progress.push(line),
    log: (line) => logs.push(line),
  });
  return { emulator, admin: emulator.service<BatchComputeService>("batchcompute").admin, clock, progress, logs, env };
}

export async function stopBcEnv(e: BcEnv | undefined): Promise<void> {
  setRuntimeOverrides({});
  await e?.emulator.stop();
}
