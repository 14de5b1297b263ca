/**
 * Loads the built SDK the way a mini program does: the bundle (built once per test file, in memory,
 * with the build's own options) evaluated as a CommonJS module against the current globals. Each
 * call gives a fresh SDK, as a new app process would.
 */
import { bundle } from '../../scripts/bundle.js';

export type Sdk = typeof import('../../src/index.js');

let code: Promise<string> | undefined;

export function sdkCode(): Promise<string> {
  code ??= bundle();
  return code;
}

export function evaluate(source: string): Sdk {
  const module = { exports: {} as Sdk };
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports;
}

export async function loadSdk(): Promise<Sdk> {
  return evaluate(await sdkCode());
}
