/**
 * Bad-input corpus of `alicloud.eflo.NodeGroup`: one violating case (at least) per documented constraint.
 * DOC = shared/api-docs/alibaba-eflo-CreateNodeGroup.txt; SDK = the eflo-controller 2022-12-15 reference.
 */
import { efloNodeGroupSpec } from "../../../provider/resources/eflo-nodegroup/fields";
import { DESCRIPTION_MARK_PREFIX } from "../../../provider/core/ownership";
import { corpusOf } from "./case";

const c = corpusOf(efloNodeGroupSpec.example!);
const NG = "nodeGroup";

c.required("clusterId", 'DOC: ClusterId "Required: Yes"');
c.nonEmpty("clusterId", "DOC: ClusterId, the ID of the cluster (not empty)");
for (const [k, doc] of [["az", "Az"], ["nodeGroupName", "NodeGroupName"], ["machineType", "MachineType"], ["imageId", "ImageId"]] as const) {
  c.required(`${NG}.${k}`, `DOC: NodeGroup.${doc} "Required: Yes"`);
  c.nonEmpty(`${NG}.${k}`, `DOC: NodeGroup.${doc} (not empty)`);
}
c.bad(`${NG}.nodeGroupDescription:refine#0`, `package ownership mark (provider/core/ownership.ts): the description must not contain "${DESCRIPTION_MARK_PREFIX}", which starts the ownership mark the create appends`, { [`${NG}.nodeGroupDescription`]: `gpu group ${DESCRIPTION_MARK_PREFIX}0123]` }, `${NG}.nodeGroupDescription`, /which starts this package's ownership mark/);
c.bad(`${NG}.userData:refine#0`, 'SDK: UserData "The maximum size of the raw data is 16 KB"', { [`${NG}.userData`]: `#!/bin/sh\n${"echo 0123456789abcdef\n".repeat(1000)}` }, `${NG}.userData`, /must be a script of at most 16384 bytes/);
c.integer(`${NG}.systemDisk.size`, "DOC: SystemDisk.Size, integer, the size of the system disk in GB", { min: 1 });
c.oneOf(`${NG}.systemDisk.performanceLevel`, 'DOC: SystemDisk.PerformanceLevel "Valid values: PL0 ... PL1"', ["PL0", "PL1"]);
c.oneOf(`${NG}.systemDisk.category`, 'DOC: SystemDisk.Category "Valid values: cloud_essd: ESSD."', ["cloud_essd"]);
c.nonEmpty(`${NG}.keyPairName`, "DOC: NodeGroup.KeyPairName, the name of the key pair (not empty)");
c.bad("loginPassword:minLength", "DOC: NodeGroup.LoginPassword, the login password (not empty)", { loginPassword: "" }, "loginPassword", /must not be empty/);
c.nonEmpty(`${NG}.ramRoleName`, "DOC: NodeGroup.RamRoleName, a RAM role name (not empty)");
for (const op of ["create", "update", "delete"]) {
  c.bad(`timeouts.${op}:refine#0`, 'package setting: a positive duration such as "45m" or "1h30m"', { [`timeouts.${op}`]: "5 minutes" }, `timeouts.${op}`, /must be a positive duration/);
}

// ---- ownership (provider/core/ownership.ts)
c.bad("ownerKey:minLength", "package setting: the owner key the resource class derives from project, stack, parent and name (not empty)", { ownerKey: "" }, "ownerKey", /at least 1 character/);
c.bad("ownerKey:maxLength", "package setting: the owner key (at most 2048 characters)", { ownerKey: "k".repeat(2049) }, "ownerKey", /at most 2048 character/);

export const efloCorpus = c.cases;
