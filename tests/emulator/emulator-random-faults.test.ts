/**
 * The emulator's random-fault mode (`setRandomFaults`): seeded and repeatable, each kind does what it says (handler
 * run or not), filters by service and action, queued faults win, and it is off after `reset()`.
 */
import { ACK_VERSION, CloudEmulator, EmulatorClient, RANDOM_FAULT_KINDS, type RawResponse } from "../../provider/emulator";

const CLUSTER = "c0123456789abcdef0123456789abcdef";

let emulator: CloudEmulator;
let client: EmulatorClient;

beforeAll(async () => {
  emulator = await CloudEmulator.start();
  client = new EmulatorClient({ endpoint: emulator.endpoint, ...emulator.credentials, region: "cn-hangzhou" });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
});

const list = () => client.roa({ action: "DescribeClusterNodePools", version: ACK_VERSION, method: "GET", path: `/clusters/${CLUSTER}/nodepools` });
const create = (name: string) =>
  client.roa({
    action: "CreateClusterNodePool",
    version: ACK_VERSION,
    method: "POST",
    path: `/clusters/${CLUSTER}/nodepools`,
    body: {
      nodepool_info: { name },
      scaling_group: { vswitch_ids: ["vsw-a"], instance_types: ["ecs.g7.large"], instance_charge_type: "PostPaid", key_pair: "k", desired_size: 1 },
    },
  });
/** The status, or "dropped" when the connection closed without an answer. */
const outcome = (p: Promise<RawResponse>) => p.then((r) => r.status, () => "dropped" as const);

describe("random faults", () => {
  it("is off by default and answers every request normally", async () => {
    for (let i = 0; i < 20; i++) expect(await outcome(list())).toBe(200);
    expect(emulator.randomFaultStats()).toEqual({ options: undefined, injected: 0, byKind: {} });
  });

  it("answers about the given share of requests with faults, the same ones for the same seed", async () => {
    const run = async () => {
      emulator.setRandomFaults({ probability: 0.3, kinds: ["throttling", "5xx"], seed: 42 });
      const statuses: Array<number | string> = [];
      for (let i = 0; i < 200; i++) statuses.push(await outcome(list()));
      return statuses;
    };
    const first = await run();
    const faults = first.filter((s) => s !== 200).length;
    expect(faults).toBeGreaterThan(30);
    expect(faults).toBeLessThan(90);
    expect(emulator.randomFaultStats()).toMatchObject({ injected: faults, options: { probability: 0.3, seed: 42 } });
    const logged = emulator.requests().filter((r) => r.randomFault);
    expect(logged).toHaveLength(faults);
    expect(new Set(logged.map((r) => r.randomFault))).toEqual(new Set(["throttling", "5xx"]));
    expect(new Set(logged.map((r) => r.status))).toEqual(new Set([400, 500, 503].filter((s) => first.includes(s))));
    expect(logged.filter((r) => r.randomFault === "throttling").every((r) => r.code === "Throttling.User")).toBe(true);

    expect(await run()).toEqual(first);
    emulator.setRandomFaults({ probability: 0.3, kinds: ["throttling", "5xx"], seed: 43 });
    const other: Array<number | string> = [];
    for (let i = 0; i < 200; i++) other.push(await outcome(list()));
    expect(other).not.toEqual(first);
  });

  it("reset: no answer and no change; timeout: no answer but the change sticks; malformed: 200 with a cut body, the change sticks", async () => {
    emulator.setRandomFaults({ probability: 1, kinds: ["reset"] });
    expect(await outcome(create("reset"))).toBe("dropped");
    emulator.setRandomFaults({ probability: 1, kinds: ["timeout"] });
    expect(await outcome(create("timeout"))).toBe("dropped");
    emulator.setRandomFaults({ probability: 1, kinds: ["malformed"] });
    const malformed = await create("malformed");
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    emulator.setRandomFaults(undefined);
    expect(emulator.ack.pools(CLUSTER).map((p) => p.nodepool_info.name).sort()).toEqual(["malformed", "timeout"]);
    expect(emulator.requests({ action: "CreateClusterNodePool" }).map((r) => [r.randomFault, r.status, r.fault])).toEqual([
      ["reset", 0, "dropConnection:beforeResponse"],
      ["timeout", 0, "dropConnection:afterBodyRead+afterHandler"],
      ["malformed", 200, "malformedBody+afterHandler"],
    ]);
  });

  it("holds a timeout's connection for timeoutMs before closing it", async () => {
    emulator.setRandomFaults({ probability: 1, kinds: ["timeout"], timeoutMs: 150 });
    const started = Date.now();
    expect(await outcome(list())).toBe("dropped");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("only touches the services and actions named, and a queued fault goes first", async () => {
    emulator.setRandomFaults({ probability: 1, kinds: ["5xx"], services: ["ens"] });
    expect(await outcome(list())).toBe(200);
    emulator.setRandomFaults({ probability: 1, kinds: ["5xx"], services: ["cs"], actions: ["CreateClusterNodePool"] });
    expect(await outcome(list())).toBe(200);
    expect([500, 503]).toContain(await outcome(create("x")));

    emulator.setRandomFaults({ probability: 1, kinds: ["5xx"] });
    emulator.injectFault({ service: "ack", action: "DescribeClusterNodePools", status: 404, code: "ErrorClusterNotFound" });
    const queued = await list();
    expect(queued.status).toBe(404);
    expect(emulator.requests({ action: "DescribeClusterNodePools" }).at(-1)).toMatchObject({ status: 404, fault: "status" });
    expect(emulator.requests({ action: "DescribeClusterNodePools" }).at(-1)?.randomFault).toBeUndefined();
  });

  it("rejects bad options, is set over the admin API, and is off after reset", async () => {
    expect(() => emulator.setRandomFaults({ probability: 1.5 })).toThrow(/probability/);
    expect(() => emulator.setRandomFaults({ probability: 0.1, kinds: ["bogus" as never] })).toThrow(/kinds/);
    expect(() => emulator.setRandomFaults({ probability: 0.1, kinds: [] })).toThrow(/kinds/);
    expect(() => emulator.setRandomFaults({ probability: 0.1, seed: 1.5 })).toThrow(/seed/);

    const admin = (method: string, body?: unknown) =>
      fetch(`${emulator.endpoint}/_emulator/random-faults`, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
    expect(await admin("POST", { probability: 1, kinds: ["throttling"], seed: 3 })).toMatchObject({ options: { probability: 1, kinds: ["throttling"], seed: 3 }, injected: 0 });
    expect(await outcome(list())).toBe(400);
    expect(await admin("GET")).toMatchObject({ injected: 1, byKind: { throttling: 1 } });
    expect(await admin("DELETE")).toEqual({ ok: true });
    expect(await outcome(list())).toBe(200);

    emulator.setRandomFaults({ probability: 1 });
    expect(emulator.randomFaultStats().options?.kinds).toEqual([...RANDOM_FAULT_KINDS]);
    emulator.reset();
    emulator.seedCluster({ clusterId: CLUSTER, region: "cn-hangzhou" });
    expect(await outcome(list())).toBe(200);
    expect(emulator.randomFaultStats().options).toBeUndefined();
  });
});
