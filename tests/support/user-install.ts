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
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Installs the built package (dist/ must be current) into `dir`; returns the installed package's directory. */
export function installPackageCopy(dir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const installed = path.join(dir, "node_modules", "pulumi-nodepools");
  fs.mkdirSync(path.join(installed, "dist"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(installed, "package.json"));
  fs.cpSync(path.join(REPO_ROOT, "dist", "provider"), path.join(installed, "dist", "provider"), { recursive: true });
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = path.join(dir, "node_modules", dep);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", dep)), link, "dir");
  }
  return installed;
}

/** Copies a program directory (Pulumi.yaml, index.ts, ...) into the project, next to its node_modules. */
export function copyProgram(from: string, projectDir: string, name = path.basename(from)): string {
  const to = path.join(projectDir, name);
  fs.cpSync(from, to, { recursive: true, filter: (f) => path.basename(f) !== "node_modules" });
  return to;
}
