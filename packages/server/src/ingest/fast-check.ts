/**
 * The hot path of event validation: the same rules as the contract's zod schemas, checked in
 * place without building a copy of the event. A valid event passes here and skips zod; anything
 * else goes to zod, which names what is wrong. fast-check.test.ts holds the two to the same verdict
 * on random and mutated events. (zod's parse was ~15 % of ingest's main-thread time, with the copies it
 * allocates adding to garbage collection.)
 */
import {
  type CollectEvent,
  EVENT_NAME_PATTERN,
  isWellFormed,
  MAX_LEAVE_DURATION_MS,
  MAX_PATH_LENGTH,
  MAX_PROP_KEY_LENGTH,
  MAX_PROP_STRING_LENGTH,
  MAX_PROPS,
} from '@miniscope/contract';

type Fields = Record<string, unknown>;

const text = (v: unknown, min: number, max: number) =>
  typeof v === 'string' && v.length >= min && v.length <= max && isWellFormed(v);
const int = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const path = (v: unknown) => text(v, 1, MAX_PATH_LENGTH);

function propValue(value: unknown): boolean {
  if (typeof value === 'string') return text(value, 0, MAX_PROP_STRING_LENGTH);
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'boolean';
}

function props(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  let count = 0;
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    if (++count > MAX_PROPS || !text(key, 1, MAX_PROP_KEY_LENGTH) || !propValue((v as Fields)[key])) return false;
  }
  return true;
}

function typeFields(e: Fields): boolean {
  switch (e.t) {
    case 'open':
      return int(e.scene, 0, 65535) && path(e.path) && typeof e.cold === 'boolean';
    case 'pv':
      return path(e.path);
    case 'leave':
      return path(e.path) && int(e.dur, 0, MAX_LEAVE_DURATION_MS);
    case 'share':
      return path(e.path) && (e.to === 'chat' || e.to === 'timeline');
    case 'hide':
      return true;
    case 'event':
      return (
        (e.path === undefined || path(e.path)) &&
        typeof e.name === 'string' &&
        EVENT_NAME_PATTERN.test(e.name) &&
        props(e.props)
      );
    default:
      return false;
  }
}

/** The event itself when it is valid by the contract, else undefined (then zod says why). */
export function fastCheck(raw: unknown): CollectEvent | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const e = raw as Fields;
  const ok = text(e.id, 1, 64) && int(e.ts, 1, 8.64e15) && text(e.sid, 1, 64) && typeFields(e);
  return ok ? (raw as CollectEvent) : undefined;
}
