/**
 * Day cubes: per-day partial aggregates of the compacted opens (one row per day, per day and
 * distribution bucket, per day and scene, per day and page), written by compaction beside
 * `opens_final`, so an unfiltered report over a range reads a few rows per day instead of every open.
 *
 * Exact by construction, like compaction (compaction.ts): each cube has one partials query, run by
 * compaction over the opens of the days it recomputes, and at read time over the live opens of the
 * days not compacted (dirty days). A read unions the stored rows of compacted, clean days with the
 * live partials and aggregates once. Distinct users are exact sets (roaring bitmaps of the users'
 * numbers, user-seqs.ts), merged over days, so a week's or a month's users are distinct users, not
 * sums, and retention intersects them.
 *
 * Filtered queries (the dashboard's filters) read opens as before: a cube holds no filter columns.
 * NOTE: deleting a user's data must also rebuild the cubes of their days (as for `opens_final`).
 */
import { aroundDirty, CURRENT_GEN_SQL, type Freshness } from './compacted-days.js';
import { DEPTH_BUCKET_SQL, STAYTIME_BUCKET_SQL } from './distribution.js';
import { liveOpensSql, type OpenColumn, USER_HASH } from './opens-sql.js';
import { APP_SCOPE, type Params } from './params.js';
import type { RangeQuery } from './query.js';
import { liveSeqsSql, storedSeqsSql, withSeqSql } from './user-seqs.js';

/** Whether a query reads the cubes: unfiltered, from compacted opens (the default). */
export function readsCubes<Q extends RangeQuery>(q: Q): q is Q & { fresh: Freshness } {
  return q.fresh !== undefined && (q.opensFrom ?? 'compacted') === 'compacted' && (q.filters ?? []).length === 0;
}

export interface Cube {
  table: string;
  /** Columns besides app_id, day and gen, with their types, in the order `partials` selects them. */
  columns: ReadonlyArray<readonly [string, string]>;
  /** Sorting key columns after (app_id, day). */
  key: readonly string[];
  /** Open columns the partials read besides uid, sid, day and pvs. */
  openColumns: readonly OpenColumn[];
  /**
   * SELECT of the partial rows (day, then `columns`) of the opens of `opens` (a subquery with
   * columns uid, seq, sid, day, pvs and `openColumns`); `eventsWhere` bounds the events read with them.
   */
  partials(opens: string, eventsWhere: string): string;
}

const USERS = 'AggregateFunction(groupBitmap, UInt32)';
const USERS_IF = 'AggregateFunction(groupBitmapIf, UInt32, UInt8)';
const U64 = 'UInt64';

// NOTE: partial columns are named c_* so that no alias equals an open column: ClickHouse
// substitutes aliases inside other expressions (`sum(pvs) AS pvs` would capture `pvs = 1`).
/** Per day: opens, page views, stay, depth, shares, bounces, users and sharers. */
export const DAY_CUBE: Cube = {
  table: 'cube_days',
  columns: [
    ['c_opens', U64],
    ['c_pvs', U64],
    ['c_stay', U64],
    ['c_depth', U64],
    ['c_shares', U64],
    ['c_bounces', U64],
    ['c_users', USERS],
    ['c_sharers', USERS_IF],
  ],
  key: [],
  openColumns: ['stay_ms', 'depth', 'shares'],
  partials: (opens) => `SELECT day, count() AS c_opens, sum(pvs) AS c_pvs, sum(stay_ms) AS c_stay,
      sum(depth) AS c_depth, sum(shares) AS c_shares, countIf(pvs = 1) AS c_bounces,
      groupBitmapState(seq) AS c_users, groupBitmapIfState(seq, shares > 0) AS c_sharers
    FROM (${opens}) GROUP BY day`,
};

/** Per day, distribution (source, staytime, depth) and bucket: opens and users. */
export const DISTRIBUTION_CUBE: Cube = {
  table: 'cube_distribution',
  columns: [
    ['c_idx', 'LowCardinality(String)'],
    ['c_key', 'UInt8'],
    ['c_opens', U64],
    ['c_users', USERS],
  ],
  key: ['c_idx', 'c_key'],
  openColumns: ['o_source', 'stay_ms', 'depth'],
  // NOTE: one pass over the opens: ARRAY JOIN emits each open once per distribution.
  partials: (
    opens,
  ) => `SELECT day, pair.1 AS c_idx, pair.2 AS c_key, count() AS c_opens, groupBitmapState(seq) AS c_users
    FROM (${opens})
    ARRAY JOIN [('source', toUInt8(o_source)), ('staytime', toUInt8(${STAYTIME_BUCKET_SQL})),
      ('depth', toUInt8(${DEPTH_BUCKET_SQL}))] AS pair
    GROUP BY day, c_idx, c_key`,
};

/** Per day and scene: the scene's source key, opens and users. */
export const SCENE_CUBE: Cube = {
  table: 'cube_scenes',
  columns: [
    ['c_scene', 'UInt16'],
    ['c_source', 'UInt8'],
    ['c_opens', U64],
    ['c_users', USERS],
  ],
  key: ['c_scene'],
  openColumns: ['o_scene', 'o_source'],
  partials: (opens) => `SELECT day, o_scene AS c_scene, any(o_source) AS c_source, count() AS c_opens,
      groupBitmapState(seq) AS c_users
    FROM (${opens}) GROUP BY day, c_scene`,
};

/**
 * Per day and page path: the page views, leaves' stay and shares of the day's opens (whose events
 * may fall a day either side of it), viewers, sharers, and opens entering and leaving on the page.
 */
export const PAGE_CUBE: Cube = {
  table: 'cube_pages',
  columns: [
    ['c_path', 'LowCardinality(String)'],
    ['c_views', U64],
    ['c_viewers', USERS_IF],
    ['c_stay', U64],
    ['c_share_pv', U64],
    ['c_sharers', USERS_IF],
    ['c_entries', U64],
    ['c_exits', U64],
  ],
  key: ['c_path'],
  openColumns: ['entry_path', 'exit_path'],
  // NOTE: an open enters (leaves) on a path when its entry (exit) path is that path: counted once
  // per open among the events of that path, which include the open's first (last) page view.
  partials: (opens, eventsWhere) => `SELECT o.day AS day, e.path AS c_path, countIf(e.type = 'pv') AS c_views,
      groupBitmapIfState(o.seq, e.type = 'pv') AS c_viewers, sumIf(toUInt64(e.dur_ms), e.type = 'leave') AS c_stay,
      countIf(e.type = 'share') AS c_share_pv, groupBitmapIfState(o.seq, e.type = 'share') AS c_sharers,
      uniqExactIf((o.uid, o.sid), o.entry_path = e.path) AS c_entries,
      uniqExactIf((o.uid, o.sid), o.exit_path = e.path) AS c_exits
    FROM (SELECT ${USER_HASH} AS uid, sid, path, type, dur_ms FROM events
      WHERE ${eventsWhere} AND type IN ('pv', 'leave', 'share')) AS e
    INNER JOIN (SELECT uid, seq, sid, day, entry_path, exit_path FROM (${opens})) AS o ON e.uid = o.uid AND e.sid = o.sid
    GROUP BY day, c_path`,
};

export const CUBES: readonly Cube[] = [DAY_CUBE, DISTRIBUTION_CUBE, SCENE_CUBE, PAGE_CUBE];

/**
 * CREATE TABLE of a cube: one row per day and key in each generation; reads take a day's current
 * generation only, and background merges drop the generations a newer one replaced (no deletes).
 */
export function cubeTableSql(cube: Cube): string {
  const columns = cube.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${cube.table} (app_id LowCardinality(String), day Date, gen UInt64, ${columns})
    ENGINE = ReplacingMergeTree(gen) PARTITION BY toYYYYMM(day) ORDER BY (app_id, day${cube.key.map((k) => `, ${k}`).join('')})`;
}

const columnList = (cube: Cube) => cube.columns.map(([name]) => name).join(', ');

/**
 * INSERT of a cube's rows for the open days `{days:Array(Date)}` (within {lo:Date}..{hi:Date}) from
 * the opens compaction has just written as generation `{gen:UInt64}` of `{app:String}`.
 */
export function cubeInsertSql(cube: Cube): string {
  const written = `${APP_SCOPE} AND gen = {gen:UInt64} AND has({days:Array(Date)}, day)`;
  const opens = withSeqSql(
    `SELECT uh AS uid, sid, day, pvs, ${cube.openColumns.join(', ')} FROM opens_final WHERE ${written}`,
    storedSeqsSql(`SELECT uh FROM opens_final WHERE ${written}`),
  );
  const events = `${APP_SCOPE} AND toDate(ts) >= {lo:Date} - 1 AND toDate(ts) <= {hi:Date} + 1`;
  return `INSERT INTO ${cube.table} (app_id, day, gen, ${columnList(cube)})
    SELECT {app:String}, day, {gen:UInt64}, ${columnList(cube)} FROM (${cube.partials(opens, events)})
    SETTINGS max_execution_time = 600`;
}

/**
 * The partial rows (day, then the cube's columns) of the open days from..to: stored rows of
 * compacted, clean days, plus the partials of the live opens of dirty days.
 */
export function cubeRowsSql(cube: Cube, from: string, to: string, params: Params, fresh: Freshness): string {
  const where = [APP_SCOPE, `day >= ${params.date(from)}`, `day <= ${params.date(to)}`];
  where.push(`(day, gen) IN (${CURRENT_GEN_SQL})`);
  if (fresh.dirty.length > 0) where.push(`NOT has(${params.add(fresh.dirty, 'Array(Date)')}, day)`);
  const stored = `SELECT day, ${columnList(cube)} FROM ${cube.table} WHERE ${where.join(' AND ')}`;
  const live = liveOpensSql({ from, to, columns: cube.openColumns, fresh }, params);
  if (!live) return stored;
  const opens = withSeqSql(live, liveSeqsSql(params, fresh));
  const events = `${APP_SCOPE} AND has(${params.add(aroundDirty(fresh), 'Array(Date)')}, toDate(ts))
    AND toDate(ts) >= ${params.date(from)} - 1 AND toDate(ts) <= ${params.date(to)} + 1`;
  return `${stored} UNION ALL ${cube.partials(opens, events)}`;
}
