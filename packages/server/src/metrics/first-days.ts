/**
 * First days: each user's first counted open day (`user_first`) and how many users first came each
 * day (`day_new_users`), kept by compaction, so 新用户数 and 累计用户数 stop scanning all history.
 *
 * Exact with live data (the days compaction has not seen, see compaction.ts): let D be the dirty
 * open days, L(u) a user's earliest live open day and F(u) their stored first day. A user without
 * live opens has all their opens on clean compacted days, so their first day is F(u). A user with
 * live opens has first day min(F(u), L(u)) when F(u) is clean, and L(u) when F(u) is dirty (their
 * open on F(u) is live now, on F(u) or a dirty day next to it, and every clean day they have is at
 * least two days later). So per day: stored count (clean days only) − live users' clean F(u) +
 * live users' first days.
 *
 * Both tables are versioned by the run's generation; reads take the latest generation not newer
 * than the last recorded run (Freshness.lastGen), so an interrupted run is never read.
 * NOTE: a user whose every open from some day on is deleted keeps a stale row (data deletion must
 * delete their `user_first` rows too).
 */
import type { Store } from '../store/store.js';
import { CURRENT_GEN_SQL, type Freshness } from './compacted-days.js';
import { liveOpensSql, type OpensSource, opensSql } from './opens-sql.js';
import { APP_SCOPE, type Params } from './params.js';
import { liveSeqsSql, storedSeqsSql } from './user-seqs.js';

export const FIRST_DAYS_TABLES = [
  `CREATE TABLE IF NOT EXISTS user_first (app_id LowCardinality(String), uh UInt64, first_day Date, gen UInt64)
    ENGINE = MergeTree ORDER BY (app_id, uh)`,
  `CREATE TABLE IF NOT EXISTS day_new_users (app_id LowCardinality(String), day Date, gen UInt64, users UInt64)
    ENGINE = MergeTree ORDER BY (app_id, day)`,
];

/** The stored first day of users of `usersIn` (columns uid, uf), as of the last recorded run. */
const storedFirstsSql = (usersIn: string, params: Params, fresh: Freshness) => `SELECT uh AS uid,
    argMax(first_day, gen) AS uf
  FROM user_first
  WHERE ${APP_SCOPE} AND gen <= ${params.add(fresh.lastGen, 'UInt64')} AND uh IN (${usersIn})
  GROUP BY uh`;

/** F(u) is present and on a clean day (SQL over column uf). */
const cleanStored = (params: Params, fresh: Freshness) =>
  `uf != toDate(0) AND NOT has(${params.add(fresh.dirty, 'Array(Date)')}, uf)`;

/**
 * Run by compaction after it rewrote the opens of days ≥ `lo` as generation `gen`: first days of
 * users with an open from `lo` on (unless already first seen before it), then users per first day
 * for every compacted day from `lo` on.
 */
export async function updateFirstDays(store: Store, app: string, gen: number, lo: string): Promise<void> {
  await store.command(
    `INSERT INTO user_first (app_id, uh, first_day, gen)
     WITH cand AS (
       SELECT uh, min(day) AS f FROM opens_final
       WHERE ${APP_SCOPE} AND day >= {lo:Date} AND (day, gen) IN (${CURRENT_GEN_SQL}) GROUP BY uh
     )
     SELECT {app:String}, uh, f, {gen:UInt64} FROM cand
     WHERE uh NOT IN (SELECT uh FROM user_first WHERE ${APP_SCOPE} AND uh IN (SELECT uh FROM cand)
       GROUP BY uh HAVING argMax(first_day, gen) < {lo:Date})
     SETTINGS max_execution_time = 600`,
    { app, gen, lo },
  );
  await store.command(
    `INSERT INTO day_new_users (app_id, day, gen, users)
     SELECT {app:String}, d, {gen:UInt64}, sum(n) FROM (
       SELECT f AS d, toUInt64(1) AS n FROM (
         SELECT argMax(first_day, gen) AS f FROM user_first
         WHERE ${APP_SCOPE} AND uh IN (SELECT uh FROM user_first WHERE ${APP_SCOPE} AND first_day >= {lo:Date})
         GROUP BY uh HAVING f >= {lo:Date})
       UNION ALL
       SELECT arrayJoin(arrayMap(i -> {lo:Date} + i, range(toUInt32(greatest(hi, {lo:Date}) - {lo:Date} + 1)))) AS d,
         toUInt64(0) AS n
       FROM (SELECT max(day) AS hi FROM compacted_days WHERE ${APP_SCOPE})
     ) GROUP BY d
     SETTINGS max_execution_time = 600`,
    { app, gen, lo },
  );
}

/** Rows replaced by the run of generation `gen` (called once a later run is recorded). */
export async function dropReplacedFirstDays(store: Store, app: string, gen: number): Promise<void> {
  const [written] = await store.query<{ n: string }>(
    `SELECT count() AS n FROM day_new_users WHERE ${APP_SCOPE} AND gen = {gen:UInt64}`,
    { app, gen },
  );
  if (Number(written?.n ?? 0) === 0) return; // that run recomputed nothing
  await store.command(
    `DELETE FROM user_first WHERE ${APP_SCOPE} AND gen < {gen:UInt64}
       AND uh IN (SELECT uh FROM user_first WHERE ${APP_SCOPE} AND gen = {gen:UInt64})`,
    { app, gen },
  );
  await store.command(
    `DELETE FROM day_new_users WHERE ${APP_SCOPE} AND gen < {gen:UInt64}
       AND day IN (SELECT day FROM day_new_users WHERE ${APP_SCOPE} AND gen = {gen:UInt64})`,
    { app, gen },
  );
}

/** Each user of `usersIn` (hashes) with their first counted open day ≤ `to` (columns uid, first_day). */
function storedFirstDaysSql(to: string, usersIn: string, params: Params, fresh: Freshness): string {
  const stored = storedFirstsSql(usersIn, params, fresh);
  const live = liveOpensSql({ to, usersIn, fresh }, params);
  if (!live) return `SELECT uid, uf AS first_day FROM (${stored})`;
  return `SELECT uid, multiIf(l = toDate(0), uf, ${cleanStored(params, fresh)}, least(uf, l), l) AS first_day
    FROM (${stored}) AS s
    FULL OUTER JOIN (SELECT uid, min(day) AS l FROM (${live}) GROUP BY uid) AS v USING (uid)`;
}

/** New users per day, for every day up to `to` with any (columns day 'YYYY-MM-DD', new_users). */
export function newUsersByDaySql(to: string, params: Params, fresh: Freshness): string {
  const stored = `SELECT day AS d, toInt64(argMax(users, gen)) AS n FROM day_new_users
    WHERE ${APP_SCOPE} AND gen <= ${params.add(fresh.lastGen, 'UInt64')} AND day <= ${params.date(to)}
    GROUP BY day`;
  const live = liveOpensSql({ to, fresh }, params);
  if (!live) return `SELECT toString(d) AS day, n AS new_users FROM (${stored}) WHERE n != 0 ORDER BY d`;
  const clean = cleanStored(params, fresh);
  return `WITH live AS (SELECT uid, min(day) AS l FROM (${live}) GROUP BY uid),
      moved AS (SELECT l, uf FROM live LEFT JOIN (${storedFirstsSql('SELECT uid FROM live', params, fresh)}) AS s USING (uid))
    SELECT toString(d) AS day, sum(n) AS new_users FROM (
      SELECT d, n FROM (${stored}) WHERE NOT has(${params.add(fresh.dirty, 'Array(Date)')}, d)
      UNION ALL SELECT if(${clean}, least(uf, l), l) AS d, toInt64(1) AS n FROM moved
      UNION ALL SELECT uf AS d, toInt64(-1) AS n FROM moved WHERE ${clean}
    ) GROUP BY d HAVING new_users != 0 ORDER BY d`;
}

/**
 * Each user of `usersIn` with their first counted open ever (columns uid, first_day), ≤ `to`.
 * "Ever" ignores filters: a user is new once, whatever the filter. From stored first days for
 * compacted opens (`fresh` given); the reference sources scan all history.
 */
export function firstDaysSql(
  to: string,
  usersIn: string,
  params: Params,
  source: OpensSource | undefined,
  fresh: Freshness | undefined,
): string {
  if ((source ?? 'compacted') === 'compacted' && fresh) return storedFirstDaysSql(to, usersIn, params, fresh);
  return `SELECT uid, min(day) AS first_day FROM (${opensSql({ to, usersIn, source }, params)}) GROUP BY uid`;
}

/**
 * The users whose first counted open day falls in from..to (columns uid, fd): those settled in
 * stored first days, and those with live opens, whose first days are recomputed (`moved`).
 */
function firstSeenParts(
  from: string,
  to: string,
  params: Params,
  fresh: Freshness,
): { settled: string; moved?: string } {
  const lo = params.date(from);
  const hi = params.date(to);
  const inRange = (column: string) => `${column} >= ${lo} AND ${column} <= ${hi}`;
  const stored = `SELECT uh AS uid, argMax(first_day, gen) AS fd FROM user_first
    WHERE ${APP_SCOPE} AND gen <= ${params.add(fresh.lastGen, 'UInt64')}
      AND uh IN (SELECT uh FROM user_first WHERE ${APP_SCOPE} AND ${inRange('first_day')})
    GROUP BY uh HAVING ${inRange('fd')}`;
  const live = liveOpensSql({ to, fresh }, params);
  if (!live) return { settled: stored };
  const liveUsers = `SELECT DISTINCT uid FROM (${live})`;
  return {
    settled: `SELECT uid, fd FROM (${stored}) WHERE uid NOT IN (${liveUsers})`,
    moved: `SELECT uid, first_day AS fd FROM (${storedFirstDaysSql(to, liveUsers, params, fresh)})
      WHERE ${inRange('first_day')}`,
  };
}

/** The users first seen in from..to (column uid). */
export function firstSeenUsersSql(from: string, to: string, params: Params, fresh: Freshness): string {
  const { settled, moved } = firstSeenParts(from, to, params, fresh);
  return moved ? `SELECT uid FROM (${settled}) UNION ALL SELECT uid FROM (${moved})` : `SELECT uid FROM (${settled})`;
}

/** The users first seen in from..to with their numbers (user-seqs.ts): columns seq, first_day. */
export function firstSeenSql(from: string, to: string, params: Params, fresh: Freshness): string {
  const { settled, moved } = firstSeenParts(from, to, params, fresh);
  const numbered = (users: string, seqs: string) =>
    `SELECT s.seq AS seq, f.fd AS first_day FROM (${users}) AS f INNER JOIN (${seqs}) AS s USING (uid)`;
  const stored = numbered(settled, storedSeqsSql(`SELECT uid FROM (${settled})`));
  return moved ? `${stored} UNION ALL ${numbered(moved, liveSeqsSql(params, fresh))}` : stored;
}
