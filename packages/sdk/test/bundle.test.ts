/**
 * The shipped builds (CommonJS, the single file native projects copy, and the ES module): each
 * within the 5 KB min+gzip budget, ES2015 only, free of zod and of Node, exporting the same API; and
 * the SDK's copies of the protocol's limits equal the contract's.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as contract from '@miniscope/contract';
import { bundle, type Format, gzipSize, SIZE_BUDGET_BYTES } from '../scripts/bundle.js';
import * as protocol from '../src/protocol.js';
import { evaluate } from './harness/sdk.js';

const FORMATS: Format[] = ['cjs', 'esm'];
const builds = Object.fromEntries(await Promise.all(FORMATS.map(async (f) => [f, await bundle(f)] as const))) as Record<
  Format,
  string
>;

for (const format of FORMATS) {
  test(`the ${format} build is at most ${SIZE_BUDGET_BYTES} bytes min+gzip`, () => {
    const size = gzipSize(builds[format]);
    assert.ok(size <= SIZE_BUDGET_BYTES, `${size} bytes`);
  });
}

test('the ES module build exports what the CommonJS build exports, and nothing else is CommonJS in it', async () => {
  const url = `data:text/javascript;base64,${Buffer.from(builds.esm).toString('base64')}`;
  const esm = (await import(url)) as Record<string, unknown>;
  const cjs = evaluate(builds.cjs) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(esm).sort(), ['flush', 'identify', 'init', 'setProfile', 'track']);
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(cjs).sort());
  for (const name of Object.keys(esm)) assert.equal(typeof esm[name], 'function');
  assert.doesNotMatch(builds.esm, /\bmodule\.exports\b|\bexports\./);
  assert.match(builds.cjs, /module\.exports/);
});

for (const format of FORMATS) {
  test(`the ${format} build uses no syntax or API newer than ES2015, and neither zod nor Node modules`, () => {
    check(builds[format]);
  });
}

function check(code: string): void {
  const newer = [
    /\?\./, // optional chaining
    /\?\?/, // nullish coalescing
    /\*\*/, // exponent operator
    /\basync\b|\bawait\b/,
    /\.includes\(/,
    /Object\.(entries|values|fromEntries)\(/,
    /\.(padStart|padEnd|flatMap|flat)\(/,
    /\bglobalThis\b/,
    /\brequire\(/,
  ];
  for (const pattern of newer) assert.doesNotMatch(code, pattern);
  assert.doesNotMatch(code, /zod|ZodError/);
}

test("the SDK's copies of the protocol limits equal the contract's", () => {
  assert.equal(protocol.EVENT_NAME_PATTERN.source, contract.EVENT_NAME_PATTERN.source);
  assert.equal(protocol.MAX_PATH_LENGTH, contract.MAX_PATH_LENGTH);
  assert.equal(protocol.MAX_PROPS, contract.MAX_PROPS);
  assert.equal(protocol.MAX_PROP_KEY_LENGTH, contract.MAX_PROP_KEY_LENGTH);
  assert.equal(protocol.MAX_PROP_STRING_LENGTH, contract.MAX_PROP_STRING_LENGTH);
  assert.equal(protocol.MAX_LEAVE_DURATION_MS, contract.MAX_LEAVE_DURATION_MS);
  assert.ok(contract.userSchema.shape.id.safeParse('x'.repeat(protocol.MAX_USER_ID_LENGTH)).success);
  assert.ok(!contract.userSchema.shape.id.safeParse('x'.repeat(protocol.MAX_USER_ID_LENGTH + 1)).success);
});
