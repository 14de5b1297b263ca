/**
 * THE permission module: who may see an app's data and who may manage it. Every dashboard data
 * endpoint and export is checked here, through the route rule hook (access-hook.ts), never by hand.
 *
 * An app's data is seen by its 管理员, by members with 数据分析 and by authorized viewers (授权);
 * nobody else — not developers or testers without 数据分析, not another app's admin, and not a
 * deployment admin as such (they create apps and name admins; they see data only by holding one of
 * those roles). Roles are read from the database on every call, so a change applies at once.
 */
import type { App, Apps } from '../meta/apps.js';
import type { MetaDb } from '../meta/db.js';
import type { User } from './users.js';

/** How a user sees an app; the strongest applies. */
export type AppRole = 'admin' | 'analyst' | 'viewer';

/**
 * The access rule every route declares (route option `config: { access }`):
 * - public: anyone (health, login, first-run setup)
 * - sdk: the collection endpoint, open to mini programs
 * - datacube-token: the datacube API, which checks its own access_token per app
 * - session: any logged-in user
 * - app-data: a logged-in user who may see the data of the app named by `:appid` (or `?appid=`)
 * - app-analyst: the 管理员 of that app or a member with 数据分析 (not a viewer: 授权 is to read)
 * - app-admin: the 管理员 of that app
 * - deployment-admin: a deployment admin
 */
export type AccessRule =
  | 'public'
  | 'sdk'
  | 'datacube-token'
  | 'session'
  | 'app-data'
  | 'app-analyst'
  | 'app-admin'
  | 'deployment-admin';

export const ACCESS_RULES: readonly AccessRule[] = [
  'public',
  'sdk',
  'datacube-token',
  'session',
  'app-data',
  'app-analyst',
  'app-admin',
  'deployment-admin',
];

export interface VisibleApp extends App {
  role: AppRole;
}

const ROLE_RANK: Record<AppRole, number> = { admin: 0, analyst: 1, viewer: 2 };

export class Access {
  constructor(
    private readonly db: MetaDb,
    private readonly apps: Apps,
  ) {}

  /** Every app the user may see, with their role in each, in registration order. */
  visibleApps(user: User): VisibleApp[] {
    const rows = this.db
      .prepare(
        `SELECT appid, 'admin' AS role FROM app_admins WHERE user_id = ?
         UNION ALL SELECT appid, 'analyst' FROM app_members WHERE user_id = ? AND analyst = 1
         UNION ALL SELECT appid, 'viewer' FROM app_grants WHERE user_id = ?`,
      )
      .all(user.id, user.id, user.id) as Array<{ appid: string; role: AppRole }>;
    const best = new Map<string, AppRole>();
    for (const r of rows) {
      const had = best.get(r.appid);
      if (!had || ROLE_RANK[r.role] < ROLE_RANK[had]) best.set(r.appid, r.role);
    }
    return this.apps
      .list()
      .filter((a) => best.has(a.appid))
      .map((a) => ({ ...a, role: best.get(a.appid)! }));
  }

  /** The user's role in the app, or undefined when they may not see it (or it does not exist). */
  roleIn(user: User, appid: string): AppRole | undefined {
    const row = this.db
      .prepare(
        `SELECT min(rank) AS rank FROM (
           SELECT 0 AS rank FROM app_admins WHERE appid = ? AND user_id = ?
           UNION ALL SELECT 1 FROM app_members WHERE appid = ? AND user_id = ? AND analyst = 1
           UNION ALL SELECT 2 FROM app_grants WHERE appid = ? AND user_id = ?)`,
      )
      .get(appid, user.id, appid, user.id, appid, user.id) as { rank: number | null };
    if (row.rank === null || !this.apps.get(appid)) return undefined;
    return (['admin', 'analyst', 'viewer'] as const)[row.rank];
  }

  canViewData(user: User, appid: string): boolean {
    return this.roleIn(user, appid) !== undefined;
  }

  canManage(user: User, appid: string): boolean {
    return this.roleIn(user, appid) === 'admin';
  }
}
