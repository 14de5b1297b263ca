/**
 * The mini-program SDK served by the server, so a team gets it from the Miniscope it sends to
 * without cloning or building anything (the dashboard's 接入指南 links here):
 *
 * GET /sdk/manifest.json           { name, version, integrity, files: { <file>: { format, url,
 *                                    versioned_url, bytes, gzip_bytes, integrity } } }
 * GET /sdk/miniscope.js            the CommonJS build: the single file a native mini program copies
 * GET /sdk/miniscope.mjs           the ES-module build: what uni-app without npm copies
 * GET /sdk/<version>/<file>        the same, only for the version served; cached for good
 *
 * The stable URLs always answer the current build (`no-cache`, with an ETag); `integrity` is the
 * Subresource-Integrity form (`sha384-…`) of the exact bytes, to check a download by.
 *
 * Where the code comes from: the SDK's own build function (packages/sdk/scripts/bundle.ts, the
 * options `npm run build -w @miniscope/sdk` uses, so the bytes equal its dist/ files), run once in
 * memory on the first request. `npm ci` does not build packages/sdk/dist, so the server does not
 * rely on it; it is read only where the SDK's sources are absent (an image that ships dist/ only).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MiniscopeError } from '../errors.js';

const SDK_DIR = fileURLToPath(new URL('../../../sdk/', import.meta.url));

type Format = 'cjs' | 'esm';
/** The files served, by name, with their format (the names of the SDK's dist/). */
export const SDK_FILES: Record<string, Format> = { 'miniscope.js': 'cjs', 'miniscope.mjs': 'esm' };

export interface SdkFile {
  name: string;
  format: Format;
  code: string;
  bytes: number;
  gzipBytes: number;
  /** Subresource Integrity: `sha384-` and the base64 SHA-384 of the bytes. */
  integrity: string;
}

export interface SdkBuild {
  name: string;
  version: string;
  files: SdkFile[];
}

/** Where to get each build's code: built from the sources, else read from dist/. */
export type SdkSource = (format: Format) => Promise<string>;

export const integrityOf = (code: string) => `sha384-${createHash('sha384').update(code).digest('base64')}`;

/** The SDK's build, in memory (the SDK's sources), or its dist/ files when the sources are absent. */
export const defaultSource: SdkSource = async (format) => {
  let bundle: ((f: Format) => Promise<string>) | undefined;
  try {
    bundle = (await import('../../../sdk/scripts/bundle.js')).bundle;
  } catch {
    bundle = undefined; // NOTE: no sources (or no esbuild) here; dist/ may still be.
  }
  if (bundle && fs.existsSync(`${SDK_DIR}src/index.ts`)) return bundle(format);
  const name = Object.keys(SDK_FILES).find((f) => SDK_FILES[f] === format) ?? '';
  return fs.readFileSync(`${SDK_DIR}dist/${name}`, 'utf8');
};

export async function buildSdk(source: SdkSource = defaultSource): Promise<SdkBuild> {
  const pkg = JSON.parse(fs.readFileSync(`${SDK_DIR}package.json`, 'utf8')) as { name: string; version: string };
  const files = await Promise.all(
    Object.entries(SDK_FILES).map(async ([name, format]) => {
      const code = await source(format);
      const bytes = Buffer.byteLength(code);
      return {
        name,
        format,
        code,
        bytes,
        gzipBytes: gzipSync(code, { level: 9 }).length,
        integrity: integrityOf(code),
      };
    }),
  );
  return { name: pkg.name, version: pkg.version, files };
}

export function manifestOf(build: SdkBuild) {
  const files = Object.fromEntries(
    build.files.map((f) => [
      f.name,
      {
        format: f.format,
        url: `/sdk/${f.name}`,
        versioned_url: `/sdk/${build.version}/${f.name}`,
        bytes: f.bytes,
        gzip_bytes: f.gzipBytes,
        integrity: f.integrity,
      },
    ]),
  );
  const main = build.files.find((f) => f.format === 'cjs');
  return { name: build.name, version: build.version, integrity: main?.integrity ?? null, files };
}

const YEAR_S = 365 * 24 * 3600;

export interface SdkRouteOptions {
  source?: SdkSource;
}

export async function sdkRoutes(app: FastifyInstance, options: SdkRouteOptions = {}): Promise<void> {
  let built: Promise<SdkBuild> | undefined;
  const current = async (): Promise<SdkBuild> => {
    built ??= buildSdk(options.source);
    try {
      return await built;
    } catch (error) {
      built = undefined; // tried again on the next request
      app.log.error(error);
      throw new MiniscopeError(
        'not_found',
        'The SDK is not available on this server: its sources and dist/ are missing (npm run build -w @miniscope/sdk)',
      );
    }
  };

  const send = (request: FastifyRequest, reply: FastifyReply, file: SdkFile, pinned: boolean) => {
    const etag = `"${file.integrity}"`;
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff')
      .header('etag', etag)
      .header('cache-control', pinned ? `public, max-age=${YEAR_S}, immutable` : 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.send(file.code);
  };

  const rule = { config: { access: 'public' as const } };
  app.get('/sdk/manifest.json', rule, async (_request, reply) => {
    const build = await current();
    reply.header('cache-control', 'no-cache').header('access-control-allow-origin', '*');
    return manifestOf(build);
  });
  app.get<{ Params: { file: string } }>('/sdk/:file', rule, async (request, reply) => {
    const file = (await current()).files.find((f) => f.name === request.params.file);
    if (!file) throw new MiniscopeError('not_found', `no SDK file ${request.params.file}`);
    return send(request, reply, file, false);
  });
  app.get<{ Params: { version: string; file: string } }>('/sdk/:version/:file', rule, async (request, reply) => {
    const build = await current();
    const file = build.files.find((f) => f.name === request.params.file);
    if (!file || request.params.version !== build.version)
      throw new MiniscopeError('not_found', `this server serves SDK ${build.version} only`);
    return send(request, reply, file, true);
  });
}
