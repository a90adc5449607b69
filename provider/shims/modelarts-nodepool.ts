/**
 * The provider object of `huaweicloud.modelarts.NodePool`: this module's exports are the object itself, so that Pulumi stores a
 * reference to this file in `__provider` when the package is installed under node_modules (see core/shim.ts).
 */
import { providerShim } from "../core/shim";

export = providerShim("huaweicloud.modelarts.NodePool");
