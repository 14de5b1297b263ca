/**
 * Stored portraits, written by compaction: the 1, 7 and 30-day portraits ending on the latest
 * compacted days (reports/stored-portraits.ts reads them). Placing each user by the latest value
 * over the range needs every open of the range (~150 ms at 10M events for 30 days, ~1 s at 100M);
 * reading a stored one costs a few ms.
 *
 * Exact by construction: a run that recomputes open days from `lo` on rewrites the portraits of every
 * window ending on or after `lo`, computed as readers would compute them with nothing dirty, once
 * the run is recorded; ReplacingMergeTree keeps the latest per window. Only windows holding a
 * recomputed day can change (their users' first days can only move to or from recomputed days), and
 * a reader takes a stored portrait only when it is at least as new as every day of its window.
 */
import { addDays } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { computedPortraitReport } from '../reports/portrait.js';
import { computeReport } from '../reports/report.js';
import { PORTRAIT_SPANS } from '../reports/stored-portraits.js';

/**
 * Windows are stored for this many latest compacted end days: the windows dashboards and the
 * datacube ask for end yesterday or a few days before; older ones are computed when asked.
 */
const STORED_END_DAYS = 8;

/** Run by compaction once run `gen` wrote its opens and first days from `lo` on. */
export async function storePortraits(store: Store, app: string, gen: number, lo: string, today: string): Promise<void> {
  const ends = await store.query<{ d: string; kept: number }>(
    `SELECT toString(day) AS d,
       day >= (SELECT max(day) FROM compacted_days WHERE app_id = {app:String}) - ${STORED_END_DAYS - 1} AS kept
     FROM compacted_days WHERE app_id = {app:String} GROUP BY day HAVING day >= {lo:Date} ORDER BY day`,
    { app, lo },
  );
  // As of this run: its rows are current for the days it recomputed, and it is the last run.
  const fresh = { dirty: [], lastGen: gen };
  for (const { d, kept } of ends) {
    for (const span of PORTRAIT_SPANS) {
      // Older windows are not kept: an empty result replaces what an earlier run stored for them.
      const query = { app, from: addDays(d, 1 - span), to: d, fresh, today };
      const result = Number(kept) ? JSON.stringify(await computeReport(store, computedPortraitReport, query)) : '';
      await store.insert('portrait_results', [{ app_id: app, end_day: d, span, gen, result }]);
    }
  }
}
