/**
 * Loads a built mini program (the output of `uni build`, `taro build` or a native project) into
 * the fake runtime of test/harness the way WeChat does: app.js first, then the page file of each
 * route in app.json. Every file is a CommonJS module run once, whose `require` is relative to it
 * (with or without `.js`). Node's globals that WeChat lacks are hidden from the files: a framework
 * that found setImmediate, MessageChannel or performance would schedule its work outside the fake
 * clock, and `window`/`document` would make it take the browser's code paths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import type { Program } from '../../test/harness/runtime.js';

/** What a file sees instead of Node's: absent, or the fake clock's timers for setInterval. */
const HIDDEN = [
  'window',
  'document',
  'navigator',
  'self',
  'location',
  'setImmediate',
  'clearImmediate',
  'MessageChannel',
  'performance',
  'process',
  'requestAnimationFrame',
] as const;

interface Module {
  exports: unknown;
}

export interface BuiltProgram {
  program: Program;
  /** the routes of app.json, the first one being the home page */
  routes: string[];
}

/** An interval on top of the global (fake) setTimeout. */
function intervals() {
  const live = new Set<number>();
  let next = 0;
  return {
    setInterval(fn: () => void, ms = 0): number {
      const id = ++next;
      live.add(id);
      const tick = () => {
        if (!live.has(id)) return;
        setTimeout(tick, ms);
        fn();
      };
      setTimeout(tick, ms);
      return id;
    },
    clearInterval(id: number): void {
      live.delete(id);
    },
  };
}

export function builtProgram(dir: string): BuiltProgram {
  const { pages } = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as { pages: string[] };
  const cache = new Map<string, Module>();
  const timers = intervals();
  /** WeChat gives modules a `global` of their own, shared by the app's files */
  const global = {};

  function load(file: string): unknown {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module: Module = { exports: {} };
    cache.set(file, module);
    const source = readFileSync(join(dir, file), 'utf8');
    const run = new Function(
      'require',
      'module',
      'exports',
      'global',
      'setInterval',
      'clearInterval',
      ...HIDDEN,
      `${source}\n//# sourceURL=${file}`,
    );
    const require = (id: string) => load(resolve(file, id));
    run(require, module, module.exports, global, timers.setInterval, timers.clearInterval);
    return module.exports;
  }

  function resolve(from: string, id: string): string {
    const base = id.startsWith('/') ? id.slice(1) : join(dirname(from), id);
    for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
      const file = normalize(candidate);
      if (!relative(dir, join(dir, file)).startsWith('..') && existsSync(join(dir, file)) && file.endsWith('.js')) {
        return file;
      }
    }
    throw new Error(`${from}: cannot find module ${id}`);
  }

  return {
    routes: pages,
    program: {
      app: () => load('app.js'),
      pages: Object.fromEntries(pages.map((route) => [route, () => load(`${route}.js`)])),
    },
  };
}
