/**
 * Compaction: finalized per-open rows (`opens_final`), so reports read one plain row per open
 * instead of merging aggregate states (sessions rollup) or grouping raw events over whole ranges.
 *
 * Exact by construction: compaction is only a cache. A view on `events` records which opens got
 * events when (`dirty_opens`, the engine's clock `now64()`); `dirty_days` records it per event day.
 * A run at time T recomputes, from raw `events`, the open days of the opens touched since the
 * previous run's T − MARGIN (as compacted and as they are now; compacted-days.ts), writes them as a
 * new generation (`gen`) with their cubes and first days, then records the run. Readers take the
 * same set relative to the last recorded run as dirty and compute those days live from the rollup;
 * every other day comes from `opens_final` and the cubes. Before the first run every day with events
 * is dirty. MARGIN covers inserts that started before T but became visible after it.
 *
 * Crash safety: the run is recorded last, and until then the days it recomputes are dirty to
 * readers (events arrived after the previous run), so they read them live; an interrupted run
 * leaves unread garbage and its days stay live until a later run recomputes them.
 * NOTE: deleting a user's events must delete their `opens_final` rows too (as for `sessions`).
 */
import type { Migration } from '../store/migrations.js';
import type { Store } from '../store/store.js';
import { DIRTY_OPENS_TABLES, dirtyOpenDays, dropCoveredTouches } from './compacted-days.js';
import { CUBES, cubeInsertSql, cubeTableSql } from './cubes.js';
import { dropReplacedFirstDays, FIRST_DAYS_TABLES, updateFirstDays } from './first-days.js';
import { OPEN_COLUMN_NAMES, PORTRAIT_COLUMN_NAMES, SOURCES, USER_HASH } from './opens-sql.js';
import { computePortrait } from './portrait.js';
import { PORTRAIT_RESULTS_TABLE, storePortraits } from './portrait-results.js';
import { assignUserSeqs, USER_SEQ_TABLE } from './user-seqs.js';

/** Open days recomputed per statement (keeps each statement short). */
const CHUNK_DAYS = 4;

/** The finished opens, one row per open and generation. */
function opensFinalTableSql(tz: string, engine: string): string {
  const ts = `DateTime64(3, '${tz}')`;
  const lc = 'LowCardinality(String)';
  return `CREATE TABLE IF NOT EXISTS opens_final (
    app_id ${lc}, day Date, user_id String CODEC(ZSTD(1)), uh UInt64, sid String CODEC(ZSTD(1)), gen UInt64,
    pvs UInt64, stay_ms UInt64, depth UInt64, shares UInt64, entry_path ${lc}, exit_path ${lc},
    o_scene UInt16, o_source UInt8, o_platform ${lc}, o_province ${lc}, o_city ${lc}, o_gender UInt8,
    o_brand ${lc}, o_model ${lc}, last_ts ${ts}, l_province ${lc}, l_city ${lc}, l_platform ${lc},
    k_gender UInt8, k_gender_ts ${ts}, k_model ${lc}, k_model_ts ${ts}, k_birth UInt16, k_birth_ts ${ts}
  ) ENGINE = ${engine} PARTITION BY toYYYYMM(day) ORDER BY (app_id, day, user_id, sid)`;
}

export const compactionMigration: Migration = {
  version: 5,
  name: 'compaction: opens_final, dirty_days',
  statements: (tz) => {
    const ts = `DateTime64(3, '${tz}')`;
    const lc = 'LowCardinality(String)';
    return [
      `CREATE TABLE IF NOT EXISTS dirty_days (app_id ${lc}, event_day Date, at DateTime64(3))
        ENGINE = ReplacingMergeTree(at) ORDER BY (app_id, event_day)`,
      'DROP VIEW IF EXISTS dirty_days_mv',
      'TRUNCATE TABLE dirty_days',
      'INSERT INTO dirty_days SELECT app_id, toDate(ts) AS event_day, now64(3) FROM events GROUP BY app_id, event_day',
      `CREATE MATERIALIZED VIEW dirty_days_mv TO dirty_days AS
        SELECT app_id, toDate(ts) AS event_day, now64(3) AS at FROM events GROUP BY app_id, event_day`,
      opensFinalTableSql(tz, 'MergeTree'),
      `CREATE TABLE IF NOT EXISTS compacted_days (app_id ${lc}, day Date, gen UInt64)
        ENGINE = ReplacingMergeTree(gen) ORDER BY (app_id, day)`,
      // NOTE: replaced by migration 6 (zone UTC).
      `CREATE TABLE IF NOT EXISTS compaction_runs (app_id ${lc}, run_at DateTime64(3))
        ENGINE = ReplacingMergeTree(run_at) ORDER BY app_id`,
    ];
  },
};

/**
 * Migration 6: the day cubes (cubes.ts), first days (first-days.ts), user numbers (user-seqs.ts) and
 * stored portraits (portrait-results.ts) beside compacted opens, and the touched opens that tell
 * readers which days to read live. The compaction state is reset so the next run recomputes every
 * day with them; `opens_final` becomes a ReplacingMergeTree by generation; run times get their zone
 * (UTC).
 */
export const cubesMigration: Migration = {
  version: 6,
  name: 'compaction: day cubes and first days',
  statements: (tz) => [
    ...CUBES.map(cubeTableSql),
    ...FIRST_DAYS_TABLES,
    ...DIRTY_OPENS_TABLES,
    USER_SEQ_TABLE,
    PORTRAIT_RESULTS_TABLE,
    'TRUNCATE TABLE compacted_days',
    // Replaced generations now go in background merges instead of a delete per run.
    'DROP TABLE IF EXISTS opens_final',
    opensFinalTableSql(tz, 'ReplacingMergeTree(gen)'),
    'DROP TABLE IF EXISTS compaction_runs',
    `CREATE TABLE compaction_runs (app_id LowCardinality(String), run_at DateTime64(3, 'UTC'))
      ENGINE = ReplacingMergeTree(run_at) ORDER BY app_id`,
  ],
};

/** The finalized rows of the counted opens of `{days:Array(Date)}`, from raw events. */
function finalRowsSql(): string {
  const e = SOURCES.events;
  // The columns of `opens_final` besides app_id, day, user_id, sid, gen and pvs. NOTE: read here,
  // not at module load: opens-sql.ts imports this module too.
  const cols = [...OPEN_COLUMN_NAMES, ...PORTRAIT_COLUMN_NAMES].map((c) => `${e.columns[c]} AS ${c}`);
  return `SELECT app_id, ${e.day} AS day, user_id, ${USER_HASH} AS uh, sid, {gen:UInt64} AS gen, ${e.pvs} AS pvs, ${cols.join(', ')}
    FROM events
    WHERE app_id = {app:String} AND toDate(ts) >= {lo:Date} - 1 AND toDate(ts) <= {hi:Date} + 1
    GROUP BY app_id, user_id, sid
    HAVING pvs > 0 AND has({days:Array(Date)}, day)
    SETTINGS max_execution_time = 600`;
}

export interface CompactionResult {
  apps: number;
  days: number;
}

/** Thrown between statements when a run is asked to stop (shutdown); the run is simply not recorded. */
export class CompactionStopped extends Error {
  override name = 'CompactionStopped';
}

/**
 * One compaction run over every app with new events. Runs must not overlap (the engine serializes
 * them). `shouldStop` is asked between statements: stopping there is safe, since a run counts only
 * once recorded (see above), so a shutdown waits for one statement at most, not for the run.
 */
export async function compactOnce(store: Store, shouldStop: () => boolean = () => false): Promise<CompactionResult> {
  const step = () => {
    if (shouldStop()) throw new CompactionStopped('compaction stopped');
  };
  const [clock] = await store.query<{ t: string }>('SELECT toString(toUnixTimestamp64Milli(now64(3))) AS t');
  const gen = Number(clock!.t);
  const apps = await store.query<{ app: string; prev: string }>(
    `SELECT app_id AS app, toString(toUnixTimestamp64Milli(r.run_at)) AS prev
     FROM (SELECT DISTINCT app_id FROM dirty_days) AS d
     LEFT JOIN (SELECT app_id, max(run_at) AS run_at FROM compaction_runs GROUP BY app_id) AS r USING (app_id)`,
  );
  let total = 0;
  for (const { app, prev } of apps) {
    step();
    const days = await dirtyOpenDays(store, app, Number(prev));
    const chunks = Array.from({ length: Math.ceil(days.length / CHUNK_DAYS) }, (_, i) =>
      days.slice(i * CHUNK_DAYS, (i + 1) * CHUNK_DAYS),
    );
    const bounds = (chunk: string[]) => ({ app, gen, lo: chunk[0]!, hi: chunk.at(-1)!, days: chunk });
    for (const chunk of chunks) {
      step();
      await store.command(`INSERT INTO opens_final ${finalRowsSql()}`, bounds(chunk));
    }
    step();
    if (days.length > 0) await assignUserSeqs(store, app, gen);
    // A day's generation becomes current (compacted_days) only once all its rows are written: a
    // reader that took the day for clean before these events arrived reads either generation whole.
    for (const chunk of chunks) {
      for (const cube of CUBES) {
        step();
        await store.command(cubeInsertSql(cube), bounds(chunk));
      }
      await store.command(
        'INSERT INTO compacted_days SELECT {app:String}, arrayJoin({days:Array(Date)}), {gen:UInt64}',
        { app, gen, days: chunk },
      );
    }
    if (days.length > 0) {
      step();
      await updateFirstDays(store, app, gen, days[0]!);
      step();
      await storePortraits(store, app, gen, days[0]!, (q) => computePortrait(store, q));
    }
    step();
    await store.command('INSERT INTO compaction_runs SELECT {app:String}, fromUnixTimestamp64Milli({gen:Int64})', {
      app,
      gen,
    });
    // NOTE: earlier generations of the recomputed days are never read again; merges drop them
    // (ReplacingMergeTree by gen), as a delete per run would cost seconds.
    // First days replaced by the previous run: readers that took their freshness before this run was
    // recorded still read that run's.
    if (prev !== '0') await dropReplacedFirstDays(store, app, Number(prev));
    await dropCoveredTouches(store, app, gen);
    total += days.length;
  }
  return { apps: apps.length, days: total };
}
