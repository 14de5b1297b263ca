/**
 * `POST /collect` (protocol.md): JSON or text/plain carrying JSON, optionally gzip, at most 1 MiB
 * after decompression. The body is read raw here so that the size rule applies to the decompressed
 * bytes and every failure gets the protocol's error shape. Open to browser senders: CORS headers
 * on this route only, since the dashboard's API must stay same-origin.
 */
import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import { MAX_BODY_BYTES } from '@miniscope/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MiniscopeError } from '../errors.js';
import type { Ingest } from '../ingest/ingest.js';

function decode(request: FastifyRequest, raw: Buffer): unknown {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let bytes = raw;
  if (encoding === 'gzip') {
    try {
      // NOTE: synchronous on purpose: batches are small, and chdb calls occupy the libuv pool.
      bytes = zlib.gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new MiniscopeError(
          'body_too_large',
          `the body is larger than ${MAX_BODY_BYTES} bytes after decompression`,
        );
      }
      throw new MiniscopeError('bad_json', 'the body is not valid gzip');
    }
  } else if (encoding !== 'identity') {
    throw new MiniscopeError(
      'unsupported_media_type',
      `Content-Encoding ${encoding} is not supported; use gzip or none`,
    );
  }
  // NOTE: decoding would silently turn bad bytes into U+FFFD, so that distinct user ids could collapse.
  if (!isUtf8(bytes)) throw new MiniscopeError('bad_encoding', 'the body is not valid UTF-8');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new MiniscopeError('bad_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type, content-encoding',
  'access-control-max-age': '86400',
};

export async function collectRoutes(app: FastifyInstance, options: { ingest: Ingest }): Promise<void> {
  // Every answer of /collect, errors included, so a browser sender can read why it was refused.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  app.options('/collect', { config: { access: 'public' } }, async (_request, reply) => {
    reply.status(204).headers(CORS_HEADERS).send();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, _body, done) =>
    done(
      new MiniscopeError(
        'unsupported_media_type',
        `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported; send application/json`,
      ),
    ),
  );
  app.post('/collect', { bodyLimit: MAX_BODY_BYTES, config: { access: 'sdk' } }, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw new MiniscopeError('bad_json', 'the body is empty');
    options.ingest.refuseIfOverloaded();
    const body = decode(request, request.body);
    return options.ingest.collect(body, request.ip);
  });
}
