/**
 * The words of the 自定义分析 screens, in their own dictionaries (custom-zh.ts, custom-en.ts), so
 * that only these screens carry them; the active language is the dashboard's (`locale`). Also the
 * names these screens build from ids: system fields, operators, metrics, granularities, and group
 * values the server writes in Chinese (性别, 年龄, 新老用户, (无值)) shown in English.
 */
import {
  AGE_NAMES,
  type ConditionOp,
  type EventDef,
  type EventMetric,
  type FieldRef,
  NO_VALUE,
  type SystemField,
} from '@miniscope/contract';
import { customEn } from './custom-en';
import { customZh } from './custom-zh';
import { locale } from './index';
import { portraitName, sourceName } from './names';

export type CustomKey = keyof typeof customZh;

/** The message for `key` in the active language, with `{name}` placeholders filled from `vars`. */
export function tc(key: CustomKey, vars: Record<string, string | number> = {}): string {
  const text = (locale.value === 'en' ? customEn : customZh)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export const systemFieldName = (f: SystemField): string => tc(`field.${f}`);

/** A property by its display name when set, else its name. */
export function propName(prop: string, defs: readonly EventDef[]): string {
  for (const e of defs) {
    const p = e.props.find((x) => x.name === prop);
    if (p?.display_name) return p.display_name;
  }
  return prop;
}

export const fieldName = (f: FieldRef, defs: readonly EventDef[]): string =>
  'prop' in f ? propName(f.prop, defs) : systemFieldName(f.field);

/** An event by its display name when set, else its name. */
export const eventName = (name: string, defs: readonly EventDef[]): string =>
  defs.find((e) => e.name === name)?.display_name || name;

const OPS: Record<ConditionOp, CustomKey> = {
  '=': 'op.eq',
  '!=': 'op.ne',
  contains: 'op.contains',
  not_contains: 'op.notContains',
  '>': 'op.gt',
  '>=': 'op.ge',
  '<': 'op.lt',
  '<=': 'op.le',
  between: 'op.between',
  has_value: 'op.hasValue',
  no_value: 'op.noValue',
};
export const opName = (op: ConditionOp): string => tc(OPS[op]);

export function metricName(m: EventMetric, defs: readonly EventDef[]): string {
  if (!('prop' in m)) return tc(`metric.${m.kind}`);
  return tc(`metric.${m.kind}`, { prop: propName(m.prop, defs) });
}

const VALUES_EN: Record<string, string> = {
  [NO_VALUE]: '(no value)',
  新用户: 'New',
  老用户: 'Returning',
  男: 'Male',
  女: 'Female',
  未知: 'Unknown',
};

/**
 * A group's value as shown: as the server wrote it, but for its Chinese words in English (a
 * property's own values are shown as sent, only "no value" is translated).
 */
export function groupValue(f: FieldRef, value: string): string {
  if (locale.value !== 'en') return value;
  if (value === NO_VALUE || !('prop' in f)) {
    const word = VALUES_EN[value];
    if (word) return word;
  }
  if ('prop' in f) return value;
  if (f.field === 'source' && /^\d+$/.test(value)) return sourceName('en', Number(value), value);
  if (f.field === 'province') return portraitName('en', 'province', { name: value });
  if (f.field === 'age') {
    const id = Object.entries(AGE_NAMES).find(([, name]) => name === value)?.[0];
    return portraitName('en', 'ages', { id: Number(id), name: value });
  }
  return value;
}
