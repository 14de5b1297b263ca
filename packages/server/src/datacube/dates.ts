/**
 * WeChat's date rules for datacube requests (wechat-analytics.md §2.1–§2.2): `yyyymmdd` strings
 * (else 61500); per endpoint one day, one Monday–Sunday week, one calendar month, or the last 1, 7
 * or 30 days for the portrait; never later than yesterday in the deployment's calendar (else 61501).
 */
import { addDays, daysBetween, isDate, mondayOf, monthEnd, monthStart } from '@miniscope/contract';
import { WxError } from './errors.js';

export type RangeRule = 'day' | 'week' | 'month' | 'portrait';

export interface DayRange {
  /** 'YYYY-MM-DD' */
  from: string;
  to: string;
}

/** '20261005' (or the number 20261005) → '2026-10-05'; anything else → 61500. */
export function parseWxDate(value: unknown, field: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{8}$/.test(text)) throw new WxError('dateFormat', `${field} must be yyyymmdd`);
  const date = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (!isDate(date)) throw new WxError('dateFormat', `${field} is not a calendar date`);
  return date;
}

function ruleHolds(rule: RangeRule, from: string, to: string): boolean {
  if (rule === 'day') return from === to;
  if (rule === 'week') return mondayOf(from) === from && addDays(from, 6) === to;
  if (rule === 'month') return monthStart(from) === from && monthEnd(from) === to;
  return [0, 6, 29].includes(daysBetween(from, to));
}

const RULE_TEXT: Record<RangeRule, string> = {
  day: 'begin_date and end_date must be the same day',
  week: 'the range must be one week, Monday to Sunday',
  month: 'the range must be one calendar month',
  portrait: 'the range must be the last 1, 7 or 30 days',
};

/** Check a request body's dates against the endpoint's rule. */
export function parseRange(body: Record<string, unknown>, rule: RangeRule, yesterday: string): DayRange {
  const from = parseWxDate(body.begin_date, 'begin_date');
  const to = parseWxDate(body.end_date, 'end_date');
  if (from > to) throw new WxError('dateRange', 'begin_date is after end_date');
  if (!ruleHolds(rule, from, to)) throw new WxError('dateRange', RULE_TEXT[rule]);
  if (to > yesterday) throw new WxError('dateRange', `end_date must be ${yesterday.replaceAll('-', '')} or earlier`);
  return { from, to };
}
