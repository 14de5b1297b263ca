/**
 * The periods a report groups by: calendar days, weeks and months clipped to the range, or the
 * whole range as one period, in JS (the rows a report answers) and in SQL (the rows' period).
 */
import { type Period, periodsIn } from '@miniscope/contract';
import type { Grouping } from './query.js';

/** The range's periods, clipped to it; 'all' is the range itself. */
export function rangePeriods(from: string, to: string, grouping: Grouping): Period[] {
  if (grouping === 'all') return [{ start: from, end: to }];
  return periodsIn(from, to, grouping).map((p) => ({
    start: p.start < from ? from : p.start,
    end: p.end > to ? to : p.end,
  }));
}

/** SQL of the start of a row's period (before clipping) from a date column. */
export function periodStartSql(grouping: Grouping, column: string, fromParam: string): string {
  if (grouping === 'day') return column;
  if (grouping === 'week') return `toMonday(${column})`;
  if (grouping === 'month') return `toStartOfMonth(${column})`;
  return fromParam;
}

/** SQL of a row's clipped period start ('YYYY-MM-DD'), from its open day (column `day`). */
export const clippedPeriodSql = (grouping: Grouping, fromParam: string) =>
  `toString(greatest(${periodStartSql(grouping, 'day', fromParam)}, ${fromParam}))`;
