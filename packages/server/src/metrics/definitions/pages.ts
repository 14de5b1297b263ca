/**
 * The page figures (metrics.md "Pages"), each defined once for both places they are read from: the
 * events of a range's counted opens (filtered and reference reads) and the page cube (unfiltered
 * reads). Entries and exits come from the opens' entry and exit pages; 退出率 and the share of
 * views are ratios of these. Ids and names are the contract's (PAGE_FIGURES).
 */
import type { PageFigureId } from '@miniscope/contract';
import { ratioSql } from './ratio.js';

/** Over the events (pv, leave, share) of the range's counted opens, grouped by path. */
export const PAGE_EVENT_FIGURES = `countIf(type = 'pv') AS page_visit_pv,
  uniqExactIf(user_id, type = 'pv') AS page_visit_uv,
  ${ratioSql("sumIf(dur_ms, type = 'leave') / 1000", 'page_visit_pv')} AS page_staytime_pv,
  countIf(type = 'share') AS page_share_pv,
  uniqExactIf(user_id, type = 'share') AS page_share_uv`;

/** Over the opens (columns entry_path, exit_path): opens entering and leaving on each path. */
export const PAGE_ENTRIES = 'SELECT entry_path AS page_path, count() AS entrypage_pv FROM opens GROUP BY page_path';
export const PAGE_EXITS = 'SELECT exit_path AS page_path, count() AS exitpage_pv FROM opens GROUP BY page_path';

/** Over page-cube rows (columns cube_*, cubes.ts), grouped by path. */
export const PAGE_CUBE_FIGURES = `sum(cube_views) AS page_visit_pv, groupBitmapIfMerge(cube_viewers) AS page_visit_uv,
  ${ratioSql('sum(cube_stay_ms) / 1000', 'page_visit_pv')} AS page_staytime_pv,
  sum(cube_entries) AS entrypage_pv, sum(cube_exits) AS exitpage_pv,
  sum(cube_share_pv) AS page_share_pv, groupBitmapIfMerge(cube_sharers) AS page_share_uv`;

/** The derived figures, over the figures above (both sources). */
export const PAGE_RATES = `${ratioSql('exitpage_pv', 'page_visit_pv')} AS exit_rate`;

/** A path is listed when it was viewed or shared from. */
export const PAGE_LISTED = 'page_visit_pv > 0 OR page_share_pv > 0';

/** The views of every page of the range, before any limit (each row carries it). */
export const TOTAL_VIEWS = 'sum(page_visit_pv) OVER () AS total_views';

/** Each figure's column (a page list is sorted by any of them, descending, then by path). */
export const PAGE_SORT_COLUMNS: Readonly<Record<PageFigureId, string>> = {
  page_visit_pv: 'page_visit_pv',
  page_visit_uv: 'page_visit_uv',
  page_staytime_pv: 'page_staytime_pv',
  entrypage_pv: 'entrypage_pv',
  exitpage_pv: 'exitpage_pv',
  exit_rate: 'exit_rate',
  page_share_pv: 'page_share_pv',
  page_share_uv: 'page_share_uv',
};
