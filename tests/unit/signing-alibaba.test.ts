import { createHash, createHmac } from "crypto";
import * as $tea from "@alicloud/tea-typescript";
import OpenApiUtil from "@alicloud/openapi-util";
import {
  AlibabaCredentials,
  Acs3SignInput,
  EMPTY_BODY_SHA256,
  IncomingSignedRequest,
  SecretLookup,
  acs3CanonicalRequest,
  acs3StringToSign,
  encodePath,
  encodePathSegment,
  formatAcsDate,
  percentEncode,
  roaV1Signature,
  roaV1StringToSign,
  rpcV1Signature,
  rpcV1StringToSign,
  signAcs3,
  signRoaV1,
  verifyAcs3,
  verifyRoaV1,
} from "../../provider/core/signing/alibaba";

/** mulberry32: a tiny seeded PRNG, so the generated oracle cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What Node's http module hands the server: lowercased names, repeated names as arrays. */
function asNodeHeaders(headers: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    const prev = out[lower];
    out[lower] = prev === undefined ? v : ([] as string[]).concat(prev, v);
  }
  return out;
}

function teaRequest(method: string, pathname: string, query: Record<string, string>, headers: Record<string, string>): $tea.Request {
  const req = new $tea.Request();
  req.method = method;
  req.pathname = pathname;
  req.query = { ...query };
  req.headers = { ...headers };
  return req;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  const { Authorization: _auth, ...rest } = headers;
  return rest;
}

describe("Alibaba V3 signing (ACS3-HMAC-SHA256)", () => {
  const officialInput: Acs3SignInput = {
    method: "POST",
    pathname: "/",
    query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
    headers: { host: "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances", "x-acs-version": "2014-05-26" },
    body: "",
  };
  const officialOpts = { date: new Date("2023-10-26T10:22:32Z"), nonce: "3156853299f313e23d1673dc12e1703d" };
  const officialCreds: AlibabaCredentials = { accessKeyId: "YourAccessKeyId", accessKeySecret: "YourAccessKeySecret" };

  it("reproduces the official RunInstances vector: canonical request, string to sign and Authorization", () => {
    const headers = signAcs3(officialInput, officialCreds, officialOpts);
    const { canonicalRequest, signedHeaders } = acs3CanonicalRequest({ ...officialInput, headers: withoutAuthorization(headers) });

    expect(canonicalRequest).toBe(
      [
        "POST",
        "/",
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        "host:ecs.cn-shanghai.aliyuncs.com",
        "x-acs-action:RunInstances",
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "x-acs-date:2023-10-26T10:22:32Z",
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d",
        "x-acs-version:2014-05-26",
        "",
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
    expect(signedHeaders).toBe("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
    expect(acs3StringToSign(canonicalRequest)).toBe("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    expect(headers.Authorization).toBe(
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
    expect(headers["x-acs-date"]).toBe("2023-10-26T10:22:32Z");
    expect(headers["x-acs-signature-nonce"]).toBe("3156853299f313e23d1673dc12e1703d");
    expect(headers["x-acs-content-sha256"]).toBe(EMPTY_BODY_SHA256);
    expect(headers).not.toHaveProperty("x-acs-security-token");
  });

  it("reproduces the SDK unit vector, merging the duplicate x-acs-test header and keeping empty=", () => {
    // The SDK test leaves method and pathname unset; its string concatenation turns them into "undefined" and "".
    const { canonicalRequest, signedHeaders } = acs3CanonicalRequest(
      { method: "undefined", pathname: "", query: { test: "ok", empty: "" }, headers: { "x-acs-TEST": "https", "x-acs-test": "http" }, body: "" },
      "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
    );
    expect(canonicalRequest).toContain("\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n");
    expect(signedHeaders).toBe("x-acs-test");
    const signature = createHmac("sha256", "secret").update(acs3StringToSign(canonicalRequest)).digest("hex");
    expect(signature).toBe("0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac");
  });

  it("adds the STS token and the access key id as signed x-acs-* headers when a security token is used", () => {
    const headers = signAcs3(officialInput, { ...officialCreds, securityToken: "CAIS+token/=" }, officialOpts);
    expect(headers["x-acs-security-token"]).toBe("CAIS+token/=");
    expect(headers["x-acs-accesskey-id"]).toBe("YourAccessKeyId");
    expect(headers.Authorization).toContain("SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;");
    expect(headers.Authorization).toContain("x-acs-security-token;x-acs-signature-nonce;x-acs-version,");
  });

  it("replaces stale signing headers when a retried request is signed again", () => {
    const first = signAcs3(officialInput, { ...officialCreds, securityToken: "old" }, officialOpts);
    const again = signAcs3({ ...officialInput, headers: { ...first, "X-Acs-Date": "1999-01-01T00:00:00Z" } }, officialCreds, officialOpts);
    expect(again).toEqual(signAcs3(officialInput, officialCreds, officialOpts));
  });

  it("refuses to sign without host, x-acs-action or x-acs-version, or a body without content-type", () => {
    for (const missing of ["host", "x-acs-action", "x-acs-version"]) {
      const headers = { ...officialInput.headers };
      delete headers[missing];
      expect(() => signAcs3({ ...officialInput, headers }, officialCreds, officialOpts)).toThrow(missing);
    }
    expect(() => signAcs3({ ...officialInput, body: "{}" }, officialCreds, officialOpts)).toThrow("content-type");
  });

  it("formats x-acs-date as yyyy-MM-ddTHH:mm:ssZ in UTC, dropping milliseconds", () => {
    expect(formatAcsDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe("2026-01-02T03:04:05Z");
  });

  it("percent-encodes per RFC 3986 as the SDK does", () => {
    expect(percentEncode("a-Z_0.~ *!'()/+=&é")).toBe("a-Z_0.~%20%2A%21%27%28%29%2F%2B%3D%26%C3%A9");
    expect(encodePathSegment("c-1/2 x")).toBe("c-1%2F2%20x");
    expect(encodePath("/clusters/c 1/nodepools")).toBe("/clusters/c%201/nodepools");
  });
});

describe("Agreement with the official @alicloud/openapi-util signer", () => {
  const VALUE_PIECES = ["a", "Z", "0", "-", "_", ".", "~", " ", "*", "/", "+", "=", "&", "!", "'", "(", ")", "%", "?", "#", ":", ",", ";", "@", "é", "中文", "😀"];
  // The SDK percent-encodes query values but not names, so names stay within what Alibaba APIs use.
  const QUERY_NAMES = ["RegionId", "ClusterId", "NodepoolName", "Tag.1.Key", "Tag.1.Value", "max_nodes", "page-size", "PageNumber", "a", "Z9", "x.y_z-w~"];
  const METHODS = ["GET", "POST", "PUT", "DELETE"];

  function pick<T>(rnd: () => number, items: readonly T[]): T {
    return items[Math.floor(rnd() * items.length)];
  }
  function text(rnd: () => number, maxPieces: number): string {
    let s = "";
    const n = Math.floor(rnd() * (maxPieces + 1));
    for (let i = 0; i < n; i++) s += pick(rnd, VALUE_PIECES);
    return s;
  }

  interface Generated {
    input: Acs3SignInput;
    creds: AlibabaCredentials;
  }

  function generate(rnd: () => number, i: number): Generated {
    const method = METHODS[i % METHODS.length];
    const roa = rnd() < 0.6;
    let pathname = "/";
    if (roa) {
      const clusterId = `c${text(rnd, 4)}`;
      pathname = `/clusters/${encodePathSegment(clusterId)}/nodepools`;
      if (rnd() < 0.5) pathname += `/${encodePathSegment(`np-${text(rnd, 4)}`)}`;
    }
    const query: Record<string, string> = {};
    const nQuery = Math.floor(rnd() * 5);
    for (let q = 0; q < nQuery; q++) query[pick(rnd, QUERY_NAMES)] = rnd() < 0.15 ? "" : text(rnd, 6);

    const headers: Record<string, string> = {
      host: roa ? "cs.cn-hangzhou.aliyuncs.com" : "ens.aliyuncs.com",
      "x-acs-action": roa ? "CreateClusterNodePool" : "DescribeClusterNodePools",
      "x-acs-version": roa ? "2015-12-15" : "2017-11-10",
      accept: "application/json",
      "user-agent": "pulumi-nodepools-test",
    };
    if (rnd() < 0.3) headers["X-Acs-Resourcegroup-Id"] = `  rg-${text(rnd, 3)}  `;

    let body = "";
    const bodyKind = method === "GET" || method === "DELETE" ? (rnd() < 0.2 ? "json" : "none") : pick(rnd, ["json", "form", "none"] as const);
    if (bodyKind === "json") {
      body = JSON.stringify({ name: text(rnd, 5), count: Math.floor(rnd() * 10), tags: [{ key: text(rnd, 3), value: text(rnd, 3) }] });
      headers["content-type"] = "application/json; charset=utf-8";
    } else if (bodyKind === "form") {
      body = `ClusterId=${percentEncode(text(rnd, 4))}&NodeGroup=${percentEncode(JSON.stringify({ GroupName: text(rnd, 4) }))}`;
      headers["content-type"] = "application/x-www-form-urlencoded";
    }

    const creds: AlibabaCredentials = { accessKeyId: `LTAI${i}`, accessKeySecret: `secret-${i}-${text(rnd, 3)}` };
    if (rnd() < 0.35) creds.securityToken = `CAIS${i}+tok/en==`;
    return { input: { method, pathname, query, headers, body: rnd() < 0.5 ? body : Buffer.from(body, "utf8") }, creds };
  }

  const CASES = 300;
  const cases = (() => {
    const rnd = prng(20260101);
    return Array.from({ length: CASES }, (_, i) => generate(rnd, i));
  })();

  it(`produces the same Authorization as getAuthorization for ${CASES} generated requests`, () => {
    const coverage = { roa: 0, sts: 0, json: 0, form: 0, emptyValue: 0, methods: new Set<string>() };
    const mismatches: string[] = [];
    cases.forEach(({ input, creds }, i) => {
      const opts = { date: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), nonce: `nonce${i}` };
      const signed = signAcs3(input, creds, opts);
      const bodyBytes = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body;
      const payload = OpenApiUtil.hash(bodyBytes, "ACS3-HMAC-SHA256").toString("hex");
      const expected = OpenApiUtil.getAuthorization(
        teaRequest(input.method, input.pathname, input.query, withoutAuthorization(signed)),
        "ACS3-HMAC-SHA256",
        payload,
        creds.accessKeyId,
        creds.accessKeySecret,
      );
      if (signed.Authorization !== expected || signed["x-acs-content-sha256"] !== payload) {
        mismatches.push(`case ${i}: ${JSON.stringify(input)}\n  ours:   ${signed.Authorization}\n  oracle: ${expected}`);
      }
      coverage.methods.add(input.method);
      if (input.pathname !== "/") coverage.roa++;
      if (creds.securityToken) coverage.sts++;
      const ct = input.headers["content-type"] ?? "";
      if (ct.startsWith("application/json")) coverage.json++;
      if (ct.startsWith("application/x-www-form-urlencoded")) coverage.form++;
      if (Object.values(input.query).includes("")) coverage.emptyValue++;
    });
    expect(mismatches).toEqual([]);
    // Guard against a generator change that silently stops exercising a dimension.
    expect([...coverage.methods].sort()).toEqual(["DELETE", "GET", "POST", "PUT"]);
    for (const n of [coverage.roa, coverage.sts, coverage.json, coverage.form, coverage.emptyValue]) expect(n).toBeGreaterThan(10);
  });

  it("verifyAcs3 accepts every generated request as the emulator's Node server would receive it", () => {
    const rejected: string[] = [];
    cases.forEach(({ input, creds }, i) => {
      const now = new Date(Date.UTC(2026, 0, 1, 0, 5, i));
      const signed = signAcs3(input, creds, { date: now, nonce: `n${i}` });
      const result = verifyAcs3(
        {
          method: input.method,
          rawPath: input.pathname,
          query: input.query,
          headers: asNodeHeaders(signed),
          body: typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body,
        },
        (ak) => (ak === creds.accessKeyId ? { secret: creds.accessKeySecret, securityToken: creds.securityToken } : undefined),
        now,
      );
      if (!result.ok) rejected.push(`case ${i}: ${result.code} ${result.message}`);
    });
    expect(rejected).toEqual([]);
  });

  it("encodes path segments and query values exactly like getEncodeParam", () => {
    const rnd = prng(7);
    for (let i = 0; i < 200; i++) {
      const s = text(rnd, 8);
      expect(percentEncode(s)).toBe(OpenApiUtil.getEncodeParam(s));
      expect(encodePathSegment(s)).toBe(OpenApiUtil.getEncodeParam(s));
      const path = `/${s}/${text(rnd, 3)}`;
      expect(encodePath(path)).toBe(OpenApiUtil.getEncodePath(path));
    }
  });

  it("produces the same ROA V1 string to sign and signature as getStringToSign/getROASignature for generated requests", () => {
    const rnd = prng(99);
    const mismatches: string[] = [];
    for (let i = 0; i < 100; i++) {
      const { input, creds } = cases[i];
      const headers: Record<string, string> = {
        host: "batchcompute.cn-shenzhen.aliyuncs.com",
        "x-acs-version": "2015-11-11",
        "x-acs-region-id": `cn-${text(rnd, 2)}\tzone `,
      };
      if (input.method === "POST" || input.method === "PUT") headers["content-type"] = "application/json";
      const signed = signRoaV1({ method: input.method, pathname: input.pathname, query: input.query, headers }, creds, {
        date: new Date(Date.UTC(2026, 0, 1, 12, 0, i)),
        nonce: `nonce-${i}`,
      });
      // The SDK reads headers by exact lowercase name, which is how they reach a Node server anyway.
      const req = teaRequest(input.method, input.pathname, input.query, withoutAuthorization(signed));
      const sts = OpenApiUtil.getStringToSign(req);
      const ours = roaV1StringToSign(input.method, withoutAuthorization(signed), input.pathname, input.query);
      const expectedAuth = `acs ${creds.accessKeyId}:${OpenApiUtil.getROASignature(sts, creds.accessKeySecret)}`;
      if (ours !== sts || signed.Authorization !== expectedAuth) mismatches.push(`case ${i}:\n${ours}\n--- oracle ---\n${sts}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("Legacy ROA V1 and RPC V1 published vectors", () => {
  it("getROASignature('stringtosign', 'secret') is OmuTAr79tpI6CRoAdmzKRq5lHs0=", () => {
    expect(roaV1Signature("stringtosign", "secret")).toBe("OmuTAr79tpI6CRoAdmzKRq5lHs0=");
  });

  it("the pop-core ROA vector signs 'stringtosign' with accessKeySecret as 9/j11e+L9jW8mC9eUA23Wn3c0fs=", () => {
    expect(roaV1Signature("stringtosign", "accessKeySecret")).toBe("9/j11e+L9jW8mC9eUA23Wn3c0fs=");
  });

  it("the getStringToSign vector keeps the query value 'val ue with space' unencoded", () => {
    const headers = { accept: "application/json", "content-md5": "md5", "content-type": "application/json", date: "date", "x-acs-custom-key": "any value" };
    expect(roaV1StringToSign("GET", headers, "/", { key: "val ue with space" })).toBe(
      "GET\napplication/json\nmd5\napplication/json\ndate\nx-acs-custom-key:any value\n/?key=val ue with space",
    );
  });

  it("signRoaV1 builds 'acs AK:signature' over its own Date, nonce and signature-method headers", () => {
    const headers = signRoaV1(
      { method: "GET", pathname: "/clusters/cls-1", query: {}, headers: { host: "batchcompute.cn-shenzhen.aliyuncs.com", "x-acs-version": "2015-11-11" } },
      { accessKeyId: "accessKeyId", accessKeySecret: "accessKeySecret" },
      { date: new Date(Date.UTC(2025, 0, 1)), nonce: "n-1" },
    );
    expect(headers.date).toBe("Wed, 01 Jan 2025 00:00:00 GMT");
    expect(headers.accept).toBe("application/json");
    const sts = roaV1StringToSign("GET", withoutAuthorization(headers), "/clusters/cls-1", {});
    expect(sts).toBe(
      "GET\napplication/json\n\n\nWed, 01 Jan 2025 00:00:00 GMT\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:n-1\nx-acs-signature-version:1.0\nx-acs-version:2015-11-11\n/clusters/cls-1",
    );
    expect(headers.Authorization).toBe(`acs accessKeyId:${roaV1Signature(sts, "accessKeySecret")}`);
  });

  it("reproduces the official RPC V1 DescribeRegions vector", () => {
    const params = {
      TimeStamp: "2016-02-23T12:46:24Z",
      Format: "XML",
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      Version: "2014-05-26",
      SignatureVersion: "1.0",
    };
    expect(rpcV1StringToSign(params, "GET")).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(rpcV1Signature(params, "GET", "testsecret")).toBe("CT9X0VtwR86fNWSnsc6v8YGOjuE=");
  });

  it("reproduces the SDK RPC V1 unit vector and agrees with getRPCSignature", () => {
    expect(rpcV1Signature({ test: "ok" }, "", "accessKeySecret")).toBe("jHx/oHoHNrbVfhncHEvPdHXZwHU=");
    const params = { Action: "DescribeRegions", Name: "a b*c~!'()", Empty: "" };
    expect(rpcV1Signature(params, "POST", "s")).toBe(OpenApiUtil.getRPCSignature(params, "POST", "s"));
  });
});

describe("Server-side verification", () => {
  const NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
  const PLAIN: AlibabaCredentials = { accessKeyId: "LTAIplain", accessKeySecret: "plain-secret-value" };
  const STS: AlibabaCredentials = { accessKeyId: "STS.temp", accessKeySecret: "sts-secret-value", securityToken: "CAIS-sts-token-value" };
  const lookup: SecretLookup = (ak) => {
    if (ak === PLAIN.accessKeyId) return { secret: PLAIN.accessKeySecret };
    if (ak === STS.accessKeyId) return { secret: STS.accessKeySecret, securityToken: STS.securityToken };
    return undefined;
  };
  const body = JSON.stringify({ nodepool_info: { name: "gpu pool" }, count: 2 });

  describe("verifyAcs3", () => {
    const input: Acs3SignInput = {
      method: "POST",
      pathname: `/clusters/${encodePathSegment("c 1*")}/nodepools`,
      query: { force: "true", note: "a b/c" },
      headers: {
        host: "cs.cn-hangzhou.aliyuncs.com",
        "x-acs-action": "CreateClusterNodePool",
        "x-acs-version": "2015-12-15",
        "content-type": "application/json; charset=utf-8",
        "user-agent": "test",
      },
      body,
    };

    function incoming(creds: AlibabaCredentials, opts: { date?: Date; tamper?: (r: IncomingSignedRequest) => void } = {}): IncomingSignedRequest {
      const headers = signAcs3(input, creds, { date: opts.date ?? NOW, nonce: "nonce-1" });
      const req: IncomingSignedRequest = {
        method: input.method,
        rawPath: input.pathname,
        query: { ...input.query },
        headers: asNodeHeaders(headers),
        body: Buffer.from(body, "utf8"),
      };
      opts.tamper?.(req);
      return req;
    }

    function expectRejected(req: IncomingSignedRequest, status: number, code: string) {
      const result = verifyAcs3(req, lookup, NOW);
      expect(result).toMatchObject({ ok: false, status, code });
      return result as { ok: false; message: string };
    }

    it("accepts a request signed with a permanent access key", () => {
      expect(verifyAcs3(incoming(PLAIN), lookup, NOW)).toEqual({ ok: true, accessKeyId: PLAIN.accessKeyId });
    });

    it("accepts a request signed with STS credentials", () => {
      expect(verifyAcs3(incoming(STS), lookup, NOW)).toEqual({ ok: true, accessKeyId: STS.accessKeyId });
    });

    it("accepts a timestamp just inside the 15 minute window on either side", () => {
      expect(verifyAcs3(incoming(PLAIN, { date: new Date(NOW.getTime() - 14 * 60_000) }), lookup, NOW).ok).toBe(true);
      expect(verifyAcs3(incoming(PLAIN, { date: new Date(NOW.getTime() + 15 * 60_000) }), lookup, NOW).ok).toBe(true);
    });

    it("rejects a request without Authorization as MissingAuthorization", () => {
      expectRejected(incoming(PLAIN, { tamper: (r) => delete r.headers.authorization }), 400, "MissingAuthorization");
    });

    it("rejects a malformed Authorization as IncompleteSignature", () => {
      for (const bad of ["ACS3-HMAC-SHA256 Credential=LTAIplain", "acs LTAIplain:abc=", "ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=zz"]) {
        expectRejected(incoming(PLAIN, { tamper: (r) => (r.headers.authorization = bad) }), 400, "IncompleteSignature");
      }
    });

    it("rejects an x-acs-* header that is sent but not signed as IncompleteSignature", () => {
      const result = expectRejected(incoming(PLAIN, { tamper: (r) => (r.headers["x-acs-extra"] = "1") }), 400, "IncompleteSignature");
      expect(result.message).toContain("x-acs-extra");
    });

    it("rejects an unknown access key as InvalidAccessKeyId.NotFound", () => {
      expectRejected(incoming({ ...PLAIN, accessKeyId: "LTAIunknown" }), 404, "InvalidAccessKeyId.NotFound");
    });

    it("rejects a wrong, missing or unexpected security token as InvalidSecurityToken.Mismatch", () => {
      expectRejected(incoming({ ...STS, securityToken: "CAIS-other" }), 400, "InvalidSecurityToken.Mismatch");
      expectRejected(incoming({ ...STS, securityToken: undefined }), 400, "InvalidSecurityToken.Mismatch");
      expectRejected(incoming({ ...PLAIN, securityToken: "CAIS-stray" }), 400, "InvalidSecurityToken.Mismatch");
    });

    it("rejects an x-acs-date more than 15 minutes old or ahead as InvalidTimeStamp.Expired", () => {
      expectRejected(incoming(PLAIN, { date: new Date(NOW.getTime() - 16 * 60_000) }), 400, "InvalidTimeStamp.Expired");
      expectRejected(incoming(PLAIN, { date: new Date(NOW.getTime() + 16 * 60_000) }), 400, "InvalidTimeStamp.Expired");
    });

    it("rejects a body that does not match x-acs-content-sha256 as ContentSHA256Mismatch", () => {
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.body = Buffer.from(body.replace("2", "3"))) }), 400, "ContentSHA256Mismatch");
    });

    it("rejects a wrong secret or an altered query, path or method as SignatureDoesNotMatch", () => {
      expectRejected(incoming({ ...PLAIN, accessKeySecret: "wrong" }), 400, "SignatureDoesNotMatch");
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.query.force = "false") }), 400, "SignatureDoesNotMatch");
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.rawPath = "/clusters/c2/nodepools") }), 400, "SignatureDoesNotMatch");
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.method = "PUT") }), 400, "SignatureDoesNotMatch");
    });

    it("explains a signature mismatch with the server's string to sign but never the secret or the token", () => {
      const req = incoming({ ...STS, accessKeySecret: "client-used-wrong-secret" });
      const { message } = expectRejected(req, 400, "SignatureDoesNotMatch");
      const canonical = acs3CanonicalRequest({ ...input, headers: withoutAuthorization(signAcs3(input, STS, { date: NOW, nonce: "nonce-1" })) });
      expect(message).toContain(
        `The request signature does not conform to Aliyun standards. server string to sign is:${acs3StringToSign(canonical.canonicalRequest)}`,
      );
      expect(message).not.toContain(STS.accessKeySecret);
      expect(message).not.toContain("client-used-wrong-secret");
      expect(message).not.toContain(STS.securityToken);
    });
  });

  describe("verifyRoaV1", () => {
    const input = {
      method: "POST",
      pathname: "/clusters",
      query: { IdempotentToken: "tok_1" },
      headers: { host: "batchcompute.cn-shenzhen.aliyuncs.com", "x-acs-version": "2015-11-11", "content-type": "application/json" },
    };

    function incoming(creds: AlibabaCredentials, opts: { date?: Date; tamper?: (r: IncomingSignedRequest) => void } = {}): IncomingSignedRequest {
      const headers = signRoaV1(input, creds, { date: opts.date ?? NOW, nonce: "nonce-1" });
      const req: IncomingSignedRequest = {
        method: input.method,
        rawPath: input.pathname,
        query: { ...input.query },
        headers: asNodeHeaders(headers),
        body: Buffer.from(body, "utf8"),
      };
      opts.tamper?.(req);
      return req;
    }

    function expectRejected(req: IncomingSignedRequest, status: number, code: string) {
      const result = verifyRoaV1(req, lookup, NOW);
      expect(result).toMatchObject({ ok: false, status, code });
      return result as { ok: false; message: string };
    }

    it("accepts a request signed with a permanent access key or with STS credentials", () => {
      expect(verifyRoaV1(incoming(PLAIN), lookup, NOW)).toEqual({ ok: true, accessKeyId: PLAIN.accessKeyId });
      expect(verifyRoaV1(incoming(STS), lookup, NOW)).toEqual({ ok: true, accessKeyId: STS.accessKeyId });
    });

    it("accepts a Content-MD5 that matches the body, in base64 or hex", () => {
      const md5 = createHash("md5").update(body).digest();
      for (const value of [md5.toString("base64"), md5.toString("hex")]) {
        const headers = signRoaV1({ ...input, headers: { ...input.headers, "content-md5": value } }, PLAIN, { date: NOW, nonce: "n" });
        const req = { method: "POST", rawPath: "/clusters", query: input.query, headers: asNodeHeaders(headers), body: Buffer.from(body) };
        expect(verifyRoaV1(req, lookup, NOW).ok).toBe(true);
      }
    });

    it("rejects a missing or malformed Authorization", () => {
      expectRejected(incoming(PLAIN, { tamper: (r) => delete r.headers.authorization }), 400, "MissingAuthorization");
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.headers.authorization = "acs LTAIplain") }), 400, "IncompleteSignature");
    });

    it("rejects an unknown access key, a mismatched token and an expired Date", () => {
      expectRejected(incoming({ ...PLAIN, accessKeyId: "nobody" }), 404, "InvalidAccessKeyId.NotFound");
      expectRejected(incoming({ ...STS, securityToken: "other" }), 400, "InvalidSecurityToken.Mismatch");
      expectRejected(incoming(PLAIN, { date: new Date(NOW.getTime() - 16 * 60_000) }), 400, "InvalidTimeStamp.Expired");
      expectRejected(incoming(PLAIN, { date: new Date(NOW.getTime() + 16 * 60_000) }), 400, "InvalidTimeStamp.Expired");
    });

    it("rejects a Content-MD5 that does not match the body", () => {
      const headers = signRoaV1({ ...input, headers: { ...input.headers, "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" } }, PLAIN, { date: NOW, nonce: "n" });
      const req = { method: "POST", rawPath: "/clusters", query: input.query, headers: asNodeHeaders(headers), body: Buffer.from(body) };
      expectRejected(req, 400, "ContentMD5Mismatch");
    });

    it("rejects a wrong secret or an altered query or x-acs header as SignatureDoesNotMatch, without leaking secrets", () => {
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.query.IdempotentToken = "tok_2") }), 400, "SignatureDoesNotMatch");
      expectRejected(incoming(PLAIN, { tamper: (r) => (r.headers["x-acs-version"] = "2015-06-30") }), 400, "SignatureDoesNotMatch");
      const { message } = expectRejected(incoming({ ...STS, accessKeySecret: "wrong-secret" }), 400, "SignatureDoesNotMatch");
      expect(message).toContain("The request signature does not conform to Aliyun standards. server string to sign is:POST\napplication/json\n");
      expect(message).toContain("/clusters?IdempotentToken=tok_1");
      expect(message).not.toContain(STS.accessKeySecret);
      expect(message).not.toContain("wrong-secret");
      expect(message).not.toContain(STS.securityToken);
    });
  });
});

describe("path segments built from ids", () => {
  it("keep dot segments literal so that an id can never change the request path", () => {
    expect(encodePathSegment("..")).toBe("%2E%2E");
    expect(encodePathSegment(".")).toBe("%2E");
    expect(encodePathSegment("../../tasks")).toBe("..%2F..%2Ftasks");
    expect(encodePathSegment("a.b")).toBe("a.b");
  });
});
