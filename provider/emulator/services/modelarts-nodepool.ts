/**
 * Emulator model of the modelarts API (placeholder: no operations yet, so it claims no request).
 * The engineer implementing this resource replaces this file.
 */
import { acs3Authenticator } from "../auth";
import { roaErrorBody, type EmulatedService, type EmulatorRuntime } from "../framework";

export function createModelArtsService(_rt: EmulatorRuntime): EmulatedService {
  return {
    definition: {
      name: "modelarts",
      product: "modelarts",
      version: "v2",
      style: "ROA",
      operations: [],
      authenticate: acs3Authenticator,
      renderError: roaErrorBody,
      claims: () => false,
    },
    reset() {},
  };
}
