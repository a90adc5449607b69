/**
 * Terraform-style acceptance steps on top of the test engine: an ordered list of steps, each preparing a
 * change (stack config, or the cloud out of band), running one operation and checking the result. After every
 * successful `up` the harness runs a preview and fails the step if it is not empty, as terraform-plugin-testing
 * does ("After applying this test step, the non-refresh plan was not empty").
 */
import type { OperationResult, TestEngine } from "../engine";

export type StepOperation = "up" | "preview" | "refresh" | "destroy";

export interface AcceptanceStep<C> {
  name: string;
  /** Changes made before the operation: edit config, change the cloud behind Pulumi's back. */
  prepare?: (ctx: C) => void | Promise<void>;
  /** The operation to run (default `up`). */
  op?: StepOperation;
  /** The operation must fail, with a diagnostic matching this. */
  expectError?: RegExp;
  check?: (result: OperationResult, ctx: C) => void | Promise<void>;
  /** After the built-in empty-plan check, a refresh must find nothing to change either. */
  expectEmptyRefresh?: boolean;
}

/** Ops of a plan that change something (all but `same`). */
export function changes(r: OperationResult): Record<string, number> {
  return Object.fromEntries(Object.entries(r.changeSummary).filter(([op]) => op !== "same"));
}

function explain(r: OperationResult): string {
  const diags = r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => `${d.severity}: ${d.message}`);
  return [r.rendered, ...diags, r.program?.stderr ? `program stderr:\n${r.program.stderr}` : ""].filter(Boolean).join("\n");
}

export async function runSteps<C>(engine: TestEngine, ctx: C, steps: Array<AcceptanceStep<C>>, log: (line: string) => void = () => undefined): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const label = `Step ${i + 1}/${steps.length} "${step.name}"`;
    const started = Date.now();
    await step.prepare?.(ctx);
    const op = step.op ?? "up";
    const result = await engine[op]();
    if (step.expectError) {
      if (result.ok) throw new Error(`${label}: expected ${op} to fail with ${step.expectError}, but it succeeded:\n${explain(result)}`);
      if (!result.diagnostics.some((d) => d.severity === "error" && step.expectError!.test(d.message))) {
        throw new Error(`${label}: expected an error matching ${step.expectError}, got:\n${explain(result)}`);
      }
    } else if (!result.ok) {
      throw new Error(`${label}: ${op} failed:\n${explain(result)}`);
    }
    try {
      await step.check?.(result, ctx);
    } catch (e) {
      throw new Error(`${label}: check failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (op === "up" && !step.expectError) {
      const plan = await engine.preview();
      if (!plan.ok) throw new Error(`${label}: the preview after applying failed:\n${explain(plan)}`);
      if (Object.keys(changes(plan)).length) {
        throw new Error(`${label}: After applying this test step, the non-refresh plan was not empty.\n${explain(plan)}`);
      }
    }
    if (step.expectEmptyRefresh) {
      const refresh = await engine.refresh();
      if (!refresh.ok) throw new Error(`${label}: the refresh after applying failed:\n${explain(refresh)}`);
      if (Object.keys(changes(refresh)).length) throw new Error(`${label}: After applying this test step, the refresh changed the state.\n${explain(refresh)}`);
    }
    log(`${label}: ${op} ok (${Date.now() - started} ms)`);
  }
}
