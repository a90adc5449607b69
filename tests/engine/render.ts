/**
 * The plan as the Pulumi CLI shows it: the `--diff` text (pkg/backend/display/object_diff.go and diff.go,
 * without colours) and the `--json` digest (`display.PreviewDigest`). Internal `__` keys (the serialized
 * provider) are never shown; secrets show as `[secret]`, unknown values as `[unknown]`.
 */
import { isInternalKey, isObject, isSecret, parsePath, formatPath, UNKNOWN, type PropertyMap, type Value } from "./properties";
import type { ResourceState } from "./state";
import { isLogical } from "./steps";
import type { Diagnostic, Operation, PreviewDigest, PreviewStep, Step, StepOp } from "./types";
import { isRootStack, parseUrn } from "./urn";

const RAW_PREFIX: Record<StepOp, string> = {
  same: "  ",
  create: "+ ",
  update: "~ ",
  delete: "- ",
  replace: "+-",
  "create-replacement": "++",
  "delete-replaced": "--",
  read: "> ",
  refresh: "~ ",
  import: "= ",
};

const PAST_TENSE: Partial<Record<StepOp, string>> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  "create-replacement": "created replacement",
  "delete-replaced": "deleted original",
  read: "read",
  refresh: "refreshed",
  import: "imported",
};

/** Summary order (`deploy.StepOps`). */
const STEP_OPS: StepOp[] = ["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "refresh", "import"];

const spaces = (indent: number) => "    ".repeat(indent);
function indentation(indent: number, op: StepOp, prefix: boolean): string {
  const s = spaces(indent);
  return prefix && s ? s.slice(0, -2) + RAW_PREFIX[op] : s;
}

function isPrimitive(v: Value): boolean {
  return v === null || v === undefined || typeof v !== "object" || isSecret(v);
}

function primitive(v: Value): string {
  if (v === null || v === undefined) return "<null>";
  if (isSecret(v)) return "[secret]";
  if (v === UNKNOWN) return "[unknown]";
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** `shouldPrintPropertyValue`: nulls, empty strings, empty arrays and empty objects are clutter. */
function printable(v: Value): boolean {
  if (v === null || v === undefined || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v) && !isSecret(v)) return Object.keys(v).length > 0;
  return true;
}

class Printer {
  out = "";

  title(indent: number, op: StepOp, prefix: boolean, name: string, align: number): void {
    this.out += `${indentation(indent, op, prefix)}${name.padEnd(align)}: `;
  }

  value(v: Value, indent: number, op: StepOp, prefix: boolean): void {
    this.valueInline(v, indent, op, prefix);
    this.out += "\n";
  }

  private valueInline(v: Value, indent: number, op: StepOp, prefix: boolean): void {
    if (isPrimitive(v)) this.out += primitive(v);
    else if (Array.isArray(v)) {
      if (!v.length) this.out += "[]";
      else {
        this.out += "[\n";
        v.forEach((e, i) => {
          this.out += `${indentation(indent, op, prefix)}    [${i}]: `;
          this.value(e, indent + 1, op, prefix);
        });
        this.out += `${spaces(indent)}]`;
      }
    } else {
      const obj = v as PropertyMap;
      if (!Object.keys(obj).length) this.out += "{}";
      else {
        this.out += "{\n";
        this.object(obj, indent + 1, op, prefix);
        this.out += `${spaces(indent)}}`;
      }
    }
  }

  /** `PrintObject`: every key, aligned (the width counts internal keys too, as the CLI does). */
  object(props: PropertyMap, indent: number, op: StepOp, prefix: boolean): void {
    const keys = Object.keys(props).filter((k) => props[k] !== undefined).sort();
    const align = Math.max(0, ...keys.map((k) => k.length));
    for (const k of keys) {
      if (isInternalKey(k)) continue;
      this.title(indent, op, prefix, k, align);
      this.value(props[k], indent, op, prefix);
    }
  }

  /** `printObjectDiff` of two maps: adds, deletes, updates (recursively) and unchanged keys. */
  objectDiff(olds: PropertyMap, news: PropertyMap, indent: number, path: string[], ctx: DiffContext): void {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !(path.length === 0 && isInternalKey(k))).sort();
    const align = Math.max(0, ...keys.map((k) => k.length));
    for (const k of keys) {
      const p = formatPath([...path, k].map((e) => (/^\d+$/.test(e) ? Number(e) : e)));
      if (ctx.hidden.some((h) => h === p)) {
        ctx.hiddenShown.add(p);
        continue;
      }
      const before = this.out.length;
      this.propertyDiff(olds[k], news[k], indent, (pr, op, pf) => pr.title(indent, op, pf, k, align), [...path, k], ctx);
      if (ctx.replaces.includes(p) && this.out.length > before && this.out.endsWith("\n")) this.out = `${this.out.slice(0, -1)} # forces replacement\n`;
    }
  }

  private propertyDiff(a: Value, b: Value, indent: number, title: (p: Printer, op: StepOp, prefix: boolean) => void, path: string[], ctx: DiffContext): void {
    const hasA = a !== undefined && a !== null;
    const hasB = b !== undefined && b !== null;
    if (!hasA && !hasB) return;
    if (!hasA) return this.add(b, indent, title);
    if (!hasB) return this.del(a, indent, title);
    if (sameValue(a, b)) {
      if (printable(a)) {
        title(this, "same", false);
        this.value(a, indent, "same", false);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      title(this, "update", true);
      this.out += "[\n";
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const elemTitle = (p: Printer, op: StepOp, prefix: boolean) => (p.out += `${indentation(indent + 1, op, prefix)}[${i}]: `);
        if (i >= a.length || a[i] === null) this.add(b[i], indent + 2, elemTitle);
        else if (i >= b.length || b[i] === null) this.del(a[i], indent + 2, elemTitle);
        else if (!sameValue(a[i], b[i])) this.propertyDiff(a[i], b[i], indent + 2, elemTitle, [...path, String(i)], ctx);
        else {
          elemTitle(this, "same", false);
          this.value(a[i], indent + 2, "same", false);
        }
      }
      this.out += `${spaces(indent)}]\n`;
      return;
    }
    if (isObject(a) && isObject(b) && !isSecret(a) && !isSecret(b)) {
      title(this, "update", true);
      this.out += "{\n";
      this.objectDiff(a, b, indent + 1, path, ctx);
      this.out += `${spaces(indent)}}\n`;
      return;
    }
    if (printable(a) && printable(b) && isPrimitive(a) && isPrimitive(b)) {
      title(this, "update", true);
      this.out += `${primitive(a)} => ${primitive(b)}\n`;
      return;
    }
    if (printable(a)) this.del(a, indent, title);
    if (printable(b)) this.add(b, indent, title);
  }

  private add(v: Value, indent: number, title: (p: Printer, op: StepOp, prefix: boolean) => void): void {
    title(this, "create", true);
    this.value(v, indent, "create", true);
  }

  private del(v: Value, indent: number, title: (p: Printer, op: StepOp, prefix: boolean) => void): void {
    title(this, "delete", true);
    this.value(v, indent, "delete", true);
  }
}

interface DiffContext {
  replaces: string[];
  hidden: string[];
  hiddenShown: Set<string>;
}

function sameValue(a: Value, b: Value): boolean {
  if (isSecret(a) !== isSecret(b)) return false;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: Value): Value {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .filter((k) => v[k] !== undefined)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------

export interface RenderInput {
  operation: Operation;
  dryRun: boolean;
  project: string;
  stack: string;
  steps: Step[];
  changeSummary: Record<string, number>;
  diagnostics: Diagnostic[];
  outputs: PropertyMap;
  notes: string[];
  durationMs: number;
}

const HEADERS: Record<Operation, [string, string]> = {
  preview: ["Previewing update", "Previewing update"],
  up: ["Previewing update", "Updating"],
  refresh: ["Previewing refresh", "Refreshing"],
  destroy: ["Previewing destroy", "Destroying"],
};

/** Which steps the CLI shows (`shouldShow`): no sames and no replacement halves, but always the root stack. */
function shown(step: Step): boolean {
  if (isRootStack(step.urn)) return true;
  if (step.op === "refresh") return step.refreshResult !== "same";
  if (step.op === "same") return Boolean(step.old?.protect) !== Boolean(step.new?.protect);
  return isLogical(step.op);
}

function stepIndent(step: Step, seen: Map<string, Step>): number {
  let indent = 0;
  for (let p = (step.new ?? step.old)?.parent; p; ) {
    const par = seen.get(p);
    if (!par) break;
    if (isRootStack(par.urn) || shown(par)) indent++;
    p = (par.new ?? par.old)?.parent;
  }
  return indent;
}

function renderStep(step: Step, indent: number): string {
  const p = new Printer();
  const refreshOp: StepOp | undefined = step.op === "refresh" ? (step.refreshResult === "delete" ? "delete" : "update") : undefined;
  const op = refreshOp ?? step.op;
  const old = step.old;
  let retain = "";
  if (old?.retainOnDelete && ["delete", "replace", "create-replacement", "delete-replaced"].includes(step.op)) retain = "[retain]";
  const lock = step.new?.protect || old?.protect ? (old?.protect && step.new && !step.new.protect ? " 🔓" : " 🔒") : "";
  p.out += `${spaces(indent)}${RAW_PREFIX[op]}${step.type}: (${refreshOp ?? step.op})${retain}${lock}\n`;
  if (old?.id) p.out += `${spaces(indent + 1)}[id=${old.id}]\n`;
  p.out += `${spaces(indent + 1)}[urn=${step.urn}]\n`;
  if (step.new?.provider && !/::default(_[\w-]+)?::/.test(step.new.provider)) p.out += `${spaces(indent + 1)}[provider=${step.new.provider}]\n`;
  const detail = indent + 1;
  if (step.op === "refresh") {
    if (step.refreshResult === "update") diffInto(p, old!.outputs, step.new!.outputs, detail, [], []);
  } else if (!old && step.new) p.object(step.new.inputs, detail, step.op, false);
  else if (old && !step.new) p.object(old.inputs, detail, step.op, false);
  else if (old && step.new && step.op !== "read") diffInto(p, old.inputs, step.new.inputs, detail, step.replaceReasons, step.new.hideDiffs ?? []);
  if (step.simulated) p.out += `${spaces(detail)}(simulated: not sent to the ${step.type.split(":")[0]} provider)\n`;
  return p.out;
}

function diffInto(p: Printer, olds: PropertyMap, news: PropertyMap, indent: number, replaces: string[], hidden: string[]): void {
  const normalisedHidden = hidden.map((h) => formatPath(parsePath(h)));
  const ctx: DiffContext = { replaces, hidden: normalisedHidden, hiddenShown: new Set() };
  const body = new Printer();
  body.objectDiff(olds, news, indent, [], ctx);
  for (const h of [...ctx.hiddenShown].sort()) p.out += `${indentation(indent, "update", true)}${h} (hidden)\n`;
  p.out += body.out;
}

export function renderText(r: RenderInput): string {
  const [previewHeader, applyHeader] = HEADERS[r.operation];
  let out = `${r.dryRun ? previewHeader : applyHeader} (${r.stack}):\n`;
  const seen = new Map<string, Step>();
  for (const step of r.steps) {
    const indent = stepIndent(step, seen);
    if (!seen.has(step.urn)) seen.set(step.urn, step);
    if (shown(step)) out += renderStep(step, indent);
  }
  const problems = r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
  if (problems.length) {
    out += "\nDiagnostics:\n";
    const groups = new Map<string, Diagnostic[]>();
    for (const d of problems) groups.set(d.urn ?? "", [...(groups.get(d.urn ?? "") ?? []), d]);
    for (const [urn, ds] of groups) {
      let label = `pulumi:pulumi:Stack (${r.project}-${r.stack})`;
      if (urn) {
        const u = parseUrn(urn);
        label = `${u.type} (${u.name})`;
      }
      out += `  ${label}:\n`;
      for (const d of ds) out += `    ${d.severity}: ${d.message.split("\n").join("\n    ")}\n\n`;
    }
  }
  const outputKeys = Object.keys(r.outputs).sort();
  if (outputKeys.length) {
    const p = new Printer();
    p.out = "\nOutputs:\n";
    p.object(r.outputs, 1, "same", false);
    out += p.out;
  }
  out += "\nResources:\n";
  let kinds = 0;
  let total = 0;
  for (const op of STEP_OPS) {
    const c = r.changeSummary[op] ?? 0;
    if (op === "same" || op === "read" || !c) continue;
    kinds++;
    total += c;
    out += `    ${RAW_PREFIX[op]}${c} ${r.dryRun ? `to ${op}` : PAST_TENSE[op]}\n`;
  }
  const pieces: string[] = [];
  if (kinds >= 2) pieces.push(`${total} change${total === 1 ? "" : "s"}`);
  if (r.changeSummary.same) pieces.push(`${r.changeSummary.same} unchanged`);
  if (pieces.length) out += `    ${pieces.join(". ")}\n`;
  if (!r.dryRun) out += `\nDuration: ${Math.ceil(r.durationMs / 1000)}s\n`;
  for (const n of r.notes) out += `\n${n}\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** Secrets become "[secret]" and internal keys are dropped (`MassageSecrets`). */
function massage(v: Value): Value {
  if (isSecret(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(massage);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, massage(e)]));
  return v;
}

function massageMap(m: PropertyMap): PropertyMap {
  return Object.fromEntries(Object.entries(m).filter(([k, v]) => !isInternalKey(k) && v !== undefined).map(([k, v]) => [k, massage(v)]));
}

/** `apitype.ResourceV3` as `pulumi preview --json` serializes it. */
export function resourceJson(r: ResourceState): Record<string, unknown> {
  const out: Record<string, unknown> = { urn: r.urn, custom: r.custom };
  if (r.delete) out.delete = true;
  if (r.id) out.id = r.id;
  out.type = r.type;
  const inputs = massageMap(r.inputs);
  const outputs = massageMap(r.outputs);
  if (Object.keys(inputs).length) out.inputs = inputs;
  if (Object.keys(outputs).length) out.outputs = outputs;
  if (r.parent) out.parent = r.parent;
  if (r.protect) out.protect = true;
  if (r.external) out.external = true;
  if (r.dependencies.length) out.dependencies = r.dependencies;
  if (r.initErrors?.length) out.initErrors = r.initErrors;
  if (r.provider) out.provider = r.provider;
  if (r.propertyDependencies && Object.keys(r.propertyDependencies).length) out.propertyDependencies = r.propertyDependencies;
  if (r.additionalSecretOutputs?.length) out.additionalSecretOutputs = r.additionalSecretOutputs;
  if (r.importID) out.importID = r.importID;
  if (r.retainOnDelete) out.retainOnDelete = true;
  if (r.created) out.created = r.created;
  if (r.modified) out.modified = r.modified;
  if (r.ignoreChanges?.length) out.ignoreChanges = r.ignoreChanges;
  return out;
}

export interface JsonInput {
  steps: Step[];
  config: Record<string, { value: string; secret: boolean }>;
  diagnostics: Diagnostic[];
  changeSummary: Record<string, number>;
  durationMs: number;
  /** Show every step (`--show-sames --show-replacement-steps`), not only the ones the CLI shows by default. */
  all?: boolean;
}

export function renderJson(j: JsonInput): PreviewDigest {
  const steps: PreviewStep[] = [];
  for (const s of j.steps) {
    if (!j.all && !isRootStack(s.urn) && !(isLogical(s.op) && s.op !== "same" && !(s.op === "refresh" && s.refreshResult === "same"))) continue;
    const step: PreviewStep = { op: s.op, urn: s.urn, detailedDiff: s.detailedDiff };
    if (s.new?.provider ?? s.old?.provider) step.provider = s.new?.provider ?? s.old?.provider;
    if (s.old) step.oldState = resourceJson(s.old);
    if (s.new) step.newState = resourceJson(s.new);
    if (s.diffReasons.length) step.diffReasons = s.diffReasons;
    if (s.replaceReasons.length) step.replaceReasons = s.replaceReasons;
    steps.push(step);
  }
  const digest: PreviewDigest = {};
  const config = Object.entries(j.config).sort(([a], [b]) => a.localeCompare(b));
  if (config.length) digest.config = Object.fromEntries(config.map(([k, e]) => [k, e.secret ? "[secret]" : e.value]));
  if (steps.length) digest.steps = steps;
  const diags = j.diagnostics.filter((d) => d.severity !== "debug");
  if (diags.length) digest.diagnostics = diags.map((d) => ({ ...(d.urn ? { urn: d.urn } : {}), message: d.message, severity: d.severity }));
  digest.duration = Math.round(j.durationMs * 1e6);
  if (Object.keys(j.changeSummary).length) digest.changeSummary = j.changeSummary;
  return digest;
}
