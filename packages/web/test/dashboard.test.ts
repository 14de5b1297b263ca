/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core) against a real Miniscope
 * on loopback with embedded ClickHouse and the hand-computed fixture of fixture.ts: first-run setup,
 * app list and switching, a new app's 接入指南 (the SDK from the server, the live check taking the
 * first event), every screen's numbers (today's too), CSV download, real time taking a new event,
 * authorizing and revoking a viewer (by swipe) and the viewer's access, errors in the dashboard's
 * own words. Every screen is saved at phone size into docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { User } from '../../server/src/auth/users.js';
import type { Miniscope } from '../../server/src/miniscope.js';
import { startTestMiniscope } from '../../server/test/helpers.js';
import { type Chromium, expectAttr, expectText, launchChromium, phone, shot, sleep, swipeLeft } from './browser.js';
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

/** A request the test made fail on purpose is logged by the browser as a failed load: not a problem. */
async function expectLogged(status: number): Promise<void> {
  const deadline = Date.now() + 2000;
  const find = () => problems.findIndex((p) => p.includes(`status of ${status}`));
  while (find() < 0 && Date.now() < deadline) await sleep(50);
  const i = find();
  assert.ok(i >= 0, `the browser logged the ${status}`);
  problems.splice(i, 1);
}

/** A text field drawn as a box (a border all round) with its placeholder: not a bare line that reads as a label. */
async function expectBoxed(page: Page, input: string, placeholder: string): Promise<void> {
  const field = page.locator(input);
  assert.equal(await field.getAttribute('placeholder'), placeholder, input);
  const border = await field.evaluate((el) => {
    const box = getComputedStyle(el.closest('.van-field__body') as Element);
    return [box.borderTopWidth, box.borderRightWidth, box.borderBottomWidth, box.borderLeftWidth, box.borderTopStyle];
  });
  assert.deepEqual(border, ['1px', '1px', '1px', '1px', 'solid'], input);
}

/** Hold a finger on an element for 600 ms, as a long press on a phone. */
async function longPress(page: Page, target: Locator): Promise<void> {
  // NOTE: to the middle of the screen: at an edge it would be under the fixed header or tab bar.
  await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await target.boundingBox();
  if (!box) throw new Error(`nothing to press at ${target}`);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await sleep(600);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

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
  // The server's error is shown in the dashboard's words, in Chinese.
  await admin.fill('input[name=appid]', APP_C.toUpperCase().replace('WX', 'wx'));
  await admin.fill('input[name=name]', '新小程序');
  await admin.locator('form button[type=submit]').click();
  await expectText(admin.locator('.notice[role=alert]'), /^AppID 格式不正确：应为 wx 加 16 位小写十六进制字符/);
  await expectLogged(400);
  assert.equal(await admin.locator('input[name=appid]').getAttribute('placeholder'), 'wx0123456789abcdef');
  assert.equal(await admin.locator('input[name=name]').getAttribute('placeholder'), '如：我的商城');
  await admin.fill('input[name=appid]', APP_C);
  await admin.locator('form button[type=submit]').click();
  await expectText(admin.locator('.created'), /已添加「新小程序」.*[0-9a-f]{32}.*接入指南/);
  await expectText(admin.locator('[data-test=app]').nth(0), /示例商城.*wx00000000000000aa.*管理员/);
  assert.equal(await admin.locator('[data-test=app]').count(), 3);
  await shot(admin, 'apps');
  // The list has the menu (notifications, account, language, log out) and the bell.
  await admin.locator('[data-test=bell]').waitFor();
  await admin.locator('[data-test=menu]').click();
  await admin.locator('[data-test=logout]').waitFor();
  assert.equal(await admin.locator('[data-test=switch-app]').count(), 0, 'no app to switch from here');
  await shot(admin, 'apps-menu');
  await admin.locator('.van-overlay').click({ position: { x: 360, y: 400 } });
  await admin.locator('.van-overlay').waitFor({ state: 'hidden' });
});

test('接入指南: a new app links there; the SDK from this server; the live check takes the first event', async () => {
  await admin.goto(`/app/${APP_C}/overview`);
  // No event yet: the reports are a link to the guide, not rows of 0 and —.
  await expectText(admin.locator('[data-test=nodata] h2'), '还没有收到「新小程序」的数据');
  assert.equal(await admin.locator('[data-test=kpis]').count(), 0);
  await shot(admin, 'no-data');
  await admin.locator('[data-test=nodata-guide]').click();
  await admin.waitForURL(`**/app/${APP_C}/guide`);
  const status = admin.locator('[data-test=guide-status]');
  await expectText(status, /等待第一个事件/);
  assert.equal(await status.getAttribute('data-state'), 'waiting');
  await expectText(admin.locator('[data-test=guide-appid]'), APP_C);
  await expectText(admin.locator('[data-test=guide-server]'), base);
  await admin.locator('[data-test=guide-http]').waitFor(); // loopback is http://: phones will not send here
  await expectText(
    admin.locator('[data-test=guide-snippet] pre'),
    new RegExp(`appid: '${APP_C}',\\s*server: '${base}',`),
  );

  // The SDK's file, downloaded from the server, is what its integrity names.
  const integrity = (await admin.locator('[data-test=guide-integrity]').textContent())?.trim() ?? '';
  assert.match(integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.locator('[data-test=guide-file]').click(),
  ]);
  const code = fs.readFileSync(await download.path());
  assert.equal(download.suggestedFilename(), 'miniscope.js');
  assert.equal(`sha384-${createHash('sha384').update(code).digest('base64')}`, integrity);
  assert.match(code.toString(), /exports/);
  await shot(admin, 'guide');

  await admin.locator('[data-test=guide-snippet]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(admin, 'guide-sdk');
  // The copy button puts the code, with the AppID and server filled in, on the clipboard.
  await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await admin.locator('[data-test=guide-snippet] .code-copy').click();
  await expectText(admin.locator('.van-toast'), '已复制');
  const copied = await admin.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, (await admin.locator('[data-test=guide-snippet] pre').textContent()) ?? '');
  assert.match(
    copied,
    new RegExp(`miniscope\\.init\\(\\{\\n {2}appid: '${APP_C}',\\n {2}server: '${base}',\\n\\}\\);`),
  );
  await admin.getByRole('radio', { name: 'uni-app' }).click();
  await expectText(admin.locator('[data-test=guide-snippet] pre'), /#ifdef MP-WEIXIN.*@miniscope\/sdk/);
  await admin.getByRole('radio', { name: 'Taro' }).click();
  await expectText(admin.locator('[data-test=guide-snippet] pre'), /TARO_ENV === 'weapp'/);

  const now = Date.now();
  const sent = await fetch(`${base}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      v: 1,
      app: APP_C,
      batch: `first-${now}`,
      sent_at: now,
      user: { id: 'uFirst' },
      device: { platform: 'devtools', model: 'iPhone 15' },
      events: [
        { id: 'o', t: 'open', ts: now - 100, sid: 'first', scene: 1001, path: INDEX, cold: true },
        { id: 'p', t: 'pv', ts: now - 50, sid: 'first', path: INDEX },
      ],
    }),
  });
  assert.equal(sent.status, 200, await sent.text());
  const before = Date.now();
  await expectText(admin.locator('[data-test=guide-received]'), /^共 2 个事件，最近一次在 \d+ 秒前$/, 10_000);
  timings.guide_first_event = Date.now() - before;
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'guide-received');
  await admin.locator('.van-nav-bar__left').click();
  await admin.locator('[data-test=kpis]').waitFor();
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
  await expectText(admin.locator('[data-metric=session_cnt] [data-growth=day] small'), '较前日');
  await expectText(admin.locator('[data-metric=session_cnt] [data-growth=week] small'), '较上周');
  await expectText(admin.locator('[data-metric=session_cnt] [data-growth=month] small'), '较上月');
  // Today so far, beside yesterday's: uT's one open with one page view.
  const today = (id: string) => admin.locator(`[data-today=${id}]`);
  await expectText(today('session_cnt').locator('[data-test=value]'), '1');
  await expectText(today('visit_pv').locator('[data-test=value]'), '1');
  await expectText(today('session_cnt').locator('[data-test=yesterday]'), '昨日 4');
  await expectText(admin.locator('[data-test=today-as-of]'), /^截至 \d\d:\d\d，尚不完整$/);
  // At 375 px no tile is wider than its box, even with growth as long as +3700% or −12345.6%.
  const overflowing = await admin.evaluate(() => {
    for (const b of Array.from(document.querySelectorAll('[data-growth] b'))) b.textContent = '−12345.6%';
    return Array.from(document.querySelectorAll<HTMLElement>('.kpi, .kpi-growth span'))
      .filter((el) => el.scrollWidth > el.clientWidth + 0.5)
      .map((el) => `${el.className} ${el.scrollWidth}>${el.clientWidth}`);
  });
  assert.deepEqual(overflowing, []);
  await admin.reload();
  await expectText(kpi(admin, 'session_cnt'), '4');
  await expectText(admin.locator(`[data-test=top-pages] li[data-key="${INDEX}"] b`), '4');
  const chart = admin.locator('[data-test=trend-chart]');
  await chart.waitFor();
  await admin.waitForFunction(() => document.querySelector('[data-test=trend-chart] canvas') !== null);
  assert.equal(await chart.getAttribute('data-total'), '4', 'visitors per day over the 7 days to Y: 1 on Y−1 + 3 on Y');
  await shot(admin, 'overview');
  // The last metric pill, chosen, is scrolled whole into view (not cut at the right).
  const pills = admin.locator('[data-test=metric-pills]');
  await pills.getByRole('radio', { name: '跳出率' }).click();
  await admin.waitForTimeout(100);
  const [line, pill] = await Promise.all([
    pills.boundingBox(),
    pills.getByRole('radio', { name: '跳出率' }).boundingBox(),
  ]);
  assert.ok(
    line && pill && pill.x >= line.x && pill.x + pill.width <= line.x + line.width,
    JSON.stringify({ line, pill }),
  );
  // Bounce rate per day summed over the 7 days: 1 on Y−1 and 0.5 on Y.
  await expectAttr(chart, 'data-total', '1.5');
  // 今天 in the trend's ranges, said to be partial.
  await admin.locator('.range-chips button', { hasText: '今天' }).first().click();
  await expectText(admin.locator('[data-test=partial]').first(), /^今天截至 \d\d:\d\d，数据尚不完整$/);
  await expectText(admin.locator('[data-test=range]').first(), new RegExp(`^${d.today} ~ ${d.today}`));
});

test('访问分析: trend, sources with scenes, retention, duration, pages with a CSV and a page trend', async () => {
  const tab = (name: string) => admin.getByRole('tab', { name });
  await admin.locator('.van-tabbar-item', { hasText: '访问' }).click();
  const row = admin.locator(`[data-test=trend-table] tr[data-start="${d.y}"]`);
  await expectText(row.locator('[data-metric=session_cnt]'), '4');
  await expectText(row.locator('[data-metric=visit_uv_new]'), '2');
  await expectText(row.locator('[data-metric=bounce_rate]'), '50%');
  await shot(admin, 'visits-trend');
  await admin.locator('.range-chips button', { hasText: '今天' }).click();
  const todayRow = admin.locator(`[data-test=trend-table] tr[data-start="${d.today}"]`);
  await expectText(todayRow.locator('[data-metric=session_cnt]'), '1');
  await admin.locator('[data-test=partial]').waitFor();
  assert.equal(await admin.locator('[data-test=trend-table] tbody tr').count(), 1);

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
  // Every band, the empty ones as 0: 8 of stay time, 7 of depth.
  assert.equal(await admin.locator('[data-test=dist-staytime] tbody tr').count(), 8);
  assert.equal(await admin.locator('[data-test=dist-depth] tbody tr').count(), 7);
  await expectText(stay(1), '0');
  await expectText(admin.locator('[data-test=dist-staytime] tr[data-key="8"] td').first(), '100秒以上');
  await expectText(admin.locator('[data-test=dist-depth] tr[data-key="7"] td').nth(1), '0');
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
  // A phone starts at hourly steps: 24 points, labelled at whole hours.
  await expectText(admin.getByRole('radio', { checked: true, name: /小时|分钟/ }), '1小时');
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
  // Platforms capitalised, as display names are (the API writes WeChat's "android").
  await expectText(admin.locator('[data-test=portrait-platforms] li[data-key="2"] .bar-label'), 'Android');
  const iphone = admin.locator('[data-test=portrait-devices] li', { hasText: 'iPhone 15' });
  await expectText(iphone.locator('b'), '2');
  await shot(admin, 'portrait');
  // A model's codes: on hover (title), on a tap, and on a long press.
  assert.match((await iphone.locator('button').getAttribute('title')) ?? '', /^型号代码：.*iPhone 15/);
  await iphone.locator('button').click();
  await expectText(iphone.locator('[data-test=detail]'), /^型号代码：.*iPhone 15/);
  const huawei = admin.locator('[data-test=portrait-devices] li', { hasText: 'Mate 60' });
  await longPress(admin, huawei.locator('button'));
  await expectText(huawei.locator('[data-test=detail]'), /^型号代码：.*Mate 60/);
  await shot(admin, 'portrait-models');
  // Today so far: said to be partial.
  await admin.getByRole('radio', { name: '今天' }).click();
  await expectText(admin.locator('[data-test=partial]'), /^今天截至 \d\d:\d\d，数据尚不完整$/);
  await expectText(admin.locator('p.range'), new RegExp(`^${d.today} ~ ${d.today}`));
  await admin.getByRole('radio', { name: '昨天' }).click();
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
  await viewerPage.fill('input[name=password]', 'not the password');
  await viewerPage.click('button[type=submit]');
  await expectText(viewerPage.locator('.form-error'), '微信号或密码错误');
  await viewerPage.fill('input[name=password]', PASSWORD);
  await shot(viewerPage, 'login');
  await viewerPage.click('button[type=submit]');
  await expectText(viewerPage.locator('[data-test=app]'), /示例商城.*已授权/);
  // The bell counts the grant's notice at once, without a reload.
  await expectText(viewerPage.locator('[data-test=bell] .van-badge'), '1');
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
  // Logging out from the app list.
  await viewerPage.locator('[data-test=menu]').click();
  await viewerPage.locator('[data-test=logout]').click();
  await viewerPage.waitForURL('**/login');
});

test('成员管理 and the English switch', async () => {
  await admin.goto(`/app/${APP_A}/members`);
  await admin.locator('[data-test=members] li[data-wechat-id=dev_tester]').waitFor();
  await expectBoxed(admin, 'input[name=wechat_id]', '成员的完整微信号');
  await admin.fill('input[name=wechat_id]', 'nobody_here');
  await admin.getByRole('button', { name: '添加成员' }).click();
  await expectText(admin.locator('.van-toast'), /没有这个微信号的帐号/);
  await admin.locator('.van-toast').waitFor({ state: 'hidden' });
  await admin.fill('input[name=wechat_id]', '');
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
  await expectText(admin.locator('[data-metric=session_cnt] [data-growth=day] small'), 'Day before');
  await expectText(admin.locator('[data-today=session_cnt] [data-test=yesterday]'), 'Yesterday 4');
  await shot(admin, 'overview-en');
  // Names the API gives in Chinese are shown in English: provinces and genders.
  await admin.goto(`/app/${APP_A}/portrait`);
  await expectText(admin.locator('[data-test=portrait-province] li[data-key="广东省"] .bar-label'), 'Guangdong');
  await expectText(admin.locator('[data-test=portrait-genders] li[data-key="1"] .bar-label'), 'Male');
  // The guide in English: the app received its first event earlier.
  await admin.goto(`/app/${APP_C}/guide`);
  await expectText(admin.locator('[data-test=guide-received]'), /^2 events so far, the last \d+ (s|min) ago$/);
  await shot(admin, 'guide-en');
  await admin.goto(`/app/${APP_A}/overview`);
  await admin.setViewportSize({ width: 1280, height: 800 });
  await expectText(kpi(admin, 'session_cnt'), '4');
  await shot(admin, 'overview-desktop');
});

test('帐号: a deployment admin adds an account and changes their password', async () => {
  await admin.setViewportSize({ width: 375, height: 812 });
  await admin.evaluate(() => localStorage.setItem('miniscope.locale', 'zh-CN'));
  await admin.goto('/account');
  for (const [field, hint] of <Array<[string, string]>>[
    ['current_password', '输入当前密码'],
    ['new_password', '8 到 200 个字符'],
    ['new_wechat_id', '6–20 位，以字母开头'],
    ['new_display_name', '显示的名字，如：张三'],
  ])
    await expectBoxed(admin, `input[name=${field}]`, hint);
  await admin.fill('input[name=current_password]', 'not my password');
  await admin.fill('input[name=new_password]', 'a brand new password');
  await admin.locator('form').first().locator('button[type=submit]').click();
  await expectText(admin.locator('.van-toast'), /当前密码不正确/);
  await expectLogged(403);
  await admin.locator('.van-toast').waitFor({ state: 'hidden' });
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
  await admin.locator('.van-toast').waitFor({ state: 'hidden' });
  await shot(admin, 'account');
});

test('every screen was interactive within a second, with no script errors', () => {
  assert.deepEqual(problems, []);
  assert.ok(Object.keys(interactive).length >= 4);
  for (const [screen, ms] of Object.entries(interactive)) assert.ok(ms < 1000, `${screen} interactive after ${ms} ms`);
  // Figures wait for the embedded ClickHouse, which runs queries one at a time; a generous bound.
  for (const [screen, ms] of Object.entries(timings)) assert.ok(ms < 5000, `${screen} figures after ${ms} ms`);
});
