/**
 * Browser-test plumbing: Debian's Chromium driven by playwright-core (Playwright's own browser
 * download does not work here), phone-sized contexts, screenshots into docs/screenshots, and a
 * real finger swipe (Chrome DevTools touch events: Vant's swipe cell listens to touches only), and
 * waits for a text or an attribute to read as expected.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const PHONE = { width: 375, height: 812 };
export const SHOTS_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Chromium on a fresh profile: `launch()` makes a new temporary user-data-dir for each run and
 * removes it on close (it refuses a --user-data-dir argument; persistent profiles are for reuse).
 */
export async function launchChromium(): Promise<Chromium> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  return { browser, close: () => browser.close() };
}

/** A phone: 375×812, touch, zh-CN, and every console error or failed request collected in `problems`. */
export async function phone(browser: Browser, baseURL: string, problems: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  context.on('page', (page) => watch(page, problems));
  return context;
}

function watch(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 401/404 the app handles (e.g. "who am I" before login) is logged by the browser as a failed load.
    if (m.type() === 'error' && !/status of 40[14]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
}

/** Save the page as docs/screenshots/<name>.png (the viewport, at phone size). */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), animations: 'disabled' });
}

/** Swipe left across an element with one finger, as on a phone. */
export async function swipeLeft(page: Page, selector: string, distance = 160): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`nothing to swipe at ${selector}`);
  const y = box.y + box.height / 2;
  const x0 = box.x + box.width - 20;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', x0);
  for (let i = 1; i <= 8; i++) await touch('touchMove', x0 - (distance * i) / 8);
  await touch('touchEnd', x0 - distance);
  await cdp.detach();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until the element's text (spaces collapsed) matches (screens load asynchronously), else fail with what it showed. */
export async function expectText(loc: Locator, expected: string | RegExp, timeout = 10_000): Promise<void> {
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

/** Wait until the element's attribute has the value (charts redraw asynchronously). */
export async function expectAttr(loc: Locator, name: string, expected: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen: string | null = null;
  while (Date.now() < deadline) {
    seen = await loc.getAttribute(name, { timeout: 500 }).catch(() => null);
    if (seen === expected) return;
    await sleep(50);
  }
  assert.fail(`${loc} [${name}]: expected ${expected}, saw ${seen}`);
}
