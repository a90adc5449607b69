/**
 * Transport: HTTPS by default with certificate checks; plain HTTP only for loopback endpoints (the emulator) or when
 * the user explicitly allows it; credentials only in signed headers; the emulator binds to 127.0.0.1 unless told
 * otherwise. No test sends traffic off 127.0.0.1: a non-loopback endpoint is only ever refused, and the opt-in is
 * exercised through an address that is loopback but not written as such (`[::ffff:127.0.0.1]`).
 *
 * The certificate test serves HTTPS with the committed, untrusted, self-signed certificate in
 * tests/reliability/corpus/tls/ (see its README).
 */
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo, Server } from "net";
import * as path from "path";
import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { resetSharedLimiters } from "../../provider/core/http/client";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import {
  assertTransportAllowed,
  configFromRecord,
  resolveAlibabaEndpoint,
  resolveHuaweiEndpoint,
  type AlibabaProduct,
  type ResolveContext,
} from "../../provider/core/settings";
import { CloudEmulator } from "../../provider/emulator";
import { parseCliArgs } from "../../provider/emulator/cli";
import type { EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import type { ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import { handlers, kinds } from "../../provider/handlers";
import { resourceSpecs } from "../../provider/resources/specs";
import { basePool, CLUSTER } from "../support/ack";
import { baseCluster } from "../support/batchcompute";
import { ENS_CLUSTER, ensPool } from "../support/ens";
import { baseNodePool, POOL, PROJECT } from "../support/modelarts";
import { headerPairs, pointPackageAt, rfc3986, startRawCapture, type RawRequest } from "./corpus/raw-capture";

type Props = Record<string, any>;
const REGION = "cn-hangzhou";
const EFLO_CLUSTER = "i118191731740041623425";
const ALIBABA_PRODUCTS: AlibabaProduct[] = ["cs", "ens", "eflo-controller", "batchcompute"];

function ctx(config: Record<string, string> = {}, env: Record<string, string> = {}): ResolveContext {
  return { config: configFromRecord(config), env, homeDir: "/nonexistent", readFile: () => undefined };
}

/** Credentials of every cloud, for runs that must get as far as the transport decision. */
const CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI5tTransportTestKey01",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "TransportTestSecret0001",
  ALICLOUD_REGION: REGION,
  HW_ACCESS_KEY: "HWTRANSPORTTESTAK01",
  HW_SECRET_KEY: "HwTransportTestSecret0001",
  HW_REGION_NAME: "cn-north-4",
  HW_PROJECT_ID: PROJECT,
};

/** A Pulumi id of the right shape for each resource, for reads that never reach a server. */
const SOME_ID: Record<string, string> = {
  "alicloud.ack.NodePool": `${CLUSTER}:np-1`,
  "alicloud.ens.NodePool": `${ENS_CLUSTER}:np-1`,
  "alicloud.eflo.NodeGroup": `${EFLO_CLUSTER}:ng-1`,
  "alicloud.batchcompute.Cluster": "cls-1",
  "huaweicloud.modelarts.NodePool": `${POOL}/nodepool-1`,
};

afterEach(() => {
  setRuntimeOverrides({});
  resetSharedLimiters();
  jest.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------------------------

describe("HTTPS by default", () => {
  it("uses https for every product's default endpoint", () => {
    for (const product of ALIBABA_PRODUCTS) {
      const e = resolveAlibabaEndpoint(ctx(), product, REGION);
      expect({ product, baseUrl: e.baseUrl }).toEqual({ product, baseUrl: expect.stringMatching(/^https:\/\/[a-z0-9.-]+\.aliyuncs\.com$/) });
    }
    expect(resolveHuaweiEndpoint(ctx(), "cn-north-4").baseUrl).toBe("https://modelarts.cn-north-4.myhuaweicloud.com");
  });

  it("assumes https for an endpoint override given as a bare host", () => {
    const e = resolveAlibabaEndpoint(ctx({ "nodepools:endpoints": JSON.stringify({ cs: "cs-vpc.cn-hangzhou.aliyuncs.com" }) }), "cs", REGION);
    expect(e.baseUrl).toBe("https://cs-vpc.cn-hangzhou.aliyuncs.com");
    const h = resolveHuaweiEndpoint(ctx({}, { NODEPOOLS_ENDPOINT_MODELARTS: "modelarts.internal.example" }), "cn-north-4");
    expect(h.baseUrl).toBe("https://modelarts.internal.example");
  });
});

describe("plain http only for loopback endpoints or with an explicit opt-in", () => {
  const NON_LOOPBACK = [
    "http://cs.cn-hangzhou.aliyuncs.com",
    "http://10.0.0.8:8080",
    "http://192.168.1.20",
    "http://0.0.0.0:8080",
    "http://localhost.example.com:8080",
    "http://127.0.0.1.nip.io",
    "http://[2001:db8::1]:8080",
    "http://[::]:8080",
  ];
  const LOOPBACK = ["http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:1234", "http://LOCALHOST", "http://[::1]:8080"];
  const endpoint = (url: string) => ({ ...resolveAlibabaEndpoint(ctx({}, { NODEPOOLS_ENDPOINT: url }), "cs", REGION) });

  it("refuses a non-loopback http:// endpoint with a ConfigurationError that names both opt-in settings", () => {
    for (const url of NON_LOOPBACK) {
      let error: unknown;
      try {
        assertTransportAllowed(ctx({}, { NODEPOOLS_ENDPOINT: url }), endpoint(url));
      } catch (e) {
        error = e;
      }
      expect({ url, type: (error as Error)?.constructor?.name }).toEqual({ url, type: ConfigurationError.name });
      expect((error as Error).message).toMatch(/nodepools:allowInsecureHttp/);
      expect((error as Error).message).toMatch(/NODEPOOLS_ALLOW_INSECURE_HTTP/);
      expect((error as Error).message).toMatch(/environment NODEPOOLS_ENDPOINT uses plain http:\/\//);
    }
  });

  it("allows loopback http:// endpoints (the emulator) without an opt-in, and https:// anywhere", () => {
    for (const url of [...LOOPBACK, "https://cs.cn-hangzhou.aliyuncs.com", "https://10.0.0.8:8443"]) {
      expect(() => assertTransportAllowed(ctx(), endpoint(url))).not.toThrow();
    }
  });

  it("allows a non-loopback http:// endpoint only with nodepools:allowInsecureHttp or NODEPOOLS_ALLOW_INSECURE_HTTP set to true", () => {
    for (const url of NON_LOOPBACK) {
      expect(() => assertTransportAllowed(ctx({ "nodepools:allowInsecureHttp": "true" }), endpoint(url))).not.toThrow();
      expect(() => assertTransportAllowed(ctx({}, { NODEPOOLS_ALLOW_INSECURE_HTTP: "true" }), endpoint(url))).not.toThrow();
      expect(() => assertTransportAllowed(ctx({}, { NODEPOOLS_ALLOW_INSECURE_HTTP: "TRUE" }), endpoint(url))).not.toThrow();
      // Anything but "true" is not an opt-in.
      for (const v of ["1", "yes", "false", ""]) {
        expect(() => assertTransportAllowed(ctx({ "nodepools:allowInsecureHttp": v }, { NODEPOOLS_ALLOW_INSECURE_HTTP: v }), endpoint(url))).toThrow(ConfigurationError);
      }
    }
  });

  it.each(kinds)("%s: refuses before any connection is attempted, through the handlers", async (kind) => {
    const http = require("http");
    const httpsModule = require("https");
    const net = require("net");
    const dns = require("dns");
    const attempts: string[] = [];
    const refuse = (what: string) => () => {
      attempts.push(what);
      throw new Error(`${what} must not be called`);
    };
    jest.spyOn(http, "request").mockImplementation(refuse("http.request"));
    jest.spyOn(httpsModule, "request").mockImplementation(refuse("https.request"));
    jest.spyOn(net, "connect").mockImplementation(refuse("net.connect"));
    jest.spyOn(dns, "lookup").mockImplementation(refuse("dns.lookup"));
    setRuntimeOverrides({ resolve: ctx({}, { ...CREDENTIALS, NODEPOOLS_ENDPOINT: "http://10.0.0.8:8080" }), log: () => undefined, progress: () => undefined });
    const error = await handlers(kind).read(SOME_ID[kind], {}).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error!.message).toMatch(/'pulumi config set nodepools:allowInsecureHttp true'.*'export NODEPOOLS_ALLOW_INSECURE_HTTP=true'/);
    expect(attempts).toEqual([]);
  });

  it.each(kinds)("%s: with the opt-in, an http:// address that is loopback but not written as such is used ([::ffff:127.0.0.1])", async (kind) => {
    const emulator = await CloudEmulator.start();
    try {
      const aliased = emulator.endpoint.replace("127.0.0.1", "[::ffff:127.0.0.1]");
      const env = {
        ...CREDENTIALS,
        ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
        HW_ACCESS_KEY: emulator.credentials.accessKeyId,
        HW_SECRET_KEY: emulator.credentials.accessKeySecret,
        NODEPOOLS_ENDPOINT: aliased,
      };
      // Without the opt-in: refused (the package recognises loopback only by its usual spellings).
      pointPackageAt(aliased, env);
      await expect(handlers(kind).read(SOME_ID[kind], {})).rejects.toThrow(/NODEPOOLS_ALLOW_INSECURE_HTTP/);
      expect(emulator.requests()).toEqual([]);
      // With it: the request goes out over plain http and the emulator answers it.
      pointPackageAt(aliased, { ...env, NODEPOOLS_ALLOW_INSECURE_HTTP: "true" });
      const r = await handlers(kind).read(SOME_ID[kind], {}).then(() => "answered", (e: Error) => e.message);
      expect(emulator.requests().length).toBeGreaterThan(0);
      expect(emulator.requests().every((q) => q.headers.host?.startsWith("[::ffff:7f00:1]:"))).toBe(true);
      expect(typeof r).toBe("string");
    } finally {
      await emulator.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("certificate checks", () => {
  const TLS = path.join(__dirname, "corpus", "tls");
  let server: https.Server;
  let endpoint: string;
  let httpRequests = 0;
  const tlsErrors: string[] = [];

  beforeAll(async () => {
    // Nothing may switch certificate checks off for the whole process.
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    server = https.createServer(
      { key: fs.readFileSync(path.join(TLS, "self-signed.key.pem")), cert: fs.readFileSync(path.join(TLS, "self-signed.cert.pem")) },
      (_req, res) => {
        httpRequests++;
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      },
    );
    server.on("tlsClientError", (e: NodeJS.ErrnoException) => tlsErrors.push(e.code ?? e.message));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(kinds)("%s: a self-signed certificate fails the request with a typed certificate error, never a silent success", async (kind) => {
    const before = httpRequests;
    setRuntimeOverrides({ resolve: ctx({}, { ...CREDENTIALS, NODEPOOLS_ENDPOINT: endpoint }), log: () => undefined, progress: () => undefined });
    const error = await handlers(kind).read(SOME_ID[kind], {}).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(CloudApiError);
    const e = error as CloudApiError;
    expect(e.kind).toBe("client");
    expect(e.attempts).toBe(1); // a certificate problem is not retried
    expect(e.message).toMatch(/the TLS certificate of 127\.0\.0\.1:\d+ was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\)/i);
    expect(e.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    // The handshake failed: not one HTTP request (and so no signed header) reached the server.
    expect(httpRequests).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("credentials travel only in signed headers", () => {
  const STS = {
    accessKeyId: "STS.NTransportStsKeyId0001",
    accessKeySecret: "StsSecret-Never-On-The-Wire-9c1e",
    securityToken: "StsToken-Only-In-Its-Header-5d7a",
    accountId: "5000000000000099",
  };
  let emulator: CloudEmulator;
  let raw: RawRequest[];

  beforeAll(async () => {
    emulator = await CloudEmulator.start({ accounts: [STS] });
    const capture = await startRawCapture(emulator.port);
    emulator.seedCluster({ clusterId: CLUSTER, region: REGION });
    emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER });
    emulator.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: EFLO_CLUSTER, region: REGION, name: "lingjun-a" });
    emulator.service<ModelArtsService>("modelarts").admin.seedPool({ poolName: POOL });
    try {
      const lifecycle: Record<string, { inputs: Props; change: (p: Props) => void }> = {
        "alicloud.ack.NodePool": { inputs: basePool("sts"), change: (p) => (p.scalingGroup.desiredSize = 3) },
        "alicloud.ens.NodePool": { inputs: ensPool("sts"), change: (p) => (p.scalingGroup.desiredSize = 3) },
        "alicloud.eflo.NodeGroup": {
          inputs: { ...structuredClone(resourceSpecs.find((s) => s.name === "alicloud.eflo.NodeGroup")!.example!), clusterId: EFLO_CLUSTER },
          change: (p) => (p.nodeGroup.imageId = "i-image-2"),
        },
        "alicloud.batchcompute.Cluster": { inputs: baseCluster("sts"), change: (p) => (p.groups.workers.desiredVmCount = 3) },
        "huaweicloud.modelarts.NodePool": { inputs: baseNodePool("sts"), change: (p) => (p.spec.resources.count = 3) },
      };
      for (const [kind, { inputs, change }] of Object.entries(lifecycle)) {
        resetSharedLimiters();
        pointPackageAt(capture.endpoint, {
          ALIBABA_CLOUD_ACCESS_KEY_ID: STS.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: STS.securityToken,
          ALICLOUD_REGION: REGION,
          HW_ACCESS_KEY: STS.accessKeyId,
          HW_SECRET_KEY: STS.accessKeySecret,
          HW_SECURITY_TOKEN: STS.securityToken,
          HW_REGION_NAME: "cn-north-4",
          HW_PROJECT_ID: PROJECT,
        });
        const h = handlers(kind);
        const checked = async (p: Props) => {
          const r = await h.check({}, p);
          expect(r.failures ?? []).toEqual([]);
          return r.inputs;
        };
        const { id, outs } = await h.create(await checked(inputs));
        const read = await h.read(id, outs);
        const next = structuredClone(inputs);
        change(next);
        const updated = await h.update(id, read.props!, await checked(next));
        await h.delete(id, updated.outs);
      }
      raw = [...capture.requests];
      expect(capture.clientErrors).toEqual([]);
    } finally {
      await capture.stop();
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** The forms a value could take on the wire: as is, percent-encoded (query, form, path) and base64. */
  const forms = (v: string) => [v, rfc3986(v), encodeURIComponent(v), Buffer.from(v).toString("base64")];
  const where = (r: RawRequest) => ({
    target: r.target,
    body: r.body.toString("utf8"),
    headers: headerPairs(r).map(([n, v]) => [n.toLowerCase(), v] as const),
  });

  it("ran every resource's create, read, update and delete, all accepted by the emulator's signature checks", () => {
    const services = new Set(emulator.requests().map((r) => r.service));
    expect([...services].sort()).toEqual(["ack", "batchcompute", "eflo", "ens", "modelarts"].sort());
    expect(emulator.requests().filter((r) => r.status === 401 || r.status === 403 || /Signature|SecurityToken|AccessKey/i.test(r.code ?? ""))).toEqual([]);
    expect(raw.length).toBeGreaterThan(20);
  });

  it("never sends the access key secret: not in a URL, a query, a body or any header", () => {
    const leaks: string[] = [];
    for (const r of raw) {
      const w = where(r);
      for (const f of forms(STS.accessKeySecret)) {
        if (w.target.includes(f)) leaks.push(`${r.method} ${r.target}: in the URL`);
        if (w.body.includes(f)) leaks.push(`${r.method} ${r.target}: in the body`);
        for (const [name, value] of w.headers) if (value.includes(f)) leaks.push(`${r.method} ${r.target}: in header ${name}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("sends the security token only in its signed header (x-acs-security-token, X-Security-Token)", () => {
    for (const r of raw) {
      const w = where(r);
      for (const f of forms(STS.securityToken)) {
        expect(w.target).not.toContain(f);
        expect(w.body).not.toContain(f);
      }
      const carriers = w.headers.filter(([, v]) => v.includes(STS.securityToken)).map(([n]) => n);
      expect(carriers.length).toBe(1);
      expect(["x-acs-security-token", "x-security-token"]).toContain(carriers[0]);
      // ... and that header is signed.
      const authorization = w.headers.find(([n]) => n === "authorization")?.[1] ?? "";
      if (/^ACS3-HMAC-SHA256 /.test(authorization) || /^SDK-HMAC-SHA256 /.test(authorization)) {
        expect(authorization.toLowerCase()).toMatch(new RegExp(`signedheaders=[^,]*${carriers[0]}`));
      } else {
        // The legacy V1 signature signs every x-acs-* header.
        expect(authorization).toMatch(/^acs [^:]+:/);
        expect(carriers[0]).toMatch(/^x-acs-/);
      }
    }
  });

  it("sends the access key id only in the Authorization header (and x-acs-accesskey-id with STS)", () => {
    for (const r of raw) {
      const w = where(r);
      for (const f of forms(STS.accessKeyId)) {
        expect(w.target).not.toContain(f);
        expect(w.body).not.toContain(f);
      }
      const carriers = w.headers.filter(([, v]) => v.includes(STS.accessKeyId)).map(([n]) => n);
      expect(carriers).toContain("authorization");
      for (const c of carriers) expect(["authorization", "x-acs-accesskey-id"]).toContain(c);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("the emulator binds to 127.0.0.1 unless told otherwise", () => {
  it("CloudEmulator.start() listens on 127.0.0.1", async () => {
    const emulator = await CloudEmulator.start();
    try {
      const address = (emulator as unknown as { server: Server }).server.address() as AddressInfo;
      expect(address.address).toBe("127.0.0.1");
      expect(emulator.host).toBe("127.0.0.1");
      expect(emulator.endpoint).toBe(`http://127.0.0.1:${address.port}`);
    } finally {
      await emulator.stop();
    }
  });

  it("the CLI defaults to 127.0.0.1 and takes another address only from --host", () => {
    expect(parseCliArgs([], {}).host).toBe("127.0.0.1");
    expect(parseCliArgs(["--port", "0"], { NODEPOOLS_EMULATOR_PORT: "8080" }).host).toBe("127.0.0.1");
    expect(parseCliArgs(["--host", "0.0.0.0"], {}).host).toBe("0.0.0.0");
    expect(parseCliArgs(["--host=::1"], {}).host).toBe("::1");
  });
});
