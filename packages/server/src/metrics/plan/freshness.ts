/**
 * Which open days a report may read from compaction's output (metrics/compaction): the current
 * generation of each compacted day, and the days whose opens were touched since the last run
 * (dirty), which are read live. A report reads this once (readFreshness) and binds the result.
 */
import { addDays } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { OPEN_SOURCES } from '../definitions/open-facts.js';

/**
 * How long before a run's start touches still count as dirty after it (the run may not have seen
 * them). Embedded, compaction waits for every insert started before the run to end before it reads
 * what changed (Store.insertsSettled; one clock, and an insert's `now64()` is taken when its query
 * starts), so every touch before the run's start is visible to it and a burst of late events is
 * clean after the next run: 10 ms of slack for equal timestamps. With a ClickHouse server, whose
 * clock is not ours, inserts visible after a run started are assumed to have started at most
 * 2 minutes before it.
 */
export const compactionMarginMs = (store: Store) => (store.embedded ? 10 : 2 * 60_000);

/** Events (their arrival, `at`) after `{since:Int64}` (epoch ms). */
const ARRIVED_SINCE = 'at > fromUnixTimestamp64Milli({since:Int64})';

/** Every event day with events arrived since, and the days either side (before any run). */
const NEAR_ARRIVALS_SQL = `SELECT arraySort(groupUniqArray(toString(d))) AS dirty FROM (
  SELECT arrayJoin([event_day - 1, event_day, event_day + 1]) AS d FROM dirty_days
  WHERE app_id = {app:String} AND ${ARRIVED_SINCE})`;

/** The current generation of each compacted open day of `{app}`. */
export const CURRENT_GEN_SQL = 'SELECT day, max(gen) FROM compacted_days WHERE app_id = {app:String} GROUP BY day';

/** The generation of the last recorded compaction run of `{app}` (0 before any). */
const LAST_RUN_SQL = `(SELECT toUInt64(toUnixTimestamp64Milli(max(run_at))) FROM compaction_runs WHERE app_id = {app:String})`;

/** What a read needs to know of compaction's state, fetched once per report (readFreshness). */
export interface Freshness {
  /** Open days to read live: touched since the last run, or never compacted ('YYYY-MM-DD', sorted). */
  dirty: string[];
  /** The last recorded run's generation (0 before any): newer rows belong to a run in progress. */
  lastGen: number;
}

/**
 * The days of the opens that got events since (`dirty_opens`, kept by a view on events), as
 * compacted and as they are now: exactly the open days whose figures may differ from the compacted
 * ones. (An open's events lie within a day either side of its day.) Traffic arriving today
 * dirties today only, unless an open crosses midnight.
 */
function touchedOpenDaysSql(): string {
  const near = 'SELECT arrayJoin([event_day - 1, event_day, event_day + 1]) FROM touched';
  return `WITH touched AS (SELECT DISTINCT event_day, user_id, sid FROM dirty_opens
      WHERE app_id = {app:String} AND ${ARRIVED_SINCE})
    SELECT arraySort(groupUniqArray(toString(d))) AS dirty FROM (
      SELECT ${OPEN_SOURCES.open_rollup.day} AS d FROM open_rollup
      WHERE app_id = {app:String} AND event_day IN (${near}) AND (user_id, sid) IN (SELECT user_id, sid FROM touched)
      GROUP BY user_id, sid
      UNION ALL
      SELECT day AS d FROM opens_final
      WHERE app_id = {app:String} AND day IN (${near}) AND (user_id, sid) IN (SELECT user_id, sid FROM touched)
    )`;
}

/**
 * The open days of `app` that may differ from their compacted figures as of run `gen`: the days of
 * the opens touched since that run's margin; before any run (gen 0), every day with events and the
 * days next to them. What readers take live, and what the next run recomputes.
 */
export async function dirtyOpenDays(store: Store, app: string, gen: number): Promise<string[]> {
  const sql = gen === 0 ? NEAR_ARRIVALS_SQL : touchedOpenDaysSql();
  const since = gen === 0 ? 0 : gen - compactionMarginMs(store);
  const [row] = await store.query<{ dirty: string[] }>(sql, { app, since });
  return row?.dirty ?? [];
}

/** The freshness of `app`'s compacted data. */
export async function readFreshness(store: Store, app: string): Promise<Freshness> {
  const [run] = await store.query<{ last: string }>(`SELECT ${LAST_RUN_SQL} AS last`, { app });
  const lastGen = Number(run?.last ?? 0);
  // Relative to that run, even if another is recorded meanwhile.
  return { dirty: await dirtyOpenDays(store, app, lastGen), lastGen };
}

/** Whether a dirty day falls within from..to (from omitted: any day up to `to`). */
export function anyDirty(fresh: Freshness, from: string | undefined, to: string): boolean {
  return fresh.dirty.some((d) => (from === undefined || d >= from) && d <= to);
}

/** The dirty days and the days either side: the event days a live open of a dirty day may have. */
export function aroundDirty(fresh: Freshness): string[] {
  return [...new Set(fresh.dirty.flatMap((d) => [addDays(d, -1), d, addDays(d, 1)]))].sort();
}
