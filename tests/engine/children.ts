/**
 * Child processes started by the test engine (programs, provider hosts). If the test process exits while one is
 * still running (a jest timeout, a crash), it is killed rather than left behind.
 */
const running = new Set<number>();
let hooked = false;

export function trackChild(pid: number | undefined): void {
  if (pid === undefined) return;
  running.add(pid);
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const p of running) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // already gone
        }
      }
    });
  }
}

export function untrackChild(pid: number | undefined): void {
  if (pid !== undefined) running.delete(pid);
}
