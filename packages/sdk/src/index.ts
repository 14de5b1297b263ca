/**
 * Miniscope analytics for WeChat mini programs. Call init() once in app.js before App(); pages,
 * shares and app opens are then tracked by themselves. No function here ever throws into the app.
 */
import { createTracker, type Tracker } from './core/tracker.js';
import { log, safe } from './core/util.js';
import { checkInit } from './core/validate.js';
import { wxEnv } from './wx/env.js';
import { install } from './wx/hooks.js';

export interface InitOptions {
  /** The mini program's AppID, as registered on the Miniscope server. */
  appid: string;
  /** The server's base URL, e.g. `https://stats.example.com`; events go to `<server>/collect`. */
  server: string;
  /** Logs each batch sent and each answer. */
  debug?: boolean;
}

/** Flat custom-event properties: at most 32, keys ≤ 64 chars, strings ≤ 512 chars. */
export type Props = Record<string, string | number | boolean>;

export interface Profile {
  /** 0 unknown, 1 male, 2 female */
  gender?: 0 | 1 | 2;
  /** e.g. 1994; age bands are derived from it */
  birthYear?: number;
}

let tracker: Tracker | undefined;

/** Starts the SDK: wraps App/Page/Component and starts sending. Call it before App(). */
export function init(options: InitOptions): void {
  safe(() => {
    if (tracker) return log('warn', 'init() called again: ignored');
    const problem = checkInit(options);
    if (problem) return log('warn', problem);
    if (/^http:/i.test(options.server)) {
      log('warn', `init(): ${options.server} is http://: phones send only to https:// request domains`);
    }
    tracker = createTracker(wxEnv(), options);
    install(tracker);
    tracker.start();
  });
}

/** A custom event. `name`: lower-case letters, digits and _, starting with a letter, ≤ 32 chars. */
export function track(name: string, props?: Props): void {
  safe(() => tracker?.track(name, props));
}

/** Counts the user by their openid from now on (kept in storage); before, an anonymous id is used. */
export function identify(openid: string): void {
  safe(() => tracker?.identify(openid));
}

/** Gender and birth year, as the mini program knows them (WeChat no longer supplies them). */
export function setProfile(profile: Profile): void {
  safe(() => tracker?.setProfile(profile));
}

/** Sends the queued events now, instead of waiting for 20 events or 5 seconds. */
export function flush(): void {
  safe(() => tracker?.flush());
}
