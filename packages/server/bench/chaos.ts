/**
 * Chaos run (not a test): a real server as a child process, honest senders that retry as the
 * protocol says, a phone resending a poisoned batch every 250 ms, a request of every bad kind,
 * resends of acknowledged batches, overload from many connections, and SIGKILL under load several
 * times. At the end the store is read directly and the run prints acknowledged vs stored, lost and
 * doubled batches, wrong answers, /health latency and the server's peak RSS. Exits 1 on any loss,
 * double or wrong answer.
 *
 *   npm run chaos -- [--seconds 60] [--kills 4] [--senders 24] [--overload 1024]
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parseFlags } from '../src/config.js';
import { Apps } from '../src/meta/apps.js';
import { openMetaDb } from '../src/meta/db.js';
import { Store } from '../src/store/store.js';
import { tempDir } from '../test/helpers.js';
import { type ServerProcess, startServerProcess } from '../test/server-process.js';
import { LoadClient } from './load-client.js';

const { flags } = parseFlags(process.argv.slice(2));
const seconds = Number(flags.seconds ?? 60);
const kills = Number(flags.kills ?? 4);
const senders = Number(flags.senders ?? 24);
const overloadConnections = Number(flags.overload ?? 1024);
const APP = 'wx00000000000000c4';
const EVENTS = 20;

const dataDir = tempDir('miniscope-chaos-');
let server: ServerProcess;
let serverUp = false;
let stopping = false;
const tally = {
  batches: 0,
  acked: new Map<string, number>(),
  duplicates: 0,
  retries: 0,
  wrong: [] as string[],
  healthMs: [] as number[],
  healthFailures: 0,
  peakRssMb: 0,
  poisonAnswers: new Map<number, number>(),
  overload: { ok: 0, refused: 0, other: 0, maxMs: 0 },
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function events(seq: number): object[] {
  const t = Date.now() - 30_000;
  return Array.from({ length: EVENTS }, (_, i) =>
    i === 0
      ? { id: 'e0', t: 'open', ts: t, sid: `s${seq}`, scene: 1047, path: 'pages/index/index', cold: true }
      : { id: `e${i}`, t: 'pv', ts: t + i * 10, sid: `s${seq}`, path: `pages/p${i % 7}/index` },
  );
}

const envelope = (batch: string, extra: object = {}) => ({
  v: 1,
  app: APP,
  batch,
  sent_at: Date.now(),
  user: { id: `u-${batch}` },
  device: { platform: 'ios', model: 'iPhone 15' },
  events: events(tally.batches),
  ...extra,
});

async function send(body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text };
}

/** An honest phone: sends its batches one by one, keeps each until it is answered 200. */
async function honestSender(id: number) {
  let n = 0;
  while (!stopping) {
    const batch = `h${id}-${n++}`;
    tally.batches++;
    const body = JSON.stringify(envelope(batch));
    for (;;) {
      try {
        const res = await send(body);
        if (res.status === 200) {
          const json = JSON.parse(res.body) as { accepted: number; duplicate?: boolean };
          if (json.duplicate) tally.duplicates++;
          else tally.acked.set(batch, json.accepted);
          // Now and then the answer "gets lost": the phone sends the batch again.
          if (Math.random() < 0.1) {
            const again = await send(JSON.stringify({ ...JSON.parse(body), sent_at: Date.now() }));
            if (again.status === 200 && !JSON.parse(again.body).duplicate) {
              tally.wrong.push(`resend of ${batch} was not answered as a duplicate: ${again.body}`);
            }
            if (again.status === 200) tally.duplicates++;
          }
          break;
        }
        if (res.status !== 503 && res.status !== 429) {
          tally.wrong.push(`honest batch ${batch} answered ${res.status}: ${res.body.slice(0, 200)}`);
          break;
        }
        if (!res.retryAfter) tally.wrong.push(`${res.status} without Retry-After: ${res.body.slice(0, 120)}`);
      } catch {
        // The server is down (killed) or the connection was cut: retry.
      }
      tally.retries++;
      // NOTE: a real SDK waits Retry-After (5–10 s); the run compresses time.
      await sleep(200 + Math.random() * 300);
    }
  }
}

/** A phone whose batch holds a lone surrogate: refused for good (400), and sent again every 250 ms. */
async function poisonedSender() {
  const body = JSON.stringify(envelope('poison', { user: { id: 'u-\ud83d' } }));
  while (!stopping) {
    try {
      const res = await send(body);
      tally.poisonAnswers.set(res.status, (tally.poisonAnswers.get(res.status) ?? 0) + 1);
      if (res.status !== 400 && res.status !== 503) tally.wrong.push(`poisoned batch answered ${res.status}`);
    } catch {
      // down
    }
    await sleep(250);
  }
}

/** Every kind of bad request, with the status the protocol gives it. */
const BAD_INPUT: Array<[string, () => string | Buffer, number, Record<string, string>?]> = [
  ['not JSON', () => '{"v":1,', 400],
  ['not UTF-8', () => Buffer.from(JSON.stringify(envelope('latin1', { user: { id: 'é' } })), 'latin1'), 400],
  ['an array', () => '[]', 400],
  ['version 2', () => JSON.stringify({ ...envelope('v2'), v: 2 }), 400],
  ['unknown app', () => JSON.stringify({ ...envelope('unknown'), app: 'wx0000000000000000' }), 404],
  ['lone surrogate in batch id', () => JSON.stringify(envelope('b-\udc00')), 400],
  ['lone surrogate in device', () => JSON.stringify(envelope('dev', { device: { model: '\ud83d' } })), 400],
  ['screen too large', () => JSON.stringify(envelope('scr', { device: { screen: [100000, 1] } })), 400],
  ['no events', () => JSON.stringify(envelope('none', { events: [] })), 400],
  [
    '501 events',
    () => JSON.stringify(envelope('many', { events: Array.from({ length: 501 }, () => events(0)[1]) })),
    413,
  ],
  ['body over 1 MiB', () => JSON.stringify(envelope('big', { pad: 'x'.repeat(1_100_000) })), 413],
  ['gzip bomb', () => zlib.gzipSync(Buffer.alloc(5_000_000, 32)), 413, { 'content-encoding': 'gzip' }],
  ['bad gzip', () => 'not gzip', 400, { 'content-encoding': 'gzip' }],
  ['brotli', () => '{}', 415, { 'content-encoding': 'br' }],
  ['form post', () => 'a=1', 415, { 'content-type': 'application/x-www-form-urlencoded' }],
];

/** Each bad request once per round; every event of a batch with bad events is answered per event. */
async function badInputRound() {
  for (const [name, make, expected, headers] of BAD_INPUT) {
    try {
      const res = await send(make(), headers);
      if (res.status === 503) continue; // down or stopping: nothing to judge
      if (res.status !== expected) tally.wrong.push(`${name}: ${res.status}, expected ${expected}`);
    } catch {
      // down
    }
  }
  // Bad events in a good envelope: 200, the good ones stored, the bad ones listed.
  const batch = `mixed-${tally.batches++}`;
  const good = events(tally.batches);
  const bad = [
    { id: 'x1', t: 'pv', ts: Date.now(), sid: 's\ud83d', path: 'p' },
    { id: 'x2', t: 'leave', ts: Date.now(), sid: 's', path: 'p', dur: -1 },
    { id: 'x3', t: 'nope', ts: Date.now(), sid: 's' },
    { id: 'x4', t: 'pv', ts: Date.now() + 3_600_000, sid: 's', path: 'p' },
  ];
  try {
    const res = await send(JSON.stringify(envelope(batch, { events: [...good, ...bad] })));
    if (res.status === 200) {
      const json = JSON.parse(res.body) as { accepted: number; rejected: unknown[]; duplicate?: boolean };
      if (!json.duplicate) tally.acked.set(batch, json.accepted);
      if (json.accepted !== EVENTS || json.rejected.length !== bad.length) {
        tally.wrong.push(`mixed batch: accepted ${json.accepted}, rejected ${json.rejected.length}`);
      }
    }
  } catch {
    // down
  }
}

async function healthMonitor() {
  while (!stopping) {
    if (serverUp) {
      const started = performance.now();
      try {
        const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (serverUp) tally.healthMs.push(performance.now() - started);
        if (res.status !== 200 && serverUp) tally.healthFailures++;
      } catch {
        if (serverUp) tally.healthFailures++;
      }
      try {
        const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
        tally.peakRssMb = Math.max(tally.peakRssMb, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch {
        // gone
      }
    }
    await sleep(100);
  }
}

/** Many connections posting as fast as answers come, for a while: answers must stay prompt. */
async function overload(durationMs: number) {
  const url = new URL(server.url);
  const clients = Array.from({ length: overloadConnections }, () => new LoadClient(url.hostname, Number(url.port)));
  const end = Date.now() + durationMs;
  let seq = 0;
  await Promise.all(
    clients.map(async (client, i) => {
      while (Date.now() < end && serverUp) {
        const batch = `o${i}-${seq++}`;
        const body = JSON.stringify(envelope(batch));
        const started = performance.now();
        let status: number;
        try {
          status = await client.post('/collect', body);
        } catch {
          return;
        }
        tally.overload.maxMs = Math.max(tally.overload.maxMs, performance.now() - started);
        if (status === 200) {
          tally.overload.ok++;
          tally.acked.set(batch, EVENTS);
        } else if (status === 503) {
          tally.overload.refused++;
          await sleep(200);
        } else tally.overload.other++;
      }
    }),
  );
  for (const client of clients) client.close();
}

async function start() {
  server = await startServerProcess(dataDir, ['--compact-every', '10']);
  serverUp = true;
}

async function main() {
  const meta = openMetaDb(dataDir);
  new Apps(meta).add(APP, 'chaos');
  meta.close();
  await start();
  const workers = [...Array.from({ length: senders }, (_, i) => honestSender(i)), poisonedSender(), healthMonitor()];
  const phase = (seconds * 1000) / (kills + 2);
  const started = Date.now();
  console.log(`chaos: ${senders} honest senders, 1 poisoned, ${kills} kills, ${seconds} s, data in ${dataDir}`);
  for (let k = 0; k < kills; k++) {
    await badInputRound();
    await sleep(phase * (0.5 + Math.random()));
    serverUp = false;
    server.child.kill('SIGKILL');
    await server.exited;
    console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: killed (SIGKILL), restarting`);
    await start();
  }
  console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: overload from ${overloadConnections} connections`);
  await overload(Math.max(5000, phase));
  await badInputRound();
  await sleep(2000);
  stopping = true;
  await Promise.all(workers);
  const stopStarted = Date.now();
  serverUp = false;
  server.child.kill('SIGTERM');
  await server.exited;
  const stopMs = Date.now() - stopStarted;

  const store = await Store.open({ dataDir, timeZone: 'Asia/Shanghai', ingestClients: 1 });
  const rows = await store.query<{ batch_id: string; n: string }>(
    'SELECT batch_id, count() AS n FROM events WHERE app_id = {app:String} GROUP BY batch_id',
    { app: APP },
  );
  await store.close();
  const stored = new Map(rows.map((r) => [r.batch_id, Number(r.n)]));
  let lost = 0;
  let doubled = 0;
  for (const [batch, accepted] of tally.acked) if ((stored.get(batch) ?? 0) < accepted) lost++;
  for (const [batch, n] of stored) {
    if (n > EVENTS) doubled++;
    if (batch === 'poison') tally.wrong.push('the poisoned batch was stored');
  }
  tally.healthMs.sort((a, b) => a - b);
  const pct = (p: number) => tally.healthMs[Math.floor(tally.healthMs.length * p)]?.toFixed(1);
  console.log('result:');
  console.log(
    `  batches acknowledged: ${tally.acked.size}; stored: ${stored.size}; lost: ${lost}; doubled: ${doubled}`,
  );
  console.log(`  duplicates answered: ${tally.duplicates}; retries by honest senders: ${tally.retries}`);
  console.log(`  poisoned batch answers: ${JSON.stringify(Object.fromEntries(tally.poisonAnswers))}`);
  console.log(
    `  overload: ${tally.overload.ok} stored, ${tally.overload.refused} refused (503), ${tally.overload.other} other; slowest answer ${tally.overload.maxMs.toFixed(0)} ms`,
  );
  console.log(
    `  /health while up: ${tally.healthMs.length} probes, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${tally.healthMs.at(-1)?.toFixed(1)} ms, failures ${tally.healthFailures}`,
  );
  console.log(`  server peak RSS ${tally.peakRssMb.toFixed(0)} MB; clean stop took ${stopMs} ms`);
  console.log(`  wrong answers: ${tally.wrong.length}`);
  for (const w of tally.wrong.slice(0, 20)) console.log(`    ${w}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(lost || doubled || tally.wrong.length || tally.healthFailures ? 1 : 0);
}

await main();
