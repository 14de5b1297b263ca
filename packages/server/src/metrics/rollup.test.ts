/**
 * The sessions rollup against the raw-events reference: a generated history (opens crossing
 * midnight, opens without their open event, opens with no page view, opens split over several
 * inserts) is stored before the rollup exists, the migration backfills it, more events arrive
 * through the materialized view, and every report must read the same from both sources.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { ageArrivals, tempDir } from '../../test/helpers.js';
import { sh } from '../../test/metrics-fixture.js';
import { MIGRATIONS, migrate } from '../store/migrations.js';
import { Store } from '../store/store.js';
import { readFreshness } from './compacted-days.js';
import { compactOnce } from './compaction.js';
import { addDays } from './dates.js';
import { runDistribution } from './distribution.js';
import type { OpensSource } from './opens-sql.js';
import { runPages, runPagesWithTotal, runPageTrend } from './pages.js';
import { runPortrait } from './portrait.js';
import { METRIC_IDS } from './registry.js';
import { runRetention } from './retention.js';
import { runScenes } from './scenes.js';
import { runTrend } from './trend.js';

const APP = 'wx00000000000000e7';
const dir = tempDir('miniscope-rollup-');
let store: Store;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, string | number | Record<string, string>>;

/** One open's event rows: maybe an open event, 0–6 page views with leaves, maybe a share. */
function openRows(rand: () => number, user: string, sid: string, start: number): Row[] {
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
function history(seed: number, days: string[]): Row[][] {
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

const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDays(from, i));

before(async () => {
  store = await Store.open({ dataDir: dir, timeZone: 'Asia/Shanghai' });
  await migrate(store, MIGRATIONS.slice(0, 1)); // the events table only: data exists before the rollup
  for (const rows of history(1, days('2026-09-25', 15))) await store.insert('events', rows);
  await migrate(store); // backfill
  for (const rows of history(2, days('2026-10-05', 10))) await store.insert('events', rows); // through the view
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Run a report from every source; they must agree, and it must not be empty. */
async function same<T>(run: (opensFrom: OpensSource) => Promise<T>): Promise<T> {
  const raw = await run('events');
  assert.deepEqual(await run('sessions'), raw, 'sessions');
  assert.deepEqual(await run('compacted'), raw, 'compacted');
  return raw;
}

const range = { app: APP, from: '2026-09-28', to: '2026-10-13' };

async function trendFigures() {
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

async function otherReports() {
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
  assert.ok(trend.filter((d) => d.page).length >= 10);
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
}

async function retention() {
  const now = sh('2026-10-14 12:00:00');
  await same((opensFrom) => runRetention(store, { ...range, granularity: 'day', now, opensFrom }));
  const weeks = await same((opensFrom) => runRetention(store, { ...range, granularity: 'week', now, opensFrom }));
  assert.ok(weeks[0]!.visit_uv[0]!.value > 0);
}

async function everything() {
  await trendFigures();
  await otherReports();
  await retention();
}

test('trend figures per day, week and month', trendFigures);
test('distributions, scenes, pages and portrait', otherReports);
test('retention by day and week', retention);

/** Open days reports read live (not from compacted rows). */
async function dirtyDays(): Promise<string[]> {
  return (await readFreshness(store, { app: APP }))!.dirty;
}

test('after compaction, every report reads the same', async () => {
  const first = await compactOnce(store);
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  assert.ok(first.days >= 20, JSON.stringify(first));
  const [n] = await store.query<{ n: string }>('SELECT count() AS n FROM opens_final');
  assert.ok(Number(n!.n) > 100);
  await everything();
  // Nothing arrived since: the next run has nothing to do beyond the margin, and changes nothing.
  await compactOnce(store);
  await everything();
});

test('late events: the same before and after the next compaction', async () => {
  // Late events for compacted days: new opens, and events of existing opens (some moving their day).
  for (const rows of history(3, days('2026-09-27', 12))) await store.insert('events', rows);
  const [sid] = await store.query<{ sid: string; user_id: string }>(
    "SELECT sid, user_id FROM events WHERE app_id = {app:String} AND toDate(ts) = '2026-10-02' LIMIT 1",
    { app: APP },
  );
  await store.insert('events', [
    {
      app_id: APP,
      user_id: sid!.user_id,
      sid: sid!.sid,
      props: {},
      ts: sh('2026-10-01 23:59:00'),
      type: 'open',
      scene: 1047,
      path: 'p/z',
    },
    {
      app_id: APP,
      user_id: sid!.user_id,
      sid: sid!.sid,
      props: {},
      ts: sh('2026-10-02 23:59:00'),
      type: 'pv',
      path: 'p/z',
    },
  ]);
  // Users never compacted yet (live opens only, numbered for the statement).
  const rand = random(4);
  for (const [user, day] of [
    ['n1', '2026-10-03'],
    ['n1', '2026-10-09'],
    ['n2', '2026-10-09'],
    ['n3', '2026-10-04'],
  ] as const) {
    await store.insert('events', openRows(rand, user, `late-${user}-${day}`, sh(`${day} 10:00:00`)));
  }
  // Late days are live now, the rest read from compacted rows and cubes.
  assert.ok((await dirtyDays()).length >= 12);
  await everything();
  const late = await compactOnce(store);
  assert.ok(late.days >= 12, JSON.stringify(late));
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  await everything();
  // The next run drops the first days the late run replaced; figures stay the same.
  const [before] = await store.query<{ n: string }>('SELECT count() - uniqExact(uh) AS n FROM user_first');
  assert.ok(Number(before!.n) > 0, 'the late run replaced some first days');
  await compactOnce(store);
  const [replaced] = await store.query<{ n: string }>('SELECT count() - uniqExact(uh) AS n FROM user_first');
  assert.equal(Number(replaced!.n), 0);
  await everything();
});

test('traffic dirties the days of the opens it touches, not the days around them', async () => {
  const base = { app_id: APP, user_id: 'u1', props: {}, platform: 'ios' };
  // An open within one day; then the late events of an open that started the evening before.
  await store.insert('events', [
    { ...base, sid: 'day-open', ts: sh('2026-10-10 10:00:00'), type: 'open', scene: 1001, path: 'p/a' },
    { ...base, sid: 'day-open', ts: sh('2026-10-10 10:00:01'), type: 'pv', path: 'p/a' },
  ]);
  assert.deepEqual(await dirtyDays(), ['2026-10-10']);
  const [crossing] = await store.query<{ sid: string; user_id: string }>(
    `SELECT sid, any(user_id) AS user_id FROM events WHERE app_id = {app:String} AND toDate(ts) = '2026-10-06'
     GROUP BY sid HAVING countIf(type = 'open') = 1 AND max(ts) < toDateTime64('2026-10-06 23:59:59', 3) LIMIT 1`,
    { app: APP },
  );
  await store.insert('events', [
    { ...base, user_id: crossing!.user_id, sid: crossing!.sid, ts: sh('2026-10-07 00:00:30'), type: 'pv', path: 'p/b' },
  ]);
  assert.deepEqual(await dirtyDays(), ['2026-10-06', '2026-10-10']);
  await everything();
  await compactOnce(store);
  await ageArrivals(store);
  assert.deepEqual(await dirtyDays(), []);
  await everything();
});
