/**
 * The operations that do not run the program: `refresh` (Read every resource, drop the ones that are gone,
 * take the outputs and, when returned, the inputs) and `destroy` (delete everything in reverse dependency
 * order). Both run the provider code stored in the state, as the engine does.
 */
import { annotateSecrets, applyAdditionalSecretOutputs, changedTopLevelKeys, deepEqual, unwrapSecrets } from "./properties";
import type { HostManager } from "./host";
import { messageOf } from "./deployment";
import { topoSort, type ResourceState, type StackState } from "./state";
import { makeStep } from "./steps";
import type { Diagnostic, Step } from "./types";
import { isDynamicType } from "./urn";

export interface MaintenanceResult {
  steps: Step[];
  state: StackState;
  failed: boolean;
  simulated: string[];
}

interface Ctx {
  hosts: HostManager;
  dryRun: boolean;
  report: (d: Diagnostic) => void;
}

export async function refresh(state: StackState, ctx: Ctx): Promise<MaintenanceResult> {
  const steps: Step[] = [];
  const simulated: string[] = [];
  const kept: ResourceState[] = [];
  let failed = false;
  for (const r of topoSort(state.resources)) {
    if (failed || !r.custom || r.delete) {
      if (!failed) steps.push(makeStep("refresh", r, r, { refreshResult: "same" }));
      kept.push(r);
      continue;
    }
    if (!isDynamicType(r.type)) {
      simulated.push(`${r.type} "${r.urn.split("::").pop()}"`);
      steps.push(makeStep("refresh", r, r, { refreshResult: "same", simulated: true }));
      kept.push(r);
      continue;
    }
    try {
      const host = await ctx.hosts.get();
      const read = await host.read(r.urn, r.id ?? "", unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
      if (!read.id) {
        steps.push(makeStep("refresh", r, undefined, { refreshResult: "delete" }));
        continue;
      }
      const outputs = applyAdditionalSecretOutputs(annotateSecrets(read.properties, r.outputs), r.additionalSecretOutputs);
      const inputs = read.inputs ? annotateSecrets(read.inputs, r.inputs) : r.inputs;
      const next: ResourceState = { ...r, id: read.id, inputs, outputs };
      const changed = changedTopLevelKeys(r.outputs, outputs);
      const same = changed.length === 0 && deepEqual(r.inputs, inputs);
      steps.push(makeStep("refresh", r, next, { refreshResult: same ? "same" : "update", diffReasons: changed }));
      kept.push(next);
    } catch (e) {
      failed = true;
      ctx.report({ severity: "error", message: messageOf(e), urn: r.urn, source: "provider" });
      kept.push(r);
    }
  }
  return { steps, state: { ...state, resources: kept }, failed, simulated };
}

export async function destroy(state: StackState, ctx: Ctx): Promise<MaintenanceResult> {
  const steps: Step[] = [];
  const gone = new Set<ResourceState>();
  let failed = false;
  for (const r of topoSort(state.resources).reverse()) {
    const step = makeStep(r.delete ? "delete-replaced" : "delete", r, undefined);
    steps.push(step);
    try {
      if (r.protect && !r.delete) {
        throw new Error(
          `unable to delete resource "${r.urn}"\nas it is currently marked for protection. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${r.urn}'\``,
        );
      }
      if (!ctx.dryRun && r.custom && !r.external && !r.retainOnDelete && isDynamicType(r.type)) {
        const host = await ctx.hosts.get();
        await host.delete(r.urn, r.id ?? "", unwrapSecrets(r.outputs));
      }
      gone.add(r);
    } catch (e) {
      failed = true;
      step.error = messageOf(e);
      ctx.report({ severity: "error", message: messageOf(e), urn: r.urn, source: r.protect ? "engine" : "provider" });
      break;
    }
  }
  return { steps, state: { ...state, resources: state.resources.filter((r) => !gone.has(r)) }, failed, simulated: [] };
}
