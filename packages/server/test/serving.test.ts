/**
 * Serving under load and at the edges of its life, against a real Miniscope: health that does not
 * wait for the store's queues, late-batch lookups off the report queue, admission by waiting time,
 * request timeouts, a shutdown that answers in the protocol's terms, and compaction that stops
 * promptly and stays idle when nothing arrives.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { CollectEvent } from '@miniscope/contract';
import { buildServer } from '../src/http/server.js';
import { readFreshness } from '../src/metrics/plan/freshness.js';
import type { Miniscope } from '../src/miniscope.js';
import { batch, simpleOpen, startTestMiniscope, variantOf } from './helpers.js';

let m: Miniscope;
let appSeq = 0;
const newApp = (on = m) => on.apps.add(`wx${(++appSeq).toString(16).padStart(16, 'c')}`, `app ${appSeq}`).appid;
const DAY = 86_400_000;

const post = (on: Miniscope, payload: unknown) =>
  on.server.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

/**
 * A report that holds the read client for a second without using the CPU, with parameters (chdb
 * runs those one at a time in the process).
 */
const slowQuery = () => m.store.query('SELECT sleepEachRow({s:Float64}) AS x FROM numbers(2)', { s: 0.5 });

/** Resolves once `done()` holds (polling), or after a minute. */
async function waitFor(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 60_000; !done() && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const timed = async <T>(work: Promise<T>) => {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started, at: Date.now() };
};

before(async () => {
  m = await startTestMiniscope();
});
after(async () => {
  await m.close();
});

describe('health and lookups do not queue behind the store', () => {
  test('/health answers from the process and /health/ready from the probe client while reports run', async () => {
    const busy = Promise.all([timed(slowQuery()), timed(slowQuery()), timed(slowQuery())]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = await timed(m.server.inject({ method: 'GET', url: '/health' }));
    const ready = await timed(m.server.inject({ method: 'GET', url: '/health/ready' }));
    const [first, , last] = await busy;
    assert.equal(live.value.statusCode, 200);
    assert.equal(ready.value.statusCode, 200);
    assert.equal(ready.value.json().status, 'ready');
    // Both answered while the first report was still running, not after the queue of three.
    assert.ok(live.at < first!.at && ready.at < first!.at, `health ${live.ms} ms, ready ${ready.ms} ms`);
    assert.ok(last!.ms > ready.ms * 3);
  });

  test('a late batch is looked up in the store without waiting for the queue of reports', async () => {
    const app = newApp();
    // Older than the ledger's memory (a day): whether it was stored before is asked of the store.
    const old = Date.now() - 2 * DAY;
    const late = batch(app, simpleOpen('late', old));
    const busy = Promise.all([timed(slowQuery()), timed(slowQuery()), timed(slowQuery())]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await timed(post(m, late));
    const done = await busy;
    assert.equal(res.value.statusCode, 200);
    assert.equal(res.value.json().accepted, 3);
    assert.ok(res.at < done[2]!.at, 'answered before the last report of the queue ended');
    assert.equal((await post(m, late)).json().duplicate, true);
  });
});

describe('memory', () => {
  test('the embedded engine runs under its memory ceiling, with capped caches', async () => {
    const settings = await m.store.query<{ name: string; value: string }>(
      `SELECT name, value FROM system.server_settings WHERE name IN ('max_server_memory_usage', 'mark_cache_size')`,
    );
    const byName = Object.fromEntries(settings.map((s) => [s.name, Number(s.value)]));
    assert.ok(m.config.engineMemoryMb > 0);
    assert.equal(byName.max_server_memory_usage, m.config.engineMemoryMb * 1048576);
    assert.equal(byName.mark_cache_size, 256 * 1048576);
  });
});

describe('admission and timeouts', () => {
  test('a batch is refused at once while the queue is slow, and one not written in time is refused', async () => {
    // No insert ever starts (no insert slot): the first batch waits past the bound.
    const blocked = { maxWaitMs: 600, maxInFlight: 0 } as Partial<Miniscope['config']>;
    const slow = await variantOf(m, blocked);
    try {
      const app = newApp(slow);
      const waiting = timed(post(slow, batch(app, simpleOpen('a', Date.now() - 60_000))));
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The oldest batch has waited over half the bound: a new one would wait too, so it is refused now.
      const refused = await timed(post(slow, batch(app, simpleOpen('b', Date.now() - 60_000))));
      assert.equal(refused.value.statusCode, 503);
      assert.equal(refused.value.json().error.code, 'overloaded');
      assert.ok(Number(refused.value.headers['retry-after']) >= 5);
      assert.ok(refused.ms < 200, `refused in ${refused.ms} ms`);
      // The first is refused once it has waited the bound without being written.
      const first = await waiting;
      assert.equal(first.value.statusCode, 503);
      assert.equal(first.value.json().error.code, 'overloaded');
      assert.ok(first.ms >= 600 && first.ms < 2000, `refused after ${first.ms} ms`);
      const [row] = await m.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
        app,
      });
      assert.equal(row!.n, '0');
    } finally {
      await slow.close();
    }
  });

  test('a client that never finishes its request is cut off', async () => {
    const server = await buildServer({
      store: m.store,
      ingest: m.ingest,
      collector: m.collector,
      trustProxy: false,
      logLevel: 'silent',
      timeouts: { requestMs: 300, idleMs: 1000 },
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.server.address() as net.AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      const closed = new Promise<number>((resolve) => {
        const started = Date.now();
        socket.on('close', () => resolve(Date.now() - started));
        socket.on('error', () => {});
      });
      // Headers, then one byte of a 100-byte body, then nothing: a slow-loris.
      socket.write(
        'POST /collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      const ms = await closed;
      assert.ok(ms < 3000, `closed after ${ms} ms`);
    } finally {
      await server.close();
    }
  });
});

describe('stopping', () => {
  test('a batch arriving while the server stops gets the protocol 503; one already queued is stored', async () => {
    const stopping = await variantOf(m, { flushMs: 200 });
    const app = newApp(stopping);
    const queued = post(stopping, batch(app, simpleOpen('q', Date.now() - 60_000)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = stopping.close();
    const late = await stopping.server.inject({
      method: 'POST',
      url: '/collect',
      headers: { 'content-type': 'application/json', origin: 'https://servicewechat.com' },
      payload: JSON.stringify(batch(app, simpleOpen('l', Date.now() - 60_000))),
    });
    assert.equal(late.statusCode, 503);
    assert.equal(late.json().error.code, 'stopping');
    assert.equal(late.headers['retry-after'], '5');
    assert.equal(late.headers['access-control-allow-origin'], '*');
    assert.equal((await queued).statusCode, 200);
    await closed;
    const [row] = await m.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
      app,
    });
    assert.equal(row!.n, '3');
  });

  test('a compaction run stops at its next statement when asked', async () => {
    const app = newApp();
    const t0 = Date.now() - 3 * DAY;
    const events: CollectEvent[] = [];
    for (let d = 0; d < 3; d++) events.push(...simpleOpen(`s${d}`, t0 + d * DAY));
    assert.equal((await post(m, batch(app, events))).statusCode, 200);
    const run = m.metrics.compact();
    await m.metrics.stopCompaction();
    await assert.rejects(run, { name: 'CompactionStopped' });
    const [recorded] = await m.store.query<{ n: string }>(
      'SELECT count() AS n FROM compaction_runs WHERE app_id = {app:String}',
      { app },
    );
    assert.equal(recorded!.n, '0');
    // The next run does the work.
    const result = await m.metrics.compact();
    assert.ok(result.days >= 3);
  });

  test('background compaction skips its runs while nothing new is stored', async () => {
    let lastWrite = 0;
    const stats = m.metrics.compactionStats;
    const before = { ...stats };
    const until = async (done: () => boolean) => {
      for (const deadline = Date.now() + 60_000; !done() && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    m.metrics.startCompaction({ everyMs: 20, lastWriteAt: () => lastWrite });
    try {
      await until(() => stats.skipped - before.skipped >= 5);
      // The first run always goes (another process may have written before the start); then none.
      assert.equal(stats.runs - before.runs, 1);
      assert.ok(stats.skipped - before.skipped >= 5, `${stats.skipped - before.skipped} skipped`);
      lastWrite = Date.now();
      await until(() => stats.runs - before.runs >= 2);
      assert.ok(stats.runs - before.runs >= 2, 'runs again once events are stored');
    } finally {
      await m.metrics.stopCompaction();
    }
  });

  test('a burst of late events is clean after the next run, which comes within seconds', async () => {
    const app = newApp();
    const t0 = Date.now() - 10 * DAY;
    const events: CollectEvent[] = [];
    for (let d = 0; d < 4; d++) events.push(...simpleOpen(`h${d}`, t0 + d * DAY));
    assert.equal((await post(m, batch(app, events))).statusCode, 200);
    await m.metrics.compact();
    // The run waited for the inserts started before it: nothing it covered stays dirty after it.
    assert.deepEqual((await readFreshness(m.store, app)).dirty, []);
    const stats = m.metrics.compactionStats;
    const endedBefore = stats.ended;
    m.metrics.startCompaction({ everyMs: 3_600_000, soonMs: 50, minSpacingMs: 0 });
    try {
      await waitFor(() => stats.ended > endedBefore);
      const ended = stats.ended;
      // Phones resend their queues after an outage: late opens on two old days.
      const late = [...simpleOpen('late1', t0 + 2 * DAY + 60_000), ...simpleOpen('late2', t0 + 3 * DAY + 60_000)];
      assert.equal((await post(m, batch(app, late))).statusCode, 200);
      assert.equal((await readFreshness(m.store, app)).dirty.length, 2);
      // The next run comes now, not in an hour, and leaves nothing dirty.
      await waitFor(() => stats.ended > ended);
      assert.deepEqual((await readFreshness(m.store, app)).dirty, []);
    } finally {
      await m.metrics.stopCompaction();
    }
  });
});

describe('the store', () => {
  test('waits for the inserts started before a time, not for later ones', async () => {
    await m.store.command('CREATE TABLE slow_in (x UInt8) ENGINE = Null');
    await m.store.command('CREATE TABLE slow (x UInt8) ENGINE = MergeTree ORDER BY x');
    await m.store.command('CREATE MATERIALIZED VIEW slow_mv TO slow AS SELECT x + sleepEachRow(0.4) AS x FROM slow_in');
    let ended = 0;
    const insert = m.store.insert('slow_in', [{ x: 1 }, { x: 2 }]).then(() => {
      ended = Date.now();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cutoff = Date.now();
    await m.store.insertsSettled(cutoff);
    assert.ok(ended > 0, 'the insert started before had ended');
    await insert;
    // One started after the time is not waited for.
    const later = m.store.insert('slow_in', [{ x: 3 }]);
    const started = Date.now();
    await m.store.insertsSettled(cutoff);
    assert.ok(Date.now() - started < 200, 'an insert started later is not waited for');
    await later;
  });
});
