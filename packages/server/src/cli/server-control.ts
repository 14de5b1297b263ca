/**
 * The running server's side of the control socket (backup/control.ts): it says it is running, so a
 * second `miniscope start` on the same data directory stops before touching the engine, and it
 * writes hot backups for `miniscope backup`.
 */
import path from 'node:path';
import { writeBackup } from '../backup/backup.js';
import { askServer, serveControl } from '../backup/control.js';
import type { BackupEngine } from '../backup/engine.js';
import type { Miniscope } from '../miniscope.js';
import { alreadyRunning } from './errors.js';

/** Throws when a server answers on the data directory's control socket. */
export async function refuseIfRunning(dataDir: string): Promise<void> {
  const answer = await askServer(dataDir, 'GET', '/status');
  if (answer) throw alreadyRunning(dataDir, `pid ${answer.body.pid}, ${answer.body.url}`);
}

export async function hotBackups(
  m: Miniscope,
  engine: BackupEngine | undefined,
  url: string,
): Promise<{ close(): Promise<void> } | undefined> {
  const dataDir = m.config.dataDir;
  const control = await serveControl(dataDir, {
    status: () => ({ pid: process.pid, url, data_dir: dataDir }),
    backup: async (to) => ({
      ...(await writeBackup(path.resolve(to), { engine, meta: m.meta, dataDir, kind: 'hot' })),
    }),
  });
  if ('unavailable' in control) {
    console.warn(`Hot backups are off: ${control.unavailable}. Stop the server to back up (miniscope backup).`);
    return undefined;
  }
  return control;
}
