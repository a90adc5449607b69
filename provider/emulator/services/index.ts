/** The service models the emulator serves by default, in routing order. */
import type { ServiceFactory } from "../framework";
import { createBatchComputeService } from "./batchcompute-cluster";
import { createEfloService } from "./eflo-nodegroup";
import { createEnsService } from "./ens-nodepool";
import { createModelArtsService } from "./modelarts-nodepool";

export const BUILTIN_SERVICES: ServiceFactory[] = [createEnsService, createEfloService, createBatchComputeService, createModelArtsService];
