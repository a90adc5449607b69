/**
 * Bench program (scripts/bench.ts): `count` ENS node pools in one edge cluster, all made from the stack config `pool`
 * (the name gets a 3-digit index), created by one `up` against an emulator that limits ENS writes to 10 per second.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const count = config.requireNumber("count");
const pool = config.requireObject<alicloud.ens.NodePoolArgs & { nodepoolInfo: { name: string } }>("pool");

const ids: pulumi.Output<string>[] = [];
for (let i = 0; i < count; i++) {
  const name = `${pool.nodepoolInfo.name}-${String(i).padStart(3, "0")}`;
  ids.push(new alicloud.ens.NodePool(name, { ...pool, nodepoolInfo: { ...pool.nodepoolInfo, name } }).id);
}

export const created = pulumi.all(ids).apply((all) => all.length);
