/**
 * First days, written by compaction: each user's first counted open day (`user_first`) and how many
 * users first came each day (`day_new_users`), versioned by the run's generation. Readers combine
 * them with live opens exactly (sql/first-days.ts).
 * NOTE: a user whose every open from some day on is deleted keeps a stale row (data deletion must
 * delete their `user_first` rows too).
 */
import type { Store } from '../../store/store.js';
import { CURRENT_GEN_SQL } from '../plan/freshness.js';

/**
 * Run by compaction after it rewrote the opens of days ≥ `lo` as generation `gen`: first days of
 * users with an open from `lo` on (unless already first seen before it), then users per first day
 * for every compacted day from `lo` on.
 */
export async function updateFirstDays(store: Store, app: string, gen: number, lo: string): Promise<void> {
  await store.command(
    `INSERT INTO user_first (app_id, user_hash, first_day, gen)
     WITH candidates AS (
       SELECT user_hash, min(day) AS candidate_first FROM opens_final
       WHERE app_id = {app:String} AND day >= {lo:Date} AND (day, gen) IN (${CURRENT_GEN_SQL}) GROUP BY user_hash
     )
     SELECT {app:String}, user_hash, candidate_first, {gen:UInt64} FROM candidates
     WHERE user_hash NOT IN (SELECT user_hash FROM user_first
       WHERE app_id = {app:String} AND user_hash IN (SELECT user_hash FROM candidates)
       GROUP BY user_hash HAVING argMax(first_day, gen) < {lo:Date})
     SETTINGS max_execution_time = 600`,
    { app, gen, lo },
  );
  await store.command(
    `INSERT INTO day_new_users (app_id, day, gen, users)
     SELECT {app:String}, d, {gen:UInt64}, sum(n) FROM (
       SELECT f AS d, toUInt64(1) AS n FROM (
         SELECT argMax(first_day, gen) AS f FROM user_first
         WHERE app_id = {app:String}
           AND user_hash IN (SELECT user_hash FROM user_first WHERE app_id = {app:String} AND first_day >= {lo:Date})
         GROUP BY user_hash HAVING f >= {lo:Date})
       UNION ALL
       SELECT arrayJoin(arrayMap(i -> {lo:Date} + i, range(toUInt32(greatest(hi, {lo:Date}) - {lo:Date} + 1)))) AS d,
         toUInt64(0) AS n
       FROM (SELECT max(day) AS hi FROM compacted_days WHERE app_id = {app:String})
     ) GROUP BY d
     SETTINGS max_execution_time = 600`,
    { app, gen, lo },
  );
}

/** Rows replaced by the run of generation `gen` (called once a later run is recorded). */
export async function dropReplacedFirstDays(store: Store, app: string, gen: number): Promise<void> {
  const [written] = await store.query<{ n: string }>(
    'SELECT count() AS n FROM day_new_users WHERE app_id = {app:String} AND gen = {gen:UInt64}',
    { app, gen },
  );
  if (Number(written?.n ?? 0) === 0) return; // that run recomputed nothing
  await store.command(
    `DELETE FROM user_first WHERE app_id = {app:String} AND gen < {gen:UInt64}
       AND user_hash IN (SELECT user_hash FROM user_first WHERE app_id = {app:String} AND gen = {gen:UInt64})`,
    { app, gen },
  );
  await store.command(
    `DELETE FROM day_new_users WHERE app_id = {app:String} AND gen < {gen:UInt64}
       AND day IN (SELECT day FROM day_new_users WHERE app_id = {app:String} AND gen = {gen:UInt64})`,
    { app, gen },
  );
}
