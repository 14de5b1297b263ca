/**
 * When the event store stops answering, /collect says 503 with Retry-After (never a silent drop),
 * /health/ready fails and /health (liveness, from the process) still answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batch, simpleOpen, startTestMiniscope } from './helpers.js';

test('a store that fails answers 503 with Retry-After, and /health/ready says so', async () => {
  const m = await startTestMiniscope();
  const app = m.apps.add('wx00000000000000ad', 'broken').appid;
  await m.store.close();
  try {
    const res = await m.server.inject({
      method: 'POST',
      url: '/collect',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(batch(app, simpleOpen('s', Date.now()))),
    });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.json().error.code, 'store_unavailable');
    // The engine's own error stays in the server's log.
    assert.equal(res.json().error.message, 'the event store has not confirmed the batch yet; retry later');
    const ready = await m.server.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().status, 'store_unavailable');
    const live = await m.server.inject({ method: 'GET', url: '/health' });
    assert.equal(live.statusCode, 200);
  } finally {
    await m.server.close();
    m.meta.close();
  }
});
