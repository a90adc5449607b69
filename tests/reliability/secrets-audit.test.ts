/**
 * Secrets audit. A stack with every secret field of the package (ACK `loginPassword`, ENS `password`, eflo
 * `loginPassword`, Batch Compute `ossCredentials` secret key and STS token; ModelArts has none), passed once as
 * `pulumi.secret(...)` and once as plain strings, runs through the test engine against the emulator twice: with the
 * cloud credentials (access key secrets and STS security tokens of both clouds) in secret stack config, and in the
 * environment; the provider prints its debug lines (NODEPOOLS_DEBUG). Each run: preview and up; preview and up of a
 * version that changes every password and OSS key; one failing up per resource, each failing on a cloud error whose
 * message echoes that resource's new secrets and the run's access key secret or security token (raw, URL-encoded,
 * JSON-escaped); the recovering up; a preview whose ACK passwords fail the check; a refresh with half-set
 * credentials; refresh; destroy.
 *
 * After every operation the audit scans: the raw state file, everything the operation printed (the rendered plan,
 * the `--json` digest, diagnostics, notes, the provider host's output, the program's stdout and stderr), every error
 * message, the in-memory steps and outputs outside secret values, and every `__provider` text in the state; once,
 * the `__provider` text each resource registers under `pulumi.runtime.setMocks` with canary credentials in the
 * program's environment; and the emulator's request log (a cloud-side artifact users can see), which must show
 * passwords, secret keys and tokens as "***". None may contain a canary password, an OSS key secret or token, an
 * access key secret or a security token, raw, URL-encoded, form-encoded, JSON-escaped or base64-encoded; nor the
 * marker that every one of them carries (a cut-off copy). The access key id is not a secret: the package promises
 * that its own messages show it masked (`LTAI****`, settings.ts), so the audit asserts the masked form in the
 * half-set-credentials error, that nothing printed shows the id in full, and that the state holds it only where the
 * user put it (plain stack config).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CloudEmulator, REDACTED, type FaultSpec, type RecordedRequest } from "../../provider/emulator";
import type { EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import { MODELARTS_DEFAULT_PROJECT, type ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import { TestEngine, type OperationResult, type StackState } from "../engine";
import { credentials, FIXTURES, INVALID_GEN, MARKER, secretInputs, VARIANTS, type Variant } from "./programs/secrets-audit/canaries";

jest.setTimeout(600_000);

const PROGRAM = path.join(__dirname, "programs", "secrets-audit");
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const GENERATIONS = [1, 2, 3, INVALID_GEN];

// ---- canaries and the scanner ------------------------------------------------------------------------------------

interface Needle {
  label: string;
  value: string;
}

type Source = "cfg" | "env";

/** Every secret of both runs and every generation: none may show up anywhere, in any run. */
function allNeedles(): Needle[] {
  const out: Needle[] = [];
  for (const gen of GENERATIONS) {
    for (const v of VARIANTS) {
      for (const [k, value] of Object.entries(secretInputs(gen, v))) out.push({ label: `${k}[${v}, gen ${gen}]`, value });
    }
  }
  for (const source of ["cfg", "env"] as const) {
    const c = credentials(source);
    out.push({ label: `Alibaba access key secret (${source})`, value: c.alibaba.accessKeySecret });
    out.push({ label: `Alibaba security token (${source})`, value: c.alibaba.securityToken });
    out.push({ label: `Huawei secret key (${source})`, value: c.huawei.accessKeySecret });
    out.push({ label: `Huawei security token (${source})`, value: c.huawei.securityToken });
  }
  return out;
}

/** Passwords, secret keys and tokens: what the cloud's request log must not show either (the OSS access key id may). */
const isPasswordLike = (n: Needle) => n.value.includes(MARKER);

/** The forms a value takes on its way into text: raw, URL-encoded (both flavours), form-encoded, JSON-escaped, base64. */
function forms(value: string): Array<[string, string]> {
  const rfc3986 = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const b64 = Buffer.from(value, "utf8").toString("base64");
  const list: Array<[string, string]> = [
    ["raw", value],
    ["url-encoded", encodeURIComponent(value)],
    ["rfc3986-encoded", rfc3986],
    ["form-encoded", new URLSearchParams({ x: value }).toString().slice(2)],
    ["json-escaped", JSON.stringify(value).slice(1, -1)],
    ["json-escaped twice", JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1)],
    ["base64", b64],
    ["base64 unpadded", b64.replace(/=+$/, "")],
    ["base64url", Buffer.from(value, "utf8").toString("base64url")],
  ];
  const seen = new Set<string>();
  return list.filter(([, f]) => !seen.has(f) && seen.add(f));
}

interface Leak {
  where: string;
  what: string;
  form: string;
  excerpt: string;
}

const NEEDLES = allNeedles();

function scan(where: string, text: string | undefined, needles: Needle[] = NEEDLES, marker = true): Leak[] {
  if (!text) return [];
  const leaks: Leak[] = [];
  const excerpt = (i: number) => JSON.stringify(text.slice(Math.max(0, i - 60), i + 80));
  for (const n of needles) {
    for (const [form, f] of forms(n.value)) {
      const i = text.indexOf(f);
      if (i >= 0) leaks.push({ where, what: n.label, form, excerpt: excerpt(i) });
    }
  }
  if (marker && leaks.length === 0) {
    const i = text.indexOf(MARKER);
    if (i >= 0) leaks.push({ where, what: `the marker ${MARKER} (part of a secret)`, form: "raw", excerpt: excerpt(i) });
  }
  return leaks;
}

/** JSON of a value with every secret-wrapped value (in-memory state, steps) left out: what remains is plaintext. */
function plaintextJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) && x[SIG] === SECRET_SIG ? "[secret]" : x));
}

/** Every `__provider` text in a state. */
function providerTexts(s: StackState): string[] {
  const out: string[] = [];
  for (const r of s.resources) {
    for (const props of [r.inputs, r.outputs]) {
      const p = props?.__provider;
      if (typeof p === "string") out.push(p);
    }
  }
  return out;
}

function report(leaks: Leak[]): string {
  return leaks.map((l) => `- ${l.what} (${l.form}) in ${l.where}: ${l.excerpt}`).join("\n");
}

// ---- one run: an emulator, an engine, the operations ---------------------------------------------------------------

interface Run {
  source: Source;
  emulator: CloudEmulator;
  engine: TestEngine;
  dir: string;
  leaks: Leak[];
  /** Texts scanned, by kind, for the summary and the positive controls. */
  scanned: Record<string, number>;
  /** Everything printed, for the access key id check. */
  printed: string[];
  results: Array<{ label: string; result: OperationResult }>;
}

async function startRun(source: Source): Promise<Run> {
  const creds = credentials(source);
  const emulator = await CloudEmulator.start({ accounts: [creds.alibaba, creds.huawei] });
  const ali = creds.alibaba.accountId;
  emulator.seedCluster({ clusterId: FIXTURES.ackCluster, region: FIXTURES.region, accountId: ali });
  emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: FIXTURES.ensCluster, ensRegionId: FIXTURES.ensRegion, accountId: ali });
  emulator.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: FIXTURES.efloCluster, region: FIXTURES.region, accountId: ali, name: "lingjun-audit" });
  emulator.service<ModelArtsService>("modelarts").admin.seedPool({ poolName: FIXTURES.modelartsPool, accountId: creds.huawei.accountId });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `secrets-audit-${source}-`));
  // NODEPOOLS_DEBUG: the provider also prints one line per HTTP attempt (what a user debugging would see).
  const common = { NODEPOOLS_POLL_DELAY_SCALE: "0.001", NODEPOOLS_DEBUG: "1" };
  const endpoints = JSON.stringify({ cs: emulator.endpoint, ens: emulator.endpoint, "eflo-controller": emulator.endpoint, batchcompute: emulator.endpoint, modelarts: emulator.endpoint });
  const engine =
    source === "cfg"
      ? new TestEngine({
          programDir: PROGRAM,
          stack: "dev",
          stateFile: path.join(dir, "state.json"),
          config: {
            gen: 1,
            "alicloud:accessKey": creds.alibaba.accessKeyId,
            "alicloud:region": FIXTURES.region,
            "nodepools:endpoints": endpoints,
            "huaweicloud:accessKey": creds.huawei.accessKeyId,
            "huaweicloud:region": FIXTURES.huaweiRegion,
            "huaweicloud:projectId": MODELARTS_DEFAULT_PROJECT,
          },
          secretConfig: {
            "alicloud:secretKey": creds.alibaba.accessKeySecret,
            "alicloud:securityToken": creds.alibaba.securityToken,
            "huaweicloud:secretKey": creds.huawei.accessKeySecret,
            "huaweicloud:securityToken": creds.huawei.securityToken,
          },
          env: common,
        })
      : new TestEngine({
          programDir: PROGRAM,
          stack: "dev",
          stateFile: path.join(dir, "state.json"),
          config: { gen: 1 },
          env: {
            ...common,
            NODEPOOLS_ENDPOINT: emulator.endpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: creds.alibaba.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: creds.alibaba.accessKeySecret,
            ALIBABA_CLOUD_SECURITY_TOKEN: creds.alibaba.securityToken,
            ALICLOUD_REGION: FIXTURES.region,
            HW_ACCESS_KEY: creds.huawei.accessKeyId,
            HW_SECRET_KEY: creds.huawei.accessKeySecret,
            HW_SECURITY_TOKEN: creds.huawei.securityToken,
            HW_REGION_NAME: FIXTURES.huaweiRegion,
            HW_PROJECT_ID: MODELARTS_DEFAULT_PROJECT,
          },
        });
  return { source, emulator, engine, dir, leaks: [], scanned: {}, printed: [], results: [] };
}

async function stopRun(run: Run | undefined): Promise<void> {
  if (!run) return;
  await run.emulator.stop();
  fs.rmSync(run.dir, { recursive: true, force: true });
}

function count(run: Run, kind: string, n = 1): void {
  run.scanned[kind] = (run.scanned[kind] ?? 0) + n;
}

/** Scans everything one operation produced, and the state as it is now. */
function audit(run: Run, label: string, r: OperationResult): void {
  const at = (what: string) => `${run.source}/${label}: ${what}`;
  const add = (what: string, text: string | undefined, kind = what) => {
    if (text === undefined) return;
    count(run, kind);
    run.leaks.push(...scan(at(what), text));
  };
  const printed: Array<[string, string | undefined]> = [
    ["rendered", r.rendered],
    ["json", JSON.stringify(r.json)],
    ["notes", r.notes.join("\n")],
    ["hostOutput", r.hostOutput],
    ["program stdout", r.program?.stdout],
    ["program stderr", r.program?.stderr],
  ];
  for (const [what, text] of printed) add(what, text);
  // The access key id check: the digest's config section echoes the stack config, as `pulumi preview --json` does.
  const { config: _config, ...digest } = r.json;
  run.printed.push(r.rendered, JSON.stringify(digest), r.notes.join("\n"), r.hostOutput, r.program?.stdout ?? "", r.program?.stderr ?? "");
  r.diagnostics.forEach((d, i) => {
    add(`diagnostic ${i} (${d.severity}, ${d.source})`, d.message, "diagnostics");
    run.printed.push(d.message);
  });
  for (const s of r.steps) {
    if (s.error !== undefined) {
      add(`step error ${s.urn}`, s.error, "error messages");
      run.printed.push(s.error);
    }
  }
  add("steps outside secrets", plaintextJson(r.steps), "steps");
  add("stack outputs", JSON.stringify(r.outputs), "outputs");
  add("raw state file", run.engine.rawState(), "raw state");
  const state = run.engine.state();
  add("state outside secrets", plaintextJson(state), "state");
  for (const [i, text] of providerTexts(state).entries()) add(`__provider #${i} in state`, text, "__provider (state)");
  run.results.push({ label, result: r });
}

const explain = (r: OperationResult) =>
  [r.rendered, ...r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), r.program?.stderr ?? ""].join("\n");

async function op(run: Run, label: string, fn: () => Promise<OperationResult>, expectOk = true): Promise<OperationResult> {
  const r = await fn();
  if (process.env.SECRETS_AUDIT_VERBOSE) console.log(`${run.source}/${label}: ${r.ok ? "ok" : "failed"} in ${r.durationMs} ms`);
  audit(run, label, r);
  if (expectOk && !r.ok) throw new Error(`${run.source}/${label} failed:\n${explain(r)}`);
  if (!expectOk && r.ok) throw new Error(`${run.source}/${label} was expected to fail but succeeded:\n${r.rendered}`);
  return r;
}

/**
 * The failing `up`s (generation 3): for each resource in program order, one cloud error whose message echoes that
 * resource's new password (in the forms a cloud might: raw, URL-encoded, JSON-escaped) or OSS key and token, and
 * the run's credentials. An `up` stops at its first failed resource (as the CLI does without --continue-on-error),
 * so each fault gets an `up` of its own; the resources before it were updated by the earlier ones.
 */
function failingSteps(source: Source): Array<{ resource: string; faults: FaultSpec[] }> {
  const c = credentials(source);
  const s = (v: Variant) => secretInputs(3, v);
  const bad = (service: string, action: string, message: string, status = 400, code = "InvalidParameter"): FaultSpec => ({ service, action, status, code, message });
  const steps = (v: Variant): Array<{ resource: string; faults: FaultSpec[] }> => [
    {
      resource: `ack-${v}`,
      faults: [
        v === "sec"
          ? bad("ack", "ModifyClusterNodePool", `scaling_group.login_password "${s(v).ackLoginPassword}" does not meet the complexity requirements`)
          : bad("ack", "ModifyClusterNodePool", `login_password=${encodeURIComponent(s(v).ackLoginPassword)} rejected; security token ${c.alibaba.securityToken} is expired`, 403, "InvalidSecurityToken.Expired"),
      ],
    },
    {
      resource: `ens-${v}`,
      faults: [
        v === "sec"
          ? bad("ens", "ModifyClusterNodePool", `ScalingGroup: {"Password":${JSON.stringify(s(v).ensPassword)}} is not valid`)
          : bad("ens", "ModifyClusterNodePool", `The specified Password ${s(v).ensPassword} is not valid.`),
      ],
    },
    {
      resource: `eflo-${v}`,
      faults: [bad("eflo", "UpdateNodeGroup", `LoginPassword ${s(v).efloLoginPassword} is not valid${v === "pln" ? ` (signed with ${c.alibaba.accessKeySecret})` : ""}`)],
    },
    {
      // The OSS key change replaces the cluster: CreateCluster fails.
      resource: `bc-${v}`,
      faults: [
        v === "sec"
          ? bad("batchcompute", "CreateCluster", `OSS refused AccessKeySecret ${s(v).ossAccessKeySecret} with AccessSecurityToken ${s(v).ossSecurityToken}`, 400, "InvalidOssCredentials")
          : bad("batchcompute", "CreateCluster", `OSS refused Configs.Mounts.OSS {"AccessKeySecret":"${s(v).ossAccessKeySecret}","AccessSecurityToken":"${s(v).ossSecurityToken}"}`, 400, "InvalidOssCredentials"),
      ],
    },
  ];
  return [
    ...steps("sec"),
    ...steps("pln"),
    {
      // Two retried 503s, then an error echoing the Huawei secret key and token.
      resource: "modelarts",
      faults: [
        { service: "modelarts", action: "PatchNodePool", status: 503, code: "ModelArts.0001", message: "service busy", times: 2 },
        bad("modelarts", "PatchNodePool", `X-Security-Token ${c.huawei.securityToken} for AK/SK ${c.huawei.accessKeySecret} has expired`, 401, "APIGW.0307"),
      ],
    },
  ];
}

async function runAudit(run: Run): Promise<void> {
  const { engine, emulator } = run;
  await op(run, "preview (gen 1)", () => engine.preview());
  const up1 = await op(run, "up (gen 1)", () => engine.up());
  expect(up1.changeSummary).toMatchObject({ create: 10 }); // 9 resources and the stack

  engine.setConfig("gen", 2);
  const plan2 = await op(run, "preview (gen 2: every password changes)", () => engine.preview());
  expect(plan2.changeSummary).toMatchObject({ update: 6, replace: 2 });
  const up2 = await op(run, "up (gen 2: every password changes)", () => engine.up());
  expect(up2.changeSummary).toMatchObject({ update: 6, replace: 2 });

  engine.setConfig("gen", 3);
  for (const step of failingSteps(run.source)) {
    for (const f of step.faults) emulator.injectFault(f);
    const failed = await op(run, `up (gen 3, fails at ${step.resource})`, () => engine.up(), false);
    // The resource failed with its cloud error (so the echo reached the package), which the package redacted.
    expect(emulator.pendingFaults()).toEqual([]);
    const errors = failed.diagnostics.filter((d) => d.severity === "error" && d.urn);
    expect(errors.map((d) => d.urn!.split("::").pop())).toEqual([step.resource]);
    expect(errors[0].message).toContain(REDACTED);
  }
  const recovered = await op(run, "up (gen 3, no faults)", () => engine.up());
  expect(recovered.changeSummary).toEqual({ same: 9, update: 1 }); // only the ModelArts pool was left to change

  // Passwords that break the ACK rules: the check fails (no cloud call), and its message must not quote them.
  engine.setConfig("gen", INVALID_GEN);
  const invalid = await op(run, "preview (gen 4: ACK passwords fail the check)", () => engine.preview(), false);
  const checkErrors = invalid.diagnostics.filter((d) => d.severity === "error" && d.urn);
  expect(checkErrors.map((d) => d.urn!.split("::").pop())).toEqual(["ack-sec"]);
  // The failure names the field in its reason, not as a property path (the engine would print the value beside it).
  expect(checkErrors[0].message).toMatch(/resource 'ack-sec' has a problem: loginPassword must contain at least three of/);
  engine.setConfig("gen", 3);

  // Half-set credentials: an access key id in stack config without its secret. The error names the id masked.
  const creds = credentials(run.source);
  if (run.source === "cfg") engine.removeConfig("alicloud:secretKey");
  else engine.setConfig("alicloud:accessKey", creds.alibaba.accessKeyId);
  const incomplete = await op(run, "refresh (credentials incomplete)", () => engine.refresh(), false);
  const configErrors = incomplete.diagnostics.filter((d) => d.severity === "error" && /credentials are incomplete/.test(d.message));
  expect(configErrors.length).toBeGreaterThan(0);
  for (const d of configErrors) expect(d.message).toContain(`(${creds.alibaba.accessKeyId.slice(0, 4)}****)`);
  if (run.source === "cfg") engine.setConfig("alicloud:secretKey", creds.alibaba.accessKeySecret, { secret: true });
  else engine.removeConfig("alicloud:accessKey");

  await op(run, "refresh", () => engine.refresh());
  await op(run, "destroy", () => engine.destroy());
  expect(engine.state().resources.filter((r) => r.custom)).toEqual([]);
}

const OPERATIONS = [
  "preview (gen 1)",
  "up (gen 1)",
  "preview (gen 2: every password changes)",
  "up (gen 2: every password changes)",
  ...["ack", "ens", "eflo", "bc"].map((k) => `up (gen 3, fails at ${k}-sec)`),
  ...["ack", "ens", "eflo", "bc"].map((k) => `up (gen 3, fails at ${k}-pln)`),
  "up (gen 3, fails at modelarts)",
  "up (gen 3, no faults)",
  "preview (gen 4: ACK passwords fail the check)",
  "refresh (credentials incomplete)",
  "refresh",
  "destroy",
];

// ---- the tests -----------------------------------------------------------------------------------------------------

describe.each(["cfg", "env"] as const)("secrets audit, credentials from %s", (source) => {
  let run: Run;
  beforeAll(async () => {
    run = await startRun(source);
    await runAudit(run);
  });
  afterAll(async () => {
    await stopRun(run);
  });

  it("ran every operation, and the canaries were really in play (decrypted state holds them, wrapped as secrets)", () => {
    expect(run.results.map((r) => r.label)).toEqual(OPERATIONS);
    // Positive control for the scanner: after the gen-2 up the decrypted state holds every gen-2 secret of both variants.
    const mid = run.results[3].result.steps.flatMap((s) => (s.new ? [s.new] : []));
    const decrypted = JSON.stringify(mid);
    for (const v of VARIANTS) for (const value of Object.values(secretInputs(2, v))) expect(decrypted).toContain(JSON.stringify(value));
    expect(scan("control", decrypted).length).toBeGreaterThan(0);
    // And the plain-string variant's secrets are secret in the state too: the classes wrap them.
    for (const r of run.results[3].result.steps.filter((s) => /-pln$/.test(s.urn) && s.new)) {
      const out = r.new!.outputs;
      const key = ["loginPassword", "password", "ossCredentials"].find((k) => k in out);
      if (key) expect(out[key]).toMatchObject({ [SIG]: SECRET_SIG });
    }
  });

  it("finds no secret in the state file, anything printed, any error, step, output or __provider text", () => {
    const n = OPERATIONS.length;
    expect(run.scanned).toMatchObject({ rendered: n, json: n, "raw state": n, "__provider (state)": expect.any(Number) });
    expect(run.scanned["__provider (state)"]).toBeGreaterThanOrEqual(9);
    expect(run.scanned.diagnostics).toBeGreaterThan(9);
    // The provider's debug lines were printed (and scanned), including the redacted cloud errors.
    const hostOutput = run.results.map((r) => r.result.hostOutput).join("\n");
    expect(hostOutput).toContain("[pulumi-nodepools] ");
    expect(hostOutput).toMatch(/\[pulumi-nodepools\] .*\*\*\*/);
    if (run.leaks.length) throw new Error(`secrets leaked:\n${report(run.leaks)}`);
  });

  it("shows the access key ids only masked in what it prints, and keeps them out of the state's resources", () => {
    const creds = credentials(source);
    for (const id of [creds.alibaba.accessKeyId, creds.huawei.accessKeyId]) {
      for (const text of run.printed) expect(text).not.toContain(id);
      const raw = JSON.parse(run.engine.rawState());
      expect(JSON.stringify(raw.checkpoint.latest)).not.toContain(id);
      // Where the user put it: plain stack config (cfg run only).
      expect(JSON.stringify(raw.checkpoint.config ?? {}).includes(id)).toBe(source === "cfg");
    }
  });

  it("keeps passwords, OSS keys and tokens out of the emulator's request log (bodies, queries, headers)", () => {
    const log = run.emulator.requests();
    expect(log.length).toBeGreaterThan(50);
    const leaks = scan(`${source}/emulator request log`, JSON.stringify(log), NEEDLES.filter(isPasswordLike));
    if (leaks.length) throw new Error(`the request log shows secrets:\n${report(leaks)}`);
    // Positive control: the secret fields were sent, and the log shows them redacted.
    const bodies = (action: string) => log.filter((q: RecordedRequest) => q.action === action).map((q) => JSON.stringify([q.body, q.query]));
    expect(bodies("CreateClusterNodePool").join()).toContain(`"login_password":"${REDACTED}"`);
    expect(bodies("CreateNodeGroup").join()).toMatch(/LoginPassword\\?":\\?"\*\*\*/);
    expect(bodies("CreateCluster").join()).toMatch(/AccessKeySecret\\?":\\?"\*\*\*/);
    const tokens = log.filter((q) => q.headers["x-acs-security-token"] !== undefined || q.headers["x-security-token"] !== undefined);
    expect(tokens.length).toBeGreaterThan(0);
    for (const q of tokens) expect(q.headers["x-acs-security-token"] ?? q.headers["x-security-token"]).toBe(REDACTED);
  });
});

describe("__provider text as the program registers it (pulumi.runtime.setMocks)", () => {
  it("holds no password, OSS key, token or credential, with canary credentials in the program's environment", async () => {
    const providers: Array<{ name: string; text: string }> = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (typeof args.inputs.__provider === "string") providers.push({ name: args.name, text: args.inputs.__provider });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "secrets-audit",
      "dev",
      false,
    );
    const cfg = credentials("cfg");
    const env = credentials("env");
    const vars: Record<string, string> = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: env.alibaba.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: env.alibaba.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: env.alibaba.securityToken,
      HW_ACCESS_KEY: env.huawei.accessKeyId,
      HW_SECRET_KEY: env.huawei.accessKeySecret,
      HW_SECURITY_TOKEN: env.huawei.securityToken,
      // As the language host passes stack config, secret values included.
      PULUMI_CONFIG: JSON.stringify({
        "alicloud:accessKey": cfg.alibaba.accessKeyId,
        "alicloud:secretKey": cfg.alibaba.accessKeySecret,
        "alicloud:securityToken": cfg.alibaba.securityToken,
        "huaweicloud:secretKey": cfg.huawei.accessKeySecret,
        "huaweicloud:securityToken": cfg.huawei.securityToken,
      }),
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const { declareResources } = await import("./programs/secrets-audit/resources");
      for (const gen of GENERATIONS) {
        const { resources } = declareResources(gen);
        await Promise.all(resources.map((r) => new Promise<void>((resolve) => r.id.apply(() => resolve()))));
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    // 9 resources per generation, one provider text per resource kind.
    expect(providers).toHaveLength(9 * GENERATIONS.length);
    expect(new Set(providers.map((p) => p.text)).size).toBe(5);
    const ids = [cfg.alibaba.accessKeyId, cfg.huawei.accessKeyId, env.alibaba.accessKeyId, env.huawei.accessKeyId];
    const leaks = providers.flatMap((p) => [
      ...scan(`__provider of ${p.name}`, p.text),
      ...scan(`__provider of ${p.name}`, p.text, ids.map((value) => ({ label: "access key id", value })), false),
    ]);
    if (leaks.length) throw new Error(`__provider texts leak:\n${report(leaks)}`);
  });
});
