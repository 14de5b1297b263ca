/**
 * Visit distributions (metrics.md "Distributions"): counted opens and distinct users by access
 * source, stay-time bucket and depth bucket, per period. Buckets with a zero count are absent.
 */
import type { Store } from '../store/store.js';
import { type Freshness, withFreshness } from './compacted-days.js';
import { cubeRowsSql, DISTRIBUTION_CUBE, readsCubes } from './cubes.js';
import { opensSql, rangeOpens } from './opens-sql.js';
import { Params } from './params.js';
import { checkRange, type Grouping, MetricQueryError, type RangeQuery } from './query.js';
import { QUERY_SETTINGS } from './settings.js';
import { periodSql, rangePeriods } from './trend.js';

export type DistributionIndex = 'source' | 'staytime' | 'depth';

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

/** Stay-time bucket of an open (stay in ms): 1: s < 3, 2: 3 ≤ s < 6, … 8: s ≥ 101. */
export const STAYTIME_BUCKET_SQL = `multiIf(stay_ms < 3000, 1, stay_ms < 6000, 2, stay_ms < 11000, 3,
  stay_ms < 21000, 4, stay_ms < 31000, 5, stay_ms < 51000, 6, stay_ms < 101000, 7, 8)`;

/** Depth bucket: 1–5 as is, 6: 6–10 pages, 7: more than 10. */
export const DEPTH_BUCKET_SQL = 'multiIf(depth <= 5, depth, depth <= 10, 6, 7)';

function distributionSql(q: DistributionQuery, params: Params): string {
  const from = params.date(q.from);
  const opens = opensSql({ ...rangeOpens(q), columns: ['o_source', 'stay_ms', 'depth'] }, params);
  // NOTE: one pass over the opens: ARRAY JOIN emits each open once per index.
  return `SELECT toString(greatest(${periodSql(q.granularity, from)}, ${from})) AS period,
      pair.1 AS idx, pair.2 AS key, count() AS sessions, uniqExact(uid) AS users
    FROM (${opens})
    ARRAY JOIN [('source', toUInt8(o_source)), ('staytime', toUInt8(${STAYTIME_BUCKET_SQL})),
      ('depth', toUInt8(${DEPTH_BUCKET_SQL}))] AS pair
    GROUP BY period, idx, key
    ORDER BY period, idx, key
    ${QUERY_SETTINGS}`;
}

/** The same from the distribution cube. */
function cubeDistributionSql(q: DistributionQuery & { fresh: Freshness }, params: Params): string {
  const from = params.date(q.from);
  return `SELECT toString(greatest(${periodSql(q.granularity, from)}, ${from})) AS period,
      c_idx AS idx, c_key AS key, sum(c_opens) AS sessions, groupBitmapMerge(c_users) AS users
    FROM (${cubeRowsSql(DISTRIBUTION_CUBE, q.from, q.to, params, q.fresh)})
    GROUP BY period, idx, key
    ORDER BY period, idx, key
    ${QUERY_SETTINGS}`;
}

type Row = { period: string; idx: DistributionIndex; key: number; sessions: string; users: string };

export async function runDistribution(store: Store, query: DistributionQuery): Promise<DistributionRow[]> {
  checkRange(query);
  if (!['day', 'week', 'month', 'all'].includes(query.granularity))
    throw new MetricQueryError('bad_query', `unknown granularity ${query.granularity}`);
  const q = await withFreshness(store, query);
  const params = new Params(q.app);
  const sql = readsCubes(q) ? cubeDistributionSql(q, params) : distributionSql(q, params);
  const rows = await store.query<Row>(sql, params.values);
  return rangePeriods(q.from, q.to, q.granularity).map((period) => {
    const out: DistributionRow = { period, source: [], staytime: [], depth: [] };
    for (const r of rows) {
      if (r.period !== period.start) continue;
      out[r.idx].push({ key: Number(r.key), sessions: Number(r.sessions), users: Number(r.users) });
    }
    return out;
  });
}
