// Builds the dashboard (packages/web → packages/web/dist) when the build is missing or older than
// its sources. Run after `npm install` (postinstall), before `npm start`, and by the browser tests,
// so `npm install && npm start` serves the dashboard on a fresh machine. Without Vite (an install
// that left dev dependencies out) it says so and leaves the server to show a "not built" page.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../packages/web/', import.meta.url));
const built = path.join(web, 'dist', 'index.html');

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

export function isStale() {
  if (!fs.existsSync(built)) return true;
  const own = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => path.join(web, p));
  // The contract's ids, names and calendar are bundled into the dashboard too.
  const sources = [...own, path.join(web, '..', 'contract', 'src')];
  return Math.max(...sources.filter((p) => fs.existsSync(p)).map(newest)) > fs.statSync(built).mtimeMs;
}

/** Another build is running when its lock directory exists (mkdir is atomic); wait for it. */
function withLock(work) {
  const lock = path.join(web, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a killed build is stale after three minutes.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 180_000)
        fs.rmSync(lock, { force: true, recursive: true });
      if (Date.now() > deadline) throw new Error(`another dashboard build holds ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { force: true, recursive: true });
  }
}

export function buildWeb({ force = false } = {}) {
  if (!force && !isStale()) return 'fresh';
  let vite;
  try {
    const manifest = createRequire(path.join(web, 'package.json')).resolve('vite/package.json');
    const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    vite = path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin.vite);
  } catch {
    console.warn('miniscope: Vite is not installed, so the dashboard was not built (install dev dependencies).');
    return 'skipped';
  }
  return withLock(() => {
    if (!force && !isStale()) return 'fresh'; // built by the build we waited for
    // Built beside dist and swapped in, so a running server never sees a half-written build.
    const dist = path.join(web, 'dist');
    const next = path.join(web, `dist.next-${process.pid}`);
    const old = path.join(web, `dist.old-${process.pid}`);
    const args = [vite, 'build', '--logLevel', 'warn', '--outDir', next, '--emptyOutDir'];
    const result = spawnSync(process.execPath, args, { cwd: web, stdio: 'inherit' });
    if (result.status !== 0) {
      fs.rmSync(next, { force: true, recursive: true });
      throw new Error(`the dashboard build failed (exit ${result.status})`);
    }
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(next, dist);
    fs.rmSync(old, { force: true, recursive: true });
    return 'built';
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const outcome = buildWeb({ force: process.argv.includes('--force') });
    if (outcome === 'built') console.log('miniscope: dashboard built into packages/web/dist');
  } catch (error) {
    console.error(`miniscope: ${error.message}`);
    process.exit(1);
  }
}
