/**
 * Who belongs to an app: its one 管理员 (admin) and its members, each with any combination of the
 * permissions 开发者 (developer), 体验者 (tester) and 数据分析 (analyst). Only 数据分析 shows data
 * (access.ts). Members per app are capped (MINISCOPE_MEMBER_CAP, default 90, WeChat's figure for a
 * verified, released organisation account); the admin is not counted.
 */
import type { Member, MemberPerms } from '@miniscope/contract';
import { MiniscopeError } from '../errors.js';
import type { MetaDb } from '../meta/db.js';
import type { AuditLog } from './audit.js';

interface MemberRow {
  user_id: number;
  wechat_id: string;
  display_name: string;
  developer: number;
  tester: number;
  analyst: number;
  added_at: number;
}

export class Members {
  constructor(
    private readonly db: MetaDb,
    private readonly audit: AuditLog,
    private readonly cap: number,
  ) {}

  adminOf(appid: string): number | undefined {
    const row = this.db.prepare('SELECT user_id FROM app_admins WHERE appid = ?').get(appid) as
      | { user_id: number }
      | undefined;
    return row?.user_id;
  }

  /** Name the app's one admin (replacing the previous one). */
  setAdmin(appid: string, userId: number, actorId: number | null): void {
    const previous = this.adminOf(appid);
    this.db
      .prepare(
        'INSERT INTO app_admins (appid, user_id) VALUES (?, ?) ON CONFLICT (appid) DO UPDATE SET user_id = excluded.user_id',
      )
      .run(appid, userId);
    this.audit.record(appid, actorId, 'admin_set', userId, { previous_user_id: previous ?? null });
  }

  list(appid: string): Member[] {
    const rows = this.db
      .prepare(
        `SELECT m.user_id, u.wechat_id, u.display_name, m.developer, m.tester, m.analyst, m.added_at
           FROM app_members m JOIN users u ON u.id = m.user_id
          WHERE m.appid = ? ORDER BY m.added_at, m.user_id`,
      )
      .all(appid) as MemberRow[];
    return rows.map((r) => ({
      ...r,
      developer: r.developer === 1,
      tester: r.tester === 1,
      analyst: r.analyst === 1,
    }));
  }

  get(appid: string, userId: number): Member | undefined {
    return this.list(appid).find((m) => m.user_id === userId);
  }

  /** Add a member or change their permissions; at least one permission, within the cap. */
  set(appid: string, userId: number, perms: MemberPerms, actorId: number): void {
    if (!perms.developer && !perms.tester && !perms.analyst)
      throw new MiniscopeError('no_permission', 'Give the member at least one permission, or remove them');
    if (this.adminOf(appid) === userId)
      throw new MiniscopeError('is_admin', 'This user is the app admin, who already has every permission');
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM app_members WHERE appid = ? AND user_id = ?').get(appid, userId);
      if (!exists) {
        const { n } = this.db.prepare('SELECT count(*) AS n FROM app_members WHERE appid = ?').get(appid) as {
          n: number;
        };
        if (n >= this.cap)
          throw new MiniscopeError(
            'member_cap',
            `This app already has ${this.cap} members, the most allowed; remove a member before adding another`,
          );
      }
      this.db
        .prepare(
          `INSERT INTO app_members (appid, user_id, developer, tester, analyst, added_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (appid, user_id) DO UPDATE SET
             developer = excluded.developer, tester = excluded.tester, analyst = excluded.analyst`,
        )
        .run(appid, userId, Number(perms.developer), Number(perms.tester), Number(perms.analyst), Date.now());
      this.audit.record(appid, actorId, 'member_set', userId, { ...perms });
    })();
  }

  remove(appid: string, userId: number, actorId: number): void {
    const info = this.db.prepare('DELETE FROM app_members WHERE appid = ? AND user_id = ?').run(appid, userId);
    if (info.changes === 0) throw new MiniscopeError('not_member', 'This user is not a member of the app');
    this.audit.record(appid, actorId, 'member_remove', userId);
  }
}
