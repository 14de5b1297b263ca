/**
 * The `miniscope` command: app registry, a small demo through the real ingest path, help and flag
 * checking, the data directory it names, and start-up failures that say what to do (no stack).
 * Commands that only touch the metadata run in-process (`runCli`, output captured); the demo and
 * everything about a running server run as child processes, as a user runs them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, mock, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../src/cli/run.js';
import { Store } from '../src/store/store.js';
import { tempDir } from './helpers.js';
import { startServerProcess } from './server-process.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'miniscope.mjs');
const run = promisify(execFile);
const dataDir = tempDir('miniscope-cli-');
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command line in this process, with what it prints. */
async function cli(...args: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const mocks = [
    mock.method(console, 'log', (...parts: unknown[]) => out.push(`${parts.join(' ')}\n`)),
    mock.method(console, 'error', (...parts: unknown[]) => err.push(`${parts.join(' ')}\n`)),
    mock.method(console, 'warn', (...parts: unknown[]) => err.push(`${parts.join(' ')}\n`)),
  ];
  try {
    const code = await runCli(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const m of mocks) m.mock.restore();
  }
}
/** In this process, on the test's data directory; throws with the output on a non-zero exit. */
async function miniscope(...args: string[]): Promise<Outcome> {
  const outcome = await cli(...args, '--data-dir', dataDir);
  if (outcome.code !== 0) throw Object.assign(new Error(outcome.stderr), outcome);
  return outcome;
}
/** As a child process (a server, the demo, anything that opens the event store). */
const spawned = (...args: string[]) => run(process.execPath, [BIN, ...args]);
/** The failure of a command that must fail: its exit code and output. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('the command succeeded'),
    (e: Outcome) => e,
  );
const NO_STACK = /\n\s+at /;

test('app add --json prints the AppID and a secret once; list and rotate-secret work', async () => {
  const added = JSON.parse(
    (await miniscope('app', 'add', '--appid', 'wx0123456789abcdef', '--name', '商城', '--json')).stdout,
  );
  assert.equal(added.appid, 'wx0123456789abcdef');
  assert.match(added.secret, /^[0-9a-f]{32}$/);
  const list = JSON.parse((await miniscope('app', 'list', '--json')).stdout);
  assert.deepEqual(
    list.map((a: { appid: string; name: string; admin: string | null }) => [a.appid, a.name, a.admin]),
    [['wx0123456789abcdef', '商城', null]],
  );
  const rotated = JSON.parse(
    (await miniscope('app', 'rotate-secret', '--appid', 'wx0123456789abcdef', '--json')).stdout,
  );
  assert.notEqual(rotated.secret, added.secret);
});

test('app add --admin names the app admin; without it, it says how to name one', async () => {
  await miniscope('user', 'add', '--wechat-id', 'zhang_san', '--name', '张三', '--admin');
  const unknown = await failure(
    miniscope('app', 'add', '--appid', 'wx00000000000000b1', '--name', 'x', '--admin', 'nobody_here'),
  );
  assert.match(unknown.stderr, /No account with WeChat ID nobody_here\.\n\s+Create it first: miniscope user add/);
  const added = await miniscope(
    'app',
    'add',
    '--appid',
    ' wx00000000000000b1 ',
    '--name',
    '店',
    '--admin',
    'zhang_san',
  );
  assert.match(added.stdout, /Its admin \(管理员\) is zhang_san/);
  const lone = await miniscope('app', 'add', '--appid', 'wx00000000000000b2', '--name', '无主');
  assert.match(lone.stdout, /no admin yet[\s\S]*user app-admin --appid wx00000000000000b2/);
  const list = (await miniscope('app', 'list')).stdout;
  assert.match(list, /wx00000000000000b1 {2}店 {2}admin zhang_san/);
  assert.match(list, /wx00000000000000b2 {2}无主 {2}\(no admin\)/);
});

test('bad input gets a clear error and a non-zero exit', async () => {
  const bad = await failure(miniscope('app', 'add', '--appid', 'not-an-appid', '--name', 'x'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /must be wx followed by 16 hex digits/);
  const upper = await failure(miniscope('app', 'add', '--appid', 'wx0123456789ABCDEF', '--name', 'x'));
  assert.match(upper.stderr, /must be in lower case.*wx0123456789abcdef/);
  await assert.rejects(miniscope('app', 'add', '--appid', 'wx0123456789abcdef', '--name', 'again'), /already exists/);
  await assert.rejects(miniscope('start', '--port', 'abc'), /PORT \(--port\) = "abc"/);
});

test('help exits 0: the commands, a group, a command with its flags', async () => {
  const [global, short, group, command, asked] = [
    await cli('--help'),
    await cli('-h'),
    await cli('app', '--help'),
    await cli('app', 'add', '--help'),
    await cli('help', 'user', 'passwd'),
  ];
  assert.deepEqual(
    [global, short, group, command, asked].map((o) => [o.code, o.stderr]),
    Array(5).fill([0, '']),
  );
  assert.match(global.stdout, /^Usage: miniscope <command>/);
  assert.match(global.stdout, /backup {2,}back up the data directory/);
  assert.equal(short.stdout, global.stdout);
  assert.match(group.stdout, /miniscope app rotate-secret --appid/);
  assert.match(command.stdout, /^Usage: miniscope app add --appid <wx…> --name <name> \[--admin <wechat-id>\]/);
  assert.match(command.stdout, /--admin <wechat-id> +the account that becomes the app's admin/);
  assert.doesNotMatch(command.stdout, /user passwd/);
  assert.match(asked.stdout, /^Usage: miniscope user passwd --wechat-id <id>/);
});

test('unknown flags and commands are refused by name (exit 2), before anything runs', async () => {
  const typo = await cli('start', '--prot', '3203', '--data-dir', path.join(dataDir, 'never'));
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown flag --prot \(did you mean --port\?\)\n\s+Run `miniscope start --help`/);
  assert.equal(fs.existsSync(path.join(dataDir, 'never')), false);
  const wrongPlace = await cli('app', 'list', '--admin', 'x');
  assert.equal(wrongPlace.code, 2);
  assert.match(wrongPlace.stderr, /unknown flag --admin/);
  const command = await cli('app', 'remove');
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command "app remove"/);
});

test('every command names its data directory; a relative one is taken from the current directory', async () => {
  const cwd = process.cwd();
  process.chdir(dataDir);
  const { stderr } = await cli('app', 'list', '--data-dir', 'relative-data').finally(() => process.chdir(cwd));
  assert.match(stderr, new RegExp(`^Data directory: ${path.join(dataDir, 'relative-data')} \\(new`));
  assert.ok(fs.existsSync(path.join(dataDir, 'relative-data', 'meta.sqlite')));
  assert.match((await miniscope('user', 'list')).stderr, new RegExp(`^Data directory: ${dataDir}\\n`));
});

test('demo prints its login first, then fills the demo app through the ingest pipeline', async () => {
  const demoDir = path.join(dataDir, 'demo');
  const { stdout, stderr } = await spawned('demo', '--days', '3', '--users', '40', '--data-dir', demoDir);
  // No account existed, so the demo made its admin and says how to log in, before the traffic.
  const login = stdout.search(/Demo login: demo_admin, password \S{16} \(shown once\)\.\n/);
  const filled = stdout.search(/Demo app wxde00000000000001 filled: [\d,]+ events/);
  assert.ok(login >= 0 && login < filled, stdout);
  assert.match(stderr, /day 3\/3/);
  const store = await Store.open({ dataDir: demoDir, timeZone: 'Asia/Shanghai', ingestClients: 1 });
  try {
    const [row] = await store.query<{ days: string; users: string; opens: string; types: string }>(
      `SELECT uniqExact(toDate(ts)) AS days, uniqExact(user_id) AS users, uniqExact(sid) AS opens, uniqExact(type) AS types
       FROM events WHERE app_id = 'wxde00000000000001'`,
    );
    assert.ok(Number(row!.days) >= 2 && Number(row!.days) <= 3, `${row!.days} days of traffic`);
    assert.ok(Number(row!.users) > 5, `${row!.users} users`);
    assert.ok(Number(row!.opens) >= Number(row!.users));
    assert.ok(Number(row!.types) >= 4, 'opens, page views, leaves and hides at least');
  } finally {
    await store.close();
  }
  const again = await spawned('demo', '--days', '3', '--users', '40', '--data-dir', demoDir);
  assert.match(again.stdout, /already has data/);
  assert.match(again.stdout, /its admin is demo_admin/);
  assert.doesNotMatch(again.stdout, /password/);
});

test('start-up failures say what to do, without a stack; backups are hot beside a server, cold without', async () => {
  const server = await startServerProcess(dataDir);
  const port = new URL(server.url).port;
  try {
    const second = await failure(spawned('start', '--port', '0', '--data-dir', dataDir));
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Another Miniscope is already running on the data directory .* \(pid \d+, http:/);
    assert.match(second.stderr, /\n {2}Stop it first/);
    assert.doesNotMatch(second.stderr, NO_STACK);
    const taken = await failure(spawned('start', '--port', port, '--data-dir', path.join(dataDir, 'other')));
    assert.match(taken.stderr, new RegExp(`Port ${port} is already in use.*\\n {2}Stop the program that uses it`));
    assert.doesNotMatch(taken.stderr, NO_STACK);
    const hot = await spawned('backup', '--to', path.join(dataDir, 'backups', 'hot'), '--data-dir', dataDir);
    assert.match(hot.stdout, /^Hot backup \(written by the running server\) of .*: 3 apps/);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const zone = await failure(spawned('start', '--port', '0', '--time-zone', 'UTC', '--data-dir', dataDir));
  assert.equal(zone.code, 1);
  assert.match(zone.stderr, /created with time zone Asia\/Shanghai; it cannot be opened with UTC/);
  assert.match(zone.stderr, /\n {2}Start with --time-zone Asia\/Shanghai/);
  assert.doesNotMatch(zone.stderr, NO_STACK);
  const cold = await spawned('backup', '--to', path.join(dataDir, 'backups', 'cold'), '--data-dir', dataDir);
  assert.match(cold.stdout, /^Cold backup \(no server ran\)/);
  const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'backups', 'cold', 'manifest.json'), 'utf8'));
  assert.deepEqual([manifest.kind, manifest.event_store, manifest.time_zone], ['cold', 'embedded', 'Asia/Shanghai']);
});
