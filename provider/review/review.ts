/**
 * `pulumi-nodepools review`: turns the JSON of `pulumi preview --json` (the CLI's PreviewDigest, or the test
 * engine's plan, which has the same shape) into a Markdown comment for a pull request: per node pool the
 * action, each changed property, the rule that forces a replacement, and risk notes (nodes removed by a
 * replacement, scale-in or deletion; changes that reach only new nodes).
 */
import { comparable } from "../core/fields/normalise";
import { getPath, type FieldSpec, type ResourceSpec } from "../core/fields/spec";

type Props = Record<string, unknown>;

/** The parts of a PreviewDigest step this command reads (sdk/pkg/display/json.go, apitype.ResourceV3). */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { type?: string; id?: string; inputs?: Props; outputs?: Props };
  newState?: { type?: string; id?: string; inputs?: Props; outputs?: Props };
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, unknown> | null;
}

export interface PreviewDigest {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
}

export type Action = "create" | "update" | "replace" | "delete";

export interface PropertyChange {
  path: string;
  old: string;
  new: string;
}

export interface PoolReview {
  urn: string;
  name: string;
  resource: string;
  action: Action;
  changes: PropertyChange[];
  /** For replacements: the forcing property with the documented rule. */
  forcedBy: Array<{ path: string; rule: string }>;
  risks: string[];
  /** Nodes this plan removes from the pool (replacement, deletion, scale-in). */
  nodesRemoved: number;
}

export interface ReviewResult {
  pools: PoolReview[];
  markdown: string;
  /** Resources of other types in the plan that change (not reviewed here). */
  otherChanges: number;
}

export interface ReviewOptions {
  specs: ResourceSpec[];
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "replace-replaced"]);
const MASK = "[secret]";

/** Pulumi's unknown value in JSON previews. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function parseDigest(text: string): PreviewDigest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`the input is not JSON (expected the output of \`pulumi preview --json\`): ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("the input is not a preview digest: expected a JSON object with a `steps` array (`pulumi preview --json`)");
  }
  const digest = parsed as PreviewDigest;
  if (digest.steps !== undefined && !Array.isArray(digest.steps)) throw new Error("`steps` must be an array");
  return digest;
}

function nameOf(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

function typeOf(step: PreviewStep): string | undefined {
  return step.newState?.type ?? step.oldState?.type ?? urnType(step.urn);
}

function urnType(urn: string): string | undefined {
  // urn:pulumi:stack::project::parentType$type::name
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  const chain = parts[2].split("$");
  return chain[chain.length - 1];
}

function show(value: unknown, field: FieldSpec | undefined): string {
  if (value === undefined || value === null) return "(unset)";
  if (field?.secret || value === MASK) return MASK;
  if (value === UNKNOWN) return "(known after apply)";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  // Scripts stored as base64 are shown as the text a reviewer wrote.
  if (field?.normalise === "base64" && typeof value === "string") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    if (!/[^\t\n\r\x20-\x7e]/.test(decoded)) text = decoded.replace(/\n/g, "\\n");
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function cell(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/**
 * Secrets arrive masked on both sides, so their change is known only from the step's diff keys
 * (`diffReasons` are top-level keys; `detailedDiff` keys are property paths).
 */
function secretChanged(field: FieldSpec, steps: PreviewStep[]): boolean {
  const top = field.path.split(".")[0];
  return steps.some((s) => (s.diffReasons ?? []).includes(top) || Object.keys(s.detailedDiff ?? {}).some((k) => k === field.path || k.startsWith(`${field.path}.`)));
}

function changedFields(spec: ResourceSpec, olds: Props, news: Props, steps: PreviewStep[]): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const field of spec.fields) {
    const o = getPath(olds, field.path);
    const n = getPath(news, field.path);
    if (o === undefined && n === undefined) continue;
    if (field.secret && o !== undefined && n !== undefined) {
      const visiblyDifferent = o !== MASK && n !== MASK && comparable(field, o) !== comparable(field, n);
      if (visiblyDifferent || secretChanged(field, steps)) changes.push({ path: field.path, old: MASK, new: MASK });
      continue;
    }
    if (o !== undefined && n !== undefined && comparable(field, o) === comparable(field, n)) continue;
    changes.push({ path: field.path, old: show(o, field), new: show(n, field) });
  }
  return changes;
}

function ruleFor(spec: ResourceSpec, path: string): string {
  const field = spec.fields.find((f) => f.path === path);
  if (!field) return "requested by the program (replaceOnChanges) or the command line (--replace)";
  if (field.change.kind === "replace") return `${field.change.source}. ${field.doc}`;
  return `${field.doc}`;
}

function reviewPool(spec: ResourceSpec, steps: PreviewStep[]): PoolReview | undefined {
  const ops = new Set(steps.map((s) => s.op));
  let action: Action | undefined;
  if ([...ops].some((op) => REPLACE_OPS.has(op))) action = "replace";
  else if (ops.has("create")) action = "create";
  else if (ops.has("update")) action = "update";
  else if (ops.has("delete")) action = "delete";
  if (!action) return undefined;

  const main = steps.find((s) => s.op === "replace") ?? steps.find((s) => s.op === action) ?? steps[0];
  const old = steps.find((s) => s.oldState)?.oldState;
  const neu = [...steps].reverse().find((s) => s.newState)?.newState;
  const olds = old?.inputs ?? {};
  const news = action === "delete" ? {} : neu?.inputs ?? {};
  const oldOutputs = old?.outputs ?? {};
  const unit = spec.review?.unit ?? "nodes";
  const running = spec.review?.runningNodes(oldOutputs);
  const risks: string[] = [];
  let nodesRemoved = 0;

  const changes = action === "create" || action === "delete" ? [] : changedFields(spec, olds, news, steps);
  const reasons = [...new Set(steps.flatMap((s) => s.replaceReasons ?? []))];
  const forcedBy = action === "replace" ? reasons.map((path) => ({ path, rule: ruleFor(spec, path) })) : [];

  if (action === "replace" || action === "delete") {
    if (running !== undefined && running > 0) {
      nodesRemoved = running;
      risks.push(
        action === "replace"
          ? `Replacement removes all ${running} running ${unit} of this pool: their workloads are drained and rescheduled while the new pool provisions.`
          : `Deletion removes ${running} running ${unit}: their workloads are evicted.`,
      );
    } else if (running === undefined) {
      risks.push(`The number of running ${unit} is not in the stored status; check the pool before ${action === "replace" ? "replacing" : "deleting"} it.`);
    }
  }
  if (action === "update" && spec.review?.desiredCountPath) {
    const from = getPath(olds, spec.review.desiredCountPath);
    const to = getPath(news, spec.review.desiredCountPath);
    if (typeof from === "number" && typeof to === "number" && to < from) {
      const base = running ?? from;
      nodesRemoved = Math.max(0, base - to);
      risks.push(`Scale-in from ${from} to ${to} desired ${unit} removes ${nodesRemoved} ${unit}${running !== undefined ? ` (${running} running now)` : ""}.`);
    }
  }
  if (action === "update") {
    const newOnly = changes.filter((c) => spec.fields.find((f) => f.path === c.path)?.newNodesOnly);
    if (newOnly.length) {
      risks.push(
        `${newOnly.map((c) => cell(c.path)).join(", ")} ${newOnly.length === 1 ? "reaches" : "reach"} only ${unit} added after this change; existing ${unit} keep the old value.`,
      );
    }
  }
  return { urn: main.urn, name: nameOf(main.urn), resource: spec.name, action, changes, forcedBy, risks, nodesRemoved };
}

const VERB: Record<Action, string> = { create: "create", update: "update in place", replace: "replace", delete: "delete" };
const ORDER: Action[] = ["replace", "delete", "update", "create"];

export function review(digest: PreviewDigest, opts: ReviewOptions): ReviewResult {
  const byToken = new Map(opts.specs.filter((s) => s.review).map((s) => [s.review!.typeToken, s]));
  const groups = new Map<string, PreviewStep[]>();
  let otherChanges = 0;
  for (const step of digest.steps ?? []) {
    if (!step || typeof step.urn !== "string" || typeof step.op !== "string") continue;
    const type = typeOf(step);
    const spec = type ? byToken.get(type) : undefined;
    if (!spec) {
      if (!["same", "read", "refresh"].includes(step.op) && type !== "pulumi:pulumi:Stack") otherChanges++;
      continue;
    }
    const list = groups.get(step.urn) ?? [];
    list.push(step);
    groups.set(step.urn, list);
  }
  const pools: PoolReview[] = [];
  for (const steps of groups.values()) {
    const type = typeOf(steps[0]);
    const r = reviewPool(byToken.get(type!)!, steps);
    if (r) pools.push(r);
  }
  pools.sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || a.name.localeCompare(b.name));
  return { pools, markdown: render(pools, otherChanges), otherChanges };
}

function render(pools: PoolReview[], otherChanges: number): string {
  const lines: string[] = ["## Node pool changes", ""];
  const count = (a: Action) => pools.filter((p) => p.action === a).length;
  const parts = ORDER.filter((a) => count(a) > 0).map((a) => `${count(a)} to ${VERB[a]}`);
  const removed = pools.reduce((n, p) => n + p.nodesRemoved, 0);
  const summary = parts.length ? parts.join(", ") : "no node pool changes";
  lines.push(`**Summary:** ${summary}${removed ? `; ${removed} running node(s) removed` : ""}${otherChanges ? `; ${otherChanges} other resource change(s) not reviewed here` : ""}.`, "");
  for (const p of pools) {
    lines.push(`### ${VERB[p.action][0].toUpperCase()}${VERB[p.action].slice(1)}: ${p.name} (${p.resource})`, "");
    lines.push(`URN: ${cell(p.urn)}`, "");
    if (p.forcedBy.length) {
      lines.push("Replacement forced by:", "");
      for (const f of p.forcedBy) lines.push(`- ${cell(f.path)}: ${f.rule}`);
      lines.push("");
    }
    if (p.changes.length) {
      lines.push("| Property | Old | New |", "|---|---|---|");
      for (const c of p.changes) lines.push(`| ${cell(c.path)} | ${cell(c.old)} | ${cell(c.new)} |`);
      lines.push("");
    }
    if (p.risks.length) {
      lines.push("**Risks:**", "");
      for (const r of p.risks) lines.push(`- ${r}`);
      lines.push("");
    }
  }
  return lines.join("\n");
}
