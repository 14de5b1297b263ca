/**
 * Account endpoints under `/api`: first-run setup, login (rate-limited), logout, who am I,
 * password change, the apps the caller may see (app switching, with the last one remembered) and
 * the caller's notifications. Every route declares its access rule; the access hook enforces it.
 */

import { todayIn } from '@miniscope/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { unknownApp } from '../auth/access-hook.js';
import type { Auth } from '../auth/auth.js';
import { SESSION_COOKIE, sessionCookie } from '../auth/sessions.js';
import { checkPassword, type User } from '../auth/users.js';
import { MiniscopeError } from '../errors.js';

/** A JSON body checked against a schema; 400 names the first problem. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MiniscopeError('invalid_body', `${issue?.path.join('.') || 'body'}: ${issue?.message}`);
}

/** The logged-in caller; the access hook has set it on every route that is not public. */
export function callerOf(request: FastifyRequest): NonNullable<FastifyRequest['auth']> {
  if (!request.auth) throw new MiniscopeError('unauthenticated', 'Log in first');
  return request.auth;
}

export const userView = (u: User) => ({ wechat_id: u.wechatId, display_name: u.displayName, is_admin: u.isAdmin });

const loginBody = z.object({ wechat_id: z.string().min(1).max(64), password: z.string().min(1).max(1000) });
const setupBody = z.object({
  setup_token: z.string().min(1),
  wechat_id: z.string(),
  display_name: z.string(),
  password: z.string(),
});
const passwordBody = z.object({ current_password: z.string().min(1).max(1000), new_password: z.string() });

/** The deployment's calendar, so the dashboard's "today" and "yesterday" are the reports'. */
const calendarOf = (auth: Auth) => ({ time_zone: auth.timeZone, today: todayIn(auth.timeZone, auth.now()) });

function startSession(auth: Auth, request: FastifyRequest, reply: FastifyReply, user: User) {
  const session = auth.sessions.create(user.id);
  const maxAge = Math.floor(auth.sessionTtlMs / 1000);
  reply.header('set-cookie', sessionCookie(session.token, maxAge, request.protocol === 'https'));
  return {
    ok: true,
    user: userView(user),
    csrf_token: session.csrf,
    expires_at: session.expiresAt,
    ...calendarOf(auth),
  };
}

function sessionRoutes(app: FastifyInstance, auth: Auth): void {
  app.post('/auth/setup', { config: { access: 'public' } }, async (request, reply) => {
    const body = parseBody(setupBody, request.body);
    if (!auth.setupToken || auth.users.count() > 0)
      throw new MiniscopeError('already_set_up', 'This deployment already has accounts; log in instead');
    if (body.setup_token !== auth.setupToken)
      throw new MiniscopeError('bad_setup_token', 'Wrong setup token: use the link printed when the server started');
    const user = await auth.users.add(body.wechat_id, body.display_name, body.password, true);
    auth.setupToken = undefined;
    return startSession(auth, request, reply, user);
  });

  app.post('/auth/login', { config: { access: 'public' } }, async (request, reply) => {
    const body = parseBody(loginBody, request.body);
    const wait = auth.limiter.retryAfter(request.ip, body.wechat_id);
    if (wait > 0)
      throw new MiniscopeError('too_many_attempts', `Too many failed logins; try again in ${wait} s`, {
        headers: {
          'retry-after': String(wait),
        },
      });
    const user = await auth.users.authenticate(body.wechat_id, body.password);
    if (!user) {
      auth.limiter.fail(request.ip, body.wechat_id);
      throw new MiniscopeError('bad_credentials', 'Wrong WeChat ID or password');
    }
    auth.limiter.succeed(body.wechat_id);
    return startSession(auth, request, reply, user);
  });

  app.post('/auth/logout', { config: { access: 'session' } }, async (request, reply) => {
    auth.sessions.end(callerOf(request).session);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    return { ok: true };
  });

  app.get('/auth/me', { config: { access: 'session' } }, async (request) => {
    const { user, session } = callerOf(request);
    return {
      user: userView(user),
      csrf_token: session.csrf,
      unread_notifications: auth.notifier.unread(user.id),
      ...calendarOf(auth),
    };
  });

  app.post('/auth/password', { config: { access: 'session' } }, async (request) => {
    const { user, session } = callerOf(request);
    const body = parseBody(passwordBody, request.body);
    checkPassword(body.new_password);
    if (!(await auth.users.authenticate(user.wechatId, body.current_password)))
      throw new MiniscopeError('wrong_password', 'The current password is wrong');
    await auth.users.setPassword(user.id, body.new_password);
    auth.sessions.endOthers(user.id, session);
    return { ok: true };
  });
}

function appSwitchRoutes(app: FastifyInstance, auth: Auth): void {
  app.get('/me/apps', { config: { access: 'session' } }, async (request) => {
    const { user } = callerOf(request);
    const apps = auth.access.visibleApps(user);
    const last = apps.find((a) => a.appid === user.lastAppid) ?? apps[0];
    return {
      apps: apps.map((a) => ({ appid: a.appid, name: a.name, role: a.role })),
      current: last?.appid ?? null,
    };
  });

  app.put('/me/current-app', { config: { access: 'session' } }, async (request) => {
    const { user } = callerOf(request);
    const { appid } = parseBody(z.object({ appid: z.string() }), request.body);
    if (!auth.access.canViewData(user, appid)) throw unknownApp(appid);
    auth.users.setLastApp(user.id, appid);
    return { ok: true, current: appid };
  });

  app.get('/me/notifications', { config: { access: 'session' } }, async (request) => {
    const { user } = callerOf(request);
    return { notifications: auth.notifier.list(user.id), unread: auth.notifier.unread(user.id) };
  });

  app.post('/me/notifications/read', { config: { access: 'session' } }, async (request) => {
    auth.notifier.markAllRead(callerOf(request).user.id);
    return { ok: true };
  });
}

/** Registered with prefix `/api`. */
export async function authRoutes(app: FastifyInstance, auth: Auth): Promise<void> {
  sessionRoutes(app, auth);
  appSwitchRoutes(app, auth);
}
