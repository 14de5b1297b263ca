/**
 * GET /api/apps/:appid/ingest-status: the events received for an app (count, and when the last
 * arrived), for the dashboard's live "waiting for the first event" check. Rule `app-data`: whoever
 * may read the app's reports; `server_time` lets the page say "n seconds ago" whatever its clock.
 */
import type { FastifyInstance } from 'fastify';
import { MiniscopeError } from '../errors.js';
import { appIngestStatus } from '../ingest/app-status.js';
import type { Apps } from '../meta/apps.js';
import type { Store } from '../store/store.js';

export interface IngestStatusParts {
  store: Store;
  apps: Apps;
}

export async function ingestStatusRoutes(app: FastifyInstance, parts: IngestStatusParts): Promise<void> {
  app.get<{ Params: { appid: string } }>(
    '/api/apps/:appid/ingest-status',
    { config: { access: 'app-data' } },
    async (request, reply) => {
      const appid = request.params.appid;
      if (!parts.apps.get(appid)) throw new MiniscopeError('unknown_app', `No app with AppID ${appid}`);
      const status = await appIngestStatus(parts.store, appid);
      reply.header('cache-control', 'no-store');
      return {
        app: appid,
        events: status.events,
        last_received_at: status.lastReceivedAt,
        server_time: Date.now(),
      };
    },
  );
}
