/**
 * Accounts and permissions assembled from the configuration: one object the server, the CLI and
 * the tests share. While the deployment has no account yet, a one-time setup token is made; the
 * start message prints the page that uses it to create the first deployment admin.
 */
import crypto from 'node:crypto';
import type { Config } from '../config.js';
import type { Apps } from '../meta/apps.js';
import type { MetaDb } from '../meta/db.js';
import { Access } from './access.js';
import type { RouteRecord } from './access-hook.js';
import { AuditLog } from './audit.js';
import { Grants } from './grants.js';
import { type LimiterOptions, LoginLimiter } from './login-limiter.js';
import { Members } from './members.js';
import { Notifier } from './notifications.js';
import { Sessions } from './sessions.js';
import { Users } from './users.js';
import { Webhook, type WebhookOptions } from './webhook.js';

export interface Auth {
  apps: Apps;
  users: Users;
  sessions: Sessions;
  access: Access;
  members: Members;
  grants: Grants;
  audit: AuditLog;
  notifier: Notifier;
  limiter: LoginLimiter;
  webhook?: Webhook;
  sessionTtlMs: number;
  /** The deployment's time zone (IANA name): its calendar is the reports' and the dashboard's. */
  timeZone: string;
  /** The clock (epoch ms); tests may replace it. */
  now: () => number;
  /** Every route of the server with its access rule (filled as routes are registered). */
  routes: RouteRecord[];
  /** Set while no account exists: proves the first-run setup request comes from the operator. */
  setupToken?: string;
}

export type AuthConfig = Pick<Config, 'memberCap' | 'viewerCap' | 'notifyWebhookUrl' | 'sessionTtlHours' | 'timeZone'>;

export interface AuthOptions {
  webhook?: WebhookOptions;
  limiter?: LimiterOptions;
  now?: () => number;
}

export function createAuth(meta: MetaDb, apps: Apps, config: AuthConfig, options: AuthOptions = {}): Auth {
  const audit = new AuditLog(meta);
  const webhook = config.notifyWebhookUrl ? new Webhook(config.notifyWebhookUrl, options.webhook) : undefined;
  const notifier = new Notifier(meta, webhook);
  const users = new Users(meta);
  const sessionTtlMs = Math.round(config.sessionTtlHours * 3_600_000);
  return {
    apps,
    users,
    sessions: new Sessions(meta, sessionTtlMs, options.now),
    access: new Access(meta, apps),
    members: new Members(meta, audit, config.memberCap),
    grants: new Grants(meta, audit, notifier, config.viewerCap),
    audit,
    notifier,
    limiter: new LoginLimiter(options.limiter),
    webhook,
    sessionTtlMs,
    timeZone: config.timeZone,
    now: options.now ?? Date.now,
    routes: [],
    setupToken: users.count() === 0 ? crypto.randomBytes(18).toString('base64url') : undefined,
  };
}
