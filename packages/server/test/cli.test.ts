/** The `miniscope` command: app registry, a small demo through the real ingest path, and start-up errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Store } from '../src/store/store.js';
import { tempDir } from './helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'miniscope.mjs');
const run = promisify(execFile);
const dataDir = tempDir('miniscope-cli-');
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const miniscope = (...args: string[]) => run(process.execPath, [BIN, ...args, '--data-dir', dataDir]);

test('app add --json prints the AppID and a secret once; list and rotate-secret work', async () => {
  const added = JSON.parse(
    (await miniscope('app', 'add', '--appid', 'wx0123456789abcdef', '--name', '商城', '--json')).stdout,
  );
  assert.equal(added.appid, 'wx0123456789abcdef');
  assert.match(added.secret, /^[0-9a-f]{32}$/);
  const list = JSON.parse((await miniscope('app', 'list', '--json')).stdout);
  assert.deepEqual(
    list.map((a: { appid: string; name: string }) => [a.appid, a.name]),
    [['wx0123456789abcdef', '商城']],
  );
  const rotated = JSON.parse(
    (await miniscope('app', 'rotate-secret', '--appid', 'wx0123456789abcdef', '--json')).stdout,
  );
  assert.notEqual(rotated.secret, added.secret);
});

test('bad input gets a clear error and a non-zero exit', async () => {
  await assert.rejects(
    miniscope('app', 'add', '--appid', 'not-an-appid', '--name', 'x'),
    (e: { stderr: string; code: number }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /must be wx followed by 16 hex digits/);
      return true;
    },
  );
  await assert.rejects(miniscope('app', 'add', '--appid', 'wx0123456789abcdef', '--name', 'again'), /already exists/);
  await assert.rejects(miniscope('start', '--port', 'abc'), /PORT \(--port\) = "abc"/);
});

test('demo fills a demo app through the ingest pipeline', async () => {
  const { stdout, stderr } = await miniscope('demo', '--days', '3', '--users', '40');
  assert.match(stdout, /Demo app wxde00000000000001 filled: [\d,]+ events/);
  // No account existed, so the demo made its admin and says how to log in.
  assert.match(stdout, /Log in as demo_admin with password \S{16} \(shown once\)/);
  assert.match(stderr, /day 3\/3/);
  const store = await Store.open({ dataDir, timeZone: 'Asia/Shanghai', ingestClients: 1 });
  try {
    const [row] = await store.query<{ days: string; users: string; opens: string; types: string }>(
      `SELECT uniqExact(toDate(ts)) AS days, uniqExact(user_id) AS users, uniqExact(sid) AS opens, uniqExact(type) AS types
       FROM events WHERE app_id = 'wxde00000000000001'`,
    );
    assert.ok(Number(row!.days) >= 2 && Number(row!.days) <= 3, `${row!.days} days of traffic`);
    assert.ok(Number(row!.users) > 5, `${row!.users} users`);
    assert.ok(Number(row!.opens) >= Number(row!.users));
    assert.ok(Number(row!.types) >= 4, 'opens, page views, leaves and hides at least');
  } finally {
    await store.close();
  }
  const again = await miniscope('demo', '--days', '3', '--users', '40');
  assert.match(again.stdout, /already has data/);
  assert.doesNotMatch(again.stdout, /password/);
});
