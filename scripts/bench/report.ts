/**
 * The bench report: every measured item with its figures, each figure beside its floor (what the same work costs
 * without this package, or the least the task allows) and, where the issue sets one, its target and verdict.
 * Written as JSON (for tools and the smoke test) and as Markdown (for people).
 */

export type Verdict = "pass" | "fail" | "info";

/** One figure, beside its floor. */
export interface Measure {
  name: string;
  value: number;
  unit: string;
  /** What the same work costs without this package, or the least the task allows. */
  floor: number;
  /** What the floor is. */
  floorLabel: string;
  /** value / floor, when that quotient means something. */
  ratio?: number;
  /** The target, in words ("<= 2048 B"); absent when the issue sets none for this figure. */
  target?: string;
  /** pass/fail against the target; `info` when there is no target. */
  verdict: Verdict;
}

export interface Item {
  id: ItemId;
  title: string;
  /** The target for this item, in words. */
  target: string;
  /** fail if any measure fails, else pass if any passes, else info. */
  verdict: Verdict;
  /** How it is measured. */
  method: string;
  measures: Measure[];
  /** Extra rows for the Markdown tables and raw samples. */
  details?: Record<string, unknown>;
  notes?: string[];
}

export const ITEM_IDS = [
  "provider-size",
  "state-size",
  "engine-time",
  "engine-scaling",
  "host-usage",
  "cloud-calls",
  "throttled-create",
  "module-load",
] as const;
export type ItemId = (typeof ITEM_IDS)[number];

export interface Report {
  schema: 1;
  generatedAt: string;
  mode: "quick" | "full" | "custom";
  options: Record<string, unknown>;
  environment: Record<string, unknown>;
  items: Item[];
  /** What the bench found, what was fixed, with before/after figures (Markdown paragraphs). */
  findings: string[];
  summary: Record<Verdict, number>;
  durationMs: number;
}

export function measure(m: Omit<Measure, "verdict" | "ratio"> & { ratio?: number; ok?: boolean }): Measure {
  const { ok, ...rest } = m;
  const verdict: Verdict = rest.target === undefined || ok === undefined ? "info" : ok ? "pass" : "fail";
  return { ...rest, verdict };
}

export function item(i: Omit<Item, "verdict">): Item {
  const verdicts = i.measures.map((m) => m.verdict);
  const verdict: Verdict = verdicts.includes("fail") ? "fail" : verdicts.includes("pass") ? "pass" : "info";
  return { ...i, verdict };
}

export function ratio(value: number, floor: number): number | undefined {
  return floor > 0 && Number.isFinite(value) ? value / floor : undefined;
}

// ------------------------------------------------------------------------------------------------------------
// Markdown

const VERDICT_TEXT: Record<Verdict, string> = { pass: "PASS", fail: "**FAIL**", info: "info" };

export function fmt(v: number | undefined, unit = ""): string {
  if (v === undefined || !Number.isFinite(v)) return "–";
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function table(head: string[], rows: string[][]): string {
  return [`| ${head.map(cell).join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  out.push("# Performance report", "");
  out.push(
    `Generated ${r.generatedAt} by \`npm run bench${r.mode === "quick" ? " -- --quick" : ""}\` (${r.mode} run, ${fmt(r.durationMs / 1000, "s")}). ` +
      `Verdicts: ${r.summary.pass} pass, ${r.summary.fail} fail, ${r.summary.info} info (no target set).`,
    "",
  );
  if (r.mode === "quick") {
    out.push("> Quick run: the sizes are too small for the targets, which the issue sets at N = 300; the verdicts below only show that every item is judged.", "");
  }
  const env = r.environment;
  out.push(
    table(
      ["environment", ""],
      Object.entries(env).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    "",
  );
  out.push("## Summary", "");
  out.push(
    table(
      ["item", "target", "verdict"],
      r.items.map((i) => [`[${i.title}](#${i.id})`, i.target, VERDICT_TEXT[i.verdict]]),
    ),
    "",
  );
  if (r.findings.length) {
    out.push("## Findings and fixes", "");
    r.findings.forEach((f, n) => out.push(`${n + 1}. ${f}`));
    out.push("");
  }
  for (const i of r.items) {
    out.push(`<a id="${i.id}"></a>`, "", `## ${i.title}`, "");
    out.push(`Target: ${i.target}. Verdict: ${VERDICT_TEXT[i.verdict]}.`, "");
    out.push(`Method: ${i.method}`, "");
    out.push(
      table(
        ["figure", "value", "floor", "ratio", "target", "verdict"],
        i.measures.map((m) => [
          m.name,
          fmt(m.value, m.unit),
          `${fmt(m.floor, m.unit)} (${m.floorLabel})`,
          m.ratio === undefined ? "–" : `${fmt(m.ratio)}×`,
          m.target ?? "–",
          VERDICT_TEXT[m.verdict],
        ]),
      ),
      "",
    );
    const tables = (i.details?.tables ?? []) as Array<{ title: string; head: string[]; rows: string[][] }>;
    for (const t of tables) out.push(`${t.title}:`, "", table(t.head, t.rows), "");
    for (const n of i.notes ?? []) out.push(`- ${n}`);
    if (i.notes?.length) out.push("");
  }
  return out.join("\n");
}
