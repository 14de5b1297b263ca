/**
 * The buckets of 时长分析, all of them, in order: WeChat's 8 stay-time bands and 7 depth bands (the
 * contract's, with their Chinese labels), each labelled in the chosen language. Every band is
 * shown, empty ones as 0, so that two ranges are drawn on the same axis, whether or not the API
 * listed it.
 */
import { type BucketItem, DEPTH_BUCKETS, STAYTIME_BUCKETS } from '@miniscope/contract';

type Locale = 'zh-CN' | 'en';

/** English labels by key. */
const STAYTIME_EN: Record<number, string> = {
  1: '0–2 s',
  2: '3–5 s',
  3: '6–10 s',
  4: '11–20 s',
  5: '21–30 s',
  6: '31–50 s',
  7: '51–100 s',
  8: 'Over 100 s',
};
const DEPTH_EN: Record<number, string> = {
  1: '1 page',
  2: '2 pages',
  3: '3 pages',
  4: '4 pages',
  5: '5 pages',
  6: '6–10 pages',
  7: 'Over 10 pages',
};

export type BucketKind = 'staytime' | 'depth';

/** Every bucket of `kind`, in key order, with the API's figures where it has them and 0 elsewhere. */
export function allBuckets(kind: BucketKind, items: BucketItem[], locale: Locale): BucketItem[] {
  const [zh, en] = kind === 'staytime' ? [STAYTIME_BUCKETS, STAYTIME_EN] : [DEPTH_BUCKETS, DEPTH_EN];
  const byKey = new Map(items.map((i) => [i.key, i]));
  return Object.entries(zh)
    .map(([k, label]) => ({ key: Number(k), label }))
    .sort((a, b) => a.key - b.key)
    .map(({ key, label }) => {
      const item = byKey.get(key);
      return {
        key,
        label: locale === 'en' ? (en[key] ?? label) : label,
        sessions: item?.sessions ?? 0,
        users: item?.users ?? 0,
      };
    });
}
