/**
 * Stored portraits: compaction computes the portraits dashboards and the datacube ask for (the last
 * 1, 7 and 30 days) ending on each recently compacted day (compaction/portraits.ts), so a portrait
 * of clean days is read, not computed. A reader uses a stored portrait only when no day of its
 * window is dirty and the portrait is at least as new as every compacted day of the window (it is
 * stored after its run is recorded), taking the latest one not newer than the last recorded run; any
 * other range, a filtered one, or one with no such portrait is computed.
 */
import { daysBetween } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { anyDirty, type Freshness } from '../plan/freshness.js';
import type { RangeQuery } from '../plan/query.js';
import type { Portrait } from './portrait.js';

/** The window lengths stored, in days. */
export const PORTRAIT_SPANS = [1, 7, 30];

/** The stored portrait answering `q`, if there is one it may use. */
export async function storedPortrait(
  store: Store,
  q: RangeQuery & { fresh?: Freshness },
): Promise<Portrait | undefined> {
  const span = daysBetween(q.from, q.to) + 1;
  const fresh = q.fresh;
  if (!fresh || !PORTRAIT_SPANS.includes(span) || (q.filters ?? []).length > 0 || anyDirty(fresh, q.from, q.to))
    return undefined;
  // NOTE: aliases unlike the columns: ClickHouse would substitute an alias `gen` into the WHERE.
  const [row] = await store.query<{ result: string; stored_gen: string; window_gen: string }>(
    `SELECT argMax(result, gen) AS result, toString(max(gen)) AS stored_gen,
       toString((SELECT max(gen) FROM compacted_days WHERE app_id = {app:String} AND day >= {from:Date} AND day <= {end:Date}
         AND gen <= {last:UInt64})) AS window_gen
     FROM portrait_results
     WHERE app_id = {app:String} AND end_day = {end:Date} AND span = {span:UInt8} AND gen <= {last:UInt64}`,
    { app: q.app, from: q.from, end: q.to, span, last: fresh.lastGen },
  );
  const usable = row && row.result !== '' && BigInt(row.stored_gen) >= BigInt(row.window_gen);
  return usable ? (JSON.parse(row.result) as Portrait) : undefined;
}
