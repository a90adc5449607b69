export { NodePool } from "../resources/ack-nodepool/resource";
export type { NodePoolArgs, NodePoolStatus, KeyValue, Taint, DataDisk, DiskInit, InstancePattern, ScalingGroup } from "../resources/ack-nodepool/resource";
