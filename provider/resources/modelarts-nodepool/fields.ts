/**
 * Field table of `huaweicloud.modelarts.NodePool` (ModelArts `CreateNodePool`,
 * `POST /v2/{project_id}/pools/{pool_name}/nodepools`): every request field, once. The inputs mirror the request
 * body (`metadata`, `spec.resources`), whose keys are already camelCase on the wire, so values pass through
 * unchanged; the billing annotations (`os.modelarts/...` keys) get camelCase names. Sources for change behaviour:
 * - DOC: the API document (`shared/api-docs/huaweicloud-modelarts-CreateNodePool.txt`);
 * - PATCH: PatchNodePool (`PATCH .../nodepools/{nodepool_name}`, `Content-Type: application/merge-patch+json`;
 *   Go SDK `PatchNodePoolRequestBody{metadata: PatchNodePoolMetaVo{annotations}, spec: NodePoolSpec}`), which this
 *   package uses for the node counts, their AZ distribution, the Kubernetes labels and taints, the tags and the
 *   billing annotations; the flavor, the names and the rest of the node configuration replace the pool;
 * - TF: Terraform `huaweicloud_modelarts_resource_pool` (pool-level: every `resources` member updates in place).
 */
import { z } from "zod";
import { timeoutFields } from "../../core/lifecycle";
import type { ChangeBehaviour, CrossFieldRule, FieldSpec, ResourceSpec } from "../../core/fields/spec";
import { getPath } from "../../core/fields/spec";
import { OWNER_MARK_KEY, ownerKeyField } from "../../core/ownership";

export const MODELARTS_API_VERSION = "v2";
export const NODEPOOL_KIND = "NodePool";
/** The one update call. */
export const PATCH = "PatchNodePool";

const PATCH_SOURCE = "merge patch of spec.resources; PatchNodePoolRequestBody carries a NodePoolSpec";
const replace = (source: string): ChangeBehaviour => ({ kind: "replace", source });
const patch = (source = PATCH_SOURCE): ChangeBehaviour => ({ kind: "update", call: PATCH, source });
const NODE_CONFIG = "node configuration, which this package replaces rather than patches";

/** The `os.modelarts/...` annotation key of each camelCase annotation input. */
export const ANNOTATION_KEYS = {
  billingMode: "os.modelarts/billing.mode",
  periodNum: "os.modelarts/period.num",
  periodType: "os.modelarts/period.type",
  autoRenew: "os.modelarts/auto.renew",
  promotionInfo: "os.modelarts/promotion.info",
  serviceConsoleUrl: "os.modelarts/service.console.url",
  orderId: "os.modelarts/order.id",
} as const;

export type AnnotationName = keyof typeof ANNOTATION_KEYS;

/**
 * A name used as a URL path segment (and in the Pulumi id `<poolName>/<name>`): letters, digits, ".", "_" and
 * "-", starting with a letter or digit, so that no value can change the request path or the id.
 */
const pathName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be a name of letters, digits, ".", "_" and "-" that starts with a letter or digit (at most 128 characters)');
const text = z.string().min(1, "must not be empty");
const count = z.number().int().min(0);


const annotations = z
  .object({
    billingMode: z.enum(["0", "1"]).describe('"0" pay-per-use, "1" yearly/monthly').optional(),
    periodNum: z.string().regex(/^[1-9][0-9]*$/, 'must be a whole number of periods written as text, e.g. "2"').optional(),
    periodType: z.enum(["2", "3", "4"]).describe('"2" month, "3" year, "4" hour').optional(),
    autoRenew: z.enum(["0", "1"]).describe('"0" off (the default), "1" on').optional(),
    promotionInfo: z.string().optional(),
    serviceConsoleUrl: z.string().optional(),
    orderId: z.string().min(1).optional(),
  })
  .strict();

const az = z.object({ az: text, count }).strict();
const azs = z
  .array(az)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.az)) ctx.addIssue({ code: "custom", path: [i, "az"], message: `duplicate AZ "${item.az}"` });
      seen.add(item.az);
    });
  })
  .describe("each AZ at most once");

const taint = z
  .object({
    key: text,
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  })
  .strict();

const RESERVED_TAG_PREFIXES = ["CCE-", "__type_baremetal"];
const tags = z
  .array(
    z
      .object({
        key: text
          .refine((k) => !RESERVED_TAG_PREFIXES.some((p) => k.startsWith(p)), 'must not start with "CCE-" or "__type_baremetal"')
          .describe('must not start with "CCE-" or "__type_baremetal"'),
        value: z.string(),
      })
      .strict(),
  )
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((t, i) => {
      if (seen.has(t.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `duplicate tag key "${t.key}"` });
      seen.add(t.key);
    });
  })
  .describe("tag keys must be unique");

const stringMap = z.record(z.string(), z.string());
const labels = stringMap
  .refine((map) => !(OWNER_MARK_KEY in map), `must not have the key "${OWNER_MARK_KEY}", the label that carries this package's ownership mark`)
  .describe(`the key "${OWNER_MARK_KEY}" is reserved for the ownership mark`);
const extendParams = stringMap
  .superRefine((params, ctx) => {
    const size = params.dockerBaseSize;
    if (size !== undefined && !/^(0|[1-9][0-9]*)$/.test(size)) {
      ctx.addIssue({ code: "custom", path: ["dockerBaseSize"], message: 'must be a whole number of GiB written as text ("0" = no limit)' });
    }
  })
  .describe('dockerBaseSize: container engine space per node, a whole number as text, "0" = no limit');

const identity = (v: unknown) => v;

function annotationsToWire(value: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[ANNOTATION_KEYS[k as AnnotationName] ?? k] = v;
  return out;
}

function annotationsFromWire(value: unknown): unknown {
  const names = Object.fromEntries(Object.entries(ANNOTATION_KEYS).map(([name, key]) => [key, name]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (names[k]) out[names[k]] = v;
  return out;
}

function f(path: string, wire: string | undefined, type: z.ZodType, change: ChangeBehaviour, doc: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  // The wire keys are camelCase already: values pass through unchanged (labels and extendParams keys included).
  return { path, wire, type, change, doc, toWire: identity, fromWire: identity, ...extra };
}

const R = "spec.resources";

export const modelArtsNodePoolFields: FieldSpec[] = [
  f("poolName", undefined, pathName, replace("path parameter {pool_name}; a node pool cannot move between resource pools"), "Name of the ModelArts resource pool the node pool belongs to (path parameter `{pool_name}`).", { required: true }),

  f("metadata.name", "metadata.name", pathName, replace("the name keys every node pool call (path parameter {nodepool_name}); PatchNodePoolMetaVo has no name"), "Node pool name, unique in the resource pool.", { required: true }),
  f("metadata.annotations", "metadata.annotations", annotations, patch("metadata.annotations, the only member of PatchNodePoolMetaVo"), "Billing annotations (`os.modelarts/billing.mode`, `period.num`, `period.type`, `auto.renew`, `promotion.info`, `service.console.url`, `order.id`), as camelCase keys.", {
    readable: false,
    toWire: annotationsToWire,
    fromWire: annotationsFromWire,
  }),

  f(`${R}.flavor`, `${R}.flavor`, text, replace(NODE_CONFIG), "Resource flavor name, e.g. `modelarts.vm.gpu.t4u8`.", { required: true }),
  f(`${R}.count`, `${R}.count`, count, patch(), "Committed number of nodes.", { required: true }),
  f(`${R}.maxCount`, `${R}.maxCount`, count, patch(), "Elastic node limit: equal to count in a physical pool, at least count in a logical pool.", { required: true }),
  f(`${R}.azs`, `${R}.azs`, azs, patch("merge patch of spec.resources; the AZ distribution follows the node count"), "AZ distribution of the nodes (`az`, `count`).", { normalise: "unordered" }),
  f(`${R}.nodePool`, `${R}.nodePool`, text, replace(NODE_CONFIG), "Node pool name inside the resource specification, e.g. `nodePool-1`."),
  f(`${R}.taints`, `${R}.taints`, z.array(taint), patch(), "Kubernetes taints for the nodes (anti-affinity). Not allowed in a non-privileged pool.", { normalise: "unordered", unset: "clear", clearValue: [] }),
  f(`${R}.labels`, `${R}.labels`, labels, patch(), `Kubernetes labels for the nodes. The package adds the label \`${OWNER_MARK_KEY}\` (its ownership mark), which is never shown as drift and is kept when the labels change.`, { unset: "clear", clearValue: null }),
  f(`${R}.tags`, `${R}.tags`, tags, patch(), "Resource tags (`key`, `value`). Not allowed in a non-privileged pool.", { normalise: "unordered", unset: "clear", clearValue: [] }),
  f(`${R}.network.vpc`, `${R}.network.vpc`, text, replace(NODE_CONFIG), "VPC ID. Network settings are not allowed in a non-privileged pool."),
  f(`${R}.network.subnet`, `${R}.network.subnet`, text, replace(NODE_CONFIG), "Subnet ID."),
  f(`${R}.network.securityGroups`, `${R}.network.securityGroups`, z.array(text), replace(NODE_CONFIG), "Security group IDs.", { normalise: "unordered" }),
  f(`${R}.extendParams`, `${R}.extendParams`, extendParams, replace(NODE_CONFIG), "Custom configuration parameters, e.g. `dockerBaseSize`.", {
    // The service adds keys of its own (Terraform suppresses the difference for the same reason), so the read
    // value is not compared with the program's.
    readable: false,
  }),
  f(`${R}.creatingStep.step`, `${R}.creatingStep.step`, z.number().int().min(1), replace(NODE_CONFIG), "Step of a supernode for batch creation; only steps of the flavor's specification are supported."),
  f(`${R}.creatingStep.type`, `${R}.creatingStep.type`, z.enum(["hyperinstance"]), replace(NODE_CONFIG), "Batch creation type (`hyperinstance`: supernode)."),
  f(`${R}.os.name`, `${R}.os.name`, text, replace(NODE_CONFIG), "OS name."),
  f(`${R}.os.imageId`, `${R}.os.imageId`, text, replace(NODE_CONFIG), "OS image ID."),
  f(`${R}.os.imageType`, `${R}.os.imageType`, z.enum(["private"]), replace(NODE_CONFIG), "OS image type (`private`: private image)."),

  // settings of this package
  ownerKeyField(`The create adds the Kubernetes label \`${OWNER_MARK_KEY}: <digest of it>\` to \`spec.resources.labels\` (labels are allowed in every pool; tags are refused by a non-privileged one), so that a node pool left by an interrupted create is adopted by the next one rather than refused.`),
  ...timeoutFields({
    create: "How long create waits (default 90m, as Terraform's resource pool).",
    update: "How long update waits (default 90m).",
    delete: "How long delete waits (default 90m).",
  }),
];

function num(get: (p: string) => unknown, path: string): number | undefined {
  const v = get(path);
  return typeof v === "number" ? v : undefined;
}

const yearlyMonthly = (get: (p: string) => unknown) => get("metadata.annotations.billingMode") === "1";

function requiredForYearlyMonthly(name: AnnotationName, why: string): CrossFieldRule {
  return {
    paths: ["metadata.annotations.billingMode", `metadata.annotations.${name}`],
    reportOn: `metadata.annotations.${name}`,
    rule: `${ANNOTATION_KEYS[name]} is required when billingMode is "1" (yearly/monthly)${why}`,
    test: (get) =>
      yearlyMonthly(get) && get(`metadata.annotations.${name}`) === undefined ? `required when metadata.annotations.billingMode is "1" (yearly/monthly)` : undefined,
  };
}

export const modelArtsNodePoolRules: CrossFieldRule[] = [
  {
    paths: [`${R}.count`, `${R}.maxCount`],
    reportOn: `${R}.maxCount`,
    rule: "maxCount must not be below count (it equals count in a physical pool and is at least count in a logical pool)",
    test: (get) => {
      const c = num(get, `${R}.count`);
      const m = num(get, `${R}.maxCount`);
      return c !== undefined && m !== undefined && m < c ? `must be >= ${R}.count (${c}) (got ${m})` : undefined;
    },
  },
  requiredForYearlyMonthly("periodNum", ""),
  requiredForYearlyMonthly("periodType", ""),
  requiredForYearlyMonthly("orderId", " (DOC: mandatory for creating a yearly/monthly resource)"),
];

export const modelArtsNodePoolSpec: ResourceSpec = {
  name: "huaweicloud.modelarts.NodePool",
  example: {
    poolName: "pool-gpu",
    metadata: { name: "nodepool-1" },
    spec: { resources: { flavor: "modelarts.vm.gpu.t4u8", count: 1, maxCount: 1 } },
  },
  document: "Huawei Cloud ModelArts `CreateNodePool` (REST, `POST /v2/{project_id}/pools/{pool_name}/nodepools`)",
  review: {
    typeToken: "pulumi-nodejs:dynamic/huaweicloud/modelarts:NodePool",
    runningNodes: (outputs) => {
      const available = getPath(outputs, "status.available");
      return typeof available === "number" ? available : undefined;
    },
    desiredCountPath: `${R}.count`,
    unit: "nodes",
  },
  fields: modelArtsNodePoolFields,
  rules: modelArtsNodePoolRules,
  computed: [
    {
      path: "status",
      doc: "node counts from `status.resources`: `creating`, `available`, `abnormal`, `deleting` (0 when the service lists none); the Pulumi id is `<poolName>/<metadata.name>`",
    },
    { path: "schemaVersion", doc: "version of this output layout, so that later package versions can read today's state" },
  ],
  updateCalls: [PATCH],
  // Names are unique in a resource pool: a replacement that keeps pool and name must delete the old node pool first.
  deleteBeforeReplace: (olds, news) => olds.poolName === news.poolName && getPath(olds, "metadata.name") === getPath(news, "metadata.name"),
  replaceNote:
    "Node pool names are unique in a resource pool and key every call, so a replacement that keeps `poolName` and `metadata.name` deletes the old node pool before creating the new one; a replacement that also renames it (or moves it to another pool) creates the new one first. " +
    `Ownership: the create adds the Kubernetes label \`${OWNER_MARK_KEY}\` (a digest of \`ownerKey\`). A create that finds its name taken adopts the node pool if it carries this resource's label (an earlier run was interrupted after the service accepted the create) and refuses any other node pool, naming the \`import\` id (docs/ownership.md).`,
};
