/**
 * Shared fixtures for ModelArts: a running emulator with a seeded resource pool, the package's runtime pointed at it
 * through the Huawei settings a user would set, and a tiny SDK-HMAC-SHA256 client that returns raw answers.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { FakeClock } from "../../provider/core/clock";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { signHuawei, type HuaweiCredentials } from "../../provider/core/signing/huawei";
import { CloudEmulator } from "../../provider/emulator";
import { MODELARTS_DEFAULT_PROJECT, type ModelArtsAdmin, type ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";

export const PROJECT = MODELARTS_DEFAULT_PROJECT;
export const POOL = "pool-gpu-a";
export const REGION = "cn-north-4";

export interface ModelArtsEnv {
  emulator: CloudEmulator;
  admin: ModelArtsAdmin;
  clock: FakeClock;
  progress: string[];
  /** Points the package at the emulator through the environment, as a user would. */
  env: Record<string, string>;
}

export function modelArtsAdmin(emulator: CloudEmulator): ModelArtsAdmin {
  return emulator.service<ModelArtsService>("modelarts").admin;
}

export async function startModelArtsEnv(): Promise<ModelArtsEnv> {
  const emulator = await CloudEmulator.start();
  const admin = modelArtsAdmin(emulator);
  admin.seedPool({ poolName: POOL });
  const env = {
    NODEPOOLS_ENDPOINT_MODELARTS: emulator.endpoint,
    HW_ACCESS_KEY: emulator.credentials.accessKeyId,
    HW_SECRET_KEY: emulator.credentials.accessKeySecret,
    HW_REGION_NAME: REGION,
    HW_PROJECT_ID: PROJECT,
  };
  // Real time for signatures (the emulator checks the 15-minute window), instant sleeps for waiters and backoff.
  const clock = new FakeClock(Date.now());
  const progress: string[] = [];
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: (line) => progress.push(line),
    log: () => undefined,
  });
  return { emulator, admin, clock, progress, env };
}

export async function stopModelArtsEnv(e: ModelArtsEnv | undefined): Promise<void> {
  setRuntimeOverrides({});
  await e?.emulator.stop();
}

/** A valid node pool input in the package's shape. */
export function baseNodePool(name = "nodepool-1"): Record<string, any> {
  return {
    poolName: POOL,
    metadata: { name },
    spec: {
      resources: {
        flavor: "modelarts.vm.gpu.t4u8",
        count: 2,
        maxCount: 4,
        nodePool: name,
        azs: [{ az: "cn-north-4a", count: 2 }],
        labels: { accelerator: "t4", team: "ml" },
        taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
        tags: [{ key: "env", value: "dev" }],
        network: { vpc: "vpc-1", subnet: "subnet-1", securityGroups: ["sg-1"] },
      },
    },
  };
}

/** A valid CreateNodePool request body on the wire. */
export function nodePoolBody(name = "nodepool-1", resources: Record<string, unknown> = {}, annotations?: Record<string, string>): Record<string, any> {
  return {
    apiVersion: "v2",
    kind: "NodePool",
    metadata: annotations ? { name, annotations } : { name },
    spec: { resources: { flavor: "modelarts.vm.2u4g.dcc", count: 1, maxCount: 1, nodePool: name, ...resources } },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json?: any;
}

export interface HuaweiCall {
  method: string;
  /** Already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Default `application/json;charset=UTF-8` when there is a body. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Default: signed with the client's credentials; false sends the request unsigned. */
  sign?: boolean;
  date?: Date;
  /** Changes the signed headers before sending (to test tampering). */
  tamper?: (headers: Record<string, string>) => Record<string, string>;
  /** Sends other bytes than the ones signed. */
  sendBody?: string;
}

/** A minimal signed HTTP client for the emulator tests; never throws on an error status. */
export class HuaweiTestClient {
  private readonly url: URL;
  constructor(
    endpoint: string,
    readonly creds: HuaweiCredentials,
  ) {
    this.url = new URL(endpoint);
  }

  with(creds: Partial<HuaweiCredentials>): HuaweiTestClient {
    return new HuaweiTestClient(this.url.origin, { ...this.creds, ...creds });
  }

  call(c: HuaweiCall): Promise<RawResponse> {
    const body = c.body === undefined ? "" : typeof c.body === "string" ? c.body : JSON.stringify(c.body);
    const base: Record<string, string> = {
      host: this.url.host,
      accept: "application/json",
      ...(body ? { "content-type": c.contentType ?? "application/json;charset=UTF-8" } : {}),
      ...(c.headers ?? {}),
    };
    let headers = c.sign === false ? base : signHuawei({ method: c.method, path: c.path, query: c.query, headers: base, body }, this.creds, { date: c.date ?? new Date() });
    if (c.tamper) headers = c.tamper(headers);
    const qs = new URLSearchParams(c.query ?? {}).toString().replace(/\+/g, "%20");
    const sent = c.sendBody ?? body;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: this.url.hostname, port: this.url.port, method: c.method, path: `${c.path}${qs ? `?${qs}` : ""}`, headers: { ...headers, "content-length": String(Buffer.byteLength(sent)) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (d: Buffer) => chunks.push(d));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: any;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on("error", reject);
      req.end(sent);
    });
  }
}

export function nodePoolsPath(pool = POOL, project = PROJECT): string {
  return `/v2/${encodeURIComponent(project)}/pools/${encodeURIComponent(pool)}/nodepools`;
}

export function nodePoolPath(name: string, pool = POOL, project = PROJECT): string {
  return `${nodePoolsPath(pool, project)}/${encodeURIComponent(name)}`;
}
