/**
 * pulumi-nodepools: GPU/compute node pools on Alibaba Cloud and Huawei Cloud as Pulumi resources.
 *
 *     import { alicloud } from "pulumi-nodepools";
 *     new alicloud.ack.NodePool("gpu", { clusterId, nodepoolInfo: { name: "gpu" }, scalingGroup: { ... } });
 */
export * as alicloud from "./alicloud";
export * as huaweicloud from "./huaweicloud";
export { CloudApiError, UnknownOutcomeError, WaiterFailureError, WaiterTimeoutError, ConfigurationError } from "./core/errors";
