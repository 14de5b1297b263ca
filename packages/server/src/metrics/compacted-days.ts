/**
 * Which open days reports may read from compaction's output (compaction.ts): the current generation
 * of each compacted day, and the days touched since the last run (dirty), which are read live. Plain
 * SQL constants over `{app:String}`; a report reads them once (readFreshness) and binds the result.
 */
import type { Store } from '../store/store.js';
import { addDays } from './dates.js';
import type { OpensSource } from './opens-sql.js';

/** Inserts visible after a run started are assumed to have started at most this long before it. */
export const MARGIN_MINUTES = 2;

/** Open days whose events arrived after the last compaction run (minus the margin), for `{app}`. */
export const DIRTY_OPEN_DAYS_SQL = `SELECT arrayJoin([event_day - 1, event_day, event_day + 1]) AS d FROM dirty_days
  WHERE app_id = {app:String} AND at > (SELECT max(run_at) FROM compaction_runs WHERE app_id = {app:String})
    - INTERVAL ${MARGIN_MINUTES} MINUTE`;

/** The current generation of each compacted open day of `{app}`. */
export const CURRENT_GEN_SQL = 'SELECT day, max(gen) FROM compacted_days WHERE app_id = {app:String} GROUP BY day';

/** The generation of the last recorded compaction run of `{app}` (0 before any). */
export const LAST_RUN_SQL = `(SELECT toUInt64(toUnixTimestamp64Milli(max(run_at))) FROM compaction_runs WHERE app_id = {app:String})`;

/** What a read needs to know of compaction's state, fetched once per report (readFreshness). */
export interface Freshness {
  /** Open days to read live: touched since the last run, or never compacted ('YYYY-MM-DD', sorted). */
  dirty: string[];
  /** The last recorded run's generation (0 before any): newer rows belong to a run in progress. */
  lastGen: number;
}

/** The freshness of `app`'s compacted data, or undefined when a query reads a reference source. */
export async function readFreshness(
  store: Store,
  q: { app: string; opensFrom?: OpensSource },
): Promise<Freshness | undefined> {
  if ((q.opensFrom ?? 'compacted') !== 'compacted') return undefined;
  const [row] = await store.query<{ dirty: string[]; last: string }>(
    `SELECT (SELECT arraySort(groupUniqArray(toString(d))) FROM (${DIRTY_OPEN_DAYS_SQL})) AS dirty, ${LAST_RUN_SQL} AS last`,
    { app: q.app },
  );
  return { dirty: row?.dirty ?? [], lastGen: Number(row?.last ?? 0) };
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
