/**
 * Idle cost (not a test): a server with a little data and no traffic, measured after its first
 * compaction has settled. Prints the share of one core the whole process used over the window,
 * and the threads that used it.
 *
 *   npm run bench:idle -- [--days 14] [--users 300] [--settle 60] [--seconds 120]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../src/config.js';
import { tempDir } from '../test/helpers.js';
import { startServerProcess } from '../test/server-process.js';

const { flags } = parseFlags(process.argv.slice(2));
const days = Number(flags.days ?? 14);
const users = Number(flags.users ?? 300);
const settle = Number(flags.settle ?? 60);
const seconds = Number(flags.seconds ?? 120);
const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'miniscope.mjs');

/** CPU ticks (1/100 s) per thread name of a process. */
function threadTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(name, (ticks.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended
    }
  }
  return ticks;
}

const total = (ticks: Map<string, number>) => [...ticks.values()].reduce((a, b) => a + b, 0);

async function main() {
  const dataDir = tempDir('miniscope-idle-');
  execFileSync(
    process.execPath,
    [BIN, 'demo', '--data-dir', dataDir, '--days', String(days), '--users', String(users)],
    {
      stdio: 'ignore',
    },
  );
  const server = await startServerProcess(dataDir);
  const pid = server.child.pid!;
  console.log(`idle: ${days} days of demo traffic (${users} users); ${settle} s to settle, then ${seconds} s measured`);
  await new Promise((resolve) => setTimeout(resolve, settle * 1000));
  const before = threadTicks(pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = threadTicks(pid);
  const used = (total(after) - total(before)) / 100;
  console.log(`  CPU: ${((used / seconds) * 100).toFixed(2)} % of one core (${used.toFixed(2)} s in ${seconds} s)`);
  const byThread = [...after].map(([name, t]) => [name, (t - (before.get(name) ?? 0)) / 100] as const);
  for (const [name, s] of byThread.sort((a, b) => b[1] - a[1]).slice(0, 6)) {
    if (s > 0) console.log(`    ${name}: ${s.toFixed(2)} s`);
  }
  server.child.kill('SIGTERM');
  await server.exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
