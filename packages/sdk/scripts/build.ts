/**
 * `npm run build -w @miniscope/sdk`: writes dist/miniscope.js (ES2015, minified) and
 * dist/miniscope.d.ts, prints the size, and fails above the 5 KB min+gzip budget. `--copy DIR`
 * also copies the bundle there (the example mini program uses it).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { bundle, gzipSize, SDK_DIR, SIZE_BUDGET_BYTES } from './bundle.js';

const dist = `${SDK_DIR}dist/`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const code = await bundle();
writeFileSync(`${dist}miniscope.js`, code);
// the package is "type": "module"; the bundle is CommonJS, which mini programs load
writeFileSync(`${dist}package.json`, '{ "type": "commonjs" }\n');

// The declarations, checked against ES2015's library so that no newer API slips into the SDK.
const tmp = `${dist}.types/`;
execFileSync(
  process.execPath,
  [
    createRequire(import.meta.url).resolve('typescript/bin/tsc'),
    `${SDK_DIR}src/index.ts`,
    ...['--declaration', '--emitDeclarationOnly', '--outDir', tmp, '--strict', '--skipLibCheck'],
    ...['--target', 'es2015', '--lib', 'es2015', '--types', 'miniprogram-api-typings'],
    ...['--module', 'esnext', '--moduleResolution', 'bundler'],
  ],
  { stdio: 'inherit' },
);
const dts = readFileSync(`${tmp}index.d.ts`, 'utf8');
if (/from ['"]\./.test(dts))
  throw new Error('dist/miniscope.d.ts must not import other files: keep the public types in src/index.ts');
writeFileSync(`${dist}miniscope.d.ts`, dts);
rmSync(tmp, { recursive: true, force: true });

const gz = gzipSize(code);
console.log(`dist/miniscope.js: ${code.length} bytes minified, ${gz} bytes min+gzip (budget ${SIZE_BUDGET_BYTES})`);

const copyAt = process.argv.indexOf('--copy');
if (copyAt > 0 && process.argv[copyAt + 1]) {
  // relative to where npm was run (INIT_CWD), not to this package
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[copyAt + 1]!);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(`${dist}miniscope.js`, target);
  console.log(`copied to ${target}`);
}
if (gz > SIZE_BUDGET_BYTES) {
  console.error('over the size budget');
  process.exit(1);
}
