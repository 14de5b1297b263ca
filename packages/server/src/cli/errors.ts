/**
 * How the command line ends on an error: a failure the user can act on prints what happened and
 * what to do, and exits non-zero without a stack trace; anything else is a bug and keeps its stack.
 */
import { BackupError } from '../backup/engine.js';
import { ConfigError } from '../config.js';
import { DataTooNewError } from '../data-version.js';
import { MiniscopeError } from '../errors.js';
import type { TimeZoneChangeError } from '../store/migrations.js';
import { UsageError } from './args.js';

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The data directory's lock is held: another process runs on it. */
export function alreadyRunning(dataDir: string, holder?: string): CliError {
  return new CliError(
    `Another Miniscope is already running on the data directory ${dataDir}${holder ? ` (${holder})` : ''}.`,
    'Stop it first (Ctrl-C or SIGTERM; `podman stop` / `docker compose stop` in a container), ' +
      'or give this command another --data-dir.',
  );
}

/** The error as the user should read it, or undefined for a bug (printed with its stack). */
export function explain(error: unknown, context: { dataDir?: string; command?: string }): CliError | undefined {
  if (error instanceof CliError) return error;
  if (error instanceof UsageError)
    return new CliError(
      error.message,
      `Run \`miniscope ${context.command ? `${context.command} ` : ''}--help\` for what it takes.`,
      2,
    );
  if (error instanceof ConfigError)
    return new CliError(error.message, 'Fix the setting (flag or environment variable) and run again.');
  // NOTE: by name: importing the store's modules here would load them for every command, help included.
  const name = (error as Error | undefined)?.name;
  if (name === 'StoreUnavailableError') return alreadyRunning(context.dataDir ?? '?');
  if (name === 'TimeZoneChangeError') {
    const { message, storedZone } = error as TimeZoneChangeError;
    return new CliError(
      message,
      `Start with --time-zone ${storedZone} (MINISCOPE_TIME_ZONE), or with a new --data-dir for the new zone.`,
    );
  }
  if (error instanceof DataTooNewError)
    return new CliError(
      error.message,
      'Run the newer Miniscope again, or, to go back to this one, restore the backup taken before the upgrade (docs/upgrade.md).',
    );
  if (error instanceof MiniscopeError || error instanceof BackupError) return new CliError(error.message);
  return undefined;
}

/** Print an error the way `explain` sorts it; returns the exit code. */
export function report(error: unknown, context: { dataDir?: string; command?: string }): number {
  const known = explain(error, context);
  if (!known) {
    console.error(`miniscope: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? error}`);
    return 1;
  }
  console.error(`miniscope: ${known.message}${known.hint ? `\n  ${known.hint}` : ''}`);
  return known.exitCode;
}
