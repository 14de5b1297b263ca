/**
 * What the figures are called and measured in, shared by the server (its API, CSV headers, the
 * datacube field names) and the dashboard (units, order, bucket lists). How each is computed lives
 * with the server's definitions (packages/server/src/metrics/definitions), which take the ids and
 * names from here. Names are WeChat's, in Chinese; the dashboard translates them by id.
 */

export type MetricUnit = 'count' | 'seconds' | 'ratio' | 'pages';

export interface FigureMeta<Id extends string = string> {
  id: Id;
  /** Chinese name as WeChat shows it. */
  name: string;
  unit: MetricUnit;
}

export interface DailyFigureMeta<Id extends string = string> extends FigureMeta<Id> {
  /** Field name in the datacube API, when the API has the figure. */
  datacube?: string;
}

/** The daily, weekly and monthly figures (metrics.md), in the API's order. */
export const DAILY_FIGURES = [
  { id: 'visit_total', name: '累计用户数', unit: 'count', datacube: 'visit_total' },
  { id: 'session_cnt', name: '打开次数', unit: 'count', datacube: 'session_cnt' },
  { id: 'visit_pv', name: '访问次数', unit: 'count', datacube: 'visit_pv' },
  { id: 'visit_uv', name: '访问人数', unit: 'count', datacube: 'visit_uv' },
  { id: 'visit_uv_new', name: '新用户数', unit: 'count', datacube: 'visit_uv_new' },
  { id: 'stay_time_uv', name: '人均停留时长', unit: 'seconds', datacube: 'stay_time_uv' },
  { id: 'stay_time_session', name: '次均停留时长', unit: 'seconds', datacube: 'stay_time_session' },
  { id: 'visit_depth', name: '平均访问深度', unit: 'pages', datacube: 'visit_depth' },
  { id: 'share_pv', name: '分享次数', unit: 'count', datacube: 'share_pv' },
  { id: 'share_uv', name: '分享人数', unit: 'count', datacube: 'share_uv' },
  { id: 'bounce_rate', name: '跳出率', unit: 'ratio' },
] as const satisfies readonly DailyFigureMeta[];

export type MetricId = (typeof DAILY_FIGURES)[number]['id'];
export type MetricMeta = FigureMeta<MetricId>;
export type MetricValues = Partial<Record<MetricId, number>>;
export const METRIC_IDS: MetricId[] = DAILY_FIGURES.map((f) => f.id);

export const isMetricId = (id: string): id is MetricId => METRIC_IDS.includes(id as MetricId);

/** The metadata of a daily figure. */
export function metricMeta(id: MetricId): MetricMeta {
  const { name, unit } = DAILY_FIGURES.find((f) => f.id === id)!;
  return { id, name, unit };
}

/** A daily figure's field name in the datacube API, if the API has it. */
export function datacubeField(id: MetricId): string | undefined {
  return (DAILY_FIGURES as readonly DailyFigureMeta[]).find((f) => f.id === id)?.datacube;
}

/** Page figures (metrics.md "Pages"), in the 页面详情 table's order; rates and shares last. */
export const PAGE_FIGURES = [
  { id: 'page_visit_pv', name: '访问次数', unit: 'count' },
  { id: 'page_visit_uv', name: '访问人数', unit: 'count' },
  { id: 'page_staytime_pv', name: '次均停留时长', unit: 'seconds' },
  { id: 'entrypage_pv', name: '入口页次数', unit: 'count' },
  { id: 'exitpage_pv', name: '退出页次数', unit: 'count' },
  { id: 'exit_rate', name: '退出率', unit: 'ratio' },
  { id: 'page_share_pv', name: '分享次数', unit: 'count' },
  { id: 'page_share_uv', name: '分享人数', unit: 'count' },
] as const satisfies readonly FigureMeta[];

export type PageFigureId = (typeof PAGE_FIGURES)[number]['id'];
/** A page list may be sorted by any page figure (descending). */
export const PAGE_SORTS: PageFigureId[] = PAGE_FIGURES.map((f) => f.id);

/** Stay-time buckets of an open (metrics.md "Distributions"), key → label. */
export const STAYTIME_BUCKETS: Readonly<Record<number, string>> = {
  1: '0-2秒',
  2: '3-5秒',
  3: '6-10秒',
  4: '11-20秒',
  5: '21-30秒',
  6: '31-50秒',
  7: '51-100秒',
  8: '100秒以上',
};

/** Depth buckets of an open, key → label. */
export const DEPTH_BUCKETS: Readonly<Record<number, string>> = {
  1: '1页',
  2: '2页',
  3: '3页',
  4: '4页',
  5: '5页',
  6: '6-10页',
  7: '10页以上',
};

/** Portrait dimensions (metrics.md "User portrait") and their names. */
export const PORTRAIT_DIMENSIONS = ['province', 'city', 'genders', 'platforms', 'devices', 'ages'] as const;
export type PortraitDimension = (typeof PORTRAIT_DIMENSIONS)[number];
export const PORTRAIT_DIMENSION_NAMES: Record<PortraitDimension, string> = {
  province: '省份',
  city: '城市',
  genders: '性别',
  platforms: '终端',
  devices: '机型',
  ages: '年龄',
};

export const UNKNOWN = '未知';
/** Ids of the portrait dimensions that have them (the datacube's and WeChat's). */
export const GENDER_NAMES: Readonly<Record<number, string>> = { 0: UNKNOWN, 1: '男', 2: '女' };
// NOTE: 'android' in lower case, as WeChat's API names it; the dashboard capitalises for display.
export const PLATFORM_NAMES: Readonly<Record<number, string>> = { 1: 'iPhone', 2: 'android', 3: '其他' };
export const AGE_NAMES: Readonly<Record<number, string>> = {
  0: UNKNOWN,
  1: '17岁以下',
  2: '18-24岁',
  3: '25-29岁',
  4: '30-39岁',
  5: '40-49岁',
  6: '50岁以上',
};

/** Retention keys per granularity (metrics.md "Retention"). */
export const RETENTION_KEYS = {
  day: [0, 1, 2, 3, 4, 5, 6, 7, 14, 30],
  week: [0, 1, 2, 3, 4],
  month: [0, 1],
} as const satisfies Record<'day' | 'week' | 'month', readonly number[]>;

/** Real time steps, in minutes. */
export const REALTIME_STEPS = [1, 5, 10, 30, 60] as const;
export type RealtimeStep = (typeof REALTIME_STEPS)[number];
