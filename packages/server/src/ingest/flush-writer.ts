/**
 * Writes one group-commit flush so that every batch in it is stored once or refused, never stored
 * twice, and one sender's bad batch never fails the others':
 *
 * - The insert carries a deduplication token. If it fails, the store is asked whether any of the
 *   flush's batches reached `events`.
 * - Nothing written, and the engine refused the data (a parse or type error): the flush is split in
 *   halves, each written the same way, until the batch the engine refuses is alone; only it is
 *   refused (BatchRefusedError, for good). Nothing written for another reason: every batch is
 *   answered "retry" (StoreWriteError); nothing is stored, so a copy sent again is new.
 * - Something written (the insert died part-way: a full disk on a later part, a view's table
 *   refusing): the same insert is sent again with the same token, so the engine writes only the
 *   missing blocks, in `events` and in every table fed by its views. If it still fails, the flush
 *   is "unsettled": its senders are answered "retry" (UnsettledError, which carries the promise of
 *   the settlement), it is written to the journal, and retried in the background until it is in.
 *   The ledger answers copies of its batches from that promise, so none is stored twice.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { UnsettledFlush, UnsettledJournal } from './unsettled-journal.js';

export interface BatchKey {
  app: string;
  batch: string;
}

/** One batch waiting in a flush: its `events_in` line and the promise its request waits on. */
export interface QueuedBatch {
  line: string;
  rows: number;
  key: BatchKey;
  /** The batch's arrival time as stored (`received_at`; bounds the lookup of what a failed insert wrote). */
  receivedAt: number;
  /** When it was queued, on this process's clock (how long it has waited). */
  queuedAt: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The engine refuses this batch's data; sending it again cannot help (HTTP 400). */
export class BatchRefusedError extends Error {
  override name = 'BatchRefusedError';
}

/** The store did not take the flush and holds none of it: the sender retries (HTTP 503). */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
}

/** The flush may be partly stored and is being completed in the background (HTTP 503). */
export class UnsettledError extends Error {
  override name = 'UnsettledError';
  constructor(
    message: string,
    readonly settled: Promise<void>,
  ) {
    super(message);
  }
}

/**
 * Engine error types that mean "this data cannot be stored": parse and type errors of the input.
 * Anything else (disk, memory, too many parts, a connection) is the store's state, not the data's.
 */
const DATA_ERROR =
  /^(CANNOT_PARSE|CANNOT_READ|INCORRECT_DATA|INCORRECT_NUMBER_OF_COLUMNS|TYPE_MISMATCH|CANNOT_INSERT_NULL|VALUE_IS_OUT_OF_RANGE|ARGUMENT_OUT_OF_BOUND|CANNOT_CONVERT_TYPE|TOO_LARGE_STRING_SIZE|UNICODE|ILLEGAL_)/;

export const isDataError = (error: unknown): boolean =>
  typeof (error as { type?: unknown })?.type === 'string' && DATA_ERROR.test((error as { type: string }).type);

export interface FlushWriterOptions {
  /** Delays of the immediate retries of a partly written insert. */
  retryDelaysMs?: number[];
  /** How often unsettled flushes are tried again. */
  settleEveryMs?: number;
  journal?: UnsettledJournal;
  log?: (message: string, error?: unknown) => void;
}

interface Unsettled extends UnsettledFlush {
  settled: Promise<void>;
  done: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FlushWriter {
  private readonly tokenPrefix = `f${randomBytes(6).toString('hex')}`;
  private seq = 0;
  private readonly unsettled = new Map<string, Unsettled>();
  private timer: NodeJS.Timeout | undefined;
  private settling = false;
  readonly stats = { splits: 0, refusedBatches: 0, retriedInserts: 0, unsettledFlushes: 0 };

  constructor(
    private readonly store: Store,
    private readonly options: FlushWriterOptions = {},
  ) {}

  /** Rows of flushes not yet settled (counted against the queue's bounds). */
  get unsettledRows(): number {
    let rows = 0;
    for (const u of this.unsettled.values()) rows += u.rows;
    return rows;
  }

  /** Write the batches; settles each batch's promise, never throws. */
  async write(batches: QueuedBatch[]): Promise<void> {
    const token = this.newToken();
    const text = batches.map((b) => b.line).join('');
    try {
      await this.insert(text, token);
      for (const b of batches) b.resolve();
      return;
    } catch (error) {
      await this.afterFailure(batches, text, token, error);
    }
  }

  /**
   * Flushes left unsettled by an earlier process (the journal), retried in the background from now
   * on; returns them so the ledger can answer copies of their batches.
   */
  recover(): Array<{ keys: BatchKey[]; settled: Promise<void> }> {
    const loaded = this.options.journal?.load() ?? [];
    for (const flush of loaded) this.keepSettling(flush);
    return [...this.unsettled.values()].map((u) => ({ keys: u.keys, settled: u.settled }));
  }

  /** Stop retrying in the background (shutdown); unsettled flushes stay in the journal. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private newToken(): string {
    return `${this.tokenPrefix}-${++this.seq}`;
  }

  private insert(text: string, token: string): Promise<void> {
    return this.store.insertRaw('events_in', 'JSONCompactEachRow', text, { dedupToken: token });
  }

  private async afterFailure(batches: QueuedBatch[], text: string, token: string, error: unknown): Promise<void> {
    const written = await this.rowsWritten(batches).catch(() => undefined);
    if (written === 0) return this.afterNothingWritten(batches, error);
    // Partly (or wholly) written: only the same insert with the same token completes it exactly.
    let lastError = error;
    for (const delay of this.options.retryDelaysMs ?? [100, 400, 1600]) {
      await sleep(delay);
      this.stats.retriedInserts++;
      try {
        await this.insert(text, token);
        for (const b of batches) b.resolve();
        return;
      } catch (retryError) {
        lastError = retryError;
      }
    }
    this.leaveUnsettled(batches, text, token, lastError);
  }

  /** Nothing of the flush was written: isolate a batch the engine refuses, or ask everyone to retry. */
  private async afterNothingWritten(batches: QueuedBatch[], error: unknown): Promise<void> {
    if (!isDataError(error)) {
      this.options.log?.('the event store did not take a flush', error);
      for (const b of batches) b.reject(new StoreWriteError('the event store did not take the batch'));
    } else if (batches.length > 1) {
      this.stats.splits++;
      const half = Math.ceil(batches.length / 2);
      await Promise.all([this.write(batches.slice(0, half)), this.write(batches.slice(half))]);
    } else {
      this.stats.refusedBatches++;
      const reason = (error as Error).message.split('\n')[0]!.slice(0, 300);
      batches[0]!.reject(new BatchRefusedError(`the event store refused this batch: ${reason}`));
    }
  }

  /** Journal the flush, keep retrying it in the background, and answer its senders "retry". */
  private leaveUnsettled(batches: QueuedBatch[], text: string, token: string, error: unknown): void {
    this.options.log?.('a flush is unsettled; it is retried in the background', error);
    const flush: UnsettledFlush = { token, text, rows: sumRows(batches), keys: batches.map((b) => b.key) };
    try {
      this.options.journal?.save(flush);
    } catch (journalError) {
      this.options.log?.('the unsettled flush could not be journaled (it is kept in memory)', journalError);
    }
    const u = this.keepSettling(flush);
    for (const b of batches)
      b.reject(new UnsettledError('an earlier write of this batch is being completed', u.settled));
  }

  /** Rows of these batches found in `events`, among those that arrived around them. */
  private async rowsWritten(batches: QueuedBatch[]): Promise<number> {
    const times = batches.map((b) => b.receivedAt);
    const [row] = await this.store.lookup<{ n: string }>(
      `SELECT count() AS n FROM events
       WHERE received_at >= fromUnixTimestamp64Milli({lo:Int64}) AND received_at <= fromUnixTimestamp64Milli({hi:Int64})
         AND app_id IN {apps:Array(String)} AND batch_id IN {batches:Array(String)}`,
      {
        lo: Math.min(...times),
        hi: Math.max(...times),
        apps: [...new Set(batches.map((b) => b.key.app))],
        batches: batches.map((b) => b.key.batch),
      },
    );
    return Number(row?.n ?? 0);
  }

  private keepSettling(flush: UnsettledFlush): Unsettled {
    let done!: () => void;
    const settled = new Promise<void>((resolve) => {
      done = resolve;
    });
    const u: Unsettled = { ...flush, settled, done };
    this.unsettled.set(flush.token, u);
    this.stats.unsettledFlushes++;
    this.timer ??= setInterval(() => void this.settleNow(), this.options.settleEveryMs ?? 5000).unref();
    return u;
  }

  /** One pass over the unsettled flushes, each sent again as it was first sent (also on a timer). */
  async settleNow(): Promise<void> {
    if (this.settling) return;
    this.settling = true;
    try {
      for (const u of [...this.unsettled.values()]) {
        try {
          await this.insert(u.text, u.token);
        } catch (error) {
          this.options.log?.('an unsettled flush failed again', error);
          continue;
        }
        this.unsettled.delete(u.token);
        this.options.journal?.remove(u.token);
        u.done();
      }
      if (this.unsettled.size === 0) this.stop();
    } finally {
      this.settling = false;
    }
  }
}

const sumRows = (batches: QueuedBatch[]) => batches.reduce((n, b) => n + b.rows, 0);
