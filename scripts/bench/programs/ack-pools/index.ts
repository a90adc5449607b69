/**
 * Bench program (scripts/bench.ts): `count` ACK node pools in one cluster, all made from the stack config `pool`
 * (the name gets a 3-digit index). The floor, ../trivial, registers the same inputs with a provider that does nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-nodepools";

const config = new pulumi.Config();
const count = config.requireNumber("count");
const pool = config.requireObject<alicloud.ack.NodePoolArgs & { nodepoolInfo: { name: string } }>("pool");

const ids: pulumi.Output<string>[] = [];
for (let i = 0; i < count; i++) {
  const name = `${pool.nodepoolInfo.name}-${String(i).padStart(3, "0")}`;
  ids.push(new alicloud.ack.NodePool(name, { ...pool, nodepoolInfo: { ...pool.nodepoolInfo, name } }).id);
}

export const created = pulumi.all(ids).apply((all) => all.length);
