/**
 * The datacube portrait shape (wechat-analytics.md §5): per dimension `{ id?, name, value }` lists
 * for new and for active users, largest first, zero counts left out. Ids: gender 0 未知 / 1 男 /
 * 2 女, platform 1 iPhone / 2 android / 3 其他, age bands 0–6, provinces and cities by their GB/T 2260
 * code (region-ids.ts; 0 = 未知). Device models carry no id and only the top 20 are given, as WeChat
 * documents ("机型数据无 id 字段，暂只提供用户数最多的 top20").
 */
import {
  AGE_NAMES,
  GENDER_NAMES,
  PLATFORM_NAMES,
  PORTRAIT_DIMENSIONS,
  type PortraitDimension,
} from '@miniscope/contract';
import type { CityItem, Portrait, PortraitItem } from '../metrics/reports/portrait.js';
import { cityId, provinceId } from './region-ids.js';

export interface WxPortraitItem {
  id?: number;
  name: string;
  value: number;
}

export type WxPortrait = Record<PortraitDimension, WxPortraitItem[]>;
type Count = 'visit_uv_new' | 'visit_uv';

export const TOP_DEVICES = 20;

const NAMED_IDS: Partial<Record<PortraitDimension, Record<number, string>>> = {
  genders: GENDER_NAMES,
  platforms: PLATFORM_NAMES,
  ages: AGE_NAMES,
};

function item(dim: PortraitDimension, name: string, value: number): WxPortraitItem {
  const names = NAMED_IDS[dim];
  if (names) return { id: Number(name), name: names[Number(name)] ?? name, value };
  if (dim === 'province') return { id: provinceId(name), name, value };
  return { name, value };
}

// NOTE: names compare by code point, as the engine orders them (UTF-8 bytes).
const byValueThenName = (a: WxPortraitItem, b: WxPortraitItem) =>
  b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Cities with their id, from the cities per province: one item per id and name, so 未知 under
 * several provinces is one item (id 0) while two cities that share a name in two provinces stay two.
 */
function cities(list: CityItem[], pick: Count): WxPortraitItem[] {
  const byKey = new Map<string, WxPortraitItem>();
  for (const c of list) {
    const id = cityId(c.province, c.name);
    const key = `${id}\u001f${c.name}`;
    const sum = byKey.get(key) ?? { id, name: c.name, value: 0 };
    sum.value += c[pick];
    byKey.set(key, sum);
  }
  return [...byKey.values()].filter((c) => c.value > 0).sort(byValueThenName);
}

const items = (dim: PortraitDimension, list: PortraitItem[], pick: Count): WxPortraitItem[] =>
  list
    .filter((i) => i[pick] > 0)
    .map((i) => item(dim, i.name, i[pick]))
    .sort((a, b) => b.value - a.value)
    .slice(0, dim === 'devices' ? TOP_DEVICES : undefined);

/** Split the engine's portrait into WeChat's two objects, leaving out zero counts. */
export function wxPortrait(p: Portrait): { visit_uv_new: WxPortrait; visit_uv: WxPortrait } {
  const make = (pick: Count) =>
    Object.fromEntries(
      PORTRAIT_DIMENSIONS.map((dim) => [
        dim,
        dim === 'city' ? cities(p.citiesByProvince, pick) : items(dim, p[dim], pick),
      ]),
    ) as WxPortrait;
  return { visit_uv_new: make('visit_uv_new'), visit_uv: make('visit_uv') };
}
