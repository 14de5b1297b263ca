/**
 * Durability: the server runs as a child process; a sender streams batches at it and notes which
 * were acknowledged; the server is killed with SIGKILL mid-stream and restarted; the sender then
 * sends every batch again, as an SDK retrying its queue would. Every acknowledged event must be
 * stored, and every event exactly once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import type { CollectBatch } from '@miniscope/contract';
import { loadConfig } from '../src/config.js';
import { Apps } from '../src/meta/apps.js';
import { openMetaDb } from '../src/meta/db.js';
import { Store } from '../src/store/store.js';
import { batch, tempDir } from './helpers.js';
import { startServerProcess } from './server-process.js';

const APP = 'wx00000000000000d1';
const BATCHES = 600;
const EVENTS_PER_BATCH = 20;
const dataDir = tempDir('miniscope-durability-');
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function makeBatches(): CollectBatch[] {
  const t = Date.now() - 60_000;
  return Array.from({ length: BATCHES }, (_, b) =>
    batch(
      APP,
      Array.from({ length: EVENTS_PER_BATCH }, (_, e) => ({
        id: `e${e}`,
        t: 'pv' as const,
        ts: t + e,
        sid: `s${b}`,
        path: `pages/p${e}`,
      })),
      { batch: `dur-${b}`, user: { id: `u${b % 50}` } },
    ),
  );
}

async function send(url: string, body: CollectBatch): Promise<number> {
  const res = await fetch(`${url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, sent_at: Date.now() }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Send batches with `concurrency` in flight until they run out or `stop()` says so. */
async function stream(url: string, batches: CollectBatch[], concurrency: number, onAck: (id: string) => void) {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < batches.length) {
      const b = batches[next++]!;
      try {
        if ((await send(url, b)) === 200) onAck(b.batch);
      } catch {
        failures++;
        return; // the server is gone
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

test('no acknowledged event is lost and none is stored twice across a kill -9', { timeout: 120_000 }, async () => {
  const meta = openMetaDb(dataDir);
  new Apps(meta).add(APP, 'durability');
  meta.close();
  const batches = makeBatches();

  const first = await startServerProcess(dataDir, ['--flush-ms', '20']);
  const acked = new Set<string>();
  const streaming = stream(first.url, batches, 8, (id) => {
    acked.add(id);
    if (acked.size === 150) first.child.kill('SIGKILL');
  });
  const failures = await streaming;
  assert.equal(await first.exited, 'SIGKILL');
  assert.ok(acked.size >= 150 && acked.size < BATCHES, `killed mid-stream after ${acked.size} acknowledged batches`);
  assert.ok(failures > 0, 'requests were in flight when the server died');

  const second = await startServerProcess(dataDir, ['--flush-ms', '20']);
  const reAcked = new Set<string>();
  await stream(second.url, batches, 8, (id) => reAcked.add(id));
  assert.equal(reAcked.size, BATCHES, 'every batch is acknowledged after the restart');
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);

  const store = await Store.open({ dataDir, timeZone: loadConfig({}).timeZone, ingestClients: 1 });
  try {
    const rows = await store.query<{ batch_id: string; n: string; paths: string }>(
      'SELECT batch_id, count() AS n, uniqExact(path) AS paths FROM events WHERE app_id = {app:String} GROUP BY batch_id',
      { app: APP },
    );
    const counts = new Map(rows.map((r) => [r.batch_id, Number(r.n)]));
    for (const id of acked) assert.equal(counts.get(id), EVENTS_PER_BATCH, `acknowledged batch ${id} is stored whole`);
    for (const b of batches)
      assert.equal(counts.get(b.batch), EVENTS_PER_BATCH, `batch ${b.batch} is stored exactly once`);
    for (const r of rows) assert.equal(Number(r.paths), EVENTS_PER_BATCH);
  } finally {
    await store.close();
  }
});
