/**
 * The `miniscope` command line: start the server, manage apps, fill a demo app. Configuration
 * comes from the environment and `--flags` (config.ts).
 */
import { ConfigError, loadConfig, parseFlags } from '../config.js';
import { appCommand } from './app-command.js';
import { demoCommand } from './demo-command.js';
import { startCommand } from './start-command.js';
import { userCommand } from './user-command.js';

const USAGE = `Usage: miniscope <command> [--flags]

  start [--demo]                      run the server (embedded storage under --data-dir)
  app add --appid <wx…> --name <n>    register a mini program; prints its AppSecret once (--json)
  app list [--json]                   list registered mini programs
  app rotate-secret --appid <wx…>     issue a new AppSecret (the old one stops working)
  demo [--days 90] [--users 3000]     create a demo app filled with realistic traffic
  user add --wechat-id <id> --name <n> [--admin]   create an account (prints its password once)
  user list | passwd | app-admin      accounts, password reset, naming an app's 管理员 (miniscope user)

Common flags: --data-dir ./data  --port 3000  --time-zone Asia/Shanghai  --clickhouse-url http://…
See README.md for every setting and its environment variable.`;

async function main(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv);
  const [command, sub] = rest;
  if (!command || flags.help === 'true' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig(process.env, flags);
  switch (command) {
    case 'start':
      return startCommand(config, flags);
    case 'app':
      return appCommand(config, sub, flags);
    case 'demo':
      return demoCommand(config, flags);
    case 'user':
      return userCommand(config, sub, flags);
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `miniscope: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  },
);
