/**
 * The README's dashboard screenshots, taken on the demo app (realistic traffic) rather than the
 * browser test's tiny fixture: a throwaway Miniscope on a temporary directory, filled by the demo
 * generator, a phone-sized Chromium, three screens into docs/screenshots/readme/.
 * Run: node --import tsx packages/web/scripts/readme-screenshots.ts   (about a minute)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_APPID, runDemo } from '../../server/src/demo/run.js';
import { startTestMiniscope } from '../../server/test/helpers.js';
import { launchChromium, phone, SHOTS_DIR } from '../test/browser.js';

const OUT = path.join(SHOTS_DIR, 'readme');
const build = fileURLToPath(new URL('../../../scripts/build-web.mjs', import.meta.url));
if (spawnSync(process.execPath, [build], { stdio: 'inherit' }).status !== 0) throw new Error('the build failed');

const m = await startTestMiniscope();
const chrome = await launchChromium();
try {
  const demo = await runDemo(m, { days: 35, users: 1500, quiet: true });
  const password = demo.login?.password;
  if (!password) throw new Error('the demo made no admin login');
  const base = await m.server.listen({ port: 0, host: '127.0.0.1' });
  const problems: string[] = [];
  const page = await (await phone(chrome.browser, base, problems)).newPage();
  await page.goto('/login');
  await page.fill('input[name=wechat_id]', 'demo_admin');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('[data-test=app]').first().click();
  fs.mkdirSync(OUT, { recursive: true });
  const save = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
  };
  await page.locator('[data-metric=session_cnt] [data-test=value]').waitFor();
  await save('overview');
  await page.goto(`/app/${DEMO_APPID}/visits/retention`);
  await page.locator('[data-test=retention] tbody tr').first().waitFor();
  await save('visits-retention');
  await page.goto(`/app/${DEMO_APPID}/portrait`);
  await page.locator('[data-test=portrait-province] li').first().waitFor();
  await save('portrait');
  if (problems.length) console.warn(problems.join('\n'));
  console.log(`saved into ${OUT}`);
} finally {
  await chrome.close();
  await m.close();
}
