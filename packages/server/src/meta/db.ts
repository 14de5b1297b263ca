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
