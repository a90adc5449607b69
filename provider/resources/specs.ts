/**
 * Every resource's field table, in the order of the reference docs. The review command, the generated
 * reference and the cross-resource tests (bad-input corpus, property tests) all read this one list.
 */
import type { ResourceSpec } from "../core/fields/spec";
import { ackNodePoolSpec } from "./ack-nodepool/fields";
import { batchComputeClusterSpec } from "./batchcompute-cluster/fields";
import { efloNodeGroupSpec } from "./eflo-nodegroup/fields";
import { ensNodePoolSpec } from "./ens-nodepool/fields";
import { modelArtsNodePoolSpec } from "./modelarts-nodepool/fields";

export const resourceSpecs: ResourceSpec[] = [ackNodePoolSpec, ensNodePoolSpec, efloNodeGroupSpec, batchComputeClusterSpec, modelArtsNodePoolSpec];
