/**
 * The engine's queries: an app, a range of days of the deployment's calendar and up to five filters
 * on attributes of the open, with their validation. Both front doors (dashboard, datacube) turn
 * their requests into these; reports add their own fields (a granularity, a sort, …).
 */
import { daysBetween, FILTER_FIELDS, type FilterField, isDate, NUMERIC_FILTER_FIELDS } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import type { Freshness } from './freshness.js';

/** A period grouping: the calendar periods of metrics.md, or the whole range as one period. */
export type Grouping = 'day' | 'week' | 'month' | 'all';

/** The open's attribute is one of `values`. */
export interface Filter {
  field: FilterField;
  values: Array<string | number>;
}

/**
 * Where opens are read from: compacted opens with the rollup for dirty days (the default), the
 * open rollup alone, or raw events (the reference both are tested against).
 */
export type OpensSource = 'compacted' | 'open_rollup' | 'events';

export interface RangeQuery {
  app: string;
  /** First day, 'YYYY-MM-DD', inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  filters?: Filter[];
  /** Where opens are read from (tests compare the sources); default compacted opens. */
  opensFrom?: OpensSource;
  /** Compaction's state for compacted reads: the report pipeline fills it in; callers leave it out. */
  fresh?: Freshness;
}

export const MAX_FILTERS = 5;
export const MAX_FILTER_VALUES = 100;
/** Longest range a query may cover, in days (a little over a year). */
export const MAX_RANGE_DAYS = 400;

/** Check a range query; throws naming the first problem. */
export function checkRange(q: RangeQuery): void {
  if (!q.app) throw new MiniscopeError('bad_query', 'an app is required');
  for (const [name, d] of [
    ['from', q.from],
    ['to', q.to],
  ] as const) {
    if (typeof d !== 'string' || !isDate(d)) throw new MiniscopeError('bad_date', `${name} must be a YYYY-MM-DD date`);
  }
  if (q.from > q.to) throw new MiniscopeError('bad_range', 'from is after to');
  if (daysBetween(q.from, q.to) >= MAX_RANGE_DAYS)
    throw new MiniscopeError('bad_range', `a range covers at most ${MAX_RANGE_DAYS} days`);
  checkFilters(q.filters ?? []);
}

export function checkGrouping(grouping: string, allowed: readonly Grouping[]): void {
  if (!allowed.includes(grouping as Grouping)) throw new MiniscopeError('bad_query', `unknown granularity ${grouping}`);
}

const validValue = (field: FilterField, v: unknown) =>
  NUMERIC_FILTER_FIELDS.includes(field)
    ? Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 65535
    : typeof v === 'string';

function checkFilters(filters: Filter[]): void {
  if (filters.length > MAX_FILTERS) throw new MiniscopeError('bad_filter', `at most ${MAX_FILTERS} filters`);
  for (const f of filters) {
    if (!FILTER_FIELDS.includes(f.field)) throw new MiniscopeError('bad_filter', `unknown filter field ${f.field}`);
    if (!Array.isArray(f.values) || f.values.length === 0 || f.values.length > MAX_FILTER_VALUES)
      throw new MiniscopeError('bad_filter', `filter ${f.field} needs 1 to ${MAX_FILTER_VALUES} values`);
    const bad = f.values.find((v) => !validValue(f.field, v));
    if (bad !== undefined)
      throw new MiniscopeError('bad_filter', `bad value ${JSON.stringify(bad)} for filter ${f.field}`);
  }
}
