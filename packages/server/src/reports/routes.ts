/**
 * The dashboard JSON API under `/api`: every route reads one app, checked by the server's access
 * hook (rule `app-data`) and resolved by access.ts, and goes through the metrics engine; handlers
 * hold no SQL. Engine validation errors become 400s in the server's one error format.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http/errors.js';
import { MetricQueryError } from '../metrics/query.js';
import { METRIC_IDS } from '../metrics/registry.js';
import { metricMeta } from './labels.js';
import { pageRoutes } from './page-routes.js';
import type { ReportParts } from './report-parts.js';
import { trendRoutes } from './trend-routes.js';
import { visitRoutes } from './visit-routes.js';

export type { ReportParts } from './report-parts.js';

export async function reportRoutes(app: FastifyInstance, parts: ReportParts): Promise<void> {
  // NOTE: rethrown errors reach the server's error handler, which renders HttpError.
  app.setErrorHandler((error) => {
    if (error instanceof MetricQueryError) throw new HttpError(400, error.code, error.message);
    throw error;
  });
  app.get('/api/metrics', async () => ({ metrics: METRIC_IDS.map(metricMeta) }));
  await trendRoutes(app, parts);
  await visitRoutes(app, parts);
  await pageRoutes(app, parts);
}
