/**
 * A real Miniscope (Fastify and embedded ClickHouse in a temporary directory, as the SDK's end-to-end
 * test starts it) that the framework runs send their batches to, and the comparison of what it
 * stored for a run's user with the events the shop must give.
 */
import assert from 'node:assert/strict';
import type { Miniscope } from '../../../server/src/miniscope.js';
import { startTestMiniscope } from '../../../server/test/helpers.js';
import type { Expected } from './shop.js';

export interface Server {
  /** http://127.0.0.1:port */
  base: string;
  /** the events stored for this user, oldest first, in the shape of Expected */
  stored(userId: string, start: number): Promise<Expected[]>;
  close(): Promise<void>;
}

type Row = Record<string, string | number | boolean | Record<string, string>>;

export async function startServer(appid: string): Promise<Server> {
  const m: Miniscope = await startTestMiniscope();
  m.apps.add(appid, 'framework shop');
  await m.server.listen({ port: 0, host: '127.0.0.1' });
  const address = m.server.server.address();
  assert.ok(address && typeof address === 'object');
  return {
    base: `http://127.0.0.1:${address.port}`,
    async stored(userId, start) {
      const rows = await m.store.query<Row>(
        `SELECT type, toUnixTimestamp64Milli(ts) AS ts_ms, sid, path, scene, cold, dur_ms, share_to, name, props
         FROM events WHERE app_id = {app:String} AND user_id = {user:String}
         ORDER BY ts_ms`,
        { app: appid, user: userId },
      );
      const sids: string[] = [];
      return rows
        .map((row) => {
          const sid = String(row.sid);
          if (!sids.includes(sid)) sids.push(sid);
          return shape(row, sids.indexOf(sid) + 1, Number(row.ts_ms) - start);
        })
        .sort(byTime);
    },
    close: () => m.close(),
  };
}

/** Rows of one time have no order in the store: among them, the order in which the SDK emits. */
const ORDER = ['open', 'leave', 'pv', 'event', 'share', 'hide'];
export const byTime = (a: Expected, b: Expected) => a.at - b.at || ORDER.indexOf(a.t) - ORDER.indexOf(b.t);

/** A stored row with only its type's own fields, named as in the protocol. */
function shape(row: Row, open: number, at: number): Expected {
  const base = { t: String(row.type), open, at };
  switch (row.type) {
    case 'open':
      return { ...base, scene: Number(row.scene), path: row.path, cold: row.cold };
    case 'pv':
      return { ...base, path: row.path };
    case 'leave':
      return { ...base, path: row.path, dur: Number(row.dur_ms) };
    case 'share':
      return { ...base, path: row.path, to: row.share_to };
    case 'event':
      return { ...base, path: row.path, name: row.name, props: row.props };
    default:
      return base;
  }
}

/** The stored form of an expected event: props are stored as text. */
export function asStored(event: Expected): Expected {
  if (!event.props) return event;
  const props = Object.fromEntries(Object.entries(event.props as object).map(([k, v]) => [k, String(v)]));
  return { ...event, props };
}
