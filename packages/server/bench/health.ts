/**
 * `/health` while the server is busy (not a test): a real server as a child process on an existing
 * data directory, two clients asking for dashboard reports in a loop, and `/health` and
 * `/health/ready` probed every 100 ms. Point it at a copy of a bench directory made by an older
 * version (or with the cache's fingerprint changed) and the server's first compaction rebuilds every
 * day while it runs: the restart case where `/health` once waited seconds behind compaction.
 * Prints p50 / p99 / max of each probe, failures, and the reports answered.
 *
 *   npm run bench:health -- --data-dir /tmp/copy-of-bench-10M [--seconds 60] [--app wx00000000000b0b0b]
 *     [--user bench_admin] [--password 'bench password 1']
 */
import { parseFlags } from '../src/config.js';
import { startServerProcess } from '../test/server-process.js';

const { flags } = parseFlags(process.argv.slice(2));
const dataDir = flags['data-dir'];
if (!dataDir) throw new Error('--data-dir: a bench data directory (a copy: the server may upgrade it)');
const seconds = Number(flags.seconds ?? 60);
const app = flags.app ?? 'wx00000000000b0b0b';
const REPORTS = ['overview', 'trend', 'sources', 'retention', 'pages', 'portrait?days=30'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function main() {
  const started = performance.now();
  const server = await startServerProcess(dataDir!);
  console.log(`server READY in ${((performance.now() - started) / 1000).toFixed(1)} s (migrations run before it)`);
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ wechat_id: flags.user ?? 'bench_admin', password: flags.password ?? 'bench password 1' }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const until = performance.now() + seconds * 1000;
  let reports = 0;
  let reportErrors = 0;
  const reportLoop = async (offset: number) => {
    for (let i = offset; performance.now() < until; i++) {
      const res = await fetch(`${server.url}/api/apps/${app}/${REPORTS[i % REPORTS.length]}`, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.ok) reports++;
      else reportErrors++;
    }
  };
  const probe = async (path: string) => {
    const times: number[] = [];
    let failures = 0;
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      times.push(performance.now() - t0);
      await sleep(100);
    }
    return { path, times: times.sort((a, b) => a - b), failures };
  };
  const [, , ...probes] = await Promise.all([reportLoop(0), reportLoop(3), probe('/health'), probe('/health/ready')]);
  console.log(`${seconds} s: ${reports} reports answered (${reportErrors} errors) by 2 clients in a loop`);
  for (const { path, times, failures } of probes) {
    const f = (p: number) => pct(times, p).toFixed(1);
    console.log(
      `  ${path.padEnd(14)} ${times.length} probes: p50 ${f(0.5)} ms, p99 ${f(0.99)} ms, max ${times.at(-1)?.toFixed(1)} ms, failures ${failures}`,
    );
  }
  server.child.kill('SIGTERM');
  await server.exited;
}

await main();
