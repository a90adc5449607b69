/**
 * Bad-input corpus of `alicloud.ens.NodePool`: one violating case (at least) per documented constraint.
 * DOC = shared/api-docs/alibaba-ens-CreateClusterNodePool.txt; MODIFY/SCALE as cited in the field table.
 */
import { ensNodePoolSpec } from "../../../provider/resources/ens-nodepool/fields";
import { ABSENT, corpusOf } from "./case";

const c = corpusOf(ensNodePoolSpec.example!);
const SG = "scalingGroup";

c.required("clusterId", 'DOC: ClusterId "Required: Yes"');
c.nonEmpty("clusterId", "DOC: ClusterId, the cluster ID (not empty)");
c.required("nodepoolInfo.name", 'DOC: NodepoolInfo.Name "Required: Yes"');
c.nonEmpty("nodepoolInfo.name", "DOC: NodepoolInfo.Name, the name of the node pool (not empty)");
c.integer(`${SG}.desiredSize`, "DOC: ScalingGroup.DesiredSize, integer, the desired number of instances", { min: 0 });
c.nonEmpty(`${SG}.keyPairName`, "DOC: ScalingGroup.KeyPairName, the name of the key pair (not empty)");
c.bad("password:minLength", "DOC: ScalingGroup.Password, the password for the instances (not empty)", { [`${SG}.keyPairName`]: ABSENT, password: "" }, "password", /must not be empty/);
c.required(`${SG}.vswitchIds`, 'DOC: ScalingGroup.VswitchIds "Required: Yes"');
c.bad(`${SG}.vswitchIds:minItems`, "DOC: ScalingGroup.VswitchIds, the IDs of the vSwitches used by the instances (a required list: at least one)", { [`${SG}.vswitchIds`]: [] }, `${SG}.vswitchIds`, /must have at least 1 item/);
c.nonEmpty(`${SG}.vswitchIds`, "DOC: each VswitchIds entry is the ID of a vSwitch (not empty)", { key: `${SG}.vswitchIds[]:minLength`, patch: (v) => ({ [`${SG}.vswitchIds`]: [v] }), property: `${SG}.vswitchIds[0]` });
c.oneOf(`${SG}.instanceChargeType`, "DOC: ScalingGroup.InstanceChargeType, the billing method (PostPaid, PrePaid)", ["PrePaid", "PostPaid"]);
c.required(`${SG}.instanceTypes`, 'DOC: ScalingGroup.InstanceTypes "Required: Yes"');
c.bad(`${SG}.instanceTypes:minItems`, "DOC: ScalingGroup.InstanceTypes, the instance types (a required list: at least one)", { [`${SG}.instanceTypes`]: [] }, `${SG}.instanceTypes`, /must have at least 1 item/);
c.nonEmpty(`${SG}.instanceTypes`, "DOC: each InstanceTypes entry is an instance type (not empty)", { key: `${SG}.instanceTypes[]:minLength`, patch: (v) => ({ [`${SG}.instanceTypes`]: [v] }), property: `${SG}.instanceTypes[0]` });
c.oneOf(`${SG}.systemDiskCategory`, 'DOC: SystemDiskCategory "Valid values: local_ssd, local_hdd, cloud_efficiency, and cloud_ssd."', ["local_ssd", "local_hdd", "cloud_efficiency", "cloud_ssd"]);
c.integer(`${SG}.systemDiskSize`, 'DOC: SystemDiskSize "in GB. The value must be at least 20 and a multiple of 10."', { min: 20 });
c.bad(`${SG}.systemDiskSize:multipleOf`, 'DOC: SystemDiskSize "The value must be at least 20 and a multiple of 10."', { [`${SG}.systemDiskSize`]: 45 }, `${SG}.systemDiskSize`, /must be a multiple of 10/);
c.required(`${SG}.imageId`, 'DOC: ScalingGroup.ImageId "Required: Yes"');
c.nonEmpty(`${SG}.imageId`, "DOC: ScalingGroup.ImageId, the ID of the image (not empty)");
const disk = (d: Record<string, unknown>) => ({ [`${SG}.dataDisks`]: [d] });
c.nonEmpty(`${SG}.dataDisks`, "DOC: DataDisks[].Category, the category of the data disk (not empty)", { key: `${SG}.dataDisks[].category:minLength`, patch: (v) => disk({ category: v, size: 40 }), property: `${SG}.dataDisks[0].category` });
c.integer(`${SG}.dataDisks`, 'DOC: DataDisks[].Size "in GB. The value must be at least 20 and a multiple of 10."', { min: 20 }, { key: `${SG}.dataDisks[].size`, patch: (v) => disk({ size: v }), property: `${SG}.dataDisks[0].size` });
c.bad(`${SG}.dataDisks[].size:multipleOf`, 'DOC: DataDisks[].Size "The value must be at least 20 and a multiple of 10."', disk({ size: 25 }), `${SG}.dataDisks[0].size`, /must be a multiple of 10/);
for (const op of ["create", "update", "delete"]) {
  c.bad(`timeouts.${op}:refine#0`, 'package setting: a positive duration such as "45m" or "1h30m"', { [`timeouts.${op}`]: "0s" }, `timeouts.${op}`, /must be a positive duration/);
}

const RULE = 'rule: scalingGroup.keyPairName: exactly one of scalingGroup.keyPairName and password ("You must specify either this parameter or Password")';
c.bad(RULE, 'DOC: KeyPairName "You must specify either this parameter or Password": one of them', { [`${SG}.keyPairName`]: ABSENT }, `${SG}.keyPairName`, /one of scalingGroup\.keyPairName or password is required/);
c.bad(RULE, 'DOC: KeyPairName "You must specify either this parameter or Password": not both', { password: "Edge-Pass-1" }, `${SG}.keyPairName`, /set either scalingGroup\.keyPairName or password, not both/);

// ---- ownership (provider/core/ownership.ts)
c.bad("ownerKey:minLength", "package setting: the owner key the resource class derives from project, stack, parent and name (not empty)", { ownerKey: "" }, "ownerKey", /at least 1 character/);
c.bad("ownerKey:maxLength", "package setting: the owner key (at most 2048 characters)", { ownerKey: "k".repeat(2049) }, "ownerKey", /at most 2048 character/);

export const ensCorpus = c.cases;
