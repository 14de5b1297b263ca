/**
 * The SDK served by the server: the manifest's version and integrity match the bytes served, the
 * stable URLs revalidate, the versioned ones are cached for good and only for the version served,
 * and the default source builds what `npm run build -w @miniscope/sdk` writes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { MiniscopeError } from '../errors.js';
import { buildSdk, integrityOf, type SdkSource, sdkRoutes } from './sdk-route.js';

const VERSION = (
  JSON.parse(fs.readFileSync(new URL('../../../sdk/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const CODE = { cjs: '"use strict";module.exports={init(){}};', esm: 'export function init(){}' };
let app: FastifyInstance;
let builds = 0;

async function serverWith(source: SdkSource): Promise<FastifyInstance> {
  const server = Fastify();
  server.setErrorHandler((error, _request, reply) => {
    const http = error instanceof MiniscopeError ? error : new MiniscopeError('internal', String(error));
    reply.status(http.status).send(http.toBody());
  });
  await server.register(sdkRoutes, { source });
  return server;
}

before(async () => {
  app = await serverWith(async (format) => {
    builds++;
    return CODE[format];
  });
});
after(() => app.close());

test('the manifest names the version, and each file with its URLs, size and integrity', async () => {
  const res = await app.inject({ url: '/sdk/manifest.json' });
  assert.equal(res.statusCode, 200);
  const manifest = res.json();
  assert.equal(manifest.name, '@miniscope/sdk');
  assert.equal(manifest.version, VERSION);
  const js = manifest.files['miniscope.js'];
  assert.deepEqual(
    { ...js, gzip_bytes: undefined },
    {
      format: 'cjs',
      url: '/sdk/miniscope.js',
      versioned_url: `/sdk/${VERSION}/miniscope.js`,
      bytes: CODE.cjs.length,
      gzip_bytes: undefined,
      integrity: `sha384-${createHash('sha384').update(CODE.cjs).digest('base64')}`,
    },
  );
  assert.equal(manifest.integrity, js.integrity, 'the top-level integrity is the single file’s');
  assert.equal(manifest.files['miniscope.mjs'].format, 'esm');
  assert.equal(builds, 2, 'built once per format');
});

test('the stable URL answers the bytes the integrity names, revalidated by ETag', async () => {
  const res = await app.inject({ url: '/sdk/miniscope.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, CODE.cjs);
  assert.match(String(res.headers['content-type']), /^text\/javascript/);
  assert.equal(res.headers['cache-control'], 'no-cache');
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers.etag, `"${integrityOf(CODE.cjs)}"`);
  const again = await app.inject({ url: '/sdk/miniscope.js', headers: { 'if-none-match': String(res.headers.etag) } });
  assert.equal(again.statusCode, 304);
  assert.equal((await app.inject({ url: '/sdk/miniscope.mjs' })).body, CODE.esm);
  assert.equal(builds, 2, 'the build is kept');
});

test('a versioned URL is immutable, and only the version served exists', async () => {
  const res = await app.inject({ url: `/sdk/${VERSION}/miniscope.js` });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, CODE.cjs);
  assert.match(String(res.headers['cache-control']), /max-age=31536000, immutable/);
  const old = await app.inject({ url: '/sdk/0.0.1/miniscope.js' });
  assert.equal(old.statusCode, 404);
  assert.equal(old.json().error.code, 'not_found');
  assert.equal((await app.inject({ url: '/sdk/other.js' })).statusCode, 404);
});

test('a missing SDK answers a 404 that says how to build it, and is tried again', async () => {
  let tries = 0;
  const broken = await serverWith(async () => {
    tries++;
    throw new Error('no sources');
  });
  const res = await broken.inject({ url: '/sdk/manifest.json' });
  assert.equal(res.statusCode, 404);
  assert.match(res.json().error.message, /npm run build -w @miniscope\/sdk/);
  await broken.inject({ url: '/sdk/miniscope.js' });
  assert.ok(tries >= 2);
  await broken.close();
});

test('the default source is the SDK’s own build: ES2015, one file each, within its size budget', async () => {
  const { bundle } = await import('../../../sdk/scripts/bundle.js');
  const build = await buildSdk();
  const cjs = build.files.find((f) => f.format === 'cjs');
  const esm = build.files.find((f) => f.format === 'esm');
  assert.equal(cjs?.code, await bundle('cjs'));
  assert.equal(esm?.code, await bundle('esm'));
  assert.match(cjs?.code ?? '', /exports/);
  assert.match(esm?.code ?? '', /export\s*\{/);
  for (const f of build.files) assert.ok(f.gzipBytes < 5 * 1024, `${f.name}: ${f.gzipBytes} bytes gzipped`);
});
