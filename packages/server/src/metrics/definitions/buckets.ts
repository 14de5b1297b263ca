/**
 * The distribution buckets of an open (metrics.md "Distributions"): stay time and depth, as SQL over
 * an open's facts. Their labels are in the contract (STAYTIME_BUCKETS, DEPTH_BUCKETS).
 */

/** Stay-time bucket (stay in ms): 1: s < 3, 2: 3 ≤ s < 6, … 8: s ≥ 101 seconds. */
export const STAYTIME_BUCKET_SQL = `multiIf(stay_ms < 3000, 1, stay_ms < 6000, 2, stay_ms < 11000, 3,
  stay_ms < 21000, 4, stay_ms < 31000, 5, stay_ms < 51000, 6, stay_ms < 101000, 7, 8)`;

/** Depth bucket: 1–5 as is, 6: 6–10 pages, 7: more than 10. */
export const DEPTH_BUCKET_SQL = 'multiIf(depth <= 5, depth, depth <= 10, 6, 7)';

/** The distributions of an open, one (index, key) pair each, for one pass over the opens (ARRAY JOIN). */
export const DISTRIBUTION_PAIRS_SQL = `[('source', toUInt8(open_source)), ('staytime', toUInt8(${STAYTIME_BUCKET_SQL})),
  ('depth', toUInt8(${DEPTH_BUCKET_SQL}))]`;

export type DistributionIndex = 'source' | 'staytime' | 'depth';
