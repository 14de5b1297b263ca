/**
 * The metrics engine: the one entry both front doors (dashboard API, datacube API) call. Each
 * report kind is validated, planned, turned into SQL with bound parameters, run on the store's
 * read client and shaped; handlers hold no SQL.
 */
import type { Store } from '../store/store.js';
import { COMPACTION_MARGIN_MS } from './compacted-days.js';
import { type CompactionResult, CompactionStopped, compactOnce } from './compaction.js';
import { addDays, todayIn } from './dates.js';
import { type DistributionQuery, type DistributionRow, runDistribution } from './distribution.js';
import { type PageDay, type PageRow, type PagesQuery, runPages, runPagesWithTotal, runPageTrend } from './pages.js';
import { type Portrait, runPortrait } from './portrait.js';
import type { RangeQuery } from './query.js';
import { type RealtimeQuery, type RealtimeSeries, runRealtime } from './realtime.js';
import { type RetentionQuery, type RetentionRow, runRetention } from './retention.js';
import { runScenes, type SceneRow, type ScenesQuery } from './scenes.js';
import { runTrend, type TrendQuery, type TrendRow } from './trend.js';

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

  /**
   * Compact the opens that changed since the last run (compaction.ts). Figures are the same before
   * and after; only their cost changes. Concurrent calls share one run.
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
    this.timer && clearTimeout(this.timer);
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
   * Stop background compaction; a run in progress stops after its current statement (compaction.ts),
   * so this resolves promptly.
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

  trend(q: TrendQuery): Promise<TrendRow[]> {
    return runTrend(this.store, q);
  }

  distribution(q: DistributionQuery): Promise<DistributionRow[]> {
    return runDistribution(this.store, q);
  }

  retention(q: RetentionQuery): Promise<RetentionRow[]> {
    return runRetention(this.store, { ...q, now: q.now ?? this.now() });
  }

  scenes(q: ScenesQuery): Promise<SceneRow[]> {
    return runScenes(this.store, q);
  }

  pages(q: PagesQuery): Promise<PageRow[]> {
    return runPages(this.store, q);
  }

  pagesWithTotal(q: PagesQuery): Promise<{ pages: PageRow[]; totalViews: number }> {
    return runPagesWithTotal(this.store, q);
  }

  pageTrend(q: PagesQuery & { path: string }): Promise<PageDay[]> {
    return runPageTrend(this.store, q);
  }

  portrait(q: RangeQuery): Promise<Portrait> {
    return runPortrait(this.store, q);
  }

  realtime(q: RealtimeQuery): Promise<RealtimeSeries[]> {
    return runRealtime(this.store, q);
  }
}
