/**
 * `GET /health` for load balancers (200 when the event store answers, else 503) with the ingest
 * counters, and `GET /metrics` with the same counters in Prometheus text format.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerParts } from './server.js';

export async function healthRoutes(
  app: FastifyInstance,
  parts: Pick<ServerParts, 'store' | 'ingest' | 'collector'>,
): Promise<void> {
  const started = Date.now();
  app.get('/health', async (_request, reply) => {
    const storeUp = await parts.store.ping();
    reply.status(storeUp ? 200 : 503);
    return {
      status: storeUp ? 'ok' : 'store_unavailable',
      uptime_s: Math.round((Date.now() - started) / 1000),
      store: { up: storeUp, embedded: parts.store.embedded },
      ingest: { ...parts.ingest.counters, pending_rows: parts.collector.pendingRows, ...parts.collector.stats },
    };
  });

  app.get('/metrics', async (_request, reply) => {
    const c = parts.ingest.counters;
    const lines = [
      '# TYPE miniscope_batches_total counter',
      `miniscope_batches_total ${c.batches}`,
      '# TYPE miniscope_duplicate_batches_total counter',
      `miniscope_duplicate_batches_total ${c.duplicateBatches}`,
      '# TYPE miniscope_events_accepted_total counter',
      `miniscope_events_accepted_total ${c.eventsAccepted}`,
      '# TYPE miniscope_events_rejected_total counter',
      ...Object.entries(c.rejected).map(([reason, n]) => `miniscope_events_rejected_total{reason="${reason}"} ${n}`),
      '# TYPE miniscope_collect_errors_total counter',
      ...Object.entries(c.requestErrors).map(([code, n]) => `miniscope_collect_errors_total{code="${code}"} ${n}`),
      '# TYPE miniscope_ingest_pending_rows gauge',
      `miniscope_ingest_pending_rows ${parts.collector.pendingRows}`,
    ];
    reply.type('text/plain; version=0.0.4');
    return `${lines.join('\n')}\n`;
  });
}
