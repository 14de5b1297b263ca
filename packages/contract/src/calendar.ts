/**
 * Calendar arithmetic on plain dates ('YYYY-MM-DD'), and the periods of metrics.md: days,
 * Monday–Sunday weeks and calendar months. Dates here carry no time zone: a date is a day of the
 * deployment's calendar, and only `todayIn` turns an instant into one. The server and the dashboard
 * both count with these.
 */

export type Granularity = 'day' | 'week' | 'month';

export interface Period {
  /** First day of the period. */
  start: string;
  /** Last day of the period (inclusive). */
  end: string;
}

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written 'YYYY-MM-DD'. */
export function isDate(s: string): boolean {
  const m = DATE_PATTERN.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

// NOTE: date-only arithmetic runs in UTC on purpose: it never crosses a daylight-saving change.
const toUtc = (s: string) => Date.parse(`${s}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(toUtc(date));
  return fromUtc(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const weekday = (new Date(toUtc(date)).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function monthEnd(date: string): string {
  return addDays(addMonths(monthStart(date), 1), -1);
}

/** The period of the given granularity that holds `date`. */
export function periodOf(date: string, granularity: Granularity): Period {
  if (granularity === 'day') return { start: date, end: date };
  if (granularity === 'week') {
    const start = mondayOf(date);
    return { start, end: addDays(start, 6) };
  }
  return { start: monthStart(date), end: monthEnd(date) };
}

/** The period `n` periods after the one starting at `start`. */
export function shiftPeriod(start: string, n: number, granularity: Granularity): Period {
  if (granularity === 'day') return periodOf(addDays(start, n), 'day');
  if (granularity === 'week') return periodOf(addDays(start, 7 * n), 'week');
  return periodOf(addMonths(start, n), 'month');
}

/** Every period overlapping [from, to], in order. */
export function periodsIn(from: string, to: string, granularity: Granularity): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(from, granularity); p.start <= to; p = shiftPeriod(p.start, 1, granularity)) out.push(p);
  return out;
}

/** A date formatter per time zone (making one costs far more than formatting with it). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date in a time zone, at instant `now` (epoch ms). */
export function todayIn(timeZone: string, now: number): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // NOTE: en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(now));
}

/** 'YYYY-MM-DD' → 'YYYYMMDD' (WeChat's form). */
export const compact = (date: string) => date.replaceAll('-', '');
