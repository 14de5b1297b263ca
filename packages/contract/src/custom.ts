/**
 * 自定义分析 (docs/spec/custom-analysis.md): the queries and answers of event analysis, funnels,
 * paths and event retention, event management and saved reports, under `/api/apps/:appid/custom/…`.
 * A report's query travels as JSON in the `q` parameter of a GET (`?q={…}`, with `format=csv` for
 * its download), so a report is a link that can be saved and shared; the server parses it with the
 * schemas here.
 */
import { z } from 'zod';
import { daysBetween, isDate } from './calendar.js';
import {
  CONDITION_OPS,
  MAX_CONDITIONS,
  SAVED_REPORT_KINDS,
  type SavedReportKind,
  SYSTEM_FIELDS,
} from './custom-fields.js';

// NOTE: the plain names and lists live in custom-fields.ts (no zod), so that a bundle taking only
// them (the dashboard) leaves the schemas below out; they are exported from here as before.
export * from './custom-fields.js';

export const EVENT_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const eventName = z.string().regex(EVENT_NAME, 'an event name: lower-case letters, digits and _, at most 32');
const propName = z.string().min(1).max(64);

/** A property of the event, or a system field. */
export const fieldRef = z.union([
  z.object({ prop: propName }).strict(),
  z.object({ field: z.enum(SYSTEM_FIELDS) }).strict(),
]);
export type FieldRef = z.infer<typeof fieldRef>;

/**
 * One filter condition. String operators compare the text as sent (case-sensitive); number
 * operators read the value as a number (custom-analysis.md "Precise readings"). `between` takes
 * `value` and `to` (both included); `has_value`/`no_value` take no value.
 */
export const condition = z
  .object({
    on: fieldRef,
    op: z.enum(CONDITION_OPS),
    value: z.union([z.string().max(512), z.number().finite()]).optional(),
    to: z.number().finite().optional(),
  })
  .strict()
  .refine((c) => c.op === 'has_value' || c.op === 'no_value' || c.value !== undefined, 'this operator needs a value')
  .refine(
    (c) => c.op !== 'between' || (typeof c.value === 'number' && c.to !== undefined),
    'between needs two numbers',
  );
export type Condition = z.infer<typeof condition>;

export const filters = z
  .object({ match: z.enum(['all', 'any']).default('all'), conditions: z.array(condition).max(MAX_CONDITIONS) })
  .strict();
export type Filters = z.infer<typeof filters>;

/** Longest range of a custom report, in days (today included). */
export const MAX_CUSTOM_RANGE_DAYS = 366;
const day = z.string().refine(isDate, 'must be a YYYY-MM-DD date');
const range = { from: day, to: day };
const rangeCheck = (q: { from: string; to: string }) =>
  q.from <= q.to && daysBetween(q.from, q.to) < MAX_CUSTOM_RANGE_DAYS;
const RANGE_MESSAGE = `from must not be after to, and a range covers at most ${MAX_CUSTOM_RANGE_DAYS} days`;

export const EVENT_METRIC_KINDS = [
  'count',
  'users',
  'per_user',
  'sum',
  'avg',
  'max',
  'min',
  'per_user_sum',
  'distinct',
];
export const eventMetric = z.union([
  z.object({ kind: z.enum(['count', 'users', 'per_user']) }).strict(),
  z.object({ kind: z.enum(['sum', 'avg', 'max', 'min', 'per_user_sum', 'distinct']), prop: propName }).strict(),
]);
export type EventMetric = z.infer<typeof eventMetric>;

export const eventAnalysisQuery = z
  .object({
    event: eventName,
    metrics: z.array(eventMetric).min(1).max(5),
    filters: filters.optional(),
    group_by: z.array(fieldRef).max(5).default([]),
    granularity: z.enum(['hour', 'day', 'week', 'month', 'total']).default('day'),
    ...range,
    compare: z.object(range).strict().optional(),
  })
  .strict()
  .refine(rangeCheck, RANGE_MESSAGE);
export type EventAnalysisQuery = z.input<typeof eventAnalysisQuery>;

/** One combination of group values with its figures per time bucket and over the whole range. */
export interface EventSeries {
  /** The group's values, one per group-by field (missing: NO_VALUE); empty without group-by. */
  group: string[];
  /** Per bucket (EventAnalysis.buckets), one value per metric; null where a max/min has no value. */
  values: Array<Array<number | null>>;
  total: Array<number | null>;
}

export interface EventAnalysisPart {
  from: string;
  to: string;
  /** The buckets' starts: 'YYYY-MM-DD HH:00' by hour, else 'YYYY-MM-DD'; 'total': one, the range. */
  buckets: string[];
  /** Whether a bucket is partial: today's, and weeks and months cut by the range. */
  partial: boolean[];
  /** Every series, the top first (by the first metric over the whole range, ties by key). */
  series: EventSeries[];
}

/** GET …/custom/events?q= */
export interface EventAnalysis extends EventAnalysisPart {
  app: string;
  event: string;
  metrics: Array<{ label: string }>;
  group_by: Array<{ label: string }>;
  granularity: 'hour' | 'day' | 'week' | 'month' | 'total';
  /** How many series (from the top) the chart draws. */
  charted: number;
  compare: EventAnalysisPart | null;
}

export const funnelStep = z.object({ event: eventName, filters: z.array(condition).max(MAX_CONDITIONS).default([]) });
export const funnelQuery = z
  .object({
    steps: z.array(funnelStep).min(2).max(10),
    /** The conversion window in ms; default the whole range. */
    window_ms: z
      .number()
      .int()
      .min(1000)
      .max(366 * 86_400_000)
      .optional(),
    filters: filters.optional(),
    group_by: fieldRef.optional(),
    ...range,
  })
  .strict()
  .refine(rangeCheck, RANGE_MESSAGE)
  .refine(
    (q) => new Set(q.steps.map((s) => JSON.stringify([s.event, s.filters ?? []]))).size === q.steps.length,
    'two steps with the same event need different filters',
  );
export type FunnelQuery = z.input<typeof funnelQuery>;

export interface FunnelSteps {
  /** Users who reached each step. */
  users: number[];
  /** Each step's users ÷ the previous step's (the first: 1). */
  conversion: number[];
  /** Last step's users ÷ first step's. */
  overall: number;
  /** Median time to convert (ms) of the users who reached the last step; null if none did. */
  median_ms: number | null;
}

/** GET …/custom/funnel?q= */
export interface Funnel extends FunnelSteps {
  app: string;
  from: string;
  to: string;
  steps: Array<{ event: string; label: string }>;
  window_ms: number;
  /** With a group-by: the funnel of each group (its users' step-1 group), largest first. */
  groups: Array<FunnelSteps & { group: string }>;
  /** Per day of the users' first step-1 event: step-1 users and overall conversion. */
  over_time: Array<{ day: string; users: number; converted: number; overall: number }>;
}

export const pathQuery = z
  .object({
    /** Follow opens from a page (`from`), or the steps before a page (`to`). */
    direction: z.enum(['from', 'to']),
    /** The start (or end) page; from: omitted = each open's entry page. */
    page: z.string().min(1).max(256).optional(),
    steps: z.number().int().min(2).max(10).default(5),
    top: z.number().int().min(1).max(20).default(10),
    /** Custom events shown as nodes (`event:name`) among the pages. */
    events: z.array(eventName).max(10).default([]),
    ...range,
  })
  .strict()
  .refine(rangeCheck, RANGE_MESSAGE)
  .refine((q) => q.direction === 'from' || q.page !== undefined, 'paths to an end need its page');
export type PathQuery = z.input<typeof pathQuery>;

/** GET …/custom/paths?q= */
export interface Paths {
  app: string;
  from: string;
  to: string;
  direction: 'from' | 'to';
  page: string | null;
  /** Opens at each node of each step (steps from 1; OTHER_NODE gathers the rest of a step). */
  nodes: Array<{ step: number; name: string; opens: number }>;
  /** Opens going from a node at `step` to one at `step + 1` (EXIT_NODE: the open ended there). */
  links: Array<{ step: number; source: string; target: string; opens: number }>;
}

export const eventRetentionQuery = z
  .object({
    initial: funnelStep,
    return: funnelStep,
    granularity: z.enum(['day', 'week', 'month']).default('day'),
    ...range,
  })
  .strict()
  .refine(rangeCheck, RANGE_MESSAGE);
export type EventRetentionQuery = z.input<typeof eventRetentionQuery>;

/** GET …/custom/retention?q= */
export interface EventRetention {
  app: string;
  from: string;
  to: string;
  granularity: 'day' | 'week' | 'month';
  rows: Array<{ start: string; end: string; values: Array<{ key: number; value: number; rate: number }> }>;
}

export type PropType = 'number' | 'string';

export interface PropDef {
  name: string;
  type: PropType;
  /** Whether the type was declared (else inferred from the values of the last 30 days). */
  declared: boolean;
  display_name: string | null;
  description: string | null;
}

/** GET …/custom/event-defs: the events seen, with their properties. */
export interface EventDef {
  name: string;
  display_name: string | null;
  description: string | null;
  hidden: boolean;
  first_seen: number;
  last_seen: number;
  /** Events in the last 7 days (today included). */
  count_7d: number;
  props: PropDef[];
}

/** GET …/custom/event-defs/:name/props/:prop/values: up to 100 most frequent values. */
export interface PropValues {
  values: Array<{ value: string; count: number }>;
}

const label = z.string().max(32).nullable().optional();
const text = z.string().max(500).nullable().optional();
/** PUT …/custom/event-defs/:name */
export const eventDefChange = z
  .object({ display_name: label, description: text, hidden: z.boolean().optional() })
  .strict();
/** PUT …/custom/props/:prop (a type is declared once). */
export const propDefChange = z
  .object({ display_name: label, description: text, type: z.enum(['number', 'string']).optional() })
  .strict();

/** POST …/saved-reports, PUT …/saved-reports/:id */
export const savedReportBody = z
  .object({
    kind: z.enum(SAVED_REPORT_KINDS),
    name: z.string().min(1).max(64),
    query: z.record(z.string(), z.unknown()),
  })
  .strict();

export interface SavedReport {
  id: number;
  kind: SavedReportKind;
  name: string;
  /** The report's query (the `q` of its GET). */
  query: Record<string, unknown>;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** Whether the caller may rename or delete it (its author or the app's admin). */
  can_change: boolean;
}
