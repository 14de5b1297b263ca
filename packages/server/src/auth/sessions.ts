/**
 * Login sessions. The browser holds a random token in an HttpOnly, SameSite=Lax cookie; only its
 * SHA-256 is stored, so a copy of the database cannot be replayed as a login. Each session carries
 * its own CSRF token, sent back by the dashboard in `X-CSRF-Token` on state-changing requests.
 */
import crypto from 'node:crypto';
import type { MetaDb } from '../meta/db.js';

export interface Session {
  userId: number;
  csrf: string;
  tokenHash: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'ms_session';

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export class Sessions {
  constructor(
    private readonly db: MetaDb,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; returns the cookie token (not stored in clear) and the CSRF token. */
  create(userId: number): { token: string; csrf: string; expiresAt: number } {
    const token = crypto.randomBytes(32).toString('base64url');
    const csrf = crypto.randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(token), userId, csrf, now, expiresAt);
    // Expired rows are swept on login rather than by a timer.
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    return { token, csrf, expiresAt };
  }

  /** The live session for a cookie token, if any. */
  find(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const row = this.db
      .prepare('SELECT token_hash, user_id, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?')
      .get(sha256(token), this.now()) as
      | { token_hash: string; user_id: number; csrf: string; expires_at: number }
      | undefined;
    return row && { userId: row.user_id, csrf: row.csrf, tokenHash: row.token_hash, expiresAt: row.expires_at };
  }

  end(session: Session): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(session.tokenHash);
  }

  /** Every session of the user but `keep` (after a password change, other devices are logged out). */
  endOthers(userId: number, keep?: Session): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(userId, keep?.tokenHash ?? '');
  }
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** One cookie from a Cookie header (no dependency needed for one name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeS: number, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeS}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}
