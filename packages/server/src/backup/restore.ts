/**
 * Restore a backup (backup.ts) into an empty data directory while no server runs on it. The schema
 * comes back as it was (tables and views, empty), then the two tables that are not derived: the
 * schema versions and raw `events`. Inserting the events fires the views that fill the rollups and
 * the record of touched days, as ingest does; compaction's caches stay empty, so reports read every
 * day live until the server's first compaction run fills them again. That is the state a store
 * reaches by ingesting the same events, so restored figures are the backed-up ones by construction,
 * whatever moment BACKUP took each derived table at. Migrations newer than the backup run at the
 * next start, as after an upgrade.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BackupError, EVENTS_DIR, META_FILE, readManifest } from './backup.js';
import { openBackupEngine, pathLiteral } from './engine.js';

/** Tables kept from the backup; every other table is derived from `events` (see the header). */
export const SOURCE_TABLES = ['miniscope_migrations', 'events'] as const;

export interface RestoreResult {
  events: number;
  apps: number;
  timeZone?: string;
  eventStore: 'embedded' | 'server';
  tookMs: number;
}

/** Returns the number of events restored. */
async function restoreEvents(backupDir: string, dataDir: string): Promise<number> {
  const source = `File(${pathLiteral(backupDir)})`;
  const engine = await openBackupEngine(dataDir);
  try {
    await engine.run(`RESTORE DATABASE default FROM ${source} SETTINGS structure_only = 1`);
    const copies = SOURCE_TABLES.map((t) => `TABLE default.${t} AS default.restore_${t}`).join(', ');
    await engine.run(`RESTORE ${copies} FROM ${source}`);
    for (const table of SOURCE_TABLES) {
      // NOTE: no block deduplication: the ingest tables keep a window of block ids (ingest/dedup-window.ts),
      // and two blocks a view makes from different events may still be alike.
      await engine.run(
        `INSERT INTO default.${table} SELECT * FROM default.restore_${table} SETTINGS insert_deduplicate = 0`,
      );
      await engine.run(`DROP TABLE default.restore_${table}`);
    }
    const [row] = await engine.run<{ n: string }>('SELECT count() AS n FROM default.events');
    return Number(row?.n ?? 0);
  } finally {
    engine.close();
  }
}

function checkEmpty(dataDir: string): void {
  const holds = (name: string) => {
    const stat = fs.statSync(path.join(dataDir, name), { throwIfNoEntry: false });
    return stat && (!stat.isDirectory() || fs.readdirSync(path.join(dataDir, name)).length > 0);
  };
  if (holds(META_FILE) || holds(EVENTS_DIR))
    throw new BackupError(
      `the data directory ${dataDir} already holds data; restore into a new one (move this one aside first)`,
    );
}

export async function restoreBackup(from: string, dataDir: string): Promise<RestoreResult> {
  const started = Date.now();
  const manifest = readManifest(from);
  checkEmpty(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  let events = 0;
  try {
    fs.copyFileSync(path.join(from, META_FILE), path.join(dataDir, META_FILE), fs.constants.COPYFILE_EXCL);
    if (manifest.event_store === 'embedded') events = await restoreEvents(path.resolve(from, EVENTS_DIR), dataDir);
  } catch (error) {
    // Leave the directory as empty as it was found, so the restore can simply be run again.
    fs.rmSync(path.join(dataDir, META_FILE), { force: true });
    fs.rmSync(path.join(dataDir, EVENTS_DIR), { recursive: true, force: true });
    throw error;
  }
  return {
    events,
    apps: manifest.apps,
    timeZone: manifest.time_zone,
    eventStore: manifest.event_store,
    tookMs: Date.now() - started,
  };
}
