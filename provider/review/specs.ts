/** The field tables of every resource this package provides, for the review command. */
import type { ResourceSpec } from "../core/fields/spec";
import { ackNodePoolSpec } from "../resources/ack-nodepool/fields";

export const reviewSpecs: ResourceSpec[] = [ackNodePoolSpec];
