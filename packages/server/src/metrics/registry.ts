/**
 * The metric registry: every figure of metrics.md "Daily, weekly, monthly figures" defined once —
 * id, name, unit, datacube field and ClickHouse expression. The dashboard, the datacube API and CSV
 * exports all read these definitions.
 *
 * An `opens` metric is an aggregate over the counted opens of one period, whose rows carry uid,
 * pvs, stay_ms, depth, shares, first_day (the user's first counted open ever) and p_start (the
 * period's first day within the range). `visit_total` is cumulative instead: users whose first
 * counted open is on or before the period's last day. Ratios with a zero divisor are 0.
 */
import type { OpenColumn } from './opens-sql.js';

export type MetricUnit = 'count' | 'seconds' | 'ratio' | 'pages';

interface BaseMetric {
  id: string;
  /** Chinese name as WeChat shows it. */
  name: string;
  unit: MetricUnit;
  /** Field name in the datacube API, when the API has the figure. */
  datacube?: string;
}

export interface OpensMetric extends BaseMetric {
  kind: 'opens';
  expr: string;
  /** Open columns the expression reads besides uid and pvs. */
  columns: readonly OpenColumn[];
  /** Whether the expression reads first_day. */
  firsts: boolean;
  /**
   * The same figure over rows of the day cube (cubes.ts DAY_CUBE); absent for new users, which
   * come from first days instead (first-days.ts).
   */
  cube?: string;
}

export interface CumulativeMetric extends BaseMetric {
  kind: 'cumulative';
}

export type Metric = OpensMetric | CumulativeMetric;

const users = 'uniqExact(uid)';
const ratio = (num: string, den: string) => `if(${den} = 0, 0, ${num} / ${den})`;

function opens(
  id: string,
  name: string,
  unit: MetricUnit,
  [expr, cube]: readonly [string, string?],
  columns: readonly OpenColumn[] = [],
  firsts = false,
): OpensMetric {
  return { kind: 'opens', id, name, unit, datacube: id, expr, cube, columns, firsts };
}

const cubeUsers = 'groupBitmapMerge(c_users)';

export const METRICS = {
  visit_total: { kind: 'cumulative', id: 'visit_total', name: '累计用户数', unit: 'count', datacube: 'visit_total' },
  session_cnt: opens('session_cnt', '打开次数', 'count', ['count()', 'sum(c_opens)']),
  visit_pv: opens('visit_pv', '访问次数', 'count', ['sum(pvs)', 'sum(c_pvs)']),
  visit_uv: opens('visit_uv', '访问人数', 'count', [users, cubeUsers]),
  // A user active in the period is new if their first counted open ever falls in it; it cannot
  // fall after the period, so only the lower edge is tested.
  visit_uv_new: opens('visit_uv_new', '新用户数', 'count', ['uniqExactIf(uid, first_day >= p_start)'], [], true),
  stay_time_uv: opens(
    'stay_time_uv',
    '人均停留时长',
    'seconds',
    [ratio('sum(stay_ms) / 1000', users), ratio('sum(c_stay) / 1000', cubeUsers)],
    ['stay_ms'],
  ),
  stay_time_session: opens(
    'stay_time_session',
    '次均停留时长',
    'seconds',
    [ratio('sum(stay_ms) / 1000', 'count()'), ratio('sum(c_stay) / 1000', 'sum(c_opens)')],
    ['stay_ms'],
  ),
  visit_depth: opens(
    'visit_depth',
    '平均访问深度',
    'pages',
    [ratio('sum(depth)', 'count()'), ratio('sum(c_depth)', 'sum(c_opens)')],
    ['depth'],
  ),
  share_pv: opens('share_pv', '分享次数', 'count', ['sum(shares)', 'sum(c_shares)'], ['shares']),
  share_uv: opens(
    'share_uv',
    '分享人数',
    'count',
    ['uniqExactIf(uid, shares > 0)', 'groupBitmapIfMerge(c_sharers)'],
    ['shares'],
  ),
  bounce_rate: {
    ...opens('bounce_rate', '跳出率', 'ratio', [
      ratio('countIf(pvs = 1)', 'count()'),
      ratio('sum(c_bounces)', 'sum(c_opens)'),
    ]),
    datacube: undefined,
  },
} as const satisfies Record<string, Metric>;

export type MetricId = keyof typeof METRICS;
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

export function isMetricId(id: string): id is MetricId {
  return Object.hasOwn(METRICS, id);
}
