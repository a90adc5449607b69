import * as http from "http";
import { AddressInfo } from "net";
import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, ConfigurationError, UnknownOutcomeError } from "../../provider/core/errors";
import {
  ATTEMPT_HEADER,
  HttpClientOptions,
  HttpRequest,
  Signer,
  createHttpClient,
  createRateLimiter,
  createWindowLimiter,
  encodeQuery,
  parseCommonErrorBody,
  resetSharedLimiters,
  sharedLimiter,
} from "../../provider/core/http/client";
import {
  AUTH_CODES,
  DEFAULT_RETRY_POLICY,
  NETWORK_ERROR_CODES,
  THROTTLING_CODES,
  TRANSIENT_CODES,
  TRANSIENT_STATUSES,
  classifyError,
  classifyTransportFailure,
  computeBackoffDelay,
  networkErrorCode,
  parseRetryAfter,
} from "../../provider/core/http/retry";
import { redact, redactObject } from "../../provider/core/redact";

// ---------------------------------------------------------------------------------------------
// A scripted HTTP server on 127.0.0.1: handler n answers request n (the last one repeats).

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, received: Received) => void;

interface Scripted {
  baseUrl: string;
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

const servers: http.Server[] = [];

async function listen(server: http.Server, port = 0): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function scriptedServer(...handlers: Handler[]): http.Server & { requests: Received[] } {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(received);
      handlers[Math.min(requests.length - 1, handlers.length - 1)](req, res, received);
    });
  });
  return Object.assign(server, { requests });
}

async function startServer(...handlers: Handler[]): Promise<Scripted> {
  const server = scriptedServer(...handlers);
  const port = await listen(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    requests: server.requests,
    close: () => closeServer(server),
  };
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).filter((s) => s.listening).map(closeServer));
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

const raw =
  (status: number, body: string, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/** Accepts the full request, then drops the connection without answering. */
const destroySocket: Handler = (req) => {
  req.socket.destroy();
};

/** Accepts the full request and never answers. */
const neverAnswer: Handler = () => undefined;

interface Harness {
  signer: Signer;
  signatures: { date: Date; nonce: string; headers: Record<string, string> }[];
  logs: string[];
  clock: FakeClock;
}

function harness(rng: () => number = () => 0.5): Harness {
  const signatures: Harness["signatures"] = [];
  const signer: Signer = (req, attempt) => {
    signatures.push({ ...attempt, headers: req.headers });
    return {
      ...req.headers,
      "x-test-date": attempt.date.toISOString(),
      "x-test-nonce": attempt.nonce,
      authorization: `TEST ak:${attempt.nonce}`,
    };
  };
  return { signer, signatures, logs: [], clock: new FakeClock(Date.UTC(2026, 0, 1), rng) };
}

function client(baseUrl: string, h: Harness, extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    baseUrl,
    signer: h.signer,
    parseError: parseCommonErrorBody,
    requestIdHeader: "x-acs-request-id",
    clock: h.clock,
    log: (line) => h.logs.push(line),
    ...extra,
    retry: { attemptTimeoutMs: 2000, ...(extra.retry ?? {}) },
  });
}

const get: HttpRequest = { operation: "DescribeClusterNodePools", method: "GET", path: "/clusters/c1/nodepools", mutating: false };
const post: HttpRequest = {
  operation: "CreateClusterNodePool",
  method: "POST",
  path: "/clusters/c1/nodepools",
  body: JSON.stringify({ nodepool_info: { name: "np" } }),
  headers: { "content-type": "application/json" },
  mutating: true,
};

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

describe("classifyError", () => {
  it.each([
    [400, "Throttling.User", "throttling"],
    [400, "Throttling", "throttling"],
    [400, "Throttling.Api", "throttling"],
    [400, "Rejected.Throttling", "throttling"],
    [503, "Throttling.Something.New", "throttling"],
    [429, "APIG.0308", "throttling"],
    [429, "APIGW.0308", "throttling"],
    [429, undefined, "throttling"],
    [503, "ServiceUnavailable", "transient"],
    [500, "InternalError", "transient"],
    [504, "APIGW.0201", "transient"],
    [502, undefined, "transient"],
    [400, "SignatureDoesNotMatch", "auth"],
    [404, "InvalidAccessKeyId.NotFound", "auth"],
    [403, "Forbidden.RAM", "auth"],
    [400, "InvalidSecurityToken.Expired", "auth"],
    [401, "APIGW.0301", "auth"],
    [401, "APIGW.0303", "auth"],
    [403, undefined, "auth"],
    [404, undefined, "notFound"],
    [404, "ModelArts.50015001", "notFound"],
    [400, "ErrorNodePoolNotFound", "notFound"],
    [409, "StateConflict", "conflict"],
    [400, "InvalidParameter", "client"],
    [501, undefined, "client"],
  ])("classifies HTTP %s with code %s as %s", (status, code, kind) => {
    expect(classifyError({ status, code, notFoundCodes: ["ErrorNodePoolNotFound"] })).toBe(kind);
  });

  it("adds per-cloud throttling codes", () => {
    expect(classifyError({ status: 400, code: "Flow.Limited" })).toBe("client");
    expect(classifyError({ status: 400, code: "Flow.Limited", extraThrottlingCodes: ["Flow.Limited"] })).toBe("throttling");
  });

  it("exports the classification tables", () => {
    expect(THROTTLING_CODES).toEqual(expect.arrayContaining(["Throttling", "Throttling.User", "APIG.0308", "APIGW.0308"]));
    expect(TRANSIENT_CODES).toEqual(["ServiceUnavailable", "InternalError", "APIGW.0201"]);
    expect(TRANSIENT_STATUSES).toEqual([500, 502, 503, 504]);
    expect(AUTH_CODES).toContain("InvalidSecurityToken.*");
    expect(NETWORK_ERROR_CODES).toEqual(expect.arrayContaining(["ECONNRESET", "ECONNREFUSED", "socket hang up", "ERR_SOCKET_CONNECTION_TIMEOUT"]));
  });
});

describe("networkErrorCode and classifyTransportFailure", () => {
  it("finds a network code on the error, in its message, or along its cause chain", () => {
    expect(networkErrorCode(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(networkErrorCode(new Error("socket hang up"))).toBe("socket hang up");
    expect(networkErrorCode(new Error("outer", { cause: Object.assign(new Error("inner"), { code: "EPIPE" }) }))).toBe("EPIPE");
    expect(networkErrorCode(new Error("certificate has expired"))).toBeUndefined();
  });

  it.each([
    [{ mutating: true, written: false, timedOut: false, networkCode: "ECONNREFUSED" }, "retry"],
    [{ mutating: true, written: true, timedOut: false, networkCode: "ECONNREFUSED" }, "retry"],
    [{ mutating: true, written: false, timedOut: false, networkCode: "ECONNRESET" }, "retry"],
    [{ mutating: true, written: true, timedOut: false, networkCode: "ECONNRESET" }, "unknownOutcome"],
    [{ mutating: true, written: true, timedOut: true }, "unknownOutcome"],
    [{ mutating: true, written: true, timedOut: false }, "unknownOutcome"],
    [{ mutating: false, written: true, timedOut: true }, "retry"],
    [{ mutating: false, written: true, timedOut: false, networkCode: "socket hang up" }, "retry"],
    [{ mutating: false, written: false, timedOut: false }, "fail"],
  ])("decides %j -> %s", (failure, decision) => {
    expect(classifyTransportFailure(failure)).toBe(decision);
  });
});

describe("computeBackoffDelay", () => {
  const policy = DEFAULT_RETRY_POLICY;

  it("uses full jitter under a ceiling that doubles per retry and is capped at maxDelayMs", () => {
    expect(computeBackoffDelay(0, "transient", policy, 0)).toBe(0);
    expect(computeBackoffDelay(0, "transient", policy, 0.999999)).toBe(199);
    expect(computeBackoffDelay(3, "transient", policy, 0.5)).toBe(800);
    expect(computeBackoffDelay(20, "transient", policy, 0.999999)).toBe(19_999);
    expect(computeBackoffDelay(2000, "transient", policy, 0.5)).toBe(10_000);
  });

  it("uses the larger throttling base for throttling errors", () => {
    expect(computeBackoffDelay(0, "throttling", policy, 0.5)).toBe(500);
    expect(computeBackoffDelay(2, "throttling", policy, 0.5)).toBe(2000);
  });

  it("waits at least a server hint, capped at twice maxDelayMs and 120 s", () => {
    expect(computeBackoffDelay(0, "throttling", policy, 0.5, 1500)).toBe(1500);
    expect(computeBackoffDelay(0, "throttling", policy, 0.5, 100)).toBe(500);
    expect(computeBackoffDelay(0, "throttling", policy, 0.5, 3_600_000)).toBe(40_000);
    expect(computeBackoffDelay(0, "throttling", { ...policy, maxDelayMs: 100_000 }, 0.5, 3_600_000)).toBe(120_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 0, 1);
  it("reads x-acs-retry-after as milliseconds and Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter({ "x-acs-retry-after": "1500" }, now)).toBe(1500);
    expect(parseRetryAfter({ "retry-after": "3" }, now)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": new Date(now + 7000).toUTCString() }, now)).toBe(7000);
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
});

describe("createHttpClient", () => {
  it("retries a Throttling.User answer and waits at least the x-acs-retry-after hint", async () => {
    const server = await startServer(
      json(400, { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "r1" }, { "x-acs-retry-after": "1500" }),
      json(200, { nodepools: [] }, { "x-acs-request-id": "r2" }),
    );
    const h = harness();
    const res = await client(server.baseUrl, h).request(get);
    expect(res).toMatchObject({ status: 200, data: { nodepools: [] }, requestId: "r2", attempts: 2 });
    expect(h.clock.sleeps).toHaveLength(1);
    expect(h.clock.sleeps[0]).toBeGreaterThanOrEqual(1500);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on repeated 503 after maxAttempts and rethrows the last error with attempts", async () => {
    let n = 0;
    const server = await startServer((req, res, received) => {
      n++;
      json(503, { Code: "ServiceUnavailable", Message: `busy ${n}`, RequestId: `rid-${n}` })(req, res, received);
    });
    const h = harness();
    const err = await client(server.baseUrl, h, { retry: { maxAttempts: 4 } })
      .request(get)
      .catch((e) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ kind: "transient", status: 503, code: "ServiceUnavailable", requestId: "rid-4", attempts: 4 });
    expect(err.cloudMessage).toBe("busy 4");
    expect(server.requests).toHaveLength(4);
    expect(h.clock.sleeps).toHaveLength(3);
  });

  it("retries a 500 InternalError", async () => {
    const server = await startServer(json(500, { Code: "InternalError", Message: "oops" }), json(200, { ok: true }));
    const res = await client(server.baseUrl, harness()).request(post);
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a read whose connection is reset before any response", async () => {
    const server = await startServer(destroySocket, json(200, { ok: true }));
    const res = await client(server.baseUrl, harness()).request(get);
    expect(res).toMatchObject({ data: { ok: true }, attempts: 2 });
  });

  it("retries a read that gets no answer within attemptTimeoutMs", async () => {
    const server = await startServer(neverAnswer, json(200, { ok: true }));
    const res = await client(server.baseUrl, harness(), { retry: { attemptTimeoutMs: 50 } }).request(get);
    expect(res.attempts).toBe(2);
  });

  it("raises UnknownOutcomeError without retrying when a mutating request is sent and the connection then drops", async () => {
    const server = await startServer(destroySocket, json(200, { ok: true }));
    const err = await client(server.baseUrl, harness()).request(post).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err).toMatchObject({ kind: "timeout", operation: "CreateClusterNodePool", attempts: 1 });
    expect(err.message).toContain("may or may not have applied it");
    await delay(50);
    expect(server.requests).toHaveLength(1);
  });

  it("raises UnknownOutcomeError without retrying when a mutating request gets no answer in time", async () => {
    const server = await startServer(neverAnswer, json(200, { ok: true }));
    const err = await client(server.baseUrl, harness(), { retry: { attemptTimeoutMs: 50 } })
      .request(post)
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err.message).toContain("no complete response within 50ms");
    await delay(50);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toBe(post.body);
  });

  it("raises UnknownOutcomeError for a mutating request answered by a gateway timeout, but retries a read", async () => {
    const gateway = json(504, { error_code: "APIGW.0201", error_msg: "backend timeout", request_id: "hw-1" });
    const server = await startServer(gateway, gateway, json(200, { ok: true }));
    const c = client(server.baseUrl, harness());
    const err = await c.request(post).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err).toMatchObject({ status: 504, code: "APIGW.0201", requestId: "hw-1" });
    expect(server.requests).toHaveLength(1);
    await expect(c.request(get)).resolves.toMatchObject({ attempts: 2 });
  });

  it("retries a mutating request whose connection was refused, because nothing was sent", async () => {
    const reserve = http.createServer();
    const port = await listen(reserve);
    await closeServer(reserve);
    const late = scriptedServer(json(200, { created: "np-1" }));
    class StartServerWhileSleeping extends FakeClock {
      override async sleep(ms: number): Promise<void> {
        await super.sleep(ms);
        if (!late.listening) await listen(late, port);
      }
    }
    const h = harness();
    h.clock = new StartServerWhileSleeping();
    const res = await client(`http://127.0.0.1:${port}`, h).request(post);
    expect(res).toMatchObject({ data: { created: "np-1" }, attempts: 2 });
    expect(late.requests).toHaveLength(1);
    expect(h.logs[0]).toMatch(/CreateClusterNodePool POST \/clusters\/c1\/nodepools -> no response ECONNREFUSED .*attempt 1\/6: transient, retrying in \d+ms/);
  });

  it("signs every attempt afresh with a new date and nonce", async () => {
    const server = await startServer(json(503, {}), json(400, { Code: "Throttling" }), json(200, {}));
    const h = harness();
    await client(server.baseUrl, h).request(get);
    expect(h.signatures).toHaveLength(3);
    const nonces = h.signatures.map((s) => s.nonce);
    expect(new Set(nonces).size).toBe(3);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const dates = h.signatures.map((s) => s.date.getTime());
    expect(dates[0]).toBe(Date.UTC(2026, 0, 1));
    expect(dates[1]).toBeGreaterThan(dates[0]);
    expect(dates[2]).toBeGreaterThan(dates[1]);
    expect(server.requests.map((r) => r.headers["x-test-nonce"])).toEqual(nonces);
    expect(server.requests.map((r) => r.headers[ATTEMPT_HEADER])).toEqual(["1/6", "2/6", "3/6"]);
    expect(new Set(server.requests.map((r) => r.headers["x-nodepools-invocation-id"])).size).toBe(1);
  });

  it("sends the path as given, the query RFC 3986-encoded, and the body bytes exactly", async () => {
    const server = await startServer(raw(204, ""));
    const body = Buffer.from('{"name":"n\u00e9 *"}');
    const res = await client(server.baseUrl, harness()).request({
      operation: "ModifyClusterNodePool",
      method: "PUT",
      path: "/clusters/c%2F1/nodepools/np-1",
      query: { b: "x y*", a: "1" },
      body,
      mutating: true,
    });
    expect(res).toMatchObject({ status: 204, data: undefined, attempts: 1 });
    expect(server.requests[0].url).toBe("/clusters/c%2F1/nodepools/np-1?a=1&b=x%20y%2A");
    expect(Buffer.from(server.requests[0].body)).toEqual(body);
    expect(server.requests[0].headers["user-agent"]).toBe("pulumi-nodepools");
    expect(encodeQuery({ k: "!'()~" })).toBe("k=%21%27%28%29~");
  });

  it("retries a read whose 2xx body is not JSON and then reports it clearly", async () => {
    const server = await startServer(raw(200, "<html>maintenance</html>", { "content-type": "text/html" }));
    const err = await client(server.baseUrl, harness(), { retry: { maxAttempts: 2 } })
      .request(get)
      .catch((e) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ kind: "transient", status: 200, attempts: 2 });
    expect(err.message).toContain("response body is not valid JSON (content-type text/html, 24 bytes): <html>maintenance</html>");
  });

  it("raises UnknownOutcomeError when a mutating request gets a 2xx body that is not JSON", async () => {
    const server = await startServer(raw(200, "{truncated", { "x-acs-request-id": "rid-x" }));
    const err = await client(server.baseUrl, harness()).request(post).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownOutcomeError);
    expect(err).toMatchObject({ status: 200, requestId: "rid-x", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("fills the error fields from the body, falling back to the request-id header", async () => {
    const server = await startServer(
      json(400, { code: "InvalidParameter", message: "bad instance type", requestId: "body-rid" }, { "x-acs-request-id": "hdr-rid" }),
      json(400, { Code: "InvalidParameter", Message: "bad count" }, { "x-acs-request-id": "hdr-rid" }),
      json(400, { error_code: "ModelArts.50004000", error_msg: "Bad request." }, { "x-acs-request-id": "hdr-3" }),
    );
    const c = client(server.baseUrl, harness());
    const first = await c.request(post).catch((e) => e);
    expect(first).toMatchObject({
      operation: "CreateClusterNodePool",
      status: 400,
      code: "InvalidParameter",
      requestId: "body-rid",
      kind: "client",
      attempts: 1,
      cloudMessage: "bad instance type",
    });
    expect(first.message).toBe("CreateClusterNodePool failed: HTTP 400: InvalidParameter: bad instance type (request id body-rid)");
    expect(await c.request(post).catch((e) => e)).toMatchObject({ requestId: "hdr-rid", cloudMessage: "bad count" });
    expect(await c.request(post).catch((e) => e)).toMatchObject({ code: "ModelArts.50004000", requestId: "hdr-3" });
    expect(server.requests).toHaveLength(3);
  });

  it("maps not-found codes to kind notFound and does not retry them", async () => {
    const server = await startServer(json(400, { Code: "ErrorNodePoolNotFound", Message: "gone" }));
    const err = await client(server.baseUrl, harness(), { notFoundCodes: ["ErrorNodePoolNotFound"] })
      .request(get)
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "notFound", attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("redacts configured secrets and password-like values from error messages and log lines", async () => {
    const secret = "S3cr3t-Value!";
    const server = await startServer(
      json(400, {
        Code: "InvalidParameter",
        Message: `LoginPassword ${secret} is too weak; echo {"login_password":"hunter22"}`,
      }),
    );
    const h = harness();
    const err = await client(server.baseUrl, h, { secrets: () => [secret] })
      .request(post)
      .catch((e) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    const text = [err.message, err.cloudMessage, ...h.logs].join("\n");
    expect(text).not.toContain(secret);
    expect(text).not.toContain("hunter22");
    expect(err.message).toContain('LoginPassword *** is too weak; echo {"login_password":"***"}');
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toContain("***");
  });

  it("stops retrying when the next delay would exceed maxTotalMs", async () => {
    const server = await startServer(json(503, { Code: "ServiceUnavailable" }));
    const h = harness(() => 0.999);
    const err = await client(server.baseUrl, h, {
      retry: { maxAttempts: 50, baseDelayMs: 1000, maxDelayMs: 4000, maxTotalMs: 10_000 },
    })
      .request(get)
      .catch((e) => e);
    expect(err).toMatchObject({ kind: "transient", status: 503 });
    expect(err.attempts).toBeLessThan(50);
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(server.requests).toHaveLength(err.attempts);
    expect(h.logs[h.logs.length - 1]).toContain("would exceed 10s in total");
  });

  it("awaits the limiter before every attempt", async () => {
    const server = await startServer(json(503, {}), json(200, {}));
    const acquire = jest.fn(async () => undefined);
    await client(server.baseUrl, harness(), { limiter: { acquire } }).request(get);
    expect(acquire).toHaveBeenCalledTimes(2);
  });

  it("rejects a base URL with a path and an invalid retry policy", () => {
    const h = harness();
    expect(() => client("https://example.com/api", h)).toThrow(ConfigurationError);
    expect(() => client("not a url", h)).toThrow(ConfigurationError);
    expect(() => client("https://example.com", h, { retry: { maxAttempts: 0 } })).toThrow(ConfigurationError);
  });
});

describe("createRateLimiter", () => {
  it("spaces concurrent calls evenly, in call order", async () => {
    // A clock whose time stands still while callers sleep, so concurrent sleeps overlap.
    const t0 = Date.UTC(2026, 0, 1);
    const wakeAt: number[] = [];
    const clock = { now: () => t0, random: () => 0.5, sleep: async (ms: number) => void wakeAt.push(t0 + ms) };
    const limiter = createRateLimiter({ ratePerSecond: 10, clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(wakeAt.map((t) => t - t0)).toEqual([100, 200, 300]);
  });

  it("allows a burst before spacing starts", async () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 3, clock });
    for (let i = 0; i < 4; i++) await limiter.acquire();
    expect(clock.sleeps).toEqual([100]);
  });

  it("window limiter: sends `limit` calls at once, then the next ones a window later, in call order", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const wakeAt: number[] = [];
    const clock = { now: () => t0, random: () => 0.5, sleep: async (ms: number) => void wakeAt.push(t0 + ms) };
    const limiter = createWindowLimiter({ limit: 3, windowMs: 1000, clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4, 5, 6].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(wakeAt.map((t) => t - t0)).toEqual([1000, 1000, 1000, 2000]);
  });

  it("window limiter: a call after a pause goes out at once when the window has room", async () => {
    const clock = new FakeClock();
    const limiter = createWindowLimiter({ limit: 2, windowMs: 1000, clock });
    await limiter.acquire();
    clock.advance(600);
    await limiter.acquire();
    await limiter.acquire(); // the third call waits until the first left the window
    expect(clock.sleeps).toEqual([400]);
    clock.advance(5000);
    await limiter.acquire();
    expect(clock.sleeps).toEqual([400]);
  });

  it("shared limiters allow the rate per sliding second, with a margin for network jitter", async () => {
    resetSharedLimiters();
    const clock = new FakeClock();
    const limiter = sharedLimiter("ens:AK3", 10, clock);
    for (let i = 0; i < 21; i++) await limiter.acquire();
    expect(clock.sleeps).toEqual([1100, 1100]); // 10 per second plus the 10 % margin (SHARED_LIMITER_MARGIN)
    resetSharedLimiters();
  });

  it("shares one limiter per key across the process", () => {
    resetSharedLimiters();
    const a = sharedLimiter("ens:AK1", 10);
    expect(sharedLimiter("ens:AK1", 5)).toBe(a);
    expect(sharedLimiter("ens:AK2", 10)).not.toBe(a);
    resetSharedLimiters();
    expect(sharedLimiter("ens:AK1", 10)).not.toBe(a);
  });
});

describe("redact", () => {
  it.each([
    ['{"login_password":"p\\"w","name":"np"}', '{"login_password":"***","name":"np"}'],
    ['{"LoginPassword": "x", "password": 1234}', '{"LoginPassword": "***", "password": "***"}'],
    ["/?AccessKeyId=AK&SecurityToken=tok&Signature=s", "/?AccessKeyId=AK&SecurityToken=***&Signature=s"],
    ["AccessKeySecret=abc; other", "AccessKeySecret=***; other"],
    ["Authorization: acs AK:sig==", "Authorization: ***"],
    ['{"msg":"{\\"password\\":\\"p1\\"}"}', '{"msg":"{\\"password\\":\\"***\\"}"}'],
    ["secret: 'quoted'", "secret: '***'"],
  ])("redacts %s", (input, output) => {
    expect(redact(input, [])).toBe(output);
  });

  it("replaces configured secret values, also URL-encoded and JSON-escaped", () => {
    expect(redact('v=pa ss/"x" u=pa%20ss%2F%22x%22 j="pa ss/\\"x\\""', ['pa ss/"x"'])).toBe('v=*** u=*** j="***"');
    expect(redact("nothing here", ["", "absent"])).toBe("nothing here");
  });

  it("redacts object values by key and by path without changing the input", () => {
    const input = { nodeConfig: { loginPassword: "pw", keyPair: "kp" }, nodes: [{ extra: "e" }], name: "np" };
    const out = redactObject(input, ["nodeConfig.keyPair", "nodes.*.extra"]);
    expect(out).toEqual({ nodeConfig: { loginPassword: "***", keyPair: "***" }, nodes: [{ extra: "***" }], name: "np" });
    expect(input.nodeConfig.loginPassword).toBe("pw");
  });
});
