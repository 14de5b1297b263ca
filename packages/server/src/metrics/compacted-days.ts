/**
 * Which open days reports may read from compaction's output (compaction.ts): the current generation
 * of each compacted day, and the days touched since the last run (dirty), which are read live. Plain
 * SQL constants over `{app:String}`, shared by every reader.
 */

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
