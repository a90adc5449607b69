/**
 * Lifecycle-test program: one `alicloud.ens.NodePool` whose arguments are the stack config `pool` (so test steps
 * edit config, not code), with an optional secret `password` and, when `vswitchFromResource` is set, the vSwitch id
 * taken from a `@pulumi/alicloud` ENS vSwitch (simulated by the test engine, so its id is unknown during a preview).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ens from "@pulumi/alicloud/ens";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
let args = config.requireObject<alicloud.ens.NodePoolArgs>("pool");
const password = config.getSecret("password");
if (password) args = { ...args, password };

if (config.getBoolean("vswitchFromResource")) {
  const vsw = new ens.Vswitch("edge-vswitch", { ensRegionId: "cn-guiyang-14", networkId: "n-lifecycle", cidrBlock: "10.0.8.0/24" });
  const scalingGroup = args.scalingGroup as alicloud.ens.ScalingGroup;
  args = { ...args, scalingGroup: { ...scalingGroup, vswitchIds: [vsw.id] } };
}

const pool = new alicloud.ens.NodePool("edge", args);

export const id = pool.id;
export const nodePoolId = pool.nodePoolId;
export const state = pool.status.state;
export const totalNodes = pool.status.totalNodes;
