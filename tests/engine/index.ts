/** The test engine: run Pulumi TypeScript programs through preview/up/refresh/destroy without the Pulumi CLI. */
export { TestEngine, previewJson } from "./engine";
export type { TestEngineOptions, ConfigValue, OperationOptions } from "./engine";
export type { OperationResult, Step, StepOp, Diagnostic, PreviewDigest, PreviewStep, PropertyDiff, Operation } from "./types";
export type { ResourceState, StackState } from "./state";
export { UNKNOWN, isSecret, unwrapSecrets } from "./properties";
export { simulatedId } from "./deployment";
