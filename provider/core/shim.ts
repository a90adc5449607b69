/**
 * The provider object that Pulumi serializes into every resource's state (`__provider`). It holds nothing
 * but the resource kind: each method loads this package's handlers by package name when called, inside the
 * provider host. So the serialized text stays small, carries no credential and no absolute path, and works
 * on another machine that has the package installed; fixes in the installed package reach old state too.
 *
 * Keep this file free of imports used at run time: everything a method references is serialized with it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One provider per resource kind, created once (Pulumi caches the serialized text per provider object). */
export function providerShim(kind: string): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-nodepools/handlers").configure(req.config);
    },
    async check(olds, news) {
      return require("pulumi-nodepools/handlers").handlers(kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-nodepools/handlers").handlers(kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-nodepools/handlers").handlers(kind).create(inputs);
    },
    async read(id, props) {
      return require("pulumi-nodepools/handlers").handlers(kind).read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-nodepools/handlers").handlers(kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-nodepools/handlers").handlers(kind).delete(id, props);
    },
  };
}
