/**
 * `npm run test:frameworks` (root) or `npm run test:frameworks -w @miniscope/sdk [-- NAME…]`: the
 * SDK proven where teams build (issue 15). Packs the SDK as npm would publish it, installs and
 * builds the shop of packages/sdk/frameworks/ with each framework's own CLI (native, uni-app from
 * npm, uni-app with the copied ES module file, Taro), then runs each output on the fake WeChat
 * runtime against a real Miniscope server on loopback, started once every build is done (a build
 * running beside it would slow it into refusing batches as overloaded), and prints expected against
 * recorded events per framework. Exits non-zero on any missing or unexpected event, bad batch or refused answer. Not
 * part of `npm test`: the first install downloads about 700 MB from the npm registry.
 * Results also go to <cache>/results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkShop, type Outcome, SHOP_APPID } from './check.js';
import { FRAMEWORKS, type Framework } from './projects.js';
import { startServer } from './stored.js';
import { build, CACHE, packSdk, prepare } from './workdir.js';

interface Result extends Partial<Outcome> {
  name: string;
  versions?: Record<string, string>;
  installSeconds?: number;
  installCached?: boolean;
  buildSeconds?: number;
  error?: string;
}

const names = process.argv.slice(2);
const unknown = names.filter((n) => !FRAMEWORKS.some((f) => f.name === n));
if (unknown.length) {
  console.error(`unknown framework ${unknown.join(', ')}; known: ${FRAMEWORKS.map((f) => f.name).join(', ')}`);
  process.exit(2);
}
const selected = FRAMEWORKS.filter((f) => !names.length || names.includes(f.name));

console.log(`cache: ${CACHE}`);
const sdk = await packSdk();
console.log(`SDK packed: ${sdk.tarball}`);
const results: Result[] = [];
const built: { framework: Framework; result: Result; output: string }[] = [];
for (const framework of selected) {
  const result: Result = { name: framework.name };
  results.push(result);
  try {
    const project = await prepare(framework, sdk);
    Object.assign(result, {
      versions: project.versions,
      installSeconds: project.installSeconds,
      installCached: project.installCached,
    });
    result.buildSeconds = await build(framework, project);
    built.push({ framework, result, output: join(project.dir, framework.output) });
    if (result.buildSeconds !== undefined)
      console.log(`built ${framework.name} in ${result.buildSeconds.toFixed(1)} s`);
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
  }
}
const server = await startServer(SHOP_APPID);
try {
  for (const { framework, result, output } of built) {
    try {
      Object.assign(result, await checkShop(framework, output, server));
    } catch (error) {
      result.error = (error as Error).stack ?? String(error);
    }
  }
} finally {
  await server.close();
}
for (const result of results) report(result);

writeFileSync(join(CACHE, 'results.json'), `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
console.log(`\n${table(results)}`);
const failed = results.filter((r) => r.error || r.missing?.length || r.unexpected?.length || r.problems?.length);
console.log(
  failed.length ? `\nFAILED: ${failed.map((r) => r.name).join(', ')}` : '\nevery event recorded on every framework',
);
process.exit(failed.length ? 1 : 0);

function report(r: Result): void {
  console.log(`\n== ${r.name}`);
  if (r.versions && Object.keys(r.versions).length) {
    console.log(
      Object.entries(r.versions)
        .map(([k, v]) => `${k}@${v}`)
        .join('  '),
    );
  }
  if (r.error) {
    console.log(`error: ${r.error}`);
    return;
  }
  console.log(`expected ${r.expected}, recorded ${r.recorded}, in ${r.requests} requests`);
  for (const e of r.missing ?? []) console.log(`  missing: ${JSON.stringify(e)}`);
  for (const e of r.unexpected ?? []) console.log(`  unexpected: ${JSON.stringify(e)}`);
  for (const p of r.problems ?? []) console.log(`  problem: ${p}`);
  for (const w of r.warnings ?? []) console.log(`  SDK warning: ${w}`);
}

function table(rows: Result[]): string {
  const head = ['framework', 'install s', 'build s', 'expected', 'recorded', 'missing', 'unexpected', 'problems'];
  const body = rows.map((r) => [
    r.name,
    r.installCached ? 'cached' : (r.installSeconds?.toFixed(1) ?? '-'),
    r.buildSeconds?.toFixed(1) ?? '-',
    String(r.expected ?? '-'),
    String(r.recorded ?? '-'),
    String(r.missing?.length ?? '-'),
    String(r.unexpected?.length ?? '-'),
    r.error ? 'error' : String(r.problems?.length ?? '-'),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
