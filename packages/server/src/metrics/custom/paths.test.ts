/**
 * 路径分析 against a hand-computed fixture: from a start, from the entry page, to an end, repeated
 * pages collapsed, opens ending before the next step (离开), top K with 其他, an open crossing
 * midnight, two page views at the same ms, custom events as nodes with equal times; every answer
 * read the same live (before compaction), from the rollup, from raw events and from compacted opens,
 * and from per-day parts (path-parts.ts), before and after a late open.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CollectEvent, PathQuery } from '@miniscope/contract';
import { ageArrivals, startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser, sh } from '../../../test/metrics-fixture.js';
import type { Miniscope } from '../../miniscope.js';
import { readFreshness } from '../plan/freshness.js';
import type { OpensSource } from '../plan/query.js';
import { runReport } from '../reports/report.js';
import { pathShapeKey } from './path-parts.js';
import { type PathsAnswer, parsePathQuery } from './paths.js';
import { pathsReport } from './paths-report.js';

const APP = 'wx00000000000000f3';
const A = 'pages/a';
const B = 'pages/b';
const C = 'pages/c';
const D = 'pages/d';
const E = 'pages/e';
let m: Miniscope;

let n = 0;
const custom = (sid: string, at: string, name: string): CollectEvent => ({
  id: `c${++n}`,
  t: 'event',
  ts: sh(at),
  sid,
  name,
  props: {},
});

/** An open at `at` with page views one second apart from `at` + 1 s. */
const open = (sid: string, at: string, paths: string[]) => [
  ev.open(sid, at),
  ...paths.map((p, i) => ({ ...ev.pv(sid, at, p), ts: sh(at) + (i + 1) * 1000 })),
];

/*
 * 10-05 (page views in time order → the sequence, consecutive repeats collapsed):
 * u1 o1: A B B C        → [A B C]
 * u1 o2: A C A D        → [A C A D]
 * u2 o3: B A B          → [B A B]
 * u2 o4: A              → [A]
 * u3 o5: open 23:59:00, A 23:59:10, B 10-06 00:00:10, E 10-06 00:00:20 → a 10-05 open: [A B E]
 * u3 o6: open 10-04 23:59:50, C 23:59:55, A 10-05 00:00:05 → a 10-04 open: not in 10-05
 * u4 o7: open, no page view, a custom event → not a counted open
 * u5 o9: C and B at the same ms, then A → by path at an equal time: [B C A]
 *
 * 10-07, with custom events (add_cart, view_goods asked; other not):
 * u6 o10: view_goods 09:59:59; A 10:00:00; B and view_goods 10:00:01 (the view first); add_cart
 *         10:00:02; other 10:00:02.500; add_cart 10:00:03; C 10:00:04
 *         → [event:view_goods A B event:view_goods event:add_cart C] (pages only: [A B C])
 * u7 o11: open 23:59:50; A 23:59:55; add_cart 10-08 00:00:05; other 00:00:07; A 00:00:10; A 00:00:12
 *         → a 10-07 open: [A event:add_cart A] (pages only: [A])
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'paths');
  await seedUser(m, APP, 'u1', [
    ...open('o1', '2026-10-05 10:00:00', [A, B, B, C]),
    ...open('o2', '2026-10-05 11:00:00', [A, C, A, D]),
  ]);
  await seedUser(m, APP, 'u2', [
    ...open('o3', '2026-10-05 12:00:00', [B, A, B]),
    ...open('o4', '2026-10-05 13:00:00', [A]),
  ]);
  await seedUser(m, APP, 'u3', [
    ev.open('o5', '2026-10-05 23:59:00'),
    ev.pv('o5', '2026-10-05 23:59:10', A),
    ev.pv('o5', '2026-10-06 00:00:10', B),
    ev.pv('o5', '2026-10-06 00:00:20', E),
    ev.open('o6', '2026-10-04 23:59:50'),
    ev.pv('o6', '2026-10-04 23:59:55', C),
    ev.pv('o6', '2026-10-05 00:00:05', A),
  ]);
  await seedUser(m, APP, 'u4', [ev.open('o7', '2026-10-05 14:00:00'), custom('o7', '2026-10-05 14:00:01', 'add_cart')]);
  await seedUser(m, APP, 'u5', [
    ev.open('o9', '2026-10-05 15:00:00'),
    ev.pv('o9', '2026-10-05 15:00:01', C),
    ev.pv('o9', '2026-10-05 15:00:01', B),
    ev.pv('o9', '2026-10-05 15:00:02', A),
  ]);
  await seedUser(m, APP, 'u6', [
    ev.open('o10', '2026-10-07 09:59:58'),
    custom('o10', '2026-10-07 09:59:59', 'view_goods'),
    ev.pv('o10', '2026-10-07 10:00:00', A),
    custom('o10', '2026-10-07 10:00:01', 'view_goods'),
    ev.pv('o10', '2026-10-07 10:00:01', B),
    custom('o10', '2026-10-07 10:00:02', 'add_cart'),
    { ...custom('o10', '2026-10-07 10:00:02', 'other'), ts: sh('2026-10-07 10:00:02') + 500 },
    custom('o10', '2026-10-07 10:00:03', 'add_cart'),
    ev.pv('o10', '2026-10-07 10:00:04', C),
  ]);
  await seedUser(m, APP, 'u7', [
    ev.open('o11', '2026-10-07 23:59:50'),
    ev.pv('o11', '2026-10-07 23:59:55', A),
    custom('o11', '2026-10-08 00:00:05', 'add_cart'),
    custom('o11', '2026-10-08 00:00:07', 'other'),
    ev.pv('o11', '2026-10-08 00:00:10', A),
    ev.pv('o11', '2026-10-08 00:00:12', A),
  ]);
});

after(() => m.close());

const DAY = { from: '2026-10-05', to: '2026-10-05' };
const EVENTS_DAY = { from: '2026-10-07', to: '2026-10-07' };

/** Every query asked, with its answer read live, to read again from compacted opens at the end. */
const asked: Array<[PathQuery, PathsAnswer]> = [];

const run = (query: PathQuery, opensFrom?: OpensSource) =>
  runReport(m.store, pathsReport, { app: APP, query: parsePathQuery(query), opensFrom });

/** The answer (read live, before any compaction), the same from raw events and from the rollup. */
async function paths(query: PathQuery): Promise<PathsAnswer> {
  const answer = await run(query);
  assert.deepEqual(await run(query, 'events'), answer, 'from raw events');
  assert.deepEqual(await run(query, 'open_rollup'), answer, 'from the rollup');
  assertStepsSum(answer);
  asked.push([query, answer]);
  return answer;
}

/** Nodes at a step sum to the opens that reached it: the opens of the edges into it. */
function assertStepsSum(answer: PathsAnswer) {
  for (const node of answer.nodes) assert.notEqual(node.name, '离开');
  const steps = new Set(answer.nodes.map((x) => x.step));
  for (const step of steps) {
    if (step === Math.min(...steps)) continue;
    const atStep = answer.nodes.filter((x) => x.step === step).reduce((s, x) => s + x.opens, 0);
    const into = answer.links
      .filter((l) => l.step === step - 1 && l.target !== '离开')
      .reduce((s, l) => s + l.opens, 0);
    if (answer.direction === 'from') assert.equal(atStep, into, `step ${step}`);
  }
}

const node = (step: number, name: string, opens: number) => ({ step, name, opens });
const link = (step: number, source: string, target: string, opens: number) => ({ step, source, target, opens });

test('from the entry page: collapsed repeats, an equal-time tie by path, 离开, the day of an open across midnight', async () => {
  const answer = await paths({ direction: 'from', steps: 3, ...DAY });
  assert.deepEqual(answer, {
    ...DAY,
    direction: 'from',
    page: null,
    nodes: [
      node(1, A, 4), // o1 o2 o4 o5 (o6 is 10-04's)
      node(1, B, 2), // o3, o9 (B before C at the same ms)
      node(2, B, 2), // o1 (B B collapsed), o5 (after midnight)
      node(2, C, 2), // o2, o9; B before C: equal opens, by name
      node(2, A, 1), // o3
      node(3, A, 2), // o2, o9
      node(3, B, 1), // o3
      node(3, C, 1), // o1: collapsed, its third node is C, not B
      node(3, E, 1), // o5 after midnight; o2's D is step 4, beyond N
    ],
    links: [
      link(1, A, B, 2), // o1, o5
      link(1, A, C, 1), // o2
      link(1, A, '离开', 1), // o4 ends at step 1
      link(1, B, A, 1), // o3
      link(1, B, C, 1), // o9
      link(2, C, A, 2), // o2, o9
      link(2, A, B, 1), // o3
      link(2, B, C, 1), // o1
      link(2, B, E, 1), // o5; no 离开 after step N (3)
    ],
  });
});

test('from a start page: each open from its first view of it, 离开 where it ends early', async () => {
  const answer = await paths({ direction: 'from', page: B, steps: 3, ...DAY });
  // o1 [B C], o3 [B A B], o5 [B E], o9 [B C A]; o2 and o4 never view B.
  assert.deepEqual(answer.nodes, [
    node(1, B, 4),
    node(2, C, 2),
    node(2, A, 1),
    node(2, E, 1),
    node(3, A, 1),
    node(3, B, 1),
  ]);
  assert.deepEqual(answer.links, [
    link(1, B, C, 2), // o1, o9
    link(1, B, A, 1), // o3
    link(1, B, E, 1), // o5
    link(2, A, B, 1), // o3
    link(2, C, A, 1), // o9
    link(2, C, '离开', 1), // o1 ends at step 2
    link(2, E, '离开', 1), // o5
  ]);
  assert.equal(answer.page, B);
});

test('to an end: the steps before the last view of it, opens with fewer earlier pages start later', async () => {
  const answer = await paths({ direction: 'to', page: A, steps: 3, ...DAY });
  // Last view of A: o1 [A] (step 3 only), o2 [A C A] (its last A, not its first), o3 [B A], o4 [A],
  // o5 [A], o9 [B C A].
  assert.deepEqual(answer.nodes, [
    node(1, A, 1), // o2
    node(1, B, 1), // o9
    node(2, C, 2), // o2, o9
    node(2, B, 1), // o3
    node(3, A, 6),
  ]);
  assert.deepEqual(answer.links, [
    link(1, A, C, 1),
    link(1, B, C, 1),
    link(2, C, A, 2),
    link(2, B, A, 1), // no 离开 in this direction: every walk ends at the end page
  ]);
});

test('top K per step, the rest as 其他 with their opens and edges', async () => {
  const answer = await paths({ direction: 'from', steps: 3, top: 1, ...DAY });
  assert.deepEqual(answer.nodes, [
    node(1, A, 4),
    node(1, '其他', 2), // B
    node(2, B, 2), // B and C tie at 2: B by name
    node(2, '其他', 3), // C 2 + A 1
    node(3, A, 2),
    node(3, '其他', 3), // B, C, E
  ]);
  assert.deepEqual(answer.links, [
    link(1, A, B, 2), // o1, o5
    link(1, '其他', '其他', 2), // o3 B→A, o9 B→C
    link(1, A, '其他', 1), // o2 A→C
    link(1, A, '离开', 1), // o4
    link(2, B, '其他', 2), // o1 B→C, o5 B→E
    link(2, '其他', A, 2), // o2 C→A, o9 C→A
    link(2, '其他', '其他', 1), // o3 A→B
  ]);
});

test('custom events as nodes, a page view first at an equal time, collapsed after interleaving', async () => {
  const events = ['view_goods', 'add_cart'];
  const answer = await paths({ direction: 'from', steps: 4, events, ...EVENTS_DAY });
  // o10 from its entry page A: [A B event:view_goods event:add_cart] (C is step 5);
  // o11 [A event:add_cart A] (its events after midnight; `other` is no node) ends at step 3: 离开.
  assert.deepEqual(answer.nodes, [
    node(1, A, 2),
    node(2, 'event:add_cart', 1),
    node(2, B, 1),
    node(3, 'event:view_goods', 1),
    node(3, A, 1),
    node(4, 'event:add_cart', 1),
  ]);
  assert.deepEqual(answer.links, [
    link(1, A, 'event:add_cart', 1),
    link(1, A, B, 1),
    link(2, 'event:add_cart', A, 1),
    link(2, B, 'event:view_goods', 1),
    link(3, 'event:view_goods', 'event:add_cart', 1),
    link(3, A, '离开', 1),
  ]);
  // Event nodes rank with pages for the top K.
  const top = await paths({ direction: 'from', steps: 2, top: 1, events, ...EVENTS_DAY });
  assert.deepEqual(top.nodes, [node(1, A, 2), node(2, 'event:add_cart', 1), node(2, '其他', 1)]);
  // To an end that is an event: the nodes before its last time.
  const to = await paths({ direction: 'to', page: 'event:add_cart', steps: 3, events, ...EVENTS_DAY });
  assert.deepEqual(to.nodes, [
    node(1, B, 1), // o10 [B event:view_goods event:add_cart]
    node(2, 'event:view_goods', 1),
    node(2, A, 1), // o11 [A event:add_cart]
    node(3, 'event:add_cart', 2),
  ]);
  // Pages only: o10 [A B C], o11 [A] (its three views of A one node).
  const pages = await paths({ direction: 'from', steps: 3, ...EVENTS_DAY });
  assert.deepEqual(pages.links, [link(1, A, B, 1), link(1, A, '离开', 1), link(2, B, C, 1)]);
});

test('compacted opens store the sequence, and every answer reads the same from them', async () => {
  await m.metrics.compact();
  await ageArrivals(m.store);
  assert.deepEqual((await readFreshness(m.store, APP)).dirty, []);
  const rows = await m.store.query<{ sid: string; pages: string[] }>(
    "SELECT sid, pages FROM opens_final WHERE app_id = {app:String} AND sid IN ('o1', 'o9', 'o11') ORDER BY sid",
    { app: APP },
  );
  assert.deepEqual(rows, [
    { sid: 'o1', pages: [A, B, C] },
    { sid: 'o11', pages: [A] },
    { sid: 'o9', pages: [B, C, A] },
  ]);
  assert.ok(asked.length >= 8);
  for (const [query, answer] of asked) assert.deepEqual(await run(query), answer, JSON.stringify(query));
});

/** Days with parts of the paths shape of `query`, with how many generations each. */
async function partDays(query: PathQuery): Promise<Record<string, number>> {
  const rows = await m.store.query<{ day: string; n: string }>(
    `SELECT toString(day) AS day, count() AS n FROM custom_path_part_days
     WHERE app_id = {app:String} AND shape = {shape:String} GROUP BY day ORDER BY day`,
    { app: APP, shape: pathShapeKey(parsePathQuery(query)) },
  );
  return Object.fromEntries(rows.map((r) => [r.day, Number(r.n)]));
}

test('compacted days are read from per-day parts, made by the first read, again after late events', async () => {
  // The reads of the test before made the parts of every clean day asked; read them again.
  for (const [query, answer] of asked) assert.deepEqual(await run(query), answer, `${JSON.stringify(query)} (parts)`);
  const fromB: PathQuery = { direction: 'from', page: B, steps: 3, ...DAY };
  assert.deepEqual(await partDays(fromB), { '2026-10-05': 1 });
  // A late open of 10-05, [B D]: the day is live (dirty) until compaction recomputes it.
  await seedUser(m, APP, 'u8', open('o12', '2026-10-05 16:00:00', [B, D]));
  const expectedNodes = [
    node(1, B, 5),
    node(2, C, 2),
    node(2, A, 1),
    node(2, D, 1),
    node(2, E, 1),
    node(3, A, 1),
    node(3, B, 1),
  ];
  const live = await run(fromB);
  assert.deepEqual(live.nodes, expectedNodes);
  assert.deepEqual(live, await run(fromB, 'events'));
  // Recomputed as a new generation: its part is made again by the next read.
  await m.metrics.compact();
  await ageArrivals(m.store);
  const again = await run(fromB);
  assert.deepEqual(again, live);
  assert.deepEqual(await partDays(fromB), { '2026-10-05': 2 });
  const planned = await pathsReport.prepare!(m.store, {
    app: APP,
    query: parsePathQuery(fromB),
    today: '2026-11-27',
    fresh: await readFreshness(m.store, APP),
  });
  assert.deepEqual(Object.keys(planned.parts?.days ?? {}), ['2026-10-05']);
  // Two reports that made a part in the same millisecond wrote the same rows: counted once.
  await m.store.command('INSERT INTO custom_path_parts SELECT * FROM custom_path_parts WHERE app_id = {app:String}', {
    app: APP,
  });
  assert.deepEqual(await run(fromB), live);
});
