/**
 * Page figures (definitions/pages.ts) over a range of open days: per path, for the page views,
 * leaves and shares of counted opens, with 退出率 and each path's share of the range's views; sorted
 * by any figure. The datacube API takes the top 200. One page's figures per day (页面详情 → a page)
 * are the page trend.
 */
import { PAGE_SORTS, type PageFigureId, type PageFigures, type PageItem, periodsIn } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import { PAGE_CUBE } from '../definitions/cubes.js';
import {
  PAGE_CUBE_FIGURES,
  PAGE_ENTRIES,
  PAGE_EVENT_FIGURES,
  PAGE_EXITS,
  PAGE_LISTED,
  PAGE_RATES,
  PAGE_SORT_COLUMNS,
  TOTAL_VIEWS,
} from '../definitions/pages.js';
import { ratio } from '../definitions/ratio.js';
import { checkRange, type RangeQuery } from '../plan/query.js';
import { cubeRowsSql, readsCubes } from '../sql/cube-rows.js';
import { opensSql, rangeOpens, userIdSql } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, type Row, statement } from './report.js';

export const MAX_PAGES = 1000;

export interface PagesQuery extends RangeQuery {
  /** At most this many paths (default 200). */
  limit?: number;
  /** Sorted by this, descending, then by path (default page_visit_pv). */
  sort?: PageFigureId;
  /** Only this path. */
  path?: string;
}

export interface PagesAnswer {
  pages: PageItem[];
  /** The views of every page of the range (before the limit). */
  totalViews: number;
}

type Q = PagesQuery & Planned;

/** The page rows of one statement: figures per path over events (filtered, reference) or the cube. */
function pageRowsSql(q: Q, params: Params): string {
  if (readsCubes(q)) {
    const path = q.path === undefined ? '' : `WHERE cube_path = ${params.add(q.path, 'String')}`;
    return `SELECT cube_path AS page_path, ${PAGE_CUBE_FIGURES}
      FROM (${cubeRowsSql(PAGE_CUBE, q.from, q.to, params, q.fresh!)}) ${path}
      GROUP BY page_path HAVING ${PAGE_LISTED}`;
  }
  const opens = opensSql({ ...rangeOpens(q), facts: ['entry_path', 'exit_path'] }, params);
  const where = [
    `toDate(ts) >= ${params.date(q.from)} - 1`,
    `toDate(ts) <= ${params.date(q.to)} + 1`,
    "type IN ('pv', 'leave', 'share')",
    `(${userIdSql(q.opensFrom)}, sid) IN (SELECT uid, sid FROM opens)`,
  ];
  if (q.path !== undefined) where.push(`path = ${params.add(q.path, 'String')}`);
  // NOTE: events of an open may fall a day either side of its day: read with the same margin.
  return `WITH opens AS (${opens}),
    views AS (SELECT path AS page_path, ${PAGE_EVENT_FIGURES} ${params.scan('events', where)}
      GROUP BY path HAVING ${PAGE_LISTED}),
    entries AS (${PAGE_ENTRIES}),
    exits AS (${PAGE_EXITS})
    SELECT page_path, page_visit_pv, page_visit_uv, page_staytime_pv, entrypage_pv, exitpage_pv,
      page_share_pv, page_share_uv
    FROM views LEFT JOIN entries USING (page_path) LEFT JOIN exits USING (page_path)`;
}

function pagesSql(q: Q, params: Params): string {
  return `SELECT *, ${PAGE_RATES}, ${TOTAL_VIEWS} FROM (${pageRowsSql(q, params)})
    ORDER BY ${PAGE_SORT_COLUMNS[q.sort ?? 'page_visit_pv']} DESC, page_path
    LIMIT ${params.add(q.limit ?? 200, 'UInt16')}
    ${QUERY_SETTINGS}`;
}

export function pageFigures(r: Row): PageFigures {
  return {
    page_path: String(r.page_path),
    page_visit_pv: Number(r.page_visit_pv),
    page_visit_uv: Number(r.page_visit_uv),
    page_staytime_pv: Number(r.page_staytime_pv),
    entrypage_pv: Number(r.entrypage_pv),
    exitpage_pv: Number(r.exitpage_pv),
    exit_rate: Number(r.exit_rate),
    page_share_pv: Number(r.page_share_pv),
    page_share_uv: Number(r.page_share_uv),
  };
}

/** A page with no view and no share in a period. */
export const emptyPage = (path: string): PageFigures =>
  ({ page_path: path, ...Object.fromEntries(PAGE_SORTS.map((id) => [id, 0])) }) as PageFigures;

function checkPages(q: PagesQuery): void {
  checkRange(q);
  const limit = q.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGES)
    throw new MiniscopeError('bad_query', `limit must be 1 to ${MAX_PAGES}`);
  if (q.sort !== undefined && !PAGE_SORTS.includes(q.sort))
    throw new MiniscopeError('bad_query', `pages cannot be sorted by ${q.sort}`);
  if (q.path !== undefined && (typeof q.path !== 'string' || q.path.length === 0 || q.path.length > 256))
    throw new MiniscopeError('bad_query', 'path must be 1 to 256 characters');
}

export const pagesReport: Report<PagesQuery, PagesAnswer> = {
  readsCompaction: true,
  check: checkPages,
  build(q) {
    const params = new Params(q.app);
    return [statement(pagesSql(q, params), params)];
  },
  shape([rows = []]) {
    const totalViews = Number(rows[0]?.total_views ?? 0);
    const pages = rows.map((r) => {
      const page = pageFigures(r);
      return { ...page, visit_share: ratio(page.page_visit_pv, totalViews) };
    });
    return { pages, totalViews };
  },
};

export interface PageDay {
  day: string;
  /** The page's figures that day (zeros when it had no views or shares). */
  page: PageFigures;
}

export interface PageTrendQuery extends RangeQuery {
  path: string;
}

/** The page's figures per open day over the page cube. */
function cubePageTrendSql(q: PageTrendQuery & Planned, params: Params): string {
  return `SELECT toString(day) AS on_day, cube_path AS page_path, ${PAGE_CUBE_FIGURES}, ${PAGE_RATES}
    FROM (${cubeRowsSql(PAGE_CUBE, q.from, q.to, params, q.fresh!)})
    WHERE cube_path = ${params.add(q.path, 'String')}
    GROUP BY on_day, page_path
    HAVING ${PAGE_LISTED}
    ${QUERY_SETTINGS}`;
}

/**
 * The same over the opens (filtered and reference reads): each event of the page counted on its
 * open's day, as the cube counts it.
 */
function opensPageTrendSql(q: PageTrendQuery & Planned, params: Params): string {
  const opens = opensSql({ ...rangeOpens(q), facts: ['entry_path', 'exit_path'] }, params);
  const path = params.add(q.path, 'String');
  const events = params.scan('events', [
    `toDate(ts) >= ${params.date(q.from)} - 1`,
    `toDate(ts) <= ${params.date(q.to)} + 1`,
    "type IN ('pv', 'leave', 'share')",
    `path = ${path}`,
  ]);
  const byDay = (column: string, figure: string) =>
    `SELECT day, ${column} AS page_path, count() AS ${figure} FROM opens WHERE ${column} = ${path} GROUP BY day, page_path`;
  return `WITH opens AS (${opens}),
    views AS (
      SELECT o.day AS day, e.path AS page_path, ${PAGE_EVENT_FIGURES}
      FROM (SELECT ${userIdSql(q.opensFrom)} AS uid, sid, user_id, path, type, dur_ms ${events}) AS e
      INNER JOIN (SELECT uid, sid, day FROM opens) AS o ON e.uid = o.uid AND e.sid = o.sid
      GROUP BY day, page_path HAVING ${PAGE_LISTED}),
    entries AS (${byDay('entry_path', 'entrypage_pv')}),
    exits AS (${byDay('exit_path', 'exitpage_pv')})
    SELECT toString(day) AS on_day, page_path, page_visit_pv, page_visit_uv, page_staytime_pv, entrypage_pv,
      exitpage_pv, page_share_pv, page_share_uv, ${PAGE_RATES}
    FROM views LEFT JOIN entries USING (day, page_path) LEFT JOIN exits USING (day, page_path)
    ${QUERY_SETTINGS}`;
}

/** One page's figures per open day of the range, in one statement. */
export const pageTrendReport: Report<PageTrendQuery, PageDay[]> = {
  readsCompaction: true,
  check: checkPages,
  build(q) {
    const params = new Params(q.app);
    return [statement(readsCubes(q) ? cubePageTrendSql(q, params) : opensPageTrendSql(q, params), params)];
  },
  shape([rows = []], q) {
    const byDay = new Map(rows.map((r) => [String(r.on_day), pageFigures(r)]));
    return periodsIn(q.from, q.to, 'day').map(({ start: day }) => ({ day, page: byDay.get(day) ?? emptyPage(q.path) }));
  },
};
