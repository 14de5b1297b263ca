/**
 * Names the dashboard shows next to keys and ids: metric metadata from the registry, access
 * source names, stay-time and depth bucket labels, portrait ids. zh-CN, as WeChat shows them.
 */
import {
  AGE_NAMES,
  GENDER_NAMES,
  PLATFORM_NAMES,
  type PortraitDimension,
  type PortraitItem,
} from '../metrics/portrait.js';
import { METRICS, type MetricId } from '../metrics/registry.js';
import { SOURCE_NAMES } from '../metrics/sources.js';

export interface MetricMeta {
  id: MetricId;
  name: string;
  unit: string;
}

export const metricMeta = (id: MetricId): MetricMeta => ({ id, name: METRICS[id].name, unit: METRICS[id].unit });

export const sourceName = (key: number): string => SOURCE_NAMES.get(key) ?? String(key);

export const STAYTIME_LABELS: Record<number, string> = {
  1: '0-2秒',
  2: '3-5秒',
  3: '6-10秒',
  4: '11-20秒',
  5: '21-30秒',
  6: '31-50秒',
  7: '51-100秒',
  8: '100秒以上',
};

export const DEPTH_LABELS: Record<number, string> = {
  1: '1页',
  2: '2页',
  3: '3页',
  4: '4页',
  5: '5页',
  6: '6-10页',
  7: '10页以上',
};

export const PORTRAIT_LABELS: Record<PortraitDimension, string> = {
  province: '省份',
  city: '城市',
  genders: '性别',
  platforms: '终端',
  devices: '机型',
  ages: '年龄',
};

const ID_NAMES: Partial<Record<PortraitDimension, Record<number, string>>> = {
  genders: GENDER_NAMES,
  platforms: PLATFORM_NAMES,
  ages: AGE_NAMES,
};

/** A portrait value as shown: ids of gender, platform and age get their names. */
export function portraitLabel(dim: PortraitDimension, name: string): { id?: number; name: string } {
  const names = ID_NAMES[dim];
  return names ? { id: Number(name), name: names[Number(name)] ?? name } : { name };
}

/** Device models shown: the top 20 by active users. */
export const TOP_MODELS = 20;
export const OTHER_MODELS = '其他';

/**
 * The first `top` items (sorted by active users) and one 其他 item summing the rest: exact, as each
 * user is placed in one model.
 */
export function topWithOthers(items: PortraitItem[], top = TOP_MODELS): PortraitItem[] {
  if (items.length <= top) return items;
  const rest = items.slice(top);
  const sum = (key: 'visit_uv_new' | 'visit_uv') => rest.reduce((n, i) => n + i[key], 0);
  return [...items.slice(0, top), { name: OTHER_MODELS, visit_uv_new: sum('visit_uv_new'), visit_uv: sum('visit_uv') }];
}
