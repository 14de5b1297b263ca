/**
 * Fills the demo app through the real ingest pipeline (validation, clock correction, location,
 * idempotence, group commit), with a progress bar on stderr.
 */
import type { Miniscope } from '../miniscope.js';
import { demoBatches } from './generate.js';

export const DEMO_APPID = 'wxde00000000000001';
export const DEMO_NAME = '演示小程序';

export interface DemoResult {
  appid: string;
  secret?: string;
  events: number;
  batches: number;
  skipped: boolean;
}

function progress(done: number, total: number, events: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `demo [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${done}/${total}, ${events.toLocaleString('en')} events`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) process.stderr.write(`${line}\n`);
}

export async function runDemo(
  m: Miniscope,
  options: { days: number; users: number; quiet?: boolean },
): Promise<DemoResult> {
  let secret: string | undefined;
  if (!m.apps.get(DEMO_APPID)) secret = m.apps.add(DEMO_APPID, DEMO_NAME).secret;
  const existing = await m.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
    app: DEMO_APPID,
  });
  if (Number(existing[0]?.n) > 0) return { appid: DEMO_APPID, events: 0, batches: 0, skipped: true };

  let events = 0;
  let batches = 0;
  let day = 0;
  for (const dayBatches of demoBatches({ appid: DEMO_APPID, days: options.days, users: options.users })) {
    for (let i = 0; i < dayBatches.length; i += 1000) {
      const chunk = dayBatches.slice(i, i + 1000);
      const answers = Promise.all(chunk.map((b) => m.ingest.collect(b.body, b.ip, b.receivedAt)));
      await new Promise((resolve) => setImmediate(resolve));
      m.collector.flushNow();
      for (const answer of await answers) events += answer.accepted;
      batches += chunk.length;
    }
    day++;
    if (!options.quiet) progress(day, options.days, events);
  }
  return { appid: DEMO_APPID, secret, events, batches, skipped: false };
}
