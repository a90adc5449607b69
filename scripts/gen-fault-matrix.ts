/**
 * Writes docs/fault-matrix.md from the declared fault matrix (tests/reliability/matrix.ts): the fault kinds, the
 * outcome classes, and for every resource the outcome of each (call, fault) cell.
 *
 *   node -r ts-node/register/transpile-only scripts/gen-fault-matrix.ts          # rewrite docs/fault-matrix.md
 *   node -r ts-node/register/transpile-only scripts/gen-fault-matrix.ts --check  # exit 1 if it is out of date
 *
 * tests/reliability/fault-matrix.test.ts fails when the committed file differs from the generated text.
 */
import * as fs from "fs";
import * as path from "path";
import { DOC_PATH_FROM_ROOT, faultMatrixMarkdown, REGENERATE_COMMAND } from "../tests/reliability/matrix";

export { faultMatrixMarkdown, REGENERATE_COMMAND };

export const FAULT_MATRIX_PATH = path.join(__dirname, "..", DOC_PATH_FROM_ROOT);

if (require.main === module) {
  const text = faultMatrixMarkdown();
  if (process.argv.includes("--check")) {
    const committed = fs.existsSync(FAULT_MATRIX_PATH) ? fs.readFileSync(FAULT_MATRIX_PATH, "utf8") : "";
    if (committed !== text) {
      console.error(`${DOC_PATH_FROM_ROOT} is out of date; run: ${REGENERATE_COMMAND}`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(FAULT_MATRIX_PATH, text);
    console.log(`wrote ${DOC_PATH_FROM_ROOT}`);
  }
}
