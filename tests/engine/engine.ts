/**
 * TestEngine: `pulumi preview` / `up` / `refresh` / `destroy` for one stack of a Pulumi TypeScript program,
 * without the Pulumi CLI. The program runs under `@pulumi/pulumi`'s own runner against an in-process resource
 * monitor; dynamic resources are handled by the real dynamic-provider host; state is a JSON checkpoint with
 * encrypted secrets. Test and demo support only: users run the real `pulumi`.
 *
 * ```ts
 * const eng = new TestEngine({ programDir, stack: "dev", stateFile, config: { size: 2 }, secretConfig: { password: "x" } });
 * const plan = await eng.preview();   // plan.rendered, plan.json, plan.steps
 * const up = await eng.up();          // up.ok, up.outputs, up.diagnostics
 * ```
 */
import { Deployment, messageOf } from "./deployment";
import { HostManager, type StackConfigEntry } from "./host";
import { destroy, refresh, type MaintenanceResult } from "./maintenance";
import { MonitorServer } from "./monitor";
import { readProject, runProgram, type ProgramResult, type ProjectInfo } from "./program";
import { makeSecret, unwrapSecrets, type PropertyMap } from "./properties";
import { renderJson, renderText } from "./render";
import { StateStore, type StackState } from "./state";
import { isLogical } from "./steps";
import type { Diagnostic, Operation, OperationResult, PreviewDigest, Step } from "./types";

export type ConfigValue = string | number | boolean | Record<string, unknown> | unknown[];

export interface TestEngineOptions {
  /** Directory with Pulumi.yaml and the program (index.ts unless Pulumi.yaml names `main`). */
  programDir: string;
  stack: string;
  /** The stack's state file; its encryption key is kept in `<stateFile>.key`. */
  stateFile: string;
  /** Stack config. Keys without a namespace get the project name (`size` -> `<project>:size`); non-strings are JSON. */
  config?: Record<string, ConfigValue>;
  /** Secret stack config: passed to the program as secret and never stored in plaintext. */
  secretConfig?: Record<string, ConfigValue>;
  /** Extra environment for the program and the provider host. */
  env?: Record<string, string | undefined>;
  /**
   * Receives what the dynamic-provider host prints (the provider's progress lines) as it prints it, in chunks that
   * need not end at line breaks; every operation's `hostOutput` has it all at the end.
   */
  onHostOutput?: (text: string) => void;
  /**
   * Provider Create and Update calls in flight at once, as `pulumi up --parallel` (default unbounded, as the CLI).
   * 1 handles registrations strictly one after another.
   */
  parallel?: number;
  timeouts?: {
    /** Whole program run (default 120 s). */
    programMs?: number;
    /** Provider host start-up (default 30 s). */
    hostStartMs?: number;
    /** Each provider call (default 120 s). */
    hostCallMs?: number;
  };
}

export interface OperationOptions {
  /** Also show same steps and replacement halves in `json` (`--show-sames --show-replacement-steps`). */
  jsonAllSteps?: boolean;
}

export class TestEngine {
  readonly project: ProjectInfo;
  private readonly store: StateStore;
  private readonly config = new Map<string, StackConfigEntry>();

  constructor(private readonly o: TestEngineOptions) {
    this.project = readProject(o.programDir);
    this.store = new StateStore(o.stateFile);
    for (const [k, v] of Object.entries(o.config ?? {})) this.setConfig(k, v);
    for (const [k, v] of Object.entries(o.secretConfig ?? {})) this.setConfig(k, v, { secret: true });
  }

  get stack(): string {
    return this.o.stack;
  }

  private key(k: string): string {
    return k.includes(":") ? k : `${this.project.name}:${k}`;
  }

  /** Sets one config value (as `pulumi config set [--secret]`). */
  setConfig(key: string, value: ConfigValue, opts: { secret?: boolean } = {}): void {
    this.config.set(this.key(key), { value: typeof value === "string" ? value : JSON.stringify(value), secret: Boolean(opts.secret) });
  }

  removeConfig(key: string): void {
    this.config.delete(this.key(key));
  }

  /** The current stack config, namespaced keys, plaintext values. */
  getConfig(): Record<string, string> {
    return Object.fromEntries([...this.config].map(([k, e]) => [k, e.value]));
  }

  /** The state as the engine sees it: secrets decrypted (wrapped as Pulumi secret values). */
  state(): StackState {
    return this.store.load(this.project.name, this.o.stack);
  }

  /** The state file's text, exactly as written. */
  rawState(): string {
    return this.store.raw();
  }

  preview(opts: OperationOptions = {}): Promise<OperationResult> {
    return this.runProgramOperation("preview", true, opts);
  }

  up(opts: OperationOptions = {}): Promise<OperationResult> {
    return this.runProgramOperation("up", false, opts);
  }

  refresh(opts: OperationOptions & { previewOnly?: boolean } = {}): Promise<OperationResult> {
    return this.runMaintenance("refresh", Boolean(opts.previewOnly), opts, refresh);
  }

  destroy(opts: OperationOptions & { previewOnly?: boolean } = {}): Promise<OperationResult> {
    return this.runMaintenance("destroy", Boolean(opts.previewOnly), opts, destroy);
  }

  // ------------------------------------------------------------------------------------------------------------

  private hostManager(): HostManager {
    return new HostManager({
      cwd: this.o.programDir,
      project: this.project.name,
      env: this.o.env,
      onOutput: this.o.onHostOutput,
      config: Object.fromEntries(this.config),
      startTimeoutMs: this.o.timeouts?.hostStartMs ?? 30_000,
      callTimeoutMs: this.o.timeouts?.hostCallMs ?? 120_000,
    });
  }

  private stateConfig(): StackState["config"] {
    return Object.fromEntries([...this.config].map(([k, e]) => [k, e.secret ? makeSecret(e.value) : e.value]));
  }

  private async runProgramOperation(operation: Operation, dryRun: boolean, opts: OperationOptions): Promise<OperationResult> {
    const started = Date.now();
    const diagnostics: Diagnostic[] = [];
    const report = (d: Diagnostic) => diagnostics.push(d);
    const old = this.store.load(this.project.name, this.o.stack);
    const hosts = this.hostManager();
    const deployment = new Deployment({ project: this.project.name, stack: this.o.stack, dryRun, old, hosts, report, parallel: this.o.parallel });
    const plainConfig = this.getConfig();
    const secretKeys = [...this.config].filter(([, e]) => e.secret).map(([k]) => k);
    let monitor: MonitorServer | undefined;
    let program: ProgramResult | undefined;
    // Start the provider host while the program boots (both take most of a second); a start failure
    // surfaces at the first dynamic resource, if there is one.
    hosts.get().catch(() => undefined);
    try {
      monitor = await MonitorServer.start({ project: this.project.name, stack: this.o.stack, dryRun, config: plainConfig, secretKeys }, deployment);
      const timeoutMs = this.o.timeouts?.programMs ?? 120_000;
      program = await runProgram({
        programDir: this.o.programDir,
        project: this.project,
        stack: this.o.stack,
        monitorAddress: monitor.address,
        dryRun,
        config: plainConfig,
        secretKeys,
        env: this.o.env,
        timeoutMs,
      });
      for (const line of program.stdout.split("\n").filter((l) => l.trim())) report({ severity: "info", message: line, source: "program" });
      if (program.timedOut) {
        deployment.failed = true;
        report({ severity: "error", message: `the program did not finish within ${timeoutMs} ms and was killed${tail(program.stderr)}`, source: "engine" });
      } else if (program.exitCode !== 0) {
        deployment.failed = true;
        if (!diagnostics.some((d) => d.severity === "error")) {
          report({ severity: "error", message: `the program exited with ${program.exitCode ?? program.signal}${tail(program.stderr)}`, source: "program" });
        }
      }
      await deployment.finish();
    } catch (e) {
      deployment.failed = true;
      report({ severity: "error", message: messageOf(e), source: "engine" });
    } finally {
      await monitor?.stop();
      await hosts.stop();
    }
    if (!dryRun) this.store.save({ ...deployment.newState(), config: this.stateConfig() });

    const notes: string[] = [];
    if (deployment.simulated.length) {
      const n = deployment.simulated.length;
      notes.push(`note: ${n} resource${n === 1 ? " of another provider is" : "s of other providers are"} simulated: ${deployment.simulated.join(", ")}`);
    }
    const outputs = unwrapSecrets(deployment.stackOutputs());
    return this.result(operation, dryRun, started, deployment.steps, diagnostics, notes, deployment.stackOutputs(), outputs, hosts, opts, program, !deployment.failed);
  }

  private async runMaintenance(
    operation: Operation,
    dryRun: boolean,
    opts: OperationOptions,
    fn: (s: StackState, ctx: { hosts: HostManager; dryRun: boolean; report: (d: Diagnostic) => void }) => Promise<MaintenanceResult>,
  ): Promise<OperationResult> {
    const started = Date.now();
    const diagnostics: Diagnostic[] = [];
    const old = this.store.load(this.project.name, this.o.stack);
    const hosts = this.hostManager();
    let r: MaintenanceResult | undefined;
    try {
      r = await fn(old, { hosts, dryRun, report: (d) => diagnostics.push(d) });
    } catch (e) {
      diagnostics.push({ severity: "error", message: messageOf(e), source: "engine" });
    } finally {
      await hosts.stop();
    }
    if (!dryRun && r) this.store.save({ ...r.state, config: this.stateConfig() });
    const notes = r?.simulated.length ? [`note: ${r.simulated.length} resource${r.simulated.length === 1 ? " of another provider was" : "s of other providers were"} not refreshed (simulated): ${r.simulated.join(", ")}`] : [];
    const stack = (r?.state ?? old).resources.find((x) => x.type === "pulumi:pulumi:Stack");
    const raw = stack?.outputs ?? {};
    return this.result(operation, dryRun, started, r?.steps ?? [], diagnostics, notes, raw, unwrapSecrets(raw), hosts, opts, undefined, Boolean(r && !r.failed));
  }

  private result(
    operation: Operation,
    dryRun: boolean,
    started: number,
    steps: Step[],
    diagnostics: Diagnostic[],
    notes: string[],
    rawOutputs: PropertyMap,
    outputs: PropertyMap,
    hosts: HostManager,
    opts: OperationOptions,
    program: ProgramResult | undefined,
    ok: boolean,
  ): OperationResult {
    const durationMs = Date.now() - started;
    const changeSummary = summarise(steps);
    const hostOutput = hosts.output.join("");
    if (diagnostics.some((d) => d.source === "provider" && d.severity === "error") && hostOutput.trim()) {
      diagnostics.push({ severity: "info", message: `dynamic-provider host output${tail(hostOutput)}`, source: "provider" });
    }
    const rendered = renderText({ operation, dryRun, project: this.project.name, stack: this.o.stack, steps, changeSummary, diagnostics, outputs: rawOutputs, notes, durationMs });
    const json = renderJson({
      steps,
      config: Object.fromEntries(this.config),
      diagnostics: [...diagnostics, ...notes.map((message) => ({ severity: "info" as const, message, source: "engine" as const }))],
      changeSummary,
      durationMs,
      all: opts.jsonAllSteps,
    });
    return {
      operation,
      ok,
      steps,
      changeSummary,
      rendered,
      json,
      outputs,
      diagnostics,
      notes,
      hostOutput,
      program: program && { exitCode: program.exitCode, stdout: program.stdout, stderr: program.stderr },
      durationMs,
    };
  }
}

/**
 * The `--json` digest of a finished operation again, with other display options, e.g. `{ all: true }` for
 * `--show-sames --show-replacement-steps`.
 */
export function previewJson(r: OperationResult, opts: { all?: boolean } = {}): PreviewDigest {
  const config = Object.fromEntries(Object.entries(r.json.config ?? {}).map(([k, v]) => [k, { value: v, secret: false }]));
  const diagnostics = [...r.diagnostics, ...r.notes.map((message) => ({ severity: "info" as const, message, source: "engine" as const }))];
  return renderJson({ steps: r.steps, config, diagnostics, changeSummary: r.changeSummary, durationMs: r.durationMs, all: opts.all });
}

/** Logical steps per op (refresh steps by what they found), as the CLI's summary counts them. */
function summarise(steps: Step[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of steps) {
    const op = s.op === "refresh" ? s.refreshResult! : s.op;
    if (!isLogical(op)) continue;
    out[op] = (out[op] ?? 0) + 1;
  }
  return out;
}

function tail(stderr: string): string {
  const text = stderr.trim();
  if (!text) return "";
  const lines = text.split("\n");
  return `:\n${lines.slice(-40).join("\n")}`;
}
