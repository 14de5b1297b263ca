/**
 * The one place access rules are enforced. A root-level plugin (not encapsulated, so it sees every
 * route of every plugin) that records each route with its declared rule (`config: { access }`) and
 * checks that rule on every request before any handler runs: session cookie, CSRF token on
 * state-changing requests, then the app right from access.ts. A route without a rule is refused
 * (fail closed), and the matrix test fails on it. An app the caller may not see answers exactly as
 * an app that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MiniscopeError } from '../errors.js';
import type { AccessRule, AppRole } from './access.js';
import type { Auth } from './auth.js';
import { csrfMatches, readCookie, SESSION_COOKIE, type Session } from './sessions.js';
import type { User } from './users.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    /** The logged-in caller, set by the access hook on routes that need a session (role: in the app). */
    auth: { user: User; session: Session; role?: AppRole } | null;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

/** A route's declared rule (`config: { access }`); the one way a route says who may call it. */
export function ruleOf(config: { access?: AccessRule } | undefined): AccessRule | undefined {
  return config?.access;
}

const OPEN_RULES = new Set<AccessRule | undefined>(['public', 'sdk', 'datacube-token']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The app a request is about: the `:appid` route parameter, else `?appid=`. */
export function appidOf(request: FastifyRequest): string {
  const params = request.params as Record<string, unknown> | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const appid = params?.appid ?? query?.appid;
  return typeof appid === 'string' ? appid : '';
}

export const unknownApp = (appid: string) => new MiniscopeError('unknown_app', `No app with AppID ${appid}`);

/** The logged-in caller of a request, or 401. */
function caller(auth: Auth, request: FastifyRequest): { user: User; session: Session } {
  const session = auth.sessions.find(readCookie(request.headers.cookie, SESSION_COOKIE));
  const user = session && auth.users.get(session.userId);
  if (!session || !user)
    throw new MiniscopeError('unauthenticated', 'Log in first (or log in again: the session ended)');
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(session, request.headers['x-csrf-token']))
    throw new MiniscopeError('csrf', 'Missing or wrong X-CSRF-Token header; reload the page');
  return { user, session };
}

/** Senders on other sites by design: the SDK's batches and WeChat-API tools. */
const CROSS_ORIGIN_RULES = new Set<AccessRule | undefined>(['sdk', 'datacube-token']);

/**
 * A browser names the page that sent a request in `Origin`. A state-changing request to the
 * dashboard's routes from another site is refused, login included (login CSRF: being logged into
 * someone else's account); the CSRF token protects the rest as well. Clients that send no Origin
 * (curl, scripts) are not browsers and carry no victim's cookies.
 */
function checkOrigin(request: FastifyRequest, rule: AccessRule | undefined): void {
  const origin = request.headers.origin;
  if (!origin || SAFE_METHODS.has(request.method) || CROSS_ORIGIN_RULES.has(rule)) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== request.host) throw new MiniscopeError('cross_origin', `Requests from ${origin} are not accepted here`);
}

export function checkAccess(auth: Auth, request: FastifyRequest): void {
  const rule = ruleOf(request.routeOptions.config);
  checkOrigin(request, rule);
  if (OPEN_RULES.has(rule)) return;
  if (rule === undefined) throw new MiniscopeError('no_access_rule', 'This route declares no access rule');
  const { user, session } = caller(auth, request);
  request.auth = { user, session };
  if (rule === 'session') return;
  if (rule === 'deployment-admin') {
    if (!user.isAdmin) throw new MiniscopeError('forbidden', 'Only a deployment admin may do this');
    return;
  }
  const appid = appidOf(request);
  const role = auth.access.roleIn(user, appid);
  if (!role) throw unknownApp(appid);
  request.auth.role = role;
  if (rule === 'app-admin' && role !== 'admin')
    throw new MiniscopeError('forbidden', "Only the app's admin (管理员) may do this");
  if (rule === 'app-analyst' && role === 'viewer')
    throw new MiniscopeError('forbidden', 'Only the admin (管理员) and members with 数据分析 may do this');
}

/** Register first in the server, before any route. */
export async function accessHooks(app: FastifyInstance, auth: Auth): Promise<void> {
  app.decorateRequest('auth', null);
  app.addHook('onRoute', (route) => {
    const access = ruleOf(route.config);
    for (const method of [route.method].flat()) auth.routes.push({ method, url: route.url, access });
  });
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    checkAccess(auth, request);
  });
  if (auth.webhook) auth.webhook.log = app.log;
}
// NOTE: like fastify-plugin: the hooks belong to the root instance, so they reach every route.
Object.assign(accessHooks, { [Symbol.for('skip-override')]: true });
