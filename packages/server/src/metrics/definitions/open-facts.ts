/**
 * The facts of one open (metrics.md "Building blocks"), as SQL aggregates over the open's rows in
 * each place opens are read from: raw `events` (the reference, and what compaction reads) and the
 * `open_rollup` (live reads). Compacted opens (`opens_final`) store them as columns of these names.
 *
 * An open counts only with ≥ 1 page view; it belongs to the day of its `open` event, or of its
 * first event if the open event never arrived.
 * NOTE: names differ from the tables' own columns on purpose: ClickHouse substitutes aliases
 * everywhere, so an alias named like a column (`argMin(platform, ts) AS platform`) would capture
 * that column inside other aggregates of the same SELECT.
 */
import { sourceKeySql } from './sources.js';

/** Facts of an open a report may ask for besides its user, sid, day and page views. */
export const OPEN_FACTS = [
  'stay_ms',
  'depth',
  'shares',
  'entry_path',
  'exit_path',
  // The paths the open viewed, in time order, consecutive repeats collapsed (PAGES_SQL).
  'pages',
  // The open's attributes when it started (its first event's).
  'open_scene',
  'open_source',
  'open_platform',
  'open_province',
  'open_city',
  'open_gender',
  'open_brand',
  'open_model',
] as const;

/**
 * Facts placing the open's user for the portrait: the latest values, and the latest known ones
 * with their times, so that users merge over opens. From raw events and compacted opens only.
 */
export const USER_PLACE_FACTS = [
  'last_at',
  'last_province',
  'last_city',
  'last_platform',
  'known_gender',
  'known_gender_at',
  'known_model',
  'known_model_at',
  'known_birth_year',
  'known_birth_year_at',
] as const;

export type OpenFact = (typeof OPEN_FACTS)[number] | (typeof USER_PLACE_FACTS)[number];

/** Each fact's column type in `opens_final` (`ts` stands for the deployment's DateTime64). */
export const FACT_TYPES: Record<OpenFact, string> = {
  stay_ms: 'UInt64',
  depth: 'UInt64',
  shares: 'UInt64',
  entry_path: 'LowCardinality(String)',
  exit_path: 'LowCardinality(String)',
  pages: 'Array(LowCardinality(String))',
  open_scene: 'UInt16',
  open_source: 'UInt8',
  open_platform: 'LowCardinality(String)',
  open_province: 'LowCardinality(String)',
  open_city: 'LowCardinality(String)',
  open_gender: 'UInt8',
  open_brand: 'LowCardinality(String)',
  open_model: 'LowCardinality(String)',
  last_at: 'ts',
  last_province: 'LowCardinality(String)',
  last_city: 'LowCardinality(String)',
  last_platform: 'LowCardinality(String)',
  known_gender: 'UInt8',
  known_gender_at: 'ts',
  known_model: 'LowCardinality(String)',
  known_model_at: 'ts',
  known_birth_year: 'UInt16',
  known_birth_year_at: 'ts',
};

/** Where opens are grouped from. */
export interface OpenSource {
  table: string;
  /** The column bounding the read by day (matches the table's sorting key). */
  dayColumn: string;
  /** The open's day: its `open` event's, else its first event's. */
  day: string;
  pvs: string;
  facts: Partial<Record<OpenFact, string>>;
}

/**
 * The open's page views as a sequence of paths for 路径分析 (custom-analysis.md "Paths"): in time
 * order, two views at the same ms ordered by path (string order), then consecutive views of the
 * same path collapsed into one. Raw events only: the rollup keeps no order, so live opens asking for
 * it are grouped from raw events (sql/opens.ts, liveSourceOf).
 */
export const PAGES_SQL = "arrayCompact(arrayMap(v -> v.2, arraySort(groupArrayIf((ts, path), type = 'pv'))))";

const RAW_SCENE = "argMinIf(scene, ts, type = 'open')";
const ROLLUP_SCENE = 'argMinIfMerge(scene_state)';

export const OPEN_SOURCES: Record<'open_rollup' | 'events', OpenSource> = {
  events: {
    table: 'events',
    dayColumn: 'toDate(ts)',
    day: "toDate(if(countIf(type = 'open') > 0, minIf(ts, type = 'open'), min(ts)))",
    pvs: "countIf(type = 'pv')",
    facts: {
      stay_ms: "sumIf(dur_ms, type = 'leave')",
      depth: "uniqExactIf(path, type = 'pv')",
      shares: "countIf(type = 'share')",
      entry_path: "argMinIf(path, ts, type = 'pv')",
      exit_path: "argMaxIf(path, ts, type = 'pv')",
      pages: PAGES_SQL,
      open_scene: RAW_SCENE,
      open_source: sourceKeySql(RAW_SCENE),
      open_platform: 'argMin(platform, ts)',
      open_province: 'argMin(province, ts)',
      open_city: 'argMin(city, ts)',
      open_gender: 'argMin(gender, ts)',
      open_brand: 'argMin(brand, ts)',
      open_model: 'argMin(model, ts)',
      last_at: 'max(ts)',
      last_province: 'argMax(province, ts)',
      last_city: 'argMax(city, ts)',
      last_platform: 'argMax(platform, ts)',
      known_gender: 'argMaxIf(gender, ts, gender != 0)',
      known_gender_at: 'maxIf(ts, gender != 0)',
      known_model: "argMaxIf(model, ts, model != '')",
      known_model_at: "maxIf(ts, model != '')",
      known_birth_year: 'argMaxIf(birth_year, ts, birth_year != 0)',
      known_birth_year_at: 'maxIf(ts, birth_year != 0)',
    },
  },
  open_rollup: {
    table: 'open_rollup',
    dayColumn: 'event_day',
    // NOTE: rows without an open event carry open_ts in year 2299 (schema/open-rollup.ts).
    day: 'toDate(if(toYear(min(open_ts)) < 2299, min(open_ts), min(first_ts)))',
    pvs: 'sum(pv_count)',
    facts: {
      stay_ms: 'sum(stay_sum)',
      depth: 'uniqExactIfMerge(depth_state)',
      shares: 'sum(share_count)',
      entry_path: 'argMinIfMerge(entry_state)',
      exit_path: 'argMaxIfMerge(exit_state)',
      open_scene: ROLLUP_SCENE,
      open_source: sourceKeySql(ROLLUP_SCENE),
      open_platform: 'argMinMerge(platform_state)',
      open_province: 'argMinMerge(province_state)',
      open_city: 'argMinMerge(city_state)',
      open_gender: 'argMinMerge(gender_state)',
      open_brand: 'argMinMerge(brand_state)',
      open_model: 'argMinMerge(model_state)',
    },
  },
};

/**
 * How compacted opens identify a user: a 64-bit hash of user_id, so distinct counts and per-user
 * grouping work on integers. NOTE: exact unless two user ids of one app collide (about n²/2⁶⁵ for n
 * users: 3·10⁻⁸ for a million users).
 */
export const USER_HASH = 'cityHash64(user_id)';
