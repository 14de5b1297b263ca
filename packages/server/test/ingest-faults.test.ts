/**
 * Ingest under faults, against a real Miniscope with embedded ClickHouse: ill-formed strings and
 * bytes are refused where they are (and only there), a batch the engine refuses fails only its own
 * sender, an insert that dies part-way is completed exactly once (across a restart:
 * ingest-restart.test.ts), and contract bounds agree with the columns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import type { Miniscope } from '../src/miniscope.js';
import { batch, simpleOpen, startTestMiniscope } from './helpers.js';

let m: Miniscope;
let appSeq = 0;
const newApp = (on = m) => on.apps.add(`wx${(++appSeq).toString(16).padStart(16, 'f')}`, `app ${appSeq}`).appid;

const post = (payload: unknown, on = m) =>
  on.server.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  });

const countOf = async (app: string, table = 'events', on = m) => {
  const [row] = await on.store.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE app_id = {app:String}`, {
    app,
  });
  return Number(row!.n);
};

before(async () => {
  // NOTE: silent: the failures provoked here are logged as errors, as they should be.
  m = await startTestMiniscope({ logLevel: 'silent' });
});
after(async () => {
  await m.close();
});

describe('ill-formed text', () => {
  const LONE = '\ud83d';

  test('a lone surrogate in an envelope field is a 400 naming the field; nothing is stored', async () => {
    const app = newApp();
    const cases: Array<[Partial<CollectBatch>, string]> = [
      [{ batch: `b${LONE}` }, 'batch'],
      [{ user: { id: `u${LONE}` } }, 'user.id'],
      [{ device: { model: `iPhone${LONE}` } }, 'device.model'],
      [{ device: { brand: '\udc00' } }, 'device.brand'],
    ];
    for (const [extra, field] of cases) {
      const res = await post(batch(app, simpleOpen('s', Date.now()), extra));
      assert.equal(res.statusCode, 400, field);
      assert.equal(res.json().error.code, 'bad_envelope');
      assert.equal(res.json().error.path, field);
      assert.match(res.json().error.message, /well-formed/);
    }
    assert.equal(await countOf(app), 0);
  });

  test('a lone surrogate in an event field is that event rejected with invalid_field; the rest are stored', async () => {
    const app = newApp();
    const t = Date.now() - 60_000;
    const events: CollectEvent[] = [
      ...simpleOpen('s1', t),
      { id: 'bad-path', t: 'pv', ts: t + 200, sid: 's1', path: `pages/${LONE}` },
      { id: 'bad-sid', t: 'pv', ts: t + 300, sid: `s${LONE}`, path: 'p' },
      { id: `bad-id${LONE}`, t: 'pv', ts: t + 400, sid: 's1', path: 'p' },
      { id: 'bad-key', t: 'event', ts: t + 500, sid: 's1', name: 'x', props: { [`k${LONE}`]: 1 } },
      { id: 'bad-value', t: 'event', ts: t + 600, sid: 's1', name: 'x', props: { k: `v${LONE}` } },
      { id: 'emoji', t: 'event', ts: t + 700, sid: 's1', name: 'x', props: { '🛒': '😀' } },
    ];
    const res = await post(batch(app, events));
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.accepted, 4);
    assert.deepEqual(
      body.rejected.map((r: { index: number; reason: string; path: string }) => [r.index, r.reason, r.path]),
      [
        [3, 'invalid_field', 'events[3].path'],
        [4, 'invalid_field', 'events[4].sid'],
        [5, 'invalid_field', 'events[5].id'],
        [6, 'invalid_field', `events[6].props.k${LONE}`],
        [7, 'invalid_field', 'events[7].props.k'],
      ],
    );
    assert.equal(await countOf(app), 4);
    const [emoji] = await m.store.query<{ props: Record<string, string> }>(
      `SELECT props FROM events WHERE app_id = {app:String} AND type = 'event'`,
      { app },
    );
    assert.deepEqual(emoji!.props, { '🛒': '😀' });
  });

  test('a body that is not valid UTF-8 is a 400, not decoded into U+FFFD', async () => {
    const app = newApp();
    const json = JSON.stringify(batch(app, simpleOpen('s', Date.now()), { user: { id: 'u-\u00e9' } }));
    // Latin-1 bytes for "é": two distinct ids would both decode to "u-\ufffd".
    const res = await post(Buffer.from(json, 'latin1'));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'bad_encoding');
    assert.equal(await countOf(app), 0);
    assert.equal((await post(Buffer.from(json, 'utf8'))).statusCode, 200);
  });
});

describe('a batch the engine refuses', () => {
  test('fails only its own sender: the flush is split until it is alone', async () => {
    const app = newApp();
    const t = Date.now() - 60_000;
    // Lines as rows.ts makes them, written straight to the collector as if validation had let one
    // through: the poisoned line holds a lone surrogate escape, which the engine cannot parse.
    const line = (id: string, user: string) =>
      `${JSON.stringify([app, user, 0, 0, 'ios', '', '', '', '', '', '', '', 0, 0, '', '', id, Date.now(), [[t, 'pv', 's', 'p', 0, false, 0, '', '', {}, {}]]])}\n`;
    const poison = line('poison', 'u-poison').replace('"u-poison"', '"u-\\ud83d"');
    const honest = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const splitsBefore = m.collector.writer.stats.splits;
    const outcomes = await Promise.allSettled([
      ...honest.slice(0, 2).map((id) => m.collector.add(line(id, id), 1, { app, batch: id })),
      m.collector.add(poison, 1, { app, batch: 'poison' }),
      ...honest.slice(2).map((id) => m.collector.add(line(id, id), 1, { app, batch: id })),
    ]);
    m.collector.flushNow();
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const refused = (outcomes[2] as PromiseRejectedResult).reason as Error;
    assert.equal(refused.name, 'BatchRefusedError');
    assert.match(refused.message, /surrogate/);
    assert.ok(m.collector.writer.stats.splits > splitsBefore);
    const stored = await m.store.query<{ batch_id: string }>(
      'SELECT batch_id FROM events WHERE app_id = {app:String} ORDER BY batch_id',
      { app },
    );
    assert.deepEqual(
      stored.map((r) => r.batch_id),
      honest,
    );
  });
});

describe('an insert that fails part-way', () => {
  // The open rollup is filled by a view from `events`: a constraint on them makes the insert fail after
  // `events` has taken its rows, as a full disk on a later part or a refusing view's table would.
  const breakRollup = () =>
    m.store.command(`ALTER TABLE open_rollup ADD CONSTRAINT refuse_poison CHECK user_id != 'u-refused'`);
  const mendRollup = () => m.store.command('ALTER TABLE open_rollup DROP CONSTRAINT refuse_poison');

  test('is completed by the same insert, once: no batch doubled, the rollup complete', async () => {
    const app = newApp();
    const t = Date.now() - 60_000;
    const refused = batch(app, simpleOpen('s1', t), { user: { id: 'u-refused' } });
    const honest = batch(app, simpleOpen('s2', t), { user: { id: 'u-honest' } });
    await breakRollup();
    try {
      const first = await Promise.all([post(refused), post(honest)]);
      for (const res of first) {
        assert.equal(res.statusCode, 503);
        assert.ok(res.headers['retry-after']);
      }
      // The rows reached `events`; a copy sent now is told to wait, not stored again.
      const copy = await post(refused);
      assert.equal(copy.statusCode, 503);
      assert.match(copy.json().error.message, /still being stored/);
    } finally {
      await mendRollup();
    }
    await m.collector.writer.settleNow();
    for (const b of [refused, honest]) {
      const res = await post(b);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().duplicate, true);
    }
    assert.equal(await countOf(app), 6);
    const [rollup] = await m.store.query<{ opens: string; pvs: string }>(
      'SELECT uniqExact(sid) AS opens, sum(pv_count) AS pvs FROM open_rollup WHERE app_id = {app:String}',
      { app },
    );
    assert.deepEqual(rollup, { opens: '2', pvs: '2' });
  });
});

describe('bounds of the contract and the columns agree', () => {
  test('the largest values the contract allows are stored unchanged; one more is refused', async () => {
    const app = newApp();
    const t = Date.now() - 60_000;
    const events: CollectEvent[] = [
      { id: 'o', t: 'open', ts: t, sid: 's', scene: 65535, path: 'p', cold: true },
      { id: 'l', t: 'leave', ts: t + 1, sid: 's', path: 'p', dur: 86_400_000 },
    ];
    const ok = await post(
      batch(app, events, { user: { id: 'u', gender: 2, birth_year: 2100 }, device: { screen: [65535, 65535] } }),
    );
    assert.equal(ok.statusCode, 200);
    const rows = await m.store.query<Record<string, number>>(
      'SELECT scene, dur_ms, gender, birth_year, screen_w, screen_h FROM events WHERE app_id = {app:String} ORDER BY ts',
      { app },
    );
    assert.deepEqual(
      rows.map((r) => [r.scene, r.dur_ms, r.gender, r.birth_year, r.screen_w, r.screen_h]),
      [
        [65535, 0, 2, 2100, 65535, 65535],
        [0, 86_400_000, 2, 2100, 65535, 65535],
      ],
    );
    const over = await post(batch(app, events, { device: { screen: [65536, 800] } }));
    assert.equal(over.statusCode, 400);
    assert.equal(over.json().error.path, 'device.screen[0]');
  });
});
