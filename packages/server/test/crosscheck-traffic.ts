/**
 * Realistic traffic for the cross-check: the demo generator's users and opens, perturbed the way
 * real senders behave (skewed phone clocks, retried batches, gzipped batches replayed from a
 * queue), plus crafted opens: across midnight, without an open event, one per scene family.
 * Every batch is recorded as the server should store it, for the reference computation.
 */
import zlib from 'node:zlib';
import { type CollectBatch, type CollectEvent, ERROR_STATUS } from '@miniscope/contract';
import { demoBatches } from '../src/demo/generate.js';
import { MiniscopeError } from '../src/errors.js';
import { Geo } from '../src/ingest/geo.js';
import type { Miniscope } from '../src/miniscope.js';
import { addDays, type RefEvent, type RefUser, sceneKeysFromSpec, shanghaiDay } from './reference.js';

const HOUR = 3_600_000;
const geo = new Geo();
/** Midnight (Shanghai) starting `day`. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);

export interface Delivery {
  body: CollectBatch;
  ip: string;
  receivedAt: number;
  gzip: boolean;
}

export interface SentTraffic {
  events: RefEvent[];
  users: Map<string, RefUser>;
  batches: number;
  retries: number;
  gzipped: number;
  skewed: number;
  /** The deliveries as first sent (before retries), for other readings of the same traffic. */
  deliveries: Delivery[];
}

function crafted(appid: string, today: string): Delivery[] {
  const out: Delivery[] = [];
  const ip = '120.24.78.68';
  const device = { platform: 'android', model: 'Mate 60 Pro', brand: 'HUAWEI' };
  const send = (user: string, id: string, events: CollectEvent[], at: number) =>
    out.push({
      body: {
        v: 1,
        app: appid,
        batch: id,
        sent_at: at,
        user: { id: user, gender: 2, birth_year: 2001 },
        device,
        events,
      },
      ip,
      receivedAt: at,
      gzip: false,
    });
  // Opens that start before midnight and go on after it belong to the first day: one whose first
  // page view is already past midnight (open at 23:59:58), and two that cross later (23:59:50).
  for (const [back, lead, firstPv] of [
    [3, 2_000, 3_000],
    [10, 10_000, 2_000],
    [20, 10_000, 2_000],
  ] as const) {
    const t0 = dayStart(addDays(today, -back + 1)) - lead;
    const sid = `mid-${back}`;
    send(
      `mid_${back}`,
      `mid-a-${back}`,
      [
        { id: 'o', t: 'open', ts: t0, sid, scene: 1047, path: 'pages/index/index', cold: true },
        { id: 'p1', t: 'pv', ts: t0 + firstPv, sid, path: 'pages/index/index' },
        { id: 'l1', t: 'leave', ts: t0 + 30_000, sid, path: 'pages/index/index', dur: 30_000 - firstPv },
      ],
      t0 + 30_100,
    );
    send(
      `mid_${back}`,
      `mid-b-${back}`,
      [
        { id: 'p2', t: 'pv', ts: t0 + 31_000, sid, path: 'pages/goods/detail' },
        { id: 'l2', t: 'leave', ts: t0 + 50_000, sid, path: 'pages/goods/detail', dur: 19_000 },
        { id: 'h', t: 'hide', ts: t0 + 50_100, sid },
      ],
      t0 + 50_200,
    );
  }
  // An open whose `open` event never arrived: its day is its first event's.
  const noon = dayStart(addDays(today, -5)) + 12 * HOUR;
  send(
    'no_open',
    'no-open',
    [
      { id: 'p', t: 'pv', ts: noon, sid: 'no-open', path: 'pages/me/me' },
      { id: 'l', t: 'leave', ts: noon + 4_000, sid: 'no-open', path: 'pages/me/me', dur: 4_000 },
    ],
    noon + 5_000,
  );
  // One open per source key, with its first scene, and one unlisted scene (→ 10 其他).
  const firstScene = new Map<number, number>();
  for (const [scene, key] of sceneKeysFromSpec()) if (!firstScene.has(key)) firstScene.set(key, scene);
  let minute = 0;
  for (const scene of [...firstScene.values(), 1999]) {
    const t = dayStart(addDays(today, -7)) + 10 * HOUR + ++minute * 60_000;
    const sid = `scene-${scene}`;
    send(
      `scene_${scene}`,
      sid,
      [
        { id: 'o', t: 'open', ts: t, sid, scene, path: 'pages/index/index', cold: true },
        { id: 'p', t: 'pv', ts: t + 100, sid, path: 'pages/index/index' },
        { id: 'l', t: 'leave', ts: t + 7_100, sid, path: 'pages/index/index', dur: 7_000 },
      ],
      t + 8_000,
    );
  }
  return out;
}

/** Whether every event is at least 10 s away from a Shanghai midnight (safe to send with server-side timing). */
const farFromMidnight = (events: CollectEvent[]) =>
  events.every((e) => {
    const intoDay = (e.ts + 8 * HOUR) % (24 * HOUR);
    return intoDay > 10_000 && intoDay < 24 * HOUR - 10_000;
  });

function perturb(demo: Delivery[], counts: { skewed: number; gzipped: number }): Delivery[] {
  return demo.map((d, i) => {
    if (i % 13 === 7 && farFromMidnight(d.body.events)) {
      counts.gzipped++;
      return { ...d, gzip: true };
    }
    if (i % 7 === 3) {
      counts.skewed++;
      const skew = (i % 2 ? 1 : -1) * (3 * HOUR + (i % 50) * 60_000);
      const events = d.body.events.map((e) => ({ ...e, ts: e.ts + skew }));
      return { ...d, body: { ...d.body, sent_at: d.body.sent_at + skew, events } };
    }
    return d;
  });
}

/** A 503 answer (the server busy, or storing an earlier copy): the sender tries again later. */
const BUSY = Symbol('busy');

async function deliverOnce(m: Miniscope, d: Delivery): Promise<{ rejected: unknown[] } | typeof BUSY> {
  if (!d.gzip) {
    try {
      return await m.ingest.collect(d.body, d.ip, d.receivedAt);
    } catch (error) {
      if (error instanceof MiniscopeError && ERROR_STATUS[error.code] === 503) return BUSY;
      throw error;
    }
  }
  // Replayed from a phone's queue now: sent_at is now, the events keep their times.
  const res = await m.server.inject({
    method: 'POST',
    url: '/collect',
    remoteAddress: d.ip,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: zlib.gzipSync(JSON.stringify({ ...d.body, sent_at: Date.now() })),
  });
  if (res.statusCode === 503) return BUSY;
  if (res.statusCode !== 200) throw new Error(`gzip batch: ${res.statusCode} ${res.body}`);
  return res.json();
}

/**
 * Delivers a batch, sent again after a pause while the server answers 503 (protocol.md: retry later
 * with backoff), as a phone does: on a busy machine the ingest queue refuses what would wait too long.
 */
async function deliver(m: Miniscope, d: Delivery): Promise<{ rejected: unknown[] }> {
  for (let attempt = 1; attempt <= 30; attempt++) {
    const answer = await deliverOnce(m, d);
    if (answer !== BUSY) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
  throw new Error(`batch ${d.body.batch}: the server stayed busy`);
}

/** What the server should have stored for one delivery (first copy only). */
function record(d: Delivery, traffic: SentTraffic): void {
  const place = geo.locate(d.ip);
  const dev = d.body.device ?? {};
  traffic.users.set(d.body.user.id, {
    gender: d.body.user.gender ?? 0,
    birthYear: d.body.user.birth_year ?? 0,
    platform: dev.platform ?? '',
    model: dev.model ?? '',
    province: place.province,
    city: place.city,
  });
  const shift = d.gzip ? 0 : d.receivedAt - d.body.sent_at;
  for (const e of d.body.events) {
    traffic.events.push({
      user: d.body.user.id,
      at: e.ts + shift,
      t: e.t,
      sid: e.sid,
      path: 'path' in e && e.path ? e.path : '',
      scene: e.t === 'open' ? e.scene : 0,
      dur: e.t === 'leave' ? e.dur : 0,
    });
  }
}

/**
 * Sends the traffic: the demo's `users` (300 unless told) over 40 days, perturbed, the crafted opens,
 * then `extra` deliveries (sent as they are).
 */
export async function sendTraffic(
  m: Miniscope,
  appid: string,
  now: number,
  { extra = [], users = 300 }: { extra?: Delivery[]; users?: number } = {},
): Promise<SentTraffic> {
  const today = shanghaiDay(now);
  const demo: Delivery[] = [];
  for (const day of demoBatches({ appid, days: 40, users, seed: 4242, now })) {
    for (const b of day) demo.push({ ...b, gzip: false });
  }
  const traffic: SentTraffic = {
    events: [],
    users: new Map(),
    batches: 0,
    retries: 0,
    gzipped: 0,
    skewed: 0,
    deliveries: [],
  };
  const deliveries = [...perturb(demo, traffic), ...crafted(appid, today), ...extra];
  const retries = deliveries
    .filter((_, i) => i % 11 === 5)
    .map((d) => ({ ...d, body: { ...d.body, sent_at: d.body.sent_at + 60_000 }, receivedAt: d.receivedAt + 60_000 }));
  for (let i = 0; i < deliveries.length; i += 300) {
    const answers = await Promise.all(deliveries.slice(i, i + 300).map((d) => deliver(m, d)));
    for (const a of answers) if (a.rejected.length) throw new Error(`rejected: ${JSON.stringify(a.rejected)}`);
  }
  const again = await Promise.all(retries.map((d) => deliver(m, d)));
  if (again.some((a) => !(a as { duplicate?: boolean }).duplicate))
    throw new Error('a retried batch was not a duplicate');
  for (const d of deliveries) record(d, traffic);
  traffic.batches = deliveries.length;
  traffic.deliveries = deliveries;
  traffic.retries = retries.length;
  return traffic;
}
