/**
 * Batch idempotence: (app, batch) identifies a batch, and a batch sent again is acknowledged but not
 * stored again. Recent batches live in memory (a day, rebuilt from the store's `batch_id` column at
 * start, so a retry after a crash is still recognised). A batch that may have been stored before
 * the memory's reach is looked up in the store (on the probe client, so it does not wait for
 * reports); its events' days bound that lookup by the primary key, and the lookups of the batches
 * arriving together (phones resending their queues after an outage) go in one statement per app.
 * A batch being written is
 * pending: a copy waits for it. A batch whose write is unsettled (flush-writer.ts) stays pending
 * until the background write has completed it, so a copy is never stored a second time.
 */
import type { Store } from '../store/store.js';
import { UnsettledError } from './flush-writer.js';
import { MAX_FUTURE_MS } from './validate.js';

export const LEDGER_WINDOW_MS = 24 * 60 * 60 * 1000;

interface LookupWaiter {
  resolve: (found: boolean) => void;
  reject: (error: Error) => void;
}

export interface PendingWrite {
  done: Promise<unknown>;
  /** The first write failed part-way and is being completed in the background (may take long). */
  settling: boolean;
}

const keyOf = (app: string, batch: string) => `${app}\u0000${batch}`;

export class BatchLedger {
  /** key → time it was stored; Map keeps insertion order, so the oldest are first. */
  private readonly stored = new Map<string, number>();
  /** key → the write that is storing it now. */
  private readonly inFlight = new Map<string, PendingWrite>();
  /**
   * Entries stored before this time may have been evicted. NOTE: the highest cutoff ever applied,
   * not the current request's: arrival times passed in (the demo, replays) need not be monotonic,
   * and a batch evicted by a later clock must still be found when retried under an earlier one.
   */
  private evictedBefore = Number.NEGATIVE_INFINITY;
  /** Store lookups waiting to run: app → the earliest day bound and each batch's waiters. */
  private readonly lookups = new Map<string, { from: number; batches: Map<string, LookupWaiter[]> }>();
  private lookupsScheduled = false;

  constructor(private readonly store: Store) {}

  /** Load the batches stored during the last window. */
  async load(now = Date.now()): Promise<number> {
    const rows = await this.store.query<{ app_id: string; batch_id: string; at: string }>(
      `SELECT app_id, batch_id, toUnixTimestamp64Milli(max(received_at)) AS at FROM events
       WHERE received_at >= fromUnixTimestamp64Milli({since:Int64}) GROUP BY app_id, batch_id ORDER BY at`,
      { since: now - LEDGER_WINDOW_MS },
    );
    for (const r of rows) this.stored.set(keyOf(r.app_id, r.batch_id), Number(r.at));
    this.evictedBefore = Math.max(this.evictedBefore, now - LEDGER_WINDOW_MS);
    return rows.length;
  }

  /** A write in progress for this batch, if any. */
  pending(app: string, batch: string): PendingWrite | undefined {
    return this.inFlight.get(keyOf(app, batch));
  }

  /** Whether the batch was stored before. `oldestAt` is the earliest corrected time of its events. */
  async seen(app: string, batch: string, oldestAt: number, now = Date.now()): Promise<boolean> {
    this.evict(now);
    if (this.stored.has(keyOf(app, batch))) return true;
    // The first copy arrived no earlier than 10 minutes before its oldest event (later events are
    // refused), so a batch whose events are newer than the cutoff by that much cannot be evicted.
    if (oldestAt >= this.evictedBefore + MAX_FUTURE_MS) return false;
    // NOTE: a day of margin, in case the phone's clock moved between the copies.
    return this.lookUp(app, batch, oldestAt - LEDGER_WINDOW_MS);
  }

  /**
   * Queue a store lookup. The lookups queued in one turn of the event loop, or while an earlier group
   * ran, run together.
   */
  private lookUp(app: string, batch: string, from: number): Promise<boolean> {
    const group = this.lookups.get(app) ?? { from, batches: new Map() };
    group.from = Math.min(group.from, from);
    this.lookups.set(app, group);
    const found = new Promise<boolean>((resolve, reject) => {
      const waiters = group.batches.get(batch) ?? [];
      waiters.push({ resolve, reject });
      group.batches.set(batch, waiters);
    });
    if (!this.lookupsScheduled) {
      this.lookupsScheduled = true;
      setImmediate(() => void this.runLookups());
    }
    return found;
  }

  private async runLookups(): Promise<void> {
    const groups = [...this.lookups];
    this.lookups.clear();
    await Promise.all(
      groups.map(async ([app, { from, batches }]) => {
        try {
          const rows = await this.store.lookup<{ batch_id: string }>(
            `SELECT DISTINCT batch_id FROM events WHERE app_id = {app:String}
               AND toDate(ts) >= toDate(fromUnixTimestamp64Milli({from:Int64}, {tz:String}))
               AND batch_id IN {batches:Array(String)}`,
            { app, from, batches: [...batches.keys()], tz: this.store.timeZone },
          );
          const stored = new Set(rows.map((r) => r.batch_id));
          for (const [batch, waiters] of batches) for (const w of waiters) w.resolve(stored.has(batch));
        } catch (error) {
          for (const waiters of batches.values()) for (const w of waiters) w.reject(error as Error);
        }
      }),
    );
    // What queued meanwhile goes next, as one group.
    if (this.lookups.size > 0) setImmediate(() => void this.runLookups());
    else this.lookupsScheduled = false;
  }

  /** Track a write in progress; on success the batch is remembered as stored. */
  track(app: string, batch: string, write: Promise<unknown>, now = Date.now()): void {
    const key = keyOf(app, batch);
    this.inFlight.set(key, { done: write, settling: false });
    write.then(
      () => {
        this.inFlight.delete(key);
        this.stored.set(key, now);
      },
      (error) => {
        if (error instanceof UnsettledError) this.settling(app, batch, error.settled);
        else this.inFlight.delete(key);
      },
    );
  }

  /** A batch whose write is being completed in the background: pending until `settled`. */
  settling(app: string, batch: string, settled: Promise<void>): void {
    const key = keyOf(app, batch);
    this.inFlight.set(key, { done: settled, settling: true });
    void settled.then(() => {
      this.inFlight.delete(key);
      this.stored.set(key, Date.now());
    });
  }

  /** Remember a batch that had nothing to store (every event rejected). */
  remember(app: string, batch: string, now = Date.now()): void {
    this.stored.set(keyOf(app, batch), now);
  }

  get size(): number {
    return this.stored.size;
  }

  private evict(now: number): void {
    const cutoff = now - LEDGER_WINDOW_MS;
    if (cutoff <= this.evictedBefore) return;
    this.evictedBefore = cutoff;
    for (const [key, at] of this.stored) {
      if (at >= cutoff) break;
      this.stored.delete(key);
    }
  }
}
