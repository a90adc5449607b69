import * as path from "path";
import { ConfigurationError } from "../../provider/core/errors";
import {
  assertTransportAllowed,
  configFromRecord,
  defaultResolveContext,
  Endpoint,
  maskAccessKeyId,
  parseEndpointValue,
  ResolveContext,
  resolveAlibabaCredentials,
  resolveAlibabaEndpoint,
  resolveAlibabaRegion,
  resolveHuaweiEndpoint,
  resolveHuaweiSettings,
} from "../../provider/core/settings";

const HOME = "/home/tester";
const CLI_FILE = path.join(HOME, ".aliyun", "config.json");

interface CtxOptions {
  config?: Record<string, string>;
  env?: Record<string, string>;
  files?: Record<string, string>;
}

function ctx(o: CtxOptions = {}): ResolveContext {
  const files = o.files ?? {};
  return {
    config: configFromRecord(o.config ?? {}),
    env: o.env ?? {},
    homeDir: HOME,
    readFile: (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined),
  };
}

function cliFile(doc: unknown): Record<string, string> {
  return { [CLI_FILE]: JSON.stringify(doc) };
}

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error("expected a ConfigurationError, but nothing was thrown");
}

// Distinct, recognisable values per source so each test can tell which one won.
const CFG = { "alicloud:accessKey": "LTAIconfigid0001", "alicloud:secretKey": "cfg-secret-value-XYZ" };
const ENV_ALIBABA = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIalibabaenv01", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "alibaba-env-secret-XYZ" };
const ENV_ALICLOUD = { ALICLOUD_ACCESS_KEY: "LTAIalicloudenv1", ALICLOUD_SECRET_KEY: "alicloud-env-secret-XYZ" };
const PROFILE_AK = { name: "default", mode: "AK", access_key_id: "LTAIprofileid001", access_key_secret: "profile-secret-XYZ", region_id: "cn-shanghai" };

describe("resolveAlibabaCredentials", () => {
  test("Pulumi config wins over every other source", () => {
    const c = resolveAlibabaCredentials(
      ctx({ config: { ...CFG, "alicloud:securityToken": "cfg-token" }, env: { ...ENV_ALIBABA, ...ENV_ALICLOUD }, files: cliFile({ current: "default", profiles: [PROFILE_AK] }) }),
    );
    expect(c).toEqual({ accessKeyId: "LTAIconfigid0001", accessKeySecret: "cfg-secret-value-XYZ", securityToken: "cfg-token", source: "Pulumi config alicloud:accessKey" });
  });

  test("ALIBABA_CLOUD_* environment variables come second", () => {
    const c = resolveAlibabaCredentials(
      ctx({ env: { ...ENV_ALIBABA, ALIBABA_CLOUD_SECURITY_TOKEN: "env-token", ...ENV_ALICLOUD }, files: cliFile({ current: "default", profiles: [PROFILE_AK] }) }),
    );
    expect(c).toEqual({ accessKeyId: "LTAIalibabaenv01", accessKeySecret: "alibaba-env-secret-XYZ", securityToken: "env-token", source: "environment ALIBABA_CLOUD_ACCESS_KEY_ID" });
  });

  test("ALICLOUD_* environment variables come third", () => {
    const c = resolveAlibabaCredentials(ctx({ env: { ...ENV_ALICLOUD, ALICLOUD_SECURITY_TOKEN: "t3" }, files: cliFile({ current: "default", profiles: [PROFILE_AK] }) }));
    expect(c).toEqual({ accessKeyId: "LTAIalicloudenv1", accessKeySecret: "alicloud-env-secret-XYZ", securityToken: "t3", source: "environment ALICLOUD_ACCESS_KEY" });
  });

  test("the aliyun CLI profile comes last", () => {
    const c = resolveAlibabaCredentials(ctx({ files: cliFile({ current: "default", profiles: [PROFILE_AK] }) }));
    expect(c).toEqual({ accessKeyId: "LTAIprofileid001", accessKeySecret: "profile-secret-XYZ", source: "aliyun CLI profile 'default' (~/.aliyun/config.json)" });
  });

  test("no security token is returned when the source has none", () => {
    const c = resolveAlibabaCredentials(ctx({ config: CFG }));
    expect("securityToken" in c).toBe(false);
  });

  test("empty and whitespace-only values count as not set", () => {
    const c = resolveAlibabaCredentials(ctx({ config: { "alicloud:accessKey": "  ", "alicloud:secretKey": "" }, env: ENV_ALICLOUD }));
    expect(c.source).toBe("environment ALICLOUD_ACCESS_KEY");
  });

  describe("aliyun CLI profile", () => {
    test("an AK profile ignores a leftover sts_token", () => {
      const c = resolveAlibabaCredentials(ctx({ files: cliFile({ current: "default", profiles: [{ ...PROFILE_AK, sts_token: "stale" }] }) }));
      expect(c.securityToken).toBeUndefined();
    });

    test("a StsToken profile returns its security token", () => {
      const sts = { name: "sts", mode: "StsToken", access_key_id: "STS.abcdefgh", access_key_secret: "sts-secret-XYZ", sts_token: "sts-token-XYZ" };
      const c = resolveAlibabaCredentials(ctx({ files: cliFile({ current: "sts", profiles: [PROFILE_AK, sts] }) }));
      expect(c).toEqual({ accessKeyId: "STS.abcdefgh", accessKeySecret: "sts-secret-XYZ", securityToken: "sts-token-XYZ", source: "aliyun CLI profile 'sts' (~/.aliyun/config.json)" });
    });

    test("a StsToken profile without sts_token is an error", () => {
      const sts = { name: "sts", mode: "StsToken", access_key_id: "STS.abcdefgh", access_key_secret: "sts-secret-XYZ" };
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ files: cliFile({ current: "sts", profiles: [sts] }) })));
      expect(e.message).toMatch(/mode 'StsToken' but no sts_token/);
      expect(e.message).not.toContain("sts-secret-XYZ");
    });

    test("a profile without mode is read as AK", () => {
      const { mode: _mode, ...noMode } = PROFILE_AK;
      expect(resolveAlibabaCredentials(ctx({ files: cliFile({ current: "default", profiles: [noMode] }) })).accessKeyId).toBe("LTAIprofileid001");
    });

    test("an unsupported mode gives an error naming the mode", () => {
      const role = { name: "role", mode: "RamRoleArn", access_key_id: "LTAIroleid000001", access_key_secret: "role-secret-XYZ", ram_role_arn: "acs:ram::1:role/x" };
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ files: cliFile({ current: "role", profiles: [role] }) })));
      expect(e.message).toContain("mode 'RamRoleArn'");
      expect(e.message).toContain("AK, StsToken");
      expect(e.message).toContain("profile 'role'");
      expect(e.message).not.toContain("role-secret-XYZ");
    });

    const profiles = ["a", "b", "c", "d"].map((n) => ({ name: n, mode: "AK", access_key_id: `LTAIprofile-${n}`, access_key_secret: `secret-${n}` }));
    const files = cliFile({ current: "d", profiles });

    test("ALIBABA_CLOUD_PROFILE selects the profile first", () => {
      const c = resolveAlibabaCredentials(ctx({ env: { ALIBABA_CLOUD_PROFILE: "a", ALICLOUD_PROFILE: "b" }, config: { "alicloud:profile": "c" }, files }));
      expect(c.accessKeyId).toBe("LTAIprofile-a");
      expect(c.source).toBe("aliyun CLI profile 'a' (~/.aliyun/config.json)");
    });

    test("ALICLOUD_PROFILE selects the profile second", () => {
      const c = resolveAlibabaCredentials(ctx({ env: { ALICLOUD_PROFILE: "b" }, config: { "alicloud:profile": "c" }, files }));
      expect(c.accessKeyId).toBe("LTAIprofile-b");
    });

    test("config alicloud:profile selects the profile third", () => {
      expect(resolveAlibabaCredentials(ctx({ config: { "alicloud:profile": "c" }, files })).accessKeyId).toBe("LTAIprofile-c");
    });

    test("the file's current profile is used when nothing selects one", () => {
      expect(resolveAlibabaCredentials(ctx({ files })).accessKeyId).toBe("LTAIprofile-d");
    });

    test("the profile named default is used when the file has no current", () => {
      const c = resolveAlibabaCredentials(ctx({ files: cliFile({ profiles: [...profiles, PROFILE_AK] }) }));
      expect(c.accessKeyId).toBe("LTAIprofileid001");
    });

    test("a selected profile missing from the file is reported with the profiles that exist", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ env: { ALIBABA_CLOUD_PROFILE: "nope" }, files })));
      expect(e.message).toContain("profile 'nope'");
      expect(e.message).toContain("environment ALIBABA_CLOUD_PROFILE");
      expect(e.message).toContain("profiles in the file: a, b, c, d");
      for (const n of ["a", "b", "c", "d"]) expect(e.message).not.toContain(`secret-${n}`);
    });

    test("a file that is not JSON is reported without quoting its content", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ files: { [CLI_FILE]: '{"access_key_secret": "leaky-secret-XYZ", oops' } })));
      expect(e.message).toContain("not valid aliyun CLI JSON");
      expect(e.message).not.toContain("leaky-secret-XYZ");
    });
  });

  describe("half key pairs", () => {
    test("config with only alicloud:accessKey names the missing secret key and masks the id", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ config: { "alicloud:accessKey": "LTAIconfigid0001" }, env: ENV_ALIBABA })));
      expect(e.message).toContain("alicloud:secretKey is not");
      expect(e.message).toContain("LTAI****");
      expect(e.message).not.toContain("LTAIconfigid0001");
    });

    test("config with only alicloud:secretKey names the missing access key and hides the secret", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ config: { "alicloud:secretKey": "cfg-secret-value-XYZ" } })));
      expect(e.message).toContain("alicloud:accessKey is not");
      expect(e.message).not.toContain("cfg-secret-value-XYZ");
    });

    test("ALIBABA_CLOUD_ACCESS_KEY_ID without its secret is an error even when ALICLOUD_* is complete", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIalibabaenv01", ...ENV_ALICLOUD } })));
      expect(e.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not");
    });

    test("ALICLOUD_SECRET_KEY without ALICLOUD_ACCESS_KEY is an error", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ env: { ALICLOUD_SECRET_KEY: "alicloud-env-secret-XYZ" } })));
      expect(e.message).toContain("ALICLOUD_ACCESS_KEY is not");
      expect(e.message).not.toContain("alicloud-env-secret-XYZ");
    });

    test("a security token without its key pair is an error that hides the token", () => {
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ env: { ALIBABA_CLOUD_SECURITY_TOKEN: "lonely-token-XYZ" } })));
      expect(e.message).toContain("ALIBABA_CLOUD_SECURITY_TOKEN is set");
      expect(e.message).not.toContain("lonely-token-XYZ");
    });

    test("a CLI profile with only access_key_id names access_key_secret", () => {
      const half = { name: "default", mode: "AK", access_key_id: "LTAIprofileid001" };
      const e = errorOf(() => resolveAlibabaCredentials(ctx({ files: cliFile({ current: "default", profiles: [half] }) })));
      expect(e.message).toContain("access_key_secret is not");
      expect(e.message).toContain("LTAI****");
    });
  });

  describe("when nothing is found", () => {
    const secrets = ["unrelated-secret-XYZ", "unrelated-token-XYZ"];
    const nothingFound = (): ConfigurationError =>
      errorOf(() =>
        resolveAlibabaCredentials(
        ctx({
          // Values that are not credential sources must never leak into the message either.
          config: { "huaweicloud:secretKey": secrets[0] },
          env: { HW_SECURITY_TOKEN: secrets[1] },
        }),
      ),
    );
    let e: ConfigurationError;
    beforeAll(() => {
      e = nothingFound();
    });

    test("one error lists every config key, environment variable, the profile file and the profile name", () => {
      for (const place of [
        "alicloud:accessKey",
        "alicloud:secretKey",
        "alicloud:securityToken",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALICLOUD_ACCESS_KEY",
        "ALICLOUD_SECRET_KEY",
        "ALICLOUD_SECURITY_TOKEN",
        CLI_FILE,
        "profile 'default'",
        "ALIBABA_CLOUD_PROFILE",
        "ALICLOUD_PROFILE",
        "alicloud:profile",
        "file does not exist",
      ]) {
        expect(e.message).toContain(place);
      }
    });

    test("the error says how to set credentials", () => {
      expect(e.message).toContain("pulumi config set alicloud:accessKey");
      expect(e.message).toContain("pulumi config set --secret alicloud:secretKey");
      expect(e.message).toContain("export ALIBABA_CLOUD_ACCESS_KEY_ID=");
      expect(e.message).toContain("aliyun configure");
    });

    test("the error contains no secret value", () => {
      for (const s of secrets) expect(e.message).not.toContain(s);
    });

    test("an AK profile with no keys is reported in the same list", () => {
      const e2 = errorOf(() => resolveAlibabaCredentials(ctx({ files: cliFile({ current: "default", profiles: [{ name: "default", mode: "AK", access_key_id: "", access_key_secret: "" }] }) })));
      expect(e2.message).toContain("No Alibaba Cloud credentials found");
      expect(e2.message).toContain("no access_key_id or access_key_secret");
    });
  });

  test("no message from any failing source contains a secret or token value", () => {
    const secretValues = ["cfg-secret-value-XYZ", "alibaba-env-secret-XYZ", "alicloud-env-secret-XYZ", "tok-XYZ"];
    const cases: CtxOptions[] = [
      { config: { "alicloud:secretKey": secretValues[0], "alicloud:securityToken": secretValues[3] } },
      { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: secretValues[1], ALIBABA_CLOUD_SECURITY_TOKEN: secretValues[3] } },
      { env: { ALICLOUD_SECRET_KEY: secretValues[2], ALICLOUD_SECURITY_TOKEN: secretValues[3] } },
      { files: cliFile({ current: "x", profiles: [{ name: "x", mode: "StsToken", access_key_secret: secretValues[0], sts_token: secretValues[3] }] }) },
      { files: cliFile({ current: "x", profiles: [{ name: "x", mode: "EcsRamRole", access_key_secret: secretValues[0] }] }) },
    ];
    for (const c of cases) {
      const e = errorOf(() => resolveAlibabaCredentials(ctx(c)));
      for (const s of secretValues) expect(e.message).not.toContain(s);
    }
  });
});

describe("maskAccessKeyId", () => {
  test("shows the first four characters followed by four stars", () => {
    expect(maskAccessKeyId("LTAI5tAbCdEfGh")).toBe("LTAI****");
  });
  test("hides short ids entirely", () => {
    expect(maskAccessKeyId("abc")).toBe("****");
  });
});

describe("resolveAlibabaRegion", () => {
  const all = {
    config: { "alicloud:region": "cn-beijing" },
    env: { ALICLOUD_REGION: "cn-shenzhen", ALIBABA_CLOUD_REGION: "cn-qingdao", ALIBABA_CLOUD_REGION_ID: "cn-hongkong" },
    files: cliFile({ current: "default", profiles: [PROFILE_AK] }),
  };

  test("config alicloud:region wins", () => {
    expect(resolveAlibabaRegion(ctx(all))).toBe("cn-beijing");
  });
  test("ALICLOUD_REGION comes second", () => {
    expect(resolveAlibabaRegion(ctx({ ...all, config: {} }))).toBe("cn-shenzhen");
  });
  test("ALIBABA_CLOUD_REGION comes third", () => {
    const { ALICLOUD_REGION: _a, ...env } = all.env;
    expect(resolveAlibabaRegion(ctx({ ...all, config: {}, env }))).toBe("cn-qingdao");
  });
  test("ALIBABA_CLOUD_REGION_ID comes fourth", () => {
    expect(resolveAlibabaRegion(ctx({ ...all, config: {}, env: { ALIBABA_CLOUD_REGION_ID: "cn-hongkong" } }))).toBe("cn-hongkong");
  });
  test("the CLI profile's region_id comes last", () => {
    expect(resolveAlibabaRegion(ctx({ files: all.files }))).toBe("cn-shanghai");
  });
  test("the CLI profile's region_id is used even when the profile's mode is not supported for credentials", () => {
    const files = cliFile({ current: "r", profiles: [{ name: "r", mode: "RamRoleArn", region_id: "ap-southeast-1" }] });
    expect(resolveAlibabaRegion(ctx({ files }))).toBe("ap-southeast-1");
  });
  test("a missing region is an error listing every place looked", () => {
    const e = errorOf(() => resolveAlibabaRegion(ctx()));
    for (const place of ["alicloud:region", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID", "region_id", CLI_FILE, "pulumi config set alicloud:region"]) {
      expect(e.message).toContain(place);
    }
  });
  test("a region that is not a region id is an error naming its source", () => {
    const e = errorOf(() => resolveAlibabaRegion(ctx({ env: { ALICLOUD_REGION: "evil.com/x" } })));
    expect(e.message).toContain("environment ALICLOUD_REGION");
  });
});

describe("resolveAlibabaEndpoint", () => {
  test("defaults are regional for cs, eflo-controller and batchcompute and central for ens", () => {
    const c = ctx();
    expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou")).toEqual({ baseUrl: "https://cs.cn-hangzhou.aliyuncs.com", host: "cs.cn-hangzhou.aliyuncs.com", source: "default endpoint" });
    expect(resolveAlibabaEndpoint(c, "ens", "cn-hangzhou").baseUrl).toBe("https://ens.aliyuncs.com");
    expect(resolveAlibabaEndpoint(c, "eflo-controller", "cn-wulanchabu").baseUrl).toBe("https://eflo-controller.cn-wulanchabu.aliyuncs.com");
    expect(resolveAlibabaEndpoint(c, "batchcompute", "cn-shenzhen").baseUrl).toBe("https://batchcompute.cn-shenzhen.aliyuncs.com");
  });

  test("a malformed region is rejected before building a default host", () => {
    errorOf(() => resolveAlibabaEndpoint(ctx(), "cs", "cn-hangzhou.evil.com"));
  });

  const everySource: CtxOptions = {
    config: {
      "nodepools:endpoints": JSON.stringify({ cs: "https://np-config.example.com" }),
      "alicloud:endpoints": JSON.stringify([{ cs: "alicloud-config.example.com" }]),
    },
    env: { NODEPOOLS_ENDPOINT_CS: "https://np-env.example.com", NODEPOOLS_ENDPOINT: "http://127.0.0.1:8080" },
  };

  test("nodepools:endpoints wins over every other source", () => {
    expect(resolveAlibabaEndpoint(ctx(everySource), "cs", "cn-hangzhou")).toEqual({
      baseUrl: "https://np-config.example.com",
      host: "np-config.example.com",
      source: "Pulumi config nodepools:endpoints.cs",
    });
  });

  test("alicloud:endpoints comes second", () => {
    const c = ctx({ ...everySource, config: { "alicloud:endpoints": everySource.config!["alicloud:endpoints"] } });
    expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou")).toEqual({
      baseUrl: "https://alicloud-config.example.com",
      host: "alicloud-config.example.com",
      source: "Pulumi config alicloud:endpoints[0].cs",
    });
  });

  test("the product-specific environment variable comes third", () => {
    const e = resolveAlibabaEndpoint(ctx({ env: everySource.env }), "cs", "cn-hangzhou");
    expect(e).toEqual({ baseUrl: "https://np-env.example.com", host: "np-env.example.com", source: "environment NODEPOOLS_ENDPOINT_CS" });
  });

  test("NODEPOOLS_ENDPOINT serves every product that has no specific override", () => {
    const c = ctx({ env: { NODEPOOLS_ENDPOINT: "http://127.0.0.1:8080" } });
    for (const p of ["cs", "ens", "eflo-controller", "batchcompute"] as const) {
      expect(resolveAlibabaEndpoint(c, p, "cn-hangzhou")).toEqual({ baseUrl: "http://127.0.0.1:8080", host: "127.0.0.1:8080", source: "environment NODEPOOLS_ENDPOINT" });
    }
  });

  test("the product-specific environment variable names use underscores and upper case", () => {
    const env = {
      NODEPOOLS_ENDPOINT_ENS: "ens.internal",
      NODEPOOLS_ENDPOINT_EFLO_CONTROLLER: "eflo.internal",
      NODEPOOLS_ENDPOINT_BATCHCOMPUTE: "bc.internal",
    };
    const c = ctx({ env });
    expect(resolveAlibabaEndpoint(c, "ens", "x").host).toBe("ens.internal");
    expect(resolveAlibabaEndpoint(c, "eflo-controller", "x").host).toBe("eflo.internal");
    expect(resolveAlibabaEndpoint(c, "batchcompute", "x").host).toBe("bc.internal");
  });

  test("an override for one product leaves the others on their defaults", () => {
    const c = ctx({ config: { "nodepools:endpoints": JSON.stringify({ ens: "ens-vpc.example.com" }) } });
    expect(resolveAlibabaEndpoint(c, "ens", "cn-hangzhou").host).toBe("ens-vpc.example.com");
    expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou").host).toBe("cs.cn-hangzhou.aliyuncs.com");
  });

  describe("alicloud:endpoints in pulumi-alicloud's shape", () => {
    test("the array is searched entry by entry", () => {
      const c = ctx({ config: { "alicloud:endpoints": JSON.stringify([{ ecs: "ecs.example.com" }, { cs: "cs-vpc.cn-hangzhou.aliyuncs.com", ens: "ens.example.com" }]) } });
      expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou")).toEqual({
        baseUrl: "https://cs-vpc.cn-hangzhou.aliyuncs.com",
        host: "cs-vpc.cn-hangzhou.aliyuncs.com",
        source: "Pulumi config alicloud:endpoints[1].cs",
      });
      expect(resolveAlibabaEndpoint(c, "ens", "cn-hangzhou").host).toBe("ens.example.com");
    });

    test("a single object is accepted", () => {
      const c = ctx({ config: { "alicloud:endpoints": JSON.stringify({ cs: "https://cs.example.com:8443" }) } });
      expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou")).toEqual({ baseUrl: "https://cs.example.com:8443", host: "cs.example.com:8443", source: "Pulumi config alicloud:endpoints.cs" });
    });

    test("eflo-controller is read from efloController, eflo_controller or eflo-controller", () => {
      for (const key of ["efloController", "eflo_controller", "eflo-controller"]) {
        const c = ctx({ config: { "alicloud:endpoints": JSON.stringify([{ [key]: "eflo.example.com" }]) } });
        expect(resolveAlibabaEndpoint(c, "eflo-controller", "cn-hangzhou").host).toBe("eflo.example.com");
      }
    });

    test("keys for other products are ignored", () => {
      const c = ctx({ config: { "alicloud:endpoints": JSON.stringify([{ ecs: 42, vpc: "vpc.example.com" }]) } });
      expect(resolveAlibabaEndpoint(c, "cs", "cn-hangzhou").source).toBe("default endpoint");
    });

    test("something that is neither an array of objects nor an object is rejected", () => {
      for (const bad of ['"cs.example.com"', "[1,2]", "not json"]) {
        const e = errorOf(() => resolveAlibabaEndpoint(ctx({ config: { "alicloud:endpoints": bad } }), "cs", "cn-hangzhou"));
        expect(e.message).toContain("alicloud:endpoints");
      }
    });
  });

  describe("nodepools:endpoints validation", () => {
    test("invalid JSON is rejected naming the key", () => {
      const e = errorOf(() => resolveAlibabaEndpoint(ctx({ config: { "nodepools:endpoints": "{cs:" } }), "cs", "cn-hangzhou"));
      expect(e.message).toContain("nodepools:endpoints is not valid JSON");
    });
    test("an array is rejected", () => {
      const e = errorOf(() => resolveAlibabaEndpoint(ctx({ config: { "nodepools:endpoints": '[{"cs":"x.example.com"}]' } }), "cs", "cn-hangzhou"));
      expect(e.message).toContain("must be a JSON object keyed by product code");
    });
    test("an unknown product key is rejected with the known keys", () => {
      const e = errorOf(() => resolveAlibabaEndpoint(ctx({ config: { "nodepools:endpoints": '{"CS":"x.example.com"}' } }), "cs", "cn-hangzhou"));
      expect(e.message).toContain('"CS"');
      expect(e.message).toContain("cs, ens, eflo-controller, batchcompute, modelarts");
    });
    test("a non-string value is rejected", () => {
      const e = errorOf(() => resolveAlibabaEndpoint(ctx({ config: { "nodepools:endpoints": '{"cs":8080}' } }), "cs", "cn-hangzhou"));
      expect(e.message).toContain("nodepools:endpoints.cs must be a string");
    });
  });

  test("an invalid override value is rejected naming the key it came from", () => {
    const e = errorOf(() => resolveAlibabaEndpoint(ctx({ env: { NODEPOOLS_ENDPOINT_CS: "ftp://cs.example.com" } }), "cs", "cn-hangzhou"));
    expect(e.message).toContain("environment NODEPOOLS_ENDPOINT_CS");
  });
});

describe("parseEndpointValue", () => {
  const ok: [string, string, string][] = [
    ["cs.cn-hangzhou.aliyuncs.com", "https://cs.cn-hangzhou.aliyuncs.com", "cs.cn-hangzhou.aliyuncs.com"],
    ["CS.Example.COM", "https://cs.example.com", "cs.example.com"],
    ["localhost:8080", "https://localhost:8080", "localhost:8080"],
    ["https://cs.example.com/", "https://cs.example.com", "cs.example.com"],
    ["https://cs.example.com:443", "https://cs.example.com", "cs.example.com"],
    ["HTTP://127.0.0.1:9000", "http://127.0.0.1:9000", "127.0.0.1:9000"],
    ["http://[::1]:8080", "http://[::1]:8080", "[::1]:8080"],
    ["  https://cs.example.com  ", "https://cs.example.com", "cs.example.com"],
  ];
  test.each(ok)("accepts %j as %s", (input, baseUrl, host) => {
    expect(parseEndpointValue(input, "test key")).toEqual({ baseUrl, host });
  });

  const bad: [string, string][] = [
    ["ftp://cs.example.com", "scheme"],
    ["file:///etc/passwd", "scheme"],
    ["https://cs.example.com/api", "path"],
    ["https://cs.example.com?x=1", "query"],
    ["https://cs.example.com#frag", "fragment"],
    ["cs.example.com/v1", "path"],
    ["https://user:pw@cs.example.com", "user info"],
    ["https://cs.example.com:0", "port"],
    ["https://cs.example.com:70000", "port"],
    ["https://cs.example.com:abc", "host or host:port"],
    ["https://", "host or host:port"],
    ["", "empty"],
    ["cs example com", "whitespace"],
    ["://cs.example.com", "scheme"],
    ["-bad-.example.com", "malformed"],
    ["a..b", "malformed"],
    ["999.1.1.1", "malformed"],
  ];
  test.each(bad)("rejects %j (%s)", (input, why) => {
    const e = errorOf(() => parseEndpointValue(input, "Pulumi config nodepools:endpoints.cs"));
    expect(e.message).toContain("Pulumi config nodepools:endpoints.cs");
    expect(e.message.toLowerCase()).toContain(why);
  });

  test("a rejected value with user info does not echo the password", () => {
    const e = errorOf(() => parseEndpointValue("https://user:hunter2@cs.example.com", "k"));
    expect(e.message).not.toContain("hunter2");
  });
});

describe("assertTransportAllowed", () => {
  const ep = (baseUrl: string): Endpoint => {
    const u = new URL(baseUrl);
    return { baseUrl, host: u.host, source: "environment NODEPOOLS_ENDPOINT" };
  };

  test("https is always allowed", () => {
    expect(() => assertTransportAllowed(ctx(), ep("https://cs.example.com"))).not.toThrow();
  });

  test.each(["http://localhost:8080", "http://127.0.0.1:8080", "http://127.255.0.9", "http://[::1]:9000", "http://LOCALHOST"])(
    "plain http to the loopback host %s is allowed",
    (url) => {
      expect(() => assertTransportAllowed(ctx(), ep(url))).not.toThrow();
    },
  );

  test.each(["http://10.0.0.5:8080", "http://cs.example.com", "http://128.0.0.1", "http://localhost.example.com", "http://[::2]"])(
    "plain http to the non-loopback host %s is refused",
    (url) => {
      const e = errorOf(() => assertTransportAllowed(ctx(), ep(url)));
      expect(e.message).toContain("environment NODEPOOLS_ENDPOINT");
      expect(e.message).toContain("nodepools:allowInsecureHttp");
      expect(e.message).toContain("NODEPOOLS_ALLOW_INSECURE_HTTP");
    },
  );

  test("config nodepools:allowInsecureHttp=true opts in", () => {
    expect(() => assertTransportAllowed(ctx({ config: { "nodepools:allowInsecureHttp": "true" } }), ep("http://10.0.0.5:8080"))).not.toThrow();
  });

  test("env NODEPOOLS_ALLOW_INSECURE_HTTP=true opts in", () => {
    expect(() => assertTransportAllowed(ctx({ env: { NODEPOOLS_ALLOW_INSECURE_HTTP: "TRUE" } }), ep("http://10.0.0.5:8080"))).not.toThrow();
  });

  test("values other than true do not opt in", () => {
    for (const v of ["false", "1", "yes", ""]) {
      errorOf(() => assertTransportAllowed(ctx({ env: { NODEPOOLS_ALLOW_INSECURE_HTTP: v }, config: { "nodepools:allowInsecureHttp": v } }), ep("http://10.0.0.5")));
    }
  });
});

describe("resolveHuaweiEndpoint", () => {
  test("the default is modelarts.{region}.myhuaweicloud.com", () => {
    expect(resolveHuaweiEndpoint(ctx(), "cn-north-4")).toEqual({ baseUrl: "https://modelarts.cn-north-4.myhuaweicloud.com", host: "modelarts.cn-north-4.myhuaweicloud.com", source: "default endpoint" });
  });
  test("ap-southeast-1 uses the .myhuaweicloud.cn domain", () => {
    expect(resolveHuaweiEndpoint(ctx(), "ap-southeast-1").host).toBe("modelarts.ap-southeast-1.myhuaweicloud.cn");
  });
  test("nodepools:endpoints.modelarts, NODEPOOLS_ENDPOINT_MODELARTS and NODEPOOLS_ENDPOINT apply in that order", () => {
    const config = { "nodepools:endpoints": JSON.stringify({ modelarts: "ma-config.example.com" }) };
    const env = { NODEPOOLS_ENDPOINT_MODELARTS: "ma-env.example.com", NODEPOOLS_ENDPOINT: "http://127.0.0.1:8080" };
    expect(resolveHuaweiEndpoint(ctx({ config, env }), "cn-north-4").source).toBe("Pulumi config nodepools:endpoints.modelarts");
    expect(resolveHuaweiEndpoint(ctx({ env }), "cn-north-4").source).toBe("environment NODEPOOLS_ENDPOINT_MODELARTS");
    expect(resolveHuaweiEndpoint(ctx({ env: { NODEPOOLS_ENDPOINT: env.NODEPOOLS_ENDPOINT } }), "cn-north-4").baseUrl).toBe("http://127.0.0.1:8080");
  });
  test("alicloud:endpoints does not apply to ModelArts", () => {
    const c = ctx({ config: { "alicloud:endpoints": JSON.stringify([{ modelarts: "nope.example.com" }]) } });
    expect(resolveHuaweiEndpoint(c, "cn-north-4").source).toBe("default endpoint");
  });
});

describe("resolveHuaweiSettings", () => {
  const cfgCamel = {
    "huaweicloud:accessKey": "HWCFGCAMEL000001",
    "huaweicloud:secretKey": "hw-camel-secret-XYZ",
    "huaweicloud:securityToken": "hw-camel-token",
    "huaweicloud:region": "cn-north-4",
    "huaweicloud:projectId": "0123456789abcdef0123456789abcdef",
  };
  const cfgSnake = {
    "huaweicloud:access_key": "HWCFGSNAKE000001",
    "huaweicloud:secret_key": "hw-snake-secret-XYZ",
    "huaweicloud:security_token": "hw-snake-token",
    "huaweicloud:region": "cn-north-4",
    "huaweicloud:project_id": "snakeproject",
  };
  const envHw = { HW_ACCESS_KEY: "HWENVHW000000001", HW_SECRET_KEY: "hw-env-secret-XYZ", HW_REGION_NAME: "cn-east-3", HW_PROJECT_ID: "hwproject", HW_SECURITY_TOKEN: "hw-env-token" };
  const envSdk = {
    HUAWEICLOUD_SDK_AK: "HWENVSDK00000001",
    HUAWEICLOUD_SDK_SK: "hw-sdk-secret-XYZ",
    HUAWEICLOUD_SDK_REGION: "ap-southeast-1",
    HUAWEICLOUD_SDK_PROJECT_ID: "sdkproject",
    HUAWEICLOUD_SDK_SECURITY_TOKEN: "hw-sdk-token",
  };

  test("camelCase config wins over everything", () => {
    expect(resolveHuaweiSettings(ctx({ config: { ...cfgSnake, ...cfgCamel }, env: { ...envHw, ...envSdk } }))).toEqual({
      accessKey: "HWCFGCAMEL000001",
      secretKey: "hw-camel-secret-XYZ",
      securityToken: "hw-camel-token",
      region: "cn-north-4",
      projectId: "0123456789abcdef0123456789abcdef",
      source: "Pulumi config huaweicloud:accessKey",
    });
  });

  test("snake_case config keys are read too", () => {
    expect(resolveHuaweiSettings(ctx({ config: cfgSnake, env: { ...envHw, ...envSdk } }))).toEqual({
      accessKey: "HWCFGSNAKE000001",
      secretKey: "hw-snake-secret-XYZ",
      securityToken: "hw-snake-token",
      region: "cn-north-4",
      projectId: "snakeproject",
      source: "Pulumi config huaweicloud:access_key",
    });
  });

  test("HW_* environment variables come second", () => {
    expect(resolveHuaweiSettings(ctx({ env: { ...envHw, ...envSdk } }))).toEqual({
      accessKey: "HWENVHW000000001",
      secretKey: "hw-env-secret-XYZ",
      securityToken: "hw-env-token",
      region: "cn-east-3",
      projectId: "hwproject",
      source: "environment HW_ACCESS_KEY",
    });
  });

  test("HUAWEICLOUD_SDK_* environment variables come third", () => {
    expect(resolveHuaweiSettings(ctx({ env: envSdk }))).toEqual({
      accessKey: "HWENVSDK00000001",
      secretKey: "hw-sdk-secret-XYZ",
      securityToken: "hw-sdk-token",
      region: "ap-southeast-1",
      projectId: "sdkproject",
      source: "environment HUAWEICLOUD_SDK_AK",
    });
  });

  test("region and project id are looked up on their own, so they may come from a different source than the keys", () => {
    const s = resolveHuaweiSettings(ctx({ config: { "huaweicloud:accessKey": "HWCFGCAMEL000001", "huaweicloud:secretKey": "x-secret" }, env: { HW_REGION_NAME: "cn-east-3", HUAWEICLOUD_SDK_PROJECT_ID: "sdkproject" } }));
    expect([s.region, s.projectId, s.source]).toEqual(["cn-east-3", "sdkproject", "Pulumi config huaweicloud:accessKey"]);
    expect(s.securityToken).toBeUndefined();
  });

  test("a half key pair is an error naming the missing half without the secret", () => {
    const e = errorOf(() => resolveHuaweiSettings(ctx({ env: { HW_SECRET_KEY: "hw-env-secret-XYZ", ...envSdk } })));
    expect(e.message).toContain("HW_ACCESS_KEY is not");
    expect(e.message).not.toContain("hw-env-secret-XYZ");
  });

  test("missing credentials give one error listing every place", () => {
    const e = errorOf(() => resolveHuaweiSettings(ctx()));
    for (const place of [
      "huaweicloud:accessKey",
      "huaweicloud:access_key",
      "huaweicloud:secretKey",
      "huaweicloud:secret_key",
      "huaweicloud:securityToken",
      "huaweicloud:security_token",
      "HW_ACCESS_KEY",
      "HW_SECRET_KEY",
      "HW_SECURITY_TOKEN",
      "HUAWEICLOUD_SDK_AK",
      "HUAWEICLOUD_SDK_SK",
      "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    ]) {
      expect(e.message).toContain(place);
    }
  });

  test("a missing region lists where it was looked for", () => {
    const e = errorOf(() => resolveHuaweiSettings(ctx({ env: { HW_ACCESS_KEY: "HWENVHW000000001", HW_SECRET_KEY: "hw-env-secret-XYZ", HW_PROJECT_ID: "p" } })));
    for (const place of ["huaweicloud:region", "HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"]) expect(e.message).toContain(place);
    expect(e.message).not.toContain("hw-env-secret-XYZ");
  });

  test("a missing project id says exactly how to set it", () => {
    const e = errorOf(() => resolveHuaweiSettings(ctx({ env: { HW_ACCESS_KEY: "HWENVHW000000001", HW_SECRET_KEY: "hw-env-secret-XYZ", HW_REGION_NAME: "cn-north-4" } })));
    expect(e.message).toContain("pulumi config set huaweicloud:projectId <id>");
    expect(e.message).toContain("export HW_PROJECT_ID=");
    for (const place of ["huaweicloud:project_id", "HUAWEICLOUD_SDK_PROJECT_ID", "cn-north-4"]) expect(e.message).toContain(place);
    expect(e.message).not.toContain("hw-env-secret-XYZ");
  });

  test("a project id that could escape the URL path is rejected", () => {
    const e = errorOf(() => resolveHuaweiSettings(ctx({ env: { ...envHw, HW_PROJECT_ID: "../other" } })));
    expect(e.message).toContain("environment HW_PROJECT_ID");
  });
});

describe("defaultResolveContext", () => {
  test("reads the environment and config when called, with an empty config by default", () => {
    const c = defaultResolveContext();
    expect(c.env).toBe(process.env);
    expect(c.config.get("alicloud:region")).toBeUndefined();
    const withConfig = defaultResolveContext(configFromRecord({ "alicloud:region": "cn-hangzhou" }));
    expect(resolveAlibabaRegion(withConfig)).toBe("cn-hangzhou");
  });

  test("readFile returns undefined for a file that does not exist", () => {
    expect(defaultResolveContext().readFile(path.join(__dirname, "no-such-dir", "config.json"))).toBeUndefined();
  });
});
