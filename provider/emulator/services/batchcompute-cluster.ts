/**
 * Emulator model of the batchcompute API (placeholder: no operations yet, so it claims no request).
 * The engineer implementing this resource replaces this file.
 */
import { acs3Authenticator } from "../auth";
import { roaErrorBody, type EmulatedService, type EmulatorRuntime } from "../framework";

export function createBatchComputeService(_rt: EmulatorRuntime): EmulatedService {
  return {
    definition: {
      name: "batchcompute",
      product: "batchcompute",
      version: "2015-11-11",
      style: "ROA",
      operations: [],
      authenticate: acs3Authenticator,
      renderError: roaErrorBody,
      claims: () => false,
    },
    reset() {},
  };
}
