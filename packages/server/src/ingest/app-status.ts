/**
 * Whether an app's events arrive: how many are stored and when the last one was received. The
 * dashboard's 接入指南 polls it for its "waiting for the first event … received" check, and hides
 * the reports of an app that never received one behind a link to the guide.
 * NOTE: `received_at` is the server's arrival time (the phone's clock plays no part); `max()` of no
 * rows is the epoch, returned as null.
 */
import type { Store } from '../store/store.js';

export interface AppIngestStatus {
  /** Events stored for the app, ever. */
  events: number;
  /** When the last stored event arrived (epoch ms), or null before the first. */
  lastReceivedAt: number | null;
}

const SQL = `SELECT count() AS events, toUnixTimestamp64Milli(max(received_at)) AS last
FROM events WHERE app_id = {app:String}
SETTINGS max_execution_time = 10`;

export async function appIngestStatus(store: Store, appid: string): Promise<AppIngestStatus> {
  const [row] = await store.query<{ events: string | number; last: string | number }>(SQL, { app: appid });
  const events = Number(row?.events ?? 0);
  const last = Number(row?.last ?? 0);
  return { events, lastReceivedAt: events > 0 && last > 0 ? last : null };
}
