/**
 * Which open days reports may read from compaction's output (compaction.ts): the current generation
 * of each compacted day, and the days whose opens were touched since the last run (dirty), which are
 * read live. A report reads this once (readFreshness) and binds the result.
 */
import type { Store } from '../store/store.js';
import { addDays } from './dates.js';
import { type OpensSource, SOURCES } from './opens-sql.js';

/** Inserts visible after a run started are assumed to have started at most this long before it. */
const MARGIN_MINUTES = 2;
export const COMPACTION_MARGIN_MS = MARGIN_MINUTES * 60_000;

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
function touchedOpenDaysSql(openDay: string): string {
  const near = 'SELECT arrayJoin([event_day - 1, event_day, event_day + 1]) FROM touched';
  return `WITH touched AS (SELECT DISTINCT event_day, user_id, sid FROM dirty_opens
      WHERE app_id = {app:String} AND ${ARRIVED_SINCE})
    SELECT arraySort(groupUniqArray(toString(d))) AS dirty FROM (
      SELECT ${openDay} AS d FROM sessions
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
  const sql = gen === 0 ? NEAR_ARRIVALS_SQL : touchedOpenDaysSql(SOURCES.sessions.day);
  const since = gen === 0 ? 0 : gen - COMPACTION_MARGIN_MS;
  const [row] = await store.query<{ dirty: string[] }>(sql, { app, since });
  return row?.dirty ?? [];
}

/** The freshness of `app`'s compacted data, or undefined when a query reads a reference source. */
export async function readFreshness(
  store: Store,
  q: { app: string; opensFrom?: OpensSource },
): Promise<Freshness | undefined> {
  if ((q.opensFrom ?? 'compacted') !== 'compacted') return undefined;
  const [run] = await store.query<{ last: string }>(`SELECT ${LAST_RUN_SQL} AS last`, { app: q.app });
  const lastGen = Number(run?.last ?? 0);
  // Relative to that run, even if another is recorded meanwhile.
  return { dirty: await dirtyOpenDays(store, q.app, lastGen), lastGen };
}

/** Whether a dirty day falls within from..to (from omitted: any day up to `to`). */
export function anyDirty(fresh: Freshness, from: string | undefined, to: string): boolean {
  return fresh.dirty.some((d) => (from === undefined || d >= from) && d <= to);
}

/** The dirty days and the days either side: the event days a live open of a dirty day may have. */
export function aroundDirty(fresh: Freshness): string[] {
  return [...new Set(fresh.dirty.flatMap((d) => [addDays(d, -1), d, addDays(d, 1)]))].sort();
}

/** The query with compaction's state filled in (for compacted reads). */
export async function withFreshness<Q extends { app: string; opensFrom?: OpensSource }>(
  store: Store,
  q: Q,
): Promise<Q & { fresh?: Freshness }> {
  return { ...q, fresh: await readFreshness(store, q) };
}

/** The view recording which opens got events when (migration 6). */
export const DIRTY_OPENS_TABLES = [
  `CREATE TABLE IF NOT EXISTS dirty_opens (app_id LowCardinality(String), event_day Date, user_id String, sid String,
    at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY (app_id, at)`,
  'DROP VIEW IF EXISTS dirty_opens_mv',
  `CREATE MATERIALIZED VIEW dirty_opens_mv TO dirty_opens AS
    SELECT app_id, toDate(ts) AS event_day, user_id, sid, now64(3) AS at FROM events GROUP BY app_id, event_day, user_id, sid`,
];

/** After run `gen` is recorded: touched opens it covered (readers only look past its margin). */
export async function dropCoveredTouches(store: Store, app: string, gen: number): Promise<void> {
  await store.command(
    `DELETE FROM dirty_opens WHERE app_id = {app:String}
       AND at <= fromUnixTimestamp64Milli({gen:Int64}) - INTERVAL ${MARGIN_MINUTES} MINUTE`,
    { app, gen },
  );
}
