/**
 * Lifecycle-test program: one `alicloud.eflo.NodeGroup` whose arguments are the stack config `group` (so test steps
 * edit config, not code), with an optional secret `loginPassword` and, when `keyPairFromResource` is set, the key pair
 * name taken from a `@pulumi/alicloud` ECS key pair's id (simulated by the test engine, so unknown during a preview).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@pulumi/alicloud/ecs";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
let args = config.requireObject<alicloud.eflo.NodeGroupArgs>("group");
const loginPassword = config.getSecret("loginPassword");
if (loginPassword) args = { ...args, loginPassword };

if (config.getBoolean("keyPairFromResource")) {
  // An ECS key pair's id is its name.
  const keyPair = new ecs.EcsKeyPair("lingjun-key", { keyPairName: "lingjun-lifecycle" });
  const nodeGroup = args.nodeGroup as alicloud.eflo.NodeGroupConfig;
  args = { ...args, nodeGroup: { ...nodeGroup, keyPairName: keyPair.id } };
}

const group = new alicloud.eflo.NodeGroup("gpu", args);

export const id = group.id;
export const nodeGroupId = group.nodeGroupId;
export const nodeCount = group.nodeCount;
export const clusterName = group.clusterName;
