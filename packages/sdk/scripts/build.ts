/**
 * `npm run build -w @miniscope/sdk` (also run by `npm pack`/`npm publish` through `prepack`): writes
 * dist/miniscope.js (CommonJS) and dist/miniscope.mjs (ES module), both ES2015 and minified, with
 * their declarations (dist/miniscope.d.ts, dist/miniscope.d.mts), prints the sizes, and fails when a
 * build is above the 5 KB min+gzip budget. `--copy FILE` also copies the CommonJS file there, for a
 * native mini program (the example mini program uses it). Reports go to stderr, so that
 * `npm pack --json` prints only its JSON.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import { bundle, FILES, type Format, gzipSize, SDK_DIR, SIZE_BUDGET_BYTES } from './bundle.js';

const dist = `${SDK_DIR}dist/`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

let over = false;
for (const format of Object.keys(FILES) as Format[]) {
  const code = await bundle(format);
  writeFileSync(`${dist}${FILES[format]}`, code);
  const gz = gzipSize(code);
  over ||= gz > SIZE_BUDGET_BYTES;
  console.error(
    `dist/${FILES[format]} (${format}): ${code.length} bytes minified, ${gz} bytes min+gzip (budget ${SIZE_BUDGET_BYTES})`,
  );
}
// the package is "type": "module" (for its scripts); the .js bundle is CommonJS, which mini programs load
writeFileSync(`${dist}package.json`, '{ "type": "commonjs" }\n');

// The declarations, with the SDK's sources checked against ES2015's library so that no newer API slips
// into the SDK. Only diagnostics in src/ count: @miniscope/contract is imported for its types only,
// never bundled, and is checked with the server's library by the root tsconfig.
const tmp = `${dist}.types/`;
const program = ts.createProgram([`${SDK_DIR}src/index.ts`], {
  declaration: true,
  emitDeclarationOnly: true,
  outDir: tmp,
  strict: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2015,
  lib: ['lib.es2015.d.ts'],
  types: ['miniprogram-api-typings'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
});
const emitted = program.emit();
const own = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
  (d) => !d.file || resolve(d.file.fileName).startsWith(`${SDK_DIR}src/`),
);
if (own.length) {
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => SDK_DIR, getNewLine: () => '\n' };
  console.error(ts.formatDiagnostics(own, host));
  process.exit(1);
}
const dts = readFileSync(`${tmp}index.d.ts`, 'utf8');
if (/from ['"]\./.test(dts))
  throw new Error('dist/miniscope.d.ts must not import other files: keep the public types in src/index.ts');
// one file without imports serves both: TypeScript reads .d.ts for require and .d.mts for import
writeFileSync(`${dist}miniscope.d.ts`, dts);
writeFileSync(`${dist}miniscope.d.mts`, dts);
rmSync(tmp, { recursive: true, force: true });

const copyAt = process.argv.indexOf('--copy');
if (copyAt > 0 && process.argv[copyAt + 1]) {
  // relative to where npm was run (INIT_CWD), not to this package
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[copyAt + 1]!);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(`${dist}${FILES.cjs}`, target);
  console.error(`copied to ${target}`);
}
if (over) {
  console.error('over the size budget');
  process.exit(1);
}
