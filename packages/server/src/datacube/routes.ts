/**
 * The datacube-compatible HTTP API: `GET /cgi-bin/token`, `POST /cgi-bin/stable_token` and
 * `POST /datacube/<endpoint>?access_token=…`, speaking WeChat's wire format. Everything that goes
 * wrong — wrong method, missing or bad token, malformed JSON, bad dates, a failing store — answers
 * HTTP 200 with `{ errcode, errmsg }`, as WeChat does. This plugin is the only place that turns
 * errors into that shape; it parses its own bodies so that no request reaches the server's generic
 * error format.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { MiniscopeError } from '../errors.js';
import type { MetricsEngine } from '../metrics/engine.js';
import { parseRange } from './dates.js';
import { ENDPOINTS } from './endpoints.js';
import { WxError, wxErrorOf } from './errors.js';
import type { DatacubeTokens, TokenRequest } from './tokens.js';

export interface DatacubeParts {
  engine: MetricsEngine;
  tokens: DatacubeTokens;
}

const BODY_LIMIT = 64 * 1024;

/** Anything thrown in this plugin, as a WeChat error. */
function toWxError(error: unknown): WxError {
  if (error instanceof WxError) return error;
  if (error instanceof MiniscopeError) return wxErrorOf(error);
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new WxError('dataFormat', (error as Error).message);
  return new WxError('system');
}

/** The JSON object of a POST body (44002 empty, 47001 not a JSON object). */
function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = typeof request.body === 'string' ? request.body.trim() : '';
  if (raw === '') throw new WxError('emptyBody');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new WxError('dataFormat', 'the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new WxError('dataFormat', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/** One query-string value; repeated or absent → undefined. */
function queryValue(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export async function datacubeRoutes(app: FastifyInstance, parts: DatacubeParts): Promise<void> {
  app.removeAllContentTypeParsers();
  // NOTE: WeChat clients post JSON with any content type, or none: bodies are parsed here.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error, request, reply) => {
    const wx = toWxError(error);
    if (wx.errcode === -1) request.log.error(error);
    reply.status(200).send(wx.toBody());
  });

  app.all('/cgi-bin/token', { config: { access: 'datacube-token' } }, async (request) => {
    if (request.method !== 'GET') throw new WxError('requireGet');
    const req: TokenRequest = {
      grant_type: queryValue(request, 'grant_type'),
      appid: queryValue(request, 'appid'),
      secret: queryValue(request, 'secret'),
    };
    return parts.tokens.issue(parts.tokens.authenticate(req), 'token');
  });

  app.all('/cgi-bin/stable_token', { config: { access: 'datacube-token' } }, async (request) => {
    if (request.method !== 'POST') throw new WxError('requirePost');
    const body = jsonBody(request) as TokenRequest;
    const appid = parts.tokens.authenticate(body);
    return parts.tokens.issue(appid, 'stable', body.force_refresh === true);
  });

  app.all<{ Params: { name: string } }>(
    '/datacube/:name',
    { config: { access: 'datacube-token' } },
    async (request) => {
      if (request.method !== 'POST') throw new WxError('requirePost');
      const endpoint = Object.hasOwn(ENDPOINTS, request.params.name) ? ENDPOINTS[request.params.name] : undefined;
      if (!endpoint) throw new WxError('unauthorized', `no datacube api ${request.params.name}`);
      const appid = parts.tokens.verify(queryValue(request, 'access_token'));
      const range = parseRange(jsonBody(request), endpoint.rule, parts.engine.yesterday());
      return endpoint.run({ engine: parts.engine, app: appid, range });
    },
  );
}
