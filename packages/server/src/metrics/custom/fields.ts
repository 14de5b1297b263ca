/**
 * What a custom event's fields are, as SQL over `custom_events` (schema/custom-events.ts): its
 * properties read by their type, and the system fields every event has (custom-analysis.md
 * "Events and properties", "Precise readings"). Property names are untrusted text from phones:
 * they only ever reach the SQL as bound parameters.
 *
 * Readings: a number-typed property is the JSON number sent, or a string of the form
 * `[+-]digits[.digits]`, else missing; a string-typed property (and any property as a group key)
 * is the text as sent, numbers and booleans as their JSON text. The empty string is a value.
 */
import { AGE_NAMES, type FieldRef, GENDER_NAMES, type PropType, type SystemField } from '@miniscope/contract';
import { MiniscopeError } from '../../errors.js';
import { sourceKeySql } from '../definitions/sources.js';
import type { Params } from '../sql/params.js';

/** Property types by name (declared ones win over inferred ones; unknown names are strings). */
export type PropTypes = Readonly<Record<string, PropType>>;

/** What a query's field reads need: scene and source join the event's open, user_type first days. */
export interface FieldNeeds {
  scene: boolean;
  firstDays: boolean;
}

const NUMBER_FORM = "'^[+-]?[0-9]+(\\\\.[0-9]+)?$'";

/** A property as text, NULL when the event does not carry it. */
function propText(name: string, params: Params): string {
  const key = params.add(name, 'String');
  return `if(mapContains(props, ${key}), props[${key}], NULL)`;
}

/** A number-typed property as a number, NULL when missing or not a number. */
function propNumber(name: string, params: Params): string {
  const key = params.add(name, 'String');
  return `multiIf(mapContains(props_num, ${key}), props_num[${key}],
    match(props[${key}], ${NUMBER_FORM}), toFloat64OrNull(props[${key}]), NULL)`;
}

const namesOf = (names: Readonly<Record<number, string>>, column: string) =>
  `transform(${column}, [${Object.keys(names).join(', ')}], [${Object.values(names)
    .map((n) => `'${n}'`)
    .join(', ')}], '${names[0]}')`;

/** Age band of the event's batch: its birth year against the event's own year. */
const AGE_SQL = `multiIf(birth_year = 0, 0, toYear(ts) - birth_year <= 17, 1, toYear(ts) - birth_year <= 24, 2,
  toYear(ts) - birth_year <= 29, 3, toYear(ts) - birth_year <= 39, 4, toYear(ts) - birth_year <= 49, 5, 6)`;

/**
 * System fields as text (NULL = no value). `open_scene` comes from the event's open (its `open`
 * event; no value when that never arrived, nor its source), `first_day` from the user's first
 * counted open (a user with none is 老用户).
 */
const SYSTEM_SQL: Record<SystemField, string> = {
  path: "nullIf(path, '')",
  scene: 'if(has_open = 1, toString(open_scene), NULL)',
  source: `if(has_open = 1, toString(${sourceKeySql('open_scene')}), NULL)`,
  province: "nullIf(province, '')",
  city: "nullIf(city, '')",
  platform: "nullIf(platform, '')",
  brand: "nullIf(brand, '')",
  model: "nullIf(model, '')",
  gender: namesOf(GENDER_NAMES, 'gender'),
  age: namesOf(AGE_NAMES, AGE_SQL),
  network: "nullIf(network, '')",
  wechat: "nullIf(wechat, '')",
  baselib: "nullIf(baselib, '')",
  user_type: "if(toDate(ts) = first_day, '新用户', '老用户')",
};

export const isProp = (f: FieldRef): f is { prop: string } => 'prop' in f;

/**
 * Whether fields read the user's first counted open day (新老用户), which comes through compaction's
 * first days: only then does a custom report need compaction's freshness.
 */
export const readsFirstDays = (fields: ReadonlyArray<FieldRef | undefined>) =>
  fields.some((f) => f !== undefined && !isProp(f) && f.field === 'user_type');

/** The type a field reads as. */
export function fieldType(f: FieldRef, types: PropTypes): PropType {
  return isProp(f) ? (types[f.prop] ?? 'string') : 'string';
}

/** A field as text (group keys, string operators); NULL = no value. */
export function fieldTextSql(f: FieldRef, params: Params, needs: FieldNeeds): string {
  if (isProp(f)) return propText(f.prop, params);
  if (f.field === 'scene' || f.field === 'source') needs.scene = true;
  if (f.field === 'user_type') needs.firstDays = true;
  return SYSTEM_SQL[f.field];
}

/** A number-typed property as a number (NULL = no value); other fields cannot be read so. */
export function fieldNumberSql(f: FieldRef, params: Params, types: PropTypes): string {
  if (!isProp(f) || fieldType(f, types) !== 'number')
    throw new MiniscopeError('bad_query', `${fieldLabel(f)} is not a number property`);
  return propNumber(f.prop, params);
}

/** A field as a report's column label names it. */
export const fieldLabel = (f: FieldRef) => (isProp(f) ? f.prop : f.field);

/**
 * The FROM of a custom events read: the events of `names` in from..to (event days), with the
 * columns the fields need joined (the open's scene; the user's first counted open day,
 * `firstDays` a subquery with columns uid, first_day).
 */
export function customEventsFrom(
  names: string[],
  from: string,
  to: string,
  params: Params,
  needs: FieldNeeds,
  firstDays?: (usersIn: string) => string,
): string {
  const lo = params.date(from);
  const hi = params.date(to);
  const own = params.scan('custom_events', [
    `name IN ${params.add(names, 'Array(String)')}`,
    `toDate(ts) >= ${lo}`,
    `toDate(ts) <= ${hi}`,
  ]);
  let sql = `(SELECT * ${own}) AS ce`;
  if (needs.scene) {
    // The open's `open` event may be a day before its events (an open across midnight).
    // NOTE (the spec does not bound an open's length): an open lasts less than a day, as every read
    // of opens takes it (sql/opens.ts), so its `open` is on its events' day or the one before; an
    // event of an open kept in the foreground past the next midnight would read no scene.
    const opens = params.scan('events', ["type = 'open'", `toDate(ts) >= ${lo} - 1`, `toDate(ts) <= ${hi}`]);
    // NOTE: an event without its open gets the join's defaults: has_open = 0.
    sql += ` LEFT JOIN (SELECT user_id, sid, argMin(scene, ts) AS open_scene, toUInt8(1) AS has_open ${opens}
      GROUP BY user_id, sid) AS o ON ce.user_id = o.user_id AND ce.sid = o.sid`;
  }
  if (needs.firstDays && firstDays) {
    const users = `SELECT DISTINCT user_hash ${own}`;
    sql += ` LEFT JOIN (${firstDays(users)}) AS f ON ce.user_hash = f.uid`;
  }
  return sql;
}
