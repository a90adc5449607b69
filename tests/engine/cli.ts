/**
 * The test engine from a shell, for demos (users run the real `pulumi`):
 *
 *   npm run engine -- preview --cwd examples/ack --stack dev --state .state/dev.json \
 *       --config alicloud:region=cn-hangzhou --secret alicloud:secretKey=... [--json]
 *
 * Operations: preview, up, refresh, destroy. Exits 1 when the operation fails.
 */
import * as path from "path";
import { TestEngine } from "./engine";

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error("usage: engine <preview|up|refresh|destroy> --cwd DIR --stack NAME --state FILE [--config k=v]... [--secret k=v]... [--json]");
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const [op, ...rest] = argv;
  if (!op || !["preview", "up", "refresh", "destroy"].includes(op)) usage(op ? `unknown operation "${op}"` : undefined);
  const opts: { cwd?: string; stack?: string; state?: string; json: boolean; config: Record<string, string>; secret: Record<string, string> } = {
    json: false,
    config: {},
    secret: {},
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = () => rest[++i] ?? usage(`${flag} needs a value`);
    const pair = (text: string) => {
      const eq = text.indexOf("=");
      if (eq <= 0) usage(`expected key=value, got "${text}"`);
      return [text.slice(0, eq), text.slice(eq + 1)] as const;
    };
    if (flag === "--cwd") opts.cwd = value();
    else if (flag === "--stack") opts.stack = value();
    else if (flag === "--state") opts.state = value();
    else if (flag === "--json") opts.json = true;
    else if (flag === "--config") {
      const [k, v] = pair(value());
      opts.config[k] = v;
    } else if (flag === "--secret") {
      const [k, v] = pair(value());
      opts.secret[k] = v;
    } else usage(`unknown flag ${flag}`);
  }
  if (!opts.cwd || !opts.stack || !opts.state) usage("--cwd, --stack and --state are required");
  const engine = new TestEngine({
    programDir: path.resolve(opts.cwd),
    stack: opts.stack,
    stateFile: path.resolve(opts.state),
    config: opts.config,
    secretConfig: opts.secret,
  });
  const result = await engine[op as "preview" | "up" | "refresh" | "destroy"]();
  if (opts.json) console.log(JSON.stringify(result.json, null, 4));
  else {
    if (result.hostOutput.trim()) process.stderr.write(result.hostOutput);
    console.log(result.rendered);
  }
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
