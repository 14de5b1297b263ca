/**
 * Who may read which app's reports. The permission check itself is the server's access hook
 * (auth/access-hook.ts): every `/api/apps/:appid/…` report route carries the `app-data` rule, so a
 * caller without a role in the app gets the same 404 as for an unknown app before any handler or
 * query runs. Here the route resolves its app once more, so a server assembled without accounts
 * (tests, tools) still never reads an app that does not exist.
 */
import { HttpError } from '../http/errors.js';
import type { Apps } from '../meta/apps.js';

/** The app of a dashboard request, or 404 (the access hook's answer for an app the caller may not see). */
export function requireReadable(apps: Apps, appid: string): string {
  if (!apps.get(appid)) throw new HttpError(404, 'unknown_app', `No app with AppID ${appid}`);
  return appid;
}
