/**
 * Backup and restore: `miniscope backup` asks the running server (this process) for a hot backup
 * while batches keep arriving, `miniscope restore` puts it into a fresh data directory, and every
 * datacube figure of the backed-up app is the same there: read live before any compaction (the
 * original's came from compaction's caches) and again after one. Batches acknowledged before the
 * backup are in it and are still recognised as sent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { addDays, compact, todayIn } from '@miniscope/contract';
import { type BackupEngine, openBackupEngine } from '../src/backup/engine.js';
import { hotBackups } from '../src/cli/server-control.js';
import { DEMO_APPID, runDemo } from '../src/demo/run.js';
import { createMiniscope, type Miniscope } from '../src/miniscope.js';
import { ageArrivals, batch, simpleOpen, tempDir, testConfig } from './helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'miniscope.mjs');
const run = promisify(execFile);
const OTHER = 'wx00000000000000f1';
const root = tempDir('miniscope-backup-');
const source = path.join(root, 'source');
const restored = path.join(root, 'restored');
const backupDir = path.join(root, 'backups', 'b1');
after(() => fs.rmSync(root, { recursive: true, force: true }));

let m: Miniscope;
let engine: BackupEngine;
let secret: string;

before(async () => {
  // As `miniscope start` does: the backup-capable engine first, then the server on it.
  engine = await openBackupEngine(source);
  m = await createMiniscope(testConfig({ dataDir: source }));
  secret = (await runDemo(m, { days: 5, users: 50, quiet: true })).secret!;
  m.apps.add(OTHER, 'busy');
  // Compacted and settled: the original's reports read compaction's caches, the restored one's
  // read raw events until it compacts, so the two must agree through different paths.
  await m.metrics.compact();
  await ageArrivals(m.store);
});

/** Every daily datacube answer for the demo's last four days (retention reaches back over all five). */
async function figures(server: Miniscope['server']): Promise<Record<string, unknown>> {
  const token = await server.inject({
    method: 'GET',
    url: `/cgi-bin/token?grant_type=client_credential&appid=${DEMO_APPID}&secret=${secret}`,
  });
  const accessToken = token.json().access_token as string;
  const call = async (name: string, day: string) => {
    const res = await server.inject({
      method: 'POST',
      url: `/datacube/${name}?access_token=${accessToken}`,
      payload: JSON.stringify({ begin_date: compact(day), end_date: compact(day) }),
      headers: { 'content-type': 'application/json' },
    });
    const body = res.json();
    assert.equal(body.errcode, undefined, `${name} ${day}: ${JSON.stringify(body)}`);
    return body;
  };
  const yesterday = addDays(todayIn('Asia/Shanghai', Date.now()), -1);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < 4; i++) {
    const d = addDays(yesterday, -i);
    for (const name of [
      'getweanalysisappiddailysummarytrend',
      'getweanalysisappiddailyvisittrend',
      'getweanalysisappiddailyretaininfo',
      'getweanalysisappidvisitdistribution',
      'getweanalysisappidvisitpage',
      'getweanalysisappiduserportrait',
    ])
      out[`${name} ${d}`] = await call(name, d);
  }
  return out;
}

const miniscope = (...args: string[]) => run(process.execPath, [BIN, ...args]);

test('a hot backup taken while batches arrive restores to the same figures', async () => {
  const expected = await figures(m.server);
  assert.ok(JSON.stringify(expected).includes('"visit_pv":'), 'the demo has page views to compare');
  const control = await hotBackups(m, engine, 'http://test');
  assert.ok(control, 'the control socket is served');

  // Batches for another app arrive before, during and after the backup.
  const sent: Array<ReturnType<typeof batch>> = [];
  const send = async () => {
    const body = batch(OTHER, simpleOpen(`busy-${sent.length}`, Date.now() - 60_000));
    const res = await m.server.inject({ method: 'POST', url: '/collect', payload: body });
    assert.equal(res.statusCode, 200);
    sent.push(body);
  };
  await send();
  let sending = true;
  const traffic = (async () => {
    while (sending) await send();
  })();
  const backup = await miniscope('backup', '--to', backupDir, '--data-dir', source);
  sending = false;
  await traffic;
  assert.match(backup.stdout, /^Hot backup \(written by the running server\)/);
  assert.ok(sent.length > 1, 'batches arrived while the backup ran');
  await control!.close();
  await m.close();
  engine.close();

  const restore = await miniscope('restore', '--from', backupDir, '--data-dir', restored);
  assert.match(restore.stdout, /^Restored .*: 2 apps, [\d,]+ events/);
  const r = await createMiniscope(testConfig({ dataDir: restored }));
  try {
    assert.deepEqual(await figures(r.server), expected, 'read live, before any compaction');
    await r.metrics.compact();
    await ageArrivals(r.store);
    assert.deepEqual(await figures(r.server), expected, 'read from the caches a compaction rebuilt');
    // The busy app has whole batches only, at least the first; a batch in the backup is known as sent.
    const [row] = await r.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
      app: OTHER,
    });
    const batches = Number(row!.n) / 3;
    assert.ok(Number.isInteger(batches) && batches >= 1 && batches <= sent.length, `${row!.n} events`);
    const again = await r.server.inject({ method: 'POST', url: '/collect', payload: sent[0] });
    assert.equal(again.json().duplicate, true);
  } finally {
    await r.close();
  }
});
