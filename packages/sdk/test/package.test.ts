/**
 * The package as a team gets it (issue 13: publishable, dist built on pack; issue 15: ES module and
 * CommonJS builds with types). `npm pack` runs `prepack`, which builds; the tarball is unpacked into a
 * scratch project's node_modules, where `import` must reach the ES module, `require` the CommonJS
 * file, and TypeScript must find the declarations under each module resolution teams use.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SDK_DIR } from '../scripts/bundle.js';

let dir: string;
let files: string[];
const API = ['flush', 'identify', 'init', 'setProfile', 'track'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'miniscope-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: SDK_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path).sort();
  const target = join(dir, 'node_modules/@miniscope/sdk');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['xzf', join(dir, packed!.filename), '-C', target, '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), '{ "name": "shop", "private": true, "type": "module" }\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' }).trim();

test('the tarball holds the builds, their declarations and nothing of the sources', () => {
  assert.deepEqual(files, [
    'README.md',
    'dist/miniscope.d.mts',
    'dist/miniscope.d.ts',
    'dist/miniscope.js',
    'dist/miniscope.mjs',
    'dist/package.json',
    'package.json',
  ]);
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules/@miniscope/sdk/package.json'), 'utf8'));
  assert.equal(manifest.private, undefined, 'publishable');
});

test('import reaches the ES module, require the CommonJS file; both give the same API', () => {
  const imported = node(
    '--input-type=module',
    '-e',
    "const m = await import('@miniscope/sdk'); console.log(import.meta.resolve('@miniscope/sdk'), Object.keys(m).sort().join())",
  );
  assert.match(imported, /\/node_modules\/@miniscope\/sdk\/dist\/miniscope\.mjs flush,identify,init,setProfile,track$/);
  const required = node(
    '--input-type=commonjs',
    '-e',
    "console.log(require.resolve('@miniscope/sdk'), Object.keys(require('@miniscope/sdk')).sort().join())",
  );
  assert.match(required, /\/node_modules\/@miniscope\/sdk\/dist\/miniscope\.js flush,identify,init,setProfile,track$/);
  assert.deepEqual(API, imported.split(' ')[1]!.split(','));
});

test('TypeScript finds the types under bundler, node16 and node resolution; a wrong call is an error', () => {
  writeFileSync(
    join(dir, 'app.ts'),
    [
      "import { init, track, type InitOptions, type Props } from '@miniscope/sdk';",
      "const options: InitOptions = { appid: 'wx1a2b3c4d5e6f7a8b', server: 'https://stats.example.com' };",
      'init(options);',
      "const props: Props = { sku: 'A1', price: 199, vip: true };",
      "track('add_to_cart', props);",
      '// @ts-expect-error: props are flat',
      "track('add_to_cart', { nested: { a: 1 } });",
      '',
    ].join('\n'),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const settings: [string, string][] = [
    ['esnext', 'bundler'],
    ['node16', 'node16'],
    ['commonjs', 'node10'],
  ];
  for (const [module, resolution] of settings) {
    const args = ['--noEmit', '--strict', '--module', module, '--moduleResolution', resolution];
    // throws, with tsc's messages, on any type error
    const trace = node(tsc, ...args, '--traceResolution', 'app.ts');
    const expected = resolution === 'node10' ? 'miniscope.d.ts' : resolution === 'node16' ? 'miniscope.d.mts' : '';
    assert.match(trace, /'@miniscope\/sdk' was successfully resolved to '[^']*dist\/miniscope\.d\.m?ts'/);
    if (expected) assert.ok(trace.includes(`dist/${expected}'`), `${resolution} resolves ${expected}`);
  }
});
