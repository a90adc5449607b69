/**
 * The provider object that Pulumi serializes into every resource's state (`__provider`).
 *
 * It carries only the resource kind and one method. The dynamic-provider host deserializes the text and
 * calls `configure` before any other method, once per provider text and process (`getProvider` in
 * `@pulumi/pulumi/cmd/dynamic-provider`); `configure` loads this package's handlers by package name and
 * attaches check/diff/create/read/update/delete to the object. So the stored text holds no credential and
 * no absolute path, works on any machine that has the package installed, and state written today runs with
 * the installed package's handlers later (which must accept old state).
 *
 * Each resource type's object is the whole export of its own module, provider/shims/<resource>.ts. Pulumi's
 * closure serializer stores a module that lives under node_modules as a `require` of it, so with the package
 * installed (as users have it) `__provider` is one line, `require("pulumi-nodepools/dist/provider/shims/<resource>.js")`,
 * inside the serializer's frame: about 300 bytes, stored twice per resource. package.json exports that path as
 * itself, so the reference is the same whether or not the serializer can read the package's exports map (it
 * cannot when @pulumi/pulumi is not a sibling, e.g. under pnpm). Loaded from a checkout (this repository's tests,
 * `npm link`), the module is not under node_modules and the object is serialized by value: `configure`'s code,
 * about 600 bytes; every state written before the shims were modules has that form, and it keeps working.
 * tests/protocol pins both forms against the real host.
 *
 * Keep this file free of run-time imports: everything `configure` references is serialized with it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One provider per resource kind, made once by its module in provider/shims/ (Pulumi caches the text per object). */
export function providerShim(kind: string): pulumi.dynamic.ResourceProvider {
  const shim = {
    configure(this: object, req: pulumi.dynamic.ConfigureRequest) {
      return require("pulumi-nodepools/handlers").attach(this, kind, req.config);
    },
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}
