/**
 * Management endpoints under `/api`. Deployment admins create accounts and apps and name each
 * app's 管理员; an app's admin manages its members (开发者/体验者/数据分析), its authorized viewers
 * (授权: search by exact WeChat ID, grant, revoke) and reads its audit log. Every route declares its
 * access rule; the access hook has already checked it (and answered 404 for an app the caller may
 * not see) before a handler runs.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { unknownApp } from '../auth/access-hook.js';
import type { Auth } from '../auth/auth.js';
import type { User } from '../auth/users.js';
import { MiniscopeError } from '../errors.js';
import type { App } from '../meta/apps.js';
import { authRoutes, callerOf, parseBody, userView } from './auth-routes.js';

interface AppParams {
  Params: { appid: string; wechatId?: string };
}

const wechatIdBody = z.object({ wechat_id: z.string().min(1).max(64) });
const permsBody = z.object({
  developer: z.boolean().default(false),
  tester: z.boolean().default(false),
  analyst: z.boolean().default(false),
});
const newAppBody = z.object({ appid: z.string(), name: z.string(), admin_wechat_id: z.string().optional() });
const newUserBody = z.object({
  wechat_id: z.string(),
  display_name: z.string(),
  password: z.string(),
  is_admin: z.boolean().default(false),
});

function findUser(auth: Auth, wechatId: string | undefined): User {
  const user = wechatId ? auth.users.byWechatId(wechatId) : undefined;
  if (!user) throw new MiniscopeError('unknown_user', `No account with WeChat ID ${wechatId ?? ''}`);
  return user;
}

function appOf(auth: Auth, appid: string): App {
  const app = auth.apps.get(appid);
  if (!app) throw unknownApp(appid);
  return app;
}

function deploymentRoutes(app: FastifyInstance, auth: Auth): void {
  const rule = { config: { access: 'deployment-admin' as const } };
  app.post('/admin/users', rule, async (request) => {
    const body = parseBody(newUserBody, request.body);
    const user = await auth.users.add(body.wechat_id, body.display_name, body.password, body.is_admin);
    return { ok: true, user: userView(user) };
  });

  app.get('/admin/apps', rule, async () => ({
    apps: auth.apps.list().map((a) => {
      const adminId = auth.members.adminOf(a.appid);
      const admin = adminId === undefined ? undefined : auth.users.get(adminId);
      return { appid: a.appid, name: a.name, admin: admin ? userView(admin) : null };
    }),
  }));

  app.post('/admin/apps', rule, async (request) => {
    const { user } = callerOf(request);
    const body = parseBody(newAppBody, request.body);
    const admin = body.admin_wechat_id ? findUser(auth, body.admin_wechat_id) : user;
    const created = auth.apps.add(body.appid, body.name);
    auth.members.setAdmin(created.appid, admin.id, user.id);
    return { ok: true, appid: created.appid, name: created.name, secret: created.secret, admin: userView(admin) };
  });

  app.put<AppParams>('/admin/apps/:appid/admin', rule, async (request) => {
    const { user } = callerOf(request);
    const target = appOf(auth, request.params.appid);
    const admin = findUser(auth, parseBody(wechatIdBody, request.body).wechat_id);
    auth.grants.dropFor(target.appid, admin.id);
    auth.members.setAdmin(target.appid, admin.id, user.id);
    return { ok: true, admin: userView(admin) };
  });
}

function memberRoutes(app: FastifyInstance, auth: Auth): void {
  const rule = { config: { access: 'app-admin' as const } };
  app.get<AppParams>('/apps/:appid/members', rule, async (request) => {
    const adminId = auth.members.adminOf(request.params.appid);
    const admin = adminId === undefined ? undefined : auth.users.get(adminId);
    return { admin: admin ? userView(admin) : null, members: auth.members.list(request.params.appid) };
  });

  app.put<AppParams>('/apps/:appid/members/:wechatId', rule, async (request) => {
    const member = findUser(auth, request.params.wechatId);
    auth.members.set(request.params.appid, member.id, parseBody(permsBody, request.body), callerOf(request).user.id);
    return { ok: true, member: auth.members.get(request.params.appid, member.id) };
  });

  app.delete<AppParams>('/apps/:appid/members/:wechatId', rule, async (request) => {
    const member = findUser(auth, request.params.wechatId);
    auth.members.remove(request.params.appid, member.id, callerOf(request).user.id);
    return { ok: true };
  });

  /** Exact WeChat ID only: never a prefix or fuzzy match, so accounts cannot be enumerated. */
  app.get<AppParams & { Querystring: { wechat_id?: string } }>('/apps/:appid/users', rule, async (request) => ({
    user: userView(findUser(auth, request.query.wechat_id)),
  }));
}

function grantRoutes(app: FastifyInstance, auth: Auth): void {
  const rule = { config: { access: 'app-admin' as const } };
  app.get<AppParams>('/apps/:appid/grants', rule, async (request) => ({
    grants: auth.grants.list(request.params.appid),
    cap: auth.grants.cap,
  }));

  app.post<AppParams>('/apps/:appid/grants', rule, async (request) => {
    const grantee = findUser(auth, parseBody(wechatIdBody, request.body).wechat_id);
    auth.grants.grant(appOf(auth, request.params.appid), grantee, callerOf(request).user);
    return { ok: true, grants: auth.grants.list(request.params.appid) };
  });

  app.delete<AppParams>('/apps/:appid/grants/:wechatId', rule, async (request) => {
    const grantee = findUser(auth, request.params.wechatId);
    auth.grants.revoke(appOf(auth, request.params.appid), grantee, callerOf(request).user);
    return { ok: true, grants: auth.grants.list(request.params.appid) };
  });

  app.get<AppParams & { Querystring: { before?: string } }>('/apps/:appid/audit', rule, async (request) => {
    const before = Number(request.query.before);
    return { entries: auth.audit.list(request.params.appid, 100, Number.isInteger(before) ? before : undefined) };
  });

  /** The app and the caller's role in it: what the dashboard shows in its header. */
  app.get<AppParams>('/apps/:appid', { config: { access: 'app-data' } }, async (request) => {
    const target = appOf(auth, request.params.appid);
    return { appid: target.appid, name: target.name, role: auth.access.roleIn(callerOf(request).user, target.appid) };
  });
}

/** Registered with prefix `/api`. */
export async function adminRoutes(app: FastifyInstance, auth: Auth): Promise<void> {
  deploymentRoutes(app, auth);
  memberRoutes(app, auth);
  grantRoutes(app, auth);
}

/** Every account and management route, for the server to mount under `/api`. */
export function accountApi(auth: Auth) {
  return async (api: FastifyInstance): Promise<void> => {
    await authRoutes(api, auth);
    await adminRoutes(api, auth);
  };
}
