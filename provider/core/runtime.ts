/**
 * What a handler needs at call time: stack config (from the dynamic provider's `configure`), the
 * environment, a clock and a log sink. Nothing is captured when the program is serialized; the serialized
 * shim forwards `configure` here inside the provider host.
 */
import { systemClock, type Clock } from "./clock";
import { defaultResolveContext, emptyConfig, type ConfigReader, type ResolveContext } from "./settings";

export interface Runtime {
  resolve: ResolveContext;
  clock: Clock;
  /**
   * Debug lines (already redacted by the HTTP layer); undefined unless NODEPOOLS_DEBUG is set, so that nothing is
   * formatted or redacted for a sink that drops it.
   */
  log: ((line: string) => void) | undefined;
  /** Progress lines for long waits, shown by the Pulumi CLI as provider output. */
  progress: (line: string) => void;
  /** Multiplies every waiter delay; tests and the emulator demo use a small value. */
  pollDelayScale: number;
}

let stackConfig: ConfigReader = emptyConfig;
let overrides: Partial<Runtime> & { config?: ConfigReader } = {};

/** Called from the serialized shim's configure(req): the full, namespaced stack config. */
export function setStackConfig(config: ConfigReader): void {
  stackConfig = config;
}

/** Tests inject a fake clock, config or environment here. */
export function setRuntimeOverrides(o: Partial<Runtime> & { config?: ConfigReader }): void {
  overrides = o;
}

export function currentRuntime(): Runtime {
  const resolve = overrides.resolve ?? defaultResolveContext(overrides.config ?? stackConfig);
  const env = resolve.env;
  const scale = Number(env.NODEPOOLS_POLL_DELAY_SCALE ?? "1");
  return {
    resolve,
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? (env.NODEPOOLS_DEBUG ? (line) => console.error(`[pulumi-nodepools] ${line}`) : undefined),
    progress: overrides.progress ?? ((line) => console.log(line)),
    pollDelayScale: overrides.pollDelayScale ?? (Number.isFinite(scale) && scale >= 0 ? scale : 1),
  };
}
