/**
 * Automatic tracking. Wraps the global `App`, `Page` and `Component` constructors (Taro and uni-app
 * call the same globals) and listens to wx.onAppShow/onAppHide, so both sources report app changes
 * and the tracker ignores the repeat. Page hooks run the SDK first, then the page's own code, whose
 * result and errors pass through untouched. Share handlers are wrapped only where the page defined
 * them: adding one would change the page's share menu. `wx.reportAnalytics` is wrapped the same way:
 * the call is recorded as a custom event, then WeChat's own function runs as before.
 */
import type { EnterOptions } from '../core/env.js';
import type { Tracker } from '../core/tracker.js';
import { safe } from '../core/util.js';

interface PageLike {
  route?: string;
  __route__?: string;
}
type Options = Record<string, unknown>;
type Hook = (self: PageLike, args: unknown[]) => void;

const wrapped = new WeakSet<object>();

/** Puts `hook` in front of options[key]; adds the key only if `always`. Never wraps twice. */
function wrap(options: Options, key: string, hook: Hook, always: boolean): void {
  const own = options[key];
  if (typeof own === 'function' ? wrapped.has(own) : !always) return;
  const fn = function (this: PageLike, ...args: unknown[]) {
    safe(() => hook(this, args));
    return typeof own === 'function' ? own.apply(this, args) : undefined;
  };
  wrapped.add(fn);
  options[key] = fn;
}

const route = (page: PageLike) => page.route || page.__route__;

function hookPage(tracker: Tracker, options: Options): void {
  wrap(options, 'onShow', (page) => tracker.pageShow(page, route(page)), true);
  wrap(options, 'onHide', (page) => tracker.pageHide(page), true);
  wrap(options, 'onUnload', (page) => tracker.pageHide(page), true);
  wrap(options, 'onShareAppMessage', (page) => tracker.share(route(page), 'chat'), false);
  wrap(options, 'onShareTimeline', (page) => tracker.share(route(page), 'timeline'), false);
}

function hookApp(tracker: Tracker, options: Options): void {
  const show: Hook = (_, args) => tracker.appShow(args[0] as EnterOptions);
  wrap(options, 'onLaunch', show, true);
  wrap(options, 'onShow', show, true);
  wrap(options, 'onHide', () => tracker.appHide(), true);
}

/**
 * Puts the SDK in front of wx.reportAnalytics. wx's functions may be read-only properties (some
 * base libraries), hence defineProperty; if even that fails, the call is just not recorded.
 */
function hookReportAnalytics(tracker: Tracker): void {
  const own = wx.reportAnalytics as unknown;
  if (typeof own !== 'function') return;
  const fn = function (this: unknown, ...args: unknown[]) {
    safe(() => tracker.reportAnalytics(args[0], args[1]));
    return own.apply(this, args);
  };
  try {
    Object.defineProperty(wx, 'reportAnalytics', { value: fn, writable: true, configurable: true });
  } catch {
    safe(() => {
      wx.reportAnalytics = fn;
    });
  }
}

export function install(tracker: Tracker): void {
  if (typeof App === 'function') {
    const own = App;
    App = ((options: Options) => {
      safe(() => hookApp(tracker, options));
      return own(options as never);
    }) as typeof App;
  }
  if (typeof Page === 'function') {
    const own = Page;
    Page = ((options: Options) => {
      safe(() => hookPage(tracker, options));
      return own(options as never);
    }) as typeof Page;
  }
  if (typeof Component === 'function') {
    const own = Component;
    // pages built with Component() have their page hooks under `methods`
    Component = ((options: Options) => {
      safe(() => {
        options.methods = options.methods || {};
        hookPage(tracker, options.methods as Options);
      });
      return own(options as never);
    }) as typeof Component;
  }
  hookReportAnalytics(tracker);
  if (typeof wx.onAppShow === 'function') wx.onAppShow((enter) => safe(() => tracker.appShow(enter)));
  if (typeof wx.onAppHide === 'function') wx.onAppHide(() => safe(() => tracker.appHide()));
}
