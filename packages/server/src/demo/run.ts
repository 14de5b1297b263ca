/**
 * Fills the demo app through the real ingest pipeline (validation, clock correction, location,
 * idempotence, group commit), with a progress bar on stderr.
 */
import crypto from 'node:crypto';
import type { Miniscope } from '../miniscope.js';
import { demoBatches } from './generate.js';

export const DEMO_APPID = 'wxde00000000000001';
export const DEMO_NAME = '演示小程序';

/** What to tell the person who asked for the demo. */
export function describeDemo(result: DemoResult): string[] {
  const lines = [
    result.skipped
      ? `Demo app ${result.appid} already has data.`
      : `Demo app ${result.appid} filled: ${result.events.toLocaleString('en')} events in ${result.batches.toLocaleString('en')} batches.`,
  ];
  if (result.secret) lines.push(`Its AppSecret (for the datacube API): ${result.secret}`);
  if (result.login?.password)
    lines.push(`Log in as ${result.login.wechatId} with password ${result.login.password} (shown once).`);
  else if (result.login) lines.push(`${result.login.wechatId} is the demo app's admin.`);
  return lines;
}

export interface DemoResult {
  appid: string;
  secret?: string;
  /** Who can see the demo's data: the app admin, with a password when the demo created the account. */
  login?: { wechatId: string; password?: string };
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

/**
 * Only an app's admin, its data analysts and authorized viewers see its data. The demo app's admin
 * is the first deployment admin, or a `demo_admin` account made now (its password printed once).
 */
async function ensureDemoAdmin(m: Miniscope): Promise<DemoResult['login']> {
  if (m.auth.members.adminOf(DEMO_APPID) !== undefined) return undefined;
  const admin = m.auth.users.list().find((u) => u.isAdmin);
  if (admin) {
    m.auth.members.setAdmin(DEMO_APPID, admin.id, null);
    return { wechatId: admin.wechatId };
  }
  const password = crypto.randomBytes(12).toString('base64url');
  const user = await m.auth.users.add('demo_admin', '演示管理员', password, true);
  m.auth.members.setAdmin(DEMO_APPID, user.id, null);
  return { wechatId: user.wechatId, password };
}

export async function runDemo(
  m: Miniscope,
  options: { days: number; users: number; quiet?: boolean },
): Promise<DemoResult> {
  let secret: string | undefined;
  if (!m.apps.get(DEMO_APPID)) secret = m.apps.add(DEMO_APPID, DEMO_NAME).secret;
  const login = await ensureDemoAdmin(m);
  const existing = await m.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
    app: DEMO_APPID,
  });
  if (Number(existing[0]?.n) > 0) return { appid: DEMO_APPID, login, events: 0, batches: 0, skipped: true };

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
  return { appid: DEMO_APPID, secret, login, events, batches, skipped: false };
}
