/**
 * Users' first days, read exactly from compaction's first days (`user_first`, `day_new_users`,
 * compaction/first-days.ts) with the live opens of dirty days, so 新用户数 and 累计用户数 do not scan
 * all history.
 *
 * Exact with live data: let D be the dirty open days, L(u) a user's earliest live open day and F(u)
 * their stored first day. A user without live opens has all their opens on clean compacted days, so
 * their first day is F(u). A user with live opens has first day min(F(u), L(u)) when F(u) is clean,
 * and L(u) when F(u) is dirty (their open on F(u) is live now, on F(u) or a dirty day next to it, and
 * every clean day they have is at least two days later). So per day: stored count (clean days only)
 * − live users' clean F(u) + live users' first days.
 *
 * Both tables are versioned by the run's generation; reads take the latest generation not newer than
 * the last recorded run (Freshness.lastGen), so an interrupted run is never read.
 */
import type { Freshness } from '../plan/freshness.js';
import type { OpensSource } from '../plan/query.js';
import { liveOpensSql, opensSql } from './opens.js';
import type { Params } from './params.js';
import { liveSeqsSql, storedSeqsSql } from './user-seqs.js';

/** The stored first day of users of `usersIn` (columns uid, stored_first), as of the last recorded run. */
const storedFirstsSql = (usersIn: string, params: Params, fresh: Freshness) => `SELECT user_hash AS uid,
    argMax(first_day, gen) AS stored_first
  ${params.scan('user_first', [`gen <= ${params.add(fresh.lastGen, 'UInt64')}`, `user_hash IN (${usersIn})`])}
  GROUP BY user_hash`;

/** F(u) is present and on a clean day (SQL over column stored_first). */
const cleanStored = (params: Params, fresh: Freshness) =>
  `stored_first != toDate(0) AND NOT has(${params.add(fresh.dirty, 'Array(Date)')}, stored_first)`;

/** Each user of `usersIn` (hashes) with their first counted open day ≤ `to` (columns uid, first_day). */
function storedFirstDaysSql(to: string, usersIn: string, params: Params, fresh: Freshness): string {
  const stored = storedFirstsSql(usersIn, params, fresh);
  const live = liveOpensSql({ to, usersIn, fresh }, params);
  if (!live) return `SELECT uid, stored_first AS first_day FROM (${stored})`;
  return `SELECT uid, multiIf(live_first = toDate(0), stored_first, ${cleanStored(params, fresh)},
      least(stored_first, live_first), live_first) AS first_day
    FROM (${stored}) AS s
    FULL OUTER JOIN (SELECT uid, min(day) AS live_first FROM (${live}) GROUP BY uid) AS v USING (uid)`;
}

/** New users per day, for every day up to `to` with any (columns day 'YYYY-MM-DD', new_users). */
export function newUsersByDaySql(to: string, params: Params, fresh: Freshness): string {
  const stored = `SELECT day AS d, toInt64(argMax(users, gen)) AS n
    ${params.scan('day_new_users', [`gen <= ${params.add(fresh.lastGen, 'UInt64')}`, `day <= ${params.date(to)}`])}
    GROUP BY day`;
  const live = liveOpensSql({ to, fresh }, params);
  if (!live) return `SELECT toString(d) AS day, n AS new_users FROM (${stored}) WHERE n != 0 ORDER BY d`;
  const clean = cleanStored(params, fresh);
  return `WITH live AS (SELECT uid, min(day) AS live_first FROM (${live}) GROUP BY uid),
      live_users AS (SELECT live_first, stored_first FROM live
        LEFT JOIN (${storedFirstsSql('SELECT uid FROM live', params, fresh)}) AS s USING (uid))
    SELECT toString(d) AS day, sum(n) AS new_users FROM (
      SELECT d, n FROM (${stored}) WHERE NOT has(${params.add(fresh.dirty, 'Array(Date)')}, d)
      UNION ALL SELECT if(${clean}, least(stored_first, live_first), live_first) AS d, toInt64(1) AS n FROM live_users
      UNION ALL SELECT stored_first AS d, toInt64(-1) AS n FROM live_users WHERE ${clean}
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
 * The users whose first counted open day falls in from..to (columns uid, first_day): those whose
 * stored first day stands (no live opens), and those with live opens, whose first day is recomputed.
 */
function firstSeenParts(
  from: string,
  to: string,
  params: Params,
  fresh: Freshness,
): { standing: string; recomputed?: string } {
  const lo = params.date(from);
  const hi = params.date(to);
  const inRange = (column: string) => `${column} >= ${lo} AND ${column} <= ${hi}`;
  const stored = `SELECT user_hash AS uid, argMax(first_day, gen) AS first_day_as_of_run
    ${params.scan('user_first', [
      `gen <= ${params.add(fresh.lastGen, 'UInt64')}`,
      `user_hash IN (SELECT user_hash ${params.scan('user_first', [inRange('first_day')])})`,
    ])}
    GROUP BY user_hash HAVING ${inRange('first_day_as_of_run')}`;
  const live = liveOpensSql({ to, fresh }, params);
  const standing = (users: string) => `SELECT uid, first_day_as_of_run AS first_day FROM (${users})`;
  if (!live) return { standing: standing(stored) };
  const liveUsers = `SELECT DISTINCT uid FROM (${live})`;
  return {
    standing: `${standing(stored)} WHERE uid NOT IN (${liveUsers})`,
    recomputed: `SELECT uid, first_day FROM (${storedFirstDaysSql(to, liveUsers, params, fresh)})
      WHERE ${inRange('first_day')}`,
  };
}

/** The users first seen in from..to (column uid). */
export function firstSeenUsersSql(from: string, to: string, params: Params, fresh: Freshness): string {
  const { standing, recomputed } = firstSeenParts(from, to, params, fresh);
  return recomputed
    ? `SELECT uid FROM (${standing}) UNION ALL SELECT uid FROM (${recomputed})`
    : `SELECT uid FROM (${standing})`;
}

/** The users first seen in from..to with their numbers: columns seq, first_day. */
export function firstSeenSql(from: string, to: string, params: Params, fresh: Freshness): string {
  const { standing, recomputed } = firstSeenParts(from, to, params, fresh);
  const numbered = (users: string, seqs: string) =>
    `SELECT s.seq AS seq, f.first_day AS first_day FROM (${users}) AS f INNER JOIN (${seqs}) AS s USING (uid)`;
  const stored = numbered(standing, storedSeqsSql(`SELECT uid FROM (${standing})`, params));
  return recomputed ? `${stored} UNION ALL ${numbered(recomputed, liveSeqsSql(params, fresh))}` : stored;
}
