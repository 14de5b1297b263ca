/**
 * The dashboard's own date helpers: the preset ranges of the date pickers (WeChat's: a day, 7 or
 * 30 days ending yesterday; whole Monday–Sunday weeks; whole calendar months; and, unlike WeChat's
 * T+1, today, this week and this month so far), the local dates of the picker widgets, and the
 * minute of the day. The calendar arithmetic itself is the server's, from the contract.
 */
import { addDays, addMonths, daysBetween, mondayOf, monthEnd, monthStart } from '@miniscope/contract';

/** A Date at local midnight of a plain date (for date-picker widgets, which use local dates). */
export function toLocalDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

export function fromLocalDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface DateRange {
  from: string;
  to: string;
}

/** The last whole week (Monday–Sunday) that has ended by `yesterday`. */
export function lastWholeWeekEnd(yesterday: string): string {
  const monday = mondayOf(yesterday);
  return addDays(monday, 6) === yesterday ? yesterday : addDays(monday, -1);
}

/** The last whole month that has ended by `yesterday`. */
export function lastWholeMonthEnd(yesterday: string): string {
  return monthEnd(yesterday) === yesterday ? yesterday : addDays(monthStart(yesterday), -1);
}

export const lastDays = (yesterday: string, n: number): DateRange => ({
  from: addDays(yesterday, 1 - n),
  to: yesterday,
});

export function lastWeeks(yesterday: string, n: number): DateRange {
  const to = lastWholeWeekEnd(yesterday);
  return { from: addDays(to, 1 - 7 * n), to };
}

export function lastMonths(yesterday: string, n: number): DateRange {
  const to = lastWholeMonthEnd(yesterday);
  return { from: addMonths(monthStart(to), 1 - n), to };
}

/** Today alone (a running, partial day). */
export const todayRange = (today: string): DateRange => ({ from: today, to: today });

/** This week (Monday–Sunday) so far: Monday to today. */
export const thisWeek = (today: string): DateRange => ({ from: mondayOf(today), to: today });

/** This month so far: its first day to today. */
export const thisMonth = (today: string): DateRange => ({ from: monthStart(today), to: today });

/**
 * Widen a range to whole weeks or months (the server clips periods to the range otherwise), but
 * never past `latest` (today: the current week or month is taken so far).
 */
export function snapRange(r: DateRange, granularity: 'day' | 'week' | 'month', latest?: string): DateRange {
  const upTo = (to: string) => (latest !== undefined && to > latest ? latest : to);
  if (granularity === 'week') return { from: mondayOf(r.from), to: upTo(addDays(mondayOf(r.to), 6)) };
  if (granularity === 'month') return { from: monthStart(r.from), to: upTo(monthEnd(r.to)) };
  return r;
}

/** The range of the same length just before `r`. */
export function previousRange(r: DateRange): DateRange {
  const n = daysBetween(r.from, r.to) + 1;
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/** 'YYYY-MM-DD' → 'MM-DD' for chart axes. */
export const shortDate = (date: string) => date.slice(5);

/** Minutes since midnight now, in the deployment's calendar. */
export function minuteOfDay(timeZone: string, now = Date.now()): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}
