/**
 * Group commit. Requests hand their batches (one `events_in` line each, rows.ts) to the collector and
 * wait; the collector writes the lines of many requests in one insert (each insert costs ~5 ms
 * whatever its size) and settles every waiter with the outcome of its own batch (flush-writer.ts):
 * a 200 always means stored, and one batch the engine refuses fails only its own request. A flush
 * starts when `flushRows` are waiting or `flushMs` after the first waiting row, with at most
 * `maxInFlight` inserts at once.
 *
 * Admission: a batch is refused at once (the caller answers 503 with Retry-After) when it would
 * wait too long, i.e. when the oldest batch not yet answered has waited half of `maxWaitMs`, or when the
 * rows queued, being written and unsettled would pass `maxPendingRows`; and a queued batch whose
 * insert has not started within `maxWaitMs` is taken out of the queue and refused the same way
 * (nothing of it was written). So answers stay prompt and memory bounded under any load, and
 * senders come back later instead of piling up.
 */
import type { Store } from '../store/store.js';
import { type BatchKey, FlushWriter, type FlushWriterOptions, type QueuedBatch } from './flush-writer.js';
import { LoopDelay } from './loop-delay.js';

export interface CollectorOptions {
  flushRows: number;
  flushMs: number;
  maxPendingRows: number;
  /** Refuse new batches while the oldest unanswered one has waited this long (0 = no bound). */
  maxWaitMs?: number;
  maxInFlight?: number;
}

export class CollectorFullError extends Error {
  override name = 'CollectorFullError';
}

export class Collector {
  private queue: QueuedBatch[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  /** The flushes being written: their rows and the arrival of their oldest batch. */
  private readonly writing = new Set<{ rows: number; oldest: number }>();
  private readonly idle: Array<() => void> = [];
  readonly writer: FlushWriter;
  /** How late the event loop runs: requests wait that long before any of this code sees them. */
  private readonly loop = new LoopDelay();
  readonly stats = { flushes: 0, rowsStored: 0, flushErrors: 0, refusedFull: 0, refusedSlow: 0, expired: 0 };
  /** When the last insert that stored rows completed (epoch ms; 0 = none yet). */
  lastStoredAt = 0;

  constructor(
    store: Store,
    private readonly options: CollectorOptions,
    writerOptions: FlushWriterOptions = {},
  ) {
    this.writer = new FlushWriter(store, writerOptions);
  }

  /** Rows waiting or being written. */
  get pendingRows(): number {
    let rows = this.queuedRows;
    for (const w of this.writing) rows += w.rows;
    return rows;
  }

  /** How long the oldest batch not yet answered has waited, in ms. */
  oldestWaitMs(now = Date.now()): number {
    let oldest = this.queue[0]?.queuedAt ?? now;
    for (const w of this.writing) oldest = Math.min(oldest, w.oldest);
    return Math.max(0, now - oldest);
  }

  /**
   * Queue a batch line holding `rows` events; resolves once they are stored, rejects with the reason
   * its batch was not (flush-writer.ts), or at once with CollectorFullError.
   */
  add(line: string, rows: number, key: BatchKey, receivedAt = Date.now()): Promise<void> {
    const refusal = this.refusal(rows);
    if (refusal) return Promise.reject(refusal);
    const maxWait = this.options.maxWaitMs ?? 0;
    const done = new Promise<void>((resolve, reject) => {
      this.queue.push({ line, rows, key, receivedAt, queuedAt: Date.now(), resolve, reject });
    });
    this.queuedRows += rows;
    this.schedule();
    if (maxWait > 0) this.sweeper ??= setInterval(() => this.expire(maxWait), Math.min(250, maxWait));
    return done;
  }

  /**
   * Why a batch of `rows` events would be refused now, if it would: also asked before a request's
   * body is parsed, so that an overloaded server spends nothing on batches it cannot take.
   */
  refusal(rows = 0): CollectorFullError | undefined {
    if (this.pendingRows + this.writer.unsettledRows + rows > this.options.maxPendingRows) {
      this.stats.refusedFull++;
      return new CollectorFullError('the ingest queue is full');
    }
    const maxWait = this.options.maxWaitMs ?? 0;
    if (maxWait > 0 && Math.max(this.oldestWaitMs(), this.loop.recentDelayMs) > maxWait / 2) {
      this.stats.refusedSlow++;
      return new CollectorFullError('the ingest queue is too slow to take more now');
    }
    return undefined;
  }

  /** Stop the timers (shutdown). */
  stop(): void {
    this.loop.stop();
    this.writer.stop();
  }

  /** Refuse the queued batches whose insert has not started within `maxWait` ms of their arrival. */
  private expire(maxWait: number): void {
    const cutoff = Date.now() - maxWait;
    if (this.queue.length === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      return;
    }
    if (this.queue[0]!.queuedAt > cutoff) return;
    const kept: QueuedBatch[] = [];
    for (const b of this.queue) {
      if (b.queuedAt > cutoff) {
        kept.push(b);
        continue;
      }
      this.queuedRows -= b.rows;
      this.stats.expired++;
      b.reject(new CollectorFullError('the batch waited too long in the ingest queue'));
    }
    this.queue = kept;
    for (const wake of this.idle.splice(0)) wake();
  }

  /** Start an insert of what is waiting now, without waiting for the size or time threshold. */
  flushNow(): void {
    if (this.writing.size < this.maxInFlight) this.flush();
  }

  /** Write everything queued and wait for all inserts to finish (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing.size > 0) {
      if (this.queue.length > 0 && this.writing.size < this.maxInFlight) this.flush();
      else await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 2;
  }

  private schedule(): void {
    if (this.queuedRows >= this.options.flushRows || this.options.flushMs === 0) {
      if (this.writing.size < this.maxInFlight) this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.writing.size < this.maxInFlight) this.flush();
    }, this.options.flushMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batches = this.queue;
    const flight = { rows: this.queuedRows, oldest: batches[0]!.queuedAt };
    this.queue = [];
    this.queuedRows = 0;
    this.writing.add(flight);
    let stored = 0;
    let failed = false;
    const counted = batches.map((b) => ({
      ...b,
      resolve: () => {
        stored += b.rows;
        b.resolve();
      },
      reject: (error: Error) => {
        failed = true;
        b.reject(error);
      },
    }));
    void this.writer.write(counted).finally(() => {
      this.writing.delete(flight);
      this.stats.flushes++;
      this.stats.rowsStored += stored;
      if (failed) this.stats.flushErrors++;
      if (stored > 0) this.lastStoredAt = Date.now();
      // Rows that arrived while the insert ran go out now if enough waited, or on their timer.
      if (this.queuedRows > 0 && (this.queuedRows >= this.options.flushRows || !this.timer)) this.flush();
      for (const wake of this.idle.splice(0)) wake();
    });
  }
}
