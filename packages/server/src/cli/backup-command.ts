/**
 * `miniscope backup --to DIR` and `miniscope restore --from DIR`. A backup is hot when a server runs
 * on the data directory (the server writes it: only it may open the embedded engine), and cold
 * otherwise (this process opens the engine itself); both write the same format (backup/backup.ts).
 * Restore needs an empty data directory and no server on it.
 */
import path from 'node:path';
import { type BackupManifest, writeBackup } from '../backup/backup.js';
import { askServer } from '../backup/control.js';
import { openBackupEngine } from '../backup/engine.js';
import { restoreBackup } from '../backup/restore.js';
import type { Config } from '../config.js';
import { openMetaDb } from '../meta/db.js';
import type { CommandSpec } from './commands.js';
import { CliError } from './errors.js';

const plural = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

function need(flags: Record<string, string>, name: string, what: string): string {
  const value = flags[name];
  if (!value) throw new CliError(`missing --${name} <dir>: ${what}`, undefined, 2);
  return path.resolve(value);
}

async function coldBackup(config: Config, to: string): Promise<BackupManifest> {
  const engine = config.clickhouseUrl ? undefined : await openBackupEngine(config.dataDir, config.engineMemoryMb);
  const meta = openMetaDb(config.dataDir);
  try {
    return await writeBackup(to, { engine, meta, dataDir: config.dataDir, kind: 'cold' });
  } finally {
    meta.close();
    engine?.close();
  }
}

async function backup(config: Config, flags: Record<string, string>): Promise<number> {
  const to = need(flags, 'to', 'a new or empty directory for the backup');
  const started = Date.now();
  const answer = await askServer(config.dataDir, 'POST', '/backup', { to });
  if (answer && answer.status !== 200) throw new CliError(`the server could not back up: ${answer.body.error}`);
  const manifest = (answer?.body as BackupManifest | undefined) ?? (await coldBackup(config, to));
  const how = manifest.kind === 'hot' ? 'Hot backup (written by the running server)' : 'Cold backup (no server ran)';
  console.log(
    `${how} of ${config.dataDir} in ${to}: ${plural(manifest.apps, 'app')}, ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  if (manifest.event_store === 'server')
    console.log('The events live on the ClickHouse server at CLICKHOUSE_URL: back them up there (docs/backup.md).');
  return 0;
}

async function restore(config: Config, flags: Record<string, string>): Promise<number> {
  const from = need(flags, 'from', 'the directory `miniscope backup --to` wrote');
  if (await askServer(config.dataDir, 'GET', '/status'))
    throw new CliError(`a server is running on ${config.dataDir}`, 'Restore into another, empty --data-dir.');
  const result = await restoreBackup(from, config.dataDir);
  console.log(
    `Restored ${from} into ${config.dataDir}: ${plural(result.apps, 'app')}, ${plural(result.events, 'event')}, ` +
      `${(result.tookMs / 1000).toFixed(1)} s.`,
  );
  if (result.timeZone && result.timeZone !== config.timeZone)
    console.log(`Its time zone is ${result.timeZone}: start with --time-zone ${result.timeZone}.`);
  if (result.eventStore === 'server')
    console.log('The backup holds metadata only: restore the events on the ClickHouse server (docs/backup.md).');
  else console.log('Start the server on it; its first compaction run rebuilds the report caches in the background.');
  return 0;
}

export const backupCommands: CommandSpec[] = [
  {
    words: ['backup'],
    summary: 'back up the data directory, also while the server runs',
    usage: '--to <dir>',
    about:
      'With a server running on the data directory, the server writes the backup (hot; it keeps taking ' +
      'events); otherwise this command does (cold). <dir> must be new or empty. See docs/backup.md.',
    flags: { to: { kind: 'value', arg: '<dir>', help: 'where to write the backup (a new or empty directory)' } },
    run: backup,
  },
  {
    words: ['restore'],
    summary: 'restore a backup into an empty data directory (server stopped)',
    usage: '--from <dir>',
    about: 'Restores into --data-dir, which must hold no data yet. See docs/backup.md.',
    flags: { from: { kind: 'value', arg: '<dir>', help: 'a directory written by miniscope backup' } },
    run: restore,
  },
];
