/**
 * Runs a Pulumi TypeScript program the way the Node.js language host does: `@pulumi/pulumi/cmd/run` with
 * the monitor and engine addresses, project, stack and dry-run flag, config in `PULUMI_CONFIG`, and
 * ts-node in transpile-only mode. The child is killed when its time is up.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { trackChild, untrackChild } from "./children";

export interface ProjectInfo {
  name: string;
  /** Entry point relative to the program directory (Pulumi.yaml `main`), else the directory itself. */
  main?: string;
}

/** Reads `name` (and `main`) from Pulumi.yaml; only top-level scalar keys are needed. */
export function readProject(programDir: string): ProjectInfo {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${programDir}: no Pulumi.yaml`);
  const text = fs.readFileSync(file, "utf8");
  const scalar = (key: string) => {
    const m = new RegExp(`^${key}:[ \\t]*(.+?)[ \\t]*$`, "m").exec(text);
    return m ? m[1].replace(/^(["'])(.*)\1$/, "$2") : undefined;
  };
  const name = scalar("name");
  if (!name) throw new Error(`${file}: no project name`);
  const runtime = scalar("runtime") ?? (/^runtime:\s*\n\s+name:\s*(\S+)/m.exec(text)?.[1] ?? "");
  if (!/^nodejs\b/.test(runtime)) throw new Error(`${file}: runtime "${runtime}" is not supported by the test engine (nodejs only)`);
  return { name, main: scalar("main") };
}

export interface RunProgramOptions {
  programDir: string;
  project: ProjectInfo;
  stack: string;
  monitorAddress: string;
  dryRun: boolean;
  /** Plaintext config (namespaced keys) and the keys that are secret. */
  config: Record<string, string>;
  secretKeys: string[];
  env?: Record<string, string | undefined>;
  timeoutMs: number;
}

export interface ProgramResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runProgram(o: RunProgramOptions): Promise<ProgramResult> {
  const runScript = require.resolve("@pulumi/pulumi/cmd/run");
  const entry = o.project.main ? path.resolve(o.programDir, o.project.main) : o.programDir;
  const args = [
    "--require",
    path.join(__dirname, "preload.js"),
    runScript,
    `--monitor=${o.monitorAddress}`,
    `--engine=${o.monitorAddress}`,
    `--project=${o.project.name}`,
    `--stack=${o.stack}`,
    `--root-directory=${o.programDir}`,
    ...(o.dryRun ? ["--dry-run"] : []),
    entry,
  ];
  const child = spawn(process.execPath, args, {
    cwd: o.programDir,
    env: {
      ...process.env,
      ...o.env,
      PULUMI_NODEJS_TYPESCRIPT: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      PULUMI_CONFIG: JSON.stringify(o.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretKeys),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"), 2000).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("error", (e) => {
      clearTimeout(timer);
      untrackChild(child.pid);
      reject(e);
    });
    child.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      untrackChild(child.pid);
      resolve({ exitCode, signal, stdout, stderr, timedOut });
    });
  });
}
