/**
 * Builders for metric fixtures: Shanghai wall-clock times, protocol events, and seeding one user's
 * batch with no clock correction (received_at = sent_at), so events keep their exact times.
 * Expected figures are computed by hand in each test, never here.
 */
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import type { Miniscope } from '../src/miniscope.js';
import { batch } from './helpers.js';

/** Epoch ms of a wall-clock time in Asia/Shanghai (UTC+8, no daylight saving): '2026-10-05 10:00:00'. */
export const sh = (local: string): number => Date.parse(`${local.replace(' ', 'T')}+08:00`);

let seq = 0;
const id = () => `e${++seq}`;

export const ev = {
  open: (sid: string, at: string, scene = 1001, path = 'pages/index/index'): CollectEvent => ({
    id: id(),
    t: 'open',
    ts: sh(at),
    sid,
    scene,
    path,
    cold: true,
  }),
  pv: (sid: string, at: string, path = 'pages/index/index'): CollectEvent => ({
    id: id(),
    t: 'pv',
    ts: sh(at),
    sid,
    path,
  }),
  leave: (sid: string, at: string, path: string, dur: number): CollectEvent => ({
    id: id(),
    t: 'leave',
    ts: sh(at),
    sid,
    path,
    dur,
  }),
  share: (sid: string, at: string, path: string): CollectEvent => ({
    id: id(),
    t: 'share',
    ts: sh(at),
    sid,
    path,
    to: 'chat',
  }),
  hide: (sid: string, at: string): CollectEvent => ({ id: id(), t: 'hide', ts: sh(at), sid }),
};

export interface SeedOptions {
  ip?: string;
  user?: CollectBatch['user'];
  device?: CollectBatch['device'];
}

/** A batch of one user's events, received one second after its last event. */
export function userBatch(
  app: string,
  userId: string,
  events: CollectEvent[],
  options: SeedOptions = {},
): CollectBatch {
  const last = Math.max(...events.map((e) => e.ts));
  return batch(app, events, {
    sent_at: last + 1000,
    user: options.user ?? { id: userId },
    ...(options.device ? { device: options.device } : {}),
  });
}

/** Store a batch as if it had just arrived (no clock skew); returns the ingest answer. */
export async function seed(m: Miniscope, body: CollectBatch, ip = '8.8.8.8') {
  const answer = await m.ingest.collect(body, ip, body.sent_at);
  if (answer.rejected.length > 0) throw new Error(`fixture event rejected: ${JSON.stringify(answer.rejected)}`);
  return answer;
}

/** Seed one user's events in one batch. */
export function seedUser(m: Miniscope, app: string, userId: string, events: CollectEvent[], options: SeedOptions = {}) {
  return seed(m, userBatch(app, userId, events, options), options.ip);
}
