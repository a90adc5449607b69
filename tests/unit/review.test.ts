import * as fs from "fs";
import * as path from "path";
import { main, type CliIo } from "../../provider/cli";
import { parseDigest, review } from "../../provider/review/review";
import { resourceSpecs } from "../../provider/resources/specs";

const FIXTURE = path.join(__dirname, "..", "fixtures", "preview-cli-format.json");
const text = fs.readFileSync(FIXTURE, "utf8");

function io(stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const files: Record<string, string> = {};
  const cli: CliIo = {
    stdin: async () => stdin,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (p) => fs.readFileSync(p, "utf8"),
    writeFile: (p, t) => (files[p] = t),
  };
  return { cli, out, err, files };
}

describe("review of a pulumi preview --json digest", () => {
  const result = review(parseDigest(text), { specs: resourceSpecs });
  const pool = (name: string) => result.pools.find((p) => p.name === name)!;

  it("groups the replace steps of one pool into a single replacement naming the forcing property and its documented rule", () => {
    const p = pool("training");
    expect(p.action).toBe("replace");
    expect(p.forcedBy).toEqual([{ path: "autoScaling.type", rule: expect.stringContaining("cannot be modified after the node pool is created") }]);
    expect(p.changes).toEqual([{ path: "autoScaling.type", old: "gpu", new: "cpu" }]);
  });

  it("counts the running nodes a replacement removes from the stored status", () => {
    expect(pool("training").nodesRemoved).toBe(4);
    expect(pool("training").risks.join(" ")).toMatch(/removes all 4 running nodes/);
  });

  it("reports a scale-in with the nodes it removes and a change that only reaches new nodes", () => {
    const p = pool("inference");
    expect(p.action).toBe("update");
    expect(p.changes.map((c) => c.path)).toEqual(["scalingGroup.desiredSize", "kubernetesConfig.userData"]);
    expect(p.changes[1]).toEqual({ path: "kubernetesConfig.userData", old: "#!/bin/sh\\necho v1", new: "#!/bin/sh\\necho v2" });
    expect(p.nodesRemoved).toBe(4);
    expect(p.risks.join(" ")).toMatch(/Scale-in from 6 to 2 desired nodes removes 4 nodes/);
    expect(p.risks.join(" ")).toMatch(/kubernetesConfig.userData.*only nodes added after this change/);
  });

  it("warns that deleting a pool evicts its running nodes", () => {
    expect(pool("legacy")).toMatchObject({ action: "delete", nodesRemoved: 3 });
  });

  it("masks secrets and shows values unknown until apply as such", () => {
    expect(result.markdown).not.toMatch(/Passw|np-secret/);
    expect(JSON.stringify(result.pools)).not.toContain("04da6b54");
    expect(pool("batch").action).toBe("create");
  });

  it("prints a summary line with counts and leaves other resources out of the sections", () => {
    expect(result.markdown).toMatch(/\*\*Summary:\*\* 1 to replace, 1 to delete, 1 to update in place, 1 to create; 11 running node\(s\) removed; 1 other resource change\(s\) not reviewed here\./);
    expect(result.markdown).not.toContain("batch-vsw");
  });

  it("never shows a secret input even when the digest carries it in clear", () => {
    const leaked = JSON.parse(text);
    leaked.steps[4].oldState.inputs.loginPassword = "Old-Passw0rd!";
    leaked.steps[4].newState.inputs.loginPassword = "New-Passw0rd!";
    const r = review(leaked, { specs: resourceSpecs });
    expect(r.markdown).not.toContain("Passw0rd");
    expect(r.pools.find((p) => p.name === "inference")!.changes).toContainEqual({ path: "loginPassword", old: "[secret]", new: "[secret]" });
  });
});

describe("the pulumi-nodepools review command", () => {
  it("reads a file and writes Markdown to standard output with exit status 0", async () => {
    const t = io();
    expect(await main(["review", FIXTURE], t.cli)).toBe(0);
    expect(t.out.join("")).toMatch(/^## Node pool changes/);
  });

  it("reads standard input when no file is given", async () => {
    const t = io(text);
    expect(await main(["review"], t.cli)).toBe(0);
    expect(t.out.join("")).toContain("Replace: training");
  });

  it("exits with status 2 behind --fail-on-replace when a pool with running nodes would be replaced", async () => {
    const t = io(text);
    expect(await main(["review", "--fail-on-replace", "--output", "summary.md"], t.cli)).toBe(2);
    expect(t.files["summary.md"]).toContain("Replace: training");
  });

  it("exits with status 0 under --fail-on-replace when no replacement removes nodes", async () => {
    const digest = JSON.parse(text);
    digest.steps = digest.steps.filter((s: any) => !s.urn.endsWith("::training"));
    const t = io(JSON.stringify(digest));
    expect(await main(["review", "--fail-on-replace"], t.cli)).toBe(0);
    expect(await main(["review", "--fail-on-node-loss"], io(JSON.stringify(digest)).cli)).toBe(2);
  });

  it("rejects input that is not a preview digest with status 1 and a clear message", async () => {
    const t = io("not json");
    expect(await main(["review"], t.cli)).toBe(1);
    expect(t.err.join("")).toMatch(/not JSON \(expected the output of `pulumi preview --json`\)/);
    expect(await main(["review", "--bogus"], io().cli)).toBe(1);
  });
});
