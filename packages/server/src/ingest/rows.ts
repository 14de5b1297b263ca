/**
 * Turns the accepted events of one batch into one JSONCompactEachRow line for `events_in`
 * (store/migrations.ts): the columns a batch shares (user, device, place, batch) once, then its
 * events as positional tuples in the order migration 3 declares. The engine expands the line into
 * `events`. Serializing per batch rather than per event is what makes ingest fast (BENCHMARKS.md).
 */
import type { CollectDevice, CollectEvent, CollectUser } from '@miniscope/contract';
import type { Place } from './geo.js';
import type { AcceptedEvent } from './validate.js';

export interface BatchContext {
  app: string;
  batch: string;
  user: CollectUser;
  device: CollectDevice | undefined;
  place: Place;
  receivedAt: number;
}

type Props = Record<string, string>;
type Numbers = Record<string, number>;
type EventTuple = [number, string, string, string, number, boolean, number, string, string, Props, Numbers];

/**
 * A custom event's properties: every value as its JSON text (`props`), and those sent as JSON
 * numbers also as numbers (`props_num`), so that a property's type can be told (custom-analysis.md).
 */
function propsOf(sent: Record<string, string | number | boolean> | undefined): [Props, Numbers] {
  const props: Props = {};
  const numbers: Numbers = {};
  for (const [k, v] of Object.entries(sent ?? {})) {
    props[k] = typeof v === 'string' ? v : JSON.stringify(v);
    if (typeof v === 'number') numbers[k] = v;
  }
  return [props, numbers];
}

/** [ts, type, sid, path, scene, cold, dur_ms, share_to, name, props, props_num], as `events_in` declares them. */
function eventTuple(e: CollectEvent, at: number): EventTuple {
  // NOTE: validation may pass an event with keys its type does not have (the fast path keeps
  // them); only the fields of its own type are read here.
  const path = e.t === 'hide' ? '' : (e.path ?? '');
  switch (e.t) {
    case 'open':
      return [at, e.t, e.sid, path, e.scene, e.cold, 0, '', '', {}, {}];
    case 'leave':
      return [at, e.t, e.sid, path, 0, false, e.dur, '', '', {}, {}];
    case 'share':
      return [at, e.t, e.sid, path, 0, false, 0, e.to, '', {}, {}];
    case 'event':
      return [at, e.t, e.sid, path, 0, false, 0, '', e.name, ...propsOf(e.props)];
    default:
      return [at, e.t, e.sid, path, 0, false, 0, '', '', {}, {}];
  }
}

/** The batch as one line, ending in a newline. */
export function toBatchLine(ctx: BatchContext, accepted: AcceptedEvent[]): string {
  const d = ctx.device ?? {};
  const row = [
    ctx.app,
    ctx.user.id,
    ctx.user.gender ?? 0,
    ctx.user.birth_year ?? 0,
    (d.platform ?? '').toLowerCase(),
    d.brand ?? '',
    d.model ?? '',
    d.system ?? '',
    d.wechat ?? '',
    d.baselib ?? '',
    d.network ?? '',
    d.language ?? '',
    d.screen?.[0] ?? 0,
    d.screen?.[1] ?? 0,
    ctx.place.province,
    ctx.place.city,
    ctx.batch,
    ctx.receivedAt,
    accepted.map(({ event, at }) => eventTuple(event, at)),
  ];
  return `${JSON.stringify(row)}\n`;
}
