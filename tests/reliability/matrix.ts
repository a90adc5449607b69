/**
 * The fault matrix, declared: for every resource, the API calls of each operation (create, update, read, delete),
 * the faults the emulator injects, and the outcome each (call, fault) cell must have. The expected outcome follows
 * the HTTP layer's documented classification (provider/core/http/retry.ts, client.ts) and the handlers' documented
 * partial-failure rule (provider/core/handler.ts `ResourceInitError`); {@link expectedOutcome} states it once.
 *
 * This module is pure data (no emulator, no network): tests/reliability/fault-matrix.test.ts runs every cell and
 * scripts/gen-fault-matrix.ts renders docs/fault-matrix.md from it.
 */
import type { FaultSpec } from "../../provider/emulator/framework";

export type Operation = "create" | "update" | "read" | "delete";
export const OPERATIONS: readonly Operation[] = ["create", "update", "read", "delete"];

export type Cloud = "alibaba" | "huawei";

export type FaultKind = "throttling" | "server-error" | "gateway-timeout" | "reset" | "sent-then-lost" | "malformed" | "signature" | "slow";

export type Outcome = "retried" | "reconciled" | "typed-error" | "unknown-reported" | "unknown-import" | "partial";

/** One API call an operation makes. */
export interface CallSpec {
  /** The cloud action (the emulator's action name and the HTTP layer's operation name). */
  action: string;
  /** What the call is for within the operation; unique within an operation. */
  role: string;
  /** Creates, changes or deletes something (the HTTP layer's `mutating`). */
  mutating: boolean;
  /** This is the call that creates the resource (its lost answer is reconciled by the handler). */
  creates?: boolean;
  /** Made after a change of this operation was accepted by the cloud (create accepted, or an earlier update call). */
  accepted?: boolean;
  /**
   * Made inside the delete call's step (e.g. the delete's own task poll): when it fails, a handler whose delete
   * looks at the resource (see {@link ResourceMatrix.deleteLooks}) finds it gone or going and succeeds.
   */
  inRemove?: boolean;
  /**
   * The same action also runs earlier in the operation: the fault is armed only once this action has answered OK,
   * so that it hits the intended call (e.g. the status poll after the create, not the name check before it).
   */
  after?: string;
}

export interface ResourceMatrix {
  /** Short key used in test names and cell keys. */
  key: "ack" | "ens" | "eflo" | "batchcompute" | "modelarts";
  /** The Pulumi type token. */
  resource: string;
  /** The emulator's service name (faults are scoped to it: ACK and ENS share action names). */
  service: string;
  cloud: Cloud;
  operations: Record<Operation, CallSpec[]>;
  /**
   * Cells whose observed outcome differs from the expected one because of a handler bug, keyed by
   * {@link cellKey} without the resource: `"<operation>/<role>/<fault>"`. The value says what goes wrong.
   */
  knownFailures?: Record<string, string>;
  /**
   * The delete looks at the resource when the delete call fails (core/lifecycle.ts `removeAndWaitGone` with
   * `isDeleting`): gone or being deleted counts as done, so a delete the cloud applied but whose answer was lost
   * succeeds. Without it, such a delete is reported and the next `up` sends it again.
   */
  deleteLooks: boolean;
  /**
   * A create whose answer was lost and whose resource is not found right after is sent again: the cloud refuses a
   * duplicate name (ACK, eflo, ModelArts) or the create carries an idempotency token (Batch Compute). False for ENS,
   * which allows duplicate pool names: such a create is reported instead (core/lifecycle.ts `createByName`).
   */
  lostCreateResent: boolean;
  /** Why the update operation's inputs change what they change (shown in the doc). */
  updateChange: string;
  /** How the create differs from the usual name check first (shown in the doc). */
  createNote?: string;
}

export interface FaultDef {
  kind: FaultKind;
  title: string;
  /** One sentence for the doc. */
  description: string;
  /** Retried by the HTTP layer whatever the call (throttling, plain 5xx). */
  retryable: boolean;
  /** The cloud has acted on the call by the time the client sees the failure. */
  applied: boolean;
  /** The cloud acts on the call only after the client gave up (and looked at the cloud). */
  late?: boolean;
  /** The emulator fault, without action and service. */
  spec(cloud: Cloud): FaultShape;
}

export type FaultShape = Omit<FaultSpec, "action" | "service">;

export interface OutcomeDef {
  outcome: Outcome;
  title: string;
  description: string;
}

/** Attempt timeout the matrix gives the HTTP layer for `slow` cells (there is no runtime setting for it). */
export const SLOW_ATTEMPT_TIMEOUT_MS = 120;
/** The `slow` fault's delay: beyond {@link SLOW_ATTEMPT_TIMEOUT_MS}. */
export const SLOW_DELAY_MS = 260;
/** How many times the retryable faults answer in a row before the call gets through. */
export const RETRYABLE_TIMES = 2;

export const SIGNATURE_ERROR: Record<Cloud, { status: number; code: string }> = {
  alibaba: { status: 400, code: "SignatureDoesNotMatch" },
  huawei: { status: 401, code: "APIGW.0301" },
};

export const FAULTS: readonly FaultDef[] = [
  {
    kind: "throttling",
    title: "throttling",
    description:
      "The cloud refuses the call as over its rate limit twice in a row (Alibaba `400 Throttling.User` with `x-acs-retry-after: 1500`, Huawei APIG `429 APIG.0308` with `Retry-After: 2`); the call changed nothing.",
    retryable: true,
    applied: false,
    spec: (cloud): FaultShape =>
      cloud === "alibaba"
        ? { status: 400, code: "Throttling.User", headers: { "x-acs-retry-after": "1500" }, times: RETRYABLE_TIMES }
        : { status: 429, code: "APIG.0308", headers: { "retry-after": "2" }, times: RETRYABLE_TIMES },
  },
  {
    kind: "server-error",
    title: "5xx",
    description: "The cloud answers `503 ServiceUnavailable` twice in a row without acting on the call.",
    retryable: true,
    applied: false,
    spec: () => ({ status: 503, code: "ServiceUnavailable", times: RETRYABLE_TIMES }),
  },
  {
    kind: "gateway-timeout",
    title: "gateway timeout",
    description:
      "The backend acts on the call, then the gateway answers `504` (Alibaba `ServiceUnavailable`, Huawei `APIGW.0201`): retry.ts classifies a 502/504 on a mutating call as an unknown outcome, on a read as a retry.",
    retryable: false,
    applied: true,
    spec: (cloud): FaultShape => (cloud === "alibaba" ? { status: 504, afterHandler: true } : { status: 504, code: "APIGW.0201", afterHandler: true }),
  },
  {
    kind: "reset",
    title: "reset before response",
    description:
      "The connection is closed as soon as the request arrives, before the cloud reads or acts on it; the client has already written the whole request, so a mutating call's outcome is unknown to it.",
    retryable: false,
    applied: false,
    spec: () => ({ dropConnection: "beforeResponse" }),
  },
  {
    kind: "sent-then-lost",
    title: "timeout after send",
    description:
      "The cloud acts on the call, then the connection closes with no answer: what a timeout after the request was sent looks like to the client (client.ts classifies any failure after the request was written alike; the timer itself is exercised by the very slow response).",
    retryable: false,
    applied: true,
    spec: () => ({ dropConnection: "afterBodyRead", afterHandler: true }),
  },
  {
    kind: "malformed",
    title: "malformed body",
    description: "The cloud acts on the call, then answers `200` with a truncated, non-JSON body.",
    retryable: false,
    applied: true,
    spec: () => ({ malformedBody: true, afterHandler: true }),
  },
  {
    kind: "signature",
    title: "signature error",
    description: "The cloud rejects the signature (Alibaba `400 SignatureDoesNotMatch`, Huawei APIG `401 APIGW.0301`) without acting on the call.",
    retryable: false,
    applied: false,
    spec: (cloud) => ({ ...SIGNATURE_ERROR[cloud] }),
  },
  {
    kind: "slow",
    title: "very slow response",
    description: `The cloud waits ${SLOW_DELAY_MS} ms before it acts and answers, beyond the HTTP layer's attempt timeout (set to ${SLOW_ATTEMPT_TIMEOUT_MS} ms for these cells): the client gives up after the request was sent, and the cloud acts later.`,
    retryable: false,
    applied: false,
    late: true,
    spec: () => ({ delayMs: SLOW_DELAY_MS }),
  },
];

export const OUTCOMES: readonly OutcomeDef[] = [
  {
    outcome: "retried",
    title: "succeeds after retry",
    description: "The HTTP layer repeats the same call (same invocation id) after a backoff delay, and the operation succeeds.",
  },
  {
    outcome: "reconciled",
    title: "unknown outcome reconciled",
    description:
      "The call's outcome is unknown (or its answer unusable); the HTTP layer does not repeat it blindly, the handler looks at the cloud instead (a create by name or by repeating it with the same idempotency token, a delete by reading the resource) and the operation succeeds with exactly one resource (none after a delete).",
  },
  {
    outcome: "typed-error",
    title: "typed error",
    description:
      "The operation fails at once (no retry) with a `CloudApiError` naming the operation, the cloud's code and its request id; nothing new is left in the cloud that the state does not hold.",
  },
  {
    outcome: "unknown-reported",
    title: "unknown outcome reported",
    description:
      "An update or delete call's outcome is unknown (or a create's that is not sent again, ENS, and that the cloud did not act on): the operation fails with an `UnknownOutcomeError` naming the operation, the code (HTTP or network) and, when the cloud answered, its request id; the state keeps the last known outputs and the next `up` sends the call again.",
  },
  {
    outcome: "unknown-import",
    title: "unknown outcome reported, import",
    description:
      "A create by name on a cloud that allows duplicate names (ENS) whose outcome is unknown, and whose resource the cloud makes only after the handler looked for it: the handler does not send it again (a second resource could result); it fails with an `UnknownOutcomeError` that says the create may still land and what the next `up` does. The resource made late is in no state; the next `up` finds it by name and refuses with the `import` hint and its id (the resource carries no ownership mark), never making a second one; after the import it converges. The one manual step of the matrix.",
  },
  {
    outcome: "partial",
    title: "partial failure recorded",
    description:
      "The cloud accepted the change but the operation could not finish: it fails with a `ResourceInitError` carrying the resource id and the cloud's actual properties, so Pulumi records the resource and the next `up` resumes it.",
  },
];

export const OUTCOME_LABEL: Record<Outcome, string> = {
  retried: "retried",
  reconciled: "reconciled",
  "typed-error": "typed error",
  "unknown-reported": "unknown reported",
  "unknown-import": "unknown reported, import",
  partial: "partial (id)",
};

/** The expected outcome of a cell, from the documented classification. */
export function expectedOutcome(resource: Pick<ResourceMatrix, "deleteLooks" | "lostCreateResent">, op: Operation, call: CallSpec, fault: FaultKind): Outcome {
  const def = FAULTS.find((f) => f.kind === fault)!;
  if (def.retryable) return "retried";
  // A delete that looks at the resource after its delete step failed finds one the cloud already removed.
  const looks = op === "delete" && resource.deleteLooks && (call.mutating || call.inRemove);
  // Not retryable (auth): fails at once; after an accepted create or update change, the resource is recorded.
  if (fault === "signature") {
    if (looks && call.inRemove) return "reconciled";
    return call.accepted && (op === "create" || op === "update") ? "partial" : "typed-error";
  }
  // The remaining faults leave the outcome of the call unknown to the client: a read is simply repeated ...
  if (!call.mutating) return "retried";
  // ... a create is reconciled by the handler (found, or sent again where that is safe; where it is not, reported,
  // and a resource the cloud makes late is found by the next up and imported) ...
  if (call.creates) {
    if (resource.lostCreateResent || def.applied) return "reconciled";
    return def.late ? "unknown-import" : "unknown-reported";
  }
  // ... an update call after an earlier accepted one leaves a partly updated resource, recorded ...
  if (call.accepted && op === "update") return "partial";
  // ... a delete the cloud applied is found done by a delete that looks ...
  if (looks && def.applied) return "reconciled";
  // ... and otherwise an update or delete call is reported, to be sent again by the next `up`.
  return "unknown-reported";
}

const alibaba = "alibaba" as const;

export const RESOURCES: readonly ResourceMatrix[] = [
  {
    key: "ack",
    resource: "alicloud.ack.NodePool",
    service: "ack",
    cloud: alibaba,
    deleteLooks: true,
    lostCreateResent: true,
    updateChange: "`scalingGroup.desiredSize` 2 -> 3 (ModifyClusterNodePool) and `nodeConfig.kubeletConfiguration.maxPods` (ModifyNodePoolNodeConfig)",
    createNote:
      "Create sends `CreateClusterNodePool` first: the name is looked up (`DescribeClusterNodePools`) only when ACK refuses it as taken " +
      "(`400 InvalidParameter.Name`) or the create's answer is lost, as in the create row's reconciled cells.",
    operations: {
      create: [
        { action: "CreateClusterNodePool", role: "create", mutating: true, creates: true },
        { action: "DescribeTaskInfo", role: "task poll", mutating: false, accepted: true },
        { action: "DescribeClusterNodePoolDetail", role: "status poll", mutating: false, accepted: true },
      ],
      update: [
        { action: "ModifyClusterNodePool", role: "modify", mutating: true },
        { action: "DescribeTaskInfo", role: "modify task poll", mutating: false, accepted: true, after: "ModifyClusterNodePool" },
        { action: "ModifyNodePoolNodeConfig", role: "node config", mutating: true, accepted: true },
        { action: "DescribeTaskInfo", role: "node config task poll", mutating: false, accepted: true, after: "ModifyNodePoolNodeConfig" },
        { action: "DescribeClusterNodePoolDetail", role: "status poll", mutating: false, accepted: true },
      ],
      read: [{ action: "DescribeClusterNodePoolDetail", role: "read", mutating: false }],
      delete: [
        { action: "DeleteClusterNodepool", role: "delete", mutating: true },
        { action: "DescribeTaskInfo", role: "task poll", mutating: false, accepted: true, inRemove: true },
        { action: "DescribeClusterNodePoolDetail", role: "gone poll", mutating: false, accepted: true },
      ],
    },
  },
  {
    key: "ens",
    resource: "alicloud.ens.NodePool",
    service: "ens",
    cloud: alibaba,
    deleteLooks: false,
    lostCreateResent: false,
    updateChange: "`scalingGroup.imageId` (ModifyClusterNodePool) and `scalingGroup.desiredSize` 2 -> 3 (ScaleClusterNodePool)",
    operations: {
      create: [
        { action: "DescribeClusterNodePools", role: "name check", mutating: false },
        { action: "CreateClusterNodePool", role: "create", mutating: true, creates: true },
        { action: "DescribeClusterNodePools", role: "status poll", mutating: false, accepted: true, after: "CreateClusterNodePool" },
      ],
      update: [
        { action: "DescribeClusterNodePools", role: "idle check", mutating: false },
        { action: "ModifyClusterNodePool", role: "modify", mutating: true },
        { action: "ScaleClusterNodePool", role: "scale", mutating: true, accepted: true },
        { action: "DescribeClusterNodePools", role: "status poll", mutating: false, accepted: true, after: "ScaleClusterNodePool" },
      ],
      read: [{ action: "DescribeClusterNodePools", role: "read", mutating: false }],
      delete: [
        { action: "DescribeClusterNodePools", role: "idle check", mutating: false },
        { action: "DeleteClusterNodePool", role: "delete", mutating: true },
        { action: "DescribeClusterNodePools", role: "gone poll", mutating: false, accepted: true, after: "DeleteClusterNodePool" },
      ],
    },
  },
  {
    key: "eflo",
    resource: "alicloud.eflo.NodeGroup",
    service: "eflo",
    cloud: alibaba,
    deleteLooks: false,
    lostCreateResent: true,
    updateChange: "`nodeGroup.nodeGroupName` and `nodeGroup.imageId` (UpdateNodeGroup)",
    operations: {
      create: [
        { action: "ListNodeGroups", role: "name check", mutating: false },
        { action: "CreateNodeGroup", role: "create", mutating: true, creates: true },
        { action: "ListNodeGroups", role: "listed poll", mutating: false, accepted: true, after: "CreateNodeGroup" },
        { action: "DescribeNodeGroup", role: "describe", mutating: false, accepted: true },
      ],
      update: [
        { action: "UpdateNodeGroup", role: "update", mutating: true },
        { action: "DescribeTask", role: "task poll", mutating: false, accepted: true },
        { action: "ListNodeGroups", role: "listed poll", mutating: false, accepted: true },
        { action: "DescribeNodeGroup", role: "describe", mutating: false, accepted: true },
      ],
      read: [
        { action: "ListNodeGroups", role: "list", mutating: false },
        { action: "DescribeNodeGroup", role: "describe", mutating: false },
      ],
      delete: [
        { action: "DeleteNodeGroup", role: "delete", mutating: true },
        { action: "ListNodeGroups", role: "gone poll", mutating: false, accepted: true },
      ],
    },
  },
  {
    key: "batchcompute",
    resource: "alicloud.batchcompute.Cluster",
    service: "batchcompute",
    cloud: alibaba,
    deleteLooks: false,
    lostCreateResent: true,
    updateChange: "`groups.workers.desiredVmCount` 2 -> 3 (ModifyCluster)",
    operations: {
      create: [
        { action: "CreateCluster", role: "create", mutating: true, creates: true },
        { action: "GetCluster", role: "token liveness check", mutating: false, accepted: true, after: "CreateCluster" },
        { action: "GetCluster", role: "status poll", mutating: false, accepted: true, after: "GetCluster" },
      ],
      update: [
        { action: "ModifyCluster", role: "modify", mutating: true },
        { action: "GetCluster", role: "status poll", mutating: false, accepted: true },
      ],
      read: [{ action: "GetCluster", role: "read", mutating: false }],
      delete: [
        { action: "DeleteCluster", role: "delete", mutating: true },
        { action: "GetCluster", role: "gone poll", mutating: false, accepted: true },
      ],
    },
  },
  {
    key: "modelarts",
    resource: "huaweicloud.modelarts.NodePool",
    service: "modelarts",
    cloud: "huawei",
    deleteLooks: true,
    lostCreateResent: true,
    updateChange: "`spec.resources.count` 2 -> 3 with its `azs` (PatchNodePool)",
    operations: {
      create: [
        { action: "ShowNodePool", role: "name check", mutating: false },
        { action: "CreateNodePool", role: "create", mutating: true, creates: true },
        { action: "ShowNodePool", role: "status poll", mutating: false, accepted: true, after: "CreateNodePool" },
      ],
      update: [
        { action: "PatchNodePool", role: "patch", mutating: true },
        { action: "ShowNodePool", role: "status poll", mutating: false, accepted: true },
      ],
      read: [{ action: "ShowNodePool", role: "read", mutating: false }],
      delete: [
        { action: "DeleteNodePool", role: "delete", mutating: true },
        { action: "ShowNodePool", role: "gone poll", mutating: false, accepted: true },
      ],
    },
  },
];

export interface Cell {
  resource: ResourceMatrix;
  op: Operation;
  call: CallSpec;
  fault: FaultDef;
  expected: Outcome;
  /** Set when a handler bug makes the cell fail; the test is then `test.failing`. */
  knownFailure?: string;
  /** `<resource>/<operation>/<role>/<fault>` */
  key: string;
}

export function cellKey(resource: string, op: Operation, role: string, fault: FaultKind): string {
  return `${resource}/${op}/${role}/${fault}`;
}

export function cellsOf(resource: ResourceMatrix): Cell[] {
  const out: Cell[] = [];
  for (const op of OPERATIONS) {
    for (const call of resource.operations[op]) {
      for (const fault of FAULTS) {
        const local = `${op}/${call.role}/${fault.kind}`;
        out.push({
          resource,
          op,
          call,
          fault,
          expected: expectedOutcome(resource, op, call, fault.kind),
          knownFailure: resource.knownFailures?.[local],
          key: cellKey(resource.key, op, call.role, fault.kind),
        });
      }
    }
  }
  return out;
}

export function allCells(): Cell[] {
  return RESOURCES.flatMap(cellsOf);
}

/** Checks that every known failure names a real cell (a typo would silently turn a failing cell green). */
export function unknownKnownFailureKeys(): string[] {
  const keys = new Set(allCells().map((c) => c.key));
  return RESOURCES.flatMap((r) => Object.keys(r.knownFailures ?? {}).map((k) => `${r.key}/${k}`)).filter((k) => !keys.has(k));
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------------------------

export const DOC_PATH_FROM_ROOT = "docs/fault-matrix.md";
export const REGENERATE_COMMAND = "node -r ts-node/register/transpile-only scripts/gen-fault-matrix.ts";

/** How one cell is written in a table; the default is the declared expectation. */
export type CellRenderer = (cell: Cell) => string;

export const declaredCell: CellRenderer = (cell) => (cell.knownFailure ? `**bug** (expected ${OUTCOME_LABEL[cell.expected]})` : OUTCOME_LABEL[cell.expected]);

function table(resource: ResourceMatrix, render: CellRenderer): string[] {
  const cells = cellsOf(resource);
  const lines = [
    `| operation | call | ${FAULTS.map((f) => f.title).join(" | ")} |`,
    `|---|---|${FAULTS.map(() => "---").join("|")}|`,
  ];
  for (const op of OPERATIONS) {
    for (const call of resource.operations[op]) {
      const row = FAULTS.map((f) => render(cells.find((c) => c.op === op && c.call === call && c.fault === f)!));
      lines.push(`| ${op} | ${call.role}: \`${call.action}\` | ${row.join(" | ")} |`);
    }
  }
  return lines;
}

export function summaryCounts(cells: Cell[] = allCells()): Record<Outcome, number> & { knownFailures: number; total: number } {
  const counts = { retried: 0, reconciled: 0, "typed-error": 0, "unknown-reported": 0, "unknown-import": 0, partial: 0, knownFailures: 0, total: cells.length };
  for (const c of cells) {
    counts[c.expected]++;
    if (c.knownFailure) counts.knownFailures++;
  }
  return counts;
}

/** The matrix tables (one per resource) with a summary; used by the doc and by the test output. */
export function matrixTables(render: CellRenderer = declaredCell): string {
  const out: string[] = [];
  for (const r of RESOURCES) {
    const looks = r.deleteLooks ? "looks at the resource when the delete call fails" : "reports a failed delete call";
    const create = r.createNote ? ` ${r.createNote}` : "";
    out.push(`### ${r.resource}`, "", `Update changes ${r.updateChange}. Delete ${looks}.${create}`, "", ...table(r, render), "");
  }
  return out.join("\n");
}

export function faultMatrixMarkdown(): string {
  const counts = summaryCounts();
  // One entry per bug, with the cells it breaks.
  const bugs = new Map<string, string[]>();
  for (const r of RESOURCES) for (const [k, why] of Object.entries(r.knownFailures ?? {})) bugs.set(why, [...(bugs.get(why) ?? []), `\`${r.key}/${k}\``]);
  const known = [...bugs].map(([why, cells]) => `- ${cells.join(", ")}: ${why}`);
  return [
    "<!-- Generated from tests/reliability/matrix.ts by scripts/gen-fault-matrix.ts. Do not edit by hand. -->",
    "",
    "# Fault matrix",
    "",
    "For every resource, every API call it makes and every fault the local emulator can inject, the outcome the",
    "provider guarantees. `tests/reliability/fault-matrix.test.ts` runs each cell through the handlers in-process",
    "against the emulator and then runs the next `pulumi up` step without faults (create again if nothing was",
    "recorded, update if an id was recorded, read or delete again), asserting that:",
    "",
    "- the outcome is the one in the table;",
    "- the emulator never holds two resources for one Pulumi resource, and every cloud resource that exists is in the",
    "  state or was reported with its id (a partial failure), except a create's resource that the cloud made late,",
    "  which the next `up` must refuse with the `import` hint naming it (`unknown reported, import`);",
    "- after the next `up` exactly one cloud resource exists (none after a delete) and it matches the inputs.",
    "",
    "To regenerate this file after changing the table, run:",
    "",
    "```sh",
    REGENERATE_COMMAND,
    "```",
    "",
    "## Fault kinds",
    "",
    ...FAULTS.map((f) => `- **${f.title}** (\`${f.kind}\`): ${f.description}`),
    "",
    "## Outcome classes",
    "",
    ...OUTCOMES.map((o) => `- **${o.title}** (\`${OUTCOME_LABEL[o.outcome]}\` in the tables): ${o.description}`),
    "",
    "A cell marked **bug** is a known handler defect: the test for it is `test.failing`, so the suite stays green",
    "and the defect stays visible (it turns red once fixed, and the mark must then be removed).",
    "",
    "## Summary",
    "",
    `${counts.total} cells: ${OUTCOMES.map((o) => `${counts[o.outcome]} ${OUTCOME_LABEL[o.outcome]}`).join(", ")}; ${counts.knownFailures} known failure(s).`,
    "",
    "## Matrix",
    "",
    matrixTables(),
    "## Known failures",
    "",
    ...(known.length ? known : ["None."]),
    "",
    "## What the emulator cannot inject",
    "",
    "- A response that is held after the cloud acted: `delayMs` waits before the handler runs, so a very slow",
    "  response always acts late, after the client gave up; an applied request with a lost answer is injected as a",
    "  closed connection instead (`timeout after send`).",
    "- A non-JSON error page with an error status (e.g. an HTML 502 from a proxy): status faults always carry the",
    "  service's JSON error body, and `malformedBody` always answers 200.",
    "- The HTTP layer's attempt timeout has no runtime setting (`NODEPOOLS_*` or stack config); the matrix shortens",
    "  it for the `slow` cells by wrapping `createHttpClient` in the test.",
    "",
  ].join("\n");
}
