// Preloaded (`NODE_OPTIONS=--require`) by scripts/bench.ts into the processes the test engine starts: the Pulumi
// program (`@pulumi/pulumi/cmd/run`) and the dynamic-provider host. When such a process ends it writes its own
// `process.resourceUsage()` (getrusage(2) of the process: user and system CPU time, max RSS) to
// `$BENCH_USAGE_DIR/<role>-<pid>.json`. Nothing is sampled while the process runs: one system call at the end,
// so the figures are exact and the process is not perturbed.
//
// The host has no SIGTERM handler and the engine stops it with SIGTERM, so the usage would be lost: this file adds a
// handler that writes the usage, removes itself and sends SIGTERM again, so the process still dies by the signal,
// as without it.
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.env.BENCH_USAGE_DIR;
const script = process.argv[1] || "";
const role = /dynamic-provider/.test(script) ? "host" : /[\\/]cmd[\\/]run/.test(script) ? "program" : undefined;

if (dir && role) {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const u = process.resourceUsage();
    const record = { role, pid: process.pid, userCpuMs: u.userCPUTime / 1000, systemCpuMs: u.systemCPUTime / 1000, maxRssKb: u.maxRSS, uptimeMs: process.uptime() * 1000 };
    try {
      fs.writeFileSync(path.join(dir, `${role}-${process.pid}.json`), JSON.stringify(record));
    } catch {
      // the bench reports the usage as missing
    }
  };
  process.on("exit", write);
  const onTerm = () => {
    write();
    process.removeListener("SIGTERM", onTerm);
    process.kill(process.pid, "SIGTERM");
  };
  process.on("SIGTERM", onTerm);
}
