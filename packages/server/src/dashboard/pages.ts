/**
 * Dashboard reports of pages and users: 页面详情 (pages with 退出率 and share of views; one page per
 * day), 实时统计 (per 1–60 minutes) and 用户画像 (new and active users by attribute; device models
 * under their display names, the top 20 and 其他).
 */
import {
  AGE_NAMES,
  addDays,
  GENDER_NAMES,
  PAGE_FIGURES,
  type PageFigures,
  type Pages,
  type PageTrend,
  PLATFORM_NAMES,
  PORTRAIT_DIMENSION_NAMES,
  PORTRAIT_DIMENSIONS,
  type Portrait,
  type PortraitDimension,
  pagesQuery,
  pageTrendQuery,
  portraitQuery,
  type Realtime,
  type RealtimeStep,
  realtimeQuery,
} from '@miniscope/contract';
import { emptyPage, pagesReport, pageTrendReport } from '../metrics/reports/pages.js';
import { type PortraitItem, portraitReport, withDeviceNames } from '../metrics/reports/portrait.js';
import { realtimeReport } from '../metrics/reports/realtime.js';
import { type ReportRoute, rangeOf } from './route.js';

/** A page's CSV cells in the order of PAGE_FIGURES, after its path. */
const pageCells = (p: PageFigures) => [p.page_path, ...PAGE_FIGURES.map((f) => p[f.id])];
const PAGE_COLUMNS = ['页面路径', ...PAGE_FIGURES.map((f) => f.name)];

export const pagesRoute: ReportRoute<typeof pagesQuery, Pages> = {
  path: 'pages',
  query: pagesQuery,
  async answer(ctx, q) {
    const range = rangeOf(q, ctx.engine.yesterday());
    const { pages, totalViews } = await ctx.engine.run(pagesReport, {
      app: ctx.app,
      ...range,
      sort: q.sort,
      limit: q.limit,
    });
    return { app: ctx.app, from: range.from, to: range.to, sort: q.sort, total_visit_pv: totalViews, items: pages };
  },
  csv: (a, ctx) => ({
    name: `pages-${ctx.app}-${a.from}-${a.to}`,
    table: { columns: [...PAGE_COLUMNS, '访问次数占比'], rows: a.items.map((p) => [...pageCells(p), p.visit_share]) },
  }),
};

export const pageTrendRoute: ReportRoute<typeof pageTrendQuery, PageTrend> = {
  path: 'pages/trend',
  query: pageTrendQuery,
  async answer(ctx, q) {
    const range = rangeOf(q, ctx.engine.yesterday());
    const query = { app: ctx.app, ...range, path: q.path };
    const [days, total] = await Promise.all([
      ctx.engine.run(pageTrendReport, query),
      ctx.engine.run(pagesReport, query),
    ]);
    const { visit_share: _, ...totalFigures } = total.pages[0] ?? { ...emptyPage(q.path), visit_share: 0 };
    return {
      app: ctx.app,
      from: range.from,
      to: range.to,
      path: q.path,
      total: totalFigures,
      days: days.map(({ day, page }) => ({ day, ...page })),
    };
  },
  csv: (a, ctx) => ({
    name: `page-${ctx.app}-${a.from}-${a.to}`,
    table: { columns: ['日期', ...PAGE_COLUMNS], rows: a.days.map((p) => [p.day, ...pageCells(p)]) },
  }),
};

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export const realtimeRoute: ReportRoute<typeof realtimeQuery, Realtime> = {
  path: 'realtime',
  query: realtimeQuery,
  async answer(ctx, q) {
    const days = q.days ?? [ctx.engine.today(), ctx.engine.yesterday()];
    const step = q.step as RealtimeStep;
    const series = await ctx.engine.run(realtimeReport, {
      app: ctx.app,
      days,
      step,
      ...(q.path ? { path: q.path } : {}),
    });
    return { app: ctx.app, step, path: q.path ?? null, series };
  },
  csv: (a, ctx) => ({
    name: `realtime-${ctx.app}-${a.series.map((s) => s.day).join('_')}`,
    table: {
      columns: ['日期', '时间', '访问次数', '访问人数', '打开次数'],
      rows: a.series.flatMap((s) => s.points.map((p) => [s.day, clock(p.minute), p.pv, p.uv, p.opens])),
    },
  }),
};

/** Device models shown: the top 20 by active users. */
export const TOP_MODELS = 20;
export const OTHER_MODELS = '其他';

/**
 * The first `top` items (sorted by active users) and one 其他 item summing the rest: exact, as each
 * user is placed in one model.
 */
export function topWithOthers(items: PortraitItem[], top = TOP_MODELS): PortraitItem[] {
  if (items.length <= top) return items;
  const rest = items.slice(top);
  const sum = (key: 'visit_uv_new' | 'visit_uv') => rest.reduce((n, i) => n + i[key], 0);
  const codes = rest.flatMap((i) => i.codes ?? []);
  return [
    ...items.slice(0, top),
    {
      name: OTHER_MODELS,
      ...(codes.length ? { codes } : {}),
      visit_uv_new: sum('visit_uv_new'),
      visit_uv: sum('visit_uv'),
    },
  ];
}

const ID_NAMES: Partial<Record<PortraitDimension, Readonly<Record<number, string>>>> = {
  genders: GENDER_NAMES,
  platforms: PLATFORM_NAMES,
  ages: AGE_NAMES,
};

/** A portrait value as shown: ids of gender, platform and age get their names. */
function labelled(dim: PortraitDimension, item: PortraitItem) {
  const names = ID_NAMES[dim];
  const id = names ? { id: Number(item.name), name: names[Number(item.name)] ?? item.name } : { name: item.name };
  return {
    ...id,
    ...(item.codes ? { codes: item.codes } : {}),
    visit_uv_new: item.visit_uv_new,
    visit_uv: item.visit_uv,
  };
}

export const portraitRoute: ReportRoute<typeof portraitQuery, Portrait> = {
  path: 'portrait',
  query: portraitQuery,
  async answer(ctx, q) {
    const yesterday = ctx.engine.yesterday();
    const range = q.days
      ? { from: addDays(yesterday, 1 - Number(q.days)), to: yesterday, filters: [] }
      : rangeOf(q, yesterday);
    const portrait = withDeviceNames(await ctx.engine.run(portraitReport, { app: ctx.app, ...range }));
    if (q.province !== undefined) portrait.city = portrait.citiesByProvince.filter((c) => c.province === q.province);
    portrait.devices = topWithOthers(portrait.devices);
    const dims = Object.fromEntries(PORTRAIT_DIMENSIONS.map((d) => [d, portrait[d].map((i) => labelled(d, i))]));
    return {
      app: ctx.app,
      from: range.from,
      to: range.to,
      city_province: q.province ?? null,
      ...(dims as Record<PortraitDimension, ReturnType<typeof labelled>[]>),
      cities_by_province: portrait.citiesByProvince,
    };
  },
  csv: (a, ctx) => ({
    name: `portrait-${ctx.app}-${a.from}-${a.to}`,
    table: {
      columns: ['维度', '名称', '编码', '新用户数', '访问人数'],
      rows: PORTRAIT_DIMENSIONS.flatMap((d) =>
        a[d].map((i) => [PORTRAIT_DIMENSION_NAMES[d], i.name, (i.codes ?? []).join(' '), i.visit_uv_new, i.visit_uv]),
      ),
    },
  }),
};
