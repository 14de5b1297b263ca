/**
 * Group commit. Requests hand their batches (one `events_in` line each, rows.ts) to the collector and wait; the collector writes rows from
 * many requests in one insert (each insert costs ~5 ms whatever its size) and resolves every waiter
 * when the insert holding its rows has succeeded. So a 200 always means stored, and a crash loses
 * only unacknowledged rows. A flush starts when `flushRows` are waiting or `flushMs` after the first
 * waiting row, with at most `maxInFlight` inserts at once; past `maxPendingRows` new work is refused
 * (the caller answers 503 with Retry-After) instead of growing without bound.
 */
import type { Store } from '../store/store.js';

export interface CollectorOptions {
  flushRows: number;
  flushMs: number;
  maxPendingRows: number;
  maxInFlight?: number;
}

export class CollectorFullError extends Error {
  override name = 'CollectorFullError';
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class Collector {
  private lines: string[] = [];
  private rowCount = 0;
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private inFlightRows = 0;
  private readonly idle: Array<() => void> = [];
  readonly stats = { flushes: 0, rowsStored: 0, flushErrors: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: CollectorOptions,
  ) {}

  /** Rows waiting or being written. */
  get pendingRows(): number {
    return this.rowCount + this.inFlightRows;
  }

  /** Queue a batch line holding `count` events; resolves once they are stored, rejects if the insert failed. */
  add(line: string, count: number): Promise<void> {
    if (this.pendingRows + count > this.options.maxPendingRows) {
      return Promise.reject(new CollectorFullError('the ingest queue is full'));
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.lines.push(line);
    this.rowCount += count;
    this.schedule();
    return done;
  }

  /** Start an insert of what is waiting now, without waiting for the size or time threshold. */
  flushNow(): void {
    if (this.inFlight < this.maxInFlight) this.flush();
  }

  /** Write everything queued and wait for all inserts to finish (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.rowCount > 0 || this.inFlight > 0) {
      if (this.rowCount > 0 && this.inFlight < this.maxInFlight) this.flush();
      else await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 2;
  }

  private schedule(): void {
    if (this.rowCount >= this.options.flushRows || this.options.flushMs === 0) {
      if (this.inFlight < this.maxInFlight) this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.inFlight < this.maxInFlight) this.flush();
    }, this.options.flushMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rowCount === 0) return;
    const text = this.lines.join('');
    const rows = this.rowCount;
    const waiters = this.waiters;
    this.lines = [];
    this.rowCount = 0;
    this.waiters = [];
    this.inFlight++;
    this.inFlightRows += rows;
    this.store
      .insertRaw('events_in', 'JSONCompactEachRow', text)
      .then(
        () => {
          this.stats.flushes++;
          this.stats.rowsStored += rows;
          for (const w of waiters) w.resolve();
        },
        (error: Error) => {
          this.stats.flushErrors++;
          for (const w of waiters) w.reject(error);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.inFlightRows -= rows;
        // Rows that arrived while the insert ran go out now if enough waited, or on their timer.
        if (this.rowCount > 0) {
          if (this.rowCount >= this.options.flushRows || !this.timer) this.flush();
        }
        for (const wake of this.idle.splice(0)) wake();
      });
  }
}
