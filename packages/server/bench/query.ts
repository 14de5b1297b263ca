/**
 * Query benchmark (not a test): every dashboard report and datacube endpoint, timed through HTTP
 * (in-process `inject`, so the figure is the server's own time) over N events generated in-engine.
 * Cold = the first call of an endpoint after the server opened the store; warm = p50/p95 of the
 * repeated calls after it. The data directory is kept, so a second run skips generation.
 *
 * The generated history is treated as having arrived long ago (as it would have, over 90 days), so
 * that after compaction every day is clean and read from the cubes; the run prints how many days
 * are dirty before it measures. Then again with traffic arriving today (today read live), and after
 * a burst of late events touching every day of the last 30 (an outage followed by phones resending
 * their queues): every report of those days read live, then how long compaction takes to make them
 * clean. `--live false` skips both.
 *
 * 自定义分析: the shop's custom events of custom-data.ts (added to a data directory that has none),
 * timed by report: event analysis (3 metrics, 2 group-bys, 30 days), a 5-step funnel over 7 days,
 * paths of 5 steps and event retention. `--only custom` times those alone; `--custom false` skips
 * them and adds no custom events (to compare with a version that had none).
 *
 *   npm run bench:query -- [--events 10000000] [--runs 10] [--data-dir data/bench-10M] [--live false]
 *     [--only custom] [--custom false]
 */
import fs from 'node:fs';
import { loadConfig, parseFlags } from '../src/config.js';
import { readFreshness } from '../src/metrics/plan/freshness.js';
import { createMiniscope } from '../src/miniscope.js';
import { ageArrivals } from '../test/helpers.js';
import { countOf, generateCustomEvents, SHOP_STEPS } from './custom-data.js';
import { generateEvents } from './query-data.js';

const { flags } = parseFlags(process.argv.slice(2));
const events = Number(flags.events ?? 10_000_000);
const runs = Number(flags.runs ?? 10);
const label = events >= 1e6 ? `${events / 1e6}M` : String(events);
const dataDir = flags['data-dir'] ?? `data/bench-${label}`;
const APP = 'wx00000000000b0b0b';

const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const compact = (d: string) => d.replaceAll('-', '');

async function main() {
  const fresh = !fs.existsSync(dataDir);
  const m = await createMiniscope(loadConfig({}, { 'data-dir': dataDir, 'log-level': 'warn', 'compact-every': '0' }));
  const now = Date.now();
  let secret: string;
  if (fresh || !m.apps.get(APP)) {
    secret = m.apps.add(APP, 'bench').secret;
    const t0 = performance.now();
    const n = await generateEvents(m.store, APP, events, now);
    console.log(`generated ${n.toLocaleString('en')} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    secret = m.apps.rotateSecret(APP);
  }
  const withCustom = flags.custom !== 'false';
  if (withCustom && (await countOf(m.store, APP)).custom === 0) {
    const t0 = performance.now();
    const custom = await generateCustomEvents(m.store, APP);
    console.log(
      `generated ${custom.toLocaleString('en')} custom events in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  const compactTimed = async (what: string) => {
    const t0 = performance.now();
    const r = await m.metrics.compact();
    console.log(`compaction (${what}): ${r.days} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  const dirtyDays = async () => (await readFreshness(m.store, APP)).dirty.length;
  await compactTimed('what arrived');
  // The history arrived long before now: past compaction's margin, so nothing of it stays dirty.
  await ageArrivals(m.store);
  await compactTimed('settled');
  console.log(`dirty days before measuring: ${await dirtyDays()}`);
  const [{ n } = { n: '0' }] = await m.store.query<{ n: string }>(
    'SELECT count() AS n FROM events WHERE app_id = {app:String}',
    { app: APP },
  );
  const admin =
    m.auth.users.byWechatId('bench_admin') ??
    (await m.auth.users.add('bench_admin', 'bench', 'bench password 1', false));
  if (m.auth.members.adminOf(APP) !== admin.id) m.auth.members.setAdmin(APP, admin.id, null);
  const session = m.auth.sessions.create(admin.id);
  const headers = { cookie: `ms_session=${session.token}` };
  const token = (
    await m.server.inject({ url: `/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=${secret}` })
  ).json().access_token;

  const yesterday = day(now - 86_400_000);
  const from30 = day(now - 30 * 86_400_000);
  const from7 = day(now - 7 * 86_400_000);
  const lastSunday = (() => {
    let d = now - 86_400_000;
    while (new Date(d + 8 * 3_600_000).getUTCDay() !== 0) d -= 86_400_000;
    return d;
  })();
  const thisMonth = `${day(now).slice(0, 7)}-01`;
  const lastMonthEnd = day(Date.parse(`${thisMonth}T00:00:00+08:00`) - 86_400_000);
  const range30 = `from=${from30}&to=${yesterday}`;
  const api = `/api/apps/${APP}`;
  const dashboard: Array<[string, string]> = [
    ['overview', `${api}/overview?${range30}`],
    ['trend 30 days', `${api}/trend?${range30}&granularity=day`],
    ['trend weekly', `${api}/trend?${range30}&granularity=week`],
    ['sources', `${api}/sources?${range30}`],
    ['source scenes', `${api}/sources/1/scenes?${range30}`],
    ['distribution', `${api}/distribution?${range30}`],
    ['retention daily', `${api}/retention?${range30}&granularity=day`],
    ['pages', `${api}/pages?${range30}`],
    ['realtime', `${api}/realtime?step=5`],
    ['portrait 30 days', `${api}/portrait?days=30`],
    ['pages CSV', `${api}/pages?${range30}&format=csv`],
    ['page trend', `${api}/pages/trend?${range30}&path=pages%2Fp0%2Findex`],
  ];
  const cube = (name: string, b: string, e = b) =>
    [
      name,
      `/datacube/getweanalysisappid${name}?access_token=${token}`,
      { begin_date: compact(b), end_date: compact(e) },
    ] as const;
  const datacube = [
    cube('dailysummarytrend', yesterday),
    cube('dailyvisittrend', yesterday),
    cube('weeklyvisittrend', day(lastSunday - 6 * 86_400_000), day(lastSunday)),
    cube('monthlyvisittrend', `${lastMonthEnd.slice(0, 7)}-01`, lastMonthEnd),
    cube('dailyretaininfo', from30),
    cube('weeklyretaininfo', day(lastSunday - 34 * 86_400_000), day(lastSunday - 28 * 86_400_000)),
    cube('monthlyretaininfo', `${lastMonthEnd.slice(0, 7)}-01`, lastMonthEnd),
    cube('visitdistribution', yesterday),
    cube('visitpage', yesterday),
    cube('userportrait', from7 === yesterday ? yesterday : day(now - 7 * 86_400_000), yesterday),
  ];

  const rows: string[] = [];
  const time = async (name: string, call: () => Promise<{ statusCode: number; body: string }>) => {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const res = await call();
      times.push(performance.now() - t0);
      if (res.statusCode !== 200 || res.body.includes('"errcode":4') || res.body.includes('"errcode":6')) {
        throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    }
    const [cold, ...warm] = times;
    warm.sort((a, b) => a - b);
    const pct = (p: number) => warm[Math.min(warm.length - 1, Math.ceil(warm.length * p) - 1)]!;
    rows.push(`| ${name} | ${cold!.toFixed(0)} | ${pct(0.5).toFixed(0)} | ${pct(0.95).toFixed(0)} |`);
    console.log(rows.at(-1));
  };
  const timeAll = async (title: string) => {
    console.log(`\n${title}\n| endpoint | cold | p50 | p95 |\n|---|---|---|---|`);
    for (const [name, url] of dashboard) await time(name, () => m.server.inject({ url, headers }));
    for (const [name, url, payload] of datacube)
      await time(`datacube ${name}`, () => m.server.inject({ method: 'POST', url, payload }));
  };
  const custom = (report: string, query: object) =>
    `${api}/custom/${report}?q=${encodeURIComponent(JSON.stringify(query))}`;
  const steps = SHOP_STEPS.map((event) => ({ event }));
  const customReports: Array<[string, string]> = [
    [
      'event analysis: 3 metrics, 2 group-bys, 30 days',
      custom('events', {
        event: 'view_goods',
        metrics: [{ kind: 'count' }, { kind: 'users' }, { kind: 'avg', prop: 'price' }],
        group_by: [{ prop: 'category' }, { field: 'platform' }],
        from: from30,
        to: yesterday,
      }),
    ],
    [
      'event analysis: the same, 30 days to today (today live)',
      custom('events', {
        event: 'view_goods',
        metrics: [{ kind: 'count' }, { kind: 'users' }, { kind: 'avg', prop: 'price' }],
        group_by: [{ prop: 'category' }, { field: 'platform' }],
        from: day(now - 29 * 86_400_000),
        to: day(now),
      }),
    ],
    ['funnel: 5 steps, 7 days', custom('funnel', { steps, from: from7, to: yesterday })],
    [
      'funnel: 5 steps, 30 days, 1 h window',
      custom('funnel', { steps, window_ms: 3_600_000, from: from30, to: yesterday }),
    ],
    ['paths: 5 steps from entry, 7 days', custom('paths', { direction: 'from', steps: 5, from: from7, to: yesterday })],
    [
      'paths: 5 steps from entry, 30 days',
      custom('paths', { direction: 'from', steps: 5, from: from30, to: yesterday }),
    ],
    [
      'event retention: view_goods → pay, 30 days',
      custom('retention', { initial: { event: 'view_goods' }, return: { event: 'pay' }, from: from30, to: yesterday }),
    ],
  ];
  const [{ c } = { c: '0' }] = await m.store.query<{ c: string }>(
    "SELECT count() AS c FROM events WHERE app_id = {app:String} AND type = 'event'",
    { app: APP },
  );
  const timeCustom = async () => {
    console.log(
      `\n自定义分析: ${Number(c).toLocaleString('en')} of the ${Number(n).toLocaleString('en')} events are custom, ${runs} warm runs each (ms)\n| report | cold | p50 | p95 |\n|---|---|---|---|`,
    );
    for (const [name, url] of customReports) await time(name, () => m.server.inject({ url, headers }));
  };
  if (flags.only === 'custom') {
    await timeCustom();
    await m.close();
    return;
  }
  await timeAll(`query: ${Number(n).toLocaleString('en')} events, all compacted, ${runs} warm runs each (ms)`);
  if (withCustom) await timeCustom();
  if (flags.live !== 'false') {
    // Traffic arriving: a copy of some of yesterday's events a day later (new opens today), so today
    // is dirty and read live, as while a mini program is used.
    await m.store.command(
      // NOTE: filtered in a subquery: beside the REPLACE, `ts` in WHERE would mean the shifted time.
      `INSERT INTO events SELECT * REPLACE (ts + INTERVAL 1 DAY AS ts, concat(sid, '-live') AS sid, now64(3) AS received_at)
       FROM (SELECT * FROM events WHERE app_id = {app:String} AND toDate(ts) = {day:Date} ORDER BY user_id, sid LIMIT 3000)`,
      { app: APP, day: yesterday },
    );
    await timeAll(`with traffic arriving today (today read live), ${runs} warm runs each (ms)`);
    // A burst of late events: one late page view in a few opens of every day of the last 30.
    await m.store.command(
      `INSERT INTO events SELECT * REPLACE (ts + INTERVAL 1 SECOND AS ts, now64(3) AS received_at)
       FROM (SELECT * FROM events WHERE app_id = {app:String} AND toDate(ts) >= {from:Date} AND toDate(ts) <= {to:Date}
         AND type = 'pv' ORDER BY cityHash64(sid) LIMIT 3 BY toDate(ts))`,
      { app: APP, from: from30, to: yesterday },
    );
    console.log(`\nafter a burst of late events: ${await dirtyDays()} dirty days`);
    await timeAll(`after a burst of late events (every day of the range read live), ${runs} warm runs each (ms)`);
    await compactTimed('after the burst');
    console.log(`dirty days after that run: ${await dirtyDays()}`);
  }
  await m.close();
}

await main();
