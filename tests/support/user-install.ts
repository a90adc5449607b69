/**
 * A project directory with this package installed the way npm installs it from the registry: a real copy of
 * `package.json` and `dist/provider` under `node_modules/pulumi-nodepools`, its dependencies linked from this
 * checkout (the same module instances as the test engine's, and nothing fetched).
 *
 * Where the package sits matters to the state: Pulumi's closure serializer stores a provider object that is a module
 * under node_modules as a `require` of that module, while a package loaded from a checkout (this repository's own
 * tests, `npm link`) is serialized by value (provider/core/shim.ts). Measurements of `__provider` and of state size
 * must therefore run in such a project, as users do. tests/examples/pack.test.ts checks the same with a real
 * `npm pack` and `npm install`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./provider-host";

/** Links each dependency from this checkout's node_modules into `dir`'s (its real path, so one module instance). */
export function linkDependencies(dir: string, deps: Iterable<string>): void {
  for (const dep of deps) {
    const link = path.join(dir, "node_modules", dep);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", dep)), link, "dir");
  }
}

/** Installs the built package (dist/ must be current) into `dir`; returns the installed package's directory. */
export function installPackageCopy(dir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const installed = path.join(dir, "node_modules", "pulumi-nodepools");
  fs.mkdirSync(path.join(installed, "dist"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(installed, "package.json"));
  fs.cpSync(path.join(REPO_ROOT, "dist", "provider"), path.join(installed, "dist", "provider"), { recursive: true });
  linkDependencies(dir, Object.keys(pkg.dependencies));
  return installed;
}

/** Copies a program directory (Pulumi.yaml, index.ts, ...) into the project, next to its node_modules. */
export function copyProgram(from: string, projectDir: string, name = path.basename(from)): string {
  const to = path.join(projectDir, name);
  fs.cpSync(from, to, { recursive: true, filter: (f) => path.basename(f) !== "node_modules" });
  return to;
}

/**
 * `__provider` of every resource type as `pulumi.dynamic.Resource` serializes it, with `pulumi-nodepools` resolved
 * from `cwd` by package name, as a program there resolves it: a project of {@link installPackageCopy}, or this
 * checkout (serialized by value). One resource of each kind the package serves (`kinds` of its handlers, whose names
 * are the classes' export paths) is registered under Pulumi's mocks in a node process started there.
 */
export function serializedProviders(cwd: string): Record<string, string> {
  const program = `
    const pulumi = require("@pulumi/pulumi");
    const texts = {};
    pulumi.runtime.setMocks({ newResource: (a) => { texts[a.name] = a.inputs.__provider; return { id: a.name, state: a.inputs }; }, call: (a) => a.inputs }, "proj", "dev", false);
    const pkg = require("pulumi-nodepools");
    const made = require("pulumi-nodepools/handlers").kinds.map((kind) => new (kind.split(".").reduce((o, k) => o[k], pkg))(kind, {}));
    Promise.all(made.map((r) => new Promise((ok) => r.urn.apply(ok)))).then(() => process.stdout.write(JSON.stringify(texts)));
  `;
  return JSON.parse(execFileSync(process.execPath, ["-e", program], { cwd, encoding: "utf8" }));
}
