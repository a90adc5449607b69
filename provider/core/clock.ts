/**
 * Time and randomness as an injectable dependency, so that retry backoff and waiters can be tested
 * without real waiting (tests pass a fake clock; production uses {@link systemClock}).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), used for jitter and nonces. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  random: () => Math.random(),
};

/**
 * A clock whose time only moves when something sleeps on it. Sleeping advances time instantly, so a
 * waiter that would poll for an hour finishes in microseconds while still observing the elapsed time.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(
    private time = Date.UTC(2026, 0, 1),
    private readonly rng: () => number = () => 0.5,
  ) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
  }
  random(): number {
    return this.rng();
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
