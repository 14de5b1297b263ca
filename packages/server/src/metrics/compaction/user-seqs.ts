/**
 * Dense user numbers: compaction gives each user of an app a UInt32 (`user_seq`) the first time it
 * sees them, so the cubes keep distinct users as roaring bitmaps (groupBitmap); unions over days and
 * intersections (retention) are then cheap and exact. Readers number users of live opens
 * temporarily (sql/user-seqs.ts).
 * NOTE: numbers are assigned by one compaction at a time (compaction runs in one process per store);
 * two servers compacting one ClickHouse cluster would need a lock.
 */
import type { Store } from '../../store/store.js';

/**
 * Number the users compaction sees in run `gen` who have no number yet: those of the opens it wrote,
 * and those of the custom events on the open days it recomputed and the days either side (an open's
 * events lie within a day of it), so that 事件分析's parts (custom/event-parts.ts) count every user
 * of a compacted day by number, including users whose open never arrived. (An anti-join: `NOT IN`
 * the app's numbers took 2–3 s per run at 100M events and 1.4M users, the join ~0.1 s.)
 */
export async function assignUserSeqs(store: Store, app: string, gen: number, days: string[]): Promise<void> {
  await store.command(
    `INSERT INTO user_seq (app_id, user_hash, seq)
     SELECT {app:String}, user_hash,
       toUInt32(ifNull((SELECT max(seq) FROM user_seq WHERE app_id = {app:String}), 0) + rowNumberInAllBlocks() + 1)
     FROM (
       SELECT user_hash FROM (
         SELECT DISTINCT user_hash FROM (
           SELECT user_hash FROM opens_final WHERE app_id = {app:String} AND gen = {gen:UInt64}
           UNION ALL
           SELECT user_hash FROM custom_events
           WHERE app_id = {app:String} AND toDate(ts) >= {lo:Date} - 1 AND toDate(ts) <= {hi:Date} + 1
             AND hasAny({days:Array(Date)}, [toDate(ts) - 1, toDate(ts), toDate(ts) + 1])
         )
       ) AS seen
       LEFT ANTI JOIN (SELECT user_hash FROM user_seq WHERE app_id = {app:String}) AS numbered USING (user_hash)
       ORDER BY user_hash
     )
     SETTINGS max_execution_time = 600`,
    { app, gen, days, lo: days[0]!, hi: days.at(-1)! },
  );
}
