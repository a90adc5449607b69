/**
 * Rate-limit test program: `count` ENS node pools (`edge-00`, `edge-01`, ...) from one template, the stack config
 * `pool`, all registered at once, so that the provider host creates (and later deletes) them under one shared
 * client-side limiter.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const template = config.requireObject<alicloud.ens.NodePoolArgs>("pool");
const count = config.requireNumber("count");

const pools = Array.from({ length: count }, (_, i) => {
  const name = `edge-${String(i).padStart(2, "0")}`;
  return new alicloud.ens.NodePool(name, { ...template, nodepoolInfo: { name } });
});

export const ids = pools.map((p) => p.id);
