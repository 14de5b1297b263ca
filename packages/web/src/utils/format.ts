/**
 * How figures are shown: counts with thousands separators, seconds as 秒 (or 分秒 past a minute),
 * rates as percentages, growth with a sign. Floats come unrounded from the API; rounding is done
 * here only.
 */
import type { MetricUnit } from '@miniscope/contract';
import { locale, t } from '../i18n';

const trim = (n: number, digits: number) => String(Number(n.toFixed(digits)));

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString(locale.value === 'en' ? 'en-US' : 'zh-CN');
}

/** A figure that may have decimals (averages, sums of prices): at most 2 of them; null (no value) as —. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString(locale.value === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 });
}

/** A duration in ms, in its two largest units (3天4小时, 2小时5分, 12分30秒, 8秒). */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return t('unit.seconds', { n: s });
  if (s < 3600) return t('unit.minSec', { m: Math.floor(s / 60), s: s % 60 });
  if (s < 86_400) return t('unit.hourMin', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  return t('unit.dayHour', { d: Math.floor(s / 86_400), h: Math.floor((s % 86_400) / 3600) });
}

export function formatSeconds(s: number): string {
  if (s < 60) return t('unit.seconds', { n: trim(s, 2) });
  const m = Math.floor(s / 60);
  return t('unit.minSec', { m, s: Math.round(s - m * 60) });
}

export function formatPercent(ratio: number, digits = 2): string {
  return `${trim(ratio * 100, digits)}%`;
}

export function formatValue(value: number | undefined, unit: MetricUnit): string {
  const v = value ?? 0;
  if (unit === 'seconds') return formatSeconds(v);
  if (unit === 'ratio') return formatPercent(v);
  if (unit === 'pages') return trim(v, 2);
  return formatCount(v);
}

/** Growth of `now` against `before` as a signed percentage, or null when there is nothing to compare. */
export function growth(now: number | undefined, before: number | undefined): number | null {
  if (!before) return null;
  return ((now ?? 0) - before) / before;
}

/**
 * Growth as a signed percentage: one decimal below ±100 %, whole percents from there (+2067%, not
 * +2066.7%), so that the figure stays short enough for a tile on a phone.
 */
export function formatGrowth(g: number | null): string {
  if (g === null) return t('growth.none');
  const sign = g > 0 ? '+' : g < 0 ? '−' : '';
  const percent = Math.abs(g) * 100;
  return `${sign}${trim(percent, percent >= 100 ? 0 : 1)}%`;
}

/** 'HH:MM' of a minute of the day. */
export function minuteLabel(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString(locale.value === 'en' ? 'en-US' : 'zh-CN', { hour12: false });
}
