/**
 * One dynamic-provider host per engine operation, started on first use in the program's directory and
 * configured with the whole stack config, as the engine starts the `pulumi-resource-pulumi-nodejs` plugin.
 */
import { ProviderHost, secretValue } from "../support/provider-host";
import { trackChild, untrackChild } from "./children";

export interface StackConfigEntry {
  value: string;
  secret: boolean;
}

export interface HostManagerOptions {
  cwd: string;
  project: string;
  env?: Record<string, string | undefined>;
  /** Called with every chunk the host prints, as it prints it. */
  onOutput?: (text: string) => void;
  config: Record<string, StackConfigEntry>;
  startTimeoutMs: number;
  callTimeoutMs: number;
}

export class HostManager {
  private host?: Promise<ProviderHost>;
  readonly output: string[] = [];

  constructor(private readonly o: HostManagerOptions) {}

  get(): Promise<ProviderHost> {
    this.host ??= this.start();
    return this.host;
  }

  private async start(): Promise<ProviderHost> {
    const plain = Object.fromEntries(Object.entries(this.o.config).map(([k, e]) => [k, e.value]));
    const host = await ProviderHost.start({
      cwd: this.o.cwd,
      env: {
        ...this.o.env,
        PULUMI_CONFIG: JSON.stringify(plain),
        PULUMI_NODEJS_PROJECT: this.o.project,
        PULUMI_PROJECT: this.o.project,
      },
      onOutput: (text) => {
        this.output.push(text);
        this.o.onOutput?.(text);
      },
      startTimeoutMs: this.o.startTimeoutMs,
      callTimeoutMs: this.o.callTimeoutMs,
    });
    trackChild(host.pid);
    try {
      await host.configure(Object.fromEntries(Object.entries(this.o.config).map(([k, e]) => [k, e.secret ? secretValue(e.value) : e.value])));
    } catch (e) {
      await host.stop("SIGKILL");
      untrackChild(host.pid);
      throw e;
    }
    return host;
  }

  async stop(): Promise<void> {
    if (!this.host) return;
    const h = await this.host.catch(() => undefined);
    this.host = undefined;
    await h?.stop();
    untrackChild(h?.pid);
  }
}
