/**
 * The emulator framework beyond ACK: RPC routing and error bodies, pluggable signature checks, services sharing a
 * path, the ManagedState progression rules, and the command-line entry point.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { FakeClock } from "../../provider/core/clock";
import {
  acs3Authenticator,
  ACK_VERSION,
  ApiError,
  CloudEmulator,
  EmulatorClient,
  jsonParam,
  ManagedState,
  ManagedStateTracker,
  ProgressionRegistry,
  REDACTED,
  roaErrorBody,
  rpcErrorBody,
  ServiceFactory,
} from "../../provider/emulator";
import { parseProgression } from "../../provider/emulator/framework";
import { banner, DEFAULT_SEED_CLUSTER, parseCliArgs } from "../../provider/emulator/cli";

const RPC_VERSION = "2020-01-01";

/** An RPC service in the style of ENS / eflo-controller, signed with V3. */
const demoRpc: ServiceFactory = () => ({
  definition: {
    name: "demo",
    aliases: ["Demo"],
    product: "Demo",
    version: RPC_VERSION,
    style: "RPC",
    authenticate: acs3Authenticator,
    renderError: rpcErrorBody,
    unimplementedActions: ["LaterAction"],
    operations: [
      {
        action: "Echo",
        handler: (ctx) => ({
          body: { RequestId: ctx.req.requestId, Params: ctx.params, NodeGroup: jsonParam(ctx, "NodeGroup"), Region: ctx.region ?? null, Account: ctx.account.accountId },
        }),
      },
      {
        action: "Fail",
        handler: () => {
          throw new ApiError(400, "InvalidParameter.NodeGroup", "NodeGroup.Az is required");
        },
      },
    ],
  },
  reset: () => undefined,
});

/** A service with its own (trivial) signature scheme and a ROA path that ACK also serves, told apart by version. */
const legacyRoa: ServiceFactory = () => ({
  definition: {
    name: "legacy",
    product: "Legacy",
    version: "2019-09-09",
    style: "ROA",
    authenticate: (req, accounts) => {
      const auth = req.headers["authorization"];
      const m = typeof auth === "string" ? /^test (\S+)$/.exec(auth) : null;
      if (!m || !accounts.get(m[1])) return { ok: false, status: 403, code: "InvalidAccessKeyId", message: "test auth failed" };
      return { ok: true, accessKeyId: m[1] };
    },
    renderError: (err, ctx) => ({ HostId: ctx.host, Code: err.code, Message: err.message, RequestId: ctx.requestId }),
    operations: [
      { action: "GetCluster", method: "GET", path: "/clusters/{Id}", handler: (ctx) => ({ body: { Id: ctx.pathParams.Id, State: "Active" } }) },
      { action: "ListClusters", method: "GET", path: "/clusters", handler: () => ({ status: 200, body: { Items: [] } }) },
    ],
    claims: (_req, version) => version === "2019-09-09",
  },
  reset: () => undefined,
});

/** An RPC service without signature checks, to show Action and Version read from a form body or the query. */
const openRpc: ServiceFactory = () => ({
  definition: {
    name: "open",
    product: "Open",
    version: "2021-06-01",
    style: "RPC",
    authenticate: (_req, accounts) => ({ ok: true, accessKeyId: accounts.all()[0].accessKeyId }),
    renderError: rpcErrorBody,
    operations: [{ action: "Ping", handler: (ctx) => ({ body: { Pong: ctx.params.Word ?? null } }) }],
  },
  reset: () => undefined,
});

describe("RPC services", () => {
  let emulator: CloudEmulator;
  let client: EmulatorClient;
  beforeAll(async () => {
    emulator = await CloudEmulator.start({ extraServices: [demoRpc, legacyRoa, openRpc] });
    client = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.reset());

  it("routes POST / by x-acs-action and passes query parameters, with object parameters as JSON strings", async () => {
    const r = await client.rpc({ action: "Echo", version: RPC_VERSION, params: { ClusterId: "c1", RegionId: "cn-wulanchabu", NodeGroup: { Az: "cn-wulanchabu-a", LoginPassword: "pw!" } } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ Params: { ClusterId: "c1" }, NodeGroup: { Az: "cn-wulanchabu-a" }, Region: "cn-wulanchabu" });
    expect(r.json.RequestId).toBe(r.headers["x-acs-request-id"]);
  });

  it("reads parameters from a form body", async () => {
    const r = await client.rpc({ action: "Echo", version: RPC_VERSION, params: { ClusterId: "c 2+", NodeGroup: { Az: "z" } }, placement: "form" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ Params: { ClusterId: "c 2+" }, NodeGroup: { Az: "z" } });
  });

  it("finds Action and Version in a form body or in the query when no x-acs-action header is sent", async () => {
    const host = new URL(emulator.endpoint).host;
    const form = await client.send("POST", "/", { host, "content-type": "application/x-www-form-urlencoded" }, "Action=Ping&Version=2021-06-01&Word=hi+there");
    expect(form.json).toEqual({ Pong: "hi there" });
    const query = await client.send("GET", "/?Action=Ping&Version=2021-06-01&Word=q", { host }, "");
    expect(query.json).toEqual({ Pong: "q" });
    expect(emulator.requests({ service: "open" }).map((r) => r.action)).toEqual(["Ping", "Ping"]);
  });

  it("answers errors with the RPC body: Code, Message, RequestId, HostId and Recommend", async () => {
    const r = await client.rpc({ action: "Fail", version: RPC_VERSION, params: {} });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      Code: "InvalidParameter.NodeGroup",
      Message: "NodeGroup.Az is required",
      RequestId: r.headers["x-acs-request-id"],
      HostId: new URL(emulator.endpoint).host,
      Recommend: expect.stringContaining("InvalidParameter.NodeGroup"),
    });
  });

  it("answers InvalidAction.NotFound, NotImplemented, InvalidVersion and MissingParameter in RPC style", async () => {
    const unknown = await client.rpc({ action: "Nope", version: RPC_VERSION, params: {} });
    expect([unknown.status, unknown.json.Code]).toEqual([404, "InvalidAction.NotFound"]);
    const later = await client.rpc({ action: "LaterAction", version: RPC_VERSION, params: {} });
    expect([later.status, later.json.Code]).toEqual([501, "NotImplemented"]);
    const version = await client.rpc({ action: "Echo", version: "1999-01-01", params: {} });
    expect([version.status, version.json.Code]).toEqual([400, "InvalidVersion"]);
    const missing = await client.send("POST", "/", { host: new URL(emulator.endpoint).host }, "");
    expect([missing.status, missing.json.code ?? missing.json.Code]).toEqual([400, "MissingParameter"]);
  });

  it("answers a bad signature in RPC style", async () => {
    const r = await client.with({ accessKeySecret: "nope" }).rpc({ action: "Echo", version: RPC_VERSION, params: {} });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ Code: "SignatureDoesNotMatch", RequestId: r.headers["x-acs-request-id"] });
  });

  it("redacts LoginPassword inside JSON-string parameters and the query in the request log", async () => {
    await client.rpc({ action: "Echo", version: RPC_VERSION, params: { LoginPassword: "top", NodeGroup: { LoginPassword: "pw!" } } });
    await client.rpc({ action: "Echo", version: RPC_VERSION, params: { NodeGroup: { LoginPassword: "pw2" } }, placement: "form" });
    const [q, f] = emulator.requests({ service: "Demo" });
    expect(q.query.LoginPassword).toBe(REDACTED);
    expect(JSON.parse(q.query.NodeGroup)).toEqual({ LoginPassword: REDACTED });
    expect(JSON.parse((f.body as Record<string, string>).NodeGroup)).toEqual({ LoginPassword: REDACTED });
    expect(JSON.stringify(emulator.requests())).not.toMatch(/pw!|pw2|"top"/);
  });

  it("applies faults and rate limits to RPC actions, answering in RPC style", async () => {
    emulator.injectFault({ service: "demo", action: "Echo", status: 503, code: "ServiceUnavailable" });
    const faulted = await client.rpc({ action: "Echo", version: RPC_VERSION, params: {} });
    expect([faulted.status, faulted.json.Code]).toEqual([503, "ServiceUnavailable"]);
    emulator.setRateLimit({ service: "demo", perSecond: 1 });
    expect((await client.rpc({ action: "Echo", version: RPC_VERSION, params: {} })).status).toBe(200);
    const throttled = await client.rpc({ action: "Echo", version: RPC_VERSION, params: {} });
    expect([throttled.status, throttled.json.Code, throttled.json.Message]).toEqual([400, "Throttling.User", "Request was denied due to user flow control."]);
    expect(Number(throttled.headers["x-acs-retry-after"])).toBeGreaterThan(0);
  });

  it("routes a path two services share by x-acs-version and uses each service's own signature check", async () => {
    const host = new URL(emulator.endpoint).host;
    const legacy = await client.send("GET", "/clusters/cls-1", { host, "x-acs-version": "2019-09-09", authorization: `test ${emulator.credentials.accessKeyId}` }, "");
    expect(legacy.json).toEqual({ Id: "cls-1", State: "Active" });
    const denied = await client.send("GET", "/clusters/cls-1", { host, "x-acs-version": "2019-09-09", authorization: "test LTAI-nobody" }, "");
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ Code: "InvalidAccessKeyId", HostId: host });
    // ACK still owns its own routes under its version.
    emulator.seedCluster({ clusterId: "c1" });
    const ack = await client.roa({ action: "DescribeClusterNodePools", version: ACK_VERSION, method: "GET", path: "/clusters/c1/nodepools" });
    expect(ack.json).toEqual({ nodepools: [] });
    expect(emulator.requests().map((r) => r.service)).toEqual(["legacy", "legacy", "ack"]);
  });
});

describe("error bodies", () => {
  it("formats ROA errors as code, message and requestId", () => {
    expect(roaErrorBody(new ApiError(404, "ErrorClusterNotFound", "m"), { requestId: "R", host: "h" })).toEqual({ code: "ErrorClusterNotFound", message: "m", requestId: "R" });
  });
});

describe("progression rules", () => {
  function setup(p: Parameters<ProgressionRegistry["set"]>[0]) {
    const clock = new FakeClock();
    const progression = new ProgressionRegistry(p);
    const tracker = new ManagedStateTracker();
    const settled: string[] = [];
    const make = (name: string, model = "m.one") => new ManagedState({ clock, progression, tracker }, model, () => settled.push(name)).start();
    return { clock, progression, tracker, settled, make };
  }

  it("settles immediately when started under immediate progression", () => {
    const { make, settled } = setup({ kind: "immediate" });
    expect(make("a").settled).toBe(true);
    expect(settled).toEqual(["a"]);
  });

  it("settles on the first observation under polls with count 0, and after count observations otherwise", () => {
    const { make, progression } = setup({ kind: "polls", count: 0 });
    const a = make("a");
    expect(a.settled).toBe(false);
    expect(a.peek()).toBe(false);
    expect(a.observe()).toBe(true);
    progression.set({ kind: "polls", count: 2 });
    const b = make("b");
    expect([b.observe(), b.observe(), b.observe()]).toEqual([false, false, true]);
  });

  it("settles once the time has passed on the injected clock, without any poll", () => {
    const { make, clock, tracker } = setup({ kind: "time", ms: 1000 });
    const a = make("a");
    clock.advance(999);
    tracker.sweep();
    expect(a.settled).toBe(false);
    clock.advance(1);
    tracker.sweep();
    expect(a.settled).toBe(true);
  });

  it("moves manual states only when advanced, optionally only for one model or model prefix", () => {
    const { make, tracker, settled } = setup({ kind: "manual" });
    const a = make("a", "ack.nodepool");
    const b = make("b", "ens.nodepool");
    expect(a.observe()).toBe(false);
    expect(tracker.advance("ack.")).toBe(1);
    expect(settled).toEqual(["a"]);
    expect(tracker.advance()).toBe(1);
    expect(b.settled).toBe(true);
    expect(tracker.advance()).toBe(0);
  });

  it("looks per-model overrides up through aliases and clears them when the default is set", () => {
    const { progression } = setup({ kind: "immediate" });
    progression.alias("ack.task", "ack.nodepool");
    progression.set({ kind: "manual" }, "ack.task");
    expect(progression.get("ack.nodepool")).toEqual({ kind: "manual" });
    expect(progression.get("other")).toEqual({ kind: "immediate" });
    progression.set({ kind: "polls", count: 1 });
    expect(progression.get("ack.nodepool")).toEqual({ kind: "polls", count: 1 });
    progression.reset();
    expect(progression.get("ack.nodepool")).toEqual({ kind: "immediate" });
  });

  it("rejects malformed progressions", () => {
    expect(() => parseProgression({ kind: "polls" })).toThrow(/count/);
    expect(() => parseProgression({ kind: "time", ms: -1 })).toThrow(/ms/);
    expect(() => parseProgression({ kind: "later" })).toThrow(/unknown/);
  });
});

describe("command line", () => {
  it("defaults to 127.0.0.1, a free port and one seeded cluster", () => {
    expect(parseCliArgs([], {})).toEqual({ host: "127.0.0.1", port: 0, region: "cn-hangzhou", clusters: [DEFAULT_SEED_CLUSTER], progression: { kind: "immediate" } });
  });

  it("reads the port from NODEPOOLS_EMULATOR_PORT, lets --port win, and repeats --seed-cluster", () => {
    expect(parseCliArgs([], { NODEPOOLS_EMULATOR_PORT: "8181" }).port).toBe(8181);
    const o = parseCliArgs(["--port", "9000", "--host=0.0.0.0", "--seed-cluster", "c1", "--seed-cluster=c2", "--progression", "polls:3"], { NODEPOOLS_EMULATOR_PORT: "8181" });
    expect(o).toMatchObject({ port: 9000, host: "0.0.0.0", clusters: ["c1", "c2"], progression: { kind: "polls", count: 3 } });
    expect(() => parseCliArgs(["--bogus"], {})).toThrow(/unknown option/);
    expect(() => parseCliArgs(["--port", "x"], {})).toThrow(/invalid port/);
  });

  it("prints the endpoint, the test key and the exports a user needs", async () => {
    const emulator = await CloudEmulator.start();
    try {
      const text = banner(emulator, parseCliArgs(["--seed-cluster", "c-demo"], {}));
      expect(text).toContain(`export NODEPOOLS_ENDPOINT=${emulator.endpoint}`);
      expect(text).toContain(`export ALIBABA_CLOUD_ACCESS_KEY_ID=${emulator.credentials.accessKeyId}`);
      expect(text).toContain(`export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${emulator.credentials.accessKeySecret}`);
      expect(text).toContain("export ALICLOUD_REGION=cn-hangzhou");
      expect(text).toContain("c-demo");
    } finally {
      await emulator.stop();
    }
  });

  it("runs as a process that serves the seeded clusters until it is stopped", async () => {
    const root = path.resolve(__dirname, "../..");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "provider/emulator/cli.ts", "--seed-cluster", "c-one", "--seed-cluster", "c-two"], {
      cwd: root,
      env: { ...process.env, NODEPOOLS_EMULATOR_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const m = /export NODEPOOLS_ENDPOINT=(\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${err}`)));
      });
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const clusters = (await (await fetch(`${endpoint}/_emulator/clusters`)).json()) as Array<{ clusterId: string }>;
      expect(clusters.map((c) => c.clusterId)).toEqual(["c-one", "c-two"]);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
