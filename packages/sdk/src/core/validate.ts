/**
 * Checks what the host app passes in (event names, props, user id, profile) against the protocol's
 * rules. Bad input is reported with a console warning and left out; it never throws, and never
 * reaches the server, where it would be rejected.
 */
import type { InitOptions, Profile, Props } from '../index.js';
import type { CollectUser } from '../protocol.js';
import {
  EVENT_NAME_PATTERN,
  MAX_PROP_KEY_LENGTH,
  MAX_PROP_STRING_LENGTH,
  MAX_PROPS,
  MAX_USER_ID_LENGTH,
} from '../protocol.js';
import { cut, log, wellFormed } from './util.js';

/** Where a warning goes: the console, or nowhere (calls the app did not make to the SDK, without debug). */
export type Warn = (...args: unknown[]) => void;
const warn: Warn = (...args) => log('warn', ...args);

/** Why init() cannot start with these options, naming the field; undefined if it can. */
export function checkInit(options: InitOptions | undefined): string | undefined {
  const { appid, server } = options || ({} as Partial<InitOptions>);
  if (typeof appid !== 'string' || !appid || appid.length > 64 || wellFormed(appid) !== appid) {
    return `init(): appid must be the AppID, got ${JSON.stringify(appid)}`;
  }
  if (typeof server !== 'string' || !/^https?:\/\/[^/]/i.test(server)) {
    return `init(): server must be an https:// URL, got ${JSON.stringify(server)}`;
  }
  return undefined;
}

export function checkName(name: unknown): name is string {
  if (typeof name === 'string' && EVENT_NAME_PATTERN.test(name)) return true;
  warn(`track(): bad event name ${JSON.stringify(name)}: lower-case letters, digits and _, from a letter, ≤ 32`);
  return false;
}

/**
 * A `wx.reportAnalytics` event name as the protocol's name: lower-cased, with each run of other
 * characters (`-`, space, `.`) made one `_`. Undefined if that still breaks the rule (not from a
 * letter, longer than 32): cutting could merge two events into one.
 */
export function analyticsName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const fixed = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  return EVENT_NAME_PATTERN.test(fixed) ? fixed : undefined;
}

/**
 * Keeps the flat string/number/boolean props, at most 32, long strings cut, lone surrogates
 * replaced; warns about the rest. Numbers and booleans stay numbers and booleans on the wire.
 */
export function cleanProps(props: unknown, report: Warn = warn, caller = 'track()'): Props | undefined {
  if (props == null) return undefined;
  if (typeof props !== 'object' || Array.isArray(props)) {
    report(`${caller}: props must be a flat object`);
    return undefined;
  }
  const out: Props = {};
  const dropped: string[] = [];
  let kept = 0;
  for (const key of Object.keys(props)) {
    const value = (props as Record<string, unknown>)[key];
    const ok =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (ok && kept < MAX_PROPS && key && key.length <= MAX_PROP_KEY_LENGTH) {
      out[wellFormed(key)] = typeof value === 'string' ? cut(value, MAX_PROP_STRING_LENGTH) : value;
      kept++;
    } else dropped.push(key);
  }
  if (dropped.length) report(`${caller}: props left out`, dropped);
  return kept ? out : undefined;
}

/** A lone surrogate is refused, not replaced: replacing could make two users' ids one. */
export function checkUserId(id: unknown): id is string {
  if (typeof id === 'string' && id && id.length <= MAX_USER_ID_LENGTH && wellFormed(id) === id) return true;
  warn('identify(): the id must be a non-empty, well-formed string of at most 128 chars');
  return false;
}

/** Copies a valid profile onto `user`; false (and a warning) if any field is bad. */
export function checkProfile(profile: Profile, user: CollectUser): boolean {
  const { gender, birthYear } = profile || {};
  const goodGender = gender === undefined || gender === 0 || gender === 1 || gender === 2;
  const goodYear = birthYear === undefined || (Number.isInteger(birthYear) && birthYear >= 1900 && birthYear <= 2100);
  if (!goodGender || !goodYear) {
    warn('setProfile(): gender must be 0, 1 or 2 and birthYear a year from 1900 to 2100');
    return false;
  }
  if (gender !== undefined) user.gender = gender;
  if (birthYear !== undefined) user.birth_year = birthYear;
  return true;
}
