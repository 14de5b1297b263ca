/**
 * A generated history for the exactness tests of compaction (opens crossing midnight, opens without
 * their open event, opens with no page view, opens split over several inserts), and the reports
 * they compare between sources: every report must read the same from raw events, the open rollup
 * and compacted opens.
 */
import assert from 'node:assert/strict';
import { addDays, EXIT_NODE, METRIC_IDS, OTHER_NODE, type PathQuery } from '@miniscope/contract';
import { parsePathQuery } from '../src/metrics/custom/paths.js';
import { pathsReport } from '../src/metrics/custom/paths-report.js';
import { readFreshness } from '../src/metrics/plan/freshness.js';
import type { OpensSource } from '../src/metrics/plan/query.js';
import { runReport } from '../src/metrics/reports/report.js';
import { MIGRATIONS, prepareStore } from '../src/schema/index.js';
import { migrate } from '../src/store/migrations.js';
import { Store } from '../src/store/store.js';
import { sh } from './metrics-fixture.js';
import {
  runDistribution,
  runPages,
  runPagesWithTotal,
  runPageTrend,
  runPortrait,
  runRetention,
  runScenes,
  runTrend,
} from './run-report.js';

export const APP = 'wx00000000000000e7';
let store: Store;

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Row = Record<string, string | number | Record<string, string>>;

/** One open's event rows: maybe an open event, 0–6 page views with leaves, maybe a share. */
export function openRows(rand: () => number, user: string, sid: string, start: number): Row[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const base = {
    app_id: APP,
    user_id: user,
    sid,
    props: {},
    platform: pick(['ios', 'android', 'devtools']),
    // Batch attributes change between opens, so "latest" and "latest known" matter.
    gender: pick([0, 1, 2]),
    birth_year: pick([0, 1990, 2005]),
    model: pick(['', 'iPhone 15', 'MI 14']),
    province: pick(['广东省', '北京', '未知']),
  };
  const rows: Row[] = [];
  if (rand() < 0.9)
    rows.push({ ...base, ts: start, type: 'open', scene: pick([1001, 1047, 1089, 9999, 1164]), path: 'p/a' });
  const views = rand() < 0.1 ? 0 : 1 + Math.floor(rand() * 6);
  let t = start + 500;
  for (let i = 0; i < views; i++) {
    const path = pick(['p/a', 'p/b', 'p/c', 'p/d']);
    const dur = Math.floor(rand() * 40_000);
    rows.push({ ...base, ts: t, type: 'pv', path }, { ...base, ts: t + dur, type: 'leave', path, dur_ms: dur });
    if (rand() < 0.2) rows.push({ ...base, ts: t + 100, type: 'share', path, share_to: 'chat' });
    t += dur + 200;
  }
  return rows;
}

/** Opens of 30 users over 09-25..10-14, 10 % of them starting just before midnight. */
export function history(seed: number, days: string[]): Row[][] {
  const rand = random(seed);
  const inserts: Row[][] = [[], [], []];
  let n = 0;
  for (const day of days) {
    for (let i = 0; i < 12; i++) {
      const user = `u${Math.floor(rand() * 30)}`;
      const late = rand() < 0.1;
      const start = late ? sh(`${day} 23:58:30`) : sh(`${day} 08:00:00`) + Math.floor(rand() * 14 * 3600_000);
      const rows = openRows(rand, user, `s${seed}-${++n}`, start);
      // An open's events may arrive in different inserts (batches), as partial rollup rows.
      for (const row of rows) inserts[Math.floor(rand() * inserts.length)]!.push(row);
    }
  }
  return inserts;
}

export const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDays(from, i));

/**
 * A store under `dir` holding the history: stored before the rollup existed (the migration backfills
 * it), then more through the view. The reports below read it.
 */
export async function openHistoryStore(dir: string): Promise<Store> {
  store = await Store.open({ dataDir: dir, timeZone: 'Asia/Shanghai' });
  await migrate(store, MIGRATIONS.slice(0, 1)); // the events table only: data exists before the rollup
  for (const rows of history(1, days('2026-09-25', 15))) await store.insert('events', rows);
  await prepareStore(store); // backfill
  for (const rows of history(2, days('2026-10-05', 10))) await store.insert('events', rows); // through the view
  return store;
}

/**
 * The sources compared with raw events: the rollup and compacted opens at first; once compaction
 * has run, compacted opens alone (the rollup does not change with compaction).
 */
let sources: OpensSource[] = ['open_rollup', 'compacted'];
export const compareSources = (compared: OpensSource[]) => {
  sources = compared;
};

/** Run a report from every source; they must agree, and it must not be empty. */
async function same<T>(run: (opensFrom: OpensSource) => Promise<T>): Promise<T> {
  const raw = await run('events');
  for (const source of sources) assert.deepEqual(await run(source), raw, source);
  return raw;
}

const range = { app: APP, from: '2026-09-28', to: '2026-10-13' };

export async function trendFigures() {
  for (const granularity of ['day', 'week', 'month', 'all'] as const) {
    const rows = await same((opensFrom) => runTrend(store, { ...range, granularity, metrics: METRIC_IDS, opensFrom }));
    assert.ok(rows.some((r) => (r.values.session_cnt ?? 0) > 0));
  }
  await same((opensFrom) =>
    runTrend(store, {
      ...range,
      granularity: 'day',
      metrics: METRIC_IDS,
      filters: [{ field: 'source', values: [10] }],
      opensFrom,
    }),
  );
}

export async function otherReports() {
  const [d] = await same((opensFrom) => runDistribution(store, { ...range, granularity: 'all', opensFrom }));
  assert.ok((d?.depth.length ?? 0) > 3);
  await same((opensFrom) => runScenes(store, { ...range, opensFrom }));
  const other = await same((opensFrom) => runScenes(store, { ...range, source: 10, opensFrom }));
  assert.ok(other.length >= 2 && other.every((s) => s.source === 10));
  const pages = await same((opensFrom) => runPages(store, { ...range, opensFrom }));
  assert.ok(pages.length >= 4);
  await same((opensFrom) => runPages(store, { ...range, sort: 'exit_rate', limit: 3, opensFrom }));
  // The total views count every page, beyond the limit too: the range's 访问次数.
  const top = await same((opensFrom) => runPagesWithTotal(store, { ...range, limit: 1, opensFrom }));
  const [all] = await runTrend(store, { ...range, granularity: 'all', metrics: ['visit_pv'] });
  assert.equal(top.totalViews, all!.values.visit_pv);
  assert.ok(top.totalViews > top.pages[0]!.page_visit_pv);
  const trend = await same((opensFrom) => runPageTrend(store, { ...range, path: 'p/b', opensFrom }));
  assert.ok(trend.filter((d) => d.page.page_visit_pv > 0).length >= 10);
  for (const granularity of ['day', 'week'] as const)
    await same((opensFrom) => runDistribution(store, { ...range, granularity, opensFrom }));
  const portrait = await same((opensFrom) => runPortrait(store, { ...range, opensFrom }));
  // The windows compaction stores (1, 7 and 30 days), ending on a day with late events and not.
  for (const [from, to] of [
    ['2026-10-13', '2026-10-13'],
    ['2026-10-07', '2026-10-13'],
    ['2026-09-14', '2026-10-13'],
    ['2026-09-27', '2026-10-03'],
  ] as const) {
    await same((opensFrom) => runPortrait(store, { app: APP, from, to, opensFrom }));
  }
  assert.ok(portrait.genders.length >= 2 && portrait.devices.length >= 2);
  await same((opensFrom) =>
    runPortrait(store, { ...range, filters: [{ field: 'platform', values: ['ios', 'devtools'] }], opensFrom }),
  );
  await paths();
}

/** 路径分析: the stored sequences of compacted opens against sequences grouped from raw events. */
async function paths() {
  const run = (q: Omit<PathQuery, 'from' | 'to'>) =>
    same((opensFrom) =>
      runReport(store, pathsReport, {
        app: APP,
        query: parsePathQuery({ ...q, from: range.from, to: range.to }),
        opensFrom,
      }),
    );
  const from = await run({ direction: 'from', steps: 5, top: 3 });
  assert.ok(from.links.some((l) => l.target === EXIT_NODE) && from.nodes.some((n) => n.name === OTHER_NODE));
  const to = await run({ direction: 'to', page: 'p/b', steps: 4, top: 2 });
  assert.ok(to.nodes.some((n) => n.step === 1));
  // With custom events asked (none in this history), sequences are grouped from raw events everywhere.
  await run({ direction: 'from', page: 'p/c', steps: 3, events: ['buy'] });
}

export async function retention() {
  const now = sh('2026-10-14 12:00:00');
  await same((opensFrom) => runRetention(store, { ...range, granularity: 'day', now, opensFrom }));
  const weeks = await same((opensFrom) => runRetention(store, { ...range, granularity: 'week', now, opensFrom }));
  assert.ok(weeks[0]!.visit_uv[0]!.value > 0);
}

export async function everything() {
  await trendFigures();
  await otherReports();
  await retention();
}

/** Open days reports read live (not from compacted rows). */
export async function dirtyDays(): Promise<string[]> {
  return (await readFreshness(store, APP)).dirty;
}
