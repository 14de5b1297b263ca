/**
 * Page figures (metrics.md "Pages") over a range of open days: views, viewers, stay per view,
 * entries, exits and shares per path, for the page views, leaves and shares of counted opens.
 * Sorted by views; the datacube API takes the top 200.
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { cubeRowsSql, PAGE_CUBE, readsCubes } from './cubes.js';
import { periodsIn } from './dates.js';
import { opensSql, rangeOpens, userIdSql } from './opens-sql.js';
import { APP_SCOPE, Params } from './params.js';
import { checkRange, MetricQueryError, type RangeQuery } from './query.js';
import { QUERY_SETTINGS } from './settings.js';

export const MAX_PAGES = 1000;

/** Orders a page list may be sorted by (descending); each is a whitelisted expression. */
export const PAGE_SORTS = {
  page_visit_pv: 'page_visit_pv',
  page_visit_uv: 'page_visit_uv',
  page_staytime_pv: 'page_staytime_pv',
  entrypage_pv: 'entrypage_pv',
  exitpage_pv: 'exitpage_pv',
  page_share_pv: 'page_share_pv',
  page_share_uv: 'page_share_uv',
  exit_rate: 'if(page_visit_pv = 0, 0, exitpage_pv / page_visit_pv)',
} as const;
export type PageSort = keyof typeof PAGE_SORTS;

export interface PagesQuery extends RangeQuery {
  /** At most this many paths (default 200). */
  limit?: number;
  /** Sorted by this, descending, then by path (default page_visit_pv). */
  sort?: PageSort;
  /** Only this path. */
  path?: string;
}

export interface PageRow {
  page_path: string;
  page_visit_pv: number;
  page_visit_uv: number;
  /** Seconds of stay per view. */
  page_staytime_pv: number;
  entrypage_pv: number;
  exitpage_pv: number;
  page_share_pv: number;
  page_share_uv: number;
}

function pagesSql(q: PagesQuery, params: Params): string {
  const opens = opensSql({ ...rangeOpens(q), columns: ['entry_path', 'exit_path'] }, params);
  // NOTE: events of an open may fall a day either side of its day: read with the same margin.
  return `WITH opens AS (${opens}),
    views AS (
      SELECT path AS page_path,
        countIf(type = 'pv') AS page_visit_pv,
        uniqExactIf(user_id, type = 'pv') AS page_visit_uv,
        if(page_visit_pv = 0, 0, sumIf(dur_ms, type = 'leave') / 1000 / page_visit_pv) AS page_staytime_pv,
        countIf(type = 'share') AS page_share_pv,
        uniqExactIf(user_id, type = 'share') AS page_share_uv
      FROM events
      WHERE ${APP_SCOPE} AND toDate(ts) >= ${params.date(q.from)} - 1 AND toDate(ts) <= ${params.date(q.to)} + 1
        AND type IN ('pv', 'leave', 'share') AND (${userIdSql(q.opensFrom)}, sid) IN (SELECT uid, sid FROM opens)
        ${q.path === undefined ? '' : `AND path = ${params.add(q.path, 'String')}`}
      GROUP BY path
      HAVING page_visit_pv > 0 OR page_share_pv > 0
    ),
    entries AS (SELECT entry_path AS page_path, count() AS entrypage_pv FROM opens GROUP BY page_path),
    exits AS (SELECT exit_path AS page_path, count() AS exitpage_pv FROM opens GROUP BY page_path)
    SELECT page_path, page_visit_pv, page_visit_uv, page_staytime_pv, entrypage_pv, exitpage_pv,
      page_share_pv, page_share_uv, ${TOTAL_VIEWS}
    FROM views LEFT JOIN entries USING (page_path) LEFT JOIN exits USING (page_path)
    ORDER BY ${PAGE_SORTS[q.sort ?? 'page_visit_pv']} DESC, page_path
    LIMIT ${params.add(q.limit ?? 200, 'UInt16')}
    ${QUERY_SETTINGS}`;
}

/** The views of every page of the range, before the limit (each row carries it). */
const TOTAL_VIEWS = 'sum(page_visit_pv) OVER () AS total_views';

/** A page's figures over cube rows (columns c_*), per `by`. */
const PAGE_FIGURES = `sum(c_views) AS page_visit_pv, groupBitmapIfMerge(c_viewers) AS page_visit_uv,
  if(page_visit_pv = 0, 0, sum(c_stay) / 1000 / page_visit_pv) AS page_staytime_pv,
  sum(c_entries) AS entrypage_pv, sum(c_exits) AS exitpage_pv,
  sum(c_share_pv) AS page_share_pv, groupBitmapIfMerge(c_sharers) AS page_share_uv`;

/** The cube rows of the range, of one path if the query names one. */
function pageCubeRows(q: PagesQuery & { fresh: Freshness }, params: Params): string {
  const path = q.path === undefined ? '' : `WHERE c_path = ${params.add(q.path, 'String')}`;
  return `SELECT * FROM (${cubeRowsSql(PAGE_CUBE, q.from, q.to, params, q.fresh)}) ${path}`;
}

/** The same from the page cube. */
function cubePagesSql(q: PagesQuery & { fresh: Freshness }, params: Params): string {
  return `SELECT c_path AS page_path, ${PAGE_FIGURES}, ${TOTAL_VIEWS}
    FROM (${pageCubeRows(q, params)})
    GROUP BY page_path
    HAVING page_visit_pv > 0 OR page_share_pv > 0
    ORDER BY ${PAGE_SORTS[q.sort ?? 'page_visit_pv']} DESC, page_path
    LIMIT ${params.add(q.limit ?? 200, 'UInt16')}
    ${QUERY_SETTINGS}`;
}

function checkPages(q: PagesQuery): void {
  checkRange(q);
  const limit = q.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGES)
    throw new MetricQueryError('bad_query', `limit must be 1 to ${MAX_PAGES}`);
  if (q.sort !== undefined && !Object.hasOwn(PAGE_SORTS, q.sort))
    throw new MetricQueryError('bad_query', `pages cannot be sorted by ${q.sort}`);
  if (q.path !== undefined && (typeof q.path !== 'string' || q.path.length === 0 || q.path.length > 256))
    throw new MetricQueryError('bad_query', 'path must be 1 to 256 characters');
}

export async function runPages(store: Store, query: PagesQuery): Promise<PageRow[]> {
  return (await runPagesWithTotal(store, query)).pages;
}

/** The pages, and the views of all pages of the range (for each page's share of views). */
export async function runPagesWithTotal(
  store: Store,
  query: PagesQuery,
): Promise<{ pages: PageRow[]; totalViews: number }> {
  checkPages(query);
  const q = await withFreshness(store, query);
  const params = new Params(q.app);
  const sql = readsCubes(q) ? cubePagesSql(q, params) : pagesSql(q, params);
  const rows = await store.query<Record<keyof PageRow | 'total_views', string | number>>(sql, params.values);
  return { pages: rows.map(pageRow), totalViews: Number(rows[0]?.total_views ?? 0) };
}

export interface PageDay {
  day: string;
  /** The page's figures that day; undefined when it had no views or shares. */
  page: PageRow | undefined;
}

/**
 * One page's figures per open day of the range (页面详情 → a page). From the page cube in one
 * statement; filtered and reference reads ask for the page one day at a time.
 */
export async function runPageTrend(store: Store, query: PagesQuery & { path: string }): Promise<PageDay[]> {
  checkPages(query);
  const q = await withFreshness(store, query);
  const days = periodsIn(q.from, q.to, 'day').map((p) => p.start);
  if (!readsCubes(q)) {
    return Promise.all(
      days.map(async (day) => ({ day, page: (await runPages(store, { ...query, from: day, to: day }))[0] })),
    );
  }
  const params = new Params(q.app);
  const rows = await store.query<Record<keyof PageRow | 'day', string | number>>(
    `SELECT toString(day) AS day, c_path AS page_path, ${PAGE_FIGURES}
     FROM (${pageCubeRows(q, params)})
     GROUP BY day, page_path
     HAVING page_visit_pv > 0 OR page_share_pv > 0
     ${QUERY_SETTINGS}`,
    params.values,
  );
  const byDay = new Map(rows.map((r) => [String(r.day), pageRow(r)]));
  return days.map((day) => ({ day, page: byDay.get(day) }));
}

function pageRow(r: Record<keyof PageRow, string | number>): PageRow {
  return {
    page_path: String(r.page_path),
    page_visit_pv: Number(r.page_visit_pv),
    page_visit_uv: Number(r.page_visit_uv),
    page_staytime_pv: Number(r.page_staytime_pv),
    entrypage_pv: Number(r.entrypage_pv),
    exitpage_pv: Number(r.exitpage_pv),
    page_share_pv: Number(r.page_share_pv),
    page_share_uv: Number(r.page_share_uv),
  };
}
