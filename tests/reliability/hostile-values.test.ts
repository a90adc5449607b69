/**
 * Hostile values: very long strings, control characters, path separators and ".." in ids that land in URL paths,
 * header-injection attempts, huge arrays, numbers beyond 2^53, NaN and the infinities.
 *
 * - check: never throws; a hostile value is rejected with the property path and the rule, or accepted; values that
 *   become URL path segments (ACK clusterId, ModelArts poolName and metadata.name) are rejected.
 * - Pulumi ids taken from (hand-edited) state: read and delete either refuse the id locally, before any request, or
 *   send it percent-encoded to the intended route; the raw request log (a recorder in front of the emulator) shows no
 *   ".." resolved, no extra path segment and no other action, and a resource that exists next door survives.
 * - accepted hostile values are sent intact (JSON body, encoded query or form) and never break the request: no header
 *   of any request carries CR, LF or NUL, and no injected header appears.
 */
import { z } from "zod";
import { checkInputs, MAX_FAILURES_PER_FIELD } from "../../provider/core/fields/check";
import { setPath, type ResourceSpec } from "../../provider/core/fields/spec";
import { resetSharedLimiters } from "../../provider/core/http/client";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { CloudEmulator, type RecordedRequest } from "../../provider/emulator";
import type { EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import type { ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import { handlers } from "../../provider/handlers";
import { resourceSpecs } from "../../provider/resources/specs";
import { basePool, CLUSTER } from "../support/ack";
import { baseCluster } from "../support/batchcompute";
import { ENS_CLUSTER, ensPool } from "../support/ens";
import { baseNodePool, POOL, PROJECT } from "../support/modelarts";
import { headerPairs, pointPackageAt, rfc3986, splitTarget, startRawCapture, type RawCapture, type RawRequest } from "./corpus/raw-capture";

const EFLO_CLUSTER = "i118191731740041623425";
const REGION = "cn-hangzhou";
type Props = Record<string, any>;

let emulator: CloudEmulator;
let capture: RawCapture;
/** Every raw request of this file, for the header checks at the end. */
const allRequests: RawRequest[] = [];
/** The resources that exist next door: hostile ids must never reach them. */
const victims: Record<string, { id: string; outs: Props }> = {};

const spec = (name: string): ResourceSpec => resourceSpecs.find((s) => s.name === name)!;
const h = (kind: string) => handlers(kind);

async function checked(kind: string, props: Props): Promise<Props> {
  const r = await h(kind).check({}, props);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

/** Runs `fn` and returns what it did on the wire: raw requests and the emulator's view of them. */
async function onWire<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: Error; raw: RawRequest[]; recorded: RecordedRequest[] }> {
  capture.clear();
  emulator.clearRequests();
  let result: T | undefined;
  let error: Error | undefined;
  try {
    result = await fn();
  } catch (e) {
    error = e as Error;
  }
  const raw = [...capture.requests];
  allRequests.push(...raw);
  expect(capture.clientErrors).toEqual([]);
  return { result, error, raw, recorded: emulator.requests() };
}

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  capture = await startRawCapture(emulator.port);
  emulator.seedCluster({ clusterId: CLUSTER, region: REGION });
  emulator.service<EnsService>("ens").admin.seedCluster({ clusterId: ENS_CLUSTER });
  emulator.service<EfloNodeGroupService>("eflo").admin.seedCluster({ clusterId: EFLO_CLUSTER, region: REGION, name: "lingjun-a" });
  emulator.service<ModelArtsService>("modelarts").admin.seedPool({ poolName: POOL });
  resetSharedLimiters();
  pointPackageAt(capture.endpoint, {
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    ALICLOUD_REGION: REGION,
    HW_ACCESS_KEY: emulator.credentials.accessKeyId,
    HW_SECRET_KEY: emulator.credentials.accessKeySecret,
    HW_REGION_NAME: "cn-north-4",
    HW_PROJECT_ID: PROJECT,
  });
  const inputs: Record<string, Props> = {
    "alicloud.ack.NodePool": basePool("victim"),
    "alicloud.ens.NodePool": ensPool("victim"),
    "alicloud.eflo.NodeGroup": { ...structuredClone(spec("alicloud.eflo.NodeGroup").example!), clusterId: EFLO_CLUSTER, nodeGroup: { ...(spec("alicloud.eflo.NodeGroup").example!.nodeGroup as Props), nodeGroupName: "victim" } },
    "alicloud.batchcompute.Cluster": baseCluster("victim"),
    "huaweicloud.modelarts.NodePool": baseNodePool("victim"),
  };
  for (const [kind, props] of Object.entries(inputs)) {
    const { id, outs } = await h(kind).create(await checked(kind, props));
    victims[kind] = { id, outs };
  }
});

afterAll(async () => {
  setRuntimeOverrides({});
  resetSharedLimiters();
  await capture?.stop();
  await emulator?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// check

/** Values a user (or a generated program) might put into an id that becomes a URL path segment. */
const HOSTILE_SEGMENTS = [
  "..", ".", "%2e%2e", "%2E", "../victim", "a/../../b", "a/b", "a\\b", "a%2Fb", "a?b=1&c=2", "a#frag", "a b", "a;b",
  "a\r\nX-Injected: 1", "a\u0000b", "\u001b[31mred", "ünïcødé", "-leading-dash", "", "x".repeat(129), "x".repeat(100_000),
];

describe("check rejects hostile values in fields that become URL path segments", () => {
  const PATH_FIELDS: Array<[string, string, RegExp]> = [
    ["alicloud.ack.NodePool", "clusterId", /must be an id of letters, digits, "_" and "-" \(at most 128 characters\)/],
    ["huaweicloud.modelarts.NodePool", "poolName", /must be a name of letters, digits, "\.", "_" and "-" that starts with a letter or digit/],
    ["huaweicloud.modelarts.NodePool", "metadata.name", /must be a name of letters, digits, "\.", "_" and "-" that starts with a letter or digit/],
  ];
  it.each(PATH_FIELDS)("%s %s", (kind, path, rule) => {
    for (const value of HOSTILE_SEGMENTS) {
      const inputs = structuredClone(spec(kind).example!);
      setPath(inputs, path, value);
      const failures = checkInputs(spec(kind), inputs).failures;
      expect({ value: value.slice(0, 40), failures: failures.map((f) => f.property) }).toEqual({ value: value.slice(0, 40), failures: [path] });
      expect(failures[0].reason).toMatch(rule);
      // The reason quotes at most a short prefix of the value.
      expect(failures[0].reason.length).toBeLessThan(300);
    }
  });

  it("leaves no other field whose value is used as a URL path segment unchecked", () => {
    // The ROA/REST resources' path parameters that come from inputs; everything else travels in bodies, queries or forms.
    const pathParameters = resourceSpecs.flatMap((s) => s.fields.filter((f) => f.wire === undefined && f.change.kind === "replace").map((f) => `${s.name} ${f.path}`));
    expect(pathParameters.sort()).toEqual(["alicloud.ack.NodePool clusterId", "huaweicloud.modelarts.NodePool poolName"]);
    // metadata.name is sent in the body and is also the {nodepool_name} path segment of every later call.
    expect(PATH_FIELDS.map(([k, p]) => `${k} ${p}`)).toContain("huaweicloud.modelarts.NodePool metadata.name");
  });
});

/** JSON-schema type of a field's value, as far as the hostile scalars below care. */
function kindOf(s: ResourceSpec, path: string): string {
  const field = s.fields.find((f) => f.path === path)!;
  const schema = z.toJSONSchema(field.type, { unrepresentable: "any" }) as { type?: string };
  return schema.type ?? "any";
}

const BEYOND_SAFE = [2 ** 53, 2 ** 53 + 2, -(2 ** 53 + 2), 1e308, 1.5, Number.NaN, Infinity, -Infinity];
const NUMBER_RULE = /must be a whole number|must be <= |must be >= |must be a number \(got (NaN|Infinity|-Infinity)\)/;

describe.each(resourceSpecs.map((s) => [s.name, s] as const))("%s check with hostile values in every field", (_name, s) => {
  const example = s.example!;
  const at = (path: string, value: unknown) => {
    const inputs = structuredClone(example);
    setPath(inputs, path, value);
    return inputs;
  };
  /** Failures on the field itself or below it. */
  const own = (failures: Array<{ property: string; reason: string }>, path: string) =>
    failures.filter((f) => f.property === path || f.property.startsWith(`${path}.`) || f.property.startsWith(`${path}[`));

  it("rejects numbers beyond 2^53, fractions, NaN and the infinities in every integer field, naming the rule", () => {
    const integers = s.fields.filter((f) => kindOf(s, f.path) === "integer");
    expect(integers.length).toBeGreaterThan(0);
    for (const f of integers) {
      for (const v of BEYOND_SAFE) {
        const failures = own(checkInputs(s, at(f.path, v)).failures, f.path);
        expect({ field: f.path, value: v, rejected: failures.length > 0 }).toEqual({ field: f.path, value: v, rejected: true });
        for (const x of failures) expect(x.reason).toMatch(NUMBER_RULE);
      }
    }
  });

  it("never throws and never echoes a huge value, for very long strings, control characters and header-injection text", () => {
    const strings = [
      "x".repeat(1_000_000),
      "\u0000\u0001\u0007\u001b[31m\u007f\u202e\u200b",
      "name\r\nX-Injected: 1\r\n\r\nGET / HTTP/1.1",
      "../../etc/passwd",
      "${jndi:ldap://x}",
    ];
    for (const f of s.fields) {
      for (const v of strings) {
        const r = checkInputs(s, at(f.path, v));
        for (const x of r.failures) {
          expect(x.property.length).toBeGreaterThan(0);
          expect(x.reason.length).toBeGreaterThan(0);
          expect(x.reason.length).toBeLessThan(600);
          expect(x.reason).not.toContain("\r\n");
        }
        if (kindOf(s, f.path) !== "string" && f.type.safeParse(v).success === false) {
          expect({ field: f.path, rejected: own(r.failures, f.path).length > 0 }).toEqual({ field: f.path, rejected: true });
        }
      }
    }
  });

  it("handles arrays of 10^5 items: every bounded list is rejected with its maximum, unbounded lists are checked quickly", () => {
    const lists = s.fields
      .filter((f) => kindOf(s, f.path) === "array")
      .map((f) => ({ f, schema: z.toJSONSchema(f.type, { unrepresentable: "any" }) as { maxItems?: number; items?: { type?: string } } }));
    // Every list with a documented maximum, and one unbounded list (of objects where there is one): the item checks are
    // the same code for every list, and a 10^5-item list of bad items costs about a second.
    const unbounded = lists.filter((l) => l.schema.maxItems === undefined).sort((a, b) => Number(b.schema.items?.type === "object") - Number(a.schema.items?.type === "object"))[0];
    const chosen = [...lists.filter((l) => l.schema.maxItems !== undefined), unbounded].filter((l) => l !== undefined);
    for (const { f, schema } of chosen) {
      const item = schema.items?.type === "object" ? {} : "x";
      const huge = Array.from({ length: 100_000 }, () => item);
      const started = Date.now();
      const r = checkInputs(s, at(f.path, huge));
      const elapsed = Date.now() - started;
      if (schema.maxItems !== undefined) {
        expect(own(r.failures, f.path).map((x) => x.reason)).toContain(`must have at most ${schema.maxItems} item(s) (got 100000)`);
      }
      // One failure per offending item would be 10^5 lines: the list of failures stays short and readable.
      expect({ field: f.path, failures: Math.min(r.failures.length, MAX_FAILURES_PER_FIELD + 5) }).toEqual({ field: f.path, failures: r.failures.length });
      expect(Math.max(0, ...r.failures.map((x) => x.reason.length))).toBeLessThan(600);
      expect({ field: f.path, slow: elapsed > 10_000 }).toEqual({ field: f.path, slow: false });
    }
  });
});

describe("integer members inside lists and maps get the same treatment", () => {
  const NESTED: Array<[string, string, (v: number) => Record<string, unknown>, string]> = [
    ["alicloud.ack.NodePool", "scalingGroup.dataDisks", (v) => ({ "scalingGroup.dataDisks": [{ size: v }] }), "scalingGroup.dataDisks[0].size"],
    ["alicloud.ack.NodePool", "scalingGroup.instancePatterns", (v) => ({ "scalingGroup.instancePatterns": [{ cores: v }] }), "scalingGroup.instancePatterns[0].cores"],
    ["alicloud.ens.NodePool", "scalingGroup.dataDisks", (v) => ({ "scalingGroup.dataDisks": [{ size: v }] }), "scalingGroup.dataDisks[0].size"],
    ["alicloud.batchcompute.Cluster", "groups", (v) => ({ "groups.workers.desiredVmCount": v }), "groups.workers.desiredVmCount"],
    ["huaweicloud.modelarts.NodePool", "spec.resources.azs", (v) => ({ "spec.resources.azs": [{ az: "cn-north-4a", count: v }] }), "spec.resources.azs[0].count"],
  ];
  it.each(NESTED)("%s %s", (kind, _field, patch, property) => {
    for (const v of BEYOND_SAFE) {
      const inputs = structuredClone(spec(kind).example!);
      for (const [p, value] of Object.entries(patch(v))) setPath(inputs, p, value);
      const failures = checkInputs(spec(kind), inputs).failures;
      expect({ v, properties: [...new Set(failures.map((f) => f.property))] }).toEqual({ v, properties: [property] });
      for (const f of failures) expect(f.reason).toMatch(NUMBER_RULE);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Pulumi ids from hand-edited state

interface IdRoute {
  /** The parts of a well-formed id, or undefined when the handler must refuse it (wrong shape). */
  parse(id: string): Record<string, string> | undefined;
  /** Whether one raw request went to an intended route for these id parts. */
  intended(r: RawRequest, parts: Record<string, string>): boolean;
  actions: string[];
  /** Whether the id parts become URL path segments (ROA, REST) rather than parameters (RPC). */
  inPath: boolean;
}

const atLastColon = (id: string, a: string, b: string) => {
  const i = id.lastIndexOf(":");
  return i <= 0 || i === id.length - 1 ? undefined : { [a]: id.slice(0, i), [b]: id.slice(i + 1) };
};
const formOf = (r: RawRequest) => Object.fromEntries(new URLSearchParams(r.body.toString("utf8")));

const ROUTES: Record<string, IdRoute> = {
  "alicloud.ack.NodePool": {
    parse: (id) => atLastColon(id, "cluster", "pool"),
    intended: (r, p) => {
      const { path } = splitTarget(r.target);
      const pools = `/clusters/${rfc3986(p.cluster)}/nodepools`;
      return path === pools || path === `${pools}/${rfc3986(p.pool)}` || /^\/tasks\/[A-Za-z0-9%._~-]+$/.test(path);
    },
    actions: ["DescribeClusterNodePoolDetail", "DescribeClusterNodePools", "DeleteClusterNodepool", "DescribeTaskInfo"],
    inPath: true,
  },
  "alicloud.ens.NodePool": {
    parse: (id) => atLastColon(id, "cluster", "pool"),
    intended: (r, p) => {
      const { path, query } = splitTarget(r.target);
      return path === "/" && query.ClusterId === p.cluster && (query.NodepoolId === undefined || query.NodepoolId === p.pool);
    },
    actions: ["DescribeClusterNodePools", "DeleteClusterNodePool"],
    inPath: false,
  },
  "alicloud.eflo.NodeGroup": {
    parse: (id) => atLastColon(id, "cluster", "group"),
    intended: (r, p) => {
      const form = formOf(r);
      return r.target === "/" && (form.ClusterId === undefined || form.ClusterId === p.cluster) && (form.NodeGroupId === undefined || form.NodeGroupId === p.group);
    },
    actions: ["ListNodeGroups", "DescribeNodeGroup", "DeleteNodeGroup"],
    inPath: false,
  },
  "alicloud.batchcompute.Cluster": {
    parse: (id) => (id === "" ? undefined : { cluster: id }),
    intended: (r, p) => splitTarget(r.target).path === `/clusters/${rfc3986(p.cluster)}`,
    actions: ["GetCluster", "DeleteCluster"],
    inPath: true,
  },
  "huaweicloud.modelarts.NodePool": {
    parse: (id) => {
      const i = id.indexOf("/");
      return i <= 0 || i === id.length - 1 || id.indexOf("/", i + 1) >= 0 ? undefined : { pool: id.slice(0, i), name: id.slice(i + 1) };
    },
    intended: (r, p) => {
      const { path } = splitTarget(r.target);
      const nodePools = `/v2/${PROJECT}/pools/${rfc3986(p.pool)}/nodepools`;
      return path === nodePools || path === `${nodePools}/${rfc3986(p.name)}`;
    },
    actions: ["ShowNodePool", "ListNodePools", "DeleteNodePool"],
    inPath: true,
  },
};

/** Hostile ids per resource: the victim's own id parts combined with hostile segments, and malformed shapes. */
function hostileIds(kind: string): string[] {
  const segs = HOSTILE_SEGMENTS.filter((s) => s.length < 10_000);
  const v = victims[kind].id;
  switch (kind) {
    case "alicloud.ack.NodePool":
    case "alicloud.ens.NodePool":
    case "alicloud.eflo.NodeGroup": {
      const [cluster, own] = [v.slice(0, v.lastIndexOf(":")), v.slice(v.lastIndexOf(":") + 1)];
      return [...segs.map((s) => `${cluster}:${s}`), ...segs.map((s) => `${s}:${own}`), `${cluster}:${own}/..`, `${cluster}/..:${own}`, "no-separator", `:${own}`, `${cluster}:`];
    }
    case "alicloud.batchcompute.Cluster":
      return [...segs, `${v}/..`, `${v}/../${v}`, `../clusters/${v}`];
    default: {
      const [pool, own] = v.split("/");
      return [...segs.map((s) => `${pool}/${s}`), ...segs.map((s) => `${s}/${own}`), `${pool}/${own}/..`, `../${pool}/${own}`, "no-separator", `/${own}`, `${pool}/`];
    }
  }
}

describe.each(Object.keys(ROUTES))("%s read and delete with a hostile id from state", (kind) => {
  const route = ROUTES[kind];

  it.each(["read", "delete"] as const)("%s: refused locally before any request, or sent percent-encoded to the intended route", async (op) => {
    const ids = hostileIds(kind);
    expect(ids.length).toBeGreaterThan(20);
    let refusedLocally = 0;
    for (const id of ids) {
      const victim = victims[kind];
      const { result, error, raw, recorded } = await onWire<unknown>(() => (op === "read" ? h(kind).read(id, {}) : h(kind).delete(id, {})));
      const label = { id: id.slice(0, 60), op };
      const parts = route.parse(id);
      // A "." or ".." segment would be resolved by the URL parser (the request would reach another route): refused.
      if (route.inPath && parts && Object.values(parts).some((p) => p === "." || p === "..")) {
        expect({ ...label, sent: raw.length, error: error?.message }).toEqual({ ...label, sent: 0, error: expect.stringMatching(/refused before sending: .* a path segment is "\." or "\.\."/) });
      }
      if (raw.length === 0) {
        // Refused locally: a clear error that names the id problem, and nothing on the wire.
        expect({ ...label, error: error?.message }).toEqual({ ...label, error: expect.stringMatching(/invalid .* id|refused before sending/) });
        refusedLocally++;
        continue;
      }
      expect({ ...label, wellFormed: parts !== undefined }).toEqual({ ...label, wellFormed: true });
      for (const r of raw) expect({ ...label, target: r.target.slice(0, 200), intended: route.intended(r, parts!) }).toEqual({ ...label, target: r.target.slice(0, 200), intended: true });
      for (const r of recorded) expect({ ...label, action: r.action, intended: route.actions.includes(r.action ?? "") }).toEqual({ ...label, action: r.action, intended: true });
      // Nothing exists under a hostile id: read finds nothing (never the resource next door), or fails.
      if (op === "read" && !error) expect({ ...label, found: (result as { id?: string } | undefined)?.id }).toEqual({ ...label, found: undefined });
      expect(id).not.toBe(victim.id);
    }
    // The dot segments at least ("..", ".", "%2e%2e") cannot be sent safely and are refused.
    expect(refusedLocally).toBeGreaterThan(0);
    // The resource next door is untouched.
    const still = await h(kind).read(victims[kind].id, victims[kind].outs);
    expect(still.id).toBe(victims[kind].id);
  });
});

describe("an id whose request target is far beyond server limits", () => {
  it.each(Object.keys(ROUTES).filter((k) => k !== "alicloud.ens.NodePool" && k !== "alicloud.eflo.NodeGroup"))("%s: fails with a clear error and reaches no route", async (kind) => {
    const v = victims[kind].id;
    const huge = "x".repeat(100_000);
    const id = kind === "alicloud.batchcompute.Cluster" ? huge : kind === "huaweicloud.modelarts.NodePool" ? `${v.split("/")[0]}/${huge}` : `${v.slice(0, v.lastIndexOf(":"))}:${huge}`;
    const { error, recorded } = await onWire(() => h(kind).read(id, {}));
    expect(error?.message).toMatch(/HTTP 431|HTTP 414|invalid .* id|refused before sending/);
    expect(recorded.filter((r) => r.action !== undefined)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Accepted hostile values are sent intact

const INJECTION = "name\r\nX-Injected: 1\r\n\r\nGET /clusters HTTP/1.1";
const CONTROL = "\u0000\u0001\u001b[31m\u007f\u202e";

describe("hostile values that check accepts are sent intact and never break a request", () => {
  it("ACK: a node pool name with CR/LF, NUL and escape sequences goes percent-encoded in the query and verbatim in the JSON body", async () => {
    const name = `${INJECTION}${CONTROL}../../x?y#z ü`;
    const props = basePool(name);
    props.kubernetesConfig.labels = [{ key: "team", value: `${INJECTION}${CONTROL}` }];
    props.scalingGroup.tags = [{ key: "note", value: `${CONTROL} \r\n` }];
    props.kubernetesConfig.userData = `#!/bin/sh\necho "${INJECTION}"`;
    const { error, raw } = await onWire(async () => h("alicloud.ack.NodePool").create(await checked("alicloud.ack.NodePool", props)));
    expect(error).toBeUndefined();
    const lookup = raw.find((r) => splitTarget(r.target).query.NodepoolName !== undefined);
    expect(lookup && splitTarget(lookup.target)).toEqual({ path: `/clusters/${CLUSTER}/nodepools`, query: { NodepoolName: name } });
    const create = raw.find((r) => r.method === "POST")!;
    expect(splitTarget(create.target).path).toBe(`/clusters/${CLUSTER}/nodepools`);
    const body = JSON.parse(create.body.toString("utf8"));
    expect(body.nodepool_info.name).toBe(name);
    expect(body.kubernetes_config.labels).toEqual([{ key: "team", value: `${INJECTION}${CONTROL}` }]);
    expect(body.scaling_group.tags).toEqual([{ key: "note", value: `${CONTROL} \r\n` }]);
  });

  it("ENS: a cluster id with query syntax and CR/LF reaches the intended action as one exact parameter, never another cluster", async () => {
    const hostile = `eck-x&ClusterId=${ENS_CLUSTER}\r\nX-Injected: 1/../`;
    const props = { ...ensPool("injected"), clusterId: hostile };
    const before = emulator.service<EnsService>("ens").admin.pools(ENS_CLUSTER).length;
    const { error, raw, recorded } = await onWire(async () => h("alicloud.ens.NodePool").create(await checked("alicloud.ens.NodePool", props)));
    expect(error).toBeDefined(); // the cluster does not exist
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) {
      const { path, query } = splitTarget(r.target);
      expect(path).toBe("/");
      expect(query.ClusterId).toBe(hostile);
      expect(r.target.split("ClusterId=").length).toBe(2);
    }
    for (const r of recorded) expect(["DescribeClusterNodePools", "CreateClusterNodePool"]).toContain(r.action);
    expect(emulator.service<EnsService>("ens").admin.pools(ENS_CLUSTER).length).toBe(before);
  });

  it("eflo: a cluster id with form syntax is one exact form parameter", async () => {
    const hostile = `i1&ClusterId=${EFLO_CLUSTER}&x=\r\n`;
    const example = spec("alicloud.eflo.NodeGroup").example!;
    const props = { ...structuredClone(example), clusterId: hostile, nodeGroup: { ...(example.nodeGroup as Props), nodeGroupName: "injected", nodeGroupDescription: `${INJECTION}${CONTROL}` } };
    const { error, raw } = await onWire(async () => h("alicloud.eflo.NodeGroup").create(await checked("alicloud.eflo.NodeGroup", props)));
    expect(error).toBeDefined(); // the cluster does not exist
    for (const r of raw) {
      expect(r.target).toBe("/");
      const form = formOf(r);
      expect(form.ClusterId).toBe(hostile);
      expect(r.body.toString("utf8").split("ClusterId=").length).toBe(2);
      if (form.NodeGroup) expect(JSON.parse(form.NodeGroup).NodeGroupDescription).toBe(`${INJECTION}${CONTROL}`);
    }
  });

  it("Batch Compute: a description and user data with control characters and CR/LF travel verbatim in the JSON body", async () => {
    const props = baseCluster("hostile");
    props.description = `${INJECTION}${CONTROL}`;
    props.userData = { note: `${CONTROL}\r\n`, [`key\r\nX-Injected`]: "1" };
    const { error, raw } = await onWire(async () => h("alicloud.batchcompute.Cluster").create(await checked("alicloud.batchcompute.Cluster", props)));
    expect(error).toBeUndefined();
    const create = raw.find((r) => r.method === "POST")!;
    expect(splitTarget(create.target).path).toBe("/clusters");
    const body = JSON.parse(create.body.toString("utf8"));
    expect(body.Description).toBe(`${INJECTION}${CONTROL}`);
    expect(body.UserData).toEqual({ note: `${CONTROL}\r\n`, [`key\r\nX-Injected`]: "1" });
  });

  it("ModelArts: labels and tags with CR/LF and control characters travel verbatim in the JSON body", async () => {
    const props = baseNodePool("hostile");
    props.spec.resources.labels = { team: `${INJECTION}${CONTROL}` };
    props.spec.resources.tags = [{ key: "note", value: `${CONTROL}\r\n` }];
    const { error, raw } = await onWire(async () => h("huaweicloud.modelarts.NodePool").create(await checked("huaweicloud.modelarts.NodePool", props)));
    expect(error).toBeUndefined();
    const create = raw.find((r) => r.method === "POST")!;
    expect(splitTarget(create.target).path).toBe(`/v2/${PROJECT}/pools/${POOL}/nodepools`);
    const body = JSON.parse(create.body.toString("utf8"));
    expect(body.spec.resources.labels).toEqual({ team: `${INJECTION}${CONTROL}` });
    expect(body.spec.resources.tags).toEqual([{ key: "note", value: `${CONTROL}\r\n` }]);
  });

  it("no request of this file carried CR, LF or NUL in a header, or an injected header", () => {
    expect(allRequests.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const r of allRequests) {
      for (const [name, value] of headerPairs(r)) {
        if (/[\r\n\0]/.test(value)) problems.push(`${r.method} ${r.target.slice(0, 80)}: header ${name} holds CR, LF or NUL`);
        if (name.toLowerCase() === "x-injected") problems.push(`${r.method} ${r.target.slice(0, 80)}: injected header ${name}`);
      }
      // A request target never holds a raw space, CR, LF or NUL either.
      if (/[\s\0]/.test(r.target)) problems.push(`${r.method} ${r.target.slice(0, 80)}: raw whitespace or NUL in the request target`);
    }
    expect(problems).toEqual([]);
  });
});
