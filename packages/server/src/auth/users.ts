/**
 * Accounts: a WeChat ID (微信号) handle, a display name, a scrypt password hash and whether the
 * account is a deployment admin (may create apps and name their 管理员). WeChat IDs are compared
 * without regard to case, as WeChat does.
 */
import { MiniscopeError } from '../errors.js';
import type { MetaDb } from '../meta/db.js';
import { dummyHash, hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './passwords.js';

export interface User {
  id: number;
  wechatId: string;
  displayName: string;
  isAdmin: boolean;
  lastAppid: string | null;
}

/** WeChat's own rule for a 微信号: 6–20 letters, digits, '_' or '-', starting with a letter. */
export const WECHAT_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

interface UserRow {
  id: number;
  wechat_id: string;
  display_name: string;
  is_admin: number;
  last_appid: string | null;
}

const COLUMNS = 'id, wechat_id, display_name, is_admin, last_appid';
const toUser = (r: UserRow): User => ({
  id: r.id,
  wechatId: r.wechat_id,
  displayName: r.display_name,
  isAdmin: r.is_admin === 1,
  lastAppid: r.last_appid,
});

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)
    throw new MiniscopeError('weak_password', `The password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  return password;
}

export class Users {
  constructor(private readonly db: MetaDb) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async add(wechatId: string, displayName: string, password: string, isAdmin: boolean): Promise<User> {
    if (!WECHAT_ID_PATTERN.test(wechatId))
      throw new MiniscopeError(
        'invalid_wechat_id',
        'A WeChat ID is 6–20 letters, digits, _ or -, starting with a letter',
      );
    const name = displayName.trim();
    if (!name || name.length > 64)
      throw new MiniscopeError('invalid_name', 'The display name must be 1 to 64 characters');
    const hash = await hashPassword(checkPassword(password));
    if (this.byWechatId(wechatId))
      throw new MiniscopeError('user_exists', `An account with WeChat ID ${wechatId} already exists`);
    const info = this.db
      .prepare(
        'INSERT INTO users (wechat_id, display_name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(wechatId, name, hash, isAdmin ? 1 : 0, Date.now());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): User | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Exact match (case-insensitive); never a prefix search, so IDs cannot be enumerated. */
  byWechatId(wechatId: string): User | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM users WHERE wechat_id = ?`).get(wechatId) as
      | UserRow
      | undefined;
    return row && toUser(row);
  }

  list(): User[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY id`).all() as UserRow[]).map(toUser);
  }

  /** The account if the password is right; as slow for unknown IDs as for known ones. */
  async authenticate(wechatId: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT id, password_hash FROM users WHERE wechat_id = ?').get(wechatId) as
      | { id: number; password_hash: string }
      | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    return ok && row ? this.get(row.id) : undefined;
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const hash = await hashPassword(checkPassword(password));
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
  }

  setAdmin(userId: number, isAdmin: boolean): void {
    this.db.prepare('UPDATE users SET is_admin = ? WHERE id = ?').run(isAdmin ? 1 : 0, userId);
  }

  setLastApp(userId: number, appid: string): void {
    this.db.prepare('UPDATE users SET last_appid = ? WHERE id = ?').run(appid, userId);
  }
}
