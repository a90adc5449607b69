/**
 * `pulumi-nodepools review` on real plans: the ACK lifecycle program runs through the test engine against
 * the emulator, and the JSON of each preview (the shape of `pulumi preview --json`) goes through the review
 * command: a scale-in with a secret change and a new-nodes-only change, a replacement, and a deletion.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, type CliIo } from "../../provider/cli";
import { CloudEmulator } from "../../provider/emulator";
import { review, type ReviewResult } from "../../provider/review/review";
import { resourceSpecs } from "../../provider/resources/specs";
import { basePool, CLUSTER } from "../support/ack";
import { TestEngine, type OperationResult } from "../engine";

jest.setTimeout(180_000);

const PROGRAM = path.join(__dirname, "programs", "ack-nodepool");
const OLD_PASSWORD = "Canary-Old-Pw-7241!";
const NEW_PASSWORD = "Canary-New-Pw-9385!";

let emulator: CloudEmulator;
let engine: TestEngine;
let dir: string;
let pool: Record<string, any>;

function reviewed(r: OperationResult): ReviewResult {
  expect(r.ok).toBe(true);
  return review(JSON.parse(JSON.stringify(r.json)), { specs: resourceSpecs });
}

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodepools-review-"));
  pool = basePool();
  delete pool.scalingGroup.keyPair;
  pool.scalingGroup.desiredSize = 4;
  engine = new TestEngine({
    programDir: PROGRAM,
    stack: "dev",
    stateFile: path.join(dir, "dev.json"),
    config: {
      pool,
      "alicloud:accessKey": emulator.credentials.accessKeyId,
      "alicloud:region": "cn-hangzhou",
      "nodepools:endpoints": { cs: emulator.endpoint },
    },
    secretConfig: { "alicloud:secretKey": emulator.credentials.accessKeySecret, loginPassword: OLD_PASSWORD },
    env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" },
  });
  const up = await engine.up();
  expect(up.ok).toBe(true);
});

afterAll(async () => {
  await engine?.destroy();
  await emulator?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("review of the test engine's plans of the ACK lifecycle", () => {
  it("reports a scale-in with the nodes it removes, masks the changed password and notes user data reaching new nodes only", async () => {
    pool.scalingGroup.desiredSize = 1;
    pool.kubernetesConfig.userData = "#!/bin/sh\necho v2";
    engine.setConfig("pool", pool);
    engine.setConfig("loginPassword", NEW_PASSWORD, { secret: true });
    const r = reviewed(await engine.preview());
    expect(r.pools).toHaveLength(1);
    const p = r.pools[0];
    expect(p).toMatchObject({ action: "update", name: "gpu", nodesRemoved: 3 });
    expect(p.changes).toEqual(
      expect.arrayContaining([
        { path: "scalingGroup.desiredSize", old: "4", new: "1" },
        { path: "loginPassword", old: "[secret]", new: "[secret]" },
      ]),
    );
    expect(p.risks.join("\n")).toMatch(/Scale-in from 4 to 1 desired nodes removes 3 nodes \(4 running now\)/);
    expect(p.risks.join("\n")).toMatch(/kubernetesConfig.userData.*only nodes added after this change/);
    expect(r.markdown).not.toContain(OLD_PASSWORD);
    expect(r.markdown).not.toContain(NEW_PASSWORD);
  });

  it("names the property that forces a replacement and the running nodes it removes, and gates CI on it", async () => {
    pool.scalingGroup.desiredSize = 4;
    delete pool.kubernetesConfig.userData;
    pool.autoScaling.type = "cpu";
    engine.setConfig("pool", pool);
    engine.setConfig("loginPassword", OLD_PASSWORD, { secret: true });
    const plan = await engine.preview();
    const r = reviewed(plan);
    expect(r.pools[0]).toMatchObject({ action: "replace", nodesRemoved: 4 });
    expect(r.pools[0].forcedBy).toEqual([{ path: "autoScaling.type", rule: expect.stringMatching(/cannot be modified after the node pool is created/) }]);

    // The command reads the same JSON from a file, as in CI after `pulumi preview --json > preview.json`.
    const file = path.join(dir, "preview.json");
    fs.writeFileSync(file, JSON.stringify(plan.json));
    const out: string[] = [];
    const io: CliIo = {
      stdin: async () => "",
      stdout: (t) => out.push(t),
      stderr: () => undefined,
      readFile: (f) => fs.readFileSync(f, "utf8"),
      writeFile: () => undefined,
    };
    expect(await main(["review", file, "--fail-on-replace"], io)).toBe(2);
    expect(out.join("")).toContain("Replace: gpu (alicloud.ack.NodePool)");
  });

  it("warns that destroying the stack deletes a pool that still runs nodes", async () => {
    pool.autoScaling.type = "gpu";
    engine.setConfig("pool", pool);
    const r = reviewed(await engine.destroy({ previewOnly: true }));
    expect(r.pools).toEqual([expect.objectContaining({ action: "delete", name: "gpu", nodesRemoved: 4 })]);
    expect(r.markdown).toMatch(/Deletion removes 4 running nodes/);
  });
});
