/**
 * The metadata store: SQLite under the data directory for apps (and later accounts, members and
 * grants). Small, transactional, embedded. Schema versions are tracked with `PRAGMA user_version`;
 * a database a newer Miniscope wrote is refused (data-version.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DataTooNewError } from '../data-version.js';

export type MetaDb = Database.Database;

const SCHEMA: string[] = [
  // 1: apps
  `CREATE TABLE apps (
    appid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`,
  // 2: datacube access tokens (datacube/tokens.ts); a newer token sets revoked_at on the older ones
  `CREATE TABLE datacube_tokens (
    token TEXT PRIMARY KEY,
    appid TEXT NOT NULL,
    kind TEXT NOT NULL,
    forced INTEGER NOT NULL DEFAULT 0,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX datacube_tokens_app ON datacube_tokens (appid, kind, issued_at)`,
  // 3: accounts, sessions, per-app admin/members/grants, notifications and the grant audit log (auth/)
  `CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    wechat_id TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    last_appid TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE app_admins (
    appid TEXT PRIMARY KEY REFERENCES apps (appid) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE
  );
  CREATE INDEX app_admins_user ON app_admins (user_id);
  CREATE TABLE app_members (
    appid TEXT NOT NULL REFERENCES apps (appid) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    developer INTEGER NOT NULL DEFAULT 0,
    tester INTEGER NOT NULL DEFAULT 0,
    analyst INTEGER NOT NULL DEFAULT 0,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (appid, user_id)
  );
  CREATE INDEX app_members_user ON app_members (user_id);
  CREATE TABLE app_grants (
    appid TEXT NOT NULL REFERENCES apps (appid) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_by INTEGER NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (appid, user_id)
  );
  CREATE INDEX app_grants_user ON app_grants (user_id);
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    appid TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
  );
  CREATE INDEX notifications_user ON notifications (user_id, id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    target_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}',
    at INTEGER NOT NULL
  );
  CREATE INDEX audit_log_app ON audit_log (appid, id)`,
  // 4: 自定义分析 (meta/custom-defs.ts): names, descriptions and declared types of events and
  // properties; saved reports
  `CREATE TABLE event_defs (
    appid TEXT NOT NULL REFERENCES apps (appid) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display_name TEXT,
    description TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (appid, name)
  );
  CREATE TABLE prop_defs (
    appid TEXT NOT NULL REFERENCES apps (appid) ON DELETE CASCADE,
    prop TEXT NOT NULL,
    display_name TEXT,
    description TEXT,
    type TEXT CHECK (type IN ('number', 'string')),
    PRIMARY KEY (appid, prop)
  );
  CREATE TABLE saved_reports (
    id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL REFERENCES apps (appid) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_by_id INTEGER,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX saved_reports_app ON saved_reports (appid, id)`,
];

/** Open (creating if needed) the metadata database; `:memory:` for tests. */
export function openMetaDb(dataDir: string | ':memory:'): MetaDb {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'meta.sqlite');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA.length) {
    db.close();
    throw new DataTooNewError('metadata', version, SCHEMA.length);
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA.length; v++) db.exec(SCHEMA[v]!);
    db.pragma(`user_version = ${SCHEMA.length}`);
  })();
  return db;
}
