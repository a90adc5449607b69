/**
 * The engine side of the Pulumi language protocol, served in-process over gRPC: `pulumirpc.ResourceMonitor`
 * (what a program's `new Resource(...)` talks to) and `pulumirpc.Engine` (logging, the root stack resource).
 * Requests are decoded into plain objects and handed to a {@link MonitorHandler}; RPCs the test engine does not
 * model answer UNIMPLEMENTED or an error naming the unsupported feature.
 */
import type { PropertyMap } from "./properties";

const grpc = require("@grpc/grpc-js");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engineproto = require("@pulumi/pulumi/proto/engine_pb");

export interface RegisterRequest {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  object: PropertyMap;
  protect?: boolean;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider: string;
  deleteBeforeReplace: boolean;
  deleteBeforeReplaceDefined: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  importId: string;
  retainOnDelete?: boolean;
  replaceOnChanges: string[];
  hideDiffs: string[];
  customTimeouts?: { create: string; update: string; delete: string };
  /** Options this engine refuses: non-empty means the registration fails with a clear error. */
  unsupported: string[];
}

export interface RegisterResponse {
  urn: string;
  id?: string;
  object: PropertyMap;
  failed?: boolean;
}

export interface ReadRequest {
  id: string;
  type: string;
  name: string;
  parent: string;
  properties: PropertyMap;
  dependencies: string[];
  provider: string;
  additionalSecretOutputs: string[];
}

export type Severity = "debug" | "info" | "warning" | "error";

export interface MonitorHandler {
  register(req: RegisterRequest): Promise<RegisterResponse>;
  registerOutputs(urn: string, outputs: PropertyMap): Promise<void>;
  read(req: ReadRequest): Promise<{ urn: string; properties: PropertyMap }>;
  log(severity: Severity, message: string, urn: string, ephemeral: boolean): void;
}

export interface MonitorInfo {
  project: string;
  stack: string;
  dryRun: boolean;
  config: Record<string, string>;
  secretKeys: string[];
}

const SEVERITIES: Severity[] = ["debug", "info", "warning", "error"];

function unary<Req, Resp>(fn: (req: Req) => Promise<Resp> | Resp) {
  return (call: { request: Req }, callback: (err: unknown, resp?: Resp) => void) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (resp) => callback(null, resp),
        (err: any) => callback({ code: err?.grpcCode ?? grpc.status.UNKNOWN, details: err instanceof Error ? err.message : String(err) }),
      );
  };
}

function unsupported(what: string): Error & { grpcCode: number } {
  return Object.assign(new Error(`${what} is not supported by the test engine (tests/engine); run the real pulumi CLI`), {
    grpcCode: grpc.status.UNIMPLEMENTED,
  });
}

function decodeRegister(r: any): RegisterRequest {
  const propertyDependencies: Record<string, string[]> = {};
  r.getPropertydependenciesMap().forEach((v: any, k: string) => (propertyDependencies[k] = v.getUrnsList()));
  const unsupportedOpts: string[] = [];
  if (r.getRemote()) unsupportedOpts.push("remote (multi-language) components");
  if (r.getAliasesList().length || r.getAliasurnsList().length) unsupportedOpts.push("aliases");
  if (r.getDeletedwith()) unsupportedOpts.push("deletedWith");
  if (r.getReplaceWithList().length) unsupportedOpts.push("replaceWith");
  if (r.getReplacementTrigger()) unsupportedOpts.push("replacementTrigger");
  if (r.getTransformsList().length) unsupportedOpts.push("transforms");
  const hooks = r.getHooks();
  if (hooks && Object.values(hooks.toObject()).some((l: any) => Array.isArray(l) && l.length)) unsupportedOpts.push("resource hooks");
  if (r.getProvidersMap().getLength() && !r.getCustom()) unsupportedOpts.push("providers on a component resource");
  if (r.getStateMigrationsList?.().length) unsupportedOpts.push("state migrations");
  const ct = r.getCustomtimeouts();
  return {
    type: r.getType(),
    name: r.getName(),
    parent: r.getParent(),
    custom: r.getCustom(),
    object: r.getObject()?.toJavaScript() ?? {},
    protect: r.getProtect(),
    dependencies: r.getDependenciesList(),
    propertyDependencies,
    provider: r.getProvider(),
    deleteBeforeReplace: r.getDeletebeforereplace(),
    deleteBeforeReplaceDefined: r.getDeletebeforereplacedefined(),
    ignoreChanges: r.getIgnorechangesList(),
    additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
    importId: r.getImportid(),
    retainOnDelete: r.getRetainondelete(),
    replaceOnChanges: r.getReplaceonchangesList(),
    hideDiffs: r.getHidediffsList(),
    customTimeouts: ct ? { create: ct.getCreate(), update: ct.getUpdate(), delete: ct.getDelete() } : undefined,
    unsupported: unsupportedOpts,
  };
}

/** A running gRPC server offering ResourceMonitor and Engine on one 127.0.0.1 port. */
export class MonitorServer {
  private constructor(
    private readonly server: any,
    readonly address: string,
    private readonly shared: { root: string },
  ) {}

  static async start(info: MonitorInfo, handler: MonitorHandler): Promise<MonitorServer> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 256 * 1024 * 1024 });
    const shared = { root: "" };

    server.addService(resrpc.ResourceMonitorService, {
      getDeploymentInfo: unary(() => {
        const resp = new resproto.DeploymentInfo();
        resp.setProject(info.project);
        resp.setStack(info.stack);
        resp.setDryrun(info.dryRun);
        resp.setParallel(1);
        for (const [k, v] of Object.entries(info.config)) resp.getConfigMap().set(k, v);
        resp.setConfigsecretkeysList(info.secretKeys);
        resp.setSupportedfeaturesList([resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS]);
        return resp;
      }),
      supportsFeature: unary((req: any) => {
        const resp = new resproto.SupportsFeatureResponse();
        resp.setHassupport(req.getId() === "secrets");
        return resp;
      }),
      registerResource: unary(async (req: any) => {
        const r = await handler.register(decodeRegister(req));
        const resp = new resproto.RegisterResourceResponse();
        resp.setUrn(r.urn);
        resp.setId(r.id ?? "");
        resp.setObject(structproto.Struct.fromJavaScript(r.object));
        resp.setResult(r.failed ? resproto.Result.FAIL : resproto.Result.SUCCESS);
        return resp;
      }),
      registerResourceOutputs: unary(async (req: any) => {
        await handler.registerOutputs(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        return new emptyproto.Empty();
      }),
      readResource: unary(async (req: any) => {
        const r = await handler.read({
          id: req.getId(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          properties: req.getProperties()?.toJavaScript() ?? {},
          dependencies: req.getDependenciesList(),
          provider: req.getProvider(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        const resp = new resproto.ReadResourceResponse();
        resp.setUrn(r.urn);
        resp.setProperties(structproto.Struct.fromJavaScript(r.properties));
        return resp;
      }),
      invoke: unary((req: any) => {
        throw unsupported(`invoke of ${req.getTok()}`);
      }),
      call: unary((req: any) => {
        throw unsupported(`call of ${req.getTok()}`);
      }),
      registerStackTransform: unary(() => {
        throw unsupported("stack transforms");
      }),
      registerStackInvokeTransform: unary(() => {
        throw unsupported("invoke transforms");
      }),
      registerPackage: unary(() => {
        throw unsupported("parameterized packages");
      }),
      signalAndWaitForShutdown: unary(() => new emptyproto.Empty()),
    });

    server.addService(enginerpc.EngineService, {
      log: unary((req: any) => {
        handler.log(SEVERITIES[req.getSeverity()] ?? "info", req.getMessage(), req.getUrn(), req.getEphemeral());
        return new emptyproto.Empty();
      }),
      getRootResource: unary(() => {
        const resp = new engineproto.GetRootResourceResponse();
        resp.setUrn(shared.root);
        return resp;
      }),
      setRootResource: unary((req: any) => {
        shared.root = req.getUrn();
        return new engineproto.SetRootResourceResponse();
      }),
    });

    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))),
    );
    return new MonitorServer(server, `127.0.0.1:${port}`, shared);
  }

  /** The root (stack) resource's URN, as the program set it. */
  get root(): string {
    return this.shared.root;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 2000);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
