/**
 * The events an app has sent, with their properties (GET …/custom/event-defs), asked once per app
 * and shared by every picker of the 自定义分析 screens; asked again after 事件管理 changes them.
 */
import type { EventDef } from '@miniscope/contract';
import { eventDefs } from '@/api/custom';

const known = new Map<string, Promise<EventDef[]>>();

export function loadEventDefs(appid: string, force = false): Promise<EventDef[]> {
  let answer = known.get(appid);
  if (!answer || force) {
    answer = eventDefs.list(appid).then((a) => a.events);
    // A failure is not kept: the next screen asks again.
    answer.catch(() => known.delete(appid));
    known.set(appid, answer);
  }
  return answer;
}

/** Forget an app's events (after a change), so the next screen asks the server again. */
export function forgetEventDefs(appid: string): void {
  known.delete(appid);
}

const values = new Map<string, Promise<string[]>>();

/**
 * Suggestions for a property's filter values: its most frequent values in the first of `events`
 * that carries it (asked once per event and property).
 */
export function valueSuggester(appid: string, defs: () => readonly EventDef[], events: () => readonly string[]) {
  return (prop: string): Promise<string[]> => {
    const event = events().find((name) => defs().some((e) => e.name === name && e.props.some((p) => p.name === prop)));
    if (!event) return Promise.resolve([]);
    const key = JSON.stringify([appid, event, prop]);
    let answer = values.get(key);
    if (!answer) {
      answer = eventDefs.values(appid, event, prop).then((a) => a.values.map((v) => v.value));
      answer.catch(() => values.delete(key));
      values.set(key, answer);
    }
    return answer;
  };
}
