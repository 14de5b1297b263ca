/**
 * The dashboard (packages/web, built by Vite into packages/web/dist) served at `/`. Built files go
 * out as they are — hashed assets cached for a year, with the pre-compressed `.br`/`.gz` copies the
 * build writes when the browser accepts them — and any other path answers `index.html`, so the
 * dashboard's own router shows the screen (history-mode addresses survive a reload).
 * Paths under the API prefixes are never answered here: an unknown `/api/…` stays a JSON 404, and
 * routes registered for those prefixes always win over this wildcard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MiniscopeError } from '../errors.js';

/** Prefixes that belong to the server's APIs, never to the dashboard. */
export const RESERVED_PREFIXES = ['/api', '/collect', '/cgi-bin', '/datacube', '/health', '/metrics', '/sdk'];

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const isReserved = (pathname: string) => RESERVED_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));

// NOTE: inline styles are needed by Vue's style bindings and Vant; Vant's icon font is a data: URL.
const HTML_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const YEAR_MS = 365 * 24 * 3600 * 1000;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Miniscope</title>
<p>The dashboard is not built yet. Run <code>npm run build -w @miniscope/web</code> (or <code>npm install</code>) and reload.</p>`;

/** The built file a URL path names, relative to `root`, if it is a file inside it. */
function fileIn(root: string, pathname: string): string | undefined {
  const relative = path.normalize(pathname).replace(/^[/\\]+/, '');
  const full = path.join(root, relative);
  if (!relative || !full.startsWith(root + path.sep)) return undefined;
  try {
    return fs.statSync(full).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

export interface WebOptions {
  /** The built dashboard (default: packages/web/dist). */
  root?: string;
}

export async function webRoutes(app: FastifyInstance, options: WebOptions = {}): Promise<void> {
  const root = path.resolve(options.root ?? WEB_DIST);
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, index: false });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      throw new MiniscopeError('bad_request', 'malformed URL');
    }
    if (isReserved(pathname)) throw new MiniscopeError('not_found', `no route ${request.method} ${request.url}`);
    if (!fs.existsSync(path.join(root, 'index.html')))
      return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    const file = fileIn(root, pathname);
    if (file && file !== 'index.html') {
      // Vite names every asset by its content hash, so an asset never changes.
      const hashed = file.startsWith(`assets${path.sep}`);
      return reply.sendFile(file, hashed ? { maxAge: YEAR_MS, immutable: true } : { maxAge: 0 });
    }
    // A missing file with an extension is a missing file, not a screen.
    if (!file && path.extname(pathname)) throw new MiniscopeError('not_found', `no file ${pathname}`);
    return reply.headers(HTML_HEADERS).sendFile('index.html', { cacheControl: false });
  };

  const rule = { config: { access: 'public' as const } };
  app.get('/', rule, handler);
  app.get('/*', rule, handler);
}
