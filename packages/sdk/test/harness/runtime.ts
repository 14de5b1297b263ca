/**
 * A small fake of the mini program runtime, enough to drive the SDK like a user would: global
 * App/Page/Component/getApp/getCurrentPages and a stateful `wx` (storage that survives a kill,
 * recorded requests with programmable answers, onAppShow/onAppHide, device info), a page stack
 * with navigateTo/redirectTo/navigateBack, and launch/background/foreground/share/kill in the
 * documented hook order (docs/research/sdk-peers.md §1.2), on fake time. Pages built with
 * Component() go through created/attached/ready as well, and setData takes WeChat's path keys
 * (`root.cn[0].v`), so that framework output (uni-app, Taro) runs on it too.
 * It checks the SDK against the documented order, not against the real runtime.
 */
import type { CollectBatch } from '@miniscope/contract';
import { FakeClock } from './clock.js';
import { evaluate, type Sdk } from './sdk.js';

export const T0 = Date.UTC(2025, 10, 24, 2, 0, 0);
type Fn = (...args: unknown[]) => unknown;
type Hooks = Record<string, unknown>;

export interface Answer {
  status: number;
  data?: unknown;
  header?: Record<string, string>;
}

export interface FakeRequest {
  url: string;
  method: string;
  header: Record<string, string>;
  body: CollectBatch;
  /** the body as the SDK gave it to wx.request: the text that goes over the wire */
  raw: string;
  answered: boolean;
  respond(answer: Answer | 'fail'): void;
}

export interface Program {
  /** app.js: gets a fresh SDK (none when booted without one: the program brings its own), calls init() and App() */
  app(sdk: Sdk): void;
  /** page files by route: each calls Page() or Component() */
  pages: Record<string, () => void>;
}

export interface Enter {
  scene: number;
  path: string;
  query?: Record<string, string>;
}

interface PageInstance extends Hooks {
  route: string;
  data: Hooks;
}

export const IPHONE = {
  brand: 'Apple',
  model: 'iPhone 15 Pro',
  platform: 'ios',
  system: 'iOS 18.1',
  version: '8.0.54',
  SDKVersion: '3.7.1',
  language: 'zh_CN',
  screenWidth: 393,
  screenHeight: 852,
};

export class FakeRuntime {
  /** survives kill(), like the phone's storage */
  readonly storage = new Map<string, string>();
  readonly requests: FakeRequest[] = [];
  /** answers each request after `latency` ms; null: the test answers by hand */
  server: ((request: FakeRequest) => Answer | 'fail') | null = () => ({ status: 200, data: { ok: true } });
  latency = 100;
  /** base library without getDeviceInfo/getWindowInfo/getAppBaseInfo */
  legacy = false;
  networkType = 'wifi';
  /** what the device APIs report */
  deviceInfo: typeof IPHONE = IPHONE;
  failStorage = false;
  /** wx.reportAnalytics calls that reached WeChat: [eventName, data, this] */
  readonly reported: unknown[][] = [];
  /** wx.reportAnalytics is a read-only property, as in some base libraries */
  readOnlyReport = false;
  sdk: Sdk | undefined;
  stack: PageInstance[] = [];

  private generation = 0;
  private app: Hooks = {};
  private definitions = new Map<string, { component: boolean; options: Hooks }>();
  private showListeners: Fn[] = [];
  private hideListeners: Fn[] = [];
  private networkListeners: Fn[] = [];
  private enter: Enter = { scene: 1001, path: '' };
  private saved = new Map<string, unknown>();

  readonly clock: FakeClock;

  /** `start`: the fake clock's first time (T0 unless a test needs another day, e.g. today for a real server) */
  constructor(start = T0) {
    this.clock = new FakeClock(start);
  }

  /** Undo everything: call in `afterEach`. */
  dispose(): void {
    this.clock.uninstall();
    for (const [key, value] of this.saved) (globalThis as Hooks)[key] = value;
  }

  advance(ms: number): void {
    this.clock.tick(ms);
  }

  /** The batches the server was sent, in order. */
  batches(): CollectBatch[] {
    return this.requests.map((r) => r.body);
  }

  /** Starts the process: globals, then app.js, then the page files. Without `sdkCode`, app.js brings the SDK. */
  boot(program: Program, sdkCode?: string): void {
    const generation = ++this.generation;
    this.setGlobals(generation);
    this.sdk = sdkCode === undefined ? undefined : evaluate(sdkCode);
    program.app(this.sdk as Sdk);
    for (const [route, file] of Object.entries(program.pages)) {
      this.current = route;
      file();
    }
    this.current = '';
  }

  /** Cold start: App.onLaunch, App.onShow and onAppShow listeners, then the entry page. */
  launch(enter: Enter): void {
    this.enter = enter;
    this.callApp('onLaunch', enter);
    this.callApp('onShow', enter);
    for (const listener of this.showListeners) listener(enter);
    this.open(enter.path, enter.query);
  }

  navigateTo(route: string, query: Record<string, string> = {}): void {
    this.call(this.top(), 'onHide');
    this.open(route, query);
  }

  redirectTo(route: string, query: Record<string, string> = {}): void {
    this.unload();
    this.open(route, query);
  }

  navigateBack(): void {
    this.unload();
    this.call(this.top(), 'onShow');
  }

  /** Home button or switching apps: Page.onHide first, then App.onHide. */
  background(): void {
    this.call(this.top(), 'onHide');
    this.callApp('onHide');
    for (const listener of this.hideListeners) listener();
  }

  /** Hot start: App.onShow first, then Page.onShow. */
  foreground(enter: Partial<Enter> = {}): void {
    this.enter = { scene: 1001, path: this.top().route, ...enter };
    this.callApp('onShow', this.enter);
    for (const listener of this.showListeners) listener(this.enter);
    this.call(this.top(), 'onShow');
  }

  /** The user picks the share menu entry; only offered when the page defines the handler. */
  share(to: 'chat' | 'timeline'): unknown {
    const handler = this.top()[to === 'chat' ? 'onShareAppMessage' : 'onShareTimeline'];
    if (typeof handler !== 'function') throw new Error(`no ${to} share entry in this page's menu`);
    return handler.call(this.top(), { from: 'menu' });
  }

  /** The process dies: no hook runs, timers and requests die with it; storage stays. */
  kill(): void {
    this.generation++;
    this.clock.clear();
    this.stack = [];
    this.app = {};
    this.definitions.clear();
    this.showListeners = [];
    this.hideListeners = [];
    this.networkListeners = [];
  }

  setNetwork(networkType: string): void {
    this.networkType = networkType;
    for (const listener of this.networkListeners) listener({ isConnected: true, networkType });
  }

  top(): PageInstance {
    const page = this.stack[this.stack.length - 1];
    if (!page) throw new Error('no page open');
    return page;
  }

  private current = '';

  private open(route: string, query: Record<string, string> = {}): void {
    const definition = this.definitions.get(route);
    if (!definition) throw new Error(`no page ${route}`);
    const { component, options } = definition;
    const hooks = (component ? (options.methods ?? {}) : options) as Hooks;
    const page: PageInstance = { route, options: query, data: {} };
    // for…in: a framework's page options may keep methods on a prototype
    for (const key in hooks) if (!(key in page)) page[key] = hooks[key];
    // a component's properties are in its data, with their default values
    const data: Hooks = { ...(options.data as Hooks) };
    for (const [key, spec] of Object.entries((options.properties ?? {}) as Hooks)) {
      data[key] = spec && typeof spec === 'object' && 'value' in spec ? (spec as Hooks).value : null;
    }
    Object.assign(page, {
      data,
      properties: data,
      is: route,
      setData(this: PageInstance, patch: Hooks, done?: () => void) {
        for (const [key, value] of Object.entries(patch)) setPath(this.data, key, value);
        if (typeof done === 'function') setTimeout(done, 0);
      },
      triggerEvent() {},
      selectComponent: () => null,
      selectAllComponents: () => [],
    });
    this.stack.push(page);
    if (component) this.lifetime(options, page, 'created');
    if (component) this.lifetime(options, page, 'attached');
    this.call(page, 'onLoad', query);
    this.call(page, 'onShow');
    if (component) this.lifetime(options, page, 'ready');
    this.call(page, 'onReady');
  }

  /** The top page goes: onUnload, then `detached` for a page built with Component(). */
  private unload(): void {
    const page = this.top();
    this.call(page, 'onUnload');
    const definition = this.definitions.get(page.route);
    if (definition?.component) this.lifetime(definition.options, page, 'detached');
    this.stack.pop();
  }

  /** A component lifetime: `lifetimes.name` wins over a top-level `name`, as in WeChat. */
  private lifetime(options: Hooks, page: PageInstance, name: string): void {
    const fn = (options.lifetimes as Hooks | undefined)?.[name] ?? options[name];
    if (typeof fn === 'function') fn.call(page);
  }

  private call(target: Hooks, hook: string, ...args: unknown[]): unknown {
    const fn = target[hook];
    return typeof fn === 'function' ? fn.apply(target, args) : undefined;
  }

  private callApp(hook: string, ...args: unknown[]): void {
    this.call(this.app, hook, ...args);
  }

  /** Only the `wx` global, for tests that bring their own Component (miniprogram-simulate). */
  installWx(enter: Enter): void {
    this.enter = enter;
    this.setGlobal('wx', this.fakeWx(++this.generation));
  }

  private setGlobal(key: string, value: unknown): void {
    if (!this.saved.has(key)) this.saved.set(key, (globalThis as Hooks)[key]);
    (globalThis as Hooks)[key] = value;
  }

  private setGlobals(generation: number): void {
    const globals: Hooks = {
      // the object itself, not a copy: Taro keeps the app's methods on its prototype
      App: (options: Hooks) => {
        this.app = options;
      },
      Page: (options: Hooks) => {
        this.definitions.set(this.current, { component: false, options });
      },
      Component: (options: Hooks) => {
        this.definitions.set(this.current, { component: true, options });
      },
      getApp: () => this.app,
      getCurrentPages: () => [...this.stack],
      wx: this.fakeWx(generation),
    };
    for (const [key, value] of Object.entries(globals)) this.setGlobal(key, value);
  }

  private fakeWx(generation: number): Hooks {
    const alive = () => generation === this.generation;
    const storageGuard = () => {
      if (this.failStorage) throw new Error('storage full');
    };
    const wx: Hooks = {
      getStorageSync: (key: string) => {
        storageGuard();
        const value = this.storage.get(key);
        return value === undefined ? '' : JSON.parse(value);
      },
      setStorageSync: (key: string, data: unknown) => {
        storageGuard();
        this.storage.set(key, JSON.stringify(data));
      },
      setStorage: (options: { key: string; data: unknown; fail?: Fn }) => {
        // the write is issued at the call and survives a kill right after it
        if (this.failStorage) options.fail?.({ errMsg: 'setStorage:fail storage full' });
        else this.storage.set(options.key, JSON.stringify(options.data));
      },
      request: (options: Hooks & { url: string; data: string; success: Fn; fail: Fn }) => {
        const request: FakeRequest = {
          url: options.url,
          method: String(options.method),
          header: options.header as Record<string, string>,
          body: JSON.parse(options.data),
          raw: options.data,
          answered: false,
          respond: (answer) => {
            if (request.answered || !alive()) return;
            request.answered = true;
            if (answer === 'fail') options.fail({ errMsg: 'request:fail' });
            else options.success({ statusCode: answer.status, data: answer.data ?? '', header: answer.header ?? {} });
          },
        };
        this.requests.push(request);
        const server = this.server;
        if (server) setTimeout(() => request.respond(server(request)), this.latency);
      },
      onAppShow: (fn: Fn) => this.showListeners.push(fn),
      onAppHide: (fn: Fn) => this.hideListeners.push(fn),
      onNetworkStatusChange: (fn: Fn) => this.networkListeners.push(fn),
      getNetworkType: (options: { success: Fn }) =>
        setTimeout(() => options.success({ networkType: this.networkType }), 5),
      getEnterOptionsSync: () => this.enter,
      getLaunchOptionsSync: () => this.enter,
      getSystemInfoSync: () => ({ ...this.deviceInfo }),
      navigateTo: (options: Navigation) => navigated(options, () => this.navigateTo(...parseUrl(options.url))),
      redirectTo: (options: Navigation) => navigated(options, () => this.redirectTo(...parseUrl(options.url))),
      navigateBack: (options: Navigation) => navigated(options, () => this.navigateBack()),
      showToast: () => {},
    };
    const reported = this.reported;
    Object.defineProperty(wx, 'reportAnalytics', {
      value: function reportAnalytics(this: unknown, name: string, data: unknown) {
        reported.push([name, data, this]);
        if (name === 'wechat_throws') throw new Error('reportAnalytics: bad data');
        return 'reported';
      },
      writable: !this.readOnlyReport,
      configurable: true,
      enumerable: true,
    });
    if (!this.legacy) {
      const { brand, model, platform, system, version, SDKVersion, language, screenWidth, screenHeight } =
        this.deviceInfo;
      wx.getDeviceInfo = () => ({ brand, model, platform, system });
      wx.getWindowInfo = () => ({ screenWidth, screenHeight, pixelRatio: 3 });
      wx.getAppBaseInfo = () => ({ version, SDKVersion, language });
    }
    return wx;
  }
}

interface Navigation {
  url: string;
  success?: Fn;
  complete?: Fn;
}

/** Runs a navigation, then its success and complete callbacks, as wx's navigation APIs do. */
function navigated(options: Navigation | undefined, go: () => void): void {
  go();
  options?.success?.({ errMsg: 'ok' });
  options?.complete?.({ errMsg: 'ok' });
}

/** setData's keys are paths: `a.b[0].c` (also `a.b.[0]`, as Taro writes them) sets data.a.b[0].c. */
function setPath(data: Hooks, key: string, value: unknown): void {
  const steps = key.match(/[^.[\]]+/g) ?? [key];
  let target = data;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) target[step] = value;
    else {
      if (target[step] === null || typeof target[step] !== 'object')
        target[step] = /^\d+$/.test(steps[i + 1]!) ? [] : {};
      target = target[step] as Hooks;
    }
  });
}

/** `/pages/a/a?x=1` → ['pages/a/a', { x: '1' }] */
function parseUrl(url: string): [string, Record<string, string>] {
  const [path, search] = url.replace(/^\//, '').split('?');
  return [path!, Object.fromEntries(new URLSearchParams(search ?? ''))];
}
