/**
 * The 路径分析 report (paths.ts): its step rows from per-day parts for the clean compacted days
 * (path-parts.ts), grouped from the opens for the rest, or from the opens alone when no part serves.
 */
import { MiniscopeError } from '../../errors.js';
import { type Report, statement } from '../reports/report.js';
import { Params } from '../sql/params.js';
import { type PathPartsPlan, pathPartsSql, planPathParts, readsPathParts } from './path-parts.js';
import { type PathsAnswer, type PathsReportQuery, parsePathQuery, pathsSql, shapePaths } from './paths.js';

export interface PathsPartsQuery extends PathsReportQuery {
  /** The per-day parts it reads (prepared). */
  parts?: PathPartsPlan;
}

export const pathsReport: Report<PathsPartsQuery, PathsAnswer> = {
  readsCompaction: true,
  check(q) {
    if (!q.app) throw new MiniscopeError('bad_query', 'an app is required');
    parsePathQuery(q.query);
  },
  async prepare(store, q) {
    return { parts: await planPathParts(store, q) };
  },
  build(q) {
    const params = new Params(q.app);
    const sql = readsPathParts(q.parts) ? pathPartsSql(q, q.parts, params) : pathsSql(q, params);
    return [statement(sql, params)];
  },
  shape: ([rows = []], q) => shapePaths(rows, q.query),
};
