/**
 * The account and management API (packages/contract/src/accounts.ts), one function per endpoint
 * the dashboard uses: logging in and out, the caller's apps and notifications, the deployment
 * admin's accounts and apps, an app's members and authorized viewers. Every URL is built here.
 */
import type {
  AdminApps,
  AdminSet,
  CurrentApp,
  Done,
  FoundUser,
  Grants,
  GrantsChanged,
  Me,
  MemberPerms,
  MemberSet,
  Members,
  MyApps,
  NewApp,
  Notices,
  SessionStarted,
  UserAdded,
} from '@miniscope/contract';
import { http } from './client';

const app = (appid: string) => `/api/apps/${encodeURIComponent(appid)}`;
const user = (wechatId: string) => encodeURIComponent(wechatId);

export const auth = {
  me: () => http.get<Me>('/api/auth/me'),
  login: (body: { wechat_id: string; password: string }) => http.post<SessionStarted>('/api/auth/login', body),
  /** First run: the deployment's first admin, with the token the server printed. */
  setup: (body: { setup_token: string; wechat_id: string; display_name: string; password: string }) =>
    http.post<SessionStarted>('/api/auth/setup', body),
  logout: () => http.post<Done>('/api/auth/logout'),
  changePassword: (body: { current_password: string; new_password: string }) =>
    http.post<Done>('/api/auth/password', body),
};

/** The caller's own. */
export const me = {
  apps: () => http.get<MyApps>('/api/me/apps'),
  /** Remembered by the server: the next login opens this app. */
  setCurrentApp: (appid: string) => http.put<CurrentApp>('/api/me/current-app', { appid }),
  notifications: () => http.get<Notices>('/api/me/notifications'),
  markNotificationsRead: () => http.post<Done>('/api/me/notifications/read'),
};

/** The deployment admin's. */
export const admin = {
  addUser: (body: { wechat_id: string; display_name: string; password: string; is_admin?: boolean }) =>
    http.post<UserAdded>('/api/admin/users', body),
  apps: () => http.get<AdminApps>('/api/admin/apps'),
  /** Register a mini program; its admin is the caller unless `admin_wechat_id` names someone. */
  addApp: (body: { appid: string; name: string; admin_wechat_id?: string }) =>
    http.post<NewApp>('/api/admin/apps', body),
  setAppAdmin: (appid: string, wechatId: string) =>
    http.put<AdminSet>(`/api/admin/apps/${encodeURIComponent(appid)}/admin`, { wechat_id: wechatId }),
};

/** An app admin's: members (开发者, 体验者, 数据分析). */
export const appMembers = {
  list: (appid: string) => http.get<Members>(`${app(appid)}/members`),
  /** Add a member or change their permissions. */
  set: (appid: string, wechatId: string, perms: MemberPerms) =>
    http.put<MemberSet>(`${app(appid)}/members/${user(wechatId)}`, perms),
  remove: (appid: string, wechatId: string) => http.del<Done>(`${app(appid)}/members/${user(wechatId)}`),
  /** An account by its exact WeChat ID (never a prefix: accounts cannot be enumerated). */
  findUser: (appid: string, wechatId: string) => http.get<FoundUser>(`${app(appid)}/users`, { wechat_id: wechatId }),
};

/** An app admin's: authorized viewers (授权). */
export const appGrants = {
  list: (appid: string) => http.get<Grants>(`${app(appid)}/grants`),
  grant: (appid: string, wechatId: string) => http.post<GrantsChanged>(`${app(appid)}/grants`, { wechat_id: wechatId }),
  revoke: (appid: string, wechatId: string) => http.del<GrantsChanged>(`${app(appid)}/grants/${user(wechatId)}`),
};
