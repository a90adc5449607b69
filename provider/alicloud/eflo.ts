export { NodeGroup } from "../resources/eflo-nodegroup/resource";
export type { NodeGroupArgs, NodeGroupConfig, NodeGroupSystemDisk } from "../resources/eflo-nodegroup/resource";
