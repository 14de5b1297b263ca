/**
 * Where the framework projects are installed and built: a cache directory outside the repository
 * (MINISCOPE_FRAMEWORKS_DIR, default <tmp>/miniscope-frameworks), so that their node_modules never
 * join the workspace and Node's resolution cannot fall back on the workspace's packages. The npm
 * install of a project is redone only when its package.json changed; its sources and the SDK (the
 * tarball `npm pack` makes, as a team would get it from the registry) are laid anew at every run.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK_DIR } from '../bundle.js';
import { copySdkFile, type Framework } from './projects.js';

export const CACHE = process.env.MINISCOPE_FRAMEWORKS_DIR || join(tmpdir(), 'miniscope-frameworks');
const SOURCES = join(SDK_DIR, 'frameworks');

/**
 * Runs a command, its output in `log`; rejects with the log's end when it fails. Resolves to the
 * seconds taken. Asynchronous: a build must not block the event loop of this process.
 */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  log: string,
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  const start = performance.now();
  const out = createWriteStream(log);
  out.write(`$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  await new Promise((resolve) => out.end(resolve));
  if (status !== 0) {
    const tail = readFileSync(log, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (log: ${log}):\n${tail}`);
  }
  return (performance.now() - start) / 1000;
}

export interface PackedSdk {
  tarball: string;
  /** the unpacked package: package.json, dist/ */
  dir: string;
}

/** `npm pack` (whose prepack builds the SDK), then unpacked beside the tarball. */
export async function packSdk(): Promise<PackedSdk> {
  const out = join(CACHE, 'sdk');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await run('npm', ['pack', '--pack-destination', out], SDK_DIR, join(CACHE, 'sdk-pack.log'));
  const tarball = join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
  const dir = join(out, 'package');
  mkdirSync(dir);
  await run('tar', ['xzf', tarball, '-C', dir, '--strip-components=1'], out, join(CACHE, 'sdk-unpack.log'));
  return { tarball, dir };
}

/** Installs a project's npm dependencies into CACHE/<name>/node_modules unless its package.json is unchanged. */
async function install(name: string): Promise<{ seconds: number; cached: boolean }> {
  const dir = join(CACHE, `${name}.deps`);
  const manifest = readFileSync(join(SOURCES, name, 'package.json'), 'utf8');
  const hash = createHash('sha256').update(manifest).digest('hex');
  const stamp = join(dir, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { seconds: 0, cached: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), manifest);
  const seconds = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', dir],
    dir,
    join(CACHE, `${name}-install.log`),
  );
  writeFileSync(stamp, hash);
  return { seconds, cached: false };
}

export interface Project {
  /** the project directory, with its sources and node_modules */
  dir: string;
  /** seconds the npm install took; undefined without one (native) */
  installSeconds?: number;
  installCached?: boolean;
  sdkSeconds: number;
  versions: Record<string, string>;
}

/** Lays out CACHE/<framework>: the sources anew, node_modules from the (cached) install, then the SDK. */
export async function prepare(framework: Framework, sdk: PackedSdk): Promise<Project> {
  mkdirSync(CACHE, { recursive: true });
  const dir = join(CACHE, framework.name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(SOURCES, framework.source), dir, { recursive: true });
  let installed: { seconds?: number; cached?: boolean } = {};
  let sdkSeconds = 0;
  if (framework.install) {
    installed = await install(framework.install);
    const deps = join(CACHE, `${framework.install}.deps`);
    if (framework.sdk === 'npm') {
      // into the install itself (no package.json change, so the cached install stays valid)
      rmSync(join(deps, 'node_modules/@miniscope'), { recursive: true, force: true });
      const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', deps, sdk.tarball];
      sdkSeconds = await run('npm', args, deps, join(CACHE, `${framework.name}-sdk-install.log`));
    }
    symlinkSync(join(deps, 'node_modules'), join(dir, 'node_modules'), 'dir');
  }
  copySdkFile(framework, sdk.dir, dir);
  framework.rewrite?.(dir);
  const versions: Record<string, string> = {};
  for (const name of framework.versions) {
    versions[name] = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  }
  return { dir, installSeconds: installed.seconds, installCached: installed.cached, sdkSeconds, versions };
}

/** Builds the project with its framework's own CLI; the seconds taken (undefined for native: nothing to build). */
export async function build(framework: Framework, project: Project): Promise<number | undefined> {
  if (!framework.build) return undefined;
  const bin = join(project.dir, 'node_modules', '.bin', framework.build.bin);
  const log = join(CACHE, `${framework.name}-build.log`);
  return run(bin, framework.build.args, project.dir, log, { NODE_ENV: 'production', CI: 'true' });
}
