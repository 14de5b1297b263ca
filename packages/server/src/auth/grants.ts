/**
 * Authorized viewers (the data assistant's 授权): the app admin grants a user view access to the
 * app's data and may revoke it; the grantee is notified either way and both go to the audit log.
 * Grants per app are capped (MINISCOPE_VIEWER_CAP, default 20). Access is read from the database
 * on every request, so a revocation takes effect on the grantee's next request.
 */

import type { Grant } from '@miniscope/contract';
import { MiniscopeError } from '../errors.js';
import type { App } from '../meta/apps.js';
import type { MetaDb } from '../meta/db.js';
import type { AuditLog } from './audit.js';
import type { Notifier } from './notifications.js';
import type { User } from './users.js';

export class Grants {
  constructor(
    private readonly db: MetaDb,
    private readonly audit: AuditLog,
    private readonly notifier: Notifier,
    readonly cap: number,
  ) {}

  /** Quietly drop a grant made redundant (the grantee became the app's admin). */
  dropFor(appid: string, userId: number): void {
    this.db.prepare('DELETE FROM app_grants WHERE appid = ? AND user_id = ?').run(appid, userId);
  }

  list(appid: string): Grant[] {
    return this.db
      .prepare(
        `SELECT g.user_id, u.wechat_id, u.display_name, g.granted_at, b.wechat_id AS granted_by
           FROM app_grants g JOIN users u ON u.id = g.user_id LEFT JOIN users b ON b.id = g.granted_by
          WHERE g.appid = ? ORDER BY g.granted_at, g.user_id`,
      )
      .all(appid) as Grant[];
  }

  grant(app: App, grantee: User, actor: User): void {
    if (grantee.id === actor.id) throw new MiniscopeError('is_admin', 'You already see this app as its admin');
    this.db.transaction(() => {
      const exists = this.db
        .prepare('SELECT 1 FROM app_grants WHERE appid = ? AND user_id = ?')
        .get(app.appid, grantee.id);
      if (exists) throw new MiniscopeError('already_granted', `${grantee.wechatId} is already authorized`);
      const { n } = this.db.prepare('SELECT count(*) AS n FROM app_grants WHERE appid = ?').get(app.appid) as {
        n: number;
      };
      if (n >= this.cap)
        throw new MiniscopeError(
          'viewer_cap',
          `This app already has ${this.cap} authorized viewers, the most allowed; revoke someone's access first`,
        );
      this.db
        .prepare('INSERT INTO app_grants (appid, user_id, granted_by, granted_at) VALUES (?, ?, ?, ?)')
        .run(app.appid, grantee.id, actor.id, Date.now());
      this.audit.record(app.appid, actor.id, 'grant', grantee.id);
    })();
    this.notifier.notify({ kind: 'granted', appid: app.appid, appName: app.name, user: grantee, by: actor });
  }

  revoke(app: App, grantee: User, actor: User): void {
    this.db.transaction(() => {
      const info = this.db.prepare('DELETE FROM app_grants WHERE appid = ? AND user_id = ?').run(app.appid, grantee.id);
      if (info.changes === 0) throw new MiniscopeError('not_granted', `${grantee.wechatId} is not authorized`);
      this.audit.record(app.appid, actor.id, 'revoke', grantee.id);
    })();
    this.notifier.notify({ kind: 'revoked', appid: app.appid, appName: app.name, user: grantee, by: actor });
  }
}
