/**
 * How 事件分析's time buckets are written: on the chart's axis (short: 'MM-DD', 'MM-DD HH:00',
 * 'YYYY-MM'; partial ones starred) and in the table (whole dates, a week as its first and last day
 * within the range). The server gives each bucket's start, clipped to the range.
 */
import { periodOf } from '@miniscope/contract';

export type EventGranularity = 'hour' | 'day' | 'week' | 'month' | 'total';

export function axisLabel(start: string, g: EventGranularity, partial: boolean): string {
  const text = g === 'month' ? start.slice(0, 7) : start.slice(5);
  return partial ? `${text}*` : text;
}

/** A bucket in the table: its day or hour, its week's days within the range, its month. */
export function bucketLabel(start: string, g: EventGranularity, to: string): string {
  if (g === 'hour' || g === 'day') return start;
  if (g === 'month') return start.slice(0, 7);
  if (g === 'total') return `${start} ~ ${to}`;
  const end = periodOf(start, 'week').end;
  return `${start} ~ ${end < to ? end : to}`;
}
