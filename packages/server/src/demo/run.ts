/**
 * Fills the demo app through the real ingest pipeline (validation, clock correction, location,
 * idempotence, group commit), with a progress bar on stderr.
 */
import crypto from 'node:crypto';
import type { Miniscope } from '../miniscope.js';
import { demoBatches } from './generate.js';

export const DEMO_APPID = 'wxde00000000000001';
export const DEMO_NAME = '演示小程序';

/** Who may log in to see the demo, and how: told before the traffic is generated. */
export function describeDemoLogin(setup: DemoSetup, home?: string): string[] {
  const lines: string[] = [];
  const where = home ? ` at ${home}/login` : '';
  if (setup.login?.password)
    lines.push(`Demo login${where}: ${setup.login.wechatId}, password ${setup.login.password} (shown once).`);
  else if (setup.login)
    lines.push(`Demo app ${setup.appid}: its admin is ${setup.login.wechatId}; log in as them${where}.`);
  if (setup.secret) lines.push(`Demo app ${setup.appid} AppSecret (for the datacube API): ${setup.secret}`);
  return lines;
}

/** What to tell once the traffic is in. */
export function describeDemo(result: DemoResult): string[] {
  return [
    result.skipped
      ? `Demo app ${result.appid} already has data.`
      : `Demo app ${result.appid} filled: ${result.events.toLocaleString('en')} events in ${result.batches.toLocaleString('en')} batches.`,
  ];
}

export interface DemoSetup {
  appid: string;
  /** Set when the app was made now. */
  secret?: string;
  /** Who can see the demo's data: the app admin, with a password when the demo created the account. */
  login?: { wechatId: string; password?: string };
  /** The app already has events: nothing is generated. */
  hasData: boolean;
}

export interface DemoResult {
  appid: string;
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
async function ensureDemoAdmin(m: Miniscope): Promise<DemoSetup['login']> {
  const current = m.auth.members.adminOf(DEMO_APPID);
  if (current !== undefined) {
    const user = m.auth.users.get(current);
    return user && { wechatId: user.wechatId };
  }
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

/** Make the demo app and its admin (instant), so the login can be printed before the traffic. */
export async function prepareDemo(m: Miniscope): Promise<DemoSetup> {
  let secret: string | undefined;
  if (!m.apps.get(DEMO_APPID)) secret = m.apps.add(DEMO_APPID, DEMO_NAME).secret;
  const login = await ensureDemoAdmin(m);
  // The account exists now: the first-run setup page no longer applies.
  m.auth.setupToken = undefined;
  const existing = await m.store.query<{ n: string }>('SELECT count() AS n FROM events WHERE app_id = {app:String}', {
    app: DEMO_APPID,
  });
  return { appid: DEMO_APPID, secret, login, hasData: Number(existing[0]?.n) > 0 };
}

/** Generate the traffic through the ingest pipeline, unless the app already has data. */
export async function fillDemo(
  m: Miniscope,
  setup: DemoSetup,
  options: { days: number; users: number; quiet?: boolean },
): Promise<DemoResult> {
  if (setup.hasData) return { appid: DEMO_APPID, events: 0, batches: 0, skipped: true };
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
  return { appid: DEMO_APPID, events, batches, skipped: false };
}

/** Both steps, for scripts that print nothing in between. */
export async function runDemo(
  m: Miniscope,
  options: { days: number; users: number; quiet?: boolean },
): Promise<DemoResult & DemoSetup> {
  const setup = await prepareDemo(m);
  return { ...setup, ...(await fillDemo(m, setup, options)) };
}
