/**
 * Who may read which app's reports. Every dashboard read goes through `requireReadable` before any
 * query runs, so permissions (accounts, members, grants: a later issue) plug in here and nowhere
 * else.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';
import type { Apps } from '../meta/apps.js';

/** The party asking; only anonymous until accounts exist. */
export type Caller = { kind: 'anonymous' };

export function callerOf(_request: FastifyRequest): Caller {
  return { kind: 'anonymous' };
}

/**
 * Whether `caller` may read `appid`'s data.
 * PERMISSIONS PENDING: allows everyone until accounts and grants arrive (later issue). Do not
 * expose the dashboard API beyond a trusted network before this checks grants.
 */
export function canRead(_caller: Caller, _appid: string): boolean {
  return true;
}

/**
 * The app of a dashboard request, or 404. An app the caller may not read answers exactly like an
 * unknown one, so its existence does not leak.
 */
export function requireReadable(apps: Apps, caller: Caller, appid: string): string {
  if (!apps.get(appid) || !canRead(caller, appid)) throw new HttpError(404, 'unknown_app', `unknown app ${appid}`);
  return appid;
}
