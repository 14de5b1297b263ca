/**
 * Batch idempotence: (app, batch) identifies a batch, and a batch sent again is acknowledged but not
 * stored again. Recent batches live in memory (a day, rebuilt from the store's `batch_id` column at
 * start, so a retry after a crash is still recognised). A batch that may have been stored before
 * the memory's reach is looked up in the store; its events' days bound that lookup by the primary key.
 */
import type { Store } from '../store/store.js';
import { MAX_FUTURE_MS } from './validate.js';

export const LEDGER_WINDOW_MS = 24 * 60 * 60 * 1000;

const keyOf = (app: string, batch: string) => `${app}\u0000${batch}`;

export class BatchLedger {
  /** key → time it was stored; Map keeps insertion order, so the oldest are first. */
  private readonly stored = new Map<string, number>();
  /** key → the flush that is storing it now. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /**
   * Entries stored before this time may have been evicted. NOTE: the highest cutoff ever applied,
   * not the current request's: arrival times passed in (the demo, replays) need not be monotonic,
   * and a batch evicted by a later clock must still be found when retried under an earlier one.
   */
  private evictedBefore = Number.NEGATIVE_INFINITY;

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

  /** A flush in progress for this batch, if any. */
  pending(app: string, batch: string): Promise<unknown> | undefined {
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
    const rows = await this.store.query<{ n: string }>(
      `SELECT count() AS n FROM events WHERE app_id = {app:String}
         AND toDate(ts) >= toDate(fromUnixTimestamp64Milli({from:Int64}, {tz:String}))
         AND batch_id = {batch:String} LIMIT 1`,
      { app, batch, from: oldestAt - LEDGER_WINDOW_MS, tz: this.store.timeZone },
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** Track a flush in progress; on success the batch is remembered as stored. */
  track(app: string, batch: string, flush: Promise<unknown>, now = Date.now()): void {
    const key = keyOf(app, batch);
    this.inFlight.set(key, flush);
    flush.then(
      () => {
        this.inFlight.delete(key);
        this.stored.set(key, now);
      },
      () => this.inFlight.delete(key),
    );
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
