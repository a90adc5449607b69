/**
 * Emulator model of the ens API (placeholder: no operations yet, so it claims no request).
 * The engineer implementing this resource replaces this file.
 */
import { acs3Authenticator } from "../auth";
import { rpcErrorBody, type EmulatedService, type EmulatorRuntime } from "../framework";

export function createEnsService(_rt: EmulatorRuntime): EmulatedService {
  return {
    definition: {
      name: "ens",
      product: "ens",
      version: "2017-11-10",
      style: "RPC",
      operations: [],
      authenticate: acs3Authenticator,
      renderError: rpcErrorBody,
      claims: () => false,
    },
    reset() {},
  };
}
