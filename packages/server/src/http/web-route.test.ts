/**
 * The dashboard route on a bare Fastify over a temporary build: screens fall back to index.html,
 * assets are cached for good and sent pre-compressed, API prefixes are never shadowed, and a
 * missing build says how to make it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { MiniscopeError } from '../errors.js';
import { RESERVED_PREFIXES, webRoutes } from './web-route.js';

let root: string;
let app: FastifyInstance;
const INDEX = '<!doctype html><div id="app"></div><script type="module" src="/assets/index-abc123.js"></script>';
const SCRIPT = 'console.log("dashboard");'.repeat(20);

async function serverOver(dir: string): Promise<FastifyInstance> {
  const server = Fastify();
  server.setErrorHandler((error, _request, reply) => {
    const http = error instanceof MiniscopeError ? error : new MiniscopeError('internal', String(error));
    reply.status(http.status).send(http.toBody());
  });
  server.get('/api/apps/:appid/overview', async () => ({ ok: true }));
  await server.register(webRoutes, { root: dir });
  return server;
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), SCRIPT);
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js.gz'), zlib.gzipSync(SCRIPT));
  app = await serverOver(root);
});

after(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the root and every screen address answer the dashboard, never cached, with a CSP', async () => {
  for (const url of ['/', '/login', '/app/wx0000000000000001/visits/pages?from=2026-01-01', '/apps']) {
    const res = await app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.body, INDEX, url);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  }
});

test('hashed assets are cached for a year and sent gzipped when accepted', async () => {
  const plain = await app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(plain.statusCode, 200);
  assert.equal(plain.body, SCRIPT);
  assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
  const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), SCRIPT);
});

test('API prefixes are never shadowed: their unknown paths stay JSON 404s', async () => {
  for (const prefix of RESERVED_PREFIXES) {
    const res = await app.inject({ url: `${prefix}/nothing-here` });
    assert.equal(res.statusCode, 404, prefix);
    assert.equal(res.json().error.code, 'not_found', prefix);
  }
  assert.deepEqual((await app.inject({ url: '/api/apps/wx1/overview' })).json(), { ok: true });
});

test('a missing file is a 404, and paths cannot climb out of the build', async () => {
  assert.equal((await app.inject({ url: '/assets/missing-123.js' })).statusCode, 404);
  const climb = await app.inject({ url: '/..%2f..%2fetc%2fpasswd' });
  assert.notEqual(climb.body.includes('root:'), true);
});

test('without a build, the dashboard says how to build it', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'miniscope-web-empty-'));
  const server = await serverOver(empty);
  const res = await server.inject({ url: '/' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build -w @miniscope\/web/);
  await server.close();
  fs.rmSync(empty, { recursive: true, force: true });
});
