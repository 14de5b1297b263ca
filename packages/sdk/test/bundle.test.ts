/**
 * The shipped file: within the 5 KB min+gzip budget, ES2015 only, free of zod and of Node, and its
 * copies of the protocol's limits equal the contract's.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as contract from '@miniscope/contract';
import { gzipSize, SIZE_BUDGET_BYTES } from '../scripts/bundle.js';
import * as protocol from '../src/protocol.js';
import { sdkCode } from './harness/sdk.js';

test(`the bundle is at most ${SIZE_BUDGET_BYTES} bytes min+gzip`, async () => {
  const size = gzipSize(await sdkCode());
  assert.ok(size <= SIZE_BUDGET_BYTES, `${size} bytes`);
});

test('the bundle uses no syntax or API newer than ES2015, and neither zod nor Node modules', async () => {
  const code = await sdkCode();
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
});

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
