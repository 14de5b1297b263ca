/**
 * Dense user numbers: compaction gives each user of an app a UInt32 (`user_seq`) the first time it
 * sees them, so the cubes keep distinct users as roaring bitmaps (groupBitmap); unions over days and
 * intersections (retention) are then cheap and exact. Readers number users of live opens
 * temporarily (sql/user-seqs.ts).
 * NOTE: numbers are assigned by one compaction at a time (compaction runs in one process per store);
 * two servers compacting one ClickHouse cluster would need a lock.
 */
import type { Store } from '../../store/store.js';

/** Number the users of the opens compaction wrote as generation `gen` who have no number yet. */
export async function assignUserSeqs(store: Store, app: string, gen: number): Promise<void> {
  await store.command(
    `INSERT INTO user_seq (app_id, user_hash, seq)
     SELECT {app:String}, user_hash,
       toUInt32(ifNull((SELECT max(seq) FROM user_seq WHERE app_id = {app:String}), 0) + rowNumberInAllBlocks() + 1)
     FROM (
       SELECT DISTINCT user_hash FROM opens_final
       WHERE app_id = {app:String} AND gen = {gen:UInt64}
         AND user_hash NOT IN (SELECT user_hash FROM user_seq WHERE app_id = {app:String})
       ORDER BY user_hash
     )
     SETTINGS max_execution_time = 600`,
    { app, gen },
  );
}
