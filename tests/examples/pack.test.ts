/**
 * The package installed as a user installs it: `npm pack` (the `files` field, the `prepack` build), the tarball
 * installed into a fresh project outside this checkout, an example program run there through the test engine against
 * the emulator. This proves that
 *
 * - the serialized provider in the state (`__provider`) is a reference to the package's shim module, which finds its
 *   handlers by package name in the installed package, and holds no path of this checkout (nor of the project);
 * - the state written there can be destroyed by a provider host started in another directory with its own install
 *   (the first project is deleted before the destroy).
 *
 * How the projects get their dependencies: `npm install --offline --no-audit --no-fund --ignore-scripts <tgz>`
 * installs the tarball itself (a real copy under node_modules/pulumi-nodepools); the tarball's and the example's
 * dependencies (@pulumi/pulumi, @pulumi/alicloud, axios, zod) are symlinked beforehand from this checkout's
 * node_modules, which npm accepts as satisfying them, so that nothing is fetched (offline, ~2 s per install; an
 * offline install of the whole dependency tree from the npm cache is not reliable without a lockfile and takes far
 * longer). The links also matter for the engine: it runs programs with this checkout's `@pulumi/pulumi` runner, and
 * a linked `@pulumi/pulumi` is the same module instance as the program's. `--ignore-scripts` keeps npm from running
 * lifecycle scripts of the linked packages inside this checkout.
 *
 * `npm pack` runs on a copy of the checkout (without node_modules, dist and .git), so that its prepack build writes
 * the copy's dist/ and never rewrites the dist/ that other tests' provider hosts are loading at the same time.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudEmulator } from "../../provider/emulator";
import { REPO_ROOT } from "../support/provider-host";
import { linkDependencies } from "../support/user-install";
import { TestEngine } from "../engine";
import { EXAMPLES } from "./table";

jest.setTimeout(300_000);

const EXAMPLE = EXAMPLES.find((e) => e.dir === "ack-gpu-nodepool")!;
const NODEPOOL = "pulumi-nodejs:dynamic/alicloud/ack:NodePool";
/** Not copied for `npm pack`: installs, builds, VCS and the .gitignore'd outputs. */
const NOT_COPIED = new Set(["node_modules", "dist", ".git", ".state", "coverage", "bench-results"]);

function npm(args: string[], cwd: string): Promise<string> {
  const env = { ...process.env, npm_config_update_notifier: "false" };
  return new Promise((resolve, reject) =>
    execFile("npm", args, { cwd, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

/** `npm pack` of a copy of this checkout; returns the tarball's path and its file list. */
async function pack(tmp: string): Promise<{ tgz: string; files: string[] }> {
  const src = path.join(tmp, "src");
  fs.cpSync(REPO_ROOT, src, {
    recursive: true,
    filter: (from) => {
      const rel = path.relative(REPO_ROOT, from);
      return !(NOT_COPIED.has(rel) || path.basename(from) === "node_modules" || from.endsWith(".tgz"));
    },
  });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
  const out = await npm(["pack", "--json", "--pack-destination", tmp], src);
  const [info] = JSON.parse(out.slice(out.indexOf("[")));
  return { tgz: path.join(tmp, info.filename), files: info.files.map((f: { path: string }) => f.path) };
}

/** A fresh project with the example program and the tarball installed, as a user would set it up. */
async function install(dir: string, tgz: string): Promise<void> {
  const exampleDir = path.join(REPO_ROOT, "examples", EXAMPLE.dir);
  fs.cpSync(exampleDir, dir, { recursive: true, filter: (from) => path.basename(from) !== "node_modules" });
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  delete pkg.dependencies["pulumi-nodepools"];
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  linkDependencies(dir, new Set([...Object.keys(pkg.dependencies), ...Object.keys(ours.dependencies)]));
  await npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tgz], dir);
}

/** What `require(id)` finds from `dir`, as the dynamic-provider host started there resolves it (a separate node). */
function resolveFrom(dir: string, id: string): string {
  return execFileSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(id)})`], { cwd: dir, encoding: "utf8" }).trim();
}

describe("the packed package, installed in a fresh project", () => {
  let tmp: string;
  let emulator: CloudEmulator;

  beforeAll(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-pack-")));
    emulator = await CloudEmulator.start({ progression: { kind: "polls", count: 2 } });
  });
  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("runs an example from the tarball; another install elsewhere destroys its state", async () => {
    expect(tmp.startsWith(REPO_ROOT + path.sep)).toBe(false);

    // npm pack: the built package, its README and docs; no sources, tests or examples.
    const { tgz, files } = await pack(tmp);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/handlers.js"]));
    expect(files.filter((f) => !/^(dist\/provider\/|docs\/)/.test(f)).sort()).toEqual(["README.md", "package.json"]);

    const first = path.join(tmp, "first");
    const second = path.join(tmp, "second");
    await Promise.all([install(first, tgz), install(second, tgz)]);
    for (const dir of [first, second]) {
      const installed = path.join(dir, "node_modules", "pulumi-nodepools");
      expect(fs.lstatSync(installed).isDirectory()).toBe(true); // a copy from the tarball, not a link
      expect(resolveFrom(dir, "pulumi-nodepools/handlers")).toBe(path.join(installed, "dist", "provider", "handlers.js"));
    }

    EXAMPLE.seed(emulator);
    const stateFile = path.join(tmp, "state", "dev.json");
    const options = (programDir: string) => ({
      programDir,
      stack: "dev",
      stateFile,
      config: EXAMPLE.config(emulator),
      secretConfig: EXAMPLE.secretConfig(emulator),
      env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
    });

    const up = await new TestEngine(options(first)).up();
    if (!up.ok) throw new Error(`up failed:\n${up.rendered}\n${up.diagnostics.map((d) => d.message).join("\n")}`);
    expect(EXAMPLE.cloudObjects(emulator)).toHaveLength(1);

    const engine = new TestEngine(options(second));
    const pool = engine.state().resources.find((r) => r.type === NODEPOOL)!;
    const provider = pool.inputs.__provider;
    expect(typeof provider).toBe("string");
    // Installed under node_modules, the provider is stored as a reference to its shim module (provider/shims/).
    expect(provider).toContain('require("pulumi-nodepools/dist/provider/shims/ack-nodepool.js")');
    expect(provider).not.toContain("configure");
    expect(provider).not.toContain(REPO_ROOT);
    expect(provider).not.toContain(tmp);
    expect(pool.outputs.__provider).toBe(provider);
    expect(engine.rawState()).not.toContain(REPO_ROOT);

    // The project that wrote the state is gone; the second install, in another directory, destroys.
    fs.rmSync(first, { recursive: true, force: true });
    const destroy = await engine.destroy();
    if (!destroy.ok) throw new Error(`destroy failed:\n${destroy.rendered}\n${destroy.diagnostics.map((d) => d.message).join("\n")}`);
    expect(destroy.changeSummary).toEqual({ delete: 2 });
    expect(engine.state().resources).toEqual([]);
    expect(EXAMPLE.cloudObjects(emulator)).toEqual([]);
  });
});
