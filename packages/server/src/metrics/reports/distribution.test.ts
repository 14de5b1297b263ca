/**
 * Visit distributions against a hand-computed fixture: stay and depth bucket edges, unknown and
 * unlisted scenes → 10 其他, an open without its open event, an open with no page view, an open
 * crossing midnight.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser } from '../../../test/metrics-fixture.js';
import { runDistribution, runScenes } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx00000000000000b1';
let m: Miniscope;

/** An open at `at` (unless scene is null: no open event) with `paths` viewed in order and one leave of `stayMs`. */
function open(sid: string, at: string, scene: number | null, paths: string[], stayMs: number | null): CollectEvent[] {
  const events: CollectEvent[] = scene === null ? [] : [ev.open(sid, at, scene)];
  paths.forEach((p) => {
    events.push(ev.pv(sid, at, p));
  });
  if (stayMs !== null) events.push(ev.leave(sid, at, paths[0] ?? 'pages/index/index', stayMs));
  return events;
}
const distinct = (n: number) => Array.from({ length: n }, (_, i) => `pages/p${i}/p${i}`);

/*
 * 10-05 opens (source from scene; stay → bucket; depth → bucket):
 * o1 u1 scene 1001 → 1; stay 2 999 ms → 1 (s < 3); 1 path → 1
 * o2 u1 scene 1001 → 1; stay 3 000 ms → 2 (3 ≤ s < 6); index, detail, index → depth 2 → 2
 * o3 u2 scene 1047 → 4; stay 100 999 ms → 7 (51 ≤ s < 101); 5 paths → 5
 * o4 u2 scene 9999 → 10 (unknown); stay 101 000 ms → 8; 6 paths → 6
 * o5 u3 scene 1164 → 10 (not in the table); no leave → stay 0 → 1; 11 paths → 7
 * o6 u4 no open event → scene 0 → 10; stay 20 999 ms → 4 (11 ≤ s < 21); 10 paths → 6
 * o7 u3 scene 1001 with no page view → not counted
 * o8 u5 scene 1001 opened 10-04 23:59:59, its page view on 10-05 → counted on 10-04
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'distribution');
  const day = '2026-10-05 10:00:00';
  await seedUser(m, APP, 'u1', [
    ...open('o1', day, 1001, ['pages/index/index'], 2999),
    ...open('o2', day, 1001, ['pages/index/index', 'pages/detail/detail', 'pages/index/index'], 3000),
  ]);
  await seedUser(m, APP, 'u2', [
    ...open('o3', day, 1047, distinct(5), 100999),
    ...open('o4', day, 9999, distinct(6), 101000),
  ]);
  await seedUser(m, APP, 'u3', [...open('o5', day, 1164, distinct(11), null), ...open('o7', day, 1001, [], 9000)]);
  await seedUser(m, APP, 'u4', open('o6', day, null, distinct(10), 20999));
  await seedUser(m, APP, 'u5', [ev.open('o8', '2026-10-04 23:59:59'), ev.pv('o8', '2026-10-05 00:00:01')]);
});

after(() => m.close());

const dist = (from: string, to: string) =>
  runDistribution(m.store, { app: APP, from, to, granularity: 'day' }).then((rows) => rows);

test('access sources: opens and distinct users per key; unknown scenes and missing opens are 10', async () => {
  const [d] = await dist('2026-10-05', '2026-10-05');
  assert.deepEqual(d!.source, [
    { key: 1, sessions: 2, users: 1 }, // o1, o2 of u1
    { key: 4, sessions: 1, users: 1 }, // o3
    { key: 10, sessions: 3, users: 3 }, // o4 (u2), o5 (u3), o6 (u4)
  ]);
});

test('stay-time buckets at their edges', async () => {
  const [d] = await dist('2026-10-05', '2026-10-05');
  assert.deepEqual(d!.staytime, [
    { key: 1, sessions: 2, users: 2 }, // o1 (2.999 s), o5 (0 s)
    { key: 2, sessions: 1, users: 1 }, // o2 (3 s)
    { key: 4, sessions: 1, users: 1 }, // o6 (20.999 s)
    { key: 7, sessions: 1, users: 1 }, // o3 (100.999 s)
    { key: 8, sessions: 1, users: 1 }, // o4 (101 s)
  ]);
});

test('depth buckets count distinct paths', async () => {
  const [d] = await dist('2026-10-05', '2026-10-05');
  assert.deepEqual(d!.depth, [
    { key: 1, sessions: 1, users: 1 }, // o1
    { key: 2, sessions: 1, users: 1 }, // o2: index twice + detail = 2 distinct
    { key: 5, sessions: 1, users: 1 }, // o3
    { key: 6, sessions: 2, users: 2 }, // o4 (6 paths), o6 (10 paths)
    { key: 7, sessions: 1, users: 1 }, // o5 (11 paths)
  ]);
});

test('an open crossing midnight counts on its first day; an empty day has no buckets', async () => {
  const rows = await dist('2026-10-04', '2026-10-06');
  assert.deepEqual(rows[0], {
    period: { start: '2026-10-04', end: '2026-10-04' },
    source: [{ key: 1, sessions: 1, users: 1 }],
    staytime: [{ key: 1, sessions: 1, users: 1 }],
    depth: [{ key: 1, sessions: 1, users: 1 }],
  });
  assert.deepEqual(rows[2], {
    period: { start: '2026-10-06', end: '2026-10-06' },
    source: [],
    staytime: [],
    depth: [],
  });
});

test('a source filter narrows every index', async () => {
  const [d] = await runDistribution(m.store, {
    app: APP,
    from: '2026-10-05',
    to: '2026-10-05',
    granularity: 'all',
    filters: [{ field: 'source', values: [10] }],
  });
  assert.deepEqual(
    d!.source.map((i) => [i.key, i.sessions]),
    [[10, 3]],
  );
  assert.deepEqual(
    d!.depth.map((i) => [i.key, i.sessions]),
    [
      [6, 2],
      [7, 1],
    ],
  );
});

test('scene drill-down: per scene value, within a source key', async () => {
  const all = await runScenes(m.store, { app: APP, from: '2026-10-05', to: '2026-10-05' });
  // By opens, then scene: 1001 (o1, o2 of u1), then one open each: 0 (o6, no open event), 1047, 1164, 9999.
  assert.deepEqual(
    all.map((r) => [r.scene, r.source, r.sessions, r.users]),
    [
      [1001, 1, 2, 1],
      [0, 10, 1, 1],
      [1047, 4, 1, 1],
      [1164, 10, 1, 1],
      [9999, 10, 1, 1],
    ],
  );
  const other = await runScenes(m.store, { app: APP, from: '2026-10-05', to: '2026-10-05', source: 10 });
  assert.deepEqual(
    other.map((r) => r.scene),
    [0, 1164, 9999],
  );
});
