/**
 * Custom events for the benchmark (generated inside the engine, like query-data.ts): a shop's
 * funnel within the opens query-data.ts made, search → view_goods → add_to_cart → checkout → pay,
 * each step reached by a share of the opens that reached the one before (60 %, 80 %, 40 %, 60 %,
 * 75 %), goods viewed one to three times, with props sku, category and price (a number) on the
 * goods steps and keyword on search. Events belong to the opens (same user, sid and time span), so
 * paths with events and funnels by source read them as real traffic. Read from the opens stored,
 * so they can be added to an existing data directory (when its app has no custom events yet).
 */
import type { Store } from '../src/store/store.js';

export const SHOP_STEPS = ['search', 'view_goods', 'add_to_cart', 'checkout', 'pay'] as const;
const CATEGORIES = ['服饰', '数码', '美妆', '食品', '家居', '母婴', '运动', '图书'];
const KEYWORDS = ['连衣裙', '耳机', '口红', '咖啡', '收纳', '奶粉', '跑鞋', '小说', '手机壳', '面膜'];
const PATHS = ['pages/search/index', 'pages/goods/detail', 'pages/goods/detail', 'pages/cart/index', 'pages/order/pay'];

/** The opens of `app` (as query-data.ts numbered them) and its custom events. */
export async function countOf(store: Store, app: string): Promise<{ opens: number; custom: number }> {
  const [row] = await store.query<{ opens: string; custom: string }>(
    `SELECT countIf(type = 'open') AS opens, countIf(type = 'event') AS custom FROM events WHERE app_id = {app:String}`,
    { app },
  );
  return { opens: Number(row?.opens ?? 0), custom: Number(row?.custom ?? 0) };
}

/** Insert the shop's events into the opens of `app`; returns how many custom events it has. */
export async function generateCustomEvents(store: Store, app: string): Promise<number> {
  // One pass over the opens stored: each open's own user, sid, time and attributes.
  await store.command(
    `INSERT INTO events (app_id, ts, type, user_id, sid, path, name, props, props_num, gender, birth_year, platform,
       model, system, province, city, batch_id, received_at)
     SELECT app_id, ts + toIntervalMillisecond(3000 + k * 20000 + c * 5000) AS t, 'event', user_id, sid,
       {paths:Array(String)}[k + 1], {steps:Array(String)}[k + 1],
       if(k = 0, map('keyword', {keywords:Array(String)}[1 + g % 10]),
         map('sku', concat('SKU', toString(100 + g % 200)), 'category', {categories:Array(String)}[1 + g % 8],
           'price', toString(price))),
       if(k = 0, map(), map('price', toFloat64(price))),
       gender, birth_year, platform, model, system, province, city, batch_id, t
     FROM (
       SELECT *, cityHash64(sid, 'goods') AS g, 9 + g % 990 AS price, cityHash64(sid, 'shop') AS r,
         (r % 1000 < 600) AS a1, a1 * (intDiv(r, 1000) % 1000 < 800) AS a2, a2 * (intDiv(r, 1000000) % 1000 < 400) AS a3,
         a3 * (intDiv(r, 1000000000) % 1000 < 600) AS a4, a4 * (intDiv(r, 1000000000000) % 1000 < 750) AS a5,
         a1 + a2 + a3 + a4 + a5 AS depth
       FROM events WHERE app_id = {app:String} AND type = 'open' AND depth > 0
     ) ARRAY JOIN range(toUInt64(depth)) AS k
     ARRAY JOIN range(toUInt64(if(k = 1, 1 + g % 3, 1))) AS c
     SETTINGS max_execution_time = 3600`,
    { app, paths: PATHS, steps: [...SHOP_STEPS], keywords: KEYWORDS, categories: CATEGORIES },
  );
  return (await countOf(store, app)).custom;
}
