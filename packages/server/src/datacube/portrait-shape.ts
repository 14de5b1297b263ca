/**
 * The datacube portrait shape (wechat-analytics.md §5): per dimension `{ id?, name, value }` lists
 * for new and for active users. Ids: gender 0 未知 / 1 男 / 2 女, platform 1 iPhone / 2 android /
 * 3 其他, age bands 0–6, provinces by their GB/T 2260 code (0 = 未知); cities and devices carry no id.
 */
import {
  AGE_NAMES,
  GENDER_NAMES,
  PLATFORM_NAMES,
  PORTRAIT_DIMENSIONS,
  type Portrait,
  type PortraitDimension,
} from '../metrics/portrait.js';

export interface WxPortraitItem {
  id?: number;
  name: string;
  value: number;
}

export type WxPortrait = Record<PortraitDimension, WxPortraitItem[]>;

/** GB/T 2260 province codes by the first two characters of the name ip2region gives (广东省, 北京, 内蒙古…). */
const PROVINCE_CODES: Record<string, number> = {
  北京: 11,
  天津: 12,
  河北: 13,
  山西: 14,
  内蒙: 15,
  辽宁: 21,
  吉林: 22,
  黑龙: 23,
  上海: 31,
  江苏: 32,
  浙江: 33,
  安徽: 34,
  福建: 35,
  江西: 36,
  山东: 37,
  河南: 41,
  湖北: 42,
  湖南: 43,
  广东: 44,
  广西: 45,
  海南: 46,
  重庆: 50,
  四川: 51,
  贵州: 52,
  云南: 53,
  西藏: 54,
  陕西: 61,
  甘肃: 62,
  青海: 63,
  宁夏: 64,
  新疆: 65,
  台湾: 71,
  香港: 81,
  澳门: 82,
};

export const provinceId = (name: string): number => PROVINCE_CODES[name.slice(0, 2)] ?? 0;

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

/** Split the engine's portrait into WeChat's two objects, leaving out zero counts. */
export function wxPortrait(p: Portrait): { visit_uv_new: WxPortrait; visit_uv: WxPortrait } {
  const make = (pick: 'visit_uv_new' | 'visit_uv') =>
    Object.fromEntries(
      PORTRAIT_DIMENSIONS.map((dim) => [
        dim,
        p[dim]
          .filter((i) => i[pick] > 0)
          .map((i) => item(dim, i.name, i[pick]))
          .sort((a, b) => b.value - a.value),
      ]),
    ) as WxPortrait;
  return { visit_uv_new: make('visit_uv_new'), visit_uv: make('visit_uv') };
}
