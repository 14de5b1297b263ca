/**
 * `miniscope demo`: create the demo app and fill it (the server must not be running on this data
 * directory). The login is printed before the traffic is generated.
 */
import type { Config } from '../config.js';
import type { CommandSpec } from './commands.js';
import { CliError } from './errors.js';

export function demoSize(flags: Record<string, string>): { days: number; users: number } {
  const days = Number(flags.days ?? 90);
  const users = Number(flags.users ?? 3000);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new CliError('--days must be a whole number from 1 to 365', undefined, 2);
  if (!Number.isInteger(users) || users < 1 || users > 1_000_000)
    throw new CliError('--users must be a whole number from 1 to 1000000', undefined, 2);
  return { days, users };
}

async function demo(config: Config, flags: Record<string, string>): Promise<number> {
  const size = demoSize(flags);
  // Loaded here, not at the top: the other commands (and help) need none of the server.
  const { createMiniscope } = await import('../miniscope.js');
  const { describeDemo, describeDemoLogin, fillDemo, prepareDemo } = await import('../demo/run.js');
  const m = await createMiniscope(config);
  try {
    const t0 = Date.now();
    const setup = await prepareDemo(m);
    for (const line of describeDemoLogin(setup)) console.log(line);
    const result = await fillDemo(m, setup, size);
    for (const line of describeDemo(result)) console.log(line);
    if (!result.skipped) console.log(`Took ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await m.close();
  }
}

export const demoCommands: CommandSpec[] = [
  {
    words: ['demo'],
    summary: 'create a demo app filled with realistic traffic (server stopped)',
    usage: '[--days 90] [--users 3000]',
    about: 'While a server runs on the data directory, use `miniscope start --demo` instead.',
    flags: {
      days: { kind: 'value', arg: '<n>', help: 'days of traffic, 1–365 (default 90)' },
      users: { kind: 'value', arg: '<n>', help: 'users, 1–1000000 (default 3000)' },
    },
    run: demo,
  },
];
