/**
 * The metrics engine: the one entry both front doors (dashboard API, datacube API) call. Each
 * report kind is validated, planned, turned into SQL with bound parameters, run on the store's
 * read client and shaped; handlers hold no SQL.
 */
import type { Store } from '../store/store.js';
import { type CompactionResult, compactOnce } from './compaction.js';
import { addDays, todayIn } from './dates.js';
import { type DistributionQuery, type DistributionRow, runDistribution } from './distribution.js';
import { type PageDay, type PageRow, type PagesQuery, runPages, runPagesWithTotal, runPageTrend } from './pages.js';
import { type Portrait, runPortrait } from './portrait.js';
import type { RangeQuery } from './query.js';
import { type RealtimeQuery, type RealtimeSeries, runRealtime } from './realtime.js';
import { type RetentionQuery, type RetentionRow, runRetention } from './retention.js';
import { runScenes, type SceneRow, type ScenesQuery } from './scenes.js';
import { runTrend, type TrendQuery, type TrendRow } from './trend.js';

export class MetricsEngine {
  private compacting: Promise<CompactionResult> | undefined;
  private timer: NodeJS.Timeout | undefined;

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
      this.compacting = compactOnce(this.store).finally(() => {
        this.compacting = undefined;
      });
    }
    return this.compacting;
  }

  /** Compact now and then every `everyMs` in the background; `stopCompaction()` ends it. */
  startCompaction(everyMs = 60_000, onError: (error: unknown) => void = () => {}): void {
    this.stopCompaction();
    const run = () => {
      this.compact()
        .catch(onError)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(run, everyMs).unref();
        });
    };
    this.timer = setTimeout(run, 0).unref();
  }

  /** Stop background compaction; resolves when a run in progress has ended. */
  async stopCompaction(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.compacting?.catch(() => {});
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
