/**
 * The query types of the metrics engine, shared by both front doors (dashboard and datacube), and
 * their validation. A query names an app, a date range of the deployment's calendar, a
 * granularity and up to five filters on attributes of the open; everything else is derived.
 */

import type { Freshness } from './compacted-days.js';
import { daysBetween, type Granularity, isDate } from './dates.js';
import type { OpensSource } from './opens-sql.js';

/** A period grouping: the calendar periods of metrics.md, or the whole range as one period. */
export type Grouping = Granularity | 'all';

/** Attributes of an open a query may filter on (a whitelist; see opens-sql.ts). */
export const FILTER_FIELDS = ['source', 'scene', 'platform', 'province', 'city', 'gender', 'brand', 'model'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** The open's attribute is one of `values`. */
export interface Filter {
  field: FilterField;
  values: Array<string | number>;
}

export interface RangeQuery {
  app: string;
  /** First day, 'YYYY-MM-DD', inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  filters?: Filter[];
  /** Where opens are read from (tests compare the rollup with raw events); default compacted opens. */
  opensFrom?: OpensSource;
  /** Compaction's state for compacted reads: each report fills it in (withFreshness); callers leave it out. */
  fresh?: Freshness;
}

export const MAX_FILTERS = 5;
export const MAX_FILTER_VALUES = 100;
/** Longest range a query may cover, in days (a little over a year). */
export const MAX_RANGE_DAYS = 400;

export class MetricQueryError extends Error {
  override name = 'MetricQueryError';
  constructor(
    readonly code: 'bad_date' | 'bad_range' | 'bad_filter' | 'bad_metric' | 'bad_query',
    message: string,
  ) {
    super(message);
  }
}

/** Check a range query; throws MetricQueryError naming the first problem. */
export function checkRange(q: RangeQuery): void {
  if (!q.app) throw new MetricQueryError('bad_query', 'an app is required');
  for (const [name, d] of [
    ['from', q.from],
    ['to', q.to],
  ] as const) {
    if (typeof d !== 'string' || !isDate(d))
      throw new MetricQueryError('bad_date', `${name} must be a YYYY-MM-DD date`);
  }
  if (q.from > q.to) throw new MetricQueryError('bad_range', 'from is after to');
  if (daysBetween(q.from, q.to) >= MAX_RANGE_DAYS)
    throw new MetricQueryError('bad_range', `a range covers at most ${MAX_RANGE_DAYS} days`);
  checkFilters(q.filters ?? []);
}

function checkFilters(filters: Filter[]): void {
  if (filters.length > MAX_FILTERS) throw new MetricQueryError('bad_filter', `at most ${MAX_FILTERS} filters`);
  for (const f of filters) {
    if (!FILTER_FIELDS.includes(f.field)) throw new MetricQueryError('bad_filter', `unknown filter field ${f.field}`);
    if (!Array.isArray(f.values) || f.values.length === 0 || f.values.length > MAX_FILTER_VALUES)
      throw new MetricQueryError('bad_filter', `filter ${f.field} needs 1 to ${MAX_FILTER_VALUES} values`);
    const numeric = f.field === 'source' || f.field === 'scene' || f.field === 'gender';
    for (const v of f.values) {
      const ok = numeric ? Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 65535 : typeof v === 'string';
      if (!ok) throw new MetricQueryError('bad_filter', `bad value ${JSON.stringify(v)} for filter ${f.field}`);
    }
  }
}
