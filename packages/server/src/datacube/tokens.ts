/**
 * Access tokens for the datacube-compatible API (wechat-analytics.md §9.1), kept in the metadata
 * database so they survive a restart. Two isolated flows per app, as WeChat has them:
 * - `token` (GET /cgi-bin/token): every call issues a new token; the previous one keeps working
 *   for 5 more minutes, then answers 40001.
 * - `stable` (POST /cgi-bin/stable_token): returns the current token while it has ≥ 5 minutes left,
 *   else a new one. `force_refresh` issues a new one at most 20 times a day; a forced call within
 *   30 s of the last forced refresh "does not refresh" (WeChat's words): it answers the current token,
 *   no error. A new stable token leaves the one it replaces 5 minutes, and ends at once any token
 *   replaced before, so that two forced refreshes 30 s apart make a leaked token invalid at once
 *   ("使用强制刷新模式以间隔30s发起两次调用可将已经泄漏的access_token立即失效").
 * Tokens live 7200 s; an expired one answers 42001 for a day, then is forgotten (40001).
 */
import crypto from 'node:crypto';
import { APPID_PATTERN, type Apps } from '../meta/apps.js';
import type { MetaDb } from '../meta/db.js';
import { WxError } from './errors.js';

export const TOKEN_TTL_S = 7200;
export const OVERLAP_MS = 5 * 60 * 1000;
export const FORCE_MIN_GAP_MS = 30 * 1000;
export const FORCE_PER_DAY = 20;
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,512}$/;
const SECRET_PATTERN = /^[0-9a-f]{32}$/;

export type TokenKind = 'token' | 'stable';

export interface TokenRequest {
  grant_type?: unknown;
  appid?: unknown;
  secret?: unknown;
  force_refresh?: unknown;
}

export interface IssuedToken {
  access_token: string;
  expires_in: number;
}

interface TokenRow {
  token: string;
  appid: string;
  forced: number;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export class DatacubeTokens {
  constructor(
    private readonly db: MetaDb,
    private readonly apps: Apps,
    private readonly now: () => number = Date.now,
  ) {}

  /** Check the credentials of a token request; returns the app. Throws WxError. */
  authenticate(req: TokenRequest): string {
    if (req.grant_type !== 'client_credential') throw new WxError('invalidGrantType');
    if (typeof req.appid !== 'string' || req.appid === '') throw new WxError('appidMissing');
    if (typeof req.secret !== 'string' || req.secret === '') throw new WxError('secretMissing');
    if (!APPID_PATTERN.test(req.appid) || !this.apps.get(req.appid)) throw new WxError('invalidAppid');
    if (!SECRET_PATTERN.test(req.secret)) throw new WxError('invalidSecret');
    if (!this.apps.checkSecret(req.appid, req.secret)) throw new WxError('invalidCredential', 'wrong AppSecret');
    return req.appid;
  }

  /** Issue (or, for a stable token in normal mode or forced too soon, return) the app's token. */
  issue(appid: string, kind: TokenKind, force = false): IssuedToken {
    const now = this.now();
    return this.db.transaction((): IssuedToken => {
      this.db.prepare('DELETE FROM datacube_tokens WHERE expires_at < ?').run(now - KEEP_EXPIRED_MS);
      const kept = this.kept(appid, kind, force, now);
      if (kept) return answer(kept.token, kept.expires_at, now);
      if (force) this.checkForceQuota(appid, now);
      this.replaceTokens(appid, kind, now);
      const token = crypto.randomBytes(96).toString('base64url');
      const expiresAt = now + TOKEN_TTL_S * 1000;
      this.db
        .prepare(
          'INSERT INTO datacube_tokens (token, appid, kind, forced, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(token, appid, kind, force ? 1 : 0, now, expiresAt);
      return answer(token, expiresAt, now);
    })();
  }

  /** The app a token grants, or a WxError (41001 missing, 40014 malformed, 40001 unknown or replaced, 42001 expired). */
  verify(token: unknown): string {
    if (token === undefined || token === '') throw new WxError('tokenMissing');
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new WxError('invalidToken');
    const row = this.db.prepare('SELECT * FROM datacube_tokens WHERE token = ?').get(token) as TokenRow | undefined;
    if (!row || !this.apps.get(row.appid)) throw new WxError('invalidCredential');
    const now = this.now();
    if (now >= row.expires_at) throw new WxError('tokenExpired');
    if (row.revoked_at !== null && now >= row.revoked_at) throw new WxError('invalidCredential');
    return row.appid;
  }

  private current(appid: string, kind: TokenKind, now: number): TokenRow | undefined {
    return this.db
      .prepare(
        `SELECT * FROM datacube_tokens WHERE appid = ? AND kind = ? AND revoked_at IS NULL AND expires_at > ?
         ORDER BY issued_at DESC LIMIT 1`,
      )
      .get(appid, kind, now) as TokenRow | undefined;
  }

  /**
   * The current stable token, when it is to be answered again rather than replaced: in normal mode
   * while it has 5 minutes or more left, and when forced within 30 s of the last forced refresh.
   */
  private kept(appid: string, kind: TokenKind, force: boolean, now: number): TokenRow | undefined {
    const current = this.current(appid, kind, now);
    if (kind !== 'stable' || !current) return undefined;
    const keep = force ? this.forcedTooSoon(appid, now) : current.expires_at - now >= OVERLAP_MS;
    return keep ? current : undefined;
  }

  /** Before a new token: the app's current one of this kind keeps working 5 more minutes (at most until it expires). */
  private replaceTokens(appid: string, kind: TokenKind, now: number): void {
    if (kind === 'stable') {
      // The token replaced last time, still in its 5 minutes, ends now.
      this.db
        .prepare(
          `UPDATE datacube_tokens SET revoked_at = ?
           WHERE appid = ? AND kind = ? AND revoked_at IS NOT NULL AND revoked_at > ?`,
        )
        .run(now, appid, kind, now);
    }
    this.db
      .prepare(
        `UPDATE datacube_tokens SET revoked_at = min(expires_at, ?)
         WHERE appid = ? AND kind = ? AND revoked_at IS NULL`,
      )
      .run(now + OVERLAP_MS, appid, kind);
  }

  /** Forced refreshes of the last 24 hours, newest first. */
  private forcedRefreshes(appid: string, now: number): number[] {
    const rows = this.db
      .prepare(
        `SELECT issued_at FROM datacube_tokens WHERE appid = ? AND kind = 'stable' AND forced = 1 AND issued_at > ?
         ORDER BY issued_at DESC`,
      )
      .all(appid, now - 24 * 60 * 60 * 1000) as Array<{ issued_at: number }>;
    return rows.map((r) => r.issued_at);
  }

  private forcedTooSoon(appid: string, now: number): boolean {
    const [last] = this.forcedRefreshes(appid, now);
    return last !== undefined && now - last < FORCE_MIN_GAP_MS;
  }

  private checkForceQuota(appid: string, now: number): void {
    if (this.forcedRefreshes(appid, now).length >= FORCE_PER_DAY) throw new WxError('dailyQuota');
  }
}

function answer(token: string, expiresAt: number, now: number): IssuedToken {
  return { access_token: token, expires_in: Math.floor((expiresAt - now) / 1000) };
}
