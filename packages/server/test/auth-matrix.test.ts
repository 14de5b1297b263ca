/**
 * The access matrix: every route the server registers must declare an access rule, and every
 * route guarded by a session rule is tried as each kind of caller, with the allow/deny the rule
 * implies. Generated from the server's own route table, so a new endpoint without a rule fails
 * here. Besides the real routes, a test-only export route stands in for a data export.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AccessRule } from '../src/auth/access.js';
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';
import { appidOf, makeUser, sessionHeaders } from './auth-helpers.js';
import { startTestMiniscope } from './helpers.js';

type Role =
  | 'deploymentAdmin'
  | 'appAdmin'
  | 'analyst'
  | 'developer'
  | 'viewer'
  | 'revokedViewer'
  | 'otherAppAdmin'
  | 'anonymous';

const ROLES: Role[] = [
  'deploymentAdmin',
  'appAdmin',
  'analyst',
  'developer',
  'viewer',
  'revokedViewer',
  'otherAppAdmin',
  'anonymous',
];

/** Who each session rule lets in. The open rules (public, sdk, datacube-token) are not session-checked. */
const ALLOWED: Record<Exclude<AccessRule, 'public' | 'sdk' | 'datacube-token'>, Role[]> = {
  session: ROLES.filter((r) => r !== 'anonymous'),
  'app-data': ['appAdmin', 'analyst', 'viewer'],
  'app-analyst': ['appAdmin', 'analyst'],
  'app-admin': ['appAdmin'],
  'deployment-admin': ['deploymentAdmin'],
};

const APP = appidOf(0xa);
const OTHER = appidOf(0xb);
let m: Miniscope;
const users = new Map<Role, User>();

before(async () => {
  m = await startTestMiniscope();
  m.apps.add(APP, 'App A');
  m.apps.add(OTHER, 'App B');
  // A stand-in for a CSV export, declared like every data route.
  m.server.get('/api/apps/:appid/test-export.csv', { config: { access: 'app-data' } }, async () => 'a,b\n');
  const add = async (role: Role, id: string, admin = false) => users.set(role, await makeUser(m, id, admin));
  await add('deploymentAdmin', 'deploy_admin', true);
  await add('appAdmin', 'app_admin');
  await add('analyst', 'analyst_1');
  await add('developer', 'developer_1');
  await add('viewer', 'viewer_1');
  await add('revokedViewer', 'viewer_2');
  await add('otherAppAdmin', 'other_admin');
  const admin = users.get('appAdmin')!;
  m.auth.members.setAdmin(APP, admin.id, null);
  m.auth.members.setAdmin(OTHER, users.get('otherAppAdmin')!.id, null);
  m.auth.members.set(APP, users.get('analyst')!.id, { developer: false, tester: false, analyst: true }, admin.id);
  m.auth.members.set(APP, users.get('developer')!.id, { developer: true, tester: true, analyst: false }, admin.id);
  const app = m.apps.get(APP)!;
  m.auth.grants.grant(app, users.get('viewer')!, admin);
  m.auth.grants.grant(app, users.get('revokedViewer')!, admin);
  m.auth.grants.revoke(app, users.get('revokedViewer')!, admin);
  await m.server.ready();
});

after(() => m.close());

/** Denied by the access hook (rather than by the handler's own checks of the request). */
function denied(status: number, code: string | undefined): boolean {
  return status === 401 || status === 403 || (status === 404 && code === 'unknown_app');
}

function urlOf(route: string): string {
  const url = route.replace(':appid', APP).replace(/:[A-Za-z]+/g, 'nobody_here');
  return route.includes(':appid') ? url : `${url}?appid=${APP}`;
}

test('every registered route declares an access rule', () => {
  const routes = m.auth.routes.filter((r) => r.method !== 'HEAD');
  assert.ok(routes.length > 20, `only ${routes.length} routes seen`);
  const missing = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(missing, [], 'routes without an access rule');
  assert.ok(routes.some((r) => r.url === '/api/apps/:appid/test-export.csv' && r.access === 'app-data'));
});

test('every guarded route × every kind of caller', async () => {
  const checked: string[] = [];
  for (const route of m.auth.routes) {
    if (route.method === 'HEAD' || !route.access || !(route.access in ALLOWED)) continue;
    const allowed = ALLOWED[route.access as keyof typeof ALLOWED];
    for (const role of ROLES) {
      const user = users.get(role);
      const headers = user ? sessionHeaders(m, user) : {};
      const res = await m.server.inject({
        method: route.method as 'GET',
        url: urlOf(route.url),
        headers,
        ...(route.method === 'GET' ? {} : { payload: {} }),
      });
      const code = res.headers['content-type']?.toString().includes('json') ? res.json()?.error?.code : undefined;
      const label = `${route.method} ${route.url} as ${role}: ${res.statusCode} ${code ?? ''}`;
      assert.equal(!denied(res.statusCode, code), allowed.includes(role), label);
      if (role === 'anonymous') assert.equal(res.statusCode, 401, label);
      checked.push(label);
    }
  }
  assert.ok(checked.some((c) => c.includes('test-export')));
});

test('an app the caller may not see answers exactly as an app that does not exist', async () => {
  const headers = sessionHeaders(m, users.get('developer')!);
  const hidden = await m.server.inject({ url: `/api/apps/${APP}/test-export.csv`, headers });
  const missing = await m.server.inject({ url: `/api/apps/${appidOf(0xc)}/test-export.csv`, headers });
  assert.equal(hidden.statusCode, 404);
  assert.equal(hidden.statusCode, missing.statusCode);
  assert.equal(hidden.body.replace(APP, 'X'), missing.body.replace(appidOf(0xc), 'X'));
});
