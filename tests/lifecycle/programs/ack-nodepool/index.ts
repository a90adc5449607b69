/**
 * Lifecycle-test program: one `alicloud.ack.NodePool` whose arguments are the stack config `pool` (so test
 * steps edit config, not code), with an optional secret `loginPassword` and, when `vswitchFromResource` is
 * set, vSwitch ids taken from a `@pulumi/alicloud` vSwitch (simulated by the test engine).
 */
import * as pulumi from "@pulumi/pulumi";
import * as vpc from "@pulumi/alicloud/vpc";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
let args: alicloud.ack.NodePoolArgs = config.requireObject<alicloud.ack.NodePoolArgs>("pool");
const loginPassword = config.getSecret("loginPassword");
if (loginPassword) args = { ...args, loginPassword };

if (config.getBoolean("vswitchFromResource")) {
  const vsw = new vpc.Switch("pool-vswitch", { vpcId: "vpc-lifecycle", cidrBlock: "10.0.1.0/24", zoneId: "cn-hangzhou-k" });
  // Config values are plain, so only the vSwitch id itself is unknown during a preview.
  const scalingGroup = args.scalingGroup as alicloud.ack.ScalingGroup;
  args = { ...args, scalingGroup: { ...scalingGroup, vswitchIds: [vsw.id] } };
}

const pool = new alicloud.ack.NodePool("gpu", args);

export const id = pool.id;
export const nodePoolId = pool.nodePoolId;
export const state = pool.status.state;
export const totalNodes = pool.status.totalNodes;
