/** The journal of unsettled flushes: what is saved loads back; lines of older versions load as current ones. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { currentLines, UnsettledJournal } from './unsettled-journal.js';

const head = ['wx1', 'u', 0, 0, 'ios', '', '', '', '', '', '', '', 0, 0, '未知', '未知', 'b1', 5];
const older = [1, 'pv', 's', '/p', 0, false, 0, '', '', {}];
const current = [2, 'event', 's', '/p', 0, false, 0, '', 'pay', { n: '3' }, { n: 3 }];

test('events of ten fields (before migration 9) get an empty numeric-props map; current ones stay as they are', () => {
  const text = `${JSON.stringify([...head, [older, current]])}\n${JSON.stringify([...head, [current]])}\n`;
  const lines = currentLines(text).split('\n');
  assert.deepEqual(JSON.parse(lines[0]!).at(-1), [[...older, {}], current]);
  assert.equal(lines[1], JSON.stringify([...head, [current]]));
  assert.equal(lines[2], '');
});

test('a saved flush loads back with its token, rows and keys; files that are not flushes are skipped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-journal-'));
  try {
    const journal = new UnsettledJournal(dir);
    const text = `${JSON.stringify([...head, [older]])}\n`;
    journal.save({ token: 'tok-1', text, rows: 1, keys: [] });
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"tok');
    const [flush, ...rest] = journal.load();
    assert.equal(rest.length, 0);
    assert.equal(flush!.token, 'tok-1');
    assert.equal(flush!.text, `${JSON.stringify([...head, [[...older, {}]]])}\n`);
    journal.remove('tok-1');
    assert.deepEqual(fs.readdirSync(dir), ['broken.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
