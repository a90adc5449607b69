/**
 * Crash safety through the real dynamic-provider host: the host is killed (SIGKILL, as a cancelled CI job does) in
 * the middle of a create and of a delete, after the emulated cloud has taken the request. A new host then runs what
 * the next `pulumi up` runs: Check and Create again with the same inputs (Pulumi recorded nothing for the killed
 * create), or Delete again. It must never make a second resource and never take over one that this resource did not
 * create (docs/ownership.md).
 *
 * The owner key and the serialized provider come from the resource classes themselves (through Pulumi's mocks), so
 * the inputs are exactly what a program sends.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { CloudEmulator } from "../../provider/emulator";
import type { BatchComputeService } from "../../provider/emulator/services/batchcompute-cluster";
import type { EfloNodeGroupService } from "../../provider/emulator/services/eflo-nodegroup";
import type { EnsService } from "../../provider/emulator/services/ens-nodepool";
import { MODELARTS_DEFAULT_PROJECT, type ModelArtsService } from "../../provider/emulator/services/modelarts-nodepool";
import { OWNER_MARK_KEY } from "../../provider/core/ownership";
import { NodePool as AckNodePool } from "../../provider/resources/ack-nodepool/resource";
import { Cluster } from "../../provider/resources/batchcompute-cluster/resource";
import { NodeGroup } from "../../provider/resources/eflo-nodegroup/resource";
import { NodePool as EnsNodePool } from "../../provider/resources/ens-nodepool/resource";
import { NodePool as ModelArtsNodePool } from "../../provider/resources/modelarts-nodepool/resource";
import { basePool, CLUSTER as ACK_CLUSTER } from "../support/ack";
import { baseCluster } from "../support/batchcompute";
import { ENS_CLUSTER, ENS_REGION, ensPool } from "../support/ens";
import { baseNodePool, POOL, REGION as HUAWEI_REGION } from "../support/modelarts";
import { dirLinkedToCheckout, ProviderHost, secretValue } from "../support/provider-host";

type Props = Record<string, any>;

// Every test starts real provider hosts (a few seconds each on a busy machine).
jest.setTimeout(180_000);

const REGION = "cn-hangzhou";
const EFLO_CLUSTER = "i118191731740041623425";

function efloGroup(): Props {
  return {
    clusterId: EFLO_CLUSTER,
    nodeGroup: { az: "cn-wulanchabu-b", nodeGroupName: "gpu", nodeGroupDescription: "training nodes", machineType: "efg2.C48cNHmcn", imageId: "i-image-1" },
  };
}

function batchCluster(): Props {
  const { idempotencyKey: _key, ...args } = baseCluster();
  return args;
}

/** One resource type under test: how to make its program inputs and how to look at the emulated cloud. */
interface Subject {
  kind: string;
  urn: string;
  /** Program arguments (without the owner key, which the class adds). */
  args: () => Props;
  /** Registers the resource through its class, so that the owner key and the provider text are the real ones. */
  construct: (name: string, args: Props) => pulumi.CustomResource;
  name: string;
  createAction: string;
  deleteAction: string;
  /** Pulumi ids of the resources of this type in the cloud. */
  ids: () => string[];
  /** The request the killed host is left waiting on (an action that only the create's wait sends). */
  hangCreate?: string;
  /** The same for the delete (eflo deletes synchronously, so the host is held in its wait for the group to go). */
  hangDelete?: string;
  /**
   * The code with which the cloud refuses a taken name, where the create goes first and the name is looked up only
   * after that refusal (ACK); elsewhere the name is looked up before the create, and a taken one is never sent.
   */
  nameRefusal?: string;
}

let emulator: CloudEmulator;
/** A host for what happens around the crashes (setting up strangers and resources to delete); never killed. */
let shared: ProviderHost;
let workdir: string;
const output: string[] = [];
const hosts: ProviderHost[] = [];
/** Per resource type: the __provider text and the owner key the class computed. */
const programs: Record<string, { provider: string; ownerKey: string }> = {};

const ens = () => emulator.service<EnsService>("ens").admin;
const eflo = () => emulator.service<EfloNodeGroupService>("eflo").admin;
const modelarts = () => emulator.service<ModelArtsService>("modelarts").admin;
const batch = () => emulator.service<BatchComputeService>("batchcompute").admin;

const subjects: Subject[] = [
  {
    kind: "alicloud.ack.NodePool",
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/ack:NodePool::gpu",
    name: "gpu",
    args: () => basePool(),
    construct: (name, args) => new AckNodePool(name, args as any),
    createAction: "CreateClusterNodePool",
    deleteAction: "DeleteClusterNodepool",
    nameRefusal: "InvalidParameter.Name",
    ids: () => emulator.ack.pools(ACK_CLUSTER).map((p) => `${ACK_CLUSTER}:${p.nodepool_info.nodepool_id}`),
  },
  {
    kind: "alicloud.ens.NodePool",
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/ens:NodePool::edge",
    name: "edge",
    args: () => ensPool(),
    construct: (name, args) => new EnsNodePool(name, args as any),
    createAction: "CreateClusterNodePool",
    deleteAction: "DeleteClusterNodePool",
    ids: () => ens().pools(ENS_CLUSTER).map((p) => `${ENS_CLUSTER}:${p.NodepoolInfo.NodepoolId}`),
  },
  {
    kind: "alicloud.eflo.NodeGroup",
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/eflo:NodeGroup::gpu",
    name: "gpu",
    args: efloGroup,
    construct: (name, args) => new NodeGroup(name, args as any),
    createAction: "CreateNodeGroup",
    deleteAction: "DeleteNodeGroup",
    ids: () => eflo().groups(EFLO_CLUSTER).map((g) => `${EFLO_CLUSTER}:${g.NodeGroupId}`),
    // CreateNodeGroup is synchronous: the create then waits in ListNodeGroups and reads DescribeNodeGroup.
    hangCreate: "DescribeNodeGroup",
    hangDelete: "ListNodeGroups",
  },
  {
    kind: "alicloud.batchcompute.Cluster",
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud/batchcompute:Cluster::render",
    name: "render",
    args: batchCluster,
    construct: (name, args) => new Cluster(name, args as any),
    createAction: "CreateCluster",
    deleteAction: "DeleteCluster",
    ids: () => batch().clusters().map((c) => c.Id),
  },
  {
    kind: "huaweicloud.modelarts.NodePool",
    urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/huaweicloud/modelarts:NodePool::nodepool",
    name: "nodepool",
    args: () => baseNodePool(),
    construct: (name, args) => new ModelArtsNodePool(name, args as any),
    createAction: "CreateNodePool",
    deleteAction: "DeleteNodePool",
    ids: () => modelarts().nodePools({ poolName: POOL }).map((n) => `${POOL}/${n.metadata.name}`),
  },
];
const subject = (kind: string) => subjects.find((s) => s.kind === kind)!;

/** Runs each class once under Pulumi's mocks and keeps what it registered. */
async function registerPrograms(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        programs[args.type] = { provider: args.inputs.__provider, ownerKey: args.inputs.ownerKey };
        return { id: `${args.name}-mock`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
  );
  const resources = subjects.map((s) => s.construct(s.name, s.args()));
  await Promise.all(resources.map((r) => new Promise<void>((resolve) => r.urn.apply(() => resolve()))));
  // Pulumi's type token (the third part of the URN) -> the package's resource kind.
  for (const s of subjects) {
    const captured = programs[s.urn.split("::")[2]];
    if (!captured) throw new Error(`no registration captured for ${s.kind}`);
    programs[s.kind] = captured;
  }
}

/** The inputs a program sends: the arguments, the class's owner key (or another one) and the provider text. */
function programInputs(s: Subject, ownerKey: string | null = programs[s.kind].ownerKey): Props {
  return { ...s.args(), ...(ownerKey === null ? {} : { ownerKey }), __provider: programs[s.kind].provider };
}

async function startHost(): Promise<ProviderHost> {
  const host = await ProviderHost.start({ cwd: workdir, env: { NODEPOOLS_POLL_DELAY_SCALE: "0.001" }, onOutput: (l) => output.push(l), callTimeoutMs: 60_000 });
  hosts.push(host);
  await host.configure({
    "alicloud:accessKey": emulator.credentials.accessKeyId,
    "alicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "alicloud:region": REGION,
    "huaweicloud:accessKey": emulator.credentials.accessKeyId,
    "huaweicloud:secretKey": secretValue(emulator.credentials.accessKeySecret),
    "huaweicloud:region": HUAWEI_REGION,
    "huaweicloud:projectId": MODELARTS_DEFAULT_PROJECT,
    "nodepools:endpoints": JSON.stringify({ cs: emulator.endpoint, ens: emulator.endpoint, "eflo-controller": emulator.endpoint, batchcompute: emulator.endpoint, modelarts: emulator.endpoint }),
  });
  return host;
}

/** Waits until `test` holds; a timeout names what was awaited, the requests the cloud saw and the hosts' last output. */
async function until(what: string, test: () => boolean, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) {
      const seen = emulator.requests().map((r) => `${r.action} ${r.status}${r.code ? ` ${r.code}` : ""}`);
      throw new Error(`timed out waiting until ${what}; requests: ${seen.join(", ")}; host output: ${output.join("").slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

const requests = (action: string) => emulator.requests({ action }).filter((r) => r.status !== 0);

/**
 * The create calls the cloud answered: exactly one accepted (the first resource's), and where the create goes first,
 * one more that the cloud refused for the taken name (ACK); a lookup first sends none.
 */
function expectOneCreate(s: Subject): void {
  const answered = requests(s.createAction);
  expect(answered.filter((r) => r.status < 300)).toHaveLength(1);
  expect(answered.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.code}`)).toEqual(s.nameRefusal ? [`400 ${s.nameRefusal}`] : []);
}

/**
 * Starts `call` on a fresh host, waits until the cloud has taken `action` (and, when given, until the host is held in
 * `hang`), then kills the host with SIGKILL. The call's own outcome is never seen, as with a killed CI job.
 */
async function killDuring(call: (host: ProviderHost) => Promise<unknown>, action: string, hang?: string): Promise<void> {
  const host = await startHost();
  const before = requests(action).length;
  const pending = call(host).then(
    () => "finished",
    () => "failed",
  );
  await until(`the cloud took ${action}`, () => requests(action).length > before);
  if (hang) await until(`the host waits in ${hang}`, () => emulator.pendingFaults().every((f) => f.action !== hang));
  await host.stop("SIGKILL");
  await pending;
}

/** Check + Create, as `pulumi up` runs them for a resource that the state does not hold. */
async function checkAndCreate(host: ProviderHost, s: Subject, inputs: Props = programInputs(s)): Promise<{ id: string; properties: Props }> {
  const checked = await host.check(s.urn, {}, inputs);
  expect(checked.failures).toEqual([]);
  return host.create(s.urn, checked.inputs);
}

beforeAll(async () => {
  await registerPrograms();
  emulator = await CloudEmulator.start();
  // A directory outside the checkout: the host finds the package by name through node_modules only.
  workdir = dirLinkedToCheckout("nodepools-crash-");
  shared = await startHost();
  hosts.splice(hosts.indexOf(shared), 1);
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop("SIGKILL")));
});

afterAll(async () => {
  await shared?.stop();
  await emulator?.stop();
  if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
});

beforeEach(() => {
  output.length = 0;
  emulator.reset();
  emulator.seedCluster({ clusterId: ACK_CLUSTER, region: REGION });
  ens().seedCluster({ clusterId: ENS_CLUSTER, ensRegionId: ENS_REGION });
  eflo().seedCluster({ clusterId: EFLO_CLUSTER, region: REGION });
  modelarts().seedPool({ poolName: POOL });
});

/** Holds the killed host inside the step after the cloud took the request: busy objects stay busy until told. */
function slowCloud(hang?: string): void {
  emulator.setProgression({ kind: "manual" });
  if (hang) emulator.injectFault({ action: hang, delayMs: 4_000 });
}

/**
 * A `pulumi up` whose host is killed during the create, after the cloud took it. Returns the id of the one resource
 * the cloud made; from then on the cloud finishes its work as soon as it is looked at.
 */
async function killedCreate(s: Subject): Promise<string> {
  slowCloud(s.hangCreate);
  await killDuring((host) => checkAndCreate(host, s), s.createAction, s.hangCreate);
  expect(s.ids()).toHaveLength(1);
  emulator.setProgression({ kind: "immediate" });
  return s.ids()[0];
}

describe("the registered programs", () => {
  it("give every resource an owner key from project, stack and name", () => {
    for (const s of subjects) expect(programs[s.kind].ownerKey).toBe(`proj/dev/${s.name}`);
  });
});

describe.each(["alicloud.ack.NodePool", "alicloud.eflo.NodeGroup", "huaweicloud.modelarts.NodePool"])("%s, whose create marks what it makes", (kind) => {
  const s = subject(kind);

  it("adopts the resource of a create that was killed after the cloud took it: one resource, the first, with the outputs of a normal create", async () => {
    const first = await killedCreate(s);
    const host = await startHost();
    const { id, properties } = await checkAndCreate(host, s);
    expect(id).toBe(first);
    expect(s.ids()).toEqual([first]);
    expectOneCreate(s);
    expect(output.join("")).toContain(`adopting ${first}, which carries this resource's ownership mark`);

    // The outputs are what a create without the crash records: no diff against the same program, no mark shown.
    const inputs = (await host.check(s.urn, {}, programInputs(s))).inputs;
    expect(await host.diff(s.urn, id, properties, inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    expect(JSON.stringify(properties)).not.toContain(OWNER_MARK_KEY);
    expect((await host.read(s.urn, id, properties)).properties).toEqual(properties);
  });

  it("refuses a same-named resource that another Pulumi resource created, and creates nothing", async () => {
    await checkAndCreate(shared, s, programInputs(s, `proj/other-stack/${s.name}`));
    const [stranger] = s.ids();
    const err = await checkAndCreate(shared, s).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(new RegExp(`already exists in .*ownership mark of another Pulumi resource.*import.*"${stranger.replace(/[/.]/g, "\\$&")}"`));
    expect(s.ids()).toEqual([stranger]);
    expectOneCreate(s);
  });

  it("refuses a same-named resource that carries no ownership mark, and creates nothing", async () => {
    await checkAndCreate(shared, s, programInputs(s, null));
    const [stranger] = s.ids();
    const err = await checkAndCreate(shared, s).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/already exists in .*carries no ownership mark.*import/);
    expect(s.ids()).toEqual([stranger]);
    expectOneCreate(s);
  });
});

describe("alicloud.ens.NodePool, whose API has no field for a mark", () => {
  const s = subject("alicloud.ens.NodePool");

  it("refuses the pool of a killed create with its import id, creates nothing, and the pool can then be imported", async () => {
    const first = await killedCreate(s);
    const host = await startHost();
    const err = await checkAndCreate(host, s).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(new RegExp(`already exists in ENS cluster ${ENS_CLUSTER} \\(ENS node pools have no tag, label or description.*\`import\` resource option \\(id "${first}"\\)`));
    expect(s.ids()).toEqual([first]);
    expect(requests(s.createAction)).toHaveLength(1);

    // What the message says to do: adopt it with the import option (a read by id alone).
    const imported = await host.read(s.urn, first, {}, { __provider: programs[s.kind].provider });
    expect(imported.id).toBe(first);
    expect(imported.properties).toMatchObject({ nodepoolInfo: { name: "edge" }, status: { state: "active" } });
  });
});

describe("alicloud.batchcompute.Cluster, whose create token is its mark", () => {
  const s = subject("alicloud.batchcompute.Cluster");

  it("gets the cluster of a create that was killed after the cloud took it from the API itself: one cluster, the first", async () => {
    const first = await killedCreate(s);
    const { id, properties } = await checkAndCreate(await startHost(), s);
    expect(id).toBe(first);
    expect(s.ids()).toEqual([first]);
    const tokens = requests(s.createAction).map((r) => r.query.IdempotentToken);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
    expect(properties).toMatchObject({ clusterId: first, state: "Active", actualVmCounts: { workers: 2 } });
  });

  it("leaves a same-named cluster of another Pulumi resource alone and makes its own (cluster names are not unique)", async () => {
    const { id: stranger } = await checkAndCreate(shared, s, programInputs(s, "proj/other-stack/render"));
    const { id } = await checkAndCreate(shared, s);
    expect(id).not.toBe(stranger);
    expect(s.ids().sort()).toEqual([stranger, id].sort());
  });
});

describe.each(subjects.map((s) => s.kind))("%s, deleted by a host that is killed", (kind) => {
  const s = subject(kind);

  it("is finished by the next delete, without error, and nothing remains", async () => {
    const created = await checkAndCreate(shared, s);
    slowCloud(s.hangDelete);
    await killDuring((host) => host.delete(s.urn, created.id, created.properties), s.deleteAction, s.hangDelete);
    expect(requests(s.deleteAction)).toHaveLength(1);

    // The cloud finishes the delete it took while the next run polls (three polls), as a real one does in time.
    emulator.clearFaults();
    emulator.setProgression({ kind: "polls", count: 3 });
    const host = await startHost();
    await host.delete(s.urn, created.id, created.properties);
    expect(s.ids()).toEqual([]);
    expect((await host.read(s.urn, created.id, created.properties)).id).toBe("");
  });
});
