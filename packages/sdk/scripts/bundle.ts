/**
 * The SDK bundle: one minified ES2015 CommonJS file, which a native mini program can `require` and
 * Taro/uni-app bundlers can import. Shared by the build script and the tests, so both use the same
 * options.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

export const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The budget from issue 4: 5 KB minified and gzipped. */
export const SIZE_BUDGET_BYTES = 5 * 1024;

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

/** Builds the bundle in memory. */
export async function bundle(): Promise<string> {
  const result = await build({ ...bundleOptions, write: false });
  return result.outputFiles![0]!.text;
}

export function gzipSize(code: string): number {
  return gzipSync(code, { level: 9 }).length;
}
