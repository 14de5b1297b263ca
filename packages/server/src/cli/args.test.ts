/** Command-line flags: unknown ones refused by name, switches that never take a value, help. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FlagKind, parseFlags, UsageError } from './args.js';

const KNOWN = new Map<string, FlagKind>([
  ['port', 'setting'],
  ['trust-proxy', 'setting'],
  ['appid', 'value'],
  ['json', 'switch'],
]);

test('values come as --name value or --name=value; switches take none', () => {
  const parsed = parseFlags(['app', 'add', '--appid', 'wx1', '--json', 'extra', '--port=4000'], KNOWN);
  assert.deepEqual(parsed.flags, { appid: 'wx1', json: 'true', port: '4000' });
  assert.deepEqual(parsed.words, ['app', 'add', 'extra']);
  assert.equal(parsed.help, false);
});

test('a setting given bare reads as true; a value flag without a value is refused', () => {
  assert.deepEqual(parseFlags(['--trust-proxy', '--json'], KNOWN).flags, { 'trust-proxy': 'true', json: 'true' });
  assert.throws(() => parseFlags(['--appid'], KNOWN), /--appid needs a value/);
  assert.throws(() => parseFlags(['--appid', '--json'], KNOWN), /--appid needs a value/);
});

test('an unknown flag is refused by name, with the nearest known one', () => {
  assert.throws(
    () => parseFlags(['start', '--prot', '3203'], KNOWN),
    (e: Error) => e instanceof UsageError && e.message === 'unknown flag --prot (did you mean --port?)',
  );
  assert.throws(() => parseFlags(['--zzzzzz=1'], KNOWN), /^UsageError: unknown flag --zzzzzz$/);
  assert.throws(() => parseFlags(['-x'], KNOWN), /unknown flag -x/);
});

test('--help and -h ask for help wherever they stand', () => {
  assert.equal(parseFlags(['app', 'add', '--help'], KNOWN).help, true);
  assert.equal(parseFlags(['-h', 'start'], KNOWN).help, true);
});
