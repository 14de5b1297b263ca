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

/**
 * `text` with each lone UTF-16 surrogate replaced by U+FFFD (same length): the server refuses
 * ill-formed strings, and a lone surrogate can come from the app's own data. With the `u` flag a
 * surrogate pair is one code point, outside the class, so only lone halves match.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}

/**
 * `value` as well-formed text of at most `max` UTF-16 units (the unit the server counts in), cut
 * between code points: an emoji at the cut is left out whole, never split into a lone surrogate.
 */
export function cut(value: unknown, max: number): string {
  let text = wellFormed(String(value));
  if (text.length > max) {
    text = text.slice(0, max);
    // the text is well-formed, so a high surrogate at the end lost its pair to the cut
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  }
  return text;
}

/** The page route without a leading slash or a query string, at most 256 chars. */
export function cleanPath(path: unknown): string {
  return cut(
    String(path || '')
      .replace(/^\/+/, '')
      .split('?')[0],
    MAX_PATH_LENGTH,
  );
}
