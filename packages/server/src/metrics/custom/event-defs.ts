/**
 * Event management's view of what was seen (custom-analysis.md "Event management"): the event
 * names of an app with first and last time and their count in the last 7 days, the properties
 * each carried and their types, from `custom_event_days` and `custom_props` (no scan of the
 * events); and a property's most frequent values, from the events of the last 30 days.
 * The team's own notes (names, descriptions, declared types) are merged in by the caller.
 */
import { addDays, type PropType } from '@miniscope/contract';
import type { Store } from '../../store/store.js';
import { propTypes } from './prop-types.js';

export interface SeenEvent {
  name: string;
  first_seen: number;
  last_seen: number;
  count_7d: number;
  props: Array<{ name: string; type: PropType }>;
}

/** Values of a property listed at most, and the days they are counted over. */
export const TOP_VALUES = 100;
export const VALUE_DAYS = 30;

/** Every event name of `app` ever seen, by name, with its properties and their types. */
export async function seenEvents(
  store: Store,
  app: string,
  today: string,
  declared: Record<string, PropType>,
): Promise<SeenEvent[]> {
  const [events, props] = await Promise.all([
    store.query<{ name: string; first: string; last: string; recent: string }>(
      `SELECT name, toUnixTimestamp64Milli(min(first_ts)) AS first, toUnixTimestamp64Milli(max(last_ts)) AS last,
         sumIf(events, day >= {week:Date}) AS recent
       FROM custom_event_days WHERE app_id = {app:String} AND day <= {today:Date}
       GROUP BY name ORDER BY name`,
      { app, today, week: addDays(today, -6) },
    ),
    store.query<{ name: string; prop: string }>(
      `SELECT DISTINCT name, prop FROM custom_props WHERE app_id = {app:String} AND day <= {today:Date}
       ORDER BY name, prop`,
      { app, today },
    ),
  ]);
  const types = await propTypes(store, app, [...new Set(props.map((p) => p.prop))], today, declared);
  const byEvent = new Map<string, SeenEvent['props']>();
  for (const p of props) {
    const list = byEvent.get(p.name) ?? [];
    list.push({ name: p.prop, type: types[p.prop] ?? 'string' });
    byEvent.set(p.name, list);
  }
  return events.map((e) => ({
    name: e.name,
    first_seen: Number(e.first),
    last_seen: Number(e.last),
    count_7d: Number(e.recent),
    props: byEvent.get(e.name) ?? [],
  }));
}

/** The most frequent values of an event's property over the last 30 days, most first (ties by value). */
export async function topValues(
  store: Store,
  app: string,
  event: string,
  prop: string,
  today: string,
): Promise<Array<{ value: string; count: number }>> {
  const rows = await store.query<{ value: string; n: string }>(
    `SELECT props[{prop:String}] AS value, count() AS n FROM custom_events
     WHERE app_id = {app:String} AND name = {event:String} AND toDate(ts) >= {from:Date} AND toDate(ts) <= {today:Date}
       AND mapContains(props, {prop:String})
     GROUP BY value ORDER BY n DESC, value LIMIT {top:UInt16}`,
    { app, event, prop, from: addDays(today, 1 - VALUE_DAYS), today, top: TOP_VALUES },
  );
  return rows.map((r) => ({ value: r.value, count: Number(r.n) }));
}
