/** `miniscope demo`: create the demo app and fill it (the server must not be running on this data directory). */
import type { Config } from '../config.js';
import { describeDemo, runDemo } from '../demo/run.js';
import { createMiniscope } from '../miniscope.js';

export function demoSize(flags: Record<string, string>): { days: number; users: number } {
  const days = Number(flags.days ?? 90);
  const users = Number(flags.users ?? 3000);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error('--days must be a whole number from 1 to 365');
  if (!Number.isInteger(users) || users < 1 || users > 1_000_000)
    throw new Error('--users must be a whole number from 1 to 1000000');
  return { days, users };
}

export async function demoCommand(config: Config, flags: Record<string, string>): Promise<number> {
  const size = demoSize(flags);
  const m = await createMiniscope(config);
  try {
    const t0 = Date.now();
    const result = await runDemo(m, size);
    for (const line of describeDemo(result)) console.log(line);
    if (!result.skipped) console.log(`Took ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await m.close();
  }
}
