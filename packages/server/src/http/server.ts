/**
 * The HTTP server: Fastify with one error handler (MiniscopeError → its code's status and the one
 * error body), the
 * collection endpoint and health. Built from already-opened parts so tests can `inject()` into it.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { accessHooks } from '../auth/access-hook.js';
import type { Auth } from '../auth/auth.js';
import { type DashboardParts, dashboardRoutes } from '../dashboard/routes.js';
import { type DatacubeParts, datacubeRoutes } from '../datacube/routes.js';
import { MiniscopeError } from '../errors.js';
import type { Collector } from '../ingest/collector.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Store } from '../store/store.js';
import { accountApi } from './admin-routes.js';
import { collectRoutes } from './collect-route.js';
import { healthRoutes } from './health-route.js';
import { ingestStatusRoutes } from './ingest-status-route.js';
import { sdkRoutes } from './sdk-route.js';
import { webRoutes } from './web-route.js';

export interface ServerParts {
  store: Store;
  ingest: Ingest;
  collector: Collector;
  trustProxy: boolean;
  logLevel?: string;
  /** The datacube-compatible API (issue 3); absent in servers that only collect. */
  datacube?: DatacubeParts;
  /** Accounts and permissions (issue 5): the access hook on every route, and the account API. */
  auth?: Auth;
  /** The dashboard JSON API. */
  reports?: DashboardParts;
  timeouts?: Partial<Timeouts>;
}

/**
 * A client must send its whole request within `requestMs` and may leave its connection idle for
 * `idleMs` (answers wait for the group commit, bounded by the queue's admission, so well within).
 * Without them a slow client (slow-loris) holds a connection and its memory forever.
 */
export interface Timeouts {
  requestMs: number;
  idleMs: number;
}
const TIMEOUTS: Timeouts = { requestMs: 30_000, idleMs: 60_000 };

/** Any error in the one vocabulary: Fastify's own (body limits, parsing) get their codes. */
function asMiniscopeError(error: FastifyError): MiniscopeError {
  if (error instanceof MiniscopeError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new MiniscopeError('body_too_large', 'the body is larger than 1 MiB');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new MiniscopeError('unsupported_media_type', error.message);
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new MiniscopeError('bad_json', 'the body is empty');
  if (error.statusCode && error.statusCode < 500) return new MiniscopeError('bad_request', error.message);
  return new MiniscopeError('internal', 'internal error');
}

export async function buildServer(parts: ServerParts): Promise<FastifyInstance> {
  const timeouts = { ...TIMEOUTS, ...parts.timeouts };
  const app = Fastify({
    trustProxy: parts.trustProxy,
    // NOTE: request logs are at info level; the default level (warn) leaves them out, since at
    // thousands of requests a second they cost more than the requests.
    logger: { level: parts.logLevel ?? 'warn' },
    bodyLimit: 1024 * 1024,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    // While stopping, requests still reach the routes, which answer in the protocol's terms (a 503
    // with Retry-After and CORS from /collect) instead of Fastify's bare 503.
    return503OnClosing: false,
  });
  // NOTE: Node requires the headers' deadline to be within the request's.
  app.server.headersTimeout = Math.min(app.server.headersTimeout, timeouts.requestMs);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const failure = asMiniscopeError(error);
    if (failure.code === 'internal') request.log.error(error);
    if (request.url.startsWith('/collect')) parts.ingest.countError(failure.code);
    reply
      .status(failure.status)
      .headers(failure.details.headers ?? {})
      .send(failure.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(new MiniscopeError('not_found', `no route ${request.method} ${request.url}`).toBody());
  });
  // The access hook first: it must see every route registered after it.
  if (parts.auth) await app.register(accessHooks, parts.auth);
  await app.register(collectRoutes, { ingest: parts.ingest });
  await app.register(healthRoutes, { store: parts.store, ingest: parts.ingest, collector: parts.collector });
  if (parts.datacube) await app.register(datacubeRoutes, parts.datacube);
  if (parts.auth) await app.register(accountApi(parts.auth), { prefix: '/api' });
  if (parts.reports) await app.register(dashboardRoutes, parts.reports);
  if (parts.auth) await app.register(ingestStatusRoutes, { store: parts.store, apps: parts.auth.apps });
  await app.register(sdkRoutes);
  // The dashboard last: its wildcard answers only what no API route claims.
  await app.register(webRoutes);
  return app;
}
