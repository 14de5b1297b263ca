/**
 * Day cubes: per-day partial aggregates of the compacted opens (one row per day, per day and
 * distribution bucket, per day and scene, per day and page), so an unfiltered report over a range
 * reads a few rows per day instead of every open. Each cube has one partials query, run by
 * compaction over the opens of the days it recomputes and at read time over the live opens of the
 * days not compacted yet (metrics/sql/cube-rows.ts). Distinct users are exact sets (roaring bitmaps
 * of the users' numbers), merged over days, so a week's or a month's users are distinct users, not
 * sums, and retention intersects them. The tables are part of the cache layout (schema/cache.ts).
 */
import { DISTRIBUTION_PAIRS_SQL } from './buckets.js';
import { DAY_PARTIAL_FACTS, DAY_PARTIALS, USERS_IF_TYPE, USERS_TYPE } from './figures.js';
import { type OpenFact, USER_HASH } from './open-facts.js';

export interface Cube {
  table: string;
  /** Columns besides app_id, day and gen, with their types, in the order `partials` selects them. */
  columns: ReadonlyArray<readonly [string, string]>;
  /** Sorting key columns after (app_id, day). */
  key: readonly string[];
  /** Facts of an open the partials read besides uid, sid, day and pvs. */
  facts: readonly OpenFact[];
  /**
   * SELECT of the partial rows (day, then `columns`) of the opens of `opens` (a subquery with
   * columns uid, seq, sid, day, pvs and `facts`); `eventsWhere` bounds the events read with them.
   */
  partials(opens: string, eventsWhere: string): string;
}

const U64 = 'UInt64';

/** Per day: the partials of the daily figures (figures.ts). */
export const DAY_CUBE: Cube = {
  table: 'cube_days',
  columns: Object.entries(DAY_PARTIALS).map(([name, [type]]) => [name, type] as const),
  key: [],
  facts: DAY_PARTIAL_FACTS,
  partials: (opens) => `SELECT day, ${Object.entries(DAY_PARTIALS)
    .map(([name, [, aggregate]]) => `${aggregate} AS ${name}`)
    .join(', ')}
    FROM (${opens}) GROUP BY day`,
};

/** Per day, distribution (source, staytime, depth) and bucket: opens and users. */
export const DISTRIBUTION_CUBE: Cube = {
  table: 'cube_distribution',
  columns: [
    ['cube_index', 'LowCardinality(String)'],
    ['cube_key', 'UInt8'],
    ['cube_opens', U64],
    ['cube_users', USERS_TYPE],
  ],
  key: ['cube_index', 'cube_key'],
  facts: ['open_source', 'stay_ms', 'depth'],
  partials: (opens) => `SELECT day, pair.1 AS cube_index, pair.2 AS cube_key, count() AS cube_opens,
      groupBitmapState(seq) AS cube_users
    FROM (${opens})
    ARRAY JOIN ${DISTRIBUTION_PAIRS_SQL} AS pair
    GROUP BY day, cube_index, cube_key`,
};

/** Per day and scene: the scene's source key, opens and users. */
export const SCENE_CUBE: Cube = {
  table: 'cube_scenes',
  columns: [
    ['cube_scene', 'UInt16'],
    ['cube_source', 'UInt8'],
    ['cube_opens', U64],
    ['cube_users', USERS_TYPE],
  ],
  key: ['cube_scene'],
  facts: ['open_scene', 'open_source'],
  partials: (opens) => `SELECT day, open_scene AS cube_scene, any(open_source) AS cube_source, count() AS cube_opens,
      groupBitmapState(seq) AS cube_users
    FROM (${opens}) GROUP BY day, cube_scene`,
};

/**
 * Per day and page path: the page views, leaves' stay and shares of the day's opens (whose events
 * may fall a day either side of it), viewers, sharers, and opens entering and leaving on the page.
 */
export const PAGE_CUBE: Cube = {
  table: 'cube_pages',
  columns: [
    ['cube_path', 'LowCardinality(String)'],
    ['cube_views', U64],
    ['cube_viewers', USERS_IF_TYPE],
    ['cube_stay_ms', U64],
    ['cube_share_pv', U64],
    ['cube_sharers', USERS_IF_TYPE],
    ['cube_entries', U64],
    ['cube_exits', U64],
  ],
  key: ['cube_path'],
  facts: ['entry_path', 'exit_path'],
  // NOTE: an open enters (leaves) on a path when its entry (exit) path is that path: counted once
  // per open among the events of that path, which include the open's first (last) page view.
  partials: (opens, eventsWhere) => `SELECT o.day AS day, e.path AS cube_path, countIf(e.type = 'pv') AS cube_views,
      groupBitmapIfState(o.seq, e.type = 'pv') AS cube_viewers,
      sumIf(toUInt64(e.dur_ms), e.type = 'leave') AS cube_stay_ms,
      countIf(e.type = 'share') AS cube_share_pv, groupBitmapIfState(o.seq, e.type = 'share') AS cube_sharers,
      uniqExactIf((o.uid, o.sid), o.entry_path = e.path) AS cube_entries,
      uniqExactIf((o.uid, o.sid), o.exit_path = e.path) AS cube_exits
    FROM (SELECT ${USER_HASH} AS uid, sid, path, type, dur_ms FROM events
      WHERE ${eventsWhere} AND type IN ('pv', 'leave', 'share')) AS e
    INNER JOIN (SELECT uid, seq, sid, day, entry_path, exit_path FROM (${opens})) AS o ON e.uid = o.uid AND e.sid = o.sid
    GROUP BY day, cube_path`,
};

export const CUBES: readonly Cube[] = [DAY_CUBE, DISTRIBUTION_CUBE, SCENE_CUBE, PAGE_CUBE];

export const columnList = (cube: Cube) => cube.columns.map(([name]) => name).join(', ');
