/**
 * Registered mini programs. An app is its WeChat AppID, a name and an AppSecret (shown once, kept
 * only as a hash) for the datacube-compatible token endpoint.
 */
import crypto from 'node:crypto';
import { MiniscopeError } from '../errors.js';
import type { MetaDb } from './db.js';

export interface App {
  appid: string;
  name: string;
  createdAt: number;
}

/** WeChat AppIDs are `wx` and 16 hex digits. */
export const APPID_PATTERN = /^wx[0-9a-f]{16}$/;

export const NAME_MAX = 64;

/** Characters as a reader counts them (🛒 or 👍🏽 is one), not UTF-16 units. */
export function characters(text: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++;
  return n;
}

/**
 * The AppID as stored: surrounding blanks dropped (pasted from WeChat's console); throws naming the
 * rule. An AppID in capitals is refused with its lower-case form, as the SDK sends what WeChat gives.
 */
export function checkAppid(input: string): string {
  const appid = input.trim();
  if (APPID_PATTERN.test(appid)) return appid;
  if (APPID_PATTERN.test(appid.toLowerCase()))
    throw new MiniscopeError(
      'invalid_appid',
      `AppID "${appid}" must be in lower case, as WeChat writes it: ${appid.toLowerCase()}`,
    );
  throw new MiniscopeError('invalid_appid', `AppID "${appid}" must be wx followed by 16 hex digits (0-9, a-f)`);
}

const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');
const newSecret = () => crypto.randomBytes(16).toString('hex');

export class Apps {
  /** appid → App; the collector resolves the app of every batch, so it is cached. */
  private readonly cache = new Map<string, App>();

  constructor(private readonly db: MetaDb) {
    for (const app of this.list()) this.cache.set(app.appid, app);
  }

  /** Register an app; returns it with its AppSecret, which is not stored in clear. */
  add(appidInput: string, name: string): App & { secret: string } {
    const appid = checkAppid(appidInput);
    const trimmed = name.trim();
    if (!trimmed || characters(trimmed) > NAME_MAX)
      throw new MiniscopeError('invalid_name', `The app name must be 1 to ${NAME_MAX} characters`);
    if (this.get(appid)) throw new MiniscopeError('app_exists', `An app with AppID ${appid} already exists`);
    const secret = newSecret();
    const app: App = { appid, name: trimmed, createdAt: Date.now() };
    this.db
      .prepare('INSERT INTO apps (appid, name, secret_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(appid, app.name, hashSecret(secret), app.createdAt);
    this.cache.set(appid, app);
    return { ...app, secret };
  }

  /** Cached; a miss reads the database, since `miniscope app add` may run beside the server. */
  get(appid: string): App | undefined {
    const hit = this.cache.get(appid);
    if (hit || !APPID_PATTERN.test(appid)) return hit;
    const row = this.db.prepare('SELECT appid, name, created_at FROM apps WHERE appid = ?').get(appid) as
      | { appid: string; name: string; created_at: number }
      | undefined;
    if (!row) return undefined;
    const app = { appid: row.appid, name: row.name, createdAt: row.created_at };
    this.cache.set(appid, app);
    return app;
  }

  list(): App[] {
    const rows = this.db.prepare('SELECT appid, name, created_at FROM apps ORDER BY created_at, appid').all() as Array<{
      appid: string;
      name: string;
      created_at: number;
    }>;
    return rows.map((r) => ({ appid: r.appid, name: r.name, createdAt: r.created_at }));
  }

  /** Replace the AppSecret; the old one stops working at once. */
  rotateSecret(appid: string): string {
    if (!this.get(appid)) throw new MiniscopeError('unknown_app', `No app with AppID ${appid}`);
    const secret = newSecret();
    this.db.prepare('UPDATE apps SET secret_hash = ? WHERE appid = ?').run(hashSecret(secret), appid);
    return secret;
  }

  /** Constant-time check of an AppSecret. */
  checkSecret(appid: string, secret: string): boolean {
    const row = this.db.prepare('SELECT secret_hash FROM apps WHERE appid = ?').get(appid) as
      | { secret_hash: string }
      | undefined;
    if (!row) return false;
    const a = Buffer.from(row.secret_hash, 'hex');
    const b = Buffer.from(hashSecret(secret), 'hex');
    return crypto.timingSafeEqual(a, b);
  }
}
