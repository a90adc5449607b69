export { NodePool } from "../resources/modelarts-nodepool/resource";
export type {
  NodePoolArgs,
  NodePoolStatus,
  NodePoolResources,
  NodePoolAnnotations,
  NodePoolAz,
  NodePoolTaint,
  NodePoolTag,
} from "../resources/modelarts-nodepool/resource";
