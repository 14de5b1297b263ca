/**
 * The embedded engine opened so that it may write backups. ClickHouse's BACKUP … TO File() needs
 * the server setting `backups.allowed_path`, which exists only as an engine start argument; chdb
 * runs one engine per process and data directory, started by its first connection with that
 * connection's arguments. So this connection must be the process's first on the directory: open it
 * before `createMiniscope` (or `Store.open`), and the store's connections share its engine.
 * Backup and restore statements run on this connection, not the store's: a connection runs one
 * statement at a time, and a backup must not hold up reports or ingest for its duration.
 * NOTE: the allowed path is `/` (store.ts embeddedEngineArgs): the only BACKUP statements are this
 * module's callers', to a directory the operator named, and the engine can write nowhere its process
 * cannot anyway.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A backup or restore that cannot be done as asked; the message says why. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupEngine {
  /** Run one statement; resolves with its rows (JSONEachRow parsed). */
  run<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): void;
}

/** Opens the engine with the same start arguments as the store (store.ts), backups allowed among them. */
export async function openBackupEngine(dataDir: string, memoryLimitMb?: number): Promise<BackupEngine> {
  const dir = path.join(dataDir, 'clickhouse');
  fs.mkdirSync(dir, { recursive: true });
  const { Session } = await import('chdb');
  let session: InstanceType<typeof Session>;
  try {
    const { embeddedEngineArgs } = await import('../store/store.js');
    session = new Session(dir, { connectionArgs: embeddedEngineArgs(memoryLimitMb) });
  } catch (error) {
    // NOTE: chdb locks its directory; the real reason ("Cannot lock file …/status") is on stderr only.
    const { StoreUnavailableError } = await import('../store/store.js');
    throw new StoreUnavailableError(`Cannot open the event store at ${dir}: ${(error as Error).message}`);
  }
  return {
    async run<T>(sql: string) {
      // NOTE: never with bound parameters: chdb runs parameterized statements one at a time across
      // the process, so a bound backup path would stall every report until the backup ends.
      const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as T);
    },
    close: () => session.close(),
  };
}

/**
 * A path as a ClickHouse string literal. Only plain paths are taken (no quote, backslash or
 * control character), so the literal needs no escaping and cannot end early.
 */
export function pathLiteral(target: string): string {
  if (!path.isAbsolute(target)) throw new BackupError(`the path must be absolute: ${target}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/['\\\u0000-\u001f\u007f]/.test(target))
    throw new BackupError(`choose a path without quotes, backslashes or control characters: ${JSON.stringify(target)}`);
  return `'${target}'`;
}
