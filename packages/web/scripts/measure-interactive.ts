/**
 * How fast each dashboard screen becomes usable on a big store (issue 6: "any screen interactive
 * within 1 s on loopback with 10M events stored"). Not a test: a measurement that prints a table.
 *
 * A Miniscope process on an existing data directory (by default the 10M-event bench store), a
 * phone-sized Chromium (375×812) that logs in through the login screen, then every screen opened
 * twice: by loading its address (a cold page load: HTML, bundle, who-am-I, apps, the screen's
 * queries) and by a tap inside the running app (the tab bar or the visits tabs). For each, from
 * the navigation start (or the tap) as the page's own clock sees it:
 *   - interactive: the screen's controls are drawn and enabled (tab bar, menu, range presets,
 *     segmented controls, tabs, form fields), with loading skeletons still allowed;
 *   - figures: no skeleton and nothing aria-busy is left (every query of the screen answered).
 * The median of --runs runs is shown, and the worst.
 *
 * Run: node --import tsx packages/web/scripts/measure-interactive.ts \
 *        [--data-dir packages/server/data/bench-10M] [--app wx00000000000b0b0b] \
 *        [--user bench_admin] [--password 'bench password 1'] [--runs 5]
 * Only one process may open a data directory: stop any server using it first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium, phone } from '../test/browser.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: path.join(ROOT, 'packages/server/data/bench-10M') },
    app: { type: 'string', default: 'wx00000000000b0b0b' },
    user: { type: 'string', default: 'bench_admin' },
    password: { type: 'string', default: 'bench password 1' },
    runs: { type: 'string', default: '5' },
    'no-build': { type: 'boolean', default: false },
  },
});
const APP = opts.app;
const RUNS = Math.max(1, Number(opts.runs));

interface Screen {
  name: string;
  path: string;
  /** Selectors that must each match at least one visible, enabled element for the screen to be usable. */
  controls: string[];
  /** How a user reaches it inside the running app (a selector to tap), if by one tap. */
  tap?: string;
}

const SHELL = ['.van-tabbar-item', '[data-test=menu], .van-nav-bar__left button'];
const TABBAR = (label: string) => `.van-tabbar-item:has-text("${label}")`;
const VISIT_TAB = (label: string) => `[role=tab]:has-text("${label}")`;
const appScreen = (name: string, sub: string, controls: string[], tap?: string): Screen => ({
  name,
  path: `/app/${APP}/${sub}`,
  controls: [...SHELL, ...controls],
  tap,
});
const visits = (tab: string, label: string, extra: string[] = []) =>
  appScreen(`访问·${label}`, `visits/${tab}`, ['[role=tab]', '.range-chips button', ...extra], VISIT_TAB(label));

const SCREENS: Screen[] = [
  { name: '小程序列表', path: '/apps', controls: ['[data-test=app]'] },
  appScreen('概况', 'overview', ['.range-chips button', '.seg-item'], TABBAR('概况')),
  visits('trend', '用户趋势', ['.seg-item']),
  visits('sources', '来源分析', ['.seg-item']),
  visits('retention', '留存分析', ['.seg-item']),
  visits('duration', '时长分析'),
  visits('pages', '页面详情', ['button[data-sort]']),
  appScreen('页面趋势', 'page?path=pages%2Fp0%2Findex', ['.range-chips button']),
  appScreen('实时', 'realtime', ['.seg-item'], TABBAR('实时')),
  appScreen('画像', 'portrait', ['.seg-item'], TABBAR('画像')),
  appScreen('授权', 'authorize', ['input[name=wechat_id]']),
  appScreen('成员', 'members', ['input']),
  { name: '通知', path: '/notifications', controls: ['.van-nav-bar'] },
  { name: '账号', path: '/account', controls: ['input[type=password]'] },
];

/** In the page: the time (performance.now) when the controls are usable, and when figures are shown. */
function watchScreen(controls: string[]): Promise<{ interactive: number; figures: number }> {
  const usable = (sel: string) =>
    Array.from(document.querySelectorAll<HTMLElement>(sel)).some((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && !(el as HTMLButtonElement).disabled;
    });
  // NOTE: `:has-text()` is Playwright's; here it is matched by hand.
  const matches = (sel: string) => {
    const m = /^(.*):has-text\("(.*)"\)$/.exec(sel);
    if (!m) return usable(sel);
    return Array.from(document.querySelectorAll<HTMLElement>(m[1] as string)).some((el) =>
      el.textContent?.includes(m[2] as string),
    );
  };
  const loading = () =>
    document.querySelector('.van-skeleton, [aria-busy="true"]') !== null ||
    (document.querySelector('#app')?.childElementCount ?? 0) === 0;
  return new Promise((resolve) => {
    let interactive = 0;
    const tick = () => {
      const now = performance.now();
      if (!interactive && controls.every(matches)) interactive = now;
      if (interactive && !loading()) return resolve({ interactive, figures: now });
      requestAnimationFrame(tick);
    };
    tick();
  });
}

async function coldOpen(page: Page, s: Screen) {
  await page.goto(s.path, { waitUntil: 'commit' });
  const t = await page.evaluate(watchScreen, s.controls);
  return { interactive: t.interactive, figures: t.figures };
}

async function tapOpen(page: Page, s: Screen) {
  // Start from another screen with the same tab bar (or visits tabs) so the tap changes the screen.
  const from = s.path.includes('/visits/')
    ? `/app/${APP}/visits/${s.path.endsWith('/trend') ? 'pages' : 'trend'}`
    : `/app/${APP}/${s.path.endsWith('/overview') ? 'portrait' : 'overview'}`;
  await page.goto(from);
  await page.evaluate(watchScreen, [...SHELL, '.card-title']);
  const target = page.locator(s.tap as string).first();
  await target.waitFor();
  const t0 = await target.evaluate((el: HTMLElement) => {
    const t = performance.now();
    el.click();
    return t;
  });
  const t = await page.evaluate(watchScreen, s.controls);
  return { interactive: t.interactive - t0, figures: t.figures - t0 };
}

function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'packages/server/bin/miniscope.mjs'),
      'start',
      '--data-dir',
      opts['data-dir'],
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--compact-every',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk;
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve({ url: ready[1] as string, child });
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const ms = (x: number) => `${Math.round(x)}`;

if (!opts['no-build']) {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}
const load = os.loadavg().map((x) => x.toFixed(2));
const startedAt = performance.now();
const { url, child } = await startServer();
console.log(`server ready in ${ms(performance.now() - startedAt)} ms at ${url}; load average ${load.join(' ')}`);
const chrome = await launchChromium();
const problems: string[] = [];
try {
  const page = await (await phone(chrome.browser, url, problems)).newPage();
  // NOTE: tsx compiles with esbuild's keepNames, whose `__name` helper the page lacks.
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto('/login');
  await page.fill('input[name=wechat_id]', opts.user);
  await page.fill('input[name=password]', opts.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  // One untimed pass: the bundle's chunks cached, the server's first-query costs paid.
  for (const s of SCREENS) await coldOpen(page, s);

  const rows: string[][] = [];
  let worst = 0;
  for (const s of SCREENS) {
    const cold = { i: [] as number[], f: [] as number[] };
    const tap = { i: [] as number[], f: [] as number[] };
    for (let r = 0; r < RUNS; r++) {
      const c = await coldOpen(page, s);
      cold.i.push(c.interactive);
      cold.f.push(c.figures);
      if (s.tap) {
        const t = await tapOpen(page, s);
        tap.i.push(t.interactive);
        tap.f.push(t.figures);
      }
    }
    worst = Math.max(worst, ...cold.i, ...tap.i);
    const cell = (xs: number[]) => (xs.length ? `${ms(median(xs))} (${ms(Math.max(...xs))})` : '—');
    rows.push([s.name, s.path.replace(`/app/${APP}`, '…'), cell(cold.i), cell(cold.f), cell(tap.i), cell(tap.f)]);
  }
  const head = ['screen', 'address', 'load→interactive', 'load→figures', 'tap→interactive', 'tap→figures'];
  console.log(
    `\nms, median (worst) of ${RUNS}; load average at start ${load.join(' ')}, at end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; ${os.cpus().length} CPUs\n`,
  );
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nworst time to interactive: ${ms(worst)} ms (${worst <= 1000 ? 'within' : 'over'} 1 s)`);
  if (problems.length) console.warn(`\nbrowser problems:\n${problems.join('\n')}`);
} finally {
  await chrome.close();
  child.kill('SIGTERM');
}
