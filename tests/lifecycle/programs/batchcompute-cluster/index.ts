/**
 * Lifecycle-test program: one `alicloud.batchcompute.Cluster` whose arguments are the stack config `cluster` (so
 * test steps edit config, not code), with the OSS key pair from config (`ossAccessKeyId`, and the secret
 * `ossAccessKeySecret`) and, when `imageFromResource` is set, the image id taken from a `@pulumi/alicloud` custom
 * image (simulated by the test engine), so it is unknown during a preview.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ecs from "@pulumi/alicloud/ecs";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
let args = config.requireObject<alicloud.batchcompute.ClusterArgs>("cluster");

const accessKeyId = config.get("ossAccessKeyId");
if (accessKeyId) args = { ...args, ossCredentials: { accessKeyId, accessKeySecret: config.requireSecret("ossAccessKeySecret") } };

if (config.getBoolean("imageFromResource")) {
  const image = new ecs.Image("worker-image", { instanceId: "i-builder", imageName: "render-worker" });
  args = { ...args, imageId: image.id };
}

const cluster = new alicloud.batchcompute.Cluster("render", args);

export const id = cluster.id;
export const state = cluster.state;
export const actualVmCounts = cluster.actualVmCounts;
