export { NodePool } from "../resources/ens-nodepool/resource";
export type { NodePoolArgs, NodePoolStatus, ScalingGroup, DataDisk, KubernetesConfig } from "../resources/ens-nodepool/resource";
