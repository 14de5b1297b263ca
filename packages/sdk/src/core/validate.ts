/**
 * Checks what the host app passes in (event names, props, user id, profile) against the protocol's
 * rules. Bad input is reported with a console warning and left out; it never throws, and never
 * reaches the server, where it would be rejected.
 */
import type { Profile, Props } from '../index.js';
import type { CollectUser } from '../protocol.js';
import {
  EVENT_NAME_PATTERN,
  MAX_PROP_KEY_LENGTH,
  MAX_PROP_STRING_LENGTH,
  MAX_PROPS,
  MAX_USER_ID_LENGTH,
} from '../protocol.js';
import { log } from './util.js';

export function checkName(name: unknown): name is string {
  if (typeof name === 'string' && EVENT_NAME_PATTERN.test(name)) return true;
  log('warn', `track(): bad event name ${JSON.stringify(name)}: lower-case letters, digits and _, from a letter, ≤ 32`);
  return false;
}

/** Keeps the flat string/number/boolean props, at most 32, long strings cut; warns about the rest. */
export function cleanProps(props: unknown): Props | undefined {
  if (props == null) return undefined;
  if (typeof props !== 'object' || Array.isArray(props)) {
    log('warn', 'track(): props must be a flat object');
    return undefined;
  }
  const out: Props = {};
  const dropped: string[] = [];
  let kept = 0;
  for (const key of Object.keys(props)) {
    const value = (props as Record<string, unknown>)[key];
    const ok =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (ok && kept < MAX_PROPS && key.length <= MAX_PROP_KEY_LENGTH) {
      out[key] = typeof value === 'string' ? value.slice(0, MAX_PROP_STRING_LENGTH) : value;
      kept++;
    } else dropped.push(key);
  }
  if (dropped.length) log('warn', 'track(): props left out', dropped);
  return kept ? out : undefined;
}

export function checkUserId(id: unknown): id is string {
  if (typeof id === 'string' && id && id.length <= MAX_USER_ID_LENGTH) return true;
  log('warn', 'identify(): the id must be a non-empty string of at most 128 chars');
  return false;
}

/** Copies a valid profile onto `user`; false (and a warning) if any field is bad. */
export function checkProfile(profile: Profile, user: CollectUser): boolean {
  const { gender, birthYear } = profile || {};
  const goodGender = gender === undefined || gender === 0 || gender === 1 || gender === 2;
  const goodYear = birthYear === undefined || (Number.isInteger(birthYear) && birthYear >= 1900 && birthYear <= 2100);
  if (!goodGender || !goodYear) {
    log('warn', 'setProfile(): gender must be 0, 1 or 2 and birthYear a year from 1900 to 2100');
    return false;
  }
  if (gender !== undefined) user.gender = gender;
  if (birthYear !== undefined) user.birth_year = birthYear;
  return true;
}
