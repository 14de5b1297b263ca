/**
 * The control socket: a running server answers on it (owner-only); a socket file left by a killed
 * server reads as "no server" and is replaced; one backup at a time.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { askServer, serveControl, socketPath } from './control.js';

test('status and backup through the socket; a stale socket file is no server; one backup at a time', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-control-'));
  try {
    assert.equal(await askServer(dir, 'GET', '/status'), undefined, 'no socket file');
    fs.writeFileSync(socketPath(dir), ''); // what a killed server leaves behind: nothing listens
    assert.equal(await askServer(dir, 'GET', '/status'), undefined, 'a file nothing listens on');

    let release = () => {};
    const control = await serveControl(dir, {
      status: () => ({ pid: 42 }),
      backup: (to) => new Promise((resolve) => (release = () => resolve({ to }))),
    });
    assert.ok(!('unavailable' in control));
    assert.equal(fs.statSync(socketPath(dir)).mode & 0o777, 0o600);
    assert.deepEqual(await askServer(dir, 'GET', '/status'), { status: 200, body: { pid: 42 } });

    const first = askServer(dir, 'POST', '/backup', { to: '/somewhere' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await askServer(dir, 'POST', '/backup', { to: '/elsewhere' });
    assert.equal(second?.status, 409);
    release();
    assert.deepEqual(await first, { status: 200, body: { to: '/somewhere' } });
    assert.equal((await askServer(dir, 'POST', '/backup', {}))?.status, 400);

    await control.close();
    assert.equal(await askServer(dir, 'GET', '/status'), undefined, 'closed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory too long for a socket path turns hot backups off instead of failing', async () => {
  const long = path.join(os.tmpdir(), 'x'.repeat(120));
  const control = await serveControl(long, { status: () => ({}), backup: async () => ({}) });
  assert.ok('unavailable' in control);
  assert.match(control.unavailable, /longer than a Unix socket allows/);
});
