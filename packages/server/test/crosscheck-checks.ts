/**
 * Every datacube figure checked from outside: realistic traffic (skewed clocks, retried and gzipped
 * batches, opens across midnight, every scene family, profiles, many provinces) goes in through
 * ingest; the figures come out through the WeChat-compatible HTTP API; an independent reading of
 * metrics.md over what was sent (reference.ts) must give the same numbers. The checks run on live
 * reads (crosscheck-live.test.ts) and once compaction has covered the traffic
 * (crosscheck-compacted.test.ts), each file with its own engine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Miniscope } from '../src/miniscope.js';
import { type SentTraffic, sendTraffic } from './crosscheck-traffic.js';
import { ageArrivals, startTestMiniscope } from './helpers.js';
import { addDays, Reference, shanghaiDay } from './reference.js';

const APP = 'wx00000000000c0c0c';
const now = Date.now();
const today = shanghaiDay(now);
const yesterday = addDays(today, -1);
const compact = (day: string) => day.replaceAll('-', '');
/** Days of the traffic that the datacube serves (≤ yesterday). */
const days = Array.from({ length: 38 }, (_, i) => addDays(yesterday, -i));
/**
 * The days checked one by one: every day once compacted (the path every day takes in production);
 * on live reads, where every day is dirty (a store before its first compaction run), every third
 * day and the last week (the exactness tests compare live reads with raw events on every report).
 */
let dailyChecks = days;

let m: Miniscope;
let sent: SentTraffic;
let ref: Reference;
let token: string;

async function datacube(name: string, from: string, to = from): Promise<Record<string, unknown>> {
  const res = await m.server.inject({
    method: 'POST',
    url: `/datacube/${name}?access_token=${token}`,
    payload: { begin_date: compact(from), end_date: compact(to) },
  });
  const body = res.json();
  assert.equal(body.errcode ?? 0, 0, `${name} ${from}..${to}: ${res.body}`);
  return body;
}

/** Floats equal to 1e-9 relative; the API returns them unrounded. */
function assertFigures(actual: Record<string, unknown>, expected: Record<string, number>, what: string) {
  for (const [field, want] of Object.entries(expected)) {
    const got = Number(actual[field]);
    assert.ok(
      Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)),
      `${what} ${field}: got ${got}, expected ${want}`,
    );
  }
}

const asMap = (items: Array<{ key: number; value: number }>) => new Map(items.map((i) => [i.key, i.value]));

/** The traffic sent and the token, before the checks; with `compacted`, compaction covers it first. */
export function setupCrosscheck(compacted: boolean): void {
  dailyChecks = compacted ? days : days.filter((_, i) => i < 7 || i % 3 === 0);
  before(async () => {
    m = await startTestMiniscope();
    const { secret } = m.apps.add(APP, 'cross-check');
    sent = await sendTraffic(m, APP, now);
    ref = new Reference(sent.events, sent.users);
    const res = await m.server.inject({
      method: 'GET',
      url: `/cgi-bin/token?grant_type=client_credential&appid=${APP}&secret=${secret}`,
    });
    token = res.json().access_token;
    if (compacted) {
      await m.metrics.compact();
      await ageArrivals(m.store);
    }
  });
  after(async () => {
    await m.close();
  });
}

/** Every check. */
export function checks(): void {
  test('the traffic has what the check is meant to cover', () => {
    assert.ok(sent.batches > 1000, `${sent.batches} batches`);
    assert.ok(sent.retries > 50 && sent.gzipped > 50 && sent.skewed > 100, JSON.stringify(sent));
    assert.ok(new Set([...sent.users.values()].map((u) => u.province)).size > 15, 'many provinces');
    const t = ref.trend(days.at(-1)!, yesterday);
    assert.ok(t.session_cnt > 500 && t.visit_uv > 100, JSON.stringify(t));
  });

  test('daily summary and visit trend, every day', async () => {
    for (const day of dailyChecks) {
      const summary = (await datacube('getweanalysisappiddailysummarytrend', day)).list as Array<
        Record<string, unknown>
      >;
      assertFigures(summary[0]!, ref.summary(day), `summary ${day}`);
      const trend = (await datacube('getweanalysisappiddailyvisittrend', day)).list as Array<Record<string, unknown>>;
      assertFigures(trend[0]!, ref.trend(day, day), `trend ${day}`);
    }
  });

  test('weekly (Monday–Sunday) and monthly trends', async () => {
    const lastSunday = days.find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 0)!;
    for (let sunday = lastSunday; sunday >= days.at(-1)!; sunday = addDays(sunday, -7)) {
      const monday = addDays(sunday, -6);
      const list = (await datacube('getweanalysisappidweeklyvisittrend', monday, sunday)).list as Array<
        Record<string, unknown>
      >;
      assertFigures(list[0]!, ref.trend(monday, sunday), `week ${monday}`);
    }
    const month = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    const [first, last] = [`${month}-01`, addDays(`${today.slice(0, 7)}-01`, -1)];
    const list = (await datacube('getweanalysisappidmonthlyvisittrend', first, last)).list as Array<
      Record<string, unknown>
    >;
    assertFigures(list[0]!, ref.trend(first, last), `month ${month}`);
  });

  test('visit distribution: sources, stay time and depth buckets, every day', async () => {
    for (const day of dailyChecks) {
      const body = await datacube('getweanalysisappidvisitdistribution', day);
      const expected = ref.distribution(day);
      for (const index of body.list as Array<{
        index: keyof typeof expected;
        item_list: Array<{ key: number; value: number }>;
      }>) {
        assert.deepEqual(asMap(index.item_list), expected[index.index], `${day} ${index.index}`);
      }
      assert.equal((body.list as unknown[]).length, 4);
    }
  });

  test('visit pages, every day', async () => {
    for (const day of dailyChecks) {
      const list = (await datacube('getweanalysisappidvisitpage', day)).list as Array<Record<string, unknown>>;
      const expected = ref.pages(day);
      assert.deepEqual(new Set(list.map((r) => r.page_path)), new Set(expected.keys()), `${day} paths`);
      for (const row of list) assertFigures(row, expected.get(row.page_path as string)!, `${day} ${row.page_path}`);
    }
  });

  test('daily, weekly and monthly retention', async () => {
    const dailyKeys = [0, 1, 2, 3, 4, 5, 6, 7, 14, 30];
    for (const day of dailyChecks.filter((_, i) => i % 3 === 0)) {
      const body = await datacube('getweanalysisappiddailyretaininfo', day);
      const want = ref.retention(
        dailyKeys.map((key) => ({ key, from: addDays(day, key), to: addDays(day, key) })),
        today,
      );
      assert.deepEqual({ visit_uv_new: body.visit_uv_new, visit_uv: body.visit_uv }, want, `daily retention ${day}`);
    }
    const lastSunday = days.find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 0)!;
    for (let sunday = lastSunday; sunday >= days.at(-1)!; sunday = addDays(sunday, -7)) {
      const monday = addDays(sunday, -6);
      const body = await datacube('getweanalysisappidweeklyretaininfo', monday, sunday);
      const periods = [0, 1, 2, 3, 4].map((key) => ({
        key,
        from: addDays(monday, 7 * key),
        to: addDays(sunday, 7 * key),
      }));
      assert.deepEqual(
        { visit_uv_new: body.visit_uv_new, visit_uv: body.visit_uv },
        ref.retention(periods, today),
        `week ${monday}`,
      );
    }
    const thisMonth = `${today.slice(0, 7)}-01`;
    const lastMonth = `${addDays(thisMonth, -1).slice(0, 7)}-01`;
    const body = await datacube('getweanalysisappidmonthlyretaininfo', lastMonth, addDays(thisMonth, -1));
    const nextMonthEnd = addDays(`${addDays(thisMonth, 32).slice(0, 7)}-01`, -1);
    const periods = [
      { key: 0, from: lastMonth, to: addDays(thisMonth, -1) },
      { key: 1, from: thisMonth, to: nextMonthEnd },
    ];
    assert.deepEqual(
      { visit_uv_new: body.visit_uv_new, visit_uv: body.visit_uv },
      ref.retention(periods, today),
      'month',
    );
  });

  test('user portrait for yesterday, 7 and 30 days', async () => {
    for (const span of [1, 7, 30]) {
      const from = addDays(yesterday, -(span - 1));
      const body = await datacube('getweanalysisappiduserportrait', from, yesterday);
      const want = ref.portrait(from, yesterday);
      for (const kind of ['visit_uv_new', 'visit_uv'] as const) {
        const got = body[kind] as Record<string, Array<{ id?: number; name: string; value: number }>>;
        for (const [dim, expected] of Object.entries(want[kind])) {
          const key = (i: { id?: number; name: string }) =>
            ['genders', 'platforms', 'ages'].includes(dim) ? String(i.id) : i.name;
          const actual = new Map((got[dim] ?? []).map((i) => [key(i), i.value]));
          assert.deepEqual(actual, expected, `portrait ${span}d ${kind}.${dim}`);
        }
      }
    }
  });
}
