/**
 * Compaction, the write side of the cache layout (schema/cache.ts): finalized per-open rows
 * (`opens_final`), day cubes, first days, user numbers and stored portraits, so reports read a few
 * plain rows instead of merging rollup states or grouping raw events over whole ranges.
 *
 * Exact by construction: compaction is only a cache. Views on `events` record which opens got
 * events when (`dirty_opens`, the engine's clock `now64()`; schema/dirty-tracking.ts). A run at
 * time T recomputes, from raw `events`, the open days of the opens touched since the previous run's
 * T − MARGIN (as compacted and as they are now; plan/freshness.ts), writes them as a new generation
 * (`gen`) with their cubes and first days, then records the run. Readers take the same set relative
 * to the last recorded run as dirty and compute those days live from the rollup; every other day
 * comes from `opens_final` and the cubes. Before the first run every day with events is dirty.
 * MARGIN covers inserts that started before T but became visible after it (plan/freshness.ts).
 *
 * Crash safety: the run is recorded last, and until then the days it recomputes are dirty to
 * readers (events arrived after the previous run), so they read them live; an interrupted run
 * leaves unread rows and its days stay live until a later run recomputes them. A day's generation
 * becomes current (compacted_days) only once all its rows are written; earlier generations are
 * never read again, and merges drop them (ReplacingMergeTree by gen), as a delete per run would cost
 * seconds.
 * NOTE: deleting a user's events must delete their rows in every cache table too.
 */
import { todayIn } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { CUBES } from '../definitions/cubes.js';
import { compactionMarginMs, dirtyOpenDays } from '../plan/freshness.js';
import { cubeInsertSql } from './cubes.js';
import { dropReplacedFirstDays, updateFirstDays } from './first-days.js';
import { finalOpensInsertSql } from './opens.js';
import { storePortraits } from './portraits.js';
import { assignUserSeqs } from './user-seqs.js';

/** Open days recomputed per statement (keeps each statement short). */
const CHUNK_DAYS = 4;

export interface CompactionResult {
  apps: number;
  days: number;
}

/** Thrown between statements when a run is asked to stop (shutdown); the run is simply not recorded. */
export class CompactionStopped extends Error {
  override name = 'CompactionStopped';
}

/** After run `gen` is recorded: the touches it covered (readers only look past its margin). */
async function dropCoveredTouches(store: Store, app: string, gen: number): Promise<void> {
  await store.command(
    `DELETE FROM dirty_opens WHERE app_id = {app:String}
       AND at <= fromUnixTimestamp64Milli({cutoff:Int64})`,
    { app, cutoff: gen - compactionMarginMs(store) },
  );
}

/** Recompute the open days `days` of `app` as generation `gen` (every cache table but the portraits). */
async function recomputeDays(store: Store, app: string, gen: number, days: string[], step: () => void) {
  const chunks = Array.from({ length: Math.ceil(days.length / CHUNK_DAYS) }, (_, i) =>
    days.slice(i * CHUNK_DAYS, (i + 1) * CHUNK_DAYS),
  );
  const bounds = (chunk: string[]) => ({ app, gen, lo: chunk[0]!, hi: chunk.at(-1)!, days: chunk });
  for (const chunk of chunks) {
    step();
    await store.command(finalOpensInsertSql(), bounds(chunk));
  }
  step();
  await assignUserSeqs(store, app, gen, days);
  // A day's generation becomes current only once all its rows are written: a reader that took the
  // day for clean before these events arrived reads either generation whole.
  for (const chunk of chunks) {
    for (const cube of CUBES) {
      step();
      await store.command(cubeInsertSql(cube, app), bounds(chunk));
    }
    await store.command('INSERT INTO compacted_days SELECT {app:String}, arrayJoin({days:Array(Date)}), {gen:UInt64}', {
      app,
      gen,
      days: chunk,
    });
  }
  step();
  await updateFirstDays(store, app, gen, days[0]!);
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
  // Every touch before the run's start is visible once the inserts started before now have ended.
  await store.insertsSettled();
  const today = todayIn(store.timeZone, gen);
  const apps = await store.query<{ app: string; prev: string }>(
    `SELECT app_id AS app, toString(toUnixTimestamp64Milli(r.run_at)) AS prev
     FROM (SELECT DISTINCT app_id FROM dirty_days) AS d
     LEFT JOIN (SELECT app_id, max(run_at) AS run_at FROM compaction_runs GROUP BY app_id) AS r USING (app_id)`,
  );
  let total = 0;
  for (const { app, prev } of apps) {
    step();
    const days = await dirtyOpenDays(store, app, Number(prev));
    if (days.length > 0) await recomputeDays(store, app, gen, days, step);
    step();
    await store.command('INSERT INTO compaction_runs SELECT {app:String}, fromUnixTimestamp64Milli({gen:Int64})', {
      app,
      gen,
    });
    // First days replaced by the previous run: readers that took their freshness before this run was
    // recorded still read that run's.
    if (prev !== '0') await dropReplacedFirstDays(store, app, Number(prev));
    await dropCoveredTouches(store, app, gen);
    // Once the days are clean for readers: the portraits of the windows they changed, which readers
    // compute live until then (reports/stored-portraits.ts).
    if (days.length > 0) {
      step();
      await storePortraits(store, app, gen, days[0]!, today);
    }
    total += days.length;
  }
  return { apps: apps.length, days: total };
}
