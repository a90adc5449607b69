/**
 * The lifecycle toolkit (provider/core/lifecycle.ts) on its own: time budgets, waits with progress lines, deletes
 * that meet an earlier run's delete, and creates keyed by a chosen name with ownership marks.
 */
import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, UnknownOutcomeError, WaiterTimeoutError } from "../../provider/core/errors";
import { ResourceInitError } from "../../provider/core/handler";
import {
  beginStep,
  createByName,
  POLL_MAX_DELAY_MS,
  POLL_MIN_DELAY_MS,
  pollDelays,
  reasonWithTimeout,
  remainingMs,
  removeAndWaitGone,
  sentInputs,
  settleCreate,
  waitUntil,
  waitUntilGone,
  type NamedCreate,
} from "../../provider/core/lifecycle";
import type { Runtime } from "../../provider/core/runtime";
import { emptyConfig } from "../../provider/core/settings";

function runtime(clock = new FakeClock()): Runtime & { lines: string[]; clock: FakeClock } {
  const lines: string[] = [];
  return {
    resolve: { config: emptyConfig, env: {}, homeDir: "/nonexistent", readFile: () => undefined },
    clock,
    log: () => undefined,
    progress: (line) => lines.push(line),
    pollDelayScale: 1,
    lines,
  };
}

const DEFAULTS = { create: 10 * 60_000, update: 20 * 60_000, delete: 30 * 60_000 };
const lost = () => new UnknownOutcomeError({ operation: "CreateThing", message: "connection reset" });

describe("a step", () => {
  it("takes its budget from the timeouts input or the default, and shares one deadline between its waits", () => {
    const rt = runtime();
    expect(beginStep(rt, "create", "create x", {}, DEFAULTS).timeoutMs).toBe(10 * 60_000);
    const step = beginStep(rt, "delete", "delete x", { timeouts: { delete: "90s" } }, DEFAULTS);
    expect(step).toMatchObject({ op: "delete", timeoutMs: 90_000, deadline: rt.clock.now() + 90_000 });
    rt.clock.advance(60_000);
    expect(remainingMs(step)).toBe(30_000);
    rt.clock.advance(60_000);
    expect(remainingMs(step)).toBe(1);
  });

  it("polls with the package's delays, scaled by the runtime's poll delay scale and never below 1 ms", () => {
    expect(pollDelays({ ...runtime(), pollDelayScale: 1 })).toEqual({ minDelayMs: POLL_MIN_DELAY_MS, maxDelayMs: POLL_MAX_DELAY_MS });
    const scaled = pollDelays({ ...runtime(), pollDelayScale: 0.001 });
    expect(scaled.minDelayMs).toBeCloseTo(POLL_MIN_DELAY_MS / 1000);
    expect(scaled.maxDelayMs).toBeCloseTo(POLL_MAX_DELAY_MS / 1000);
    expect(pollDelays({ ...runtime(), pollDelayScale: 0 })).toEqual({ minDelayMs: 1, maxDelayMs: 1 });
  });
});

describe("waiting", () => {
  it("prints a progress line for every poll after the first and names the step in a timeout", async () => {
    const rt = runtime();
    const step = beginStep(rt, "create", 'create pool "gpu"', { timeouts: { create: "1m" } }, DEFAULTS);
    let polls = 0;
    const err = await waitUntil(step, "wait for it", {
      poll: async () => ++polls,
      acceptors: [],
      describeState: (r) => `poll ${r.value}`,
    }).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err.message).toMatch(/^create pool "gpu": wait for it: timed out after 1m/);
    expect(rt.lines[0]).toBe('create pool "gpu": poll 2');
    expect(rt.lines).toHaveLength(polls - 1);
    expect(reasonWithTimeout(err, step)).toMatch(/\(the create waits at most timeouts\.create = 1m\)$/);
  });

  it("waits until the resource is gone, and fails at once in a failure state", async () => {
    const step = beginStep(runtime(), "delete", "delete x", {}, DEFAULTS);
    const states = ["deleting", "deleting", undefined];
    await waitUntilGone(step, { poll: async () => states.shift(), describe: (s) => `state=${s}` });
    expect(states).toEqual([]);
    await expect(waitUntilGone(step, { poll: async () => "failed", describe: (s) => s, failures: [{ matches: (s) => s === "failed", describe: "it failed" }] })).rejects.toThrow(
      /delete x: wait until it is gone: reached failure state failed: it failed/,
    );
  });
});

describe("deleting", () => {
  const busy = () => new CloudApiError({ operation: "DeleteThing", status: 400, code: "Busy", message: "a task is running", kind: "client" });

  it("is done when the delete call says the resource is already gone", async () => {
    const poll = jest.fn();
    await removeAndWaitGone(beginStep(runtime(), "delete", "delete x", {}, DEFAULTS), { remove: async () => false, poll, describe: String });
    expect(poll).not.toHaveBeenCalled();
  });

  it("waits for a delete that an earlier, interrupted run started instead of failing on the refused second delete", async () => {
    const rt = runtime();
    const states = ["deleting", "deleting", undefined];
    await removeAndWaitGone(beginStep(rt, "delete", "delete x", {}, DEFAULTS), {
      remove: async () => {
        throw busy();
      },
      poll: async () => states.shift(),
      describe: (s) => `state=${s}`,
      isDeleting: (s) => s === "deleting",
    });
    expect(states).toEqual([]);
    expect(rt.lines[0]).toBe("delete x: already being deleted (state=deleting); waiting until it is gone");
  });

  it("is done when the refused delete finds the resource gone, and fails with the delete's error otherwise", async () => {
    const step = beginStep(runtime(), "delete", "delete x", {}, DEFAULTS);
    const refused = { remove: async () => Promise.reject(busy()), describe: String, isDeleting: (s: string) => s === "deleting" };
    await expect(removeAndWaitGone(step, { ...refused, poll: async () => undefined })).resolves.toBeUndefined();
    await expect(removeAndWaitGone(step, { ...refused, poll: async () => "scaling" })).rejects.toThrow(/a task is running/);
    await expect(removeAndWaitGone(step, { remove: refused.remove, describe: String, poll: async () => "deleting" })).rejects.toThrow(/a task is running/);
  });
});

interface Thing {
  id: string;
  mark?: string;
}

/** A cloud of named things: `things` is what a lookup by name finds; `create` records what the create call made. */
function cloud(things: Thing[], opts: { lose?: number; make?: boolean[] } = {}) {
  const made: string[] = [];
  let lose = opts.lose ?? 0;
  const spec: NamedCreate<Thing, { id: string }> = {
    noun: "a pool",
    name: "gpu",
    scope: "cluster c-1",
    rule: "names are unique in a cluster",
    namePath: "pool.name",
    find: async () => [...things],
    idOf: (t) => `c-1:${t.id}`,
    create: async () => {
      const makes = opts.make?.shift() ?? true;
      const id = `np-${made.length + 1}`;
      if (makes) {
        made.push(id);
        things.push({ id, mark: "ours" });
      }
      if (lose > 0) {
        lose--;
        throw lost();
      }
      return { id: `c-1:${id}` };
    },
    owner: { mark: "ours", markOf: (t) => t.mark },
    namesUnique: true,
  };
  return { spec, made };
}

describe("creating a resource keyed by its name", () => {
  const step = (rt = runtime()) => beginStep(rt, "create", 'create pool "gpu"', {}, DEFAULTS);

  it("creates when the name is free", async () => {
    const { spec, made } = cloud([]);
    await expect(createByName(step(), spec)).resolves.toMatchObject({ how: "created", id: "c-1:np-1" });
    expect(made).toEqual(["np-1"]);
  });

  it("adopts the resource that carries this resource's mark: an earlier run made it and was interrupted", async () => {
    const rt = runtime();
    const { spec, made } = cloud([{ id: "np-9", mark: "ours" }]);
    await expect(createByName(step(rt), spec)).resolves.toMatchObject({ how: "adopted", id: "c-1:np-9" });
    expect(made).toEqual([]);
    expect(rt.lines).toEqual(['create pool "gpu": adopting c-1:np-9, which carries this resource\'s ownership mark (an earlier run created it and was interrupted)']);
  });

  it("refuses a resource with another resource's mark, naming the import id, and creates nothing", async () => {
    const { spec, made } = cloud([{ id: "np-9", mark: "theirs" }]);
    await expect(createByName(step(), spec)).rejects.toThrow(
      'a pool named "gpu" already exists in cluster c-1 and carries the ownership mark of another Pulumi resource; names are unique in a cluster: choose another pool.name, or adopt it with the `import` resource option (id "c-1:np-9")',
    );
    expect(made).toEqual([]);
  });

  it("refuses a resource without a mark", async () => {
    const { spec } = cloud([{ id: "np-9" }]);
    await expect(createByName(step(), spec)).rejects.toThrow(/already exists in cluster c-1 and carries no ownership mark of pulumi-nodepools/);
  });

  it("refuses every taken name when the inputs carry no owner key, or the type cannot carry a mark", async () => {
    const { spec } = cloud([{ id: "np-9", mark: "ours" }]);
    await expect(createByName(step(), { ...spec, owner: undefined })).rejects.toThrow(/already exists in cluster c-1; names are unique/);
    await expect(createByName(step(), { ...spec, owner: undefined, unmarkable: "no field can carry a mark" })).rejects.toThrow(
      /already exists in cluster c-1 \(no field can carry a mark\); names are unique/,
    );
  });

  it("refuses when two resources hold the name, even if one of them is ours", async () => {
    const { spec } = cloud([{ id: "np-8", mark: "ours" }, { id: "np-9", mark: "theirs" }]);
    await expect(createByName(step(), spec)).rejects.toThrow(/carries the ownership mark of another Pulumi resource.*"c-1:np-9"/);
  });

  it("finds the resource of a create whose answer was lost by its name, never making a second one", async () => {
    const { spec, made } = cloud([], { lose: 1 });
    await expect(createByName(step(), spec)).resolves.toMatchObject({ how: "reconciled", id: "c-1:np-1" });
    expect(made).toEqual(["np-1"]);
  });

  it("sends the create once more when the lost create made nothing, and gives up after that", async () => {
    const once = cloud([], { lose: 1, make: [false, true] });
    await expect(createByName(step(), once.spec)).resolves.toMatchObject({ how: "created", id: "c-1:np-1" });
    const twice = cloud([], { lose: 2, make: [false, false] });
    await expect(createByName(step(), twice.spec)).rejects.toBeInstanceOf(UnknownOutcomeError);
  });

  it("never sends a lost create again where the cloud allows duplicate names: it fails with the unknown outcome and what the next up does", async () => {
    const { spec, made } = cloud([], { lose: 1, make: [false, true] });
    const unmarked = { ...spec, owner: undefined, unmarkable: "no field can carry a mark", namesUnique: false };
    const error = await createByName(step(), unmarked).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(made).toEqual([]);
    const e = error as UnknownOutcomeError;
    expect(e.operation).toBe("CreateThing");
    expect(e.message).toMatch(/^CreateThing failed: connection reset\. a pool named "gpu" was not found in cluster c-1 right after, but the request may still be acted on/);
    expect(e.message).toMatch(/the create is not sent again/);
    expect(e.message).toMatch(/The next `pulumi up` looks the name up first: .*refuses it with the `import` hint and its id \(no field can carry a mark\)/);
    // A lost create that did make the resource is still found by its name.
    const found = cloud([], { lose: 1 });
    await expect(createByName(step(), { ...found.spec, owner: undefined, namesUnique: false })).resolves.toMatchObject({ how: "reconciled", id: "c-1:np-1" });
  });

  it("refuses a stranger that took the name while the answer was lost", async () => {
    const things: Thing[] = [];
    const { spec } = cloud(things);
    spec.create = async () => {
      things.push({ id: "np-7", mark: "theirs" });
      throw lost();
    };
    await expect(createByName(step(), spec)).rejects.toThrow(/ownership mark of another Pulumi resource.*"c-1:np-7"/);
  });
});

/** The refusal of a taken name by a cloud that keeps names unique, as ACK's 400 `InvalidParameter.Name`. */
const taken = () => new CloudApiError({ operation: "CreateThing", status: 400, code: "Name.Taken", message: "name gpu is already exist in cluster c-1.", kind: "client", requestId: "req-7" });
const isTaken = (e: unknown) => e instanceof CloudApiError && e.code === "Name.Taken";

/**
 * A cloud that refuses a taken name itself, and the spec that creates first (`nameTaken`): `calls` lists the create
 * and find calls in order. `things` hold the name; a create while one does is refused with {@link taken}.
 */
function refusingCloud(things: Thing[], opts: { lose?: number; make?: boolean[] } = {}) {
  const calls: string[] = [];
  const base = cloud(things, opts);
  const spec: NamedCreate<Thing, { id: string }> = {
    ...base.spec,
    find: async () => {
      calls.push("find");
      return [...things];
    },
    create: async () => {
      calls.push("create");
      if (things.length) throw taken();
      return base.spec.create();
    },
    nameTaken: isTaken,
  };
  return { spec, made: base.made, calls };
}

describe("creating first where the cloud refuses a taken name", () => {
  const step = (rt = runtime()) => beginStep(rt, "create", 'create pool "gpu"', {}, DEFAULTS);
  /** The error of a create that looks the name up first, for the same resources: what a create-first one must say too. */
  const lookupFirstError = (things: Thing[]): Promise<string> =>
    createByName(step(), cloud(things).spec).then(
      (claimed) => `not refused: ${claimed.how}`,
      (e: Error) => e.message,
    );

  it("creates without looking the name up when the name is free", async () => {
    const { spec, made, calls } = refusingCloud([]);
    await expect(createByName(step(), spec)).resolves.toMatchObject({ how: "created", id: "c-1:np-1" });
    expect(calls).toEqual(["create"]);
    expect(made).toEqual(["np-1"]);
  });

  it("looks the name up once the cloud refuses it, and adopts the resource that carries this resource's mark with the usual progress line", async () => {
    const rt = runtime();
    const { spec, made, calls } = refusingCloud([{ id: "np-9", mark: "ours" }]);
    await expect(createByName(step(rt), spec)).resolves.toMatchObject({ how: "adopted", id: "c-1:np-9" });
    expect(calls).toEqual(["create", "find"]);
    expect(made).toEqual([]);
    expect(rt.lines).toEqual(['create pool "gpu": adopting c-1:np-9, which carries this resource\'s ownership mark (an earlier run created it and was interrupted)']);
  });

  it.each([
    ["another resource's mark", [{ id: "np-9", mark: "theirs" }]],
    ["no mark", [{ id: "np-9" }]],
    ["two resources (one of them ours)", [{ id: "np-8", mark: "ours" }, { id: "np-9", mark: "theirs" }]],
  ])("refuses a name taken by %s with the same error as a lookup first: the name's input path, the rule and the import id", async (_what, things: Thing[]) => {
    const want = await lookupFirstError(structuredClone(things));
    expect(want).toMatch(/already exists in cluster c-1.*names are unique in a cluster: choose another pool\.name, or adopt it with the `import` resource option \(id "c-1:np-9"\)$/);
    const { spec, made, calls } = refusingCloud(structuredClone(things));
    await expect(createByName(step(), spec)).rejects.toThrow(want);
    expect(calls).toEqual(["create", "find"]);
    expect(made).toEqual([]);
  });

  it("sends the create again when the resource that held the name is gone by the time of the lookup", async () => {
    const things: Thing[] = [{ id: "np-9" }];
    const { spec, made, calls } = refusingCloud(things);
    const find = spec.find;
    spec.find = async () => {
      things.length = 0; // deleted between the refusal and the lookup
      return find();
    };
    await expect(createByName(step(), spec)).resolves.toMatchObject({ how: "created", id: "c-1:np-1" });
    expect(calls).toEqual(["create", "find", "create"]);
    expect(made).toEqual(["np-1"]);
  });

  it("gives up after the second refusal of a name that the lookup never finds, with the cloud's error and what the next up does", async () => {
    const { spec, made, calls } = refusingCloud([{ id: "np-9" }]);
    spec.find = async () => {
      calls.push("find");
      return []; // a list that lags behind the cloud's name check
    };
    const error = await createByName(step(), spec).catch((e: unknown) => e);
    expect(calls).toEqual(["create", "find", "create", "find"]);
    expect(made).toEqual([]);
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({ operation: "CreateThing", status: 400, code: "Name.Taken", requestId: "req-7", kind: "client" });
    expect((error as Error).message).toMatch(
      /^CreateThing failed: HTTP 400: Name\.Taken: name gpu is already exist in cluster c-1\. a pool named "gpu" was not found in cluster c-1 after the cloud refused the name as taken \(2 attempts\); run `pulumi up` again/,
    );
  });

  it.each([
    ["another 400", new CloudApiError({ operation: "CreateThing", status: 400, code: "InvalidParameter", message: "the vswitch is invalid", kind: "client" })],
    ["a server error", new CloudApiError({ operation: "CreateThing", status: 503, code: "ServiceUnavailable", message: "try later", kind: "transient" })],
    ["an error of the handler", new Error("no nodepool_id in the answer")],
  ])("lets %s through untouched and looks nothing up", async (_what, error: Error) => {
    const { spec, calls } = refusingCloud([]);
    spec.create = async () => {
      calls.push("create");
      throw error;
    };
    await expect(createByName(step(), spec)).rejects.toBe(error);
    expect(calls).toEqual(["create"]);
  });

  it("finds the resource of a create whose answer was lost by its name and adopts it as the cloud has it, never making a second one", async () => {
    const rt = runtime();
    const { spec, made, calls } = refusingCloud([], { lose: 1 });
    await expect(createByName(step(rt), spec)).resolves.toMatchObject({ how: "adopted", id: "c-1:np-1" });
    expect(calls).toEqual(["create", "find"]);
    expect(made).toEqual(["np-1"]);
    // The name was not looked up before the create: the resource may be an earlier run's, so it is recorded as the cloud has it.
    expect(rt.lines).toEqual([
      'create pool "gpu": the create\'s answer was lost; adopting c-1:np-1, which carries this resource\'s ownership mark (this create or an earlier, interrupted run made it)',
    ]);
  });

  it("refuses a resource without this resource's mark found after a lost answer: it may have held the name before the create", async () => {
    const things: Thing[] = [{ id: "np-9" }];
    const { spec, made } = refusingCloud(things);
    spec.create = async () => {
      throw lost(); // the refusal of the taken name was lost
    };
    await expect(createByName(step(), spec)).rejects.toThrow(await lookupFirstError([{ id: "np-9" }]));
    expect(made).toEqual([]);
  });

  it("sends a lost create that made nothing once more, and adopts what a late first request made when the cloud refuses the second", async () => {
    const rt = runtime();
    const things: Thing[] = [];
    const { spec, made, calls } = refusingCloud(things, { lose: 1, make: [false] });
    const find = spec.find;
    let lookups = 0;
    spec.find = async () => {
      const found = await find();
      // The first request lands just after the lookup that followed its lost answer.
      if (++lookups === 1) things.push({ id: "np-late", mark: "ours" });
      return found;
    };
    await expect(createByName(step(rt), spec)).resolves.toMatchObject({ how: "adopted", id: "c-1:np-late" });
    expect(calls).toEqual(["create", "find", "create", "find"]);
    expect(made).toEqual([]);
    expect(things).toHaveLength(1);
    expect(rt.lines).toEqual([
      'create pool "gpu": the create\'s answer was lost; adopting c-1:np-late, which carries this resource\'s ownership mark (this create or an earlier, interrupted run made it)',
    ]);
  });

  it("gives up with the unknown outcome after a second lost create that made nothing", async () => {
    const { spec, made } = refusingCloud([], { lose: 2, make: [false, false] });
    await expect(createByName(step(), spec)).rejects.toBeInstanceOf(UnknownOutcomeError);
    expect(made).toEqual([]);
  });

  it("looks the name up first, as without nameTaken, when the inputs carry no owner key or the cloud allows duplicate names", async () => {
    const unmarked = refusingCloud([{ id: "np-9", mark: "ours" }]);
    await expect(createByName(step(), { ...unmarked.spec, owner: undefined })).rejects.toThrow(/already exists in cluster c-1; names are unique/);
    expect(unmarked.calls).toEqual(["find"]);
    const duplicates = refusingCloud([{ id: "np-9", mark: "ours" }]);
    await expect(createByName(step(), { ...duplicates.spec, namesUnique: false })).resolves.toMatchObject({ how: "adopted", id: "c-1:np-9" });
    expect(duplicates.calls).toEqual(["find"]);
    const { spec, calls } = refusingCloud([]);
    await expect(createByName(step(), { ...spec, owner: undefined })).resolves.toMatchObject({ how: "created" });
    expect(calls).toEqual(["find", "create"]);
  });
});

describe("a create the cloud accepted", () => {
  it("is reported with its id and properties when it does not become ready", async () => {
    const err = await settleCreate(
      "pool np-1",
      "c-1:np-1",
      async () => {
        throw new Error("quota exceeded");
      },
      async () => ({ name: "gpu" }),
    ).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(ResourceInitError);
    expect(err).toMatchObject({ message: "pool np-1 was created but is not ready: quota exceeded", id: "c-1:np-1", properties: { name: "gpu" }, reasons: ["quota exceeded"] });
  });

  it("returns what the wait returns when it becomes ready", async () => {
    await expect(settleCreate("pool np-1", "c-1:np-1", async () => "ready", async () => ({}))).resolves.toBe("ready");
  });
});

describe("an update that failed part-way", () => {
  const olds = { size: 2, node: { kubelet: { maxPods: 32 } }, removed: "x", timeouts: { update: "1h" } };
  const news = { size: 3, node: { kubelet: { maxPods: 64 } }, timeouts: { update: "2h" } };
  const diff = { calls: { Modify: ["size", "removed"], NodeConfig: ["node.kubelet.maxPods"] } };

  it("records the new values of the calls sent and the old values of the others", () => {
    expect(sentInputs(olds, news, diff, new Set(["Modify"]))).toEqual({ size: 3, node: { kubelet: { maxPods: 32 } }, timeouts: { update: "2h" } });
    expect(sentInputs(olds, news, diff, new Set(["NodeConfig"]))).toEqual({ size: 2, removed: "x", node: { kubelet: { maxPods: 64 } }, timeouts: { update: "2h" } });
    expect(sentInputs(olds, news, diff, new Set(["Modify", "NodeConfig"]))).toEqual(news);
  });

  it("drops a path the old inputs did not have, and changes neither argument", () => {
    const r = sentInputs({ size: 2 }, news, diff, new Set(["Modify"]));
    expect(r).toEqual({ size: 3, timeouts: { update: "2h" } });
    expect(news.node.kubelet.maxPods).toBe(64);
  });
});
