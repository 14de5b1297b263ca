/**
 * Traffic for the 自定义分析 cross-check: the cross-check's traffic (crosscheck-traffic.ts: the demo
 * generator's users and opens, perturbed, and its crafted opens), plus a shop of its own (users who
 * search, view goods, add to cart, check out and pay over opens and days, with properties, skewed
 * clocks and some events at the same ms as their page view), plus crafted hard cases (equal
 * timestamps, either side of midnight, numbers sent as text or not numbers at all, missing and
 * empty properties, an open whose `open` never arrived, opens without a page view, a batch without
 * device or user attributes). Every event sent is recorded with what the server should store for
 * it: its corrected time, name, props, path, the scene of nothing (that is the open's) and its
 * batch's attributes.
 */
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import { demoIpPicker } from '../src/demo/places.js';
import { Random } from '../src/demo/random.js';
import { Geo } from '../src/ingest/geo.js';
import type { Miniscope } from '../src/miniscope.js';
import { type Delivery, type SentTraffic, sendTraffic } from './crosscheck-traffic.js';
import type { Attrs, SentEvent } from './custom-reference.js';
import { addDays, shanghaiDay } from './reference.js';

/** Users of the demo generator's traffic (the shop and the hard cases come on top). */
const DEMO_USERS = 100;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Midnight (Shanghai) starting `day`. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);

export interface CustomTraffic {
  /** Every event stored, with its corrected time and its batch's attributes. */
  events: SentEvent[];
  sent: SentTraffic;
}

type Device = NonNullable<CollectBatch['device']>;
const SHOP_DEVICES: Device[] = [
  { platform: 'ios', brand: 'Apple', model: 'iPhone 15 Pro', wechat: '8.0.54', baselib: '3.7.1', network: 'wifi' },
  { platform: 'ios', brand: 'Apple', model: 'iPhone 13', wechat: '8.0.50', baselib: '3.6.6', network: '4g' },
  { platform: 'android', brand: 'HUAWEI', model: 'Mate 60 Pro', wechat: '8.0.54', baselib: '3.7.1', network: '5g' },
  { platform: 'android', brand: 'Xiaomi', model: 'Redmi K70', wechat: '8.0.49', baselib: '3.5.8', network: 'wifi' },
  { platform: 'ohos', brand: 'HUAWEI', model: 'Mate 70', wechat: '8.0.54', baselib: '3.7.1' },
  { platform: 'windows', brand: 'microsoft', model: 'PC', wechat: '3.9.12', baselib: '3.7.0', network: 'wifi' },
];
const CATEGORIES = ['服装', '数码', '食品', '美妆'];
const KEYWORDS = ['手机', '连衣裙', '零食', 'iPhone', '口红', ''];
const SHOP_SCENES = [1001, 1047, 1089, 1007, 1011, 1058, 1999];

interface ShopUser {
  id: string;
  first: number;
  loyalty: number;
  device: Device;
  gender?: 0 | 1 | 2;
  birthYear?: number;
  ip: string;
}

/** One open of a shop user: page views and the shop's custom events, one second to minutes apart. */
function shopOpen(r: Random, sid: string, start: number): CollectEvent[] {
  let n = 0;
  let t = start;
  const id = () => `x${++n}`;
  const events: CollectEvent[] = [];
  const scene = r.pick(SHOP_SCENES);
  if (!r.chance(0.05)) events.push({ id: id(), t: 'open', ts: t, sid, scene, path: 'pages/index/index', cold: true });
  const pv = (path: string) => {
    t += r.int(300, 40 * SECOND);
    events.push({ id: id(), t: 'pv', ts: t, sid, path });
  };
  const custom = (path: string, name: string, props: Record<string, string | number | boolean>) => {
    // Now and then at the very ms of the page view (a page view comes first in a path).
    if (!r.chance(0.15)) t += r.int(1, 20 * SECOND);
    events.push({ id: id(), t: 'event', ts: t, sid, path, name, props });
  };
  const gap = () => {
    // Sometimes the user leaves the phone for a while inside the open (windows of 30 min, 1 h).
    if (r.chance(0.12)) t += r.pick([20 * MINUTE, 45 * MINUTE, 70 * MINUTE, 3 * HOUR]);
  };
  if (r.chance(0.03)) {
    // An open without a page view: its events count in event analysis, not in paths.
    custom('pages/index/index', 'coupon_claim', { coupon: 'C10' });
    return events;
  }
  pv('pages/index/index');
  if (r.chance(0.5)) {
    pv('pages/search/search');
    custom('pages/search/search', 'search', { kw: r.pick(KEYWORDS) });
    pv('pages/goods/list');
  }
  for (let view = 0; view < 3 && r.chance(view === 0 ? 0.85 : 0.4); view++) {
    pv('pages/goods/detail');
    const price = r.chance(0.1) ? r.int(1, 99) + 0.5 : r.int(5, 1200);
    const goods = { sku: `G${r.int(1, 25)}`, price, category: r.pick(CATEGORIES) };
    custom('pages/goods/detail', 'view_goods', goods);
    gap();
    if (r.chance(0.45)) custom('pages/goods/detail', 'add_to_cart', { ...goods, qty: r.int(1, 3) });
  }
  if (r.chance(0.4)) {
    pv('pages/cart/cart');
    gap();
    if (r.chance(0.6)) {
      pv('pages/order/confirm');
      custom('pages/order/confirm', 'checkout', { amount: r.int(10, 3000), coupon: r.chance(0.3) });
      gap();
      if (r.chance(0.7)) {
        pv('pages/order/result');
        custom('pages/order/result', 'pay', { amount: r.int(10, 3000), method: r.pick(['wechat', 'card']) });
      }
    }
  }
  if (r.chance(0.3)) pv('pages/me/me');
  events.push({ id: id(), t: 'hide', ts: t + 500, sid });
  return events;
}

/** The shop's users over the last `days` days, each coming back now and then; nothing after `now`. */
function shop(appid: string, now: number, days: number): Delivery[] {
  const r = new Random(777);
  const pickIp = demoIpPicker();
  const today = shanghaiDay(now);
  const users: ShopUser[] = Array.from({ length: 60 }, (_, i) => ({
    id: `shop_${i}`,
    first: r.int(0, days - 1),
    loyalty: r.next(),
    device: r.pick(SHOP_DEVICES),
    ...(r.chance(0.8) ? { gender: r.pick([0, 1, 2] as const) } : {}),
    ...(r.chance(0.7) ? { birthYear: r.int(1955, 2014) } : {}),
    // Now and then abroad (未知).
    ip: r.chance(0.1) ? '8.8.8.8' : pickIp(r),
  }));
  const out: Delivery[] = [];
  for (const u of users) {
    for (let d = u.first; d < days; d++) {
      if (d > u.first && !r.chance(0.1 + 0.4 * u.loyalty)) continue;
      const day = addDays(today, d - days + 1);
      let start = dayStart(day) + r.int(0, 23) * HOUR + r.int(0, HOUR - 1);
      for (let o = 0; o < 3; o++) {
        const events = shopOpen(r, `sh-${u.id}-${d}-${o}`, start);
        const last = events[events.length - 1]!.ts;
        if (last > now - MINUTE) break;
        // A phone clock hours off now and then: the server corrects it by sent_at.
        const skew = r.chance(0.2) ? r.pick([-5, -2, 3, 7]) * HOUR + r.int(0, MINUTE) : 0;
        const sentAt = last + r.int(100, 5 * SECOND);
        out.push({
          body: {
            v: 1,
            app: appid,
            batch: `shop-${u.id}-${d}-${o}`,
            sent_at: sentAt + skew,
            user: {
              id: u.id,
              ...(u.gender === undefined ? {} : { gender: u.gender }),
              ...(u.birthYear ? { birth_year: u.birthYear } : {}),
            },
            device: u.device,
            events: events.map((e) => ({ ...e, ts: e.ts + skew })),
          },
          ip: u.ip,
          receivedAt: sentAt + r.int(10, 500),
          gzip: false,
        });
        if (!r.chance(0.35)) break;
        start = last + r.int(MINUTE, 5 * HOUR);
      }
    }
  }
  return out;
}

/** The hard cases, on the days before today (hc_* users, event `probe`). */
function hardCases(appid: string, now: number): Delivery[] {
  const today = shanghaiDay(now);
  const out: Delivery[] = [];
  let seq = 0;
  const device: Device = { platform: 'ios', brand: 'Apple', model: 'iPhone 15', wechat: '8.0.54', baselib: '3.7.1' };
  const send = (
    user: CollectBatch['user'],
    events: CollectEvent[],
    extra: Partial<Delivery> = {},
    dev: Device | null = device,
  ) => {
    const sentAt = Math.max(...events.map((e) => e.ts)) + 1000;
    out.push({
      body: { v: 1, app: appid, batch: `hc-${++seq}`, sent_at: sentAt, user, ...(dev ? { device: dev } : {}), events },
      ip: '61.135.169.121',
      receivedAt: sentAt,
      gzip: false,
      ...extra,
    });
  };
  let n = 0;
  const open = (sid: string, ts: number, scene = 1047): CollectEvent => ({
    id: `h${++n}`,
    t: 'open',
    ts,
    sid,
    scene,
    path: 'pages/index/index',
    cold: true,
  });
  const pv = (sid: string, ts: number, path = 'pages/index/index'): CollectEvent => ({
    id: `h${++n}`,
    t: 'pv',
    ts,
    sid,
    path,
  });
  const probe = (sid: string, ts: number, props: Record<string, string | number | boolean>, path?: string) =>
    ({
      id: `h${++n}`,
      t: 'event',
      ts,
      sid,
      ...(path === undefined ? { path: 'pages/index/index' } : path ? { path } : {}),
      name: 'probe',
      props,
    }) as CollectEvent;
  const d2 = addDays(today, -2);
  const d3 = addDays(today, -3);
  const d4 = addDays(today, -4);
  const t2 = dayStart(d2) + 10 * HOUR;
  // Equal timestamps: step a and step b at the same ms never chain; a later b does (1 ms).
  send({ id: 'hc_eq', gender: 1, birth_year: 1990 }, [
    open('hc-eq', t2),
    pv('hc-eq', t2 + 500),
    probe('hc-eq', t2 + 1000, { step: 'a', qty: 12, tag: 'A' }),
    probe('hc-eq', t2 + 1000, { step: 'b', qty: '12', tag: 'B' }),
    probe('hc-eq', t2 + 1001, { step: 'b', qty: 'abc', tag: 'a' }),
  ]);
  send({ id: 'hc_eq2', gender: 2, birth_year: 2012 }, [
    open('hc-eq2', t2 + MINUTE),
    pv('hc-eq2', t2 + MINUTE + 1),
    // Two step-1 events at the same ms with different groups, and a step 2 at that same ms.
    probe('hc-eq2', t2 + MINUTE + 10, { step: 'a', tag: 'B', qty: '' }),
    probe('hc-eq2', t2 + MINUTE + 10, { step: 'a', tag: 'A', qty: '+3.5' }),
    probe('hc-eq2', t2 + MINUTE + 10, { step: 'b', tag: '', qty: '-2' }),
  ]);
  // Either side of midnight: 23:59:59.999 and 00:00:00.000; the open started the day before.
  const mid = dayStart(d3);
  send({ id: 'hc_mid', gender: 0 }, [
    open('hc-mid', mid - 10 * SECOND),
    pv('hc-mid', mid - 9 * SECOND, 'pages/goods/detail'),
    probe('hc-mid', mid - 1, { step: 'a', qty: ' 7', tag: 'Ab c' }, 'pages/goods/detail'),
    probe('hc-mid', mid, { step: 'b', qty: '007', tag: 'ab' }, 'pages/goods/detail'),
    pv('hc-mid', mid + 2 * SECOND, 'pages/cart/cart'),
    probe('hc-mid', mid + 3 * SECOND, { step: 'c', qty: 1500, tag: 39.9 }, 'pages/cart/cart'),
  ]);
  // An open whose `open` never arrived (no scene), with a page view; an event without a path.
  const t4 = dayStart(d4) + 15 * HOUR;
  send({ id: 'hc_noopen', gender: 2, birth_year: 1970 }, [
    pv('hc-noopen', t4),
    probe('hc-noopen', t4 + 100, { step: 'a', qty: true, tag: true, code: 7 }),
    probe('hc-noopen', t4 + 200, { step: 'b', qty: '1e3', code: '12' }, ''),
    probe('hc-noopen', t4 + 300, { step: 'c', qty: 0, tag: '' }),
  ]);
  // A batch with no device and no user attributes; its open has no page view (not a counted open).
  send(
    { id: 'hc_bare' },
    [
      open('hc-bare', t4 + HOUR, 1999),
      probe('hc-bare', t4 + HOUR + 5, { step: 'a', n: 1 }),
      probe('hc-bare', t4 + HOUR + 6, { step: 'b', n: 2.5 }),
    ],
    {},
    null,
  );
  // A user whose first counted open comes after an event of theirs (老用户 before it, 新用户 on it),
  // sent from abroad (未知), with the events a day apart; later, a probe on the same page twice.
  const d6 = addDays(today, -6);
  send({ id: 'hc_late', gender: 1, birth_year: 2001 }, [
    open('hc-late-1', dayStart(d6) + 9 * HOUR),
    probe('hc-late-1', dayStart(d6) + 9 * HOUR + 50, { step: 'a', n: -3, qty: 5 }),
  ]);
  const d5 = addDays(today, -5);
  send(
    { id: 'hc_late', gender: 1, birth_year: 2001 },
    [
      open('hc-late-2', dayStart(d5) + 21 * HOUR),
      pv('hc-late-2', dayStart(d5) + 21 * HOUR + 10, 'pages/goods/detail'),
      probe('hc-late-2', dayStart(d5) + 21 * HOUR + 10, { step: 'b', n: 4, qty: 6 }, 'pages/goods/detail'),
      probe('hc-late-2', dayStart(d5) + 21 * HOUR + 20, { step: 'c', n: 5, qty: 7 }, 'pages/goods/detail'),
      pv('hc-late-2', dayStart(d5) + 21 * HOUR + 30, 'pages/goods/detail'),
      probe('hc-late-2', dayStart(d5) + 21 * HOUR + 40, { step: 'c', qty: '8.25' }, 'pages/goods/detail'),
    ],
    { ip: '8.8.8.8' },
  );
  // Windows to the ms: a → b exactly 30 minutes, → c one ms later.
  const tw = dayStart(d2) + 14 * HOUR;
  send({ id: 'hc_win', gender: 1, birth_year: 1985 }, [
    open('hc-win', tw, 1089),
    pv('hc-win', tw + 10, 'pages/goods/list'),
    probe('hc-win', tw + 1000, { step: 'a', tag: 'W' }, 'pages/goods/list'),
    probe('hc-win', tw + 1000 + 30 * MINUTE, { step: 'b', tag: 'W' }, 'pages/goods/list'),
    probe('hc-win', tw + 1001 + 30 * MINUTE, { step: 'c', tag: 'W' }, 'pages/goods/list'),
  ]);
  // Types inferred from the 30 days ending today: `old` was text 35 days ago and is numbers since
  // (a number), `ancient` was seen only 35 days ago (numbers then), `stale` numbers then, text since.
  const d35 = dayStart(addDays(today, -35)) + 11 * HOUR;
  send({ id: 'hc_old' }, [
    open('hc-old', d35),
    pv('hc-old', d35 + 1),
    probe('hc-old', d35 + 2, { step: 'z', old: 'x5', ancient: 1, stale: 2 }),
    probe('hc-old', d35 + 3, { step: 'z', old: '6', ancient: 2.5, stale: 3 }),
  ]);
  send({ id: 'hc_old' }, [
    open('hc-old-2', t2 + 2 * HOUR),
    pv('hc-old-2', t2 + 2 * HOUR + 1),
    probe('hc-old-2', t2 + 2 * HOUR + 2, { step: 'z', old: 5, stale: 'x' }),
  ]);
  // Today (when today has begun long enough): a probe an hour ago.
  if (now - HOUR > dayStart(today)) {
    send({ id: 'hc_eq', gender: 1, birth_year: 1990 }, [
      open('hc-today', now - HOUR),
      pv('hc-today', now - HOUR + 1),
      probe('hc-today', now - HOUR + 2, { step: 'a', qty: 3, tag: 'A' }),
      probe('hc-today', now - HOUR + 3, { step: 'b', qty: 4, tag: 'B' }),
    ]);
  }
  return out;
}

const placeOf = (() => {
  const geo = new Geo();
  const cache = new Map<string, { province: string; city: string }>();
  return (ip: string) => {
    if (!cache.has(ip)) cache.set(ip, geo.locate(ip));
    return cache.get(ip)!;
  };
})();

/** The batch's attributes, as the server stores them (platform in lower case). */
function attrsOf(d: Delivery): Attrs {
  const dev = d.body.device ?? {};
  const place = placeOf(d.ip);
  return {
    gender: d.body.user.gender ?? 0,
    birthYear: d.body.user.birth_year ?? 0,
    platform: (dev.platform ?? '').toLowerCase(),
    brand: dev.brand ?? '',
    model: dev.model ?? '',
    network: dev.network ?? '',
    wechat: dev.wechat ?? '',
    baselib: dev.baselib ?? '',
    province: place.province,
    city: place.city,
  };
}

/**
 * How far the server moved the events of each gzipped batch: those are replayed "now" with a
 * sent_at taken at sending, so their correction (received_at − sent_at) is some milliseconds the
 * test cannot know in advance. It is read back from the stored events (the stored time of a batch's
 * first event against the time sent): an input of the reference, not a figure of the engine.
 */
async function gzipShifts(m: Miniscope, appid: string, gzipped: Delivery[]): Promise<Map<string, number>> {
  const rows = await m.store.query<{ batch_id: string; first: string }>(
    `SELECT batch_id, toString(toUnixTimestamp64Milli(min(ts))) AS first FROM events
     WHERE app_id = {app:String} AND batch_id IN {ids:Array(String)} GROUP BY batch_id`,
    { app: appid, ids: gzipped.map((d) => d.body.batch) },
  );
  const stored = new Map(rows.map((r) => [r.batch_id, Number(r.first)]));
  const shifts = new Map<string, number>();
  for (const d of gzipped) {
    const first = Math.min(...d.body.events.map((e) => e.ts));
    const at = stored.get(d.body.batch);
    if (at === undefined) throw new Error(`gzipped batch ${d.body.batch} not stored`);
    shifts.set(d.body.batch, at - first);
  }
  return shifts;
}

function recordEvents(d: Delivery, shifts: Map<string, number>): SentEvent[] {
  const attrs = attrsOf(d);
  const shift = d.gzip ? shifts.get(d.body.batch)! : d.receivedAt - d.body.sent_at;
  return d.body.events.map((e) => ({
    user: d.body.user.id,
    sid: e.sid ?? '',
    at: e.ts + shift,
    t: e.t,
    path: 'path' in e && e.path ? e.path : '',
    scene: e.t === 'open' ? e.scene : 0,
    name: e.t === 'event' ? e.name : '',
    props: e.t === 'event' ? (e.props ?? {}) : {},
    attrs,
  }));
}

/** Sends the cross-check's traffic with the shop and the hard cases; what was stored, for the reference. */
export async function sendCustomTraffic(m: Miniscope, appid: string, now: number): Promise<CustomTraffic> {
  // The demo's users, fewer than the older cross-check's: hard cases over volume.
  const extra = [...shop(appid, now, 40), ...hardCases(appid, now)];
  const sent = await sendTraffic(m, appid, now, { extra, users: DEMO_USERS });
  const shifts = await gzipShifts(
    m,
    appid,
    sent.deliveries.filter((d) => d.gzip),
  );
  return { events: sent.deliveries.flatMap((d) => recordEvents(d, shifts)), sent };
}
