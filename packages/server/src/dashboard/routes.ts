/**
 * The dashboard JSON API under `/api` (query strings and answers: packages/contract/src/dashboard.ts).
 * Every report route reads one app, checked by the server's access hook (rule `app-data`, declared
 * by route.ts) and goes through the metrics engine's one pipeline; handlers hold no SQL.
 *
 * GET /api/metrics                                  the daily figures: id, name, unit
 * GET /api/apps/:appid/overview?date=               a day vs 1 day, 1 week, 1 month earlier
 * GET /api/apps/:appid/trend?metrics=&granularity=  day | week | month | all, &compare_from=&compare_to=
 * GET /api/apps/:appid/sources                      opens and users per access source, with shares
 * GET /api/apps/:appid/sources/:key/scenes          the scenes of one source
 * GET /api/apps/:appid/distribution                 every stay-time and depth bucket
 * GET /api/apps/:appid/retention?granularity=       cohorts (new, active) with rates
 * GET /api/apps/:appid/pages?sort=&limit=           per path, with 退出率 and share of views
 * GET /api/apps/:appid/pages/trend?path=            one page per day, and over the range
 * GET /api/apps/:appid/realtime?days=&step=&path=   per 1/5/10/30/60 minutes
 * GET /api/apps/:appid/portrait?days=1|7|30&province=
 * GET /api/apps/:appid/custom/events?q=           事件分析 (custom.ts: the query as JSON in q)
 * GET /api/apps/:appid/custom/funnel?q=           漏斗分析
 * GET /api/apps/:appid/custom/paths?q=            路径分析
 * GET /api/apps/:appid/custom/retention?q=        留存分析 by events
 * …/custom/event-defs, …/custom/props, …/custom/saved-reports: event-management.ts
 * Ranges: from, to (YYYY-MM-DD; default the 7 days ending yesterday), filter=field:v1,v2
 * (repeatable), format=csv for a download (every report).
 */
import { METRIC_IDS, type MetricList, metricMeta } from '@miniscope/contract';
import type { FastifyInstance } from 'fastify';
import { eventAnalysisRoute, eventRetentionRoute, funnelRoute, pathsRoute } from './custom.js';
import { eventManagementRoutes } from './event-management.js';
import { pagesRoute, pageTrendRoute, portraitRoute, realtimeRoute } from './pages.js';
import { type DashboardParts, registerReport } from './route.js';
import { distributionRoute, overviewRoute, retentionRoute, scenesRoute, sourcesRoute, trendRoute } from './visits.js';

export type { DashboardParts } from './route.js';

export async function dashboardRoutes(app: FastifyInstance, parts: DashboardParts): Promise<void> {
  app.get(
    '/api/metrics',
    { config: { access: 'session' } },
    async (): Promise<MetricList> => ({
      metrics: METRIC_IDS.map(metricMeta),
    }),
  );
  registerReport(app, parts, overviewRoute);
  registerReport(app, parts, trendRoute);
  registerReport(app, parts, sourcesRoute);
  registerReport(app, parts, scenesRoute);
  registerReport(app, parts, distributionRoute);
  registerReport(app, parts, retentionRoute);
  registerReport(app, parts, pagesRoute);
  registerReport(app, parts, pageTrendRoute);
  registerReport(app, parts, realtimeRoute);
  registerReport(app, parts, portraitRoute);
  registerReport(app, parts, eventAnalysisRoute);
  registerReport(app, parts, funnelRoute);
  registerReport(app, parts, pathsRoute);
  registerReport(app, parts, eventRetentionRoute);
  await eventManagementRoutes(app, parts);
}
