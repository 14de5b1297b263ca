/**
 * Dashboard visit analysis: access sources with scene drill-down (来源分析), stay-time and depth
 * distributions (时长分析), and the retention matrix (留存分析), each with CSV export.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DistributionItem } from '../metrics/distribution.js';
import type { RetentionValue } from '../metrics/retention.js';
import { sendCsv } from './csv.js';
import { DEPTH_LABELS, STAYTIME_LABELS, sourceName } from './labels.js';
import { parseQuery, rangeOf, rangeSchema } from './query-params.js';
import { type AppRequest, appOf, type ReportParts } from './report-parts.js';
import { sceneName } from './scene-names.js';

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

function sourcesRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/sources', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(rangeSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const [row] = await parts.engine.distribution({ app: appid, ...range, granularity: 'all' });
    const total = (row?.source ?? []).reduce((sum, i) => sum + i.sessions, 0);
    const items = (row?.source ?? [])
      .map((i) => ({
        key: i.key,
        name: sourceName(i.key),
        sessions: i.sessions,
        users: i.users,
        share: share(i.sessions, total),
      }))
      .sort((a, b) => b.sessions - a.sessions || a.key - b.key);
    if (q.format === 'csv')
      return sendCsv(reply, `sources-${appid}-${range.from}-${range.to}`, {
        columns: ['来源', '来源名称', '打开次数', '访问人数', '打开次数占比'],
        rows: items.map((i) => [i.key, i.name, i.sessions, i.users, i.share]),
      });
    return { app: appid, ...range, items };
  });
}

function scenesRoute(app: FastifyInstance, parts: ReportParts): void {
  const params = z.object({ appid: z.string(), key: z.coerce.number().int().min(1).max(255) });
  app.get<AppRequest>('/api/apps/:appid/sources/:key/scenes', async (request, reply) => {
    const appid = appOf(request, parts);
    const { key } = parseQuery(params, request.params);
    const q = parseQuery(rangeSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const rows = await parts.engine.scenes({ app: appid, ...range, source: key });
    const items = rows.map((r) => ({ scene: r.scene, name: sceneName(r.scene), sessions: r.sessions, users: r.users }));
    if (q.format === 'csv')
      return sendCsv(reply, `scenes-${appid}-${key}-${range.from}-${range.to}`, {
        columns: ['场景值', '场景名称', '打开次数', '访问人数'],
        rows: items.map((i) => [i.scene, i.name, i.sessions, i.users]),
      });
    return { app: appid, ...range, source: { key, name: sourceName(key) }, items };
  });
}

function distributionRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/distribution', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(rangeSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const [row] = await parts.engine.distribution({ app: appid, ...range, granularity: 'all' });
    const label = (labels: Record<number, string>) => (i: DistributionItem) => ({
      ...i,
      label: labels[i.key] ?? String(i.key),
    });
    const staytime = (row?.staytime ?? []).map(label(STAYTIME_LABELS));
    const depth = (row?.depth ?? []).map(label(DEPTH_LABELS));
    if (q.format === 'csv')
      return sendCsv(reply, `distribution-${appid}-${range.from}-${range.to}`, {
        columns: ['分布', '区间', '打开次数', '访问人数'],
        rows: [
          ...staytime.map((i) => ['访问时长', i.label, i.sessions, i.users]),
          ...depth.map((i) => ['访问深度', i.label, i.sessions, i.users]),
        ],
      });
    return { app: appid, ...range, staytime, depth };
  });
}

const retentionSchema = rangeSchema.extend({ granularity: z.enum(['day', 'week', 'month']).default('day') });

/** Values with their rate against key 0 (the cohort). */
const withRates = (values: RetentionValue[]) => {
  const cohort = values.find((v) => v.key === 0)?.value ?? 0;
  return values.map((v) => ({ ...v, rate: share(v.value, cohort) }));
};

function retentionRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/retention', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(retentionSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const rows = (await parts.engine.retention({ app: appid, ...range, granularity: q.granularity })).map((r) => ({
      start: r.period.start,
      end: r.period.end,
      new: withRates(r.visit_uv_new),
      active: withRates(r.visit_uv),
    }));
    if (q.format === 'csv')
      return sendCsv(reply, `retention-${appid}-${range.from}-${range.to}`, {
        columns: ['开始日期', '结束日期', '用户', '间隔', '人数', '留存率'],
        rows: rows.flatMap((r) => [
          ...r.new.map((v) => [r.start, r.end, '新增', v.key, v.value, v.rate]),
          ...r.active.map((v) => [r.start, r.end, '活跃', v.key, v.value, v.rate]),
        ]),
      });
    return { app: appid, ...range, granularity: q.granularity, rows };
  });
}

export async function visitRoutes(app: FastifyInstance, parts: ReportParts): Promise<void> {
  sourcesRoute(app, parts);
  scenesRoute(app, parts);
  distributionRoute(app, parts);
  retentionRoute(app, parts);
}
