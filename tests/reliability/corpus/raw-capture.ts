/**
 * Test support for the reliability suites (not corpus data): a small HTTP recorder on 127.0.0.1 that sits between
 * the package and the emulator and keeps every request exactly as it arrived on the wire (request target still
 * percent-encoded, raw header lines, body bytes), because the emulator's own request log decodes paths and redacts
 * secrets. Requests are forwarded unchanged (Host included, so signatures still verify) and answers relayed.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { FakeClock } from "../../../provider/core/clock";
import { setRuntimeOverrides } from "../../../provider/core/runtime";
import { configFromRecord } from "../../../provider/core/settings";

export interface RawRequest {
  method: string;
  /** The request target as sent: percent-encoded path and query. */
  target: string;
  /** Header lines as sent: name, value, name, value, ... */
  rawHeaders: string[];
  body: Buffer;
  /** Status the upstream answered (0: no answer). */
  status: number;
}

export interface RawCapture {
  /** `http://127.0.0.1:<port>`: point the package here. */
  endpoint: string;
  requests: RawRequest[];
  /** Requests Node's HTTP parser refused before they could be recorded (should stay empty). */
  clientErrors: string[];
  clear(): void;
  stop(): Promise<void>;
}

export async function startRawCapture(upstreamPort: number): Promise<RawCapture> {
  const requests: RawRequest[] = [];
  const clientErrors: string[] = [];
  // A generous header limit, so that very long request targets reach the upstream, which answers them itself.
  const server = http.createServer({ maxHeaderSize: 4 * 1024 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: RawRequest = { method: req.method ?? "", target: req.url ?? "", rawHeaders: [...req.rawHeaders], body: Buffer.concat(chunks), status: 0 };
      requests.push(entry);
      const up = http.request(
        { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: false },
        (answer) => {
          entry.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on("error", () => res.destroy());
      up.end(entry.body);
    });
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    clientErrors.push(err.code ?? err.message);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<import("net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    clientErrors,
    clear: () => {
      requests.length = 0;
      clientErrors.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Header name/value pairs of a raw request. */
export function headerPairs(r: RawRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) out.push([r.rawHeaders[i], r.rawHeaders[i + 1]]);
  return out;
}

/** The path part of a request target (still encoded) and its decoded query parameters. */
export function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const q = target.indexOf("?");
  const path = q >= 0 ? target.slice(0, q) : target;
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const part of target.slice(q + 1).split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      query[decodeURIComponent(eq >= 0 ? part.slice(0, eq) : part)] = eq >= 0 ? decodeURIComponent(part.slice(eq + 1)) : "";
    }
  }
  return { path, query };
}

/** RFC 3986 percent-encoding of one path segment, written out here independently of the package's encoder. */
export function rfc3986(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Points the in-process package at `endpoint` for every product (Alibaba and Huawei), with a fake clock whose
 * sleeps are instant (the emulator checks signature times against real time, which the clock starts at).
 */
export function pointPackageAt(endpoint: string, env: Record<string, string>): { clock: FakeClock; progress: string[]; logs: string[] } {
  const clock = new FakeClock(Date.now());
  const progress: string[] = [];
  const logs: string[] = [];
  setRuntimeOverrides({
    resolve: { config: configFromRecord({}), env: { NODEPOOLS_ENDPOINT: endpoint, ...env }, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    progress: (line) => progress.push(line),
    log: (line) => logs.push(line),
  });
  return { clock, progress, logs };
}
