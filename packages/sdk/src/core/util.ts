/** Small helpers shared by the core: ids, path cleaning, logging, and the guard that keeps SDK errors away from the host app. */
import { MAX_PATH_LENGTH } from '../protocol.js';
import type { Env } from './env.js';

export function log(kind: 'log' | 'warn', ...args: unknown[]): void {
  try {
    console[kind]('[miniscope]', ...args);
  } catch {
    // no console: nothing to report with
  }
}

/** Runs `fn`; an error is logged, never thrown into the host app. */
export function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    log('warn', e);
    return undefined;
  }
}

/** A random id: time plus about 80 random bits, base 36 (≤ 24 chars). */
export function newId(env: Env): string {
  let id = env.now().toString(36);
  for (let i = 0; i < 3; i++) id += Math.floor(env.random() * 2 ** 27).toString(36);
  return id;
}

/** The page route without a leading slash or a query string, at most 256 chars. */
export function cleanPath(path: unknown): string {
  return String(path || '')
    .replace(/^\/+/, '')
    .split('?')[0]!
    .slice(0, MAX_PATH_LENGTH);
}
