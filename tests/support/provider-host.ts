/**
 * Drives the real `@pulumi/pulumi` dynamic-provider host over gRPC, as the Pulumi engine does: spawn it in a
 * chosen directory, Configure with the stack config, then Check / Diff / Create / Read / Update / Delete.
 * Used by the protocol tests and by the test engine.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";

const grpc = require("@grpc/grpc-js");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");

type Props = Record<string, any>;

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function secretValue(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** A failed Create/Update that still created something: the engine records `id` with these properties. */
export class InitFailedError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

export interface DiffResponse {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ProviderHostOptions {
  /** Working directory of the host: where `require("pulumi-nodepools/handlers")` is resolved from. */
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Receives everything the host prints (provider progress lines, errors). */
  onOutput?: (line: string) => void;
  /** The host is killed if it has not printed its port within this time (default 30 s). */
  startTimeoutMs?: number;
  /** gRPC deadline of every call (default: none). */
  callTimeoutMs?: number;
}

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly callTimeoutMs?: number,
  ) {}

  static async start(opts: ProviderHostOptions): Promise<ProviderHost> {
    const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    // The engine address is never dialled by the dynamic-provider host.
    const child = spawn(process.execPath, [hostScript, "127.0.0.1:1"], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const port = await new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`dynamic-provider host did not listen within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      let buf = "";
      const onData = (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf("\n");
        if (nl >= 0 && !/^\d+$/.test(buf.slice(0, nl).trim())) return;
        if (nl >= 0) {
          child.stdout!.off("data", onData);
          const rest = buf.slice(nl + 1);
          if (rest) opts.onOutput?.(rest);
          child.stdout!.on("data", (x: Buffer) => opts.onOutput?.(x.toString()));
          resolve(Number(buf.slice(0, nl).trim()));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (d: Buffer) => opts.onOutput?.(d.toString()));
      child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code} before listening`)));
      child.once("error", reject);
    }).finally(() => clearTimeout(timer));
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, opts.callTimeoutMs);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const options = this.callTimeoutMs ? { deadline: Date.now() + this.callTimeoutMs } : {};
      this.client[method](req, options, (err: any, resp: T) => (err ? reject(decodeError(err, method)) : resolve(resp)));
    });
  }

  /** Configure with the full stack config (namespaced keys); secret values may be wrapped with secretValue(). */
  async configure(config: Record<string, unknown>): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(structproto.Struct.fromJavaScript(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    for (const [k, v] of Object.entries(config)) {
      if (typeof v === "string") req.getVariablesMap().set(k, v);
    }
    await this.call("configure", req);
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const resp: any = await this.call("check", req);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? {},
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<DiffResponse> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    req.setOldInputs(structproto.Struct.fromJavaScript(oldInputs));
    const resp: any = await this.call("diff", req);
    const changes = resp.getChanges();
    return {
      changes: changes === 1 ? "none" : changes === 2 ? "some" : "unknown",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: Props, timeoutSeconds = 0): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(structproto.Struct.fromJavaScript(props));
    req.setTimeout(timeoutSeconds);
    const resp: any = await this.call("create", req);
    return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async read(urn: string, id: string, props: Props, inputs: Props = {}): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(structproto.Struct.fromJavaScript(props));
    req.setInputs(structproto.Struct.fromJavaScript(inputs));
    const resp: any = await this.call("read", req);
    return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.getInputs()?.toJavaScript() };
  }

  async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    req.setOldInputs(structproto.Struct.fromJavaScript(oldInputs));
    const resp: any = await this.call("update", req);
    return resp.getProperties()?.toJavaScript() ?? {};
  }

  async delete(urn: string, id: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(structproto.Struct.fromJavaScript(props));
    await this.call("delete", req);
  }

  /** Stops the host; `signal` SIGKILL simulates a cancelled CI job. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      // A host that ignores the signal is killed outright after 3 s.
      const force = setTimeout(() => this.child.kill("SIGKILL"), 3000);
      this.child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      this.child.kill(signal);
    });
  }
}

function decodeError(err: any, method: string): Error {
  const bin = err?.metadata?.get?.("grpc-status-details-bin")?.[0];
  if (bin) {
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
        const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return new InitFailedError(err.details ?? err.message, d.getId(), d.getProperties()?.toJavaScript() ?? {}, d.getReasonsList());
      }
    }
  }
  const deadline = err?.code === grpc.status.DEADLINE_EXCEEDED;
  const e = new Error(deadline ? `${method}: the dynamic-provider host did not answer in time` : (err?.details ?? err?.message ?? String(err)));
  (e as any).code = err?.code;
  return e;
}

/** Directory of this checkout (for linking the package into a temporary project). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A fresh directory outside the checkout whose node_modules links this package: a host started there finds it by name. */
export function dirLinkedToCheckout(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-nodepools"), "dir");
  return dir;
}

/**
 * A provider host started in a fresh directory outside the checkout, with the package linked into its node_modules:
 * the host finds the package by name through node_modules only. Remove `dir` when done.
 */
export async function startHostOutsideCheckout(prefix: string, onOutput?: (line: string) => void): Promise<{ host: ProviderHost; dir: string }> {
  const dir = dirLinkedToCheckout(prefix);
  const host = await ProviderHost.start({ cwd: dir, env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" }, onOutput });
  return { host, dir };
}

/** One RegisterResource call as the mock monitor saw it. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

/**
 * Runs `program` under Pulumi's mock monitor and returns every resource it registered, inputs (with `__provider`) as
 * `pulumi.dynamic.Resource` sends them. `env` is set in the process environment while the program runs: credentials
 * there must never be captured into the serialized provider.
 */
export async function registrations(program: () => Promise<pulumi.Resource[]>, env: Record<string, string> = {}): Promise<Registration[]> {
  const p: typeof pulumi = require("@pulumi/pulumi");
  const seen: Registration[] = [];
  await p.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-mock`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  );
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const made = await program();
    await Promise.all(made.map((r) => new Promise<void>((resolve) => r.urn.apply(() => resolve()))));
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return seen;
}

/** The `__provider` text of the first registration that has one; fails unless it is a plain string. */
export function providerTextOf(seen: Registration[]): string {
  const text = seen.find((r) => r.inputs.__provider !== undefined)?.inputs.__provider;
  if (typeof text !== "string") throw new Error(`__provider was not a string: ${typeof text}`);
  return text;
}
