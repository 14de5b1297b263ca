/**
 * 自定义分析's plain names and lists (custom-analysis.md), kept apart from the schemas of custom.ts
 * (which re-exports them) so that a bundle that takes only these — the dashboard's pickers — does
 * not carry zod: system fields with their Chinese names, the missing-value and path node names,
 * condition operators, funnel windows, saved report kinds.
 */

/** Attributes every custom event has, besides its properties (custom-analysis.md "System fields"). */
export const SYSTEM_FIELDS = [
  'path',
  'scene',
  'source',
  'province',
  'city',
  'platform',
  'brand',
  'model',
  'gender',
  'age',
  'network',
  'wechat',
  'baselib',
  'user_type',
] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

/** Chinese names of the system fields, as pickers show them. */
export const SYSTEM_FIELD_NAMES: Record<SystemField, string> = {
  path: '页面路径',
  scene: '场景值',
  source: '访问来源',
  province: '省份',
  city: '城市',
  platform: '平台',
  brand: '品牌',
  model: '机型',
  gender: '性别',
  age: '年龄',
  network: '网络',
  wechat: '微信版本',
  baselib: '基础库版本',
  user_type: '新老用户',
};

/** A missing value, as a group shows it. */
export const NO_VALUE = '(无值)';
/** Path nodes that gather what is not shown, and opens that end. */
export const OTHER_NODE = '其他';
export const EXIT_NODE = '离开';

export const CONDITION_OPS = [
  '=',
  '!=',
  'contains',
  'not_contains',
  '>',
  '>=',
  '<',
  '<=',
  'between',
  'has_value',
  'no_value',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export const MAX_CONDITIONS = 5;

/** Conversion windows the dashboard offers, in ms (any whole number of seconds may be asked). */
export const FUNNEL_WINDOWS = [30 * 60_000, 3_600_000, 86_400_000, 7 * 86_400_000] as const;

export const SAVED_REPORT_KINDS = ['events', 'funnel', 'paths', 'retention'] as const;
export type SavedReportKind = (typeof SAVED_REPORT_KINDS)[number];
