/** Turns accepted events of one batch into rows of the `events` table (store/migrations.ts). */
import type { CollectDevice, CollectUser } from '@miniscope/contract';
import type { Place } from './geo.js';
import type { AcceptedEvent } from './validate.js';

export interface EventRow {
  app_id: string;
  ts: number;
  type: string;
  user_id: string;
  sid: string;
  path: string;
  scene: number;
  cold: boolean;
  dur_ms: number;
  share_to: string;
  name: string;
  props: Record<string, string>;
  gender: number;
  birth_year: number;
  platform: string;
  brand: string;
  model: string;
  system: string;
  wechat: string;
  baselib: string;
  network: string;
  language: string;
  screen_w: number;
  screen_h: number;
  province: string;
  city: string;
  batch_id: string;
  received_at: number;
}

export interface BatchContext {
  app: string;
  batch: string;
  user: CollectUser;
  device: CollectDevice | undefined;
  place: Place;
  receivedAt: number;
}

/** The columns every row of a batch shares. */
function batchColumns(ctx: BatchContext) {
  const d = ctx.device ?? {};
  return {
    app_id: ctx.app,
    user_id: ctx.user.id,
    gender: ctx.user.gender ?? 0,
    birth_year: ctx.user.birth_year ?? 0,
    platform: (d.platform ?? '').toLowerCase(),
    brand: d.brand ?? '',
    model: d.model ?? '',
    system: d.system ?? '',
    wechat: d.wechat ?? '',
    baselib: d.baselib ?? '',
    network: d.network ?? '',
    language: d.language ?? '',
    screen_w: d.screen?.[0] ?? 0,
    screen_h: d.screen?.[1] ?? 0,
    province: ctx.place.province,
    city: ctx.place.city,
    batch_id: ctx.batch,
    received_at: ctx.receivedAt,
  };
}

export function toRows(ctx: BatchContext, accepted: AcceptedEvent[]): EventRow[] {
  const shared = batchColumns(ctx);
  return accepted.map(({ event: e, at }) => {
    const props: Record<string, string> = {};
    if (e.t === 'event' && e.props) for (const [k, v] of Object.entries(e.props)) props[k] = String(v);
    return {
      ...shared,
      ts: at,
      type: e.t,
      sid: e.sid,
      path: 'path' in e && e.path ? e.path : '',
      scene: e.t === 'open' ? e.scene : 0,
      cold: e.t === 'open' ? e.cold : false,
      dur_ms: e.t === 'leave' ? e.dur : 0,
      share_to: e.t === 'share' ? e.to : '',
      name: e.t === 'event' ? e.name : '',
      props,
    };
  });
}
