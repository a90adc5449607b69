/**
 * The alicloud.eflo.NodeGroup handlers against the emulator over real HTTP: create, read, update through
 * UpdateNodeGroup with the DescribeTask wait, delete; retries, lost answers, not-found, partial failures, drift,
 * timeouts and secrets. Waiters run on a fake clock, so nothing really sleeps.
 */
import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, ConfigurationError } from "../../provider/core/errors";
import { definedOnly } from "../../provider/core/fields/spec";
import { ResourceInitError } from "../../provider/core/handler";
import { setRuntimeOverrides } from "../../provider/core/runtime";
import { configFromRecord } from "../../provider/core/settings";
import { CloudEmulator, REDACTED } from "../../provider/emulator";
import type { EfloAdmin, EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import { efloNodeGroupHandlers as h } from "../../provider/resources/eflo-nodegroup/handler";

const CLUSTER = "i118191731740041623425";
const REGION = "cn-wulanchabu";

interface Env {
  emulator: CloudEmulator;
  eflo: EfloAdmin;
  clock: FakeClock;
  progress: string[];
  logs: string[];
  /** Called with every debug line of the HTTP layer, e.g. to act right after a given call succeeded. */
  onLog?: (line: string) => void;
}

let env: Env;

beforeEach(async () => {
  const emulator = await CloudEmulator.start();
  const eflo = emulator.service<EfloNodeGroupService>("eflo").admin;
  eflo.seedCluster({ clusterId: CLUSTER, region: REGION, name: "lingjun-a" });
  // Real time for signatures (the emulator checks the 15-minute window), instant sleeps for waiters and backoff.
  const clock = new FakeClock(Date.now());
  const progress: string[] = [];
  const logs: string[] = [];
  setRuntimeOverrides({
    resolve: {
      config: configFromRecord({}),
      env: {
        NODEPOOLS_ENDPOINT: emulator.endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
        ALICLOUD_REGION: REGION,
      },
      homeDir: "/nonexistent",
      readFile: () => undefined,
    },
    clock,
    progress: (line) => progress.push(line),
    log: (line) => {
      logs.push(line);
      env.onLog?.(line);
    },
  });
  env = { emulator, eflo, clock, progress, logs };
});

afterEach(async () => {
  setRuntimeOverrides({});
  await env?.emulator.stop();
});

function baseGroup(name = "gpu"): Record<string, any> {
  return {
    clusterId: CLUSTER,
    nodeGroup: {
      az: "cn-wulanchabu-b",
      nodeGroupName: name,
      machineType: "efg2.C48cNHmcn",
      imageId: "i-image-1",
      userData: "#!/bin/sh\necho ready",
      systemDisk: { size: 1000, category: "cloud_essd" },
      keyPairName: "ml-team",
      ramRoleName: "lingjun-role",
    },
    nodeUnit: { NodeUnitId: "unit-1", MaxNodes: 0 },
  };
}

/** The host calls check before create/update; the provider sees the checked inputs. */
async function checked(props: Record<string, any>) {
  const r = await h.check({}, props);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (v && typeof v === "object") return Object.values(v).some(hasUndefined);
  return false;
}

const MUTATING = ["CreateNodeGroup", "UpdateNodeGroup", "DeleteNodeGroup"];
const mutating = () => env.emulator.requests({ service: "eflo" }).filter((r) => MUTATING.includes(String(r.action)));
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e) => e);
const groupId = (id: string) => id.split(":")[1];

describe("eflo node group handlers against the emulator", () => {
  it("creates a group, waits until it is listed and returns typed outputs without undefined", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    expect(id).toMatch(new RegExp(`^${CLUSTER}:ng-[0-9a-f]{16}$`));
    expect(outs).toMatchObject({
      nodeGroupId: groupId(id),
      clusterId: CLUSTER,
      clusterName: "lingjun-a",
      imageName: expect.any(String),
      nodeCount: 0,
      loginType: "KeyPair",
      createTime: expect.any(String),
      updateTime: expect.any(String),
      schemaVersion: 1,
      nodeGroup: { nodeGroupName: "gpu", systemDisk: { size: 1000, category: "cloud_essd" } },
    });
    expect(hasUndefined(outs)).toBe(false);
    expect(mutating().map((r) => r.action)).toEqual(["CreateNodeGroup"]);
    const create = env.emulator.requests({ action: "CreateNodeGroup" })[0];
    expect(create.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(create.query).toEqual({});
    const body = create.body as Record<string, string>;
    expect(body.ClusterId).toBe(CLUSTER);
    expect(JSON.parse(body.NodeGroup)).toEqual({
      Az: "cn-wulanchabu-b",
      NodeGroupName: "gpu",
      MachineType: "efg2.C48cNHmcn",
      ImageId: "i-image-1",
      UserData: "#!/bin/sh\necho ready",
      SystemDisk: { Size: 1000, Category: "cloud_essd" },
      KeyPairName: "ml-team",
      RamRoleName: "lingjun-role",
    });
    expect(JSON.parse(body.NodeUnit)).toEqual({ NodeUnitId: "unit-1", MaxNodes: 0 });
    expect(env.eflo.groups(CLUSTER)[0].NodeUnit).toEqual({ NodeUnitId: "unit-1", MaxNodes: 0 });
  });

  it("reads an unchanged group back to the same outputs, so a refresh changes nothing", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    const read = await h.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    expect(await h.diff(id, read.props!, await checked(baseGroup()))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // The list's filter by cluster and group, then DescribeNodeGroup for the fields the list omits.
    const list = env.emulator.requests({ action: "ListNodeGroups" }).pop()!;
    expect(list.body).toMatchObject({ ClusterId: CLUSTER, NodeGroupId: groupId(id) });
    expect(env.emulator.requests({ action: "DescribeNodeGroup" }).pop()!.body).toMatchObject({ NodeGroupId: groupId(id) });
  });

  it("updates name and image in place through UpdateNodeGroup and waits for its task to succeed", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.emulator.clearRequests();
    env.emulator.setProgression({ kind: "polls", count: 2 });
    const p = baseGroup("gpu-renamed");
    p.nodeGroup.imageId = "i-image-2";
    const news = await checked(p);
    expect(await h.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await h.update(id, outs, news);
    expect(after).toMatchObject({ nodeGroup: { nodeGroupName: "gpu-renamed", imageId: "i-image-2" }, nodeGroupId: groupId(id) });
    expect(hasUndefined(after)).toBe(false);
    const updates = mutating();
    expect(updates.map((r) => [r.action, r.body])).toEqual([["UpdateNodeGroup", { NodeGroupId: groupId(id), NewNodeGroupName: "gpu-renamed", ImageId: "i-image-2" }]]);
    const tasks = env.emulator.requests({ action: "DescribeTask" }).map((r) => r.status);
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    expect(env.eflo.tasks()[0].TaskState).toBe("execution_success");
    expect(env.eflo.groups(CLUSTER)[0]).toMatchObject({ NodeGroupName: "gpu-renamed", ImageId: "i-image-2" });
    expect(env.progress.some((l) => /update node group "gpu-renamed": TaskState=(waiting_to_run|running)/.test(l))).toBe(true);
    // The waits slept on the fake clock only.
    expect(env.clock.sleeps.length).toBeGreaterThan(0);
  });

  it("sends the whole declared system disk when one member changes, and FileSystemMountEnabled as a form value", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.emulator.clearRequests();
    const p = baseGroup();
    p.nodeGroup.systemDisk.size = 2000;
    p.nodeGroup.fileSystemMountEnabled = true;
    await h.update(id, outs, await checked(p));
    const [update] = mutating();
    expect(update.body).toEqual({ NodeGroupId: groupId(id), SystemDisk: JSON.stringify({ Size: 2000, Category: "cloud_essd" }), FileSystemMountEnabled: "true" });
    expect(env.eflo.groups(CLUSTER)[0]).toMatchObject({ SystemDisk: { Size: 2000, Category: "cloud_essd" }, FileSystemMountEnabled: true });
  });

  it("changes only local settings without any cloud change", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.emulator.clearRequests();
    const { outs: after } = await h.update(id, outs, await checked({ ...baseGroup(), timeouts: { update: "3h" } }));
    expect(after.timeouts).toEqual({ update: "3h" });
    expect(mutating()).toHaveLength(0);
  });

  it("deletes the group and waits until it is no longer listed", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    await h.delete(id, outs);
    expect(env.eflo.groups(CLUSTER)).toHaveLength(0);
    const del = env.emulator.requests({ action: "DeleteNodeGroup" });
    expect(del.map((r) => r.body)).toEqual([{ ClusterId: CLUSTER, NodeGroupId: groupId(id) }]);
  });

  it("fails the delete of a group that still has nodes with the cloud's error, keeping the group", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.eflo.mutateGroup(CLUSTER, groupId(id), (g) => (g.nodeCount = 3));
    const err = await failure(h.delete(id, outs));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).toMatchObject({ operation: "DeleteNodeGroup", code: "NodeGroup.NotEmpty" });
    expect(env.eflo.groups(CLUSTER)).toHaveLength(1);
  });

  it("times out a delete when the group cannot be seen to leave the list", async () => {
    const { id, outs } = await h.create(await checked({ ...baseGroup(), timeouts: { delete: "2m" } }));
    env.onLog = (line) => {
      if (/^DeleteNodeGroup .*: ok$/.test(line)) env.emulator.injectFault({ service: "eflo", action: "ListNodeGroups", code: "ServiceUnavailable", status: 503, times: 1000 });
    };
    const started = env.clock.now();
    await expect(h.delete(id, outs)).rejects.toThrow(/delete node group ng-[0-9a-f]+: wait until it is no longer listed: timed out after 2m/);
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(2 * 60_000);
    env.onLog = undefined;
  });

  it("treats a group deleted outside Pulumi as gone: read returns no id and delete succeeds", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.eflo.deleteGroup(CLUSTER, groupId(id));
    expect(await h.read(id, outs)).toEqual({});
    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  it("fails an update of a group deleted outside Pulumi at once instead of waiting for it to reappear", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.eflo.deleteGroup(CLUSTER, groupId(id));
    const started = env.clock.now();
    await expect(h.update(id, outs, await checked({ ...baseGroup(), timeouts: { update: "1h" } }))).rejects.toThrow(/the node group no longer exists/);
    expect(env.clock.now() - started).toBeLessThan(60_000);
  });

  it("treats a group whose cluster is gone as gone", async () => {
    const { outs } = await h.create(await checked(baseGroup()));
    expect(await h.read(`i000000000000000000000:${outs.nodeGroupId}`, outs)).toEqual({});
  });

  it("shows a change made outside Pulumi as drift, and a diff that updates it back in place", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.eflo.mutateGroup(CLUSTER, groupId(id), (g) => {
      g.imageId = "i-console";
      g.ramRoleName = "console-role";
      g.fileSystemMountEnabled = true;
    });
    const read = await h.read(id, outs);
    expect(read.props).toMatchObject({ nodeGroup: { imageId: "i-console", ramRoleName: "console-role" } });
    // A server value the program never set is not drift.
    expect(read.props!.nodeGroup).not.toHaveProperty("fileSystemMountEnabled");
    expect(await h.diff(id, read.props!, await checked(baseGroup()))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    env.emulator.clearRequests();
    await h.update(id, read.props!, await checked(baseGroup()));
    expect(mutating().map((r) => r.body)).toEqual([{ NodeGroupId: groupId(id), ImageId: "i-image-1", RamRoleName: "lingjun-role" }]);
  });

  it("replaces the group when the RAM role is removed, because the cloud ignores a cleared RamRoleName", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    const p = baseGroup();
    delete p.nodeGroup.ramRoleName;
    expect(await h.diff(id, outs, await checked(p))).toEqual({ changes: true, replaces: ["nodeGroup.ramRoleName"], deleteBeforeReplace: true });
    await expect(h.update(id, outs, await checked(p))).rejects.toThrow(/cannot remove a RAM role; removing it replaces the node group/);
    expect(mutating().map((r) => r.action)).toEqual(["CreateNodeGroup"]);
  });

  it("retries throttling and 5xx answers and creates exactly one group", async () => {
    env.emulator.injectFault({ service: "eflo", action: "CreateNodeGroup", code: "Throttling.User", status: 400, times: 1 });
    env.emulator.injectFault({ service: "eflo", action: "CreateNodeGroup", code: "ServiceUnavailable", status: 503, times: 1 });
    env.emulator.injectFault({ service: "eflo", action: "ListNodeGroups", code: "InternalError", status: 500, times: 2 });
    env.emulator.injectFault({ service: "eflo", action: "DescribeNodeGroup", code: "ServiceUnavailable", status: 503, times: 1 });
    await h.create(await checked(baseGroup()));
    expect(env.eflo.groups(CLUSTER)).toHaveLength(1);
    expect(env.emulator.requests({ action: "CreateNodeGroup" }).map((r) => r.status)).toEqual([400, 503, 200]);
  });

  it("retries a throttled DescribeTask while waiting for an update", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.emulator.injectFault({ service: "eflo", action: "DescribeTask", code: "Throttling.User", status: 400, times: 2 });
    const p = baseGroup();
    p.nodeGroup.imageId = "i-image-2";
    await h.update(id, outs, await checked(p));
    expect(env.emulator.requests({ action: "DescribeTask" }).map((r) => r.status)).toEqual([400, 400, 200]);
  });

  it("reconciles a create whose answer was lost by finding the group by name, never making a second one", async () => {
    env.emulator.injectFault({ service: "eflo", action: "CreateNodeGroup", afterHandler: true, dropConnection: "beforeResponse", times: 1 });
    const { id } = await h.create(await checked(baseGroup()));
    const groups = env.eflo.groups(CLUSTER);
    expect(groups).toHaveLength(1);
    expect(id).toBe(`${CLUSTER}:${groups[0].NodeGroupId}`);
    expect(env.emulator.requests({ action: "CreateNodeGroup" })).toHaveLength(1);
  });

  it("refuses to create a group whose name is taken, before sending the create", async () => {
    await h.create(await checked(baseGroup()));
    env.emulator.clearRequests();
    await expect(h.create(await checked(baseGroup()))).rejects.toThrow(/already exists in cluster .*names are unique in a cluster/);
    expect(env.emulator.requests({ action: "CreateNodeGroup" })).toHaveLength(0);
  });

  it("records a group that was created but could not be read, with its id, properties and reasons", async () => {
    env.emulator.injectFault({ service: "eflo", action: "DescribeNodeGroup", code: "Forbidden.RAM", status: 403, times: 1 });
    const err = await failure(h.create(await checked(baseGroup())));
    expect(err).toBeInstanceOf(ResourceInitError);
    const [group] = env.eflo.groups(CLUSTER);
    expect(err.id).toBe(`${CLUSTER}:${group.NodeGroupId}`);
    expect(err.properties).toMatchObject({ nodeGroupId: group.NodeGroupId, nodeGroup: { nodeGroupName: "gpu" }, schemaVersion: 1 });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(err.reasons.join(" ")).toMatch(/Forbidden\.RAM/);
  });

  it("resumes a group recorded by a failed create on the next update and completes it", async () => {
    // Once the create has been answered, the list stops answering: the group never shows up.
    env.onLog = (line) => {
      if (/^CreateNodeGroup .*: ok$/.test(line)) env.emulator.injectFault({ service: "eflo", action: "ListNodeGroups", code: "ServiceUnavailable", status: 503, times: 1000 });
    };
    const err = await failure(h.create(await checked({ ...baseGroup(), timeouts: { create: "1m" } })));
    env.onLog = undefined;
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 1m; last observed state: .*ServiceUnavailable/);
    expect(err.properties).not.toHaveProperty("createTime");
    env.emulator.clearFaults();
    const { outs } = await h.update(err.id, err.properties, await checked({ ...baseGroup(), timeouts: { create: "1m" } }));
    expect(outs).toMatchObject({ nodeGroupId: groupId(err.id), createTime: expect.any(String) });
    expect(mutating().map((r) => r.action)).toEqual(["CreateNodeGroup"]);
  });

  it("records an update whose task ends in execution_fail as a partial failure holding what the cloud really has", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.eflo.failNextUpdate("image i-image-2 does not support this machine type");
    const p = baseGroup();
    p.nodeGroup.imageId = "i-image-2";
    const news = await checked(p);
    const err = await failure(h.update(id, outs, news));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.id).toBe(id);
    expect(err.message).toMatch(/execution_fail.*image i-image-2 does not support this machine type/);
    expect(err.reasons.join(" ")).toMatch(/the UpdateNodeGroup task failed/);
    // The image did not change: the recorded state keeps the old one, so the next `up` sends the change again.
    expect(err.properties).toMatchObject({ nodeGroup: { imageId: "i-image-1" }, nodeGroupId: groupId(id) });
    expect(hasUndefined(err.properties)).toBe(false);
    expect(await h.diff(id, err.properties, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("times out an update task with the last observed states and records the group", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    env.emulator.setProgression({ kind: "manual" });
    const p: Record<string, any> = { ...baseGroup(), timeouts: { update: "10m" } };
    p.nodeGroup.imageId = "i-image-2";
    const started = env.clock.now();
    const err = await failure(h.update(id, outs, await checked(p)));
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err.message).toMatch(/timed out after 10m; last observed state: TaskState=waiting_to_run/);
    expect(env.clock.now() - started).toBeGreaterThanOrEqual(10 * 60_000);
    expect(err.properties).toMatchObject({ nodeGroupId: groupId(id) });
    expect(env.eflo.groups(CLUSTER)).toHaveLength(1);
  });

  it("fails an update the cloud refuses without recording anything", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    await h.create(await checked(baseGroup("taken")));
    const err = await failure(h.update(id, outs, await checked(baseGroup("taken"))));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err).not.toBeInstanceOf(ResourceInitError);
    expect(err.code).toBe("NodeGroupName.Duplicate");
  });

  it("rejects invalid input in check before any request reaches the cloud", async () => {
    const p = baseGroup();
    p.nodeGroup.systemDisk = { size: 0, performanceLevel: "PL9" };
    delete p.nodeGroup.az;
    const r = await h.check({}, p);
    expect(r.failures?.map((f) => f.property).sort()).toEqual(["nodeGroup.az", "nodeGroup.systemDisk.performanceLevel", "nodeGroup.systemDisk.size"]);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with one configuration error and no request when no credential is set", async () => {
    setRuntimeOverrides({
      resolve: { config: configFromRecord({}), env: { NODEPOOLS_ENDPOINT: env.emulator.endpoint, ALICLOUD_REGION: REGION }, homeDir: "/nonexistent", readFile: () => undefined },
    });
    await expect(h.create(await checked(baseGroup()))).rejects.toBeInstanceOf(ConfigurationError);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it("fails with a typed error naming the operation, code and request id when the cloud refuses", async () => {
    const err = await failure(h.create(await checked({ ...baseGroup(), clusterId: "i000000000000000000000" })));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(err.operation).toBe("ListNodeGroups");
    expect(err.code).toBe("ClusterNotFound");
    expect(err.requestId).toBeTruthy();
    expect(err.message).toContain(err.requestId);
  });

  it("never puts the login password in a request log line, a debug line or an error", async () => {
    const p: Record<string, any> = { ...baseGroup(), loginPassword: "Sup3r-Secret-Pw" };
    delete p.nodeGroup.keyPairName;
    env.emulator.injectFault({ service: "eflo", action: "CreateNodeGroup", status: 400, code: "InvalidParameter", message: "bad LoginPassword Sup3r-Secret-Pw", times: 1 });
    const err = await failure(h.create(await checked(p)));
    expect(err).toBeInstanceOf(CloudApiError);
    expect(String(err.message)).not.toContain("Sup3r-Secret-Pw");
    const { id, outs } = await h.create(await checked(p));
    expect(outs.loginType).toBe("Password");
    await h.update(id, outs, await checked({ ...p, loginPassword: "N3w-Secret-Pw" }));
    const update = env.emulator.requests({ action: "UpdateNodeGroup" })[0];
    expect(update.body).toEqual({ NodeGroupId: groupId(id), LoginPassword: REDACTED });
    const everything = JSON.stringify([env.emulator.requests(), env.logs, env.progress]);
    expect(everything).not.toContain("Sup3r-Secret-Pw");
    expect(everything).not.toContain("N3w-Secret-Pw");
    expect(env.logs.length).toBeGreaterThan(0);
  });

  it("adopts an existing group from its id alone, as the import option does", async () => {
    const { id, outs } = await h.create(await checked(baseGroup()));
    const read = await h.read(id, {});
    expect(read.id).toBe(id);
    expect(read.inputs).toEqual({
      clusterId: CLUSTER,
      nodeGroup: {
        az: "cn-wulanchabu-b",
        nodeGroupName: "gpu",
        machineType: "efg2.C48cNHmcn",
        imageId: "i-image-1",
        userData: "#!/bin/sh\necho ready",
        systemDisk: { size: 1000, category: "cloud_essd" },
        fileSystemMountEnabled: false,
        virtualGpuEnabled: false,
        keyPairName: "ml-team",
        ramRoleName: "lingjun-role",
      },
    });
    expect(definedOnly(read.props)).toMatchObject({ nodeGroupId: outs.nodeGroupId, nodeCount: 0 });
    expect((await h.check({}, read.inputs!)).failures ?? []).toEqual([]);
  });
});
