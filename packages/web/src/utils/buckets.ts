/**
 * The buckets of 时长分析, all of them, in order: WeChat's 8 stay-time bands and 7 depth bands. The
 * API lists only buckets with opens; the report shows every band, empty ones as 0, so that two
 * ranges are drawn on the same axis.
 */
import type { BucketItem } from '../api/types';

type Locale = 'zh-CN' | 'en';

const STAYTIME: Record<Locale, string[]> = {
  'zh-CN': ['0-2秒', '3-5秒', '6-10秒', '11-20秒', '21-30秒', '31-50秒', '51-100秒', '100秒以上'],
  en: ['0–2 s', '3–5 s', '6–10 s', '11–20 s', '21–30 s', '31–50 s', '51–100 s', 'Over 100 s'],
};
const DEPTH: Record<Locale, string[]> = {
  'zh-CN': ['1页', '2页', '3页', '4页', '5页', '6-10页', '10页以上'],
  en: ['1 page', '2 pages', '3 pages', '4 pages', '5 pages', '6–10 pages', 'Over 10 pages'],
};

export type BucketKind = 'staytime' | 'depth';

/** Every bucket of `kind` (keys 1…n), with the API's figures where it has them and 0 elsewhere. */
export function allBuckets(kind: BucketKind, items: BucketItem[], locale: Locale): BucketItem[] {
  const labels = (kind === 'staytime' ? STAYTIME : DEPTH)[locale];
  const byKey = new Map(items.map((i) => [i.key, i]));
  return labels.map((label, i) => {
    const item = byKey.get(i + 1);
    return { key: i + 1, label, sessions: item?.sessions ?? 0, users: item?.users ?? 0 };
  });
}
