/**
 * The metrics engine: the one entry both front doors (dashboard API, datacube API) call. Every
 * report runs through the one pipeline (reports/report.ts) with the engine's clock; compaction runs
 * in the background while the server runs.
 */
import { addDays, todayIn } from '@miniscope/contract';
import type { Store } from '../store/store.js';
import { type CompactionResult, CompactionStopped, compactOnce } from './compaction/run.js';
import { COMPACTION_MARGIN_MS } from './plan/freshness.js';
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
}

/** Slack for the engine's clock against this process's (a ClickHouse server may run elsewhere). */
const CLOCK_SLACK_MS = 60_000;

export class MetricsEngine {
  private compacting: Promise<CompactionResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopRequested = false;
  /** Stats of background compaction: runs done and runs skipped for want of new events. */
  readonly compactionStats = { runs: 0, skipped: 0 };

  constructor(
    private readonly store: Store,
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
    const { everyMs = 60_000, onError = () => {}, lastWriteAt } = options;
    if (this.timer) clearTimeout(this.timer);
    this.stopRequested = false;
    let lastRunAt: number | undefined;
    const run = () => {
      const idle =
        lastRunAt !== undefined && lastWriteAt && lastWriteAt() < lastRunAt - COMPACTION_MARGIN_MS - CLOCK_SLACK_MS;
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
          if (this.timer) this.timer = setTimeout(run, everyMs).unref();
        });
    };
    this.timer = setTimeout(run, 0).unref();
  }

  /**
   * Stop background compaction; a run in progress stops after its current statement
   * (compaction/run.ts), so this resolves promptly.
   */
  async stopCompaction(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
