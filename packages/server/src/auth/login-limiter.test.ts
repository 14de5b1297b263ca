/** The login limiter: failures per IP and per WeChat ID in a sliding window. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginLimiter } from './login-limiter.js';

test('five failures lock the account and the IP until the oldest ages out', () => {
  let now = 1_000_000;
  const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 5; i++) {
    assert.equal(limiter.retryAfter('1.1.1.1', 'alice_wx'), 0);
    limiter.fail('1.1.1.1', 'alice_wx');
    now += 1000;
  }
  assert.equal(limiter.retryAfter('1.1.1.1', 'alice_wx'), 55);
  assert.ok(limiter.retryAfter('2.2.2.2', 'ALICE_WX') > 0, 'the account is locked from any IP, any case');
  assert.ok(limiter.retryAfter('1.1.1.1', 'bob_wx01') > 0, 'the IP is locked for any account');
  assert.equal(limiter.retryAfter('2.2.2.2', 'bob_wx01'), 0);
  now += 55_000;
  assert.equal(limiter.retryAfter('1.1.1.1', 'alice_wx'), 0);
});

test('a successful login clears the account count', () => {
  const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 60_000 });
  limiter.fail('1.1.1.1', 'alice_wx');
  limiter.succeed('alice_wx');
  limiter.fail('3.3.3.3', 'alice_wx');
  assert.equal(limiter.retryAfter('4.4.4.4', 'alice_wx'), 0);
});
