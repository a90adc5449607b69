import { FakeClock } from "../../provider/core/clock";
import { CloudApiError, ConfigurationError, WaiterFailureError, WaiterTimeoutError } from "../../provider/core/errors";
import { Acceptor, PollResult, parseDuration, waitFor, waiterDelay } from "../../provider/core/waiter";

interface Pool {
  state: string;
}

const isState =
  (s: string) =>
  (r: PollResult<Pool>): boolean =>
    r.value?.state === s;

const activeWaiter: Acceptor<Pool>[] = [
  { state: "success", matches: isState("active") },
  { state: "failure", matches: isState("failed"), describe: "the node pool reported failed" },
];

const describeState = (r: PollResult<Pool>): string =>
  r.error !== undefined ? `error ${(r.error as Error).message}` : `state=${r.value?.state}`;

function scripted(...results: (Pool | Error)[]): jest.Mock<Promise<Pool>, []> {
  let i = 0;
  return jest.fn(async () => {
    const r = results[Math.min(i++, results.length - 1)];
    if (r instanceof Error) throw r;
    return r;
  });
}

function apiError(kind: CloudApiError["kind"], code = "Code"): CloudApiError {
  return new CloudApiError({ operation: "DescribeClusterNodePoolDetail", kind, code, message: `${kind} error` });
}

const base = { operation: "wait for node pool np-1 to become active", describeState, minDelayMs: 1000, maxDelayMs: 8000, timeoutMs: 600_000 };

describe("waitFor", () => {
  it("polls once immediately and resolves with the value when a success acceptor matches", async () => {
    const clock = new FakeClock();
    const poll = scripted({ state: "active" });
    await expect(waitFor({ ...base, clock, poll, acceptors: activeWaiter })).resolves.toEqual({ state: "active" });
    expect(poll).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("keeps polling while no acceptor matches and reports progress through onPoll", async () => {
    const clock = new FakeClock();
    const poll = scripted({ state: "creating" }, { state: "scaling" }, { state: "active" });
    const seen: string[] = [];
    const value = await waitFor({ ...base, clock, poll, acceptors: activeWaiter, onPoll: (n, s) => seen.push(`${n}:${s}`) });
    expect(value.state).toBe("active");
    expect(seen).toEqual(["1:state=creating", "2:state=scaling", "3:state=active"]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("honours an explicit retry acceptor placed before a success acceptor", async () => {
    const clock = new FakeClock();
    const poll = scripted({ state: "active" }, { state: "active" });
    let calls = 0;
    const acceptors: Acceptor<Pool>[] = [
      { state: "retry", matches: () => ++calls === 1 },
      { state: "success", matches: isState("active") },
    ];
    await waitFor({ ...base, clock, poll, acceptors });
    expect(poll).toHaveBeenCalledTimes(2);
  });

  it("throws WaiterFailureError with the state and the acceptor's description when a failure acceptor matches", async () => {
    const clock = new FakeClock();
    const poll = scripted({ state: "creating" }, { state: "failed" });
    const err = await waitFor({ ...base, clock, poll, acceptors: activeWaiter }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterFailureError);
    expect(err.state).toBe("state=failed");
    expect(err.detail).toBe("the node pool reported failed");
    expect(err.message).toContain("wait for node pool np-1 to become active: reached failure state state=failed");
  });

  it("lets an acceptor match a thrown error, so a delete waiter succeeds on not found", async () => {
    const clock = new FakeClock();
    const poll = scripted({ state: "deleting" }, apiError("notFound", "ErrorNodePoolNotFound"));
    const acceptors: Acceptor<Pool>[] = [
      { state: "success", matches: (r) => r.error instanceof CloudApiError && r.error.kind === "notFound" },
      { state: "failure", matches: isState("delete_failed") },
    ];
    await expect(waitFor({ ...base, clock, poll, acceptors })).resolves.toBeUndefined();
    expect(poll).toHaveBeenCalledTimes(2);
  });

  it("uses the error message as failure detail when a failure acceptor matches an error without a description", async () => {
    const clock = new FakeClock();
    const poll = scripted(apiError("client", "InvalidParameter"));
    const acceptors: Acceptor<Pool>[] = [{ state: "failure", matches: (r) => r.error !== undefined }];
    const err = await waitFor({ ...base, clock, poll, acceptors }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterFailureError);
    expect(err.detail).toContain("client error");
  });

  it("rethrows an unmatched client or auth error at once", async () => {
    for (const kind of ["client", "auth", "notFound"] as const) {
      const clock = new FakeClock();
      const error = apiError(kind);
      const poll = scripted(error);
      await expect(waitFor({ ...base, clock, poll, acceptors: activeWaiter })).rejects.toBe(error);
      expect(poll).toHaveBeenCalledTimes(1);
    }
  });

  it("rethrows an unmatched error that is not a CloudApiError", async () => {
    const clock = new FakeClock();
    const poll = scripted(new TypeError("bug"));
    await expect(waitFor({ ...base, clock, poll, acceptors: activeWaiter })).rejects.toThrow("bug");
  });

  it("polls through unmatched throttling, transient and timeout errors", async () => {
    const clock = new FakeClock();
    const poll = scripted(apiError("throttling"), apiError("transient"), apiError("timeout"), { state: "active" });
    await expect(waitFor({ ...base, clock, poll, acceptors: activeWaiter })).resolves.toEqual({ state: "active" });
    expect(poll).toHaveBeenCalledTimes(4);
  });

  it("times out with a message naming the last few distinct states", async () => {
    const clock = new FakeClock();
    const states = ["creating", "creating", "scaling", "scaling", "s1", "s2", "s3", "s4", "s5"];
    let i = 0;
    const poll = jest.fn(async () => ({ state: states[Math.min(i++, states.length - 1)] }));
    const err = await waitFor({ ...base, clock, poll, acceptors: activeWaiter, timeoutMs: 600_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err.lastStates).toEqual(["state=s1", "state=s2", "state=s3", "state=s4", "state=s5"]);
    expect(err.message).toBe(
      "wait for node pool np-1 to become active: timed out after 10m; last observed state: " +
        "state=s1 -> state=s2 -> state=s3 -> state=s4 -> state=s5",
    );
  });

  it("grows the delay exponentially from minDelayMs and caps it at maxDelayMs", async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1), () => 0.5);
    const poll = scripted({ state: "creating" });
    await waitFor({ ...base, clock, poll, acceptors: activeWaiter, timeoutMs: 60_000 }).catch(() => undefined);
    expect(clock.sleeps.slice(0, 7)).toEqual([1000, 1500, 2500, 4500, 8000, 8000, 8000]);
    expect(Math.max(...clock.sleeps)).toBe(8000);
  });

  it("never sleeps past the deadline and makes its last poll at the deadline", async () => {
    const start = Date.UTC(2026, 0, 1);
    const clock = new FakeClock(start);
    const pollTimes: number[] = [];
    const poll = jest.fn(async () => {
      pollTimes.push(clock.now() - start);
      return { state: "creating" };
    });
    const err = await waitFor({ ...base, clock, poll, acceptors: activeWaiter, minDelayMs: 3000, maxDelayMs: 3000, timeoutMs: 10_000 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(clock.sleeps).toEqual([3000, 3000, 3000, 1000]);
    expect(pollTimes).toEqual([0, 3000, 6000, 9000, 10_000]);
    expect(clock.now() - start).toBe(10_000);
  });

  it("counts time spent inside a slow poll against the deadline", async () => {
    const clock = new FakeClock();
    const poll = jest.fn(async () => {
      clock.advance(7000);
      return { state: "creating" };
    });
    await expect(
      waitFor({ ...base, clock, poll, acceptors: activeWaiter, minDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 10_000 }),
    ).rejects.toBeInstanceOf(WaiterTimeoutError);
    expect(poll).toHaveBeenCalledTimes(2);
  });

  it("rejects invalid options before polling", async () => {
    const poll = scripted({ state: "active" });
    const cases = [
      { minDelayMs: 5000, maxDelayMs: 1000 },
      { minDelayMs: 0 },
      { timeoutMs: 0 },
      { timeoutMs: Number.NaN },
    ];
    for (const c of cases) {
      await expect(waitFor({ ...base, poll, acceptors: activeWaiter, ...c })).rejects.toBeInstanceOf(ConfigurationError);
    }
    expect(poll).not.toHaveBeenCalled();
  });
});

describe("waiterDelay", () => {
  it("stays within [minDelayMs, minDelayMs * 2^(attempt-1)] and returns maxDelayMs beyond the ceiling", () => {
    expect(waiterDelay(1, 1000, 8000, 0.99)).toBe(1000);
    expect(waiterDelay(3, 1000, 8000, 0)).toBe(1000);
    expect(waiterDelay(3, 1000, 8000, 1)).toBe(4000);
    expect(waiterDelay(4, 1000, 8000, 1)).toBe(8000);
    expect(waiterDelay(5, 1000, 8000, 0)).toBe(8000);
    expect(waiterDelay(40, 1000, 8000, 0.3)).toBe(8000);
  });
});

describe("parseDuration", () => {
  it.each([
    ["45m", 45 * 60_000],
    ["1h30m", 90 * 60_000],
    ["90s", 90_000],
    ["2h", 7_200_000],
    ["500ms", 500],
    ["1h0m30s", 3_630_000],
    ["1m30s", 90_000],
    [" 10m ", 600_000],
    ["0s", 0],
  ])("parses %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "1d", "m5", "1.5h", "30m1h", "abc", "-5m", "5 m"])("rejects %j naming the accepted format", (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration .*e\.g\. "45m", "1h30m", "90s", "2h"/);
  });
});
