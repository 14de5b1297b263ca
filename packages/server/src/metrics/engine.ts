/**
 * The metrics engine: the one entry both front doors (dashboard API, datacube API) call. Every
 * report runs through the one pipeline (reports/report.ts) with the engine's clock; compaction runs
 * in the background while the server runs.
 */
import { addDays, todayIn } from '@miniscope/contract';
import type { Store } from '../store/store.js';
import { type CompactionResult, CompactionStopped, compactOnce } from './compaction/run.js';
import { compactionMarginMs } from './plan/freshness.js';
import { type Report, type ReportQuery, runReport } from './reports/report.js';

export interface BackgroundCompaction {
  everyMs?: number;
  onError?: (error: unknown) => void;
  /**
   * When this process last stored events (epoch ms). A run is skipped while nothing was stored since
   * the margin of the last run began, since it would find nothing to do (an idle server then costs
   * next to no CPU). The first run always goes: another process may have written before the start.
   */
  lastWriteAt?: () => number;
  /** After late events, the next run comes this soon (ms)… */
  soonMs?: number;
  /** …but background runs start at least this far apart (ms). */
  minSpacingMs?: number;
}

/** Slack for the engine's clock against this process's (a ClickHouse server may run elsewhere). */
const CLOCK_SLACK_MS = 60_000;

export class MetricsEngine {
  private compacting: Promise<CompactionResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private runInBackground: (() => void) | undefined;
  private nextRunAt = 0;
  private lastRunEndedAt = 0;
  private soon = { soonMs: 5_000, minSpacingMs: 20_000 };
  private stopRequested = false;
  /** Stats of background compaction: runs started, ended, and skipped for want of new events. */
  readonly compactionStats = { runs: 0, ended: 0, skipped: 0 };

  constructor(
    readonly store: Store,
    /** The clock "today" and "yesterday" come from (tests pin it). */
    readonly now: () => number = Date.now,
  ) {}

  /** Run a report (reports/*.ts) for a query. */
  run<Q extends ReportQuery, A>(report: Report<Q, A>, query: Q): Promise<A> {
    return runReport(this.store, report, query, this.now());
  }

  /**
   * Compact the opens that changed since the last run (compaction/run.ts). Figures are the same
   * before and after; only their cost changes. Concurrent calls share one run.
   */
  compact(): Promise<CompactionResult> {
    if (!this.compacting) {
      this.compacting = compactOnce(this.store, () => this.stopRequested).finally(() => {
        this.compacting = undefined;
      });
    }
    return this.compacting;
  }

  /** Compact now and then every `everyMs` in the background; `stopCompaction()` ends it. */
  startCompaction(options: BackgroundCompaction = {}): void {
    const { everyMs = 60_000, onError = () => {}, lastWriteAt, soonMs = 5_000, minSpacingMs = 20_000 } = options;
    this.soon = { soonMs, minSpacingMs };
    if (this.timer) clearTimeout(this.timer);
    this.stopRequested = false;
    let lastRunAt: number | undefined;
    const run = () => {
      const idle =
        lastRunAt !== undefined &&
        lastWriteAt &&
        lastWriteAt() < lastRunAt - compactionMarginMs(this.store) - CLOCK_SLACK_MS;
      const started = Date.now();
      const work = idle
        ? Promise.resolve()
        : this.compact().then(() => {
            lastRunAt = started;
          });
      if (idle) this.compactionStats.skipped++;
      else this.compactionStats.runs++;
      work
        .catch((error) => {
          if (!(error instanceof CompactionStopped)) onError(error);
        })
        .finally(() => {
          if (!idle) this.compactionStats.ended++;
          this.lastRunEndedAt = Date.now();
          if (this.timer) this.schedule(everyMs);
        });
    };
    this.runInBackground = run;
    this.schedule(0);
  }

  /**
   * Late events arrived (for days before today): a burst of them (phones resending their queues
   * after an outage) makes every report over those days read live until a run has compacted them,
   * so the next run comes within seconds instead of at its usual time (BackgroundCompaction.soonMs,
   * minSpacingMs).
   */
  compactSoon(): void {
    if (!this.timer || !this.runInBackground) return;
    const at = Math.max(Date.now() + this.soon.soonMs, this.lastRunEndedAt + this.soon.minSpacingMs);
    if (at < this.nextRunAt) this.schedule(at - Date.now());
  }

  /** Events stored; `oldestAt` their earliest time (epoch ms). */
  eventsStored(oldestAt: number): void {
    if (todayIn(this.store.timeZone, oldestAt) < this.today()) this.compactSoon();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = Date.now() + delayMs;
    this.timer = setTimeout(() => this.runInBackground?.(), delayMs).unref();
  }

  /**
   * Stop background compaction; a run in progress stops after its current statement
   * (compaction/run.ts), so this resolves promptly.
   */
  async stopCompaction(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.runInBackground = undefined;
    this.stopRequested = true;
    await this.compacting?.catch(() => {});
    this.stopRequested = false;
  }

  /** The deployment's time zone: days, weeks and months are its calendar periods. */
  get timeZone(): string {
    return this.store.timeZone;
  }

  /** Today in the deployment's calendar, 'YYYY-MM-DD'. */
  today(): string {
    return todayIn(this.store.timeZone, this.now());
  }

  yesterday(): string {
    return addDays(this.today(), -1);
  }
}
