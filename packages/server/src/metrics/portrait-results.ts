/**
 * Stored portraits: compaction computes the portraits dashboards and the datacube ask for (the last
 * 1, 7 and 30 days) ending on each recently compacted day, so a portrait of clean days is read, not
 * computed. Placing each user by the latest value over the range needs every open of the range
 * (~150 ms at 10M events for 30 days, ~1 s at 100M); reading a stored one costs a few ms.
 *
 * Exact by construction: a run that recomputes open days, or first days, from `lo` on rewrites the
 * portraits of every window ending on or after `lo`, computed as readers would compute them with
 * nothing dirty. A reader uses a stored portrait only when no day of its window is dirty, and takes
 * the latest one not newer than the last recorded run (ReplacingMergeTree keeps the latest per
 * window). Any other range, a filtered one, or one with no stored portrait is computed live.
 */
import type { Store } from '../store/store.js';
import { anyDirty, type Freshness } from './compacted-days.js';
import { addDays, daysBetween } from './dates.js';
import type { Portrait } from './portrait.js';
import type { RangeQuery } from './query.js';

/** The window lengths stored, in days. */
const PORTRAIT_SPANS = [1, 7, 30];
/** Windows are stored for this many latest compacted end days (older ones are computed live). */
const STORED_END_DAYS = 35;

export const PORTRAIT_RESULTS_TABLE = `CREATE TABLE IF NOT EXISTS portrait_results (app_id LowCardinality(String),
  end_day Date, span UInt8, gen UInt64, result String CODEC(ZSTD(3)))
  ENGINE = ReplacingMergeTree(gen) ORDER BY (app_id, end_day, span)`;

type ComputePortrait = (q: RangeQuery & { fresh: Freshness }) => Promise<Portrait>;

/** Run by compaction once run `gen` wrote its opens and first days from `lo` on. */
export async function storePortraits(
  store: Store,
  app: string,
  gen: number,
  lo: string,
  compute: ComputePortrait,
): Promise<void> {
  const ends = await store.query<{ d: string; kept: number }>(
    `SELECT toString(day) AS d, day >= (SELECT max(day) FROM compacted_days WHERE app_id = {app:String}) - ${STORED_END_DAYS - 1} AS kept
     FROM compacted_days WHERE app_id = {app:String} GROUP BY day HAVING day >= {lo:Date} ORDER BY day`,
    { app, lo },
  );
  // As of this run: its rows are current for the days it recomputed, and it is the last run.
  const fresh: Freshness = { dirty: [], lastGen: gen };
  for (const { d, kept } of ends) {
    for (const span of PORTRAIT_SPANS) {
      // Older windows are not kept: an empty result replaces what an earlier run stored for them.
      const result = Number(kept)
        ? JSON.stringify(await compute({ app, from: addDays(d, 1 - span), to: d, fresh }))
        : '';
      await store.insert('portrait_results', [{ app_id: app, end_day: d, span, gen, result }]);
    }
  }
}

/** The stored portrait answering `q`, if there is one it may use. */
export async function storedPortrait(
  store: Store,
  q: RangeQuery & { fresh: Freshness },
): Promise<Portrait | undefined> {
  const span = daysBetween(q.from, q.to) + 1;
  if (!PORTRAIT_SPANS.includes(span) || (q.filters ?? []).length > 0 || anyDirty(q.fresh, q.from, q.to))
    return undefined;
  const [row] = await store.query<{ result: string; n: string }>(
    `SELECT argMax(result, gen) AS result, count() AS n FROM portrait_results
     WHERE app_id = {app:String} AND end_day = {end:Date} AND span = {span:UInt8} AND gen <= {last:UInt64}`,
    { app: q.app, end: q.to, span, last: q.fresh.lastGen },
  );
  return row && Number(row.n) > 0 && row.result !== '' ? (JSON.parse(row.result) as Portrait) : undefined;
}
