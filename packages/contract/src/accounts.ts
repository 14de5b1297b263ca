/**
 * The account and management API under `/api` (auth, the caller's apps and notifications, the
 * deployment admin's accounts and apps, an app's members and authorized viewers): the JSON each
 * answers, as packages/server/src/http/auth-routes.ts and admin-routes.ts write it. Request bodies
 * are checked by the server's own schemas; the dashboard's API module (packages/web/src/api) names
 * what it sends.
 */

/** An account as others see it. */
export interface UserView {
  wechat_id: string;
  display_name: string;
  is_admin: boolean;
}

/** The deployment's calendar: its time zone (IANA name) and today's date there (YYYY-MM-DD). */
export interface Calendar {
  time_zone: string;
  today: string;
}

/** An answer that only says it was done. */
export interface Done {
  ok: true;
}

/** GET /api/auth/me */
export interface Me extends Calendar {
  user: UserView;
  csrf_token: string;
  unread_notifications: number;
}

/** POST /api/auth/login and POST /api/auth/setup: a session began (its cookie is set). */
export interface SessionStarted extends Calendar, Done {
  user: UserView;
  csrf_token: string;
  /** Epoch ms. */
  expires_at: number;
}

/** The caller's role in an app: its admin, a member with 数据分析, or an authorized viewer. */
export type AppRole = 'admin' | 'analyst' | 'viewer';

export interface AppSummary {
  appid: string;
  name: string;
  role: AppRole;
}

/** GET /api/me/apps: the apps the caller may see, and the one to open (the last one used). */
export interface MyApps {
  apps: AppSummary[];
  current: string | null;
}

/** PUT /api/me/current-app */
export interface CurrentApp extends Done {
  current: string;
}

export interface Notice {
  id: number;
  kind: 'granted' | 'revoked';
  appid: string;
  message: string;
  /** Epoch ms. */
  created_at: number;
  read: boolean;
}

/** GET /api/me/notifications: the newest first. */
export interface Notices {
  notifications: Notice[];
  unread: number;
}

/** POST /api/admin/users */
export interface UserAdded extends Done {
  user: UserView;
}

export interface AdminApp {
  appid: string;
  name: string;
  /** null: no one administers the app (registered without an admin), so no one sees its data. */
  admin: UserView | null;
}

/** GET /api/admin/apps */
export interface AdminApps {
  apps: AdminApp[];
}

/** POST /api/admin/apps: the new app with its AppSecret, shown this once. */
export interface NewApp extends Done {
  appid: string;
  name: string;
  secret: string;
  admin: UserView;
}

/** PUT /api/admin/apps/:appid/admin */
export interface AdminSet extends Done {
  admin: UserView;
}

/** A member's permissions (开发者, 体验者, 数据分析); only 数据分析 shows data. */
export interface MemberPerms {
  developer: boolean;
  tester: boolean;
  analyst: boolean;
}

export interface Member extends MemberPerms {
  user_id: number;
  wechat_id: string;
  display_name: string;
  /** Epoch ms. */
  added_at: number;
}

/** GET /api/apps/:appid/members */
export interface Members {
  admin: UserView | null;
  members: Member[];
}

/** PUT /api/apps/:appid/members/:wechatId */
export interface MemberSet extends Done {
  member?: Member;
}

/** GET /api/apps/:appid/users?wechat_id= (an exact WeChat ID only). */
export interface FoundUser {
  user: UserView;
}

export interface Grant {
  user_id: number;
  wechat_id: string;
  display_name: string;
  /** Epoch ms. */
  granted_at: number;
  /** The WeChat ID of who granted it. */
  granted_by: string | null;
}

/** GET /api/apps/:appid/grants: the authorized viewers and how many an app may have. */
export interface Grants {
  grants: Grant[];
  cap: number;
}

/** POST /api/apps/:appid/grants and DELETE …/grants/:wechatId: the grants after the change. */
export interface GrantsChanged extends Done {
  grants: Grant[];
}
