/**
 * A deliberately tiny signed HTTP client for the emulator's own tests and for poking at it by hand. It signs with
 * the package's V3 signer and returns the raw answer (status, headers, text, parsed JSON if any), never throwing on
 * an error status, so tests can assert on exactly what went over the wire. Not used by the package at run time.
 */
import { request as httpRequest, IncomingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";
import { signAcs3 } from "../core/signing/alibaba";
import { Clock, systemClock } from "../core/clock";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed body, or undefined when the body is not JSON. */
  json?: any;
}

export interface EmulatorClientOptions {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Signing time comes from this clock (default: the system clock). */
  clock?: Clock;
  /** Sent as `x-acs-region-id` when set. */
  region?: string;
}

export interface RoaCall {
  action: string;
  version: string;
  method: string;
  /** Already percent-encoded path, e.g. `/clusters/${encodePathSegment(id)}/nodepools`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RpcCall {
  action: string;
  version: string;
  params: Record<string, unknown>;
  /** Where the parameters go: the query (ENS SDK style) or a form body (eflo SDK style). Default query. */
  placement?: "query" | "form";
  headers?: Record<string, string>;
}

/** Encodes like the SDK's percentEncode (RFC 3986). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export class EmulatorClient {
  private readonly url: URL;
  constructor(private readonly opts: EmulatorClientOptions) {
    this.url = new URL(opts.endpoint);
  }

  /** A copy with other credentials or options. */
  with(changes: Partial<EmulatorClientOptions>): EmulatorClient {
    return new EmulatorClient({ ...this.opts, ...changes });
  }

  /** A signed ROA call (JSON body). */
  roa(call: RoaCall): Promise<RawResponse> {
    const body = call.body === undefined ? "" : typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    const headers: Record<string, string> = {
      host: this.url.host,
      "x-acs-action": call.action,
      "x-acs-version": call.version,
      accept: "application/json",
      ...(body ? { "content-type": "application/json; charset=utf-8" } : {}),
      ...(this.opts.region ? { "x-acs-region-id": this.opts.region } : {}),
      ...(call.headers ?? {}),
    };
    return this.signedSend(call.method, call.path, call.query ?? {}, headers, body);
  }

  /** A signed RPC call (`POST /`); object parameters are sent as JSON strings, like the SDKs' Shrink requests. */
  rpc(call: RpcCall): Promise<RawResponse> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(call.params)) {
      if (v === undefined || v === null) continue;
      flat[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    const form = call.placement === "form";
    const body = form ? Object.keys(flat).map((k) => `${enc(k)}=${enc(flat[k])}`).join("&") : "";
    const headers: Record<string, string> = {
      host: this.url.host,
      "x-acs-action": call.action,
      "x-acs-version": call.version,
      accept: "application/json",
      ...(form && body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      ...(call.headers ?? {}),
    };
    return this.signedSend("POST", "/", form ? {} : flat, headers, body);
  }

  /** An unsigned admin call under `/_emulator`. */
  admin(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = text ? { "content-type": "application/json" } : {};
    return this.send(method, `/_emulator${path}`, headers, text);
  }

  /** Sends exactly what it is given (for tampering tests). */
  send(method: string, pathAndQuery: string, headers: Record<string, string>, body: string | Buffer): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: this.url.hostname, port: this.url.port, method, path: pathAndQuery, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("aborted", () => reject(new Error("response aborted")));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: any;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  private signedSend(method: string, path: string, query: Record<string, string>, headers: Record<string, string>, body: string): Promise<RawResponse> {
    const clock = this.opts.clock ?? systemClock;
    const signed = signAcs3(
      { method, pathname: path, query, headers, body },
      { accessKeyId: this.opts.accessKeyId, accessKeySecret: this.opts.accessKeySecret, securityToken: this.opts.securityToken },
      { date: new Date(clock.now()), nonce: randomBytes(16).toString("hex") },
    );
    const qs = Object.keys(query)
      .map((k) => `${enc(k)}=${enc(query[k])}`)
      .join("&");
    return this.send(method, qs ? `${path}?${qs}` : path, signed, body);
  }
}
