/**
 * Tests' shorthand for running one report through the pipeline (metrics/reports/report.ts), each
 * with the answer its figure tests compare: page rows without the rates (tested through the API),
 * scenes without names, retention values without rates.
 */

import type { RangeQuery } from '../src/metrics/plan/query.js';
import { type DistributionQuery, distributionReport } from '../src/metrics/reports/distribution.js';
import { type PagesQuery, type PageTrendQuery, pagesReport, pageTrendReport } from '../src/metrics/reports/pages.js';
import { portraitReport } from '../src/metrics/reports/portrait.js';
import { type RealtimeQuery, realtimeReport } from '../src/metrics/reports/realtime.js';
import { runReport } from '../src/metrics/reports/report.js';
import { type RetentionQuery, retentionReport } from '../src/metrics/reports/retention.js';
import { type ScenesQuery, scenesReport } from '../src/metrics/reports/scenes.js';
import { type TrendQuery, trendReport } from '../src/metrics/reports/trend.js';
import type { Store } from '../src/store/store.js';

export const runTrend = (store: Store, q: TrendQuery) => runReport(store, trendReport, q);
export const runDistribution = (store: Store, q: DistributionQuery) => runReport(store, distributionReport, q);
export const runPortrait = (store: Store, q: RangeQuery) => runReport(store, portraitReport, q);
export const runRealtime = (store: Store, q: RealtimeQuery) => runReport(store, realtimeReport, q);
export const runPageTrend = (store: Store, q: PageTrendQuery) => runReport(store, pageTrendReport, q);

export async function runScenes(store: Store, q: ScenesQuery) {
  return (await runReport(store, scenesReport, q)).map(({ name: _, ...row }) => row);
}

/** The pages and the range's total views; pages with their figures only. */
export async function runPagesWithTotal(store: Store, q: PagesQuery) {
  const { pages, totalViews } = await runReport(store, pagesReport, q);
  return { pages: pages.map(({ exit_rate: _e, visit_share: _s, ...page }) => page), totalViews };
}

export const runPages = async (store: Store, q: PagesQuery) => (await runPagesWithTotal(store, q)).pages;

/** Retention as of `now` (epoch ms; default now), values without their rates. */
export async function runRetention(store: Store, q: RetentionQuery & { now?: number }) {
  const rows = await runReport(store, retentionReport, q, q.now);
  const values = (vs: Array<{ key: number; value: number }>) => vs.map(({ key, value }) => ({ key, value }));
  return rows.map((r) => ({ ...r, visit_uv_new: values(r.visit_uv_new), visit_uv: values(r.visit_uv) }));
}
