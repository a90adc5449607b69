export { Cluster, clusterIdempotencyKey } from "../resources/batchcompute-cluster/resource";
export type {
  ClusterArgs,
  ClusterGroup,
  ClusterConfigs,
  MountEntry,
  OssCredentials,
  ClusterEvent,
  ClusterMetrics,
} from "../resources/batchcompute-cluster/resource";
