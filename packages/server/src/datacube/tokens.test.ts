/** Token rules on an in-memory metadata database and a hand-driven clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Apps } from '../meta/apps.js';
import { openMetaDb } from '../meta/db.js';
import { WxError } from './errors.js';
import { DatacubeTokens } from './tokens.js';

const APP = 'wx00000000000000c1';
const T0 = Date.parse('2026-10-05T00:00:00Z');

function setup() {
  const db = openMetaDb(':memory:');
  const apps = new Apps(db);
  const { secret } = apps.add(APP, 'tokens');
  const clock = { now: T0 };
  const tokens = new DatacubeTokens(db, apps, () => clock.now);
  return { tokens, secret, clock, apps };
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof WxError) return error.errcode;
    throw error;
  }
  return 0;
};

test('credentials are checked in WeChat order with its error codes', () => {
  const { tokens, secret } = setup();
  const ok = { grant_type: 'client_credential', appid: APP, secret };
  assert.equal(tokens.authenticate(ok), APP);
  assert.equal(
    code(() => tokens.authenticate({ ...ok, grant_type: 'password' })),
    40002,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, appid: undefined })),
    41002,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, secret: '' })),
    41004,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, appid: 'wx00000000000000ff' })),
    40013,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, appid: 'not-an-appid' })),
    40013,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, secret: 'short' })),
    40125,
  );
  assert.equal(
    code(() => tokens.authenticate({ ...ok, secret: '0'.repeat(32) })),
    40001,
  );
});

test('a token lives 7200 s, then answers 42001', () => {
  const { tokens, clock } = setup();
  const t = tokens.issue(APP, 'token');
  assert.equal(t.expires_in, 7200);
  clock.now += 7199_999;
  assert.equal(tokens.verify(t.access_token), APP);
  clock.now += 1;
  assert.equal(
    code(() => tokens.verify(t.access_token)),
    42001,
  );
});

test('a new token leaves the previous one 5 minutes, then 40001', () => {
  const { tokens, clock } = setup();
  const first = tokens.issue(APP, 'token');
  clock.now += 60_000;
  const second = tokens.issue(APP, 'token');
  assert.notEqual(second.access_token, first.access_token);
  clock.now += 299_999; // 5 min after the second was issued, less 1 ms
  assert.equal(tokens.verify(first.access_token), APP);
  clock.now += 1;
  assert.equal(
    code(() => tokens.verify(first.access_token)),
    40001,
  );
  assert.equal(tokens.verify(second.access_token), APP);
});

test('stable tokens: same token while ≥ 5 min left, isolated from /cgi-bin/token', () => {
  const { tokens, clock } = setup();
  const a = tokens.issue(APP, 'stable');
  clock.now += 1000_000; // 1000 s later
  const b = tokens.issue(APP, 'stable');
  assert.deepEqual(b, { access_token: a.access_token, expires_in: 6200 });
  const plain = tokens.issue(APP, 'token'); // does not touch the stable one
  assert.equal(tokens.verify(a.access_token), APP);
  assert.equal(tokens.verify(plain.access_token), APP);
  clock.now += (6200 - 299) * 1000; // 299 s left: a new one, the old one runs out on its own
  const c = tokens.issue(APP, 'stable');
  assert.notEqual(c.access_token, a.access_token);
  assert.equal(c.expires_in, 7200);
  assert.equal(tokens.verify(a.access_token), APP);
  clock.now += 299_000;
  assert.equal(
    code(() => tokens.verify(a.access_token)),
    42001,
  );
});

test('a forced refresh within 30 s of the last one does not refresh: the same token, no error', () => {
  const { tokens, clock } = setup();
  const a = tokens.issue(APP, 'stable', true);
  clock.now += 29_999;
  // 7200 s − 29.999 s left, in whole seconds
  assert.deepEqual(tokens.issue(APP, 'stable', true), { access_token: a.access_token, expires_in: 7170 });
  assert.equal(tokens.verify(a.access_token), APP);
  clock.now += 1; // 30 s after the first
  const b = tokens.issue(APP, 'stable', true);
  assert.notEqual(b.access_token, a.access_token);
  assert.equal(b.expires_in, 7200);
});

test('at most 20 forced refreshes a day (45009); calls that did not refresh do not count', () => {
  const { tokens, clock } = setup();
  const first = tokens.issue(APP, 'stable', true);
  clock.now += 10_000;
  assert.equal(tokens.issue(APP, 'stable', true).access_token, first.access_token); // too soon: not counted
  clock.now += 20_000;
  for (let i = 1; i < 20; i++) {
    assert.notEqual(tokens.issue(APP, 'stable', true).access_token, first.access_token);
    clock.now += 30_000;
  }
  assert.equal(
    code(() => tokens.issue(APP, 'stable', true)),
    45009,
  );
  clock.now = T0 + 24 * 3600_000 + 1; // the first one is a day old: one refresh free again
  assert.equal(tokens.issue(APP, 'stable', true).expires_in, 7200);
});

test('one forced refresh leaves the leaked token 5 minutes; a second one 30 s later ends it at once', () => {
  const { tokens, clock } = setup();
  const leaked = tokens.issue(APP, 'stable');
  clock.now += 60_000;
  const b = tokens.issue(APP, 'stable', true);
  clock.now += 29_000;
  assert.equal(tokens.verify(leaked.access_token), APP); // within its 5 minutes
  clock.now += 1_000; // 30 s after the first forced refresh
  const c = tokens.issue(APP, 'stable', true);
  assert.equal(
    code(() => tokens.verify(leaked.access_token)),
    40001,
  );
  assert.equal(tokens.verify(b.access_token), APP); // b now has its 5 minutes
  assert.equal(tokens.verify(c.access_token), APP);
  clock.now += 299_999;
  assert.equal(tokens.verify(b.access_token), APP);
  clock.now += 1;
  assert.equal(
    code(() => tokens.verify(b.access_token)),
    40001,
  );
  assert.equal(tokens.verify(c.access_token), APP);
});

test('without the second forced refresh the leaked token works its 5 minutes, then 40001', () => {
  const { tokens, clock } = setup();
  const leaked = tokens.issue(APP, 'stable');
  tokens.issue(APP, 'stable', true);
  clock.now += 299_999;
  assert.equal(tokens.verify(leaked.access_token), APP);
  clock.now += 1;
  assert.equal(
    code(() => tokens.verify(leaked.access_token)),
    40001,
  );
});

test('verify refuses missing, malformed and unknown tokens', () => {
  const { tokens } = setup();
  assert.equal(
    code(() => tokens.verify(undefined)),
    41001,
  );
  assert.equal(
    code(() => tokens.verify('')),
    41001,
  );
  assert.equal(
    code(() => tokens.verify('bad token!')),
    40014,
  );
  assert.equal(
    code(() => tokens.verify('A'.repeat(128))),
    40001,
  );
});
