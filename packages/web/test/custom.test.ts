/**
 * 自定义分析 in a real browser (Debian's Chromium via playwright-core) against a real Miniscope on
 * loopback with the hand-computed data of custom-fixture.ts: the menu's entry, 事件分析's figures
 * (by day, a property's sum, by a property), a funnel's step users and conversion, the path sankey
 * and its step table, event retention's cohorts, saving a report and opening it again from 已保存的报表
 * (renamed, deleted), 事件管理 (counts, a display name used by the pickers), and what a viewer
 * may not change. Screens are saved at phone size into docs/screenshots/custom-*.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addDays } from '@miniscope/contract';
import type { Locator, Page } from 'playwright-core';
import type { Miniscope } from '../../server/src/miniscope.js';
import { startTestMiniscope } from '../../server/test/helpers.js';
import { type Chromium, expectAttr, expectText, launchChromium, phone, shot, sleep } from './browser.js';
import { APP, seedCustom } from './custom-fixture.js';
import { type Days, days, INDEX } from './fixture.js';

const PASSWORD = 'correct horse battery';
let m: Miniscope;
let base = '';
let chrome: Chromium;
let page: Page;
let d: Days;
const problems: string[] = [];

/** Wait until a table row's cells read as expected (cells' texts, spaces collapsed). */
async function expectRow(row: Locator, expected: string[], timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await row
      .first()
      .evaluate((tr) => Array.from(tr.children, (c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()), undefined, {
        timeout: 500,
      })
      .catch(() => []);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await sleep(50);
  }
  assert.fail(`${row}: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`);
}

/** A phone signed in as `wechatId`: a fresh session's cookie, as the login screen would leave it. */
async function signedIn(wechatId: string): Promise<Page> {
  const user = m.auth.users.byWechatId(wechatId);
  assert.ok(user, wechatId);
  const ctx = await phone(chrome.browser, base, problems);
  await ctx.addCookies([{ name: 'ms_session', value: m.auth.sessions.create(user.id).token, url: base }]);
  return ctx.newPage();
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
  m.apps.add(APP, '自定义商城');
  await seedCustom(m, d);
  const owner = await m.auth.users.add('owner_c1', '王店长', PASSWORD, false);
  const viewer = await m.auth.users.add('viewer_c1', '李查看', PASSWORD, false);
  m.auth.members.setAdmin(APP, owner.id, null);
  m.auth.grants.grant(m.apps.get(APP)!, viewer, owner);
  base = await m.server.listen({ port: 0, host: '127.0.0.1' });
  chrome = await launchChromium();
  page = await signedIn('owner_c1');
});

after(async () => {
  await chrome?.close();
  await m?.close();
});

const onTab = async (name: string) => {
  await page.locator('.custom-tabs .van-tab', { hasText: name }).click();
};
let savedUrl = '';

test('事件分析 from the menu: view_item by day, the sum of a property, by a property', async () => {
  await page.goto(`/app/${APP}/overview`);
  await page.locator('[data-test=menu]').click();
  await page.locator('[data-test="menu-custom.events"]').click();
  await page.waitForURL(`**/app/${APP}/custom/events?q=*`);
  // The most sent event first, counted and its users, by day over the 7 days to yesterday.
  await expectText(page.locator('[data-test=event]'), 'view_item');
  const table = page.locator('[data-test=events-table]');
  await expectRow(table.locator('[data-test=total]'), ['合计', '5', '3']);
  await expectRow(table.locator(`tr[data-bucket="${d.dayBefore}"]`), [d.dayBefore, '1', '1']);
  await expectRow(table.locator(`tr[data-bucket="${d.y}"]`), [d.y, '4', '3']);
  await expectAttr(page.locator('[data-test=events-chart]'), 'data-total', '5');
  await page.locator('[data-test=events-chart]').scrollIntoViewIfNeeded();
  await shot(page, 'custom-events');

  // A third metric, the sum of price: 10 + 10 + 20 + 10 + 30.
  await page.locator('[data-test=add-metric]').selectOption('sum:price');
  await expectRow(table.locator('[data-test=total]'), ['合计', '5', '3', '80']);
  await expectText(table.locator('thead th').nth(3), 'price的总和');
  // By sku: A 3 events of 2 users, 30; B 2 of 2, 50 (the most events first).
  await page.locator('[data-test=add-group]').selectOption('prop:sku');
  await expectRow(table.locator('tbody tr').nth(0), ['A', '3', '2', '30']);
  await expectRow(table.locator('tbody tr').nth(1), ['B', '2', '2', '50']);
  await expectAttr(page.locator('[data-test=events-chart]'), 'data-total', '5');
  await page.locator('[data-test=events-chart]').scrollIntoViewIfNeeded();
  await shot(page, 'custom-events-groups');
  // The query is in the address: a reload shows the same report.
  await page.reload();
  await expectRow(page.locator('[data-test=events-table] tbody tr').nth(1), ['B', '2', '2', '50']);
  // Its CSV is the server's, for the same query.
  const href = await page.locator('a.csv').getAttribute('href');
  const csv = await (await page.request.get(href ?? '')).text();
  assert.match(csv, /,A,3,2,30\r?\n/);
});

test('saving the report, and opening it again from 已保存的报表', async () => {
  await page.locator('[data-test=save]').click();
  await page.fill('input[name=report_name]', '浏览商品（按 SKU）');
  await page.locator('[data-test=save-form] button[type=submit]').click();
  await expectText(page.locator('[data-test=saved-name]'), '浏览商品（按 SKU）');
  await page.waitForURL(/saved=\d+/);
  savedUrl = page.url();

  await page.locator('[data-test=saved-list]').click();
  await page.waitForURL(`**/app/${APP}/custom/saved`);
  const item = page.locator('[data-test=saved-reports] li[data-name="浏览商品（按 SKU）"]');
  await expectText(item.locator('.name'), '浏览商品（按 SKU）');
  await expectText(item.locator('[data-test=about]'), `view_item · ${addDays(d.y, -6)} ~ ${d.y}`);
  await expectText(item.locator('.muted'), /^事件分析 王店长 · /);
  await shot(page, 'custom-saved');
  await item.locator('[data-test=open-saved]').click();
  await page.waitForURL(/\/custom\/events\?.*saved=\d+/);
  await expectText(page.locator('[data-test=saved-name]'), '浏览商品（按 SKU）');
  await expectRow(page.locator('[data-test=events-table] tbody tr').nth(0), ['A', '3', '2', '30']);
});

test('漏斗分析: each step’s users, its conversion, the median time to convert', async () => {
  await onTab('漏斗分析');
  await page.waitForURL(`**/custom/funnel?q=*`);
  // The two events most sent: view_item → add_cart.
  const steps = page.locator('[data-test=funnel-steps]');
  await expectRow(steps.locator('tr[data-step="1"]'), ['1. view_item', '3', '—', '100%']);
  await expectRow(steps.locator('tr[data-step="2"]'), ['2. add_cart', '2', '66.67%', '66.67%']);
  await page.locator('[data-test=add-step]').click();
  await expectText(page.locator('[data-test=step-event-2]'), 'pay');
  await expectRow(steps.locator('tr[data-step="3"]'), ['3. pay', '1', '50%', '33.33%']);
  await expectText(page.locator('[data-test=overall] b'), '33.33%');
  await expectText(page.locator('[data-test=median] b'), '25秒');
  await expectAttr(page.locator('[data-test=funnel-chart]'), 'data-total', '3');
  await page.locator('[data-test=funnel-kpis]').scrollIntoViewIfNeeded();
  await shot(page, 'custom-funnel');
  // Saved too: a second kind of report in the list.
  await page.locator('[data-test=save]').click();
  await page.fill('input[name=report_name]', '加购转化');
  await page.locator('[data-test=save-form] button[type=submit]').click();
  await expectText(page.locator('[data-test=saved-name]'), '加购转化');
});

test('路径分析: the sankey from each open’s entry page, and a step’s pages', async () => {
  await onTab('路径分析');
  await page.waitForURL(`**/custom/paths?q=*`);
  await expectAttr(page.locator('[data-test=sankey]'), 'data-total', '4');
  await page.waitForFunction(() => document.querySelector('[data-test=sankey] canvas') !== null);
  const nodes = page.locator('[data-test=path-nodes]');
  await expectRow(nodes.locator(`tr[data-node="${INDEX}"]`), ['index/index', '4', '100%']);
  await page.locator('.step-pills .seg-item', { hasText: '第2步' }).click();
  await expectRow(nodes.locator('tbody tr').nth(0), ['detail/detail', '1', '50%']);
  await expectRow(nodes.locator('tbody tr').nth(1), ['list/list', '1', '50%']);
  await page.locator('[data-test=sankey]').scrollIntoViewIfNeeded();
  await shot(page, 'custom-paths');
});

test('留存分析 by events: the cohorts of view_item and who came back', async () => {
  await onTab('留存分析');
  await page.waitForURL(`**/custom/retention?q=*`);
  const table = page.locator('[data-test=event-retention]');
  const row = (day: string) => table.locator(`tr[data-start="${day}"]`);
  await expectText(row(d.dayBefore).locator('[data-key="0"]'), '1');
  await expectText(row(d.dayBefore).locator('[data-key="1"] .rate'), '100%');
  await expectText(row(d.dayBefore).locator('[data-key="1"] .count'), '1');
  await expectText(row(d.y).locator('[data-key="0"]'), '3');
  await expectText(row(d.y).locator('[data-key="1"]'), '—');
  await table.scrollIntoViewIfNeeded();
  await shot(page, 'custom-retention');
});

test('事件管理: events with their 7-day counts; a display name the pickers then use', async () => {
  await page.goto(`/app/${APP}/custom/defs`);
  const list = page.locator('[data-test=event-defs]');
  await expectText(list.locator('li[data-event=view_item] [data-test=count-7d]'), '5');
  await expectText(list.locator('li[data-event=add_cart] [data-test=count-7d]'), '2');
  await expectText(list.locator('li[data-event=pay] [data-test=count-7d]'), '1');
  await shot(page, 'custom-defs');
  await list.locator('li[data-event=view_item] a').click();
  await page.waitForURL(`**/custom/defs/view_item`);
  await expectText(page.locator('[data-test=def-count]'), '5');
  await expectText(page.locator('[data-prop=price] [data-test=prop-type]'), '数值');
  await expectText(page.locator('[data-prop=sku] [data-test=prop-type]'), '文本');
  await page.fill('input[name=display_name]', '浏览商品');
  await page.locator('[data-test=def-save]').click();
  await expectText(page.locator('.card-title').first(), '浏览商品');
  await shot(page, 'custom-def');
  await page.locator('[data-test=analyse]').click();
  await page.waitForURL(`**/custom/events?q=*`);
  await expectText(page.locator('[data-test=event]'), '浏览商品');
  await expectRow(page.locator('[data-test=events-table] [data-test=total]'), ['合计', '5', '3']);
});

test('a viewer reads saved reports and events but changes neither', async () => {
  const viewer = await signedIn('viewer_c1');
  await viewer.goto(savedUrl);
  await expectRow(viewer.locator('[data-test=events-table] tbody tr').nth(0), ['A', '3', '2', '30']);
  await expectText(viewer.locator('[data-test=saved-name]'), '浏览商品（按 SKU）');
  assert.equal(await viewer.locator('[data-test=save]').count(), 0);
  await viewer.goto(`/app/${APP}/custom/saved`);
  await expectText(
    viewer.locator('[data-test=saved-reports] li[data-name="浏览商品（按 SKU）"] .name'),
    '浏览商品（按 SKU）',
  );
  assert.equal(await viewer.locator('[data-test=saved-reports] li').count(), 2);
  assert.equal(await viewer.locator('[data-test=saved-reports] [data-test=rename]').count(), 0);
  assert.equal(await viewer.locator('[data-test=saved-reports] [data-test=delete]').count(), 0);
  await viewer.goto(`/app/${APP}/custom/defs/view_item`);
  await expectText(viewer.locator('[data-test=def-display]'), '浏览商品');
  assert.equal(await viewer.locator('[data-test=def-form]').count(), 0);
  // In English: the tabs, the metrics and the total row.
  await viewer.evaluate(() => localStorage.setItem('miniscope.locale', 'en'));
  await viewer.goto(savedUrl);
  await expectText(viewer.locator('.custom-tabs .van-tab').nth(1), 'Funnels');
  const head = viewer.locator('[data-test=events-table] thead th');
  await expectText(head.nth(3), 'Sum of price');
  await expectText(head.nth(1), 'Events');
  await viewer.context().close();
});

test('the admin renames and deletes a saved report', async () => {
  await page.goto(`/app/${APP}/custom/saved`);
  // Newest change first; by kind.
  await expectText(page.locator('[data-test=saved-reports] li .name'), '加购转化');
  assert.equal(await page.locator('[data-test=saved-reports] li').count(), 2);
  await page.getByRole('radio', { name: '漏斗分析' }).click();
  await expectText(
    page.locator('[data-test=saved-reports] li [data-test=about]'),
    `浏览商品 → add_cart → pay · ${addDays(d.y, -6)} ~ ${d.y}`,
  );
  assert.equal(await page.locator('[data-test=saved-reports] li').count(), 1);
  await page.getByRole('radio', { name: '事件分析' }).click();
  const item = page.locator('[data-test=saved-reports] li').first();
  await item.locator('[data-test=rename]').click();
  await page.fill('input[name=new_report_name]', '浏览商品 SKU');
  await page.locator('[data-test=rename-form] button[type=submit]').click();
  await expectText(page.locator('[data-test=saved-reports] li .name'), '浏览商品 SKU');
  await page.locator('[data-test=saved-reports] [data-test=delete]').click();
  await page.locator('.van-dialog__confirm').click();
  await page.locator('[data-test=saved-reports]').waitFor({ state: 'detached' });
  await page.getByRole('radio', { name: '全部' }).click();
  await expectText(page.locator('[data-test=saved-reports] li .name'), '加购转化');
  assert.equal(await page.locator('[data-test=saved-reports] li').count(), 1);
  assert.deepEqual(problems, []);
});
