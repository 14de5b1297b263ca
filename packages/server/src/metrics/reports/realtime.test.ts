/** Real-time series against a hand-computed fixture: steps, one page, comparison days. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestMiniscope } from '../../../test/helpers.js';
import { ev, seedUser } from '../../../test/metrics-fixture.js';
import { runRealtime } from '../../../test/run-report.js';
import type { Miniscope } from '../../miniscope.js';

const APP = 'wx0000000000000011';
const INDEX = 'pages/index/index';
const DETAIL = 'pages/detail/detail';
let m: Miniscope;

/*
 * 10-05: 10:00:10 u1 open + pv index; 10:03 u1 pv detail; 10:04 u2 open + pv index; 10:07 u1 pv index.
 * 10-04: 23:59:30 u3 pv index (no open event).
 * Minutes of the day: 10:00 = 600, 10:03 = 603, 10:04 = 604, 10:07 = 607, 23:59 = 1439.
 */
before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'realtime');
  await seedUser(m, APP, 'u1', [
    ev.open('a', '2026-10-05 10:00:10'),
    ev.pv('a', '2026-10-05 10:00:10', INDEX),
    ev.pv('a', '2026-10-05 10:03:00', DETAIL),
    ev.pv('a', '2026-10-05 10:07:00', INDEX),
  ]);
  await seedUser(m, APP, 'u2', [ev.open('b', '2026-10-05 10:04:00'), ev.pv('b', '2026-10-05 10:04:00', INDEX)]);
  await seedUser(m, APP, 'u3', [ev.pv('c', '2026-10-04 23:59:30', INDEX)]);
});

after(() => m.close());

test('one-minute steps', async () => {
  const [s] = await runRealtime(m.store, { app: APP, days: ['2026-10-05'], step: 1 });
  assert.deepEqual(s!.points, [
    { minute: 600, pv: 1, uv: 1, opens: 1 },
    { minute: 603, pv: 1, uv: 1, opens: 0 },
    { minute: 604, pv: 1, uv: 1, opens: 1 },
    { minute: 607, pv: 1, uv: 1, opens: 0 },
  ]);
});

test('five-minute steps count visitors once per step; comparison days side by side', async () => {
  const [today, before] = await runRealtime(m.store, { app: APP, days: ['2026-10-05', '2026-10-04'], step: 5 });
  assert.deepEqual(today!.points, [
    { minute: 600, pv: 3, uv: 2, opens: 2 }, // 10:00, 10:03 (u1), 10:04 (u2)
    { minute: 605, pv: 1, uv: 1, opens: 0 }, // 10:07
  ]);
  assert.deepEqual(before, { day: '2026-10-04', points: [{ minute: 1435, pv: 1, uv: 1, opens: 0 }] });
});

test('one page: its views, its viewers, opens that launched on it', async () => {
  const [s] = await runRealtime(m.store, { app: APP, days: ['2026-10-05'], step: 60, path: INDEX });
  assert.deepEqual(s!.points, [{ minute: 600, pv: 3, uv: 2, opens: 2 }]);
  await assert.rejects(runRealtime(m.store, { app: APP, days: ['2026-10-05'], step: 7 as 5 }), /step/);
});
