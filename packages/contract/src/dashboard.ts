/**
 * The dashboard API (`/api/apps/:appid/…`): the query strings each report takes (zod schemas the
 * server parses with) and the JSON each answers (types the dashboard reads). Every report also
 * answers `format=csv` with a download of the same figures.
 *
 * Ranges: `from`, `to` (YYYY-MM-DD, default the 7 days ending yesterday; today may be asked for and
 * is partial), `filter=field:v1,v2` (repeatable, all must hold).
 */
import { z } from 'zod';
import { isDate } from './calendar.js';
import {
  isMetricId,
  type MetricId,
  type MetricMeta,
  type MetricValues,
  PAGE_SORTS,
  type PageFigureId,
  type PortraitDimension,
  REALTIME_STEPS,
} from './metrics.js';

/** Attributes of an open a report may be filtered on. */
export const FILTER_FIELDS = ['source', 'scene', 'platform', 'province', 'city', 'gender', 'brand', 'model'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
/** Fields whose values are numbers. */
export const NUMERIC_FILTER_FIELDS: readonly FilterField[] = ['source', 'scene', 'gender'];

const date = z.string().refine(isDate, 'must be a YYYY-MM-DD date');
const many = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const format = z.enum(['json', 'csv']).default('json');
const path = z.string().min(1).max(256);

export const rangeQuery = z.object({ from: date.optional(), to: date.optional(), filter: many.optional(), format });
export type RangeQueryString = z.input<typeof rangeQuery>;

export const overviewQuery = z.object({ date: date.optional(), format });

export const trendQuery = rangeQuery.extend({
  granularity: z.enum(['day', 'week', 'month', 'all']).default('day'),
  metrics: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .refine((ids) => ids.length > 0 && ids.every(isMetricId), 'unknown metric')
    .transform((ids) => ids as MetricId[])
    .optional(),
  /** A comparison range: its first day; its last defaults to as many days as the range. */
  compare_from: date.optional(),
  compare_to: date.optional(),
});

export const retentionQuery = rangeQuery.extend({ granularity: z.enum(['day', 'week', 'month']).default('day') });

export const scenesParams = z.object({ key: z.coerce.number().int().min(1).max(255) });

export const pagesQuery = rangeQuery.extend({
  sort: z.enum(PAGE_SORTS as [PageFigureId, ...PageFigureId[]]).default('page_visit_pv'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const pageTrendQuery = rangeQuery.extend({ path });

export const realtimeQuery = z.object({
  days: z
    .string()
    .transform((s) => s.split(','))
    .refine((days) => days.every(isDate), 'days must be YYYY-MM-DD dates')
    .optional(),
  step: z.coerce
    .number()
    .refine((s) => (REALTIME_STEPS as readonly number[]).includes(s), `step is one of ${REALTIME_STEPS}`)
    .default(5),
  path: path.optional(),
  format,
});

export const portraitQuery = rangeQuery.extend({
  /** The last 1, 7 or 30 days ending yesterday (instead of from/to). */
  days: z.enum(['1', '7', '30']).optional(),
  /** Only the cities of this province. */
  province: z.string().min(1).max(64).optional(),
});

/** The range a report answered for. */
export interface RangeAnswer {
  app: string;
  from: string;
  to: string;
}

/** GET /api/metrics */
export interface MetricList {
  metrics: MetricMeta[];
}

/** GET …/overview: a day's figures against a day, a week and a month before. */
export interface Overview {
  app: string;
  date: string;
  metrics: MetricMeta[];
  values: MetricValues;
  compare: Record<'day' | 'week' | 'month', { date: string; values: MetricValues }>;
}

export interface TrendRow {
  start: string;
  end: string;
  values: MetricValues;
}

/** GET …/trend */
export interface Trend extends RangeAnswer {
  granularity: 'day' | 'week' | 'month' | 'all';
  metrics: MetricMeta[];
  rows: TrendRow[];
  compare: { from: string; to: string; rows: TrendRow[] } | null;
}

/** Opens and distinct users of one key (a source, a bucket, a scene). */
export interface Counts {
  sessions: number;
  users: number;
}

export interface SourceItem extends Counts {
  key: number;
  name: string;
  /** Of all opens of the range. */
  share: number;
}

/** GET …/sources */
export interface Sources extends RangeAnswer {
  items: SourceItem[];
}

/** GET …/sources/:key/scenes */
export interface Scenes extends RangeAnswer {
  source: { key: number; name: string };
  items: Array<Counts & { scene: number; name: string }>;
}

export interface BucketItem extends Counts {
  key: number;
  label: string;
}

/** GET …/distribution: every stay-time and depth bucket, empty ones with zeros. */
export interface Distribution extends RangeAnswer {
  staytime: BucketItem[];
  depth: BucketItem[];
}

export interface RetentionCell {
  key: number;
  value: number;
  /** Of the cohort (key 0). */
  rate: number;
}

/** GET …/retention */
export interface Retention extends RangeAnswer {
  granularity: 'day' | 'week' | 'month';
  rows: Array<{ start: string; end: string; new: RetentionCell[]; active: RetentionCell[] }>;
}

export type PageFigures = { page_path: string } & Record<PageFigureId, number>;

export interface PageItem extends PageFigures {
  /** Of all page views of the range. */
  visit_share: number;
}

/** GET …/pages */
export interface Pages extends RangeAnswer {
  sort: PageFigureId;
  total_visit_pv: number;
  items: PageItem[];
}

/** GET …/pages/trend: one page per day, and over the range. */
export interface PageTrend extends RangeAnswer {
  path: string;
  total: PageFigures;
  days: Array<PageFigures & { day: string }>;
}

export interface RealtimePoint {
  /** Minutes after midnight at which the step starts. */
  minute: number;
  pv: number;
  uv: number;
  opens: number;
}

/** GET …/realtime */
export interface Realtime {
  app: string;
  step: number;
  path: string | null;
  series: Array<{ day: string; points: RealtimePoint[] }>;
}

export interface PortraitItem {
  id?: number;
  /** The value's name (a device model's marketing name). */
  name: string;
  /** Device models: the models' own codes counted under this name (kept for hover and CSV). */
  codes?: string[];
  visit_uv_new: number;
  visit_uv: number;
}

/** GET …/portrait */
export type Portrait = RangeAnswer & { city_province: string | null } & Record<PortraitDimension, PortraitItem[]> & {
    /** Cities with the province their users were placed in (`city` sums them by name). */
    cities_by_province: Array<PortraitItem & { province: string }>;
  };

/** GET …/ingest-status: the events stored for an app and when the last arrived (the 接入指南's live check). */
export interface IngestStatus {
  app: string;
  events: number;
  /** Epoch ms, or null before the first event. */
  last_received_at: number | null;
  /** The server's clock when it answered (epoch ms), so a page can say "n s ago" whatever its own. */
  server_time: number;
}
