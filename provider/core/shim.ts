/**
 * The provider object that Pulumi serializes into every resource's state (`__provider`).
 *
 * It carries only the resource kind and one method. The dynamic-provider host deserializes the text and
 * calls `configure` before any other method, once per provider text and process (`getProvider` in
 * `@pulumi/pulumi/cmd/dynamic-provider`); `configure` loads this package's handlers by package name and
 * attaches check/diff/create/read/update/delete to the object. So the stored text stays a few hundred
 * bytes, holds no credential and no absolute path, works on any machine that has the package installed,
 * and state written today runs with the installed package's handlers later (which must accept old state).
 * tests/protocol pins this contract against the real host.
 *
 * Keep this file free of run-time imports: everything `configure` references is serialized with it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One provider per resource kind, created once (Pulumi caches the serialized text per provider object). */
export function providerShim(kind: string): pulumi.dynamic.ResourceProvider {
  const shim = {
    configure(this: object, req: pulumi.dynamic.ConfigureRequest) {
      return require("pulumi-nodepools/handlers").attach(this, kind, req.config);
    },
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}
