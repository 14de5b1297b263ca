/**
 * The SDK's builds, shared by the build script and the tests so both use the same options. Two
 * formats of the same minified ES2015 code:
 * - CommonJS, `dist/miniscope.js`: the single file a native mini program copies and `require`s, and
 *   the package's `require` entry (WeChat DevTools' npm build uses `main`);
 * - ES module, `dist/miniscope.mjs`: the package's `import` entry for uni-app (vite converts CommonJS
 *   only inside node_modules, so a copied CommonJS file cannot be imported there) and Taro (webpack).
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

export const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The budget from issue 4, for each build: 5 KB minified and gzipped. */
export const SIZE_BUDGET_BYTES = 5 * 1024;

export type Format = 'cjs' | 'esm';

/** The file each format is written to, under dist/. */
export const FILES: Record<Format, string> = { cjs: 'miniscope.js', esm: 'miniscope.mjs' };

export const bundleOptions: BuildOptions = {
  entryPoints: [`${SDK_DIR}src/index.ts`],
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  target: 'es2015',
  minify: true,
  legalComments: 'none',
  logLevel: 'silent',
};

/** Builds one format in memory. */
export async function bundle(format: Format = 'cjs'): Promise<string> {
  const result = await build({ ...bundleOptions, format, write: false });
  return result.outputFiles![0]!.text;
}

export function gzipSize(code: string): number {
  return gzipSync(code, { level: 9 }).length;
}
