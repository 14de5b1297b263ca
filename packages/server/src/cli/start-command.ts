/**
 * `miniscope start [--demo]`: run the server until SIGINT/SIGTERM, then shut down without losing
 * queued events. Start-up failures a user can act on (a server already on this data directory, the
 * port taken, a changed time zone) end with what to do, not a stack trace. With `--demo`, the login
 * is printed before the minutes of traffic generation, so the dashboard can be opened at once.
 */
import { type BackupEngine, openBackupEngine } from '../backup/engine.js';
import type { Config } from '../config.js';
import type { Miniscope } from '../miniscope.js';
import type { CommandSpec } from './commands.js';
import { demoSize } from './demo-command.js';
import { CliError } from './errors.js';
import { hotBackups, refuseIfRunning } from './server-control.js';

function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new CliError(
      `Port ${config.port} is already in use on ${config.host}.`,
      `Stop the program that uses it, or start on another port: --port ${config.port + 1} (PORT=${config.port + 1}).`,
    );
  if (code === 'EACCES')
    return new CliError(
      `Not allowed to listen on port ${config.port}.`,
      'Use a port above 1023 (the default 3000) and put a reverse proxy in front for 80/443 (docs/deploy.md).',
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new CliError(`This machine has no address ${config.host}.`, 'Use --host 0.0.0.0 (all) or 127.0.0.1.');
  return error;
}

function printWelcome(m: Miniscope, home: string, demo: boolean): void {
  if (m.auth.setupToken && !demo) {
    console.log(
      'No accounts yet. Create the first admin in the dashboard:\n' +
        `  ${home}/setup?token=${m.auth.setupToken}\n` +
        '  or here (it prints the password once): npx miniscope user add --wechat-id <your 微信号> --name "<your name>" --admin',
    );
  }
  if (m.apps.list().length === 0 && !demo) {
    console.log(
      'No apps yet. Register one: npx miniscope app add --appid wx… --name "My app" --admin <your 微信号> ' +
        '(or restart with --demo).',
    );
  }
}

async function start(config: Config, flags: Record<string, string>): Promise<number> {
  const size = flags.demo === 'true' ? demoSize(flags) : undefined;
  // Loaded here, not at the top: the other commands (and help) need none of the server.
  const { createMiniscope } = await import('../miniscope.js');
  const { describeDemo, describeDemoLogin, fillDemo, prepareDemo } = await import('../demo/run.js');
  await refuseIfRunning(config.dataDir);
  // First on the data directory, so the engine may write hot backups (backup/engine.ts).
  const engine: BackupEngine | undefined = config.clickhouseUrl
    ? undefined
    : await openBackupEngine(config.dataDir, config.engineMemoryMb);
  let m: Miniscope;
  try {
    m = await createMiniscope(config);
  } catch (error) {
    engine?.close();
    throw error;
  }
  let address: string;
  try {
    address = await m.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await m.close();
    engine?.close();
    throw listenError(error, config);
  }
  const control = await hotBackups(m, engine, address);
  const home = address.replace('0.0.0.0', 'localhost');
  const storage = config.clickhouseUrl ? `ClickHouse at ${config.clickhouseUrl}` : `embedded, in ${config.dataDir}`;
  console.log(`Miniscope is running at ${home} (storage: ${storage}, time zone ${config.timeZone}).`);
  const demo = size ? await prepareDemo(m) : undefined;
  if (demo) for (const line of describeDemoLogin(demo, home)) console.log(line);
  printWelcome(m, home, demo !== undefined);
  // For tests and supervisors: the line after which the server takes requests.
  console.log(`READY ${address}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping; writing queued events…`);
    await control?.close();
    await m.close();
    engine?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (demo && size) {
    if (!demo.hasData) console.log(`Generating ${size.days} days of demo traffic; the dashboard works meanwhile.`);
    for (const line of describeDemo(await fillDemo(m, demo, size))) console.log(line);
  }
  return -1; // keep running
}

export const startCommands: CommandSpec[] = [
  {
    words: ['start'],
    summary: 'run the server (embedded storage in the data directory)',
    usage: '[--demo [--days 90] [--users 3000]] [--port 3000] [--host 0.0.0.0]',
    about:
      'Stops cleanly on Ctrl-C or SIGTERM, writing queued events first. While it runs, `miniscope backup` ' +
      'asks it for a hot backup through data-dir/control.sock.',
    flags: {
      demo: { kind: 'switch', help: 'create a demo app with realistic traffic (its login is printed first)' },
      days: { kind: 'value', arg: '<n>', help: 'with --demo: days of traffic, 1–365 (default 90)' },
      users: { kind: 'value', arg: '<n>', help: 'with --demo: users, 1–1000000 (default 3000)' },
    },
    run: start,
  },
];
