/**
 * Dashboard pages (页面详情, with 退出率 and Top页面占比; one page's daily trend), real time (实时统计) and user portrait
 * (用户画像), with CSV export where the console offers a download.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addDays, isDate } from '../metrics/dates.js';
import { PAGE_SORTS, type PageRow, type PageSort } from '../metrics/pages.js';
import { PORTRAIT_DIMENSIONS } from '../metrics/portrait.js';
import { REALTIME_STEPS, type RealtimeStep } from '../metrics/realtime.js';
import { sendCsv } from './csv.js';
import { PORTRAIT_LABELS, portraitLabel, topWithOthers } from './labels.js';
import { parseQuery, rangeOf, rangeSchema } from './query-params.js';
import { type AppRequest, appOf, type ReportParts } from './report-parts.js';

const pagesSchema = rangeSchema.extend({
  sort: z.enum(Object.keys(PAGE_SORTS) as [PageSort, ...PageSort[]]).default('page_visit_pv'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const PAGE_COLUMNS = [
  '页面路径',
  '访问次数',
  '访问人数',
  '次均停留时长',
  '入口页次数',
  '退出页次数',
  '退出率',
  '分享次数',
  '分享人数',
  '访问次数占比',
];

function pagesRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/pages', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(pagesSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const { pages, totalViews: allViews } = await parts.engine.pagesWithTotal({
      app: appid,
      ...range,
      sort: q.sort,
      limit: q.limit,
    });
    const items = pages.map((p) => ({ ...withExitRate(p), visit_share: rate(p.page_visit_pv, allViews) }));
    if (q.format === 'csv')
      return sendCsv(reply, `pages-${appid}-${range.from}-${range.to}`, {
        columns: PAGE_COLUMNS,
        rows: items.map((p) => [...pageCells(p), p.visit_share]),
      });
    return { app: appid, ...range, sort: q.sort, total_visit_pv: allViews, items };
  });
}

const pageTrendSchema = rangeSchema.extend({ path: z.string().min(1).max(256) });

/** One page per day (页面详情 → a page): its figures each day of the range, and over the range. */
function pageTrendRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/pages/trend', { config: { access: 'app-data' } }, async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(pageTrendSchema, request.query);
    const range = rangeOf(q, parts.engine.yesterday());
    const query = { app: appid, ...range, path: q.path };
    const [days, [total]] = await Promise.all([parts.engine.pageTrend(query), parts.engine.pages(query)]);
    const items = days.map(({ day, page }) => ({ day, ...withExitRate(page ?? emptyPage(q.path)) }));
    if (q.format === 'csv')
      return sendCsv(reply, `page-${appid}-${range.from}-${range.to}`, {
        columns: ['日期', ...PAGE_COLUMNS.slice(0, -1)],
        rows: items.map((p) => [p.day, ...pageCells(p)]),
      });
    return { app: appid, ...range, path: q.path, total: withExitRate(total ?? emptyPage(q.path)), days: items };
  });
}

const rate = (a: number, b: number) => (b === 0 ? 0 : a / b);
const withExitRate = (p: PageRow) => ({ ...p, exit_rate: rate(p.exitpage_pv, p.page_visit_pv) });

/** A page's CSV cells, path to 分享人数 (PAGE_COLUMNS without the share of views). */
function pageCells(p: PageRow & { exit_rate: number }): Array<string | number> {
  return [
    p.page_path,
    p.page_visit_pv,
    p.page_visit_uv,
    p.page_staytime_pv,
    p.entrypage_pv,
    p.exitpage_pv,
    p.exit_rate,
    p.page_share_pv,
    p.page_share_uv,
  ];
}

function emptyPage(path: string): PageRow {
  return {
    page_path: path,
    page_visit_pv: 0,
    page_visit_uv: 0,
    page_staytime_pv: 0,
    entrypage_pv: 0,
    exitpage_pv: 0,
    page_share_pv: 0,
    page_share_uv: 0,
  };
}

const realtimeSchema = z.object({
  days: z
    .string()
    .transform((s) => s.split(','))
    .refine((days) => days.every(isDate), 'days must be YYYY-MM-DD dates')
    .optional(),
  step: z.coerce
    .number()
    .refine((s) => (REALTIME_STEPS as readonly number[]).includes(s), `step is one of ${REALTIME_STEPS}`)
    .default(5),
  path: z.string().min(1).max(256).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

function realtimeRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/realtime', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(realtimeSchema, request.query);
    const days = q.days ?? [parts.engine.today(), parts.engine.yesterday()];
    const step = q.step as RealtimeStep;
    const series = await parts.engine.realtime({ app: appid, days, step, ...(q.path ? { path: q.path } : {}) });
    if (q.format === 'csv') {
      const time = (minute: number) =>
        `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      return sendCsv(reply, `realtime-${appid}-${days.join('_')}`, {
        columns: ['日期', '时间', '访问次数', '访问人数', '打开次数'],
        rows: series.flatMap((s) => s.points.map((p) => [s.day, time(p.minute), p.pv, p.uv, p.opens])),
      });
    }
    return { app: appid, step, path: q.path ?? null, series };
  });
}

const portraitSchema = rangeSchema.extend({
  days: z.enum(['1', '7', '30']).optional(),
  /** Only the cities of this province. */
  province: z.string().min(1).max(64).optional(),
});

function portraitRoute(app: FastifyInstance, parts: ReportParts): void {
  app.get<AppRequest>('/api/apps/:appid/portrait', async (request, reply) => {
    const appid = appOf(request, parts);
    const q = parseQuery(portraitSchema, request.query);
    const yesterday = parts.engine.yesterday();
    const range = q.days
      ? { from: addDays(yesterday, 1 - Number(q.days)), to: yesterday, filters: [] }
      : rangeOf(q, yesterday);
    const portrait = await parts.engine.portrait({ app: appid, ...range });
    if (q.province !== undefined) portrait.city = portrait.citiesByProvince.filter((c) => c.province === q.province);
    portrait.devices = topWithOthers(portrait.devices);
    const dims = Object.fromEntries(
      PORTRAIT_DIMENSIONS.map((d) => [
        d,
        portrait[d].map((i) => ({ ...portraitLabel(d, i.name), visit_uv_new: i.visit_uv_new, visit_uv: i.visit_uv })),
      ]),
    );
    if (q.format === 'csv')
      return sendCsv(reply, `portrait-${appid}-${range.from}-${range.to}`, {
        columns: ['维度', '名称', '新用户数', '访问人数'],
        rows: PORTRAIT_DIMENSIONS.flatMap((d) =>
          (dims[d] ?? []).map((i) => [PORTRAIT_LABELS[d], i.name, i.visit_uv_new, i.visit_uv]),
        ),
      });
    return {
      app: appid,
      from: range.from,
      to: range.to,
      city_province: q.province ?? null,
      ...dims,
      cities_by_province: portrait.citiesByProvince,
    };
  });
}

export async function pageRoutes(app: FastifyInstance, parts: ReportParts): Promise<void> {
  pagesRoute(app, parts);
  pageTrendRoute(app, parts);
  realtimeRoute(app, parts);
  portraitRoute(app, parts);
}
