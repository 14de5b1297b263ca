/**
 * The 自定义分析 HTTP API end to end: a report's query as JSON in `?q=` (and its CSV), bad queries
 * named, event management (events seen with counts and property types, most frequent values,
 * display names, hiding, a type declared once and then used by reports) and saved reports with
 * who may change them. Figures are computed by hand from the fixture below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CollectEvent, EventAnalysisQuery } from '@miniscope/contract';
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';
import { appidOf, makeUser, sessionHeaders } from './auth-helpers.js';
import { startTestMiniscope } from './helpers.js';
import { seedUser } from './metrics-fixture.js';

const APP = appidOf(0xc1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let m: Miniscope;
let admin: User;
let analyst: User;
let analyst2: User;
let viewer: User;
const now = Date.now();
/** Shanghai's date of an instant. */
const dayOf = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const today = dayOf(now);
const tenDaysAgo = dayOf(now - 10 * DAY);
/** The day of the events of the last hours (yesterday just after midnight). */
const recent = dayOf(now - 2 * HOUR);

let seq = 0;
const custom = (at: number, name: string, props: Record<string, string | number>): CollectEvent => ({
  id: `api${++seq}`,
  t: 'event',
  ts: at,
  sid: 's1',
  name,
  props,
});

/*
 * u1: buy {sku A, price 10} ten days ago; buy {B, 20} 2 hours ago; buy {A, 5} an hour ago;
 *     pay {code '12'} and pay {code 7} an hour ago (code: not all JSON numbers → a string).
 * u2: no custom events; two opens 3 hours ago: pages a, b, b, c; and a, c.
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'custom api');
  admin = await makeUser(m, 'custom_admin');
  analyst = await makeUser(m, 'custom_analyst');
  analyst2 = await makeUser(m, 'custom_analyst2');
  viewer = await makeUser(m, 'custom_viewer');
  m.auth.members.setAdmin(APP, admin.id, null);
  const perms = { developer: false, tester: false, analyst: true };
  m.auth.members.set(APP, analyst.id, perms, admin.id);
  m.auth.members.set(APP, analyst2.id, perms, admin.id);
  m.auth.grants.grant(m.apps.get(APP)!, viewer, admin);
  await seedUser(m, APP, 'u1', [
    custom(now - 10 * DAY, 'buy', { sku: 'A', price: 10 }),
    custom(now - 2 * HOUR, 'buy', { sku: 'B', price: 20 }),
    custom(now - HOUR, 'buy', { sku: 'A', price: 5 }),
    custom(now - HOUR, 'pay', { code: '12' }),
    custom(now - HOUR, 'pay', { code: 7 }),
  ]);
  const t = now - 3 * HOUR;
  const open = (sid: string, at: number): CollectEvent => ({
    id: `${sid}o`,
    t: 'open',
    ts: at,
    sid,
    scene: 1001,
    path: 'pages/a',
    cold: true,
  });
  const pv = (sid: string, at: number, path: string): CollectEvent => ({
    id: `${sid}${at}`,
    t: 'pv',
    ts: at,
    sid,
    path,
  });
  await seedUser(m, APP, 'u2', [
    open('p1', t),
    ...['pages/a', 'pages/b', 'pages/b', 'pages/c'].map((path, i) => pv('p1', t + i * 1000, path)),
    open('p2', t + 600_000),
    ...['pages/a', 'pages/c'].map((path, i) => pv('p2', t + 600_000 + i * 1000, path)),
  ]);
});

after(() => m.close());

const call = (user: User, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: object) =>
  m.server.inject({ method, url: `/api/apps/${APP}/${path}`, headers: sessionHeaders(m, user), payload });
const q = (query: object) => `q=${encodeURIComponent(JSON.stringify(query))}`;
const buyQuery: EventAnalysisQuery = {
  event: 'buy',
  metrics: [{ kind: 'count' }, { kind: 'sum', prop: 'price' }],
  group_by: [{ prop: 'sku' }],
  granularity: 'total',
  from: tenDaysAgo,
  to: today,
};

describe('event analysis over HTTP', () => {
  test('the answer, and its CSV', async () => {
    const res = await call(viewer, 'GET', `custom/events?${q(buyQuery)}`);
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json();
    assert.equal(a.app, APP);
    // A: 10 + 5 (two events), B: 20.
    assert.deepEqual(
      a.series.map((s: { group: string[]; total: number[] }) => [s.group[0], ...s.total]),
      [
        ['A', 2, 15],
        ['B', 1, 20],
      ],
    );
    const csv = await call(viewer, 'GET', `custom/events?${q(buyQuery)}&format=csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const whole = `合计 ${tenDaysAgo}~${today}`;
    assert.deepEqual(lines, ['时间,sku,总次数,price·总和', `${whole},A,2,15`, `${whole},B,1,20`]);
  });

  test('bad queries are named', async () => {
    const notJson = await call(viewer, 'GET', 'custom/events?q=%7Bnope');
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error.code, 'bad_query');
    assert.match(notJson.json().error.message, /JSON/);
    const noMetrics = await call(viewer, 'GET', `custom/events?${q({ event: 'buy', from: today, to: today })}`);
    assert.equal(noMetrics.statusCode, 400);
    assert.match(noMetrics.json().error.message, /metrics/);
    const missing = await call(viewer, 'GET', 'custom/events');
    assert.equal(missing.statusCode, 400);
    const long = await call(viewer, 'GET', `custom/events?${q({ ...buyQuery, from: '2020-01-01' })}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.json().error.message, /366/);
  });
});

describe('funnels, paths and event retention over HTTP', () => {
  const funnel = { steps: [{ event: 'buy' }, { event: 'pay' }], from: tenDaysAgo, to: today };

  test('a funnel: buy, then pay strictly later within the window', async () => {
    const res = await call(viewer, 'GET', `custom/funnel?${q(funnel)}`);
    assert.equal(res.statusCode, 200, res.body);
    const f = res.json();
    // u1's buy 2 hours ago is followed by a pay an hour later (the buy an hour ago is at the pay's
    // time, which does not chain): the shortest conversion is 1 hour.
    assert.deepEqual([f.users, f.conversion, f.overall, f.median_ms], [[1, 1], [1, 1], 1, HOUR]);
    // Over time, by the day of u1's earliest buy of the range (ten days ago).
    assert.deepEqual(
      f.over_time.filter((d: { users: number }) => d.users > 0),
      [{ day: tenDaysAgo, users: 1, converted: 1, overall: 1 }],
    );
    const csv = await call(viewer, 'GET', `custom/funnel?${q(funnel)}&format=csv`);
    assert.deepEqual(
      csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
      ['分组,步骤,事件,用户数,转化率,总体转化率,转化时间中位数 (秒)', '全部,1,buy,1,1,1,', '全部,2,pay,1,1,1,3600'],
    );
    // Within 30 minutes, nobody converts.
    const short = (await call(viewer, 'GET', `custom/funnel?${q({ ...funnel, window_ms: 1_800_000 })}`)).json();
    assert.deepEqual([short.users, short.overall, short.median_ms], [[1, 0], 0, null]);
    const one = await call(viewer, 'GET', `custom/funnel?${q({ ...funnel, steps: [{ event: 'buy' }] })}`);
    assert.equal(one.statusCode, 400);
    assert.match(one.json().error.message, /steps/);
  });

  test('paths from the entry page: repeats collapsed, 离开 where an open ends early', async () => {
    const query = { direction: 'from', steps: 3, from: tenDaysAgo, to: today };
    const res = await call(viewer, 'GET', `custom/paths?${q(query)}`);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.deepEqual(p.nodes, [
      { step: 1, name: 'pages/a', opens: 2 },
      { step: 2, name: 'pages/b', opens: 1 },
      { step: 2, name: 'pages/c', opens: 1 },
      { step: 3, name: 'pages/c', opens: 1 },
    ]);
    const links = p.links.map((l: { step: number; source: string; target: string; opens: number }) =>
      [l.step, l.source, l.target, l.opens].join(' '),
    );
    assert.deepEqual(links.sort(), [
      '1 pages/a pages/b 1',
      '1 pages/a pages/c 1',
      '2 pages/b pages/c 1',
      '2 pages/c 离开 1',
    ]);
    const csv = await call(viewer, 'GET', `custom/paths?${q(query)}&format=csv`);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.equal(lines[0], '类型,步骤,节点,下一步,打开次数');
    assert.equal(lines[1], '节点,1,pages/a,,2');
    assert.equal(lines.length, 1 + 4 + 4);
    const noEnd = await call(viewer, 'GET', `custom/paths?${q({ ...query, direction: 'to' })}`);
    assert.equal(noEnd.statusCode, 400);
    assert.match(noEnd.json().error.message, /page/);
  });

  test('event retention: the cohort of the buy ten days ago, keys up to yesterday', async () => {
    const query = { initial: { event: 'buy' }, return: { event: 'pay' }, from: tenDaysAgo, to: tenDaysAgo };
    const res = await call(viewer, 'GET', `custom/retention?${q(query)}`);
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    // Keys 0–7 have ended (key 14 is four days from now); u1 paid on none of those days.
    assert.deepEqual(r.rows, [
      {
        start: tenDaysAgo,
        end: tenDaysAgo,
        values: [0, 1, 2, 3, 4, 5, 6, 7].map((key) => ({ key, value: key === 0 ? 1 : 0, rate: key === 0 ? 1 : 0 })),
      },
    ]);
    const csv = await call(viewer, 'GET', `custom/retention?${q(query)}&format=csv`);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.deepEqual(lines.slice(0, 3), [
      '开始日期,结束日期,间隔,人数,留存率',
      `${tenDaysAgo},${tenDaysAgo},0,1,1`,
      `${tenDaysAgo},${tenDaysAgo},1,0,0`,
    ]);
  });
});

describe('event management', () => {
  test('the events seen, with counts and property types', async () => {
    const res = await call(viewer, 'GET', 'custom/event-defs');
    assert.equal(res.statusCode, 200, res.body);
    const [buy, pay] = res.json().events;
    assert.equal(buy.name, 'buy');
    assert.equal(buy.first_seen, now - 10 * DAY);
    assert.equal(buy.last_seen, now - HOUR);
    // The event ten days ago is outside the last 7 days.
    assert.equal(buy.count_7d, 2);
    assert.deepEqual(
      buy.props.map((p: { name: string; type: string; declared: boolean }) => [p.name, p.type, p.declared]),
      [
        ['price', 'number', false],
        ['sku', 'string', false],
      ],
    );
    assert.equal(pay.name, 'pay');
    assert.equal(pay.count_7d, 2);
    assert.deepEqual(pay.props[0], {
      name: 'code',
      type: 'string',
      declared: false,
      display_name: null,
      description: null,
    });
  });

  test('most frequent values of a property', async () => {
    const res = await call(viewer, 'GET', 'custom/event-defs/buy/props/sku/values');
    assert.deepEqual(res.json().values, [
      { value: 'A', count: 2 },
      { value: 'B', count: 1 },
    ]);
    const bad = await call(viewer, 'GET', 'custom/event-defs/Bad!/props/sku/values');
    assert.equal(bad.statusCode, 400);
  });

  test('names, hiding, and a type declared once that reports then use', async () => {
    assert.equal((await call(viewer, 'PUT', 'custom/event-defs/pay', { display_name: '支付' })).statusCode, 403);
    const named = await call(analyst, 'PUT', 'custom/event-defs/pay', { display_name: '支付', hidden: true });
    assert.equal(named.statusCode, 200, named.body);
    const sumCode = { event: 'pay', metrics: [{ kind: 'sum', prop: 'code' }], from: recent, to: today };
    const before = await call(viewer, 'GET', `custom/events?${q(sumCode)}`);
    assert.equal(before.statusCode, 400);
    assert.match(before.json().error.message, /not a number property/);
    const typed = await call(analyst, 'PUT', 'custom/props/code', { type: 'number', display_name: '编码' });
    assert.equal(typed.statusCode, 200, typed.body);
    // '12' and 7 read as numbers once code is declared one.
    const after = await call(viewer, 'GET', `custom/events?${q({ ...sumCode, granularity: 'total' })}`);
    assert.deepEqual(after.json().series[0].total, [19]);
    const again = await call(analyst, 'PUT', 'custom/props/code', { type: 'string' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'type_declared');
    const described = await call(analyst, 'PUT', 'custom/props/code', { description: '订单编码' });
    assert.equal(described.json().type, 'number');
    assert.equal(described.json().display_name, '编码');
    const pay = (await call(viewer, 'GET', 'custom/event-defs')).json().events[1];
    assert.deepEqual([pay.display_name, pay.hidden], ['支付', true]);
    assert.deepEqual(pay.props[0], {
      name: 'code',
      type: 'number',
      declared: true,
      display_name: '编码',
      description: '订单编码',
    });
    const tooLong = await call(analyst, 'PUT', 'custom/event-defs/pay', { display_name: 'x'.repeat(33) });
    assert.equal(tooLong.statusCode, 400);
  });
});

describe('saved reports', () => {
  test('saved by members with 数据分析, read by viewers, changed by their author or the admin', async () => {
    const body = { kind: 'events', name: '购买', query: buyQuery };
    assert.equal((await call(viewer, 'POST', 'custom/saved-reports', body)).statusCode, 403);
    const created = await call(analyst, 'POST', 'custom/saved-reports', body);
    assert.equal(created.statusCode, 201, created.body);
    const saved = created.json();
    assert.equal(saved.created_by, 'custom_analyst 名');
    assert.deepEqual(saved.query, buyQuery);
    assert.equal(saved.can_change, true);
    const list = (await call(viewer, 'GET', 'custom/saved-reports')).json().reports;
    assert.deepEqual(
      list.map((r: { id: number; name: string; can_change: boolean }) => [r.id, r.name, r.can_change]),
      [[saved.id, '购买', false]],
    );
    const canChange = async (user: User) =>
      (await call(user, 'GET', 'custom/saved-reports')).json().reports[0].can_change;
    assert.deepEqual(
      [await canChange(analyst), await canChange(analyst2), await canChange(admin)],
      [true, false, true],
    );
    const renamed = { ...body, name: '购买次数' };
    assert.equal((await call(analyst2, 'PUT', `custom/saved-reports/${saved.id}`, renamed)).statusCode, 403);
    const put = await call(analyst, 'PUT', `custom/saved-reports/${saved.id}`, renamed);
    assert.equal(put.json().name, '购买次数');
    assert.equal((await call(analyst2, 'DELETE', `custom/saved-reports/${saved.id}`)).statusCode, 403);
    assert.equal((await call(admin, 'DELETE', `custom/saved-reports/${saved.id}`)).statusCode, 200);
    assert.deepEqual((await call(viewer, 'GET', 'custom/saved-reports')).json().reports, []);
    assert.equal((await call(admin, 'DELETE', `custom/saved-reports/${saved.id}`)).statusCode, 404);
  });

  test('a query that would not open is refused', async () => {
    const bad = await call(analyst, 'POST', 'custom/saved-reports', {
      kind: 'funnel',
      name: 'x',
      query: { steps: [] },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /query\.steps/);
  });
});
