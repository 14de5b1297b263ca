/**
 * Turns lifecycle calls into protocol events. An open (`sid`) starts at launch and at every return
 * from the background and ends at app hide. Each page instance shown gets a `pv`; its `leave` carries
 * the time it was visible, so on app hide the visible page is left first, then `hide` is sent (stay =
 * the sum of `leave` durations of an open, never background time). Every call is idempotent: frameworks
 * and the `App` hooks plus `wx.onAppShow`/`onAppHide` may report the same change twice.
 */

import type { Profile } from '../index.js';
import type { CollectUser, EventBody } from '../protocol.js';
import { MAX_LEAVE_DURATION_MS } from '../protocol.js';
import type { EnterOptions, Env } from './env.js';
import { createSender } from './sender.js';
import { createStore } from './store.js';
import { cleanPath, log, newId } from './util.js';
import { analyticsName, checkName, checkProfile, checkUserId, cleanProps, type Warn } from './validate.js';

export interface TrackerOptions {
  appid: string;
  server: string;
  debug?: boolean;
}

export type Tracker = ReturnType<typeof createTracker>;

export function createTracker(env: Env, options: TrackerOptions) {
  const store = createStore(env, options.appid);
  const url = `${options.server.replace(/\/+$/, '')}/collect`;
  const sender = createSender(env, store, url, options.appid, !!options.debug);
  /** the current open; '' before the first */
  let sid = '';
  let visible = false;
  let launched = false;
  /** path of the last page shown, for custom events */
  let page = '';
  /** page instances now visible, with their path and the time they were shown */
  const shown = new Map<object, { path: string; since: number }>();

  function emit(body: EventBody): void {
    if (!sid) appShow(env.enter());
    store.push({ id: store.nextEventId(), ts: env.now(), sid, ...body } as never);
    sender.queued();
  }

  /** `fallback`: the path to report if the entry has none (the open was noticed by a page show). */
  function appShow(enter: EnterOptions | undefined, fallback?: string): void {
    if (visible) return;
    visible = true;
    sid = newId(env);
    const opts = enter || {};
    const scene = Math.max(0, Math.floor(Number(opts.scene) || 0));
    emit({ t: 'open', scene, path: cleanPath(opts.path) || fallback || '', cold: !launched });
    launched = true;
  }

  function custom(name: string, props: unknown, warn?: Warn, caller?: string): void {
    const body: EventBody = { t: 'event', name, props: cleanProps(props, warn, caller) };
    if (page) body.path = page;
    emit(body);
  }

  function pageHide(instance: object): void {
    const visit = shown.get(instance);
    if (!visit) return;
    shown.delete(instance);
    const dur = Math.min(Math.max(0, env.now() - visit.since), MAX_LEAVE_DURATION_MS);
    emit({ t: 'leave', path: visit.path, dur });
  }

  return {
    appShow,
    appHide(): void {
      if (!visible) return;
      shown.forEach((_, instance) => {
        pageHide(instance);
      });
      emit({ t: 'hide' });
      visible = false;
      sender.flush();
      store.save(true);
    },
    pageShow(instance: object, route: unknown): void {
      const path = cleanPath(route);
      if (!path || shown.has(instance)) return;
      if (!visible) appShow(env.enter(), path);
      shown.set(instance, { path, since: env.now() });
      page = path;
      emit({ t: 'pv', path });
    },
    pageHide,
    share(route: unknown, to: 'chat' | 'timeline'): void {
      const path = cleanPath(route);
      if (path) emit({ t: 'share', path, to });
    },
    track(name: unknown, props: unknown): void {
      if (checkName(name)) custom(name, props);
    },
    /**
     * A `wx.reportAnalytics(eventName, data)` call: recorded like track(), with the name made to fit
     * the protocol where it can be. The app wrote these calls for WeChat, not for us: what cannot be
     * recorded is told only in debug mode.
     */
    reportAnalytics(eventName: unknown, data: unknown): void {
      const caller = 'wx.reportAnalytics()';
      const warn: Warn = (...args) => options.debug && log('warn', ...args);
      const name = analyticsName(eventName);
      if (name) custom(name, data, warn, caller);
      else warn(`${caller}: ${JSON.stringify(eventName)} left out: not an event name`);
    },
    identify(id: unknown): void {
      if (checkUserId(id)) store.setUser({ ...store.user(), id });
    },
    setProfile(profile: Profile): void {
      const user: CollectUser = { ...store.user() };
      if (checkProfile(profile, user)) store.setUser(user);
    },
    flush(): void {
      sender.flush();
    },
    start(): void {
      if (options.debug) log('log', 'user', store.user());
      sender.resume();
    },
  };
}
