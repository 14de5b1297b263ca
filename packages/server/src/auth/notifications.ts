/**
 * Notices to users: an in-app list per user (shown by the dashboard) and, when the deployment
 * configures one, the outgoing webhook. Sent when someone is granted or loses view access.
 */
import type { MetaDb } from '../meta/db.js';
import type { Webhook } from './webhook.js';

export type NoticeKind = 'granted' | 'revoked';

export interface Notice {
  id: number;
  kind: NoticeKind;
  appid: string;
  message: string;
  created_at: number;
  read: boolean;
}

export interface NoticeEvent {
  kind: NoticeKind;
  appid: string;
  appName: string;
  user: { id: number; wechatId: string; displayName: string };
  by: { wechatId: string; displayName: string };
}

function message(e: NoticeEvent): string {
  return e.kind === 'granted'
    ? `${e.by.displayName} 授权你查看「${e.appName}」的数据`
    : `${e.by.displayName} 取消了你查看「${e.appName}」数据的授权`;
}

export class Notifier {
  constructor(
    private readonly db: MetaDb,
    readonly webhook?: Webhook,
  ) {}

  notify(e: NoticeEvent): void {
    const now = Date.now();
    const text = message(e);
    this.db
      .prepare('INSERT INTO notifications (user_id, kind, appid, message, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(e.user.id, e.kind, e.appid, text, now);
    this.webhook?.send({
      event: e.kind,
      appid: e.appid,
      app_name: e.appName,
      user: { wechat_id: e.user.wechatId, display_name: e.user.displayName },
      by: { wechat_id: e.by.wechatId, display_name: e.by.displayName },
      message: text,
      at: now,
    });
  }

  list(userId: number, limit = 50): Notice[] {
    const rows = this.db
      .prepare(
        'SELECT id, kind, appid, message, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?',
      )
      .all(userId, limit) as Array<Omit<Notice, 'read'> & { read_at: number | null }>;
    return rows.map(({ read_at, ...n }) => ({ ...n, read: read_at !== null }));
  }

  unread(userId: number): number {
    const row = this.db
      .prepare('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL')
      .get(userId) as { n: number };
    return row.n;
  }

  markAllRead(userId: number): void {
    this.db
      .prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL')
      .run(Date.now(), userId);
  }
}
