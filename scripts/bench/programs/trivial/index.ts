/**
 * The floor of the bench (scripts/bench.ts): the stack of ../ack-pools, same names, same inputs and the same
 * property surface as `alicloud.ack.NodePool` (its declared outputs and secret outputs), made of dynamic resources
 * whose provider does no work (./provider.ts). What this costs is the engine's and the Pulumi runtime's work alone:
 * serialization, registration, the provider host's gRPC round trips, outputs, state.
 */
import * as pulumi from "@pulumi/pulumi";
import { trivialProvider } from "./provider";

class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>) {
    const outputs = { loginPassword: undefined, nodePoolId: undefined, scalingGroupId: undefined, status: undefined, created: undefined, updated: undefined, schemaVersion: undefined };
    super(trivialProvider, name, { ...props, ...outputs }, { additionalSecretOutputs: ["loginPassword"] }, "bench", "Trivial");
  }
}

const config = new pulumi.Config();
const count = config.requireNumber("count");
const pool = config.requireObject<{ nodepoolInfo: { name: string } } & Record<string, unknown>>("pool");

const ids: pulumi.Output<string>[] = [];
for (let i = 0; i < count; i++) {
  const name = `${pool.nodepoolInfo.name}-${String(i).padStart(3, "0")}`;
  const ownerKey = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`; // as the package's resources add it
  ids.push(new Trivial(name, { ...pool, nodepoolInfo: { ...pool.nodepoolInfo, name }, ownerKey }).id);
}

export const created = pulumi.all(ids).apply((all) => all.length);
