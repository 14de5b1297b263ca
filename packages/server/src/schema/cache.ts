/**
 * The cache layout: every table compaction writes (metrics/compaction), in its current shape. They
 * hold nothing that cannot be computed again from `events`, so instead of migrations they are
 * rebuilt whenever their definition changes: a fingerprint of their DDL is kept, and at start a
 * different one drops them all, creates them anew and clears compaction's record, so the next run
 * recomputes every day (readers read live meanwhile, exact but slower: at 100M events a run from
 * scratch takes ~3 minutes). Adding a day-cube column, for instance, is then a change of
 * definitions only.
 */
import { createHash } from 'node:crypto';
import { CUBES, type Cube } from '../metrics/definitions/cubes.js';
import { FACT_TYPES, OPEN_FACTS, USER_PLACE_FACTS } from '../metrics/definitions/open-facts.js';
import type { Store } from '../store/store.js';

const LC = 'LowCardinality(String)';

function opensFinalSql(tz: string): string {
  const ts = `DateTime64(3, '${tz}')`;
  const facts = [...OPEN_FACTS, ...USER_PLACE_FACTS].map((f) => `${f} ${FACT_TYPES[f] === 'ts' ? ts : FACT_TYPES[f]}`);
  return `CREATE TABLE opens_final (
    app_id ${LC}, day Date, user_id String CODEC(ZSTD(1)), user_hash UInt64, sid String CODEC(ZSTD(1)), gen UInt64,
    pvs UInt64, ${facts.join(', ')}
  ) ENGINE = ReplacingMergeTree(gen) PARTITION BY toYYYYMM(day) ORDER BY (app_id, day, user_id, sid)`;
}

/** One row per day and key in each generation; reads take a day's current generation only. */
function cubeSql(cube: Cube): string {
  const columns = cube.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return `CREATE TABLE ${cube.table} (app_id ${LC}, day Date, gen UInt64, ${columns})
    ENGINE = ReplacingMergeTree(gen) PARTITION BY toYYYYMM(day) ORDER BY (app_id, day${cube.key.map((k) => `, ${k}`).join('')})`;
}

/** Each cache table: name → CREATE TABLE. */
export function cacheTables(tz: string): Record<string, string> {
  return {
    opens_final: opensFinalSql(tz),
    ...Object.fromEntries(CUBES.map((cube) => [cube.table, cubeSql(cube)])),
    // Each user's first counted open day, and users first seen per day (compaction/first-days.ts).
    user_first: `CREATE TABLE user_first (app_id ${LC}, user_hash UInt64, first_day Date, gen UInt64)
      ENGINE = MergeTree ORDER BY (app_id, user_hash)`,
    day_new_users: `CREATE TABLE day_new_users (app_id ${LC}, day Date, gen UInt64, users UInt64)
      ENGINE = MergeTree ORDER BY (app_id, day)`,
    // Dense user numbers for the cubes' bitmaps (compaction/user-seqs.ts).
    user_seq: `CREATE TABLE user_seq (app_id ${LC}, user_hash UInt64, seq UInt32)
      ENGINE = MergeTree ORDER BY (app_id, user_hash)`,
    portrait_results: `CREATE TABLE portrait_results (app_id ${LC}, end_day Date, span UInt8, gen UInt64,
      result String CODEC(ZSTD(3))) ENGINE = ReplacingMergeTree(gen) ORDER BY (app_id, end_day, span)`,
    // 事件分析's parts: per query shape and settled day, its aggregates by bucket and group, and the
    // days computed (gen: when, epoch ms; metrics/custom/event-parts.ts). Kept 90 days, trusted 60.
    custom_parts: `CREATE TABLE custom_parts (app_id ${LC}, shape String, day Date, gen UInt64, bucket String,
      groups Array(String), events UInt64, users AggregateFunction(groupBitmap, UInt32), sums Array(Float64),
      counts Array(UInt64), maxs Array(Float64), mins Array(Float64), unnumbered UInt64
    ) ENGINE = MergeTree ORDER BY (app_id, shape, day, gen) TTL toDateTime(intDiv(gen, 1000)) + INTERVAL 90 DAY`,
    custom_part_days: `CREATE TABLE custom_part_days (app_id ${LC}, shape String, day Date, gen UInt64)
      ENGINE = MergeTree ORDER BY (app_id, shape, day) TTL toDateTime(intDiv(gen, 1000)) + INTERVAL 90 DAY`,
    // 路径分析's parts: per shape and compacted open day, its step rows at the day's generation `gen`,
    // made at `made` (epoch ms; metrics/custom/path-parts.ts). Kept 90 days, trusted 60.
    custom_path_parts: `CREATE TABLE custom_path_parts (app_id ${LC}, shape String, day Date, gen UInt64, made UInt64,
      step UInt8, ends UInt8, node String, next String, opens UInt64
    ) ENGINE = MergeTree ORDER BY (app_id, shape, day, made) TTL toDateTime(intDiv(made, 1000)) + INTERVAL 90 DAY`,
    custom_path_part_days: `CREATE TABLE custom_path_part_days (app_id ${LC}, shape String, day Date, gen UInt64,
      made UInt64) ENGINE = MergeTree ORDER BY (app_id, shape, day) TTL toDateTime(intDiv(made, 1000)) + INTERVAL 90 DAY`,
    // Each compacted day's current generation, and the runs recorded (compaction/run.ts).
    compacted_days: `CREATE TABLE compacted_days (app_id ${LC}, day Date, gen UInt64)
      ENGINE = ReplacingMergeTree(gen) ORDER BY (app_id, day)`,
    compaction_runs: `CREATE TABLE compaction_runs (app_id ${LC}, run_at DateTime64(3, 'UTC'))
      ENGINE = ReplacingMergeTree(run_at) ORDER BY app_id`,
  };
}

export const cacheFingerprint = (tz: string) =>
  createHash('sha256')
    .update(JSON.stringify(cacheTables(tz)))
    .digest('hex');

/**
 * Make the cache tables match their definitions; returns whether they were rebuilt. The fingerprint
 * is recorded last, so a start that stops half-way rebuilds again.
 */
export async function ensureCacheLayout(store: Store): Promise<boolean> {
  await store.command(
    `CREATE TABLE IF NOT EXISTS cache_layout (fingerprint String, at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY at`,
  );
  const fingerprint = cacheFingerprint(store.timeZone);
  const [current] = await store.query<{ fingerprint: string }>(
    'SELECT fingerprint FROM cache_layout ORDER BY at DESC LIMIT 1',
  );
  if (current?.fingerprint === fingerprint) return false;
  for (const [name, ddl] of Object.entries(cacheTables(store.timeZone))) {
    await store.command(`DROP TABLE IF EXISTS ${name}`);
    await store.command(ddl);
  }
  await store.insert('cache_layout', [{ fingerprint }]);
  return true;
}
