/**
 * The per-app audit log: every grant and revoke of view access (and every change of members or of
 * the app's admin), with who did it, to whom and when. The app's admin reads it in the dashboard.
 */
import type { MetaDb } from '../meta/db.js';

export type AuditAction = 'grant' | 'revoke' | 'member_set' | 'member_remove' | 'admin_set';

export interface AuditEntry {
  id: number;
  action: AuditAction;
  actor: { wechat_id: string; display_name: string } | null;
  target: { wechat_id: string; display_name: string } | null;
  detail: Record<string, unknown>;
  at: number;
}

interface AuditRow {
  id: number;
  action: AuditAction;
  actor_wechat_id: string | null;
  actor_name: string | null;
  target_wechat_id: string | null;
  target_name: string | null;
  detail: string;
  at: number;
}

const person = (wechatId: string | null, name: string | null) =>
  wechatId === null ? null : { wechat_id: wechatId, display_name: name ?? '' };

export class AuditLog {
  constructor(private readonly db: MetaDb) {}

  record(
    appid: string,
    actorId: number | null,
    action: AuditAction,
    targetId: number | null,
    detail: Record<string, unknown> = {},
  ): void {
    this.db
      .prepare('INSERT INTO audit_log (appid, actor_id, action, target_id, detail, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(appid, actorId, action, targetId, JSON.stringify(detail), Date.now());
  }

  /** Newest first; `before` pages back by entry id. */
  list(appid: string, limit = 100, before = Number.MAX_SAFE_INTEGER): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.action, l.detail, l.at,
                a.wechat_id AS actor_wechat_id, a.display_name AS actor_name,
                t.wechat_id AS target_wechat_id, t.display_name AS target_name
           FROM audit_log l
           LEFT JOIN users a ON a.id = l.actor_id
           LEFT JOIN users t ON t.id = l.target_id
          WHERE l.appid = ? AND l.id < ?
          ORDER BY l.id DESC LIMIT ?`,
      )
      .all(appid, before, limit) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: person(r.actor_wechat_id, r.actor_name),
      target: person(r.target_wechat_id, r.target_name),
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      at: r.at,
    }));
  }
}
