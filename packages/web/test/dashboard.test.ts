/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core) against a real Miniscope
 * on loopback with embedded ClickHouse and the hand-computed fixture of fixture.ts: first-run setup,
 * app list and switching, every screen's numbers, CSV download, real time taking a new event,
 * authorizing and revoking a viewer (by swipe) and the viewer's access. Every screen is saved at
 * phone size into docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { User } from '../../server/src/auth/users.js';
import type { Miniscope } from '../../server/src/miniscope.js';
import { startTestMiniscope } from '../../server/test/helpers.js';
import { type Chromium, launchChromium, phone, shot, swipeLeft } from './browser.js';
import { APP_A, APP_B, APP_C, type Days, DETAIL, days, INDEX, seedFixture } from './fixture.js';

const PASSWORD = 'correct horse battery';
let m: Miniscope;
let base = '';
let chrome: Chromium;
let admin: Page;
let viewerPage: Page;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const timings: Record<string, number> = {};
const interactive: Record<string, number> = {};
let d: Days;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until the element's text matches (the screen loads asynchronously), else fail with what it showed. */
async function expectText(loc: Locator, expected: string | RegExp, timeout = 8000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen = '';
  while (Date.now() < deadline) {
    seen =
      (
        await loc
          .first()
          .textContent({ timeout: 500 })
          .catch(() => null)
      )
        ?.replace(/\s+/g, ' ')
        .trim() ?? '∅';
    if (typeof expected === 'string' ? seen === expected : expected.test(seen)) return;
    await sleep(50);
  }
  assert.fail(`${loc}: expected ${expected}, saw "${seen}"`);
}

/**
 * How long a screen takes from the tap that opens it: until it is interactive (its controls and
 * report cards are drawn, loading skeletons in place) and until its figures are shown (the
 * server's queries answered).
 */
async function timed(name: string, action: () => Promise<unknown>, figures: () => Promise<unknown>): Promise<void> {
  const start = Date.now();
  await action();
  await admin.locator('.card-title').first().waitFor();
  interactive[name] = Date.now() - start;
  await figures();
  timings[name] = Date.now() - start;
}

const kpi = (page: Page, id: string) => page.locator(`[data-metric="${id}"] [data-test="value"]`);

before(async () => {
  const build = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../../../scripts/build-web.mjs', import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  assert.equal(build.status, 0, 'the dashboard builds');
  d = days();
  m = await startTestMiniscope();
  m.apps.add(APP_A, '示例商城');
  m.apps.add(APP_B, '示例资讯');
  await seedFixture(m, d);
  base = await m.server.listen({ port: 0, host: '127.0.0.1' });
  chrome = await launchChromium();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chrome?.close();
  await m?.close();
  console.log('interactive after (ms):', JSON.stringify(interactive));
  console.log('figures shown after (ms):', JSON.stringify(timings));
});

test('first-run setup creates the admin, who adds an app and sees the app list', async () => {
  const ctx = await phone(chrome.browser, base, problems);
  contexts.push(ctx);
  admin = await ctx.newPage();
  await admin.goto(`/setup?token=${encodeURIComponent(m.auth.setupToken ?? '')}`);
  await shot(admin, 'setup');
  await admin.fill('input[name=wechat_id]', 'owner_01');
  await admin.fill('input[name=display_name]', '王店长');
  await admin.fill('input[name=password]', PASSWORD);
  await admin.click('button[type=submit]');
  await admin.waitForURL('**/apps');
  // The operator makes the new admin the 管理员 of the two seeded apps (as `miniscope app` would).
  const owner = m.auth.users.byWechatId('owner_01') as User;
  m.auth.members.setAdmin(APP_A, owner.id, null);
  m.auth.members.setAdmin(APP_B, owner.id, null);
  const viewer = await m.auth.users.add('viewer_01', '李分析', PASSWORD, false);
  const dev = await m.auth.users.add('dev_tester', '张开发', PASSWORD, false);
  m.auth.members.set(APP_A, dev.id, { developer: true, tester: true, analyst: false }, owner.id);
  assert.ok(viewer);

  await admin.getByRole('button', { name: '添加小程序' }).click();
  await admin.fill('input[name=appid]', APP_C);
  await admin.fill('input[name=name]', '新小程序');
  await admin.locator('form button[type=submit]').click();
  await expectText(admin.locator('.created'), /已添加「新小程序」.*[0-9a-f]{32}/);
  await expectText(admin.locator('[data-test=app]').nth(0), /示例商城.*wx00000000000000aa.*管理员/);
  assert.equal(await admin.locator('[data-test=app]').count(), 3);
  await shot(admin, 'apps');
});

test('a deployment admin takes an app that has no admin, or names its admin', async () => {
  // As `miniscope app add` without --admin leaves them: no one sees their data yet.
  m.apps.add('wx00000000000000dd', '无主小程序');
  m.apps.add('wx00000000000000de', '待分配');
  const ops = await m.auth.users.add('ops_0001', '运维', PASSWORD, false);
  await admin.goto('/apps');
  const unowned = (name: string) => admin.locator('[data-test=unowned-app]', { hasText: name });
  await expectText(unowned('无主小程序'), /wx00000000000000dd/);
  await unowned('无主小程序').getByRole('button', { name: '由我管理' }).click();
  await expectText(admin.locator('[data-test=app]', { hasText: '无主小程序' }), /管理员/);
  await unowned('待分配').getByRole('button', { name: '指定管理员' }).click();
  await admin.fill('input[name=admin_wechat_id]', 'ops_0001');
  await admin.locator('[data-test=assign] button[type=submit]').click();
  await admin.locator('[data-test=unowned-app]').first().waitFor({ state: 'detached' });
  assert.equal(m.auth.members.adminOf('wx00000000000000de'), ops.id);
  assert.equal(await admin.locator('[data-test=app]', { hasText: '待分配' }).count(), 0, 'not theirs to see');
});

test('数据概况: yesterday’s figures with growth, the trend and the top pages', async () => {
  await timed(
    'overview',
    () => admin.locator('[data-test=app]', { hasText: '示例商城' }).click(),
    () => expectText(kpi(admin, 'session_cnt'), '4'),
  );
  const expected: Record<string, string> = {
    visit_pv: '7',
    visit_uv: '3',
    visit_uv_new: '2',
    stay_time_uv: '16秒',
    stay_time_session: '12秒',
    visit_depth: '1.75',
    share_pv: '1',
    share_uv: '1',
    visit_total: '4',
  };
  for (const [id, text] of Object.entries(expected)) await expectText(kpi(admin, id), text);
  const growth = (k: string) => admin.locator(`[data-metric=session_cnt] [data-growth=${k}] b`);
  await expectText(growth('day'), '+300%');
  await expectText(growth('week'), '+300%');
  await expectText(growth('month'), '—');
  await expectText(admin.locator(`[data-test=top-pages] li[data-key="${INDEX}"] b`), '4');
  const chart = admin.locator('[data-test=trend-chart]');
  await chart.waitFor();
  await admin.waitForFunction(() => document.querySelector('[data-test=trend-chart] canvas') !== null);
  assert.equal(await chart.getAttribute('data-total'), '4', 'visitors per day over the 7 days to Y: 1 on Y−1 + 3 on Y');
  await shot(admin, 'overview');
});

test('访问分析: trend, sources with scenes, retention, duration, pages with a CSV and a page trend', async () => {
  const tab = (name: string) => admin.getByRole('tab', { name });
  await admin.locator('.van-tabbar-item', { hasText: '访问' }).click();
  const row = admin.locator(`[data-test=trend-table] tr[data-start="${d.y}"]`);
  await expectText(row.locator('[data-metric=session_cnt]'), '4');
  await expectText(row.locator('[data-metric=visit_uv_new]'), '2');
  await expectText(row.locator('[data-metric=bounce_rate]'), '50%');
  await shot(admin, 'visits-trend');

  await timed(
    'sources',
    () => tab('来源分析').click(),
    () => expectText(admin.locator('[data-test=sources] li[data-key="1"] b'), '2'),
  );
  await expectText(admin.locator('[data-test=sources] li[data-key="4"] b'), '1');
  await expectText(admin.locator('[data-test=sources] li[data-key="3"] b'), '1');
  await shot(admin, 'visits-sources');
  await admin.locator('[data-test=sources] li[data-key="1"] button').click();
  await expectText(admin.locator('[data-test=scenes] tr[data-scene="1001"] td').nth(1), '2');
  await shot(admin, 'visits-scenes');
  await admin.locator('.van-popup__close-icon').click();

  await timed(
    'retention',
    () => tab('留存分析').click(),
    () =>
      expectText(admin.locator(`[data-test=retention] tr[data-start="${d.dayBefore}"] td[data-key="1"]`), /^100%\s*1$/),
  );
  await expectText(admin.locator(`[data-test=retention] tr[data-start="${d.dayBefore}"] td[data-key="0"]`), '1');
  await expectText(admin.locator(`[data-test=retention] tr[data-start="${d.y}"] td[data-key="0"]`), '2');
  await shot(admin, 'visits-retention');

  await tab('时长分析').click();
  const stay = (key: number) => admin.locator(`[data-test=dist-staytime] tr[data-key="${key}"] td`).nth(1);
  await expectText(stay(3), '2');
  await expectText(stay(4), '2');
  await expectText(admin.locator('[data-test=dist-depth] tr[data-key="1"] td').nth(1), '2');
  await expectText(admin.locator('[data-test=dist-depth] tr[data-key="3"] td').nth(1), '1');
  await shot(admin, 'visits-duration');

  await tab('页面详情').click();
  const page = (path: string, col: string) =>
    admin.locator(`[data-test=pages] tr[data-path="${path}"] td[data-col=${col}]`);
  await expectText(page(INDEX, 'page_visit_pv'), '4');
  await expectText(page(INDEX, 'page_visit_uv'), '3');
  await expectText(page(INDEX, 'exit_rate'), '50%');
  await expectText(page(INDEX, 'page_staytime_pv'), '8秒');
  await expectText(page(INDEX, 'visit_share'), '57.14%');
  await expectText(page(DETAIL, 'exit_rate'), '100%');
  await admin.locator('button[data-sort=exit_rate]').click();
  await expectText(admin.locator('[data-test=pages] tbody tr').first().locator('td').first(), DETAIL);
  await shot(admin, 'visits-pages');

  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('a.csv').first().click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /^pages-wx00000000000000aa-.*\.csv$/);
  assert.ok(csv.startsWith('\uFEFF页面路径,访问次数'), csv.slice(0, 40));
  assert.match(csv, new RegExp(`\\r\\n${DETAIL},2,2,6.5,0,2,1,`));
  assert.match(csv, new RegExp(`\\r\\n${INDEX},4,3,8,4,2,0.5,`));

  await admin.locator(`[data-test=pages] tr[data-path="${INDEX}"] a`).click();
  await expectText(admin.locator('[data-test=page-path]'), INDEX);
  // Index views over the 7 days to Y: 4 on Y and uA's first open on Y−1.
  await expectText(admin.locator('.totals li').first().locator('b'), '5');
  await admin.locator('[data-test=page-chart] canvas').waitFor();
  await shot(admin, 'page-trend');
});

test('实时统计: the live chart takes a new event without a reload', async () => {
  await admin.goto(`/app/${APP_A}/realtime`);
  await expectText(admin.locator('[data-test=rt-pv]'), '1');
  await admin.locator('[data-test=rt-chart] canvas').waitFor();
  await shot(admin, 'realtime');
  const now = Date.now();
  const sent = await fetch(`${base}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      v: 1,
      app: APP_A,
      batch: `live-${now}`,
      sent_at: now,
      user: { id: 'uLive' },
      device: { platform: 'ios', model: 'iPhone 15' },
      events: [
        { id: 'o', t: 'open', ts: now - 100, sid: 'live', scene: 1001, path: INDEX, cold: true },
        { id: 'p', t: 'pv', ts: now - 50, sid: 'live', path: INDEX },
      ],
    }),
  });
  assert.equal(sent.status, 200, await sent.text());
  const before = Date.now();
  await expectText(admin.locator('[data-test=rt-pv]'), '2', 12_000);
  timings.realtime_new_event = Date.now() - before;
  assert.equal(await admin.locator('[data-test=rt-chart]').getAttribute('data-total'), '2');
  assert.equal(admin.url(), `${base}/app/${APP_A}/realtime`, 'no navigation happened');

  // Real time has no server export; its CSV is made in the browser from what the chart shows.
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('button.csv').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFF日期,时间,访问次数,访问人数,打开次数\r\n'), csv.slice(0, 40));
  const todayViews = csv
    .split('\r\n')
    .filter((line) => line.startsWith(d.today))
    .reduce((sum, line) => sum + Number(line.split(',')[2]), 0);
  assert.equal(todayViews, 2);
});

test('用户画像: gender, province, platform of yesterday’s users', async () => {
  await timed(
    'portrait',
    () => admin.locator('.van-tabbar-item', { hasText: '画像' }).click(),
    () => expectText(admin.locator('[data-test=portrait-genders] li[data-key="1"] b'), '2'),
  );
  await expectText(admin.locator('[data-test=portrait-genders] li[data-key="2"] b'), '1');
  await expectText(admin.locator('[data-test=portrait-province] li[data-key="广东省"] b'), '2');
  await expectText(admin.locator('[data-test=portrait-province] li[data-key="江苏省"] b'), '1');
  await expectText(admin.locator('[data-test=portrait-city] li[data-key="深圳市"] b'), '2');
  // A province picked shows its cities only; 全部城市 shows all again.
  await admin.locator('[data-test=portrait-province] li[data-key="江苏省"] button').click();
  await admin.locator('[data-test=portrait-city] li[data-key="深圳市"]').waitFor({ state: 'detached' });
  assert.equal(await admin.locator('[data-test=portrait-city] li').count(), 1);
  await admin.locator('[data-test=all-cities]').click();
  await expectText(admin.locator('[data-test=portrait-city] li[data-key="深圳市"] b'), '2');
  await expectText(admin.locator('[data-test=portrait-platforms] li[data-key="1"] b'), '2');
  await expectText(admin.locator('[data-test=portrait-devices] li[data-key="iPhone 15"] b'), '2');
  await shot(admin, 'portrait');
});

test('switching apps from the menu', async () => {
  await admin.locator('[data-test=menu]').click();
  await admin.locator('[data-test=switch-app]', { hasText: '示例资讯' }).waitFor();
  await shot(admin, 'menu');
  await admin.locator('[data-test=switch-app]', { hasText: '示例资讯' }).click();
  await admin.waitForURL(`**/app/${APP_B}/overview`);
  await expectText(kpi(admin, 'session_cnt'), '1');
  await expectText(admin.locator('.van-nav-bar__title'), '示例资讯');
  await admin.locator('[data-test=menu]').click();
  await admin.locator('[data-test=switch-app]', { hasText: '示例商城' }).click();
  await expectText(kpi(admin, 'session_cnt'), '4');
});

test('授权: authorize a viewer by WeChat ID and a tester from the members; the viewer sees the app', async () => {
  await admin.goto(`/app/${APP_A}/authorize`);
  await expectText(admin.locator('[data-test=cap]'), '已授权 0 / 20 人');
  await admin.fill('input[name=wechat_id]', 'viewer_01');
  await admin.getByRole('button', { name: '搜索' }).click();
  await admin.locator('[data-test=grant]').click();
  await admin.locator('[data-test=grants] li[data-wechat-id=viewer_01]').waitFor();
  await admin.locator('[data-test=candidate][data-wechat-id=dev_tester] button').click();
  await expectText(admin.locator('[data-test=cap]'), '已授权 2 / 20 人');
  await admin.locator('[data-test=grants] li[data-wechat-id=dev_tester]').waitFor();
  await admin.locator('.van-toast').waitFor({ state: 'hidden' });
  await shot(admin, 'authorize');

  const ctx = await phone(chrome.browser, base, problems);
  contexts.push(ctx);
  viewerPage = await ctx.newPage();
  await viewerPage.goto('/');
  await viewerPage.waitForURL('**/login**');
  await viewerPage.fill('input[name=wechat_id]', 'viewer_01');
  await viewerPage.fill('input[name=password]', PASSWORD);
  await shot(viewerPage, 'login');
  await viewerPage.click('button[type=submit]');
  await expectText(viewerPage.locator('[data-test=app]'), /示例商城.*已授权/);
  assert.equal(await viewerPage.locator('[data-test=app]').count(), 1, 'only the app they were authorized for');
  await viewerPage.locator('[data-test=app]').click();
  await expectText(kpi(viewerPage, 'session_cnt'), '4');
  await viewerPage.goto('/notifications');
  await expectText(viewerPage.locator('[data-test=notice]'), /王店长 授权你查看「示例商城」的数据/);
  await shot(viewerPage, 'notifications');
});

test('revoking by swiping left ends the viewer’s access at once', async () => {
  await swipeLeft(admin, '[data-test=grants] li[data-wechat-id=viewer_01] .van-swipe-cell');
  await admin.locator('[data-test=grants] li[data-wechat-id=viewer_01] [data-test=swipe-revoke]').click();
  await admin.locator('.van-dialog__confirm').click();
  await admin.locator('[data-test=grants] li[data-wechat-id=viewer_01]').waitFor({ state: 'detached' });
  await expectText(admin.locator('[data-test=cap]'), '已授权 1 / 20 人');

  const status = await viewerPage.evaluate(async (app) => (await fetch(`/api/apps/${app}/overview`)).status, APP_A);
  assert.equal(status, 404, 'the revoked viewer can no longer read the app');
  await viewerPage.goto(`/app/${APP_A}/overview`);
  await viewerPage.waitForURL('**/apps?denied=*');
  assert.equal(await viewerPage.locator('[data-test=app]').count(), 0);
});

test('成员管理 and the English switch', async () => {
  await admin.goto(`/app/${APP_A}/members`);
  await admin.locator('[data-test=members] li[data-wechat-id=dev_tester]').waitFor();
  await shot(admin, 'members');
  await admin.goto(`/app/${APP_A}/overview`);
  await admin.locator('[data-test=menu]').click();
  await admin.locator('[data-test=locale]').click();
  // Close the drawer by tapping the dimmed page to its right.
  await admin.locator('.van-overlay').click({ position: { x: 360, y: 400 } });
  await admin.locator('.van-overlay').waitFor({ state: 'hidden' });
  await expectText(admin.locator('.van-tabbar-item').first(), 'Overview');
  await expectText(admin.locator('[data-metric=session_cnt] .kpi-name'), 'Opens');
  await expectText(kpi(admin, 'stay_time_uv'), '16 s');
  await shot(admin, 'overview-en');
  // Names the API gives in Chinese are shown in English: provinces and genders.
  await admin.goto(`/app/${APP_A}/portrait`);
  await expectText(admin.locator('[data-test=portrait-province] li[data-key="广东省"] .bar-label'), 'Guangdong');
  await expectText(admin.locator('[data-test=portrait-genders] li[data-key="1"] .bar-label'), 'Male');
  await admin.goto(`/app/${APP_A}/overview`);
  await admin.setViewportSize({ width: 1280, height: 800 });
  await expectText(kpi(admin, 'session_cnt'), '4');
  await shot(admin, 'overview-desktop');
});

test('帐号: a deployment admin adds an account and changes their password', async () => {
  await admin.setViewportSize({ width: 375, height: 812 });
  await admin.evaluate(() => localStorage.setItem('miniscope.locale', 'zh-CN'));
  await admin.goto('/account');
  await admin.fill('input[name=new_wechat_id]', 'zhao_ops01');
  await admin.fill('input[name=new_display_name]', '赵运营');
  await admin.fill('input[name=new_user_password]', 'another good password');
  await admin.getByRole('button', { name: '添加帐号' }).click();
  await expectText(admin.locator('.van-toast'), /已添加帐号 zhao_ops01/);
  assert.equal(m.auth.users.byWechatId('zhao_ops01')?.displayName, '赵运营');
  await admin.fill('input[name=current_password]', PASSWORD);
  await admin.fill('input[name=new_password]', 'a brand new password');
  await admin.locator('form').first().locator('button[type=submit]').click();
  await expectText(admin.locator('.van-toast'), /密码已修改/);
  assert.ok(await m.auth.users.authenticate('owner_01', 'a brand new password'));
  await shot(admin, 'account');
});

test('every screen was interactive within a second, with no script errors', () => {
  assert.deepEqual(problems, []);
  assert.ok(Object.keys(interactive).length >= 4);
  for (const [screen, ms] of Object.entries(interactive)) assert.ok(ms < 1000, `${screen} interactive after ${ms} ms`);
  // Figures wait for the embedded ClickHouse, which runs queries one at a time; a generous bound.
  for (const [screen, ms] of Object.entries(timings)) assert.ok(ms < 5000, `${screen} figures after ${ms} ms`);
});
