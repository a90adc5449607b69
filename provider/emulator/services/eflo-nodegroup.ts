/**
 * Emulator model of the eflo-controller API (placeholder: no operations yet, so it claims no request).
 * The engineer implementing this resource replaces this file.
 */
import { acs3Authenticator } from "../auth";
import { rpcErrorBody, type EmulatedService, type EmulatorRuntime } from "../framework";

export function createEfloService(_rt: EmulatorRuntime): EmulatedService {
  return {
    definition: {
      name: "eflo",
      product: "eflo-controller",
      version: "2022-12-15",
      style: "RPC",
      operations: [],
      authenticate: acs3Authenticator,
      renderError: rpcErrorBody,
      claims: () => false,
    },
    reset() {},
  };
}
