/**
 * Bad-input corpus of `huaweicloud.modelarts.NodePool`: one violating case (at least) per documented constraint.
 * DOC = shared/api-docs/huaweicloud-modelarts-CreateNodePool.txt (its tables: "Table 4 CreateNodePoolAnnotations" ...).
 */
import { modelArtsNodePoolSpec } from "../../../provider/resources/modelarts-nodepool/fields";
import { OWNER_MARK_KEY } from "../../../provider/core/ownership";
import { ABSENT, corpusOf } from "./case";

const c = corpusOf(modelArtsNodePoolSpec.example!);
const R = "spec.resources";
const A = "metadata.annotations";
const PATH_NAME = /must be a name of letters, digits, "\.", "_" and "-" that starts with a letter or digit/;

c.required("poolName", 'DOC: path parameter pool_name "Mandatory: Yes"');
c.bad("poolName:pattern", "DOC: pool_name is a URL path segment (field table: letters, digits, \".\", \"_\", \"-\"), so no value can change the request path", { poolName: "../../v1/pools" }, "poolName", PATH_NAME);
c.required("metadata.name", 'DOC Table 3: metadata.name "Mandatory: Yes"');
c.bad("metadata.name:pattern", "DOC Table 3: metadata.name keys every node pool call as the path segment {nodepool_name} (field table: letters, digits, \".\", \"_\", \"-\")", { "metadata.name": "np/../../other" }, "metadata.name", PATH_NAME);

// annotations (Table 4)
c.oneOf(A, 'DOC Table 4: os.modelarts/billing.mode "Range: 0: pay-per-use, 1: yearly/monthly"', ["0", "1"], { key: `${A}.billingMode:enum`, patch: (v) => ({ [`${A}.billingMode`]: v }), property: `${A}.billingMode` });
c.bad(`${A}.periodNum:pattern`, 'DOC Table 4: os.modelarts/period.num "Subscription period ... for example, 2" (a whole number as text)', { [`${A}.periodNum`]: "0" }, `${A}.periodNum`, /must be a whole number of periods written as text/);
c.oneOf(A, 'DOC Table 4: os.modelarts/period.type "Range: 2: month, 3: year, 4: hour"', ["2", "3", "4"], { key: `${A}.periodType:enum`, patch: (v) => ({ [`${A}.periodType`]: v }), property: `${A}.periodType` });
c.oneOf(A, 'DOC Table 4: os.modelarts/auto.renew "Range: 0: auto-renewal disabled, 1: auto-renewal enabled"', ["0", "1"], { key: `${A}.autoRenew:enum`, patch: (v) => ({ [`${A}.autoRenew`]: v }), property: `${A}.autoRenew` });
c.nonEmpty(`${A}.orderId`, "DOC Table 4: os.modelarts/order.id, an order ID (not empty)");

// spec.resources (Table 6)
c.required(`${R}.flavor`, 'DOC Table 6: flavor "Mandatory: Yes"');
c.nonEmpty(`${R}.flavor`, "DOC Table 6: flavor, a resource flavor name (not empty)");
c.required(`${R}.count`, 'DOC Table 6: count "Mandatory: Yes"');
c.integer(`${R}.count`, "DOC Table 6: count, Integer, committed specifications", { min: 0 });
c.required(`${R}.maxCount`, 'DOC Table 6: maxCount "Mandatory: Yes"');
c.integer(`${R}.maxCount`, "DOC Table 6: maxCount, Integer, elastic usage", { min: 0 });
const az = (a: Record<string, unknown>) => ({ [`${R}.azs`]: [a] });
c.nonEmpty(`${R}.azs`, "DOC Table 7: PoolNodeAz.az, an AZ name (not empty)", { key: `${R}.azs[].az:minLength`, patch: (v) => az({ az: v, count: 1 }), property: `${R}.azs[0].az` });
c.integer(`${R}.azs`, "DOC Table 7: PoolNodeAz.count, Integer, number of AZ resource instances", { min: 0 }, { key: `${R}.azs[].count`, patch: (v) => az({ az: "cn-north-4a", count: v }), property: `${R}.azs[0].count` });
c.bad(`${R}.azs[].az:required`, 'DOC Table 7: PoolNodeAz.az "Mandatory: Yes"', az({ count: 1 }), `${R}.azs[0].az`, /is required/);
c.bad(`${R}.azs[].count:required`, 'DOC Table 7: PoolNodeAz.count "Mandatory: Yes"', az({ az: "cn-north-4a" }), `${R}.azs[0].count`, /is required/);
c.bad(`${R}.azs:refine#0`, "DOC Table 6: azs, the AZ distribution: each AZ once", { [`${R}.azs`]: [{ az: "cn-north-4a", count: 1 }, { az: "cn-north-4a", count: 0 }] }, `${R}.azs[1].az`, /duplicate AZ "cn-north-4a"/);
c.nonEmpty(`${R}.nodePool`, "DOC Table 6: nodePool, a node pool name, e.g. nodePool-1 (not empty)");

// taints (Table 8), labels, tags (Table 9)
const taint = (t: Record<string, unknown>) => ({ [`${R}.taints`]: [t] });
c.nonEmpty(`${R}.taints`, "DOC Table 8: Taints.key, a key (not empty)", { key: `${R}.taints[].key:minLength`, patch: (v) => taint({ key: v, effect: "NoSchedule" }), property: `${R}.taints[0].key` });
c.oneOf(`${R}.taints`, "DOC Table 8: Taints.effect, a Kubernetes taint effect", ["NoSchedule", "PreferNoSchedule", "NoExecute"], { key: `${R}.taints[].effect:enum`, patch: (v) => taint({ key: "gpu", effect: v }), property: `${R}.taints[0].effect` });
c.bad(`${R}.taints[].key:required`, 'DOC Table 8: Taints.key "Mandatory: Yes"', taint({ effect: "NoSchedule" }), `${R}.taints[0].key`, /is required/);
c.bad(`${R}.taints[].effect:required`, 'DOC Table 8: Taints.effect "Mandatory: Yes"', taint({ key: "gpu" }), `${R}.taints[0].effect`, /is required/);
c.bad(`${R}.labels:refine#0`, `package ownership mark (provider/core/ownership.ts): the label key "${OWNER_MARK_KEY}" carries the ownership mark (reserved)`, { [`${R}.labels`]: { [OWNER_MARK_KEY]: "x" } }, `${R}.labels`, /must not have the key "pulumi-nodepools-owner"/);
const tag = (t: unknown[]) => ({ [`${R}.tags`]: t });
c.nonEmpty(`${R}.tags`, "DOC Table 9: UserTags.key, a key (not empty)", { key: `${R}.tags[].key:minLength`, patch: (v) => tag([{ key: v, value: "x" }]), property: `${R}.tags[0].key` });
c.bad(`${R}.tags[].key:required`, 'DOC Table 9: UserTags.key "Mandatory: Yes"', tag([{ value: "x" }]), `${R}.tags[0].key`, /is required/);
c.bad(`${R}.tags[].value:required`, 'DOC Table 9: UserTags.value "Mandatory: Yes"', tag([{ key: "team" }]), `${R}.tags[0].value`, /is required/);
c.bad(`${R}.tags:refine#0`, "DOC Table 9: resource tags, one value per key", tag([{ key: "team", value: "a" }, { key: "team", value: "b" }]), `${R}.tags[1].key`, /duplicate tag key "team"/);
c.bad(`${R}.tags[].key:refine#0`, 'DOC Table 9: UserTags.key "The value cannot start with CCE- or __type_baremetal."', tag([{ key: "CCE-team", value: "x" }]), `${R}.tags[0].key`, /must not start with "CCE-" or "__type_baremetal"/);

// network (Table 10), extendParams, creatingStep (Table 11), os (Table 12)
c.nonEmpty(`${R}.network.vpc`, "DOC Table 10: NodeNetwork.vpc, a VPC ID (not empty)");
c.nonEmpty(`${R}.network.subnet`, "DOC Table 10: NodeNetwork.subnet, a subnet ID (not empty)");
c.nonEmpty(`${R}.network.securityGroups`, "DOC Table 10: NodeNetwork.securityGroups, security group IDs (not empty)", { key: `${R}.network.securityGroups[]:minLength`, patch: (v) => ({ [`${R}.network.securityGroups`]: [v] }), property: `${R}.network.securityGroups[0]` });
c.bad(`${R}.extendParams:refine#0`, 'DOC Table 6: extendParams "dockerBaseSize: ... container engine space size ... The value 0 indicates that the size is not limited" (a whole number as text)', { [`${R}.extendParams`]: { dockerBaseSize: "50G" } }, `${R}.extendParams.dockerBaseSize`, /must be a whole number of GiB written as text/);
c.integer(`${R}.creatingStep.step`, "DOC Table 11: CreatingStep.step, Integer, the step of a supernode", { min: 1 });
c.oneOf(`${R}.creatingStep.type`, 'DOC Table 11: CreatingStep.type "Range: hyperinstance: supernode"', ["hyperinstance"]);
c.nonEmpty(`${R}.os.name`, "DOC Table 12: Os.name, an OS name (not empty)");
c.nonEmpty(`${R}.os.imageId`, "DOC Table 12: Os.imageId, an image ID (not empty)");
c.oneOf(`${R}.os.imageType`, 'DOC Table 12: Os.imageType "Range: private: private image"', ["private"]);
for (const op of ["create", "update", "delete"]) {
  c.bad(`timeouts.${op}:refine#0`, 'package setting: a positive duration such as "45m" or "1h30m"', { [`timeouts.${op}`]: "90" }, `timeouts.${op}`, /must be a positive duration/);
}

// cross-field rules
c.bad(`rule: ${R}.maxCount: maxCount must not be below count (it equals count in a physical pool and is at least count in a logical pool)`, 'DOC Table 6: maxCount "is the same the count value in a physical pool. It is greater than or equal to the count value in a logical pool."', { [`${R}.count`]: 3, [`${R}.maxCount`]: 2 }, `${R}.maxCount`, /must be >= spec\.resources\.count \(3\)/);
const yearly = { [`${A}.billingMode`]: "1", [`${A}.periodNum`]: "1", [`${A}.periodType`]: "2", [`${A}.orderId`]: "CS2401011234ABCDE" };
for (const [name, key, doc] of [
  ["periodNum", "os.modelarts/period.num", "This parameter is mandatory when the billing mode is yearly/monthly."],
  ["periodType", "os.modelarts/period.type", "This parameter is mandatory when the billing mode is yearly/monthly."],
  ["orderId", "os.modelarts/order.id", "Order ID, which is mandatory for creating a yearly/monthly resource"],
] as const) {
  const rule = `${key} is required when billingMode is "1" (yearly/monthly)${name === "orderId" ? " (DOC: mandatory for creating a yearly/monthly resource)" : ""}`;
  c.bad(`rule: ${A}.${name}: ${rule}`, `DOC Table 4: ${key} "${doc}"`, { ...yearly, [`${A}.${name}`]: ABSENT }, `${A}.${name}`, /required when metadata\.annotations\.billingMode is "1"/);
}

// ---- ownership (provider/core/ownership.ts)
c.bad("ownerKey:minLength", "package setting: the owner key the resource class derives from project, stack, parent and name (not empty)", { ownerKey: "" }, "ownerKey", /at least 1 character/);
c.bad("ownerKey:maxLength", "package setting: the owner key (at most 2048 characters)", { ownerKey: "k".repeat(2049) }, "ownerKey", /at most 2048 character/);

export const modelArtsCorpus = c.cases;
