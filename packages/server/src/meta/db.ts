/**
 * The metadata store: SQLite under the data directory for apps (and later accounts, members and
 * grants). Small, transactional, embedded. Schema versions are tracked with `PRAGMA user_version`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

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
  db.transaction(() => {
    for (let v = version; v < SCHEMA.length; v++) db.exec(SCHEMA[v]!);
    db.pragma(`user_version = ${SCHEMA.length}`);
  })();
  return db;
}
