/**
 * A backup of a data directory: the event store by ClickHouse's own BACKUP (a snapshot of each
 * table's data parts, taken while inserts and merges go on), the metadata by SQLite's online backup
 * API, and a manifest written last. It is consistent for what restore reads: raw `events` (one
 * table, so one snapshot, and every insert is whole parts) and the schema version; every other table
 * is derived from `events` and rebuilt by restore (restore.ts), so BACKUP taking tables at slightly
 * different moments cannot leave a report reading a cache that disagrees with its events. The event
 * store is saved first, then the metadata: apps are never deleted, so every app with events in the
 * backup is in its metadata.
 * The backup is written beside the target and renamed into place, so a directory with a manifest
 * is always a whole backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MetaDb } from '../meta/db.js';
import { type BackupEngine, BackupError, pathLiteral } from './engine.js';

export { BackupError };

export const MANIFEST = 'manifest.json';
export const META_FILE = 'meta.sqlite';
export const EVENTS_DIR = 'clickhouse';

export interface BackupManifest {
  format: 1;
  created_at: string;
  /** hot: written by the running server; cold: by the command line while no server ran. */
  kind: 'hot' | 'cold';
  /** embedded: the event store is in the backup; server: it lives on a ClickHouse server, not here. */
  event_store: 'embedded' | 'server';
  source_data_dir: string;
  /** The store's zone and schema version (embedded only); a restored store keeps its zone. */
  time_zone?: string;
  schema_version?: number;
  apps: number;
  took_ms: number;
}

export interface BackupSource {
  /** The embedded engine opened for backups; unset when events live on a ClickHouse server. */
  engine?: BackupEngine;
  meta: MetaDb;
  dataDir: string;
  kind: BackupManifest['kind'];
}

/** Refuse a target that holds anything: a backup never mixes with other files. */
function checkTarget(target: string): void {
  if (!path.isAbsolute(target)) throw new BackupError(`the backup directory must be an absolute path: ${target}`);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat && (!stat.isDirectory() || fs.readdirSync(target).length > 0))
    throw new BackupError(`${target} already exists and is not an empty directory; choose a new one`);
}

export async function writeBackup(target: string, source: BackupSource): Promise<BackupManifest> {
  checkTarget(target);
  const started = Date.now();
  const work = `${target}.partial-${process.pid}-${started}`;
  fs.mkdirSync(work, { recursive: true });
  try {
    let store: Pick<BackupManifest, 'time_zone' | 'schema_version'> = {};
    if (source.engine) {
      const into = pathLiteral(path.join(work, EVENTS_DIR));
      const [result] = await source.engine.run<{ status: string }>(`BACKUP DATABASE default TO File(${into})`);
      if (result?.status !== 'BACKUP_CREATED') throw new BackupError(`the event store backup ended ${result?.status}`);
      const [schema] = await source.engine.run<{ zone: string; top: number }>(
        'SELECT argMin(time_zone, version) AS zone, max(version) AS top FROM default.miniscope_migrations',
      );
      store = { time_zone: schema?.zone, schema_version: Number(schema?.top) };
    }
    await source.meta.backup(path.join(work, META_FILE));
    const { n } = source.meta.prepare('SELECT count(*) AS n FROM apps').get() as { n: number };
    const manifest: BackupManifest = {
      format: 1,
      created_at: new Date().toISOString(),
      kind: source.kind,
      event_store: source.engine ? 'embedded' : 'server',
      source_data_dir: source.dataDir,
      ...store,
      apps: n,
      took_ms: Date.now() - started,
    };
    fs.writeFileSync(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (fs.existsSync(target)) fs.rmdirSync(target); // empty, checked above
    fs.renameSync(work, target);
    return manifest;
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file))
    throw new BackupError(`${dir} is not a Miniscope backup (no ${MANIFEST}; an interrupted backup has none)`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new BackupError(`${dir} is a backup of an unknown format (${manifest.format})`);
  return manifest;
}
