/**
 * The dashboard JSON API over HTTP against a hand-computed fixture: overview with its comparison
 * days, trends, sources and scene drill-down, distributions, retention with rates, pages with exit
 * rate and share, real time, portrait, CSV exports and errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import type { Miniscope } from '../src/miniscope.js';
import { makeUser, sessionHeaders } from './auth-helpers.js';
import { ageArrivals, startTestMiniscope } from './helpers.js';
import { ev, seedUser, sh } from './metrics-fixture.js';

const APP = 'wx00000000000000a7';
const INDEX = 'pages/index/index';
const DETAIL = 'pages/detail/detail';
let m: Miniscope;
let n = 0;
/** The app admin's session: reports need a caller who may see the app (auth/access.ts). */
let headers: Record<string, string> = {};

/** A counted open at `at` from `scene`, viewing `paths` one second apart, no leave (stay 0). */
function visit(at: string, scene: number, paths: string[] = [INDEX]): CollectEvent[] {
  const sid = `r${++n}`;
  return [ev.open(sid, at, scene), ...paths.map((p, i) => ({ ...ev.pv(sid, at, p), ts: sh(at) + 1000 * (i + 1) }))];
}

/*
 * 09-05 uA (1001) first open      09-28 uB (1001) first open
 * 10-04 uA (1001), uC (1001, first)
 * 10-05 uA (1001: index), uA (1047: index, detail), uD (1089 → source 29, first: index)
 * Cumulative users: 09-05 1, 09-28 2, 10-04 3, 10-05 4.
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'reports');
  const admin = await makeUser(m, 'reports_admin');
  m.auth.members.setAdmin(APP, admin.id, null);
  headers = sessionHeaders(m, admin);
  await seedUser(m, APP, 'uA', visit('2026-09-05 10:00:00', 1001));
  await seedUser(m, APP, 'uB', visit('2026-09-28 10:00:00', 1001));
  await seedUser(m, APP, 'uA', [
    ...visit('2026-10-04 10:00:00', 1001),
    ...visit('2026-10-05 10:00:00', 1001),
    ...visit('2026-10-05 11:00:00', 1047, [INDEX, DETAIL]),
  ]);
  await seedUser(m, APP, 'uC', visit('2026-10-04 12:00:00', 1001));
  await seedUser(m, APP, 'uD', visit('2026-10-05 12:00:00', 1089));
});

after(() => m.close());

async function get(url: string) {
  const res = await m.server.inject({ method: 'GET', url, headers });
  return {
    status: res.statusCode,
    body: String(res.headers['content-type']).includes('json') ? res.json() : res.body,
    res,
  };
}

const api = (path: string) => `/api/apps/${APP}/${path}`;

/** Every figure test; run on live reads, then again once compaction has covered the fixture. */
function figures() {
  test('overview: a day against 1 day, 1 week and 1 month earlier', async () => {
    const { status, body } = await get(api('overview?date=2026-10-05'));
    assert.equal(status, 200);
    assert.equal(body.date, '2026-10-05');
    assert.deepEqual(
      [body.values.session_cnt, body.values.visit_uv, body.values.visit_uv_new, body.values.visit_total],
      [3, 2, 1, 4],
    );
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(body.compare).map(([k, v]) => [
          k,
          [
            (v as { date: string }).date,
            (v as { values: { session_cnt: number; visit_total: number } }).values.session_cnt,
            (v as { values: { visit_total: number } }).values.visit_total,
          ],
        ]),
      ),
      { day: ['2026-10-04', 2, 3], week: ['2026-09-28', 1, 2], month: ['2026-09-05', 1, 1] },
    );
    assert.deepEqual(body.metrics[0], { id: 'visit_total', name: '累计用户数', unit: 'count' });
    const csv = await get(api('overview?date=2026-10-05&format=csv'));
    const lines = String(csv.res.body).split('\r\n');
    assert.equal(lines[0], '\uFEFF指标,2026-10-05,2026-10-04,2026-09-28,2026-09-05');
    assert.equal(lines[1], '累计用户数,4,3,2,1');
    assert.equal(lines[2], '打开次数,3,2,1,1');
  });

  test('trend per day for chosen metrics, JSON and CSV with BOM', async () => {
    const { body } = await get(api('trend?from=2026-10-04&to=2026-10-05&metrics=session_cnt,visit_pv,visit_depth'));
    assert.deepEqual(body.rows, [
      { start: '2026-10-04', end: '2026-10-04', values: { session_cnt: 2, visit_pv: 2, visit_depth: 1 } },
      { start: '2026-10-05', end: '2026-10-05', values: { session_cnt: 3, visit_pv: 4, visit_depth: 4 / 3 } }, // depths 1 + 2 + 1
    ]);
    const csv = await get(api('trend?from=2026-10-04&to=2026-10-05&metrics=session_cnt,visit_pv&format=csv'));
    assert.match(String(csv.res.headers['content-type']), /text\/csv; charset=utf-8/);
    assert.equal(
      csv.res.body,
      '\uFEFF开始日期,结束日期,打开次数,访问次数\r\n2026-10-04,2026-10-04,2,2\r\n2026-10-05,2026-10-05,3,4\r\n',
    );
  });

  test('trend with a comparison range of the same length', async () => {
    const { body } = await get(api('trend?from=2026-10-04&to=2026-10-05&metrics=session_cnt&compare_from=2026-09-27'));
    assert.deepEqual(body.compare, {
      from: '2026-09-27',
      to: '2026-09-28',
      rows: [
        { start: '2026-09-27', end: '2026-09-27', values: { session_cnt: 0 } },
        { start: '2026-09-28', end: '2026-09-28', values: { session_cnt: 1 } }, // uB's first open
      ],
    });
    const plain = await get(api('trend?from=2026-10-04&to=2026-10-05&metrics=session_cnt'));
    assert.equal(plain.body.compare, null);
    const bad = await get(api('trend?from=2026-10-04&to=2026-10-05&compare_to=2026-09-28'));
    assert.equal(bad.status, 400);
  });

  test('sources with shares, and the scene drill-down', async () => {
    const { body } = await get(api('sources?from=2026-10-04&to=2026-10-05'));
    assert.deepEqual(body.items, [
      { key: 1, name: '小程序历史列表', sessions: 3, users: 2, share: 3 / 5 }, // uA 10-04, uC, uA 10-05
      { key: 4, name: '扫一扫二维码', sessions: 1, users: 1, share: 1 / 5 },
      { key: 29, name: '任务栏-最近使用', sessions: 1, users: 1, share: 1 / 5 },
    ]);
    const scenes = await get(api('sources/4/scenes?from=2026-10-04&to=2026-10-05'));
    assert.deepEqual(scenes.body.source, { key: 4, name: '扫一扫二维码' });
    assert.deepEqual(scenes.body.items, [{ scene: 1047, name: '扫描小程序码', sessions: 1, users: 1 }]);
  });

  test('stay-time and depth distributions with labels, every bucket listed', async () => {
    const { body } = await get(api('distribution?from=2026-10-05&to=2026-10-05'));
    const zero = { sessions: 0, users: 0 };
    // Three opens, all under 3 s; two of one page, one of two pages.
    assert.deepEqual(body.staytime, [
      { key: 1, label: '0-2秒', sessions: 3, users: 2 },
      { key: 2, label: '3-5秒', ...zero },
      { key: 3, label: '6-10秒', ...zero },
      { key: 4, label: '11-20秒', ...zero },
      { key: 5, label: '21-30秒', ...zero },
      { key: 6, label: '31-50秒', ...zero },
      { key: 7, label: '51-100秒', ...zero },
      { key: 8, label: '100秒以上', ...zero },
    ]);
    assert.deepEqual(body.depth, [
      { key: 1, label: '1页', sessions: 2, users: 2 },
      { key: 2, label: '2页', sessions: 1, users: 1 },
      { key: 3, label: '3页', ...zero },
      { key: 4, label: '4页', ...zero },
      { key: 5, label: '5页', ...zero },
      { key: 6, label: '6-10页', ...zero },
      { key: 7, label: '10页以上', ...zero },
    ]);
  });

  test('retention matrix with rates', async () => {
    const { body } = await get(api('retention?from=2026-10-04&to=2026-10-04&granularity=day'));
    const [row] = body.rows;
    // Active on 10-04 {uA, uC}; uA back on 10-05. New on 10-04 {uC}, who does not come back.
    assert.deepEqual(row.active.slice(0, 3), [
      { key: 0, value: 2, rate: 1 },
      { key: 1, value: 1, rate: 0.5 },
      { key: 2, value: 0, rate: 0 },
    ]);
    assert.deepEqual(row.new.slice(0, 2), [
      { key: 0, value: 1, rate: 1 },
      { key: 1, value: 0, rate: 0 },
    ]);
  });

  test('pages with exit rate and share of views', async () => {
    const { body } = await get(api('pages?from=2026-10-05&to=2026-10-05'));
    assert.equal(body.total_visit_pv, 4);
    assert.deepEqual(
      body.items.map((p: Record<string, unknown>) => [
        p.page_path,
        p.page_visit_pv,
        p.exitpage_pv,
        p.exit_rate,
        p.visit_share,
      ]),
      [
        [INDEX, 3, 2, 2 / 3, 3 / 4],
        [DETAIL, 1, 1, 1, 1 / 4],
      ],
    );
  });

  test('one page per day, and over the range', async () => {
    const { body } = await get(api(`pages/trend?from=2026-10-03&to=2026-10-05&path=${INDEX}`));
    const figures = (p: Record<string, number>) => [
      p.page_visit_pv,
      p.page_visit_uv,
      p.entrypage_pv,
      p.exitpage_pv,
      p.exit_rate,
    ];
    // 10-04: uA and uC view index once and leave there; 10-05: uA twice (once leaving on detail), uD once.
    assert.deepEqual(
      body.days.map((d: Record<string, number> & { day: string }) => [d.day, ...figures(d)]),
      [
        ['2026-10-03', 0, 0, 0, 0, 0],
        ['2026-10-04', 2, 2, 2, 2, 1],
        ['2026-10-05', 3, 2, 3, 2, 2 / 3],
      ],
    );
    assert.deepEqual(figures(body.total), [5, 3, 5, 4, 4 / 5]);
    const csv = await get(api(`pages/trend?from=2026-10-04&to=2026-10-04&path=${INDEX}&format=csv`));
    assert.match(String(csv.body), /2026-10-04,pages\/index\/index,2,2,/);
    assert.equal((await get(api('pages/trend?from=2026-10-04&to=2026-10-04'))).status, 400);
  });

  test('real time per hour', async () => {
    const csv = await get(api('realtime?days=2026-10-05&step=60&format=csv'));
    assert.equal(
      csv.res.body,
      '\uFEFF日期,时间,访问次数,访问人数,打开次数\r\n2026-10-05,10:00,1,1,1\r\n2026-10-05,11:00,2,1,1\r\n2026-10-05,12:00,1,1,1\r\n',
    );
    const { body } = await get(api('realtime?days=2026-10-05&step=60'));
    assert.deepEqual(body.series, [
      {
        day: '2026-10-05',
        points: [
          { minute: 600, pv: 1, uv: 1, opens: 1 },
          { minute: 660, pv: 2, uv: 1, opens: 1 },
          { minute: 720, pv: 1, uv: 1, opens: 1 },
        ],
      },
    ]);
  });

  test('portrait with names, and as CSV', async () => {
    const { body } = await get(api('portrait?from=2026-10-05&to=2026-10-05'));
    assert.deepEqual(body.genders, [{ id: 0, name: '未知', visit_uv_new: 1, visit_uv: 2 }]); // uD new, uA old
    assert.deepEqual(body.platforms, [{ id: 1, name: 'iPhone', visit_uv_new: 1, visit_uv: 2 }]);
    const cities = await get(api('portrait?from=2026-10-05&to=2026-10-05&province=未知'));
    assert.equal(cities.body.city_province, '未知');
    assert.deepEqual(cities.body.city, [{ name: '未知', visit_uv_new: 1, visit_uv: 2 }]);
    const elsewhere = await get(api('portrait?from=2026-10-05&to=2026-10-05&province=广东省'));
    assert.deepEqual(elsewhere.body.city, []);
    const csv = await get(api('portrait?from=2026-10-05&to=2026-10-05&format=csv'));
    assert.ok(String(csv.body).startsWith('\uFEFF维度,名称,编码,新用户数,访问人数\r\n省份,未知,,1,2\r\n'));
    // Device models under their display names, their codes kept (the fixture's phone reports one).
    assert.deepEqual(body.devices, [{ name: 'iPhone 15', codes: ['iPhone 15'], visit_uv_new: 1, visit_uv: 2 }]);
    assert.match(String(csv.body), /机型,iPhone 15,iPhone 15,1,2\r\n/);
    const week = await get(api('portrait?days=7')); // the last 7 days before today: no data
    assert.deepEqual(week.body.province, []);
  });
}

describe('figures, read live', figures);

describe('figures, read from compacted days and cubes', () => {
  before(async () => {
    await m.metrics.compact();
    await ageArrivals(m.store);
  });
  figures();
});

describe('errors', () => {
  test('an unknown app is 404', async () => {
    const { status, body } = await get('/api/apps/wx00000000000000ff/trend');
    assert.equal(status, 404);
    assert.equal(body.error.code, 'unknown_app');
  });

  test('bad parameters are 400 naming the problem', async () => {
    for (const [path, code] of [
      ['trend?from=2026-10-32', 'bad_query'],
      ['trend?metrics=nope', 'bad_query'],
      ['trend?granularity=year', 'bad_query'],
      ['trend?filter=path:x', 'bad_query'],
      ['trend?from=2026-10-06&to=2026-10-05', 'bad_range'],
      ['trend?filter=source:x', 'bad_filter'],
      ['sources/0/scenes', 'bad_query'],
      ['pages?sort=page_path', 'bad_query'],
      ['realtime?step=7', 'bad_query'],
      ['portrait?days=3', 'bad_query'],
    ]) {
      const { status, body } = await get(api(path!));
      assert.equal(status, 400, path);
      assert.equal(body.error.code, code, path);
    }
  });

  test('the metric list', async () => {
    const { body } = await get('/api/metrics');
    assert.equal(body.metrics.length, 11);
  });
});
