/**
 * Dense user numbers: compaction gives each user of an app a UInt32 (`user_seq`) the first time it
 * sees them, so the cubes keep distinct users as roaring bitmaps (groupBitmap). Unions over days
 * and intersections (retention) are then cheap and exact. Users of the live opens who arrived after
 * the last run get temporary numbers above every stored one; within one statement every use of
 * them gets the same numbers (ranked by user hash over one fixed set).
 * NOTE: numbers are assigned by one compaction at a time (compaction runs in one process per store);
 * two servers compacting one ClickHouse cluster would need a lock.
 */
import type { Store } from '../store/store.js';
import type { Freshness } from './compacted-days.js';
import { USER_HASH } from './opens-sql.js';
import { APP_SCOPE, type Params } from './params.js';

export const USER_SEQ_TABLE = `CREATE TABLE IF NOT EXISTS user_seq (app_id LowCardinality(String), uh UInt64, seq UInt32)
  ENGINE = MergeTree ORDER BY (app_id, uh)`;

/** Number the users of the opens compaction wrote as generation `gen` who have no number yet. */
export async function assignUserSeqs(store: Store, app: string, gen: number): Promise<void> {
  await store.command(
    `INSERT INTO user_seq (app_id, uh, seq)
     SELECT {app:String}, uh, toUInt32(ifNull((SELECT max(seq) FROM user_seq WHERE ${APP_SCOPE}), 0) + rowNumberInAllBlocks() + 1)
     FROM (
       SELECT DISTINCT uh FROM opens_final
       WHERE ${APP_SCOPE} AND gen = {gen:UInt64} AND uh NOT IN (SELECT uh FROM user_seq WHERE ${APP_SCOPE})
       ORDER BY uh
     )
     SETTINGS max_execution_time = 600`,
    { app, gen },
  );
}

/** Stored numbers of the users of `usersIn` (columns uid, seq). */
export const storedSeqsSql = (usersIn: string) =>
  `SELECT uh AS uid, seq FROM user_seq WHERE ${APP_SCOPE} AND uh IN (${usersIn})`;

/**
 * Numbers of the users who may have live opens (any rollup row on a dirty day: a live open has
 * events on its own day): stored ones, and temporary ones for users compaction has not numbered yet
 * (columns uid, seq).
 */
export function liveSeqsSql(params: Params, fresh: Freshness): string {
  const users = `SELECT DISTINCT ${USER_HASH} AS uid FROM sessions
    WHERE ${APP_SCOPE} AND has(${params.add(fresh.dirty, 'Array(Date)')}, event_day)`;
  return `${storedSeqsSql(users)}
    UNION ALL
    SELECT uid, toUInt32(ifNull((SELECT max(seq) FROM user_seq WHERE ${APP_SCOPE}), 0) + row_number() OVER (ORDER BY uid)) AS seq
    FROM (${users})
    WHERE uid NOT IN (SELECT uh FROM user_seq WHERE ${APP_SCOPE} AND uh IN (${users}))`;
}

/** Opens (a subquery with column uid) with each user's number as column `seq`. */
export const withSeqSql = (opens: string, seqs: string) =>
  `SELECT * FROM (${opens}) AS o INNER JOIN (${seqs}) AS s USING (uid)`;
