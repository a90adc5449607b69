/** Shapes shared by the test engine's modules and returned to tests. */
import type { ResourceState } from "./state";

/** Step kinds, as the Pulumi engine names them (`deploy.StepOp`). */
export type StepOp =
  | "same"
  | "create"
  | "update"
  | "delete"
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "read"
  | "refresh"
  | "import";

export interface PropertyDiff {
  kind: "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";
  inputDiff: boolean;
}

export interface Step {
  op: StepOp;
  urn: string;
  type: string;
  /** State before and after the step (after = planned during a preview); secrets wrapped, unknowns as UNKNOWN. */
  old?: ResourceState;
  new?: ResourceState;
  /** Changed top-level input keys (for refresh: output keys); `__` keys never appear. */
  diffReasons: string[];
  /** Properties the provider said force a replacement (`replaces`), verbatim. */
  replaceReasons: string[];
  /** Leaf property paths that differ, engine style (`inputDiff: true`); null when not an update or replacement. */
  detailedDiff: Record<string, PropertyDiff> | null;
  deleteBeforeReplace?: boolean;
  /** The resource belongs to another provider and was simulated (fake id, inputs echoed). */
  simulated?: boolean;
  /** For refresh steps: what the refresh found. */
  refreshResult?: "same" | "update" | "delete";
  hideDiffs?: string[];
  /** Set when the step failed (the operation then fails). */
  error?: string;
}

export interface Diagnostic {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn?: string;
  /** Who reported it: the program (its log calls, uncaught errors, stderr), a provider, or the engine. */
  source: "program" | "provider" | "engine";
}

/** `pulumi preview --json` (`display.PreviewDigest`). */
export interface PreviewDigest {
  config?: Record<string, string>;
  steps?: PreviewStep[];
  diagnostics?: Array<{ urn?: string; prefix?: string; message: string; severity: string }>;
  duration?: number;
  changeSummary?: Record<string, number>;
  maybeCorrupt?: boolean;
}

export interface PreviewStep {
  op: StepOp;
  urn: string;
  provider?: string;
  oldState?: Record<string, unknown>;
  newState?: Record<string, unknown>;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff: Record<string, PropertyDiff> | null;
}

export type Operation = "preview" | "up" | "refresh" | "destroy";

export interface OperationResult {
  operation: Operation;
  /** False when the program, a provider or the engine reported an error. */
  ok: boolean;
  /** Every step in the order it was generated, including same and replacement sub-steps. */
  steps: Step[];
  /** Logical steps counted per op, as the CLI's summary (the root stack included). */
  changeSummary: Record<string, number>;
  /** The plan as `pulumi preview --diff` / `pulumi up --diff` prints it (no colours). */
  rendered: string;
  /** The plan as `pulumi preview --json` prints it. */
  json: PreviewDigest;
  /** Stack outputs with secrets unwrapped (unknown values during a preview are UNKNOWN). */
  outputs: Record<string, unknown>;
  /** Errors and warnings from the program, providers and the engine. */
  diagnostics: Diagnostic[];
  /** Engine notes, e.g. which resources were simulated. */
  notes: string[];
  /** Everything the dynamic-provider host printed (provider progress lines, errors). */
  hostOutput: string;
  program?: { exitCode: number | null; stdout: string; stderr: string };
  durationMs: number;
}
