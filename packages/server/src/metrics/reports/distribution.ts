/**
 * Visit distributions (metrics.md "Distributions"): counted opens and distinct users per access
 * source, stay-time bucket and depth bucket, per period; and the access sources of a range with
 * their names and shares (来源分析), which are its `source` distribution over the whole range.
 */
import { DEPTH_BUCKETS, type SourceItem, STAYTIME_BUCKETS } from '@miniscope/contract';
import type { DistributionIndex } from '../definitions/buckets.js';
import { DISTRIBUTION_PAIRS_SQL } from '../definitions/buckets.js';
import { DISTRIBUTION_CUBE } from '../definitions/cubes.js';
import { ratio } from '../definitions/ratio.js';
import { sourceName } from '../definitions/sources.js';
import { clippedPeriodSql, rangePeriods } from '../plan/periods.js';
import { checkGrouping, checkRange, type Grouping, type RangeQuery } from '../plan/query.js';
import { cubeRowsSql, readsCubes } from '../sql/cube-rows.js';
import { opensSql, rangeOpens } from '../sql/opens.js';
import { Params, QUERY_SETTINGS } from '../sql/params.js';
import { type Planned, type Report, statement } from './report.js';

export interface DistributionQuery extends RangeQuery {
  granularity: Grouping;
}

export interface DistributionItem {
  key: number;
  /** Counted opens. */
  sessions: number;
  /** Distinct users. */
  users: number;
}

export interface DistributionRow {
  period: { start: string; end: string };
  source: DistributionItem[];
  staytime: DistributionItem[];
  depth: DistributionItem[];
}

function opensDistributionSql(q: DistributionQuery & Planned, params: Params): string {
  const opens = opensSql({ ...rangeOpens(q), facts: ['open_source', 'stay_ms', 'depth'] }, params);
  return `SELECT ${clippedPeriodSql(q.granularity, params.date(q.from))} AS period,
      pair.1 AS idx, pair.2 AS key, count() AS sessions, uniqExact(uid) AS users
    FROM (${opens})
    ARRAY JOIN ${DISTRIBUTION_PAIRS_SQL} AS pair
    GROUP BY period, idx, key
    ORDER BY period, idx, key
    ${QUERY_SETTINGS}`;
}

function cubeDistributionSql(q: DistributionQuery & Planned, params: Params): string {
  return `SELECT ${clippedPeriodSql(q.granularity, params.date(q.from))} AS period,
      cube_index AS idx, cube_key AS key, sum(cube_opens) AS sessions, groupBitmapMerge(cube_users) AS users
    FROM (${cubeRowsSql(DISTRIBUTION_CUBE, q.from, q.to, params, q.fresh!)})
    GROUP BY period, idx, key
    ORDER BY period, idx, key
    ${QUERY_SETTINGS}`;
}

/** Buckets with no open are left out (metrics.md); see `everyBucket` for the dashboard's lists. */
export const distributionReport: Report<DistributionQuery, DistributionRow[]> = {
  readsCompaction: true,
  check(q) {
    checkRange(q);
    checkGrouping(q.granularity, ['day', 'week', 'month', 'all']);
  },
  build(q) {
    const params = new Params(q.app);
    return [statement(readsCubes(q) ? cubeDistributionSql(q, params) : opensDistributionSql(q, params), params)];
  },
  shape([rows = []], q) {
    return rangePeriods(q.from, q.to, q.granularity).map((period) => {
      const out: DistributionRow = { period, source: [], staytime: [], depth: [] };
      for (const r of rows) {
        if (r.period !== period.start) continue;
        out[r.idx as DistributionIndex].push({
          key: Number(r.key),
          sessions: Number(r.sessions),
          users: Number(r.users),
        });
      }
      return out;
    });
  },
};

/** Every bucket of a distribution with its label, in key order, empty ones with zeros. */
export function everyBucket(index: 'staytime' | 'depth', items: DistributionItem[]) {
  const labels = index === 'staytime' ? STAYTIME_BUCKETS : DEPTH_BUCKETS;
  return Object.entries(labels).map(([key, label]) => {
    const item = items.find((i) => i.key === Number(key));
    return { key: Number(key), label, sessions: item?.sessions ?? 0, users: item?.users ?? 0 };
  });
}

/** The access sources of a period, with names and shares of its opens, most opens first. */
export function sourceItems(items: DistributionItem[]): SourceItem[] {
  const total = items.reduce((sum, i) => sum + i.sessions, 0);
  return items
    .map((i) => ({
      key: i.key,
      name: sourceName(i.key),
      sessions: i.sessions,
      users: i.users,
      share: ratio(i.sessions, total),
    }))
    .sort((a, b) => b.sessions - a.sessions || a.key - b.key);
}
