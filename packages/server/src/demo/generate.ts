/**
 * Realistic demo traffic, as batches the SDK would send: users who arrive over the period and come
 * back with decaying probability, opens through a WeChat scene mix at daytime hours, a walk over
 * the page graph with log-normal stay, shares, custom events, hot starts, devices and provinces.
 * Batches come out day by day in time order, each with the IP and arrival time to ingest it with.
 */
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import { CUSTOM_EVENTS, DEVICES, PAGE_GRAPH, SCENES } from './catalog.js';
import { demoIpPicker } from './places.js';
import { Random } from './random.js';

export interface DemoOptions {
  appid: string;
  days: number;
  users: number;
  now?: number;
  seed?: number;
}

export interface DemoBatch {
  body: CollectBatch;
  ip: string;
  receivedAt: number;
}

interface DemoUser {
  id: string;
  firstDay: number;
  gender: 0 | 1 | 2;
  birthYear?: number;
  device: (typeof DEVICES)[number];
  ip: string;
  loyalty: number;
}

const DAY_MS = 86_400_000;
/** Relative weight of each hour of the day (China time): quiet nights, lunch and evening peaks. */
const HOURS = [2, 1, 1, 0.5, 0.5, 1, 2, 4, 6, 7, 7, 8, 10, 8, 7, 7, 7, 8, 9, 11, 12, 12, 9, 5].map(
  (w, h) => [h, w] as const,
);

function makeUsers(random: Random, options: DemoOptions): DemoUser[] {
  const pickIp = demoIpPicker();
  return Array.from({ length: options.users }, (_, i) => ({
    id: `demo_${i.toString(36)}_${random.hex(6)}`,
    // More arrive early (launch) and the rest spread over the period.
    firstDay: random.chance(0.15) ? 0 : random.int(0, options.days - 1),
    gender: random.weighted([
      [0, 2],
      [1, 4],
      [2, 5],
    ] as const),
    birthYear: random.chance(0.6) ? random.int(1960, 2010) : undefined,
    device: random.weighted(DEVICES.map((d) => [d, d[4]] as const)),
    ip: pickIp(random),
    loyalty: random.next(),
  }));
}

/** Probability a user comes back `age` days after their first day. */
const returnChance = (user: DemoUser, age: number) => (0.05 + 0.45 * user.loyalty) / Math.sqrt(age + 1);

function pageWalk(random: Random, entry: string): string[] {
  const pages = [entry];
  for (let page = entry; pages.length < 12; ) {
    const next =
      random.next() < 0.35
        ? undefined
        : random.weighted([
            ...(PAGE_GRAPH[page] ?? []),
            [undefined, 1 - (PAGE_GRAPH[page] ?? []).reduce((s, [, w]) => s + w, 0)],
          ]);
    if (!next) break;
    pages.push(next);
    page = next;
  }
  return pages;
}

function openEvents(random: Random, sid: string, start: number, cold: boolean): CollectEvent[] {
  const [scene, , entry] = random.weighted(SCENES.map((s) => [s, s[1]] as const));
  let t = start;
  let n = 0;
  const id = () => `e${++n}`;
  const events: CollectEvent[] = [{ id: id(), t: 'open', ts: t, sid, scene, path: entry, cold }];
  if (random.chance(0.03)) return events; // closed before the first page showed: not a counted open
  for (const path of pageWalk(random, entry)) {
    t += random.int(80, 600);
    events.push({ id: id(), t: 'pv', ts: t, sid, path });
    const dur = Math.round(Math.min(random.logNormal(path.includes('detail') ? 16_000 : 8_000, 1), 1_800_000));
    events.push(...pageActions(random, { id, sid, path, t, dur }));
    t += dur;
    events.push({ id: id(), t: 'leave', ts: t, sid, path, dur });
  }
  events.push({ id: id(), t: 'hide', ts: t + 10, sid });
  return events;
}

/** One page view of an open: shown at `t` for `dur` ms; `id` numbers the open's events in order. */
interface PageView {
  id: () => string;
  sid: string;
  path: string;
  t: number;
  dur: number;
}

/**
 * What the user does on a page while it shows: on a product, maybe a share and an add to cart; on the
 * order result, paying; otherwise, now and then a custom event.
 */
function pageActions(random: Random, { id, sid, path, t, dur }: PageView): CollectEvent[] {
  const actions: CollectEvent[] = [];
  if (path === 'pages/goods/detail' && random.chance(0.06)) {
    const to = random.chance(0.8) ? 'chat' : 'timeline';
    actions.push({ id: id(), t: 'share', ts: t + Math.floor(dur / 2), sid, path, to });
  }
  if (path === 'pages/goods/detail' && random.chance(0.2)) {
    const props = { sku: `SKU${random.int(100, 160)}`, price: random.int(9, 999) };
    actions.push({ id: id(), t: 'event', ts: t + Math.floor(dur / 3), sid, path, name: 'add_to_cart', props });
  } else if (path === 'pages/order/result') {
    const props = { amount: random.int(9, 1999) };
    actions.push({ id: id(), t: 'event', ts: t + 100, sid, path, name: 'pay_success', props });
  } else if (random.chance(0.02)) {
    actions.push({ id: id(), t: 'event', ts: t + 50, sid, path, name: random.pick(CUSTOM_EVENTS) });
  }
  return actions;
}

function toBatch(random: Random, options: DemoOptions, user: DemoUser, events: CollectEvent[]): DemoBatch {
  const [platform, brand, model, system] = user.device;
  const sentAt = events[events.length - 1]!.ts + random.int(50, 2_000);
  const body: CollectBatch = {
    v: 1,
    app: options.appid,
    batch: `b_${random.hex(16)}`,
    sent_at: sentAt,
    user: { id: user.id, gender: user.gender, ...(user.birthYear ? { birth_year: user.birthYear } : {}) },
    device: {
      platform,
      brand,
      model,
      system,
      wechat: '8.0.54',
      baselib: '3.7.1',
      network: random.pick(['wifi', '5g', '4g']),
      screen: [390, 844],
      language: 'zh_CN',
    },
    events,
  };
  return { body, ip: user.ip, receivedAt: sentAt + random.int(20, 300) };
}

/** One day of traffic (day 0 = the first of `days`), in time order; today stops at `now`. */
export function* demoBatches(options: DemoOptions): Generator<DemoBatch[], void, void> {
  const random = new Random(options.seed ?? 20261124);
  const now = options.now ?? Date.now();
  const users = makeUsers(random, options);
  const todayStart = startOfChinaDay(now);
  for (let day = 0; day < options.days; day++) {
    const dayStart = todayStart - (options.days - 1 - day) * DAY_MS;
    const weekend = [0, 6].includes(new Date(dayStart + 8 * 3_600_000).getUTCDay());
    const batches: DemoBatch[] = [];
    for (const user of users) {
      if (comesBack(random, user, day - user.firstDay, weekend)) {
        batches.push(...userOpens(random, options, user, dayStart, now));
      }
    }
    yield batches.sort((a, b) => a.receivedAt - b.receivedAt);
  }
}

/** Whether the user opens the app on the day `age` days after their first: always on the first, never before it. */
function comesBack(random: Random, user: DemoUser, age: number, weekend: boolean): boolean {
  if (age < 0) return false;
  return age === 0 || random.chance(returnChance(user, age) * (weekend ? 1.2 : 1));
}

/**
 * The user's opens on the day starting at `dayStart`: the first at a daytime hour, then each with a
 * 30% chance of another (at most four), none later than a minute before `now`.
 */
function userOpens(random: Random, options: DemoOptions, user: DemoUser, dayStart: number, now: number): DemoBatch[] {
  const batches: DemoBatch[] = [];
  let start = dayStart + random.weighted(HOURS) * 3_600_000 + random.int(0, 3_599_999);
  for (let open = 0, cold = true; open < 4; open++, cold = random.chance(0.4)) {
    if (start > now - 60_000) break;
    const sid = `s_${random.hex(12)}`;
    const events = openEvents(random, sid, start, cold);
    batches.push(toBatch(random, options, user, events));
    if (!random.chance(0.3)) break;
    start = events[events.length - 1]!.ts + random.int(30_000, 4 * 3_600_000);
  }
  return batches;
}

/** Midnight in China (UTC+8, no daylight saving) of the day holding `ms`. */
export function startOfChinaDay(ms: number): number {
  const offset = 8 * 3_600_000;
  return Math.floor((ms + offset) / DAY_MS) * DAY_MS - offset;
}
