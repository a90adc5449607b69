// Tests that start a real provider host load the built package (dist/) by name; rebuild it when a source
// file is newer, so that no test ever runs against stale output.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

module.exports = async () => {
  const root = path.resolve(__dirname, "..");
  const marker = path.join(root, "dist", "provider", "handlers.js");
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (newest(path.join(root, "provider")) > built) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
    fs.utimesSync(marker, new Date(), new Date());
  }
};
