/**
 * Peak memory of the dynamic-provider hosts the test engine starts (one per operation, children of this process):
 * every `intervalMs` it finds them in /proc and reads `VmHWM` (the kernel's peak resident set size of the process
 * since it started) and `VmRSS` from /proc/<pid>/status. VmHWM only grows, so the last sample before a host exits
 * holds its peak up to that moment. Linux only; elsewhere {@link available} is false.
 */
import * as fs from "fs";

export interface HostMemoryPeak {
  /** Largest VmHWM seen, in KiB. */
  peakKb: number;
  /** Hosts seen. */
  hosts: number;
  samples: number;
}

export class HostMemorySampler {
  readonly available = fs.existsSync("/proc/self/status");
  private timer?: NodeJS.Timeout;
  private peakKb = 0;
  private samples = 0;
  private readonly hosts = new Set<number>();

  start(intervalMs = 100): void {
    if (!this.available || this.timer) return;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  peak(): HostMemoryPeak {
    return { peakKb: this.peakKb, hosts: this.hosts.size, samples: this.samples };
  }

  /** One look at every dynamic-provider host that is a child of this process. */
  sample(): void {
    let pids: string[];
    try {
      pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    for (const pid of pids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ")".
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid !== process.pid) continue;
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!/dynamic-provider/.test(cmdline)) continue;
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const hwm = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
        this.hosts.add(Number(pid));
        this.samples++;
        this.peakKb = Math.max(this.peakKb, hwm);
      } catch {
        // the process ended between the listing and the read
      }
    }
  }
}
