/**
 * A small fake of the mini program runtime, enough to drive the SDK like a user would: global
 * App/Page/Component/getApp/getCurrentPages and a stateful `wx` (storage that survives a kill,
 * recorded requests with programmable answers, onAppShow/onAppHide, device info), a page stack
 * with navigateTo/redirectTo/navigateBack, and launch/background/foreground/share/kill in the
 * documented hook order (docs/research/sdk-peers.md §1.2), on fake time.
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
  /** app.js: gets a fresh SDK, calls init() and App() */
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

  readonly clock = new FakeClock(T0);

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

  /** Starts the process: globals, then app.js, then the page files. */
  boot(program: Program, sdkCode: string): void {
    const generation = ++this.generation;
    this.setGlobals(generation);
    this.sdk = evaluate(sdkCode);
    program.app(this.sdk);
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
    this.call(this.top(), 'onUnload');
    this.stack.pop();
    this.open(route, query);
  }

  navigateBack(): void {
    this.call(this.top(), 'onUnload');
    this.stack.pop();
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
    const hooks = definition.component ? ((definition.options.methods ?? {}) as Hooks) : definition.options;
    const page: PageInstance = {
      ...hooks,
      data: { ...(definition.options.data as Hooks) },
      route,
      options: query,
      setData(patch: Hooks) {
        Object.assign(this.data as Hooks, patch);
      },
    };
    this.stack.push(page);
    this.call(page, 'onLoad', query);
    this.call(page, 'onShow');
    this.call(page, 'onReady');
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
      App: (options: Hooks) => {
        this.app = { ...options };
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
      navigateTo: ({ url }: { url: string }) => this.navigateTo(...parseUrl(url)),
      redirectTo: ({ url }: { url: string }) => this.redirectTo(...parseUrl(url)),
      navigateBack: () => this.navigateBack(),
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

/** `/pages/a/a?x=1` → ['pages/a/a', { x: '1' }] */
function parseUrl(url: string): [string, Record<string, string>] {
  const [path, search] = url.replace(/^\//, '').split('?');
  return [path!, Object.fromEntries(new URLSearchParams(search ?? ''))];
}
