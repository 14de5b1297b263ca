/**
 * The datacube-compatible API over HTTP: every endpoint's answer against a hand-computed fixture,
 * WeChat's date rules, and every error code, including token expiry on a server with a driven clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, compact, monthEnd, monthStart, todayIn } from '@miniscope/contract';
import { DatacubeTokens } from '../src/datacube/tokens.js';
import { buildServer } from '../src/http/server.js';
import { MetricsEngine } from '../src/metrics/engine.js';
import type { Miniscope } from '../src/miniscope.js';
import { startTestMiniscope } from './helpers.js';
import { ev, seedUser } from './metrics-fixture.js';

const APP = 'wx00000000000000d2';
const OTHER = 'wx00000000000000d3';
const INDEX = 'pages/index/index';
const DETAIL = 'pages/detail/detail';
let m: Miniscope;
let secret: string;
let token: string;

/*
 * 2026-09-28 and 10-05 are Mondays.
 * uX: 10-05 10:00 open (1001); pv index, leave 4 s; pv detail, leave 6 s; share from detail
 *     → pvs 2, depth 2, stay 10 s; first open ever. From Shenzhen.
 * uY: 10-05 11:00 open (1047); pv index, leave 2 s → first open ever; 10-06 09:00 open (1047), pv index.
 *     From abroad.
 * uZ: 09-28 open (1001), pv index → first open; 10-05 12:00 open (9999) with no page view → not counted.
 * OTHER app: one open of uQ on 10-05.
 */
before(async () => {
  m = await startTestMiniscope();
  secret = m.apps.add(APP, 'datacube').secret;
  m.apps.add(OTHER, 'other');
  await seedUser(
    m,
    APP,
    'uX',
    [
      ev.open('x1', '2026-10-05 10:00:00', 1001),
      ev.pv('x1', '2026-10-05 10:00:01', INDEX),
      ev.leave('x1', '2026-10-05 10:00:05', INDEX, 4000),
      ev.pv('x1', '2026-10-05 10:00:05', DETAIL),
      ev.share('x1', '2026-10-05 10:00:08', DETAIL),
      ev.leave('x1', '2026-10-05 10:00:11', DETAIL, 6000),
    ],
    { ip: '113.108.0.1' },
  );
  await seedUser(m, APP, 'uY', [
    ev.open('y1', '2026-10-05 11:00:00', 1047),
    ev.pv('y1', '2026-10-05 11:00:01', INDEX),
    ev.leave('y1', '2026-10-05 11:00:03', INDEX, 2000),
    ev.open('y2', '2026-10-06 09:00:00', 1047),
    ev.pv('y2', '2026-10-06 09:00:01', INDEX),
  ]);
  await seedUser(m, APP, 'uZ', [ev.open('z1', '2026-09-28 09:00:00'), ev.pv('z1', '2026-09-28 09:00:01', INDEX)]);
  await seedUser(m, APP, 'uZ', [ev.open('z2', '2026-10-05 12:00:00', 9999)]);
  await seedUser(m, OTHER, 'uQ', [ev.open('q1', '2026-10-05 10:00:00'), ev.pv('q1', '2026-10-05 10:00:01')]);
  // OTHER on 10-07: one open viewing 201 distinct paths, page k viewed k times for k ≤ 3.
  const many = Array.from({ length: 201 }, (_, i) => ev.pv('q2', '2026-10-07 10:00:00', `pages/p${i}/p${i}`));
  const repeats = [1, 2, 2, 3, 3, 3].map((k) => ev.pv('q2', '2026-10-07 10:00:01', `pages/p${k}/p${k}`));
  await seedUser(m, OTHER, 'uQ', [ev.open('q2', '2026-10-07 09:59:59'), ...many, ...repeats]);
  token = (await getToken(APP, secret)).access_token as string;
});

after(() => m.close());

async function getToken(appid: string, appSecret: string, server = m.server) {
  const res = await server.inject({
    method: 'GET',
    url: `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${appSecret}`,
  });
  assert.equal(res.statusCode, 200);
  return res.json() as Record<string, unknown>;
}

async function call(name: string, body: unknown, accessToken: string | null = token, server = m.server) {
  const query = accessToken === null ? '' : `?access_token=${accessToken}`;
  const res = await server.inject({
    method: 'POST',
    url: `/datacube/${name}${query}`,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.statusCode, 200, 'WeChat answers errors with HTTP 200');
  return res.json() as Record<string, unknown>;
}

const day = (d: string) => ({ begin_date: d, end_date: d });

describe('endpoints', () => {
  test('daily summary: cumulative users and shares', async () => {
    assert.deepEqual(await call('getweanalysisappiddailysummarytrend', day('20261005')), {
      list: [{ ref_date: '20261005', visit_total: 3, share_pv: 1, share_uv: 1 }], // uZ (09-28), uX, uY
    });
  });

  test('daily visit trend', async () => {
    assert.deepEqual(await call('getweanalysisappiddailyvisittrend', day('20261005')), {
      list: [
        {
          ref_date: '20261005',
          session_cnt: 2, // uX, uY; uZ's open has no page view
          visit_pv: 3, // 2 + 1
          visit_uv: 2,
          visit_uv_new: 2,
          stay_time_uv: 6, // (10 + 2) s / 2
          stay_time_session: 6, // 12 s / 2
          visit_depth: 1.5, // (2 + 1) / 2
        },
      ],
    });
  });

  test('weekly visit trend, Monday to Sunday', async () => {
    const body = await call('getweanalysisappidweeklyvisittrend', { begin_date: '20261005', end_date: '20261011' });
    assert.deepEqual(body, {
      list: [
        {
          ref_date: '20261005-20261011',
          session_cnt: 3, // x1, y1, y2
          visit_pv: 4,
          visit_uv: 2, // uY on two days counts once
          visit_uv_new: 2,
          stay_time_uv: 6, // 12 s / 2 users
          stay_time_session: 4, // 12 s / 3 opens
          visit_depth: 4 / 3, // (2 + 1 + 1) / 3
        },
      ],
    });
  });

  test('monthly visit trend, a whole month', async () => {
    const body = await call('getweanalysisappidmonthlyvisittrend', { begin_date: '20260901', end_date: '20260930' });
    assert.deepEqual(body, {
      list: [
        {
          ref_date: '202609',
          session_cnt: 1, // z1
          visit_pv: 1,
          visit_uv: 1,
          visit_uv_new: 1,
          stay_time_uv: 0, // no leave
          stay_time_session: 0,
          visit_depth: 1,
        },
      ],
    });
  });

  test('daily, weekly and monthly retention', async () => {
    // Every key of 10-05 has ended (10-05 + 30 = 11-04, and today is later).
    // New and active cohorts are both {uX, uY}; uY returns on 10-06 (key 1).
    const daily = (...values: number[]) =>
      [0, 1, 2, 3, 4, 5, 6, 7, 14, 30].map((key, i) => ({ key, value: values[i] }));
    assert.deepEqual(await call('getweanalysisappiddailyretaininfo', day('20261005')), {
      ref_date: '20261005',
      visit_uv_new: daily(2, 1, 0, 0, 0, 0, 0, 0, 0, 0),
      visit_uv: daily(2, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    });
    // Week 09-28..10-04: {uZ}; uZ's open of the next week had no page view.
    const kv = (...values: number[]) => values.map((value, key) => ({ key, value }));
    assert.deepEqual(
      await call('getweanalysisappidweeklyretaininfo', { begin_date: '20260928', end_date: '20261004' }),
      {
        ref_date: '20260928-20261004',
        visit_uv_new: kv(1, 0, 0, 0, 0),
        visit_uv: kv(1, 0, 0, 0, 0),
      },
    );
    assert.deepEqual(
      await call('getweanalysisappidmonthlyretaininfo', { begin_date: '20260901', end_date: '20260930' }),
      {
        ref_date: '202609',
        visit_uv_new: kv(1, 0),
        visit_uv: kv(1, 0),
      },
    );
  });

  test('visit distribution: four indexes', async () => {
    assert.deepEqual(await call('getweanalysisappidvisitdistribution', day('20261005')), {
      ref_date: '20261005',
      list: [
        {
          index: 'access_source_session_cnt',
          item_list: [
            { key: 1, value: 1 },
            { key: 4, value: 1 },
          ],
        }, // 1001, 1047
        {
          index: 'access_source_visit_uv',
          item_list: [
            { key: 1, value: 1 },
            { key: 4, value: 1 },
          ],
        },
        {
          index: 'access_staytime_info',
          item_list: [
            { key: 1, value: 1 },
            { key: 3, value: 1 },
          ],
        }, // 2 s, 10 s
        {
          index: 'access_depth_info',
          item_list: [
            { key: 1, value: 1 },
            { key: 2, value: 1 },
          ],
        },
      ],
    });
  });

  test('visit page', async () => {
    assert.deepEqual(await call('getweanalysisappidvisitpage', day('20261005')), {
      ref_date: '20261005',
      list: [
        {
          page_path: INDEX,
          page_visit_pv: 2,
          page_visit_uv: 2,
          page_staytime_pv: 3, // (4 + 2) s / 2
          entrypage_pv: 2,
          exitpage_pv: 1, // y1
          page_share_pv: 0,
          page_share_uv: 0,
        },
        {
          page_path: DETAIL,
          page_visit_pv: 1,
          page_visit_uv: 1,
          page_staytime_pv: 6,
          entrypage_pv: 0,
          exitpage_pv: 1, // x1
          page_share_pv: 1,
          page_share_uv: 1,
        },
      ],
    });
  });

  test('user portrait of one day and of seven days', async () => {
    const unknownGender = { id: 0, name: '未知', value: 2 };
    const one = await call('getweanalysisappiduserportrait', day('20261005'));
    const both = {
      province: [
        { id: 44, name: '广东省', value: 1 },
        { id: 0, name: '未知', value: 1 },
      ],
      city: [
        { id: 0, name: '未知', value: 1 },
        { id: 4403, name: '深圳市', value: 1 },
      ],
      genders: [unknownGender],
      platforms: [{ id: 1, name: 'iPhone', value: 2 }],
      devices: [{ name: 'iPhone 15', value: 2 }],
      ages: [{ id: 0, name: '未知', value: 2 }],
    };
    assert.deepEqual(one, { ref_date: '20261005', visit_uv_new: both, visit_uv: both });
    const week = await call('getweanalysisappiduserportrait', { begin_date: '20260928', end_date: '20261004' });
    assert.equal(week.ref_date, '20260928-20261004');
    assert.deepEqual((week.visit_uv as Record<string, unknown>).platforms, [{ id: 1, name: 'iPhone', value: 1 }]); // uZ
  });

  test("a token reads only its own app's data", async () => {
    const other = (await getToken(OTHER, m.apps.rotateSecret(OTHER))).access_token as string;
    const body = await call('getweanalysisappiddailyvisittrend', day('20261005'), other);
    assert.equal(((body.list as Array<Record<string, number>>)[0] as Record<string, number>).session_cnt, 1);
    // Visit page keeps the top 200 of 201 paths: p3 (4 views), p2 (3), p1 (2), then 1 view each by path.
    const pages = (await call('getweanalysisappidvisitpage', day('20261007'), other)).list as Array<
      Record<string, unknown>
    >;
    assert.equal(pages.length, 200);
    assert.deepEqual(
      pages.slice(0, 3).map((p) => [p.page_path, p.page_visit_pv]),
      [
        ['pages/p3/p3', 4],
        ['pages/p2/p2', 3],
        ['pages/p1/p1', 2],
      ],
    );
  });
});

describe('date rules', () => {
  const today = todayIn('Asia/Shanghai', Date.now());
  const yesterday = compact(addDays(today, -1));

  test('yyyymmdd dates, else 61500', async () => {
    for (const body of [
      day('2026-10-05'),
      day('20261305'),
      day('20260230'),
      { begin_date: '20261005' },
      { end_date: '20261005' },
      { begin_date: null, end_date: '20261005' },
    ]) {
      const answer = await call('getweanalysisappiddailyvisittrend', body);
      assert.equal(answer.errcode, 61500, JSON.stringify(body));
    }
  });

  test('each endpoint range rule, else 61501', async () => {
    const cases: Array<[string, string, string]> = [
      ['getweanalysisappiddailyvisittrend', '20261005', '20261006'], // two days
      ['getweanalysisappiddailysummarytrend', '20261006', '20261005'], // begin after end
      ['getweanalysisappidweeklyvisittrend', '20261006', '20261012'], // Tuesday to Monday
      ['getweanalysisappidweeklyretaininfo', '20261005', '20261010'], // Monday to Saturday
      ['getweanalysisappidmonthlyvisittrend', '20261001', '20261030'], // not the whole month
      ['getweanalysisappidmonthlyretaininfo', '20260915', '20261014'],
      ['getweanalysisappiduserportrait', '20261001', '20261003'], // 3 days
      ['getweanalysisappidvisitpage', compact(today), compact(today)], // today
      ['getweanalysisappiddailyretaininfo', compact(today), compact(today)],
    ];
    for (const [name, begin, end] of cases) {
      const answer = await call(name, { begin_date: begin, end_date: end });
      assert.equal(answer.errcode, 61501, `${name} ${begin}-${end}`);
    }
  });

  test('yesterday is the latest day; the current month is not over', async () => {
    const answer = await call('getweanalysisappidvisitdistribution', day(yesterday));
    assert.equal(answer.errcode, undefined);
    assert.equal(answer.ref_date, yesterday);
    const thisMonth = await call('getweanalysisappidmonthlyvisittrend', {
      begin_date: compact(monthStart(today)),
      end_date: compact(monthEnd(today)),
    });
    assert.equal(thisMonth.errcode, 61501);
    const thirtyDays = { begin_date: compact(addDays(today, -30)), end_date: yesterday };
    const portrait = await call('getweanalysisappiduserportrait', thirtyDays);
    assert.equal(portrait.ref_date, `${thirtyDays.begin_date}-${yesterday}`);
  });
});

describe('tokens and request errors', () => {
  const tokenUrl = (q: string) => ({ method: 'GET' as const, url: `/cgi-bin/token?${q}` });

  test('GET /cgi-bin/token errors', async () => {
    const cases: Array<[string, number]> = [
      [`appid=${APP}&secret=${secret}`, 40002],
      [`grant_type=password&appid=${APP}&secret=${secret}`, 40002],
      [`grant_type=client_credential&secret=${secret}`, 41002],
      [`grant_type=client_credential&appid=${APP}`, 41004],
      [`grant_type=client_credential&appid=wx00000000000000ff&secret=${secret}`, 40013],
      [`grant_type=client_credential&appid=${APP}&secret=nothex`, 40125],
      [`grant_type=client_credential&appid=${APP}&secret=${'0'.repeat(32)}`, 40001],
    ];
    for (const [q, errcode] of cases) {
      const res = await m.server.inject(tokenUrl(q));
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().errcode, errcode, q);
    }
    const post = await m.server.inject({ method: 'POST', url: '/cgi-bin/token', payload: {} });
    assert.equal(post.json().errcode, 43001);
  });

  test('POST /cgi-bin/stable_token: same token until forced; body errors', async () => {
    const post = (payload: string) =>
      m.server.inject({
        method: 'POST',
        url: '/cgi-bin/stable_token',
        payload,
        headers: { 'content-type': 'application/json' },
      });
    const creds = { grant_type: 'client_credential', appid: APP, secret };
    const a = (await post(JSON.stringify(creds))).json();
    assert.equal(typeof a.access_token, 'string');
    assert.ok(a.expires_in > 7190 && a.expires_in <= 7200);
    const b = (await post(JSON.stringify(creds))).json();
    assert.equal(b.access_token, a.access_token);
    const forced = (await post(JSON.stringify({ ...creds, force_refresh: true }))).json();
    assert.notEqual(forced.access_token, a.access_token);
    assert.equal(forced.expires_in, 7200);
    assert.equal(
      (await call('getweanalysisappiddailysummarytrend', day('20261005'), forced.access_token)).errcode,
      undefined,
    );
    assert.equal((await post('{"grant_type":')).json().errcode, 47001);
    assert.equal((await post('[1]')).json().errcode, 47001);
    assert.equal((await post('')).json().errcode, 44002);
    assert.equal((await post(JSON.stringify({ ...creds, appid: 'wx00000000000000ff' }))).json().errcode, 40013);
    const get = await m.server.inject({ method: 'GET', url: '/cgi-bin/stable_token' });
    assert.equal(get.json().errcode, 43002);
  });

  test('datacube request errors never crash and speak errcode', async () => {
    const name = 'getweanalysisappiddailyvisittrend';
    assert.equal((await call(name, day('20261005'), null)).errcode, 41001);
    assert.equal((await call(name, day('20261005'), '')).errcode, 41001);
    assert.equal((await call(name, day('20261005'), 'not*a*token')).errcode, 40014);
    assert.equal((await call(name, day('20261005'), 'A'.repeat(128))).errcode, 40001);
    assert.equal((await call(name, '{"begin_date": "2026')).errcode, 47001);
    assert.equal((await call(name, '"20261005"')).errcode, 47001);
    assert.equal((await call(name, '')).errcode, 44002);
    assert.equal((await call('getweanalysisappidnothing', day('20261005'))).errcode, 48001);
    const get = await m.server.inject({ method: 'GET', url: `/datacube/${name}?access_token=${token}` });
    assert.deepEqual(Object.keys(get.json()), ['errcode', 'errmsg']);
    assert.equal(get.json().errcode, 43002);
    const noType = await m.server.inject({
      method: 'POST',
      url: `/datacube/${name}?access_token=${token}`,
      payload: JSON.stringify(day('20261005')),
    });
    assert.equal((noType.json().list as unknown[]).length, 1, 'a body without content type is read as JSON');
  });

  /** A server on the same stores whose clock the test drives. */
  function drivenServer(clock: { now: number }) {
    const now = () => clock.now;
    return buildServer({
      store: m.store,
      ingest: m.ingest,
      collector: m.collector,
      trustProxy: false,
      logLevel: 'warn',
      datacube: { engine: new MetricsEngine(m.store, now), tokens: new DatacubeTokens(m.meta, m.apps, now) },
    });
  }

  test('expired (42001) and replaced (40001) tokens, on a server with a driven clock', async () => {
    const clock = { now: Date.now() };
    const server = await drivenServer(clock);
    try {
      const first = (await getToken(APP, secret, server)).access_token as string;
      const second = (await getToken(APP, secret, server)).access_token as string;
      const ask = (t: string) => call('getweanalysisappiddailysummarytrend', day('20261005'), t, server);
      clock.now += 299_000; // within the 5-minute overlap both work
      assert.equal((await ask(first)).errcode, undefined);
      clock.now += 1_000;
      assert.equal((await ask(first)).errcode, 40001);
      assert.equal((await ask(second)).errcode, undefined);
      clock.now += 7200_000;
      assert.equal((await ask(second)).errcode, 42001);
    } finally {
      await server.close();
    }
  });

  test('stable_token: forced again within 30 s keeps the token; forced 30 s later ends a leaked one at once', async () => {
    const clock = { now: Date.now() + 60_000 }; // a minute after the forced refresh of the test above
    const server = await drivenServer(clock);
    const stable = async (force: boolean) => {
      const payload = JSON.stringify({ grant_type: 'client_credential', appid: APP, secret, force_refresh: force });
      return (await server.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload })).json();
    };
    const ask = async (t: unknown) =>
      (await call('getweanalysisappiddailysummarytrend', day('20261005'), t as string, server)).errcode;
    try {
      const leaked = await stable(false);
      const b = await stable(true);
      assert.notEqual(b.access_token, leaked.access_token);
      clock.now += 10_000;
      assert.deepEqual(await stable(true), { access_token: b.access_token, expires_in: 7190 });
      assert.equal(await ask(leaked.access_token), undefined); // the replaced token's 5 minutes
      clock.now += 20_000;
      const c = await stable(true);
      assert.notEqual(c.access_token, b.access_token);
      assert.equal(await ask(leaked.access_token), 40001);
      assert.equal(await ask(b.access_token), undefined);
      assert.equal(await ask(c.access_token), undefined);
    } finally {
      await server.close();
    }
  });
});
