/**
 * Test helpers for accounts: make users with a known password and log them in without the cost
 * of scrypt per request (a session straight from the session store, as a login would make).
 */
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';

export const PASSWORD = 'correct horse battery';

export function makeUser(m: Miniscope, wechatId: string, isAdmin = false): Promise<User> {
  return m.auth.users.add(wechatId, `${wechatId} 名`, PASSWORD, isAdmin);
}

/** Headers of a fresh session for `user`: the session cookie and the CSRF token. */
export function sessionHeaders(m: Miniscope, user: User): Record<string, string> {
  const s = m.auth.sessions.create(user.id);
  return { cookie: `ms_session=${s.token}`, 'x-csrf-token': s.csrf };
}

/** A test AppID from a number: wx and 16 hex digits. */
export const appidOf = (n: number) => `wx${n.toString(16).padStart(16, '0')}`;
