/**
 * The dashboard JSON API under `/api`: every route reads one app, checked by the server's access
 * hook (rule `app-data`) and resolved by access.ts, and goes through the metrics engine; handlers
 * hold no SQL. Engine validation errors become 400s in the server's one error format.
 *
 * GET /api/metrics                                  the registry: id, name, unit
 * GET /api/apps/:appid/overview?date=               a day vs 1 day, 1 week, 1 month earlier
 * GET /api/apps/:appid/trend?metrics=&granularity=  day | week | month | all
 *     &compare_from=&compare_to=                      (a comparison range, same granularity)
 * GET /api/apps/:appid/sources                      opens and users per access source
 * GET /api/apps/:appid/sources/:key/scenes          the scenes of one source
 * GET /api/apps/:appid/distribution                 stay-time and depth buckets
 * GET /api/apps/:appid/retention?granularity=       cohorts (new, active) with rates
 * GET /api/apps/:appid/pages?sort=&limit=           per path, with 退出率 and share of views
 * GET /api/apps/:appid/pages/trend?path=             one page per day, and over the range
 * GET /api/apps/:appid/realtime?days=&step=&path=   per 1/5/10/30/60 minutes
 * GET /api/apps/:appid/portrait?days=1|7|30         new and active users by attribute
 *     &province=                                      (cities of one province only; models: top 20 + 其他)
 * Ranges: from, to (YYYY-MM-DD; default the 7 days ending yesterday), filter=field:v1,v2
 * (repeatable), format=csv for a download (every report; not the metric list).
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
