/**
 * The daily, weekly and monthly figures (metrics.md): for each, how it is computed over the counted
 * opens of a period and over the day cube, in one entry. Ids, names and units are the contract's
 * (DAILY_FIGURES); the dashboard, the datacube API and CSV all read these. Adding a figure: its
 * metadata in the contract and its entry here (with any new day-cube partial it needs; the cache
 * layout rebuilds the cube when its columns change, schema/cache.ts).
 *
 * Over opens, an expression is an aggregate over one period's opens, whose rows carry uid, pvs, the
 * facts it names, first_day (the user's first counted open ever, for new users) and p_start (the
 * period's first day within the range). Over the cube, an aggregate over the day-cube rows of the
 * period's days. Ratios with a zero divisor are 0.
 */
import type { MetricId } from '@miniscope/contract';
import type { OpenFact } from './open-facts.js';
import { ratioSql } from './ratio.js';

/** Distinct users as roaring bitmaps of their numbers (compaction/user-seqs.ts). */
export const USERS_TYPE = 'AggregateFunction(groupBitmap, UInt32)';
export const USERS_IF_TYPE = 'AggregateFunction(groupBitmapIf, UInt32, UInt8)';

/**
 * The day cube's partial aggregates of a day's opens: column → [type, aggregate over the opens, with
 * each user's number as `seq`]. NOTE: named cube_* so that no alias equals an open's fact: ClickHouse
 * substitutes aliases inside other expressions (`sum(pvs) AS pvs` would capture `pvs = 1`).
 */
export const DAY_PARTIALS: Readonly<Record<string, readonly [string, string]>> = {
  cube_opens: ['UInt64', 'count()'],
  cube_pvs: ['UInt64', 'sum(pvs)'],
  cube_stay_ms: ['UInt64', 'sum(stay_ms)'],
  cube_depth: ['UInt64', 'sum(depth)'],
  cube_shares: ['UInt64', 'sum(shares)'],
  cube_bounces: ['UInt64', 'countIf(pvs = 1)'],
  cube_users: [USERS_TYPE, 'groupBitmapState(seq)'],
  cube_sharers: [USERS_IF_TYPE, 'groupBitmapIfState(seq, shares > 0)'],
};
/** Facts of an open the day partials read. */
export const DAY_PARTIAL_FACTS: readonly OpenFact[] = ['stay_ms', 'depth', 'shares'];

/**
 * How a figure is read:
 * - `opens`: an aggregate per period, over the opens (`opens`, reading `facts`) or over day-cube
 *   rows (`cube`);
 * - `new_users`: users whose first counted open falls in the period; over opens with their first
 *   days, and with the cube from the new users of each day (first days, metrics/sql/first-days.ts);
 * - `cumulative_users`: users whose first counted open is on or before the period's last day.
 */
export type Reading =
  | { kind: 'opens'; opens: string; facts?: readonly OpenFact[]; cube: string }
  | { kind: 'new_users'; opens: string }
  | { kind: 'cumulative_users' };

const USERS = 'uniqExact(uid)';
const CUBE_USERS = 'groupBitmapMerge(cube_users)';

export const FIGURES: Readonly<Record<MetricId, Reading>> = {
  visit_total: { kind: 'cumulative_users' },
  session_cnt: { kind: 'opens', opens: 'count()', cube: 'sum(cube_opens)' },
  visit_pv: { kind: 'opens', opens: 'sum(pvs)', cube: 'sum(cube_pvs)' },
  visit_uv: { kind: 'opens', opens: USERS, cube: CUBE_USERS },
  // A user active in the period is new if their first counted open ever falls in it; it cannot
  // fall after the period, so only the lower edge is tested.
  visit_uv_new: { kind: 'new_users', opens: 'uniqExactIf(uid, first_day >= p_start)' },
  stay_time_uv: {
    kind: 'opens',
    opens: ratioSql('sum(stay_ms) / 1000', USERS),
    facts: ['stay_ms'],
    cube: ratioSql('sum(cube_stay_ms) / 1000', CUBE_USERS),
  },
  stay_time_session: {
    kind: 'opens',
    opens: ratioSql('sum(stay_ms) / 1000', 'count()'),
    facts: ['stay_ms'],
    cube: ratioSql('sum(cube_stay_ms) / 1000', 'sum(cube_opens)'),
  },
  visit_depth: {
    kind: 'opens',
    opens: ratioSql('sum(depth)', 'count()'),
    facts: ['depth'],
    cube: ratioSql('sum(cube_depth)', 'sum(cube_opens)'),
  },
  share_pv: { kind: 'opens', opens: 'sum(shares)', facts: ['shares'], cube: 'sum(cube_shares)' },
  share_uv: {
    kind: 'opens',
    opens: 'uniqExactIf(uid, shares > 0)',
    facts: ['shares'],
    cube: 'groupBitmapIfMerge(cube_sharers)',
  },
  bounce_rate: {
    kind: 'opens',
    opens: ratioSql('countIf(pvs = 1)', 'count()'),
    cube: ratioSql('sum(cube_bounces)', 'sum(cube_opens)'),
  },
};
