/**
 * Fake time for the fake runtime: replaces the global setTimeout/clearTimeout and Date.now. Unlike
 * node:test's mock timers (Node 20), each timer runs with the clock at its own due time, which the
 * SDK needs for exact timestamps.
 */
interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock {
  now: number;
  private timers: Timer[] = [];
  private seq = 0;
  private readonly real = { setTimeout, clearTimeout, now: Date.now };

  constructor(start: number) {
    this.now = start;
    const fake = globalThis as unknown as Record<string, unknown>;
    fake.setTimeout = (fn: () => void, ms = 0) => {
      const timer = { at: this.now + Math.max(0, ms), seq: ++this.seq, fn };
      this.timers.push(timer);
      return timer.seq;
    };
    fake.clearTimeout = (seq: number) => {
      this.timers = this.timers.filter((t) => t.seq !== seq);
    };
    Date.now = () => this.now;
  }

  /** Moves time forward by `ms`, running each due timer at its own time, in order. */
  tick(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }

  /** Drops every pending timer (the process died). */
  clear(): void {
    this.timers = [];
  }

  pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due; undefined when none waits. */
  next(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }

  uninstall(): void {
    const fake = globalThis as unknown as Record<string, unknown>;
    fake.setTimeout = this.real.setTimeout;
    fake.clearTimeout = this.real.clearTimeout;
    Date.now = this.real.now;
  }
}
