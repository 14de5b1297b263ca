/**
 * Ingest benchmark (not a test): events/s through HTTP with durable acknowledgement. A Miniscope
 * server runs as a child process on a fresh data directory; this process is the load generator
 * on loopback, with keep-alive connections posting batches of 50 events, each batch unique.
 * Prints events/s, p50/p99 request latency and the server's RSS.
 *
 *   npm run bench:ingest -- [--seconds 20] [--warmup 3] [--connections 256] [--batch 50]
 */
import fs from 'node:fs';
import { parseFlags } from '../src/config.js';
import { Apps } from '../src/meta/apps.js';
import { openMetaDb } from '../src/meta/db.js';
import { tempDir } from '../test/helpers.js';
import { startServerProcess } from '../test/server-process.js';
import { LoadClient } from './load-client.js';

const { flags } = parseFlags(process.argv.slice(2));
const seconds = Number(flags.seconds ?? 20);
const warmup = Number(flags.warmup ?? 3);
const connections = Number(flags.connections ?? 256);
const perBatch = Number(flags.batch ?? 50);
const APP = 'wx00000000000000be';

const SID = '\u0001';
let events = { second: -1, parts: [] as string[] };

/**
 * The events of a realistic batch (open, page views, leaves, custom events with props), built once
 * a second with the times of that second and split where the open's id goes.
 */
function eventParts(now: number): string[] {
  if (Math.floor(now / 1000) === events.second) return events.parts;
  const list: string[] = [];
  for (let i = 0; i < perBatch; i++) {
    const head = `"id":"e${i}","ts":${now - 30_000 + i * 100},"sid":"${SID}","path":"pages/p${i % 40}/index"`;
    const kind = i % 5;
    if (i === 0) list.push(`{${head},"t":"open","scene":1047,"cold":true}`);
    else if (kind === 1 || kind === 3) list.push(`{${head},"t":"pv"}`);
    else if (kind === 2 || kind === 4) list.push(`{${head},"t":"leave","dur":${1000 + i * 37}}`);
    else list.push(`{${head},"t":"event","name":"add_to_cart","props":{"sku":"A${i}","price":199}}`);
  }
  events = { second: Math.floor(now / 1000), parts: list.join(',').split(SID) };
  return events.parts;
}

/** A unique batch: its own id, open (sid) and one of 20,000 users. */
function body(seq: number): string {
  const now = Date.now();
  return `{"v":1,"app":"${APP}","batch":"bench-${seq}","sent_at":${now},"user":{"id":"u${seq % 20000}","gender":1,"birth_year":1990},"device":{"brand":"Apple","model":"iPhone 15 Pro","platform":"ios","system":"iOS 18.1","wechat":"8.0.54","baselib":"3.7.1","network":"wifi","screen":[393,852],"language":"zh_CN"},"events":[${eventParts(now).join(`s${seq}`)}]}`;
}

/** CPU seconds (user + system) a process has used, from /proc. */
const cpuSeconds = (pid: number, tid?: number) => {
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

async function main() {
  const dataDir = tempDir('miniscope-bench-');
  const meta = openMetaDb(dataDir);
  new Apps(meta).add(APP, 'bench');
  meta.close();
  const server = await startServerProcess(dataDir, flags['server-flags']?.split(' ') ?? []);
  const url = new URL(server.url);
  const clients = Array.from({ length: connections }, () => new LoadClient(url.hostname, Number(url.port)));
  const pid = server.child.pid!;

  let seq = 0;
  let measuring = false;
  let stop = false;
  const latencies: number[] = [];
  const allLatencies: number[] = [];
  const statuses = new Map<number, number>();
  let events = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 500);
  const memoryLog: string[] = [];
  const memoryTimer = flags['memory-every']
    ? setInterval(async () => {
        const h = (await (await fetch(`${server.url}/health`)).json()) as { memory_mb: Record<string, number> };
        memoryLog.push(JSON.stringify(h.memory_mb));
      }, Number(flags['memory-every']) * 1000)
    : undefined;

  const worker = async (client: LoadClient) => {
    while (!stop) {
      const payload = body(seq++);
      const t0 = performance.now();
      const status = await client.post('/collect', payload);
      if (!measuring) continue;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      allLatencies.push(performance.now() - t0);
      if (status === 200) {
        latencies.push(performance.now() - t0);
        events += perBatch;
      }
    }
  };
  const workers = clients.map(worker);
  await new Promise((r) => setTimeout(r, warmup * 1000));
  measuring = true;
  const serverCpu0 = cpuSeconds(pid);
  const mainCpu0 = cpuSeconds(pid, pid);
  const loadCpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const serverCores = (cpuSeconds(pid) - serverCpu0) / elapsed;
  const mainCores = (cpuSeconds(pid, pid) - mainCpu0) / elapsed;
  const loadUsage = process.cpuUsage(loadCpu0);
  const loadCores = (loadUsage.user + loadUsage.system) / 1e6 / elapsed;
  stop = true;
  await Promise.all(workers);
  clearInterval(rssTimer);
  clearInterval(memoryTimer);
  if (memoryLog.length) console.log(`  memory over time (MB): ${memoryLog.join(' ')}`);

  latencies.sort((a, b) => a - b);
  allLatencies.sort((a, b) => a - b);
  const pctOf = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor(list.length * p))]?.toFixed(1);
  const pct = (p: number) => pctOf(latencies, p);
  const health = (await (await fetch(`${server.url}/health`)).json()) as {
    ingest: { flushes: number; rowsStored: number };
  };
  console.log(
    `ingest: ${connections} connections, batches of ${perBatch}, ${seconds} s measured after ${warmup} s warm-up`,
  );
  console.log(`  events/s acknowledged: ${Math.round(events / elapsed).toLocaleString('en')}`);
  console.log(
    `  requests/s: ${Math.round(latencies.length / elapsed).toLocaleString('en')}  statuses: ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  console.log(`  latency ms: p50 ${pct(0.5)}  p99 ${pct(0.99)}  max ${latencies.at(-1)?.toFixed(1)}`);
  console.log(
    `  every answer (refusals included), ms: p50 ${pctOf(allLatencies, 0.5)}  p99 ${pctOf(allLatencies, 0.99)}  max ${allLatencies.at(-1)?.toFixed(1)}`,
  );
  console.log(
    `  CPU cores used: server ${serverCores.toFixed(2)} (JS main thread ${mainCores.toFixed(2)}, engine and pool ${(serverCores - mainCores).toFixed(2)}), load generator ${loadCores.toFixed(2)}`,
  );
  console.log(`  server CPU per event: ${((serverCores / (events / elapsed)) * 1e6).toFixed(1)} µs`);
  console.log(`  server RSS MB: peak ${peakRss.toFixed(0)}, end ${rssMb(pid).toFixed(0)}`);
  console.log(
    `  server: ${health.ingest.flushes} inserts, ${health.ingest.rowsStored.toLocaleString('en')} rows stored, ${Math.round(health.ingest.rowsStored / Math.max(1, health.ingest.flushes))} rows/insert`,
  );
  server.child.kill('SIGTERM');
  await server.exited;
  for (const client of clients) client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
