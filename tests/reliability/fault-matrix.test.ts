/**
 * The fault matrix: every resource x every API call of its create / update / read / delete x every fault the
 * emulator can inject, each asserted to end in its documented outcome, with no duplicate or unrecorded cloud
 * resource, and converging on the next `up` without manual steps. The table lives in ./matrix.ts; the doc
 * docs/fault-matrix.md is generated from it (scripts/gen-fault-matrix.ts) and must match it.
 *
 * One emulator per resource, `reset()` between cells; a fake clock per cell, so backoff and waiter delays cost
 * nothing. Only the `slow` cells wait for real (a few hundred milliseconds each).
 *
 * A cell whose expectation a handler bug breaks is declared in `knownFailures` (matrix.ts, with the bug spelled
 * out) and runs as `test.failing`: the suite stays green, the bug stays visible, and fixing it turns the test red
 * until the mark is removed.
 */
import * as fs from "fs";
import * as path from "path";
import { faultMatrixMarkdown, REGENERATE_COMMAND } from "../../scripts/gen-fault-matrix";
import { DRIVERS } from "./drivers";
import { installAttemptTimeoutHook, runCell, startContext, type CellResult, type ResourceContext } from "./harness";
import { allCells, cellsOf, DOC_PATH_FROM_ROOT, matrixTables, OUTCOME_LABEL, RESOURCES, summaryCounts, unknownKnownFailureKeys, type Cell } from "./matrix";

const results = new Map<string, CellResult>();

/** A short name for the first thing that went wrong in a cell, for the printed table. */
function problemTag(problem: string): string {
  if (problem.startsWith("duplicate")) return "duplicate";
  if (problem.startsWith("orphan")) return "orphan";
  if (problem.startsWith("after the next up") || problem.startsWith("the next up")) return "no convergence";
  return "check failed";
}
let restoreHttp: () => void;
const started = Date.now();

beforeAll(() => {
  restoreHttp = installAttemptTimeoutHook();
});

afterAll(() => {
  restoreHttp?.();
  const observed = (cell: Cell): string => {
    const r = results.get(cell.key);
    const want = OUTCOME_LABEL[cell.expected];
    if (!r) return "not run";
    const ok = r.actual === cell.expected && r.problems.length === 0;
    const got = r.actual === cell.expected ? want : String(r.actual).slice(0, 40);
    const what = r.problems.length ? `${got}, ${problemTag(r.problems[0])}` : got;
    if (cell.knownFailure) return ok ? `FIXED? ${want}` : `**bug**: ${what} (expected ${want})`;
    return ok ? want : `FAIL: ${what} (expected ${want})`;
  };
  const ran = [...results.values()];
  const counts = summaryCounts();
  console.log(
    [
      `# Fault matrix: ${ran.length} of ${counts.total} cells run in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      "",
      `Expected: ${Object.entries(OUTCOME_LABEL)
        .map(([k, label]) => `${counts[k as keyof typeof OUTCOME_LABEL]} ${label}`)
        .join(", ")}; ${counts.knownFailures} known failure(s).`,
      "",
      matrixTables(observed),
    ].join("\n"),
  );
});

for (const resource of RESOURCES) {
  describe(`${resource.resource} fault matrix`, () => {
    let rc: ResourceContext;
    beforeAll(async () => {
      rc = await startContext(DRIVERS[resource.key]);
    });
    afterAll(async () => {
      await rc?.env.stop();
    });

    for (const cell of cellsOf(resource)) {
      const name = `${cell.op} / ${cell.call.role} (${cell.call.action}) x ${cell.fault.title} -> ${OUTCOME_LABEL[cell.expected]}`;
      const body = async () => {
        const r = await runCell(rc, cell);
        results.set(cell.key, r);
        expect({ outcome: r.actual, problems: r.problems }).toEqual({ outcome: cell.expected, problems: [] });
      };
      if (cell.knownFailure) {
        // Known handler bug, described in matrix.ts `knownFailures` (and docs/fault-matrix.md): this test fails
        // until the bug is fixed; then remove the entry.
        test.failing(`${name} [known bug]`, body);
      } else {
        test(name, body);
      }
    }
  });
}

describe("fault matrix doc", () => {
  it(`${DOC_PATH_FROM_ROOT} matches the declared matrix`, () => {
    const file = path.join(__dirname, "..", "..", DOC_PATH_FROM_ROOT);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (committed !== faultMatrixMarkdown()) {
      throw new Error(`${DOC_PATH_FROM_ROOT} is out of date with tests/reliability/matrix.ts; regenerate it with:\n  ${REGENERATE_COMMAND}`);
    }
  });

  it("declares every cell once and every known failure on a real cell", () => {
    const keys = allCells().map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(unknownKnownFailureKeys()).toEqual([]);
  });
});
