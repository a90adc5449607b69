/**
 * The owner key every resource class passes (see core/ownership.ts), computed in the constructor from the Pulumi
 * identity of the resource. Loaded by the program only, never by the provider host.
 */
import * as pulumi from "@pulumi/pulumi";
import { ownerKey } from "./ownership";

/**
 * `<project>/<stack>/<name>`, or `<parent URN>/<name>` under a parent. Undefined when the resource is looked up by
 * id (`static get`): a read never creates, so it needs no key.
 */
export function ownerKeyInput(name: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.Input<string> | undefined {
  if (opts?.id !== undefined) return undefined;
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const parent = opts?.parent;
  if (!parent) return ownerKey(project, stack, name);
  // The parent's URN without the parent as a dependency: `parent.urn.apply(...)` would make this resource depend on
  // its parent, and the SDK expands a dependency on a component to all of the component's children, so two
  // resources of this package under one component would each wait for the other's URN, and the program would end
  // with "was waiting for the URNs of its dependencies to resolve". The child/parent link orders them already.
  const parentUrn = new Promise<string>((resolve) => parent.urn.apply((urn) => resolve(urn)));
  return pulumi.output(parentUrn.then((urn) => ownerKey(project, stack, name, urn)));
}
