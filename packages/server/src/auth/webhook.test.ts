/** The notification webhook against a receiver on loopback: retries, and giving up with a log line. */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Webhook } from './webhook.js';

/** A receiver on 127.0.0.1 answering with the given statuses in turn (then 200). */
async function receiver(statuses: number[]) {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('a failing receiver is retried with backoff until it accepts', async () => {
  const r = await receiver([500, 503]);
  const hook = new Webhook(r.url, { attempts: 4, baseDelayMs: 10 });
  const started = Date.now();
  hook.send({ event: 'granted', n: 1 });
  assert.equal(r.bodies.length, 0, 'send returns before delivering');
  await hook.idle();
  assert.equal(r.bodies.length, 3);
  assert.deepEqual(r.bodies[2], { event: 'granted', n: 1 });
  assert.ok(Date.now() - started >= 30, 'waited 10 ms then 20 ms');
  await r.close();
});

test('after the last try the notice is logged and dropped', async () => {
  const r = await receiver([500, 500, 500]);
  const hook = new Webhook(r.url, { attempts: 3, baseDelayMs: 1 });
  const logged: Array<{ obj: object; msg: string }> = [];
  hook.log = { warn: (obj, msg) => logged.push({ obj, msg }) };
  hook.send({ event: 'revoked' });
  await hook.idle();
  assert.equal(r.bodies.length, 3);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!.msg, /webhook failed/);
  assert.deepEqual(logged[0]!.obj, { url: r.url, attempts: 3, problem: 'HTTP 500' });
  await r.close();
});
