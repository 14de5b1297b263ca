/**
 * Property types (custom-analysis.md "Precise readings"): one type per property name per app. A
 * declared type (event management) wins; until declared, a property is a number if every value
 * present in the 30 days ending today was a JSON number, else a string. Inferred from
 * `custom_props` (per day, event and property: how often present, how often a number), so a report
 * does not scan the events to know its types.
 * NOTE (a reading the spec leaves open): a property not seen in the last 30 days is inferred from
 * the 30 days ending on the last day it was seen, so that older data (an import, a retired event)
 * keeps its numbers instead of turning into text.
 */
import { addDays, type FieldRef, type PropType } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { isProp, type PropTypes } from './fields.js';

export const INFERENCE_DAYS = 30;

/** The properties a query refers to, by name. */
export function propsOf(fields: ReadonlyArray<FieldRef | undefined>): string[] {
  return [...new Set(fields.filter((f): f is { prop: string } => f !== undefined && isProp(f)).map((f) => f.prop))];
}

/** Inferred types of `props` of `app` (names never seen: string). */
export async function inferTypes(store: Store, app: string, props: string[], today: string): Promise<PropTypes> {
  if (props.length === 0) return {};
  const rows = await store.query<{ prop: string; present: string; numeric: string }>(
    `WITH seen AS (SELECT prop, app_id, day, present, numeric FROM custom_props
        WHERE app_id = {app:String} AND day <= {today:Date} AND prop IN {props:Array(String)}),
      windows AS (SELECT prop, if(max(day) >= {recent:Date}, {today:Date}, max(day)) AS last FROM seen GROUP BY prop)
     SELECT prop, sum(present) AS present, sum(numeric) AS numeric
     FROM seen JOIN windows USING prop
     WHERE day > last - {days:UInt16} AND day <= last
     GROUP BY prop`,
    { app, recent: addDays(today, 1 - INFERENCE_DAYS), today, props, days: INFERENCE_DAYS },
  );
  const types: Record<string, PropType> = {};
  for (const name of props) types[name] = 'string';
  for (const r of rows) types[r.prop] = Number(r.present) > 0 && r.present === r.numeric ? 'number' : 'string';
  return types;
}

/** Declared types over inferred ones. */
export async function propTypes(
  store: Store,
  app: string,
  props: string[],
  today: string,
  declared: PropTypes = {},
): Promise<PropTypes> {
  const undeclared = props.filter((p) => declared[p] === undefined);
  return { ...(await inferTypes(store, app, undeclared, today)), ...declared };
}
