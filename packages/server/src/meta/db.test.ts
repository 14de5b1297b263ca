/** The metadata store refuses a database a newer Miniscope migrated, and leaves it as it was. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DataTooNewError } from '../data-version.js';
import { openMetaDb } from './db.js';

test('a metadata schema newer than this version is refused, untouched', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-meta-'));
  try {
    openMetaDb(dir).close();
    const raw = new Database(path.join(dir, 'meta.sqlite'));
    const current = raw.pragma('user_version', { simple: true }) as number;
    raw.pragma(`user_version = ${current + 1}`);
    raw.close();
    assert.throws(
      () => openMetaDb(dir),
      (e: Error) => e instanceof DataTooNewError && e.found === current + 1 && e.known === current,
    );
    const after = new Database(path.join(dir, 'meta.sqlite'));
    assert.equal(after.pragma('user_version', { simple: true }), current + 1);
    after.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
