/**
 * Secrets-audit program: one resource of each of the five kinds with every secret field the package has (ACK
 * `loginPassword`, ENS `password`, eflo `loginPassword`, Batch Compute `ossCredentials`; ModelArts has none), once
 * passed as `pulumi.secret(...)` and once as plain strings, which the resource classes must keep out of plaintext
 * state too. The secret values come from `canaries.ts` for the generation in stack config `gen`, never from config,
 * so that nothing but the package could put them into the state.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareResources } from "./resources";

const config = new pulumi.Config();

export const modelartsId = declareResources(config.requireNumber("gen")).modelartsId;
