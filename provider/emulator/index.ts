/**
 * A local cloud emulator for pulumi-nodepools: real HTTP on 127.0.0.1, signed Alibaba Cloud API calls answered from
 * an in-memory model, with admin routes for faults, rate limits, progression and the request log.
 *
 * ```ts
 * const emulator = await CloudEmulator.start();
 * emulator.seedCluster({ clusterId: "c0123..." });
 * // point the package (or an official SDK) at emulator.endpoint with emulator.credentials
 * await emulator.stop();
 * ```
 */
export { CloudEmulator, EMULATOR_TEST_ACCOUNT, EMULATOR_DEFAULT_REGION } from "./server";
export type { EmulatorOptions } from "./server";
export type {
  Progression,
  RecordedRequest,
  FaultSpec,
  PendingFault,
  RateLimitSpec,
  EmulatorAccount,
  ServiceDefinition,
  ServiceFactory,
  EmulatedService,
  EmulatorRuntime,
  Operation,
  OperationContext,
  OperationResult,
  AdminRoute,
  Authenticator,
  AuthResult,
  ErrorRenderer,
  ApiStyle,
  EmulatorRequest,
  RandomFaultKind,
  RandomFaultOptions,
} from "./framework";
export {
  ApiError,
  AccountRegionStore,
  ManagedState,
  ProgressionRegistry,
  ManagedStateTracker,
  Router,
  roaErrorBody,
  rpcErrorBody,
  jsonParam,
  redactSecrets,
  GATEWAY_MESSAGES,
  REDACTED,
  RANDOM_FAULT_KINDS,
} from "./framework";
export { acs3Authenticator } from "./auth";
export {
  ACK_SERVICE,
  ACK_PRODUCT,
  ACK_VERSION,
  ACK_MODEL,
  ACK_TASK_MODEL,
  ACK_MESSAGES,
  ACK_SERVER_DEFAULTS,
  validateAckConfig,
} from "./services/ack-nodepool";
export type { AckAdmin, AckPool, AckPoolState, AckPoolStatus, AckTaskView, AckClusterInfo, AckSeed } from "./services/ack-nodepool";
export { EmulatorClient } from "./client";
export type { RawResponse, EmulatorClientOptions, RoaCall, RpcCall } from "./client";
