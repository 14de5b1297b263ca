/**
 * The framework projects under packages/sdk/frameworks/ and how each is installed, built, loaded
 * and tapped: the same three-page shop written for native WeChat (the SDK's single file copied),
 * uni-app (the SDK from npm, and a variant with the ES module file copied and imported through
 * uni-app's `@/` alias, as teams without npm do) and Taro (the SDK from npm).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeRuntime } from '../../test/harness/runtime.js';
import type { Routes, Tap } from './shop.js';

export interface Framework {
  name: string;
  /** the project's files, under packages/sdk/frameworks/ */
  source: string;
  /** how the SDK gets in: installed from the packed tarball, or a dist file copied into the project */
  sdk: 'npm' | { file: 'miniscope.js' | 'miniscope.mjs'; to: string };
  /** the npm install whose node_modules the project uses (its own unless shared); none for native */
  install?: string;
  /** the build command, run in the project (none for native: the project is the output) */
  build?: { bin: string; args: string[] };
  /** where the build writes the mini program, relative to the project */
  output: string;
  routes: Routes;
  /** how a tap reaches the page's handler, given the output directory */
  tap(output: string): Tap;
  /** packages whose installed versions are reported */
  versions: string[];
  /** changes to the copied sources (the variant importing a copied file) */
  rewrite?(project: string): void;
}

/** A tap event as WeChat delivers it to a handler. */
function tapEvent(id: string, dataset: Record<string, string>) {
  const target = { id, dataset };
  return { type: 'tap', timeStamp: Date.now(), detail: { x: 10, y: 10 }, target, currentTarget: target, mark: {} };
}

type Handler = (this: unknown, event: unknown) => unknown;

/**
 * Native and uni-app: the page's WXML binds the button to a method, by name (`bindtap="addToCart"`)
 * or through data (`bindtap="{{c}}"`, uni-app's generated handler names): call that method.
 */
const wxmlTap =
  (output: string): Tap =>
  (rt: FakeRuntime, label: string) => {
    const page = rt.top();
    const wxml = readFileSync(join(output, `${page.route}.wxml`), 'utf8');
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const binding = new RegExp(`<button[^>]*\\bbindtap="([^"]+)"[^>]*>\\s*${escaped}\\s*<`).exec(wxml)?.[1];
    if (!binding) throw new Error(`no button "${label}" with bindtap in ${page.route}.wxml`);
    const data = /^\{\{(\w+)\}\}$/.exec(binding);
    const method = data ? String(page.data[data[1]!]) : binding;
    const handler = page[method];
    if (typeof handler !== 'function') throw new Error(`${page.route}: no handler ${method} for "${label}"`);
    (handler as Handler).call(page, tapEvent('', {}));
  };

interface TaroNode {
  sid?: string;
  v?: string;
  cn?: TaroNode[];
}

/** Taro: the page's data holds the rendered tree; the element whose text is `label` gets the tap via `eh`. */
const taroTap = (): Tap => (rt: FakeRuntime, label: string) => {
  const page = rt.top();
  const find = (node: TaroNode): TaroNode | undefined =>
    node.cn?.some((child) => child.v === label) ? node : node.cn?.map(find).find(Boolean);
  const button = find(page.data.root as TaroNode);
  if (!button?.sid) throw new Error(`${page.route}: no element with the text "${label}" in the rendered tree`);
  (page.eh as Handler).call(page, tapEvent(button.sid, { sid: button.sid }));
};

/** Every .js and .vue file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(js|vue)$/.test(name) ? [path] : [];
  });
}

const UNI_ROUTES: Routes = { index: 'pages/index/index', goods: 'pages/goods/goods', cart: 'pages/cart/cart' };
const UNI_VERSIONS = ['@dcloudio/vite-plugin-uni', '@dcloudio/uni-mp-weixin', 'vue', 'vite'];

export const FRAMEWORKS: Framework[] = [
  {
    name: 'native',
    source: 'native',
    sdk: { file: 'miniscope.js', to: 'libs/miniscope.js' },
    output: '.',
    routes: { index: 'pages/index/index', goods: 'pages/goods/goods', cart: 'pages/cart/cart' },
    tap: wxmlTap,
    versions: [],
  },
  {
    name: 'uniapp',
    source: 'uniapp',
    sdk: 'npm',
    install: 'uniapp',
    build: { bin: 'uni', args: ['build', '-p', 'mp-weixin'] },
    output: 'dist/build/mp-weixin',
    routes: UNI_ROUTES,
    tap: wxmlTap,
    versions: UNI_VERSIONS,
  },
  {
    name: 'uniapp-copy',
    source: 'uniapp',
    sdk: { file: 'miniscope.mjs', to: 'src/libs/miniscope.js' },
    install: 'uniapp',
    build: { bin: 'uni', args: ['build', '-p', 'mp-weixin'] },
    output: 'dist/build/mp-weixin',
    routes: UNI_ROUTES,
    tap: wxmlTap,
    versions: UNI_VERSIONS,
    rewrite(project) {
      // the same shop, importing the copied file through the `@/` alias (src/) instead of the package
      for (const file of sources(join(project, 'src'))) {
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, text.replaceAll("from '@miniscope/sdk'", "from '@/libs/miniscope.js'"));
      }
    },
  },
  {
    name: 'taro',
    source: 'taro',
    sdk: 'npm',
    install: 'taro',
    build: { bin: 'taro', args: ['build', '--type', 'weapp'] },
    output: 'dist',
    routes: { index: 'pages/index/index', goods: 'pages/goods/index', cart: 'pages/cart/index' },
    tap: taroTap,
    versions: ['@tarojs/cli', '@tarojs/webpack5-runner', 'react', 'webpack'],
  },
];

/** Copies a dist file of the unpacked SDK into the project. */
export function copySdkFile(framework: Framework, sdkDir: string, project: string): void {
  if (framework.sdk === 'npm') return;
  const target = join(project, framework.sdk.to);
  mkdirSync(join(target, '..'), { recursive: true });
  copyFileSync(join(sdkDir, 'dist', framework.sdk.file), target);
}
