/**
 * What each screen makes the browser download, weighed gzipped from the build's manifest: the
 * entry plus the screen's chunks and everything they import (ECharts included for chart screens,
 * which load it on demand). The first screen's JavaScript must stay under 300 KB gzipped. The
 * contract is imported for its types and small values only: its zod schemas stay on the server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET_KB = 300;

interface Chunk {
  file: string;
  imports?: string[];
  css?: string[];
}
let manifest: Record<string, Chunk>;

before(() => {
  const build = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../../../scripts/build-web.mjs', import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  assert.equal(build.status, 0, 'the dashboard builds');
  manifest = JSON.parse(fs.readFileSync(path.join(DIST, '.vite', 'manifest.json'), 'utf8'));
});

/** Files a screen loads: its chunks and their static imports, transitively. */
function filesOf(keys: string[]): { js: Set<string>; css: Set<string> } {
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    assert.ok(chunk, `no chunk ${key} in the build`);
    if (js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  for (const k of keys) visit(k);
  return { js, css };
}

const gzipKb = (files: Set<string>) =>
  [...files].reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length, 0) /
  1024;

const SCREENS: Record<string, string[]> = {
  login: ['index.html', 'src/views/LoginView.vue'],
  apps: ['index.html', 'src/views/AppsView.vue'],
  overview: ['index.html', 'src/views/AppShell.vue', 'src/views/OverviewView.vue', 'src/charts/echarts.ts'],
  realtime: ['index.html', 'src/views/AppShell.vue', 'src/views/RealtimeView.vue', 'src/charts/echarts.ts'],
  guide: ['index.html', 'src/views/AppShell.vue', 'src/views/GuideView.vue'],
};

test(`each screen's JavaScript is under ${BUDGET_KB} KB gzipped`, () => {
  const report: Record<string, string> = {};
  for (const [screen, keys] of Object.entries(SCREENS)) {
    const { js, css } = filesOf(keys);
    const jsKb = gzipKb(js);
    report[screen] = `JS ${jsKb.toFixed(1)} KB + CSS ${gzipKb(css).toFixed(1)} KB gzipped`;
    assert.ok(jsKb < BUDGET_KB, `${screen}: ${jsKb.toFixed(1)} KB of JavaScript`);
  }
  console.log(JSON.stringify(report, null, 1));
});

test('the login screen does not load ECharts', () => {
  const { js } = filesOf(SCREENS.login ?? []);
  assert.ok(![...js].some((f) => f.includes('echarts')), [...js].join(', '));
});

test('zod stays out of the dashboard (the contract is used for types, ids, names and the calendar)', () => {
  const scripts = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  const withZod = scripts.filter((f) =>
    /\b_zod\b|ZodError/.test(fs.readFileSync(path.join(DIST, 'assets', f), 'utf8')),
  );
  assert.deepEqual(withZod, []);
});
