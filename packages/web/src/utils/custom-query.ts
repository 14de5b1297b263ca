/**
 * The query builders' plain logic, shared by the four 自定义分析 screens: the fields an event
 * offers (its properties, then the system fields), the operators of each type, conditions made
 * complete (or left out) before a query is sent, the metrics an event offers, a query read back
 * from a link's `q`, the events a saved query is about, and the default query of each report. No
 * Vue, no i18n: testable in Node.
 */
import {
  type Condition,
  type ConditionOp,
  type EventAnalysisQuery,
  type EventDef,
  type EventMetric,
  type EventRetentionQuery,
  type FieldRef,
  type Filters,
  type FunnelQuery,
  type PathQuery,
  type PropType,
  type SavedReportKind,
  SYSTEM_FIELDS,
  type SystemField,
} from '@miniscope/contract';
import type { DateRange } from './dates';

/** A field a picker offers: a property of the event (with its type) or a system field (text). */
export interface FieldOption {
  ref: FieldRef;
  key: string;
  type: PropType;
  /** The property's display name, if set (system fields are named by the i18n dictionary). */
  display: string | null;
}

export const fieldKey = (f: FieldRef): string => ('prop' in f ? `prop:${f.prop}` : `field:${f.field}`);

export function fieldFromKey(key: string): FieldRef {
  if (key.startsWith('prop:')) return { prop: key.slice(5) };
  return { field: key.slice(6) as SystemField };
}

/** The properties of the events named (each once, first seen first), then every system field. */
export function fieldsOf(defs: readonly EventDef[], events: readonly string[]): FieldOption[] {
  const seen = new Map<string, FieldOption>();
  for (const name of events)
    for (const p of defs.find((e) => e.name === name)?.props ?? [])
      if (!seen.has(p.name))
        seen.set(p.name, { ref: { prop: p.name }, key: `prop:${p.name}`, type: p.type, display: p.display_name });
  const system = SYSTEM_FIELDS.map(
    (f): FieldOption => ({ ref: { field: f }, key: `field:${f}`, type: 'string', display: null }),
  );
  return [...seen.values(), ...system];
}

export const STRING_OPS: readonly ConditionOp[] = ['=', '!=', 'contains', 'not_contains', 'has_value', 'no_value'];
export const NUMBER_OPS: readonly ConditionOp[] = ['=', '!=', '>', '>=', '<', '<=', 'between', 'has_value', 'no_value'];
export const opsFor = (type: PropType): readonly ConditionOp[] => (type === 'number' ? NUMBER_OPS : STRING_OPS);
export const takesValue = (op: ConditionOp): boolean => op !== 'has_value' && op !== 'no_value';

/** The type a field reads as: a property's (text if unknown), text for a system field. */
export function typeOf(f: FieldRef, fields: readonly FieldOption[]): PropType {
  return fields.find((o) => o.key === fieldKey(f))?.type ?? 'string';
}

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * A condition as the server takes it, or null while it is incomplete (no value yet, an operator
 * its field's type does not have): the editor keeps it, the query leaves it out.
 */
export function completeCondition(c: Condition, type: PropType): Condition | null {
  if (!opsFor(type).includes(c.op)) return null;
  if (!takesValue(c.op)) return { on: c.on, op: c.op };
  if (type === 'string')
    return typeof c.value === 'string' && c.value !== '' ? { on: c.on, op: c.op, value: c.value } : null;
  const value = asNumber(c.value);
  if (value === undefined) return null;
  if (c.op !== 'between') return { on: c.on, op: c.op, value };
  const to = asNumber(c.to);
  return to === undefined ? null : { on: c.on, op: c.op, value: Math.min(value, to), to: Math.max(value, to) };
}

export function completeConditions(list: readonly Condition[], fields: readonly FieldOption[]): Condition[] {
  return list.flatMap((c) => completeCondition(c, typeOf(c.on, fields)) ?? []);
}

/** Funnel-wide or event filters: undefined when no condition is complete. */
export function completeFilters(
  f: { match?: Filters['match']; conditions: Condition[] } | undefined,
  fields: readonly FieldOption[],
): Filters | undefined {
  const conditions = completeConditions(f?.conditions ?? [], fields);
  return conditions.length ? { match: f?.match ?? 'all', conditions } : undefined;
}

/** A new condition on a field: its type's first operator, no value yet. */
export const newCondition = (on: FieldRef): Condition => ({ on, op: '=' });

/** The metrics an event offers: the three counts, then per number property five, per text one. */
export function metricsOf(fields: readonly FieldOption[]): EventMetric[] {
  const base: EventMetric[] = [{ kind: 'count' }, { kind: 'users' }, { kind: 'per_user' }];
  const props = fields.flatMap((f): EventMetric[] => {
    if (!('prop' in f.ref)) return [];
    const prop = f.ref.prop;
    if (f.type === 'string') return [{ kind: 'distinct', prop }];
    return (['sum', 'avg', 'max', 'min', 'per_user_sum'] as const).map((kind) => ({ kind, prop }));
  });
  return [...base, ...props];
}

export const metricKey = (m: EventMetric): string => ('prop' in m ? `${m.kind}:${m.prop}` : m.kind);

/** Events a picker offers: the ones not hidden, most frequent first; `keep` stays even if hidden. */
export function pickableEvents(defs: readonly EventDef[], keep: readonly string[] = []): EventDef[] {
  return defs
    .filter((e) => !e.hidden || keep.includes(e.name))
    .sort((a, b) => b.count_7d - a.count_7d || a.name.localeCompare(b.name));
}

/** Longest range that can be read by the hour. */
export const MAX_HOURLY_DAYS = 31;

/** A report's query from a link's `q`, if it is a JSON object with the fields its kind needs. */
export function readQuery(text: unknown, required: readonly string[]): Record<string, unknown> | null {
  if (typeof text !== 'string' || text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const query = value as Record<string, unknown>;
  return required.every((k) => query[k] !== undefined) ? query : null;
}

export const REQUIRED = {
  events: ['event', 'metrics', 'from', 'to'],
  funnel: ['steps', 'from', 'to'],
  paths: ['direction', 'from', 'to'],
  retention: ['initial', 'return', 'from', 'to'],
} as const;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const eventOf = (step: unknown): string =>
  typeof step === 'object' && step !== null ? text((step as { event?: unknown }).event) : '';

/**
 * The events a saved query is about, in order: the event analysed, a funnel's steps, retention's
 * initial and return events; none for paths (they are about a page). A saved query is read as
 * stored, so anything missing reads as ''.
 */
export function queryEvents(kind: SavedReportKind, query: Record<string, unknown>): string[] {
  if (kind === 'events') return [text(query.event)];
  if (kind === 'funnel') return Array.isArray(query.steps) ? query.steps.map(eventOf) : [];
  if (kind === 'retention') return [eventOf(query.initial), eventOf(query.return)];
  return [];
}

/** The default queries, on the events most sent (`events`: pickable, most frequent first). */
export const defaults = {
  events: (events: readonly EventDef[], range: DateRange): EventAnalysisQuery => ({
    event: events[0]?.name ?? '',
    metrics: [{ kind: 'count' }, { kind: 'users' }],
    group_by: [],
    granularity: 'day',
    ...range,
  }),
  funnel: (events: readonly EventDef[], range: DateRange): FunnelQuery => ({
    steps: [0, 1].map((i) => ({ event: events[i]?.name ?? events[0]?.name ?? '', filters: [] })),
    ...range,
  }),
  paths: (range: DateRange): PathQuery => ({ direction: 'from', steps: 5, top: 10, events: [], ...range }),
  retention: (events: readonly EventDef[], range: DateRange): EventRetentionQuery => ({
    initial: { event: events[0]?.name ?? '', filters: [] },
    return: { event: events[0]?.name ?? '', filters: [] },
    granularity: 'day',
    ...range,
  }),
};
