/**
 * Health for load balancers and orchestrators, and the ingest counters:
 * - `GET /health` (liveness) answers from the process alone, so it is prompt whatever the event
 *   store is doing: 200 while serving, 503 once the server is stopping.
 * - `GET /health/ready` (readiness) also asks the event store, on its probe client (store.ts), which
 *   does not queue behind reports or compaction: 200 when it answers within 2 s, else 503.
 * - `GET /metrics`: the counters in Prometheus text format.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerParts } from './server.js';

const READY_TIMEOUT_MS = 2000;
const mb = (bytes: number) => Math.round(bytes / 1048576);

export async function healthRoutes(
  app: FastifyInstance,
  parts: Pick<ServerParts, 'store' | 'ingest' | 'collector'>,
): Promise<void> {
  const started = Date.now();
  const ingestState = () => ({
    ...parts.ingest.counters,
    pending_rows: parts.collector.pendingRows,
    oldest_wait_ms: parts.collector.oldestWaitMs(),
    unsettled_rows: parts.collector.writer.unsettledRows,
    ...parts.collector.stats,
    ...parts.collector.writer.stats,
  });

  app.get('/health', { config: { access: 'public' } }, async (_request, reply) => {
    const stopping = parts.ingest.stopping;
    reply.status(stopping ? 503 : 200);
    const memory = process.memoryUsage();
    return {
      status: stopping ? 'stopping' : 'ok',
      uptime_s: Math.round((Date.now() - started) / 1000),
      store: { embedded: parts.store.embedded },
      ingest: ingestState(),
      // The engine's memory is the resident size less the JS heap and buffers.
      memory_mb: { rss: mb(memory.rss), js_heap: mb(memory.heapUsed), js_external: mb(memory.external) },
    };
  });

  app.get('/health/ready', { config: { access: 'public' } }, async (_request, reply) => {
    const storeUp = await parts.store.ping(READY_TIMEOUT_MS);
    const status = parts.ingest.stopping ? 'stopping' : storeUp ? 'ready' : 'store_unavailable';
    reply.status(status === 'ready' ? 200 : 503);
    return { status, store: { up: storeUp, embedded: parts.store.embedded } };
  });

  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) => {
    const c = parts.ingest.counters;
    const s = ingestState();
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
      `miniscope_ingest_pending_rows ${s.pending_rows}`,
      '# TYPE miniscope_ingest_oldest_wait_ms gauge',
      `miniscope_ingest_oldest_wait_ms ${s.oldest_wait_ms}`,
      '# TYPE miniscope_ingest_unsettled_rows gauge',
      `miniscope_ingest_unsettled_rows ${s.unsettled_rows}`,
      '# TYPE miniscope_refused_batches_total counter',
      `miniscope_refused_batches_total ${s.refusedBatches}`,
    ];
    reply.type('text/plain; version=0.0.4');
    return `${lines.join('\n')}\n`;
  });
}
