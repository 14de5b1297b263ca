/**
 * A small mini program for the fake runtime, written the way app code is: app.js calls init() before
 * App(); pages use Page() or Component(), some with share handlers, one with no hooks at all. Each
 * page's own hooks record their calls in `calls`, to show they still run, in order, with their results.
 */

import assert from 'node:assert/strict';
import type { CollectBatch, CollectEvent } from '@miniscope/contract';
import { envelopeSchema, eventSchemas } from '@miniscope/contract';
import type { Program } from './runtime.js';
import { T0 } from './runtime.js';
import type { Sdk } from './sdk.js';

export const APPID = 'wx1a2b3c4d5e6f7a8b';
export const SERVER = 'https://stats.example.com';

export interface DemoOptions {
  debug?: boolean;
  /** init() inside App.onLaunch instead of before App() */
  lateInit?: boolean;
}

export function demoProgram(calls: string[], options: DemoOptions = {}): Program {
  const init = (sdk: Sdk) => sdk.init({ appid: APPID, server: SERVER, debug: options.debug });
  const record = (name: string) =>
    function (this: { route?: string }) {
      calls.push(`${this.route ?? 'app'}.${name}`);
    };
  return {
    app(sdk) {
      if (!options.lateInit) init(sdk);
      App({
        onLaunch() {
          if (options.lateInit) init(sdk);
          calls.push('app.onLaunch');
        },
        onShow: record('onShow'),
        onHide: record('onHide'),
      });
    },
    pages: {
      'pages/index/index': () =>
        Page({
          onLoad: record('onLoad'),
          onShow: record('onShow'),
          onHide: record('onHide'),
          onShareAppMessage() {
            calls.push('index.share');
            return { title: 'Index' };
          },
        }),
      'pages/detail/detail': () =>
        Page({
          onShow: record('onShow'),
          onUnload: record('onUnload'),
          onShareAppMessage() {
            return { title: 'Detail', promise: Promise.resolve({ title: 'later' }) };
          },
          onShareTimeline() {
            return { title: 'Detail on Moments' };
          },
        }),
      'pages/about/about': () => Page({}),
      'pages/list/list': () =>
        Component({
          data: { items: [] },
          methods: {
            onLoad: record('onLoad'),
            onShow: record('onShow'),
            onShareAppMessage() {
              return { title: 'List' };
            },
          },
        }),
    },
  };
}

/** Every event of every batch, in the order sent. */
export function allEvents(batches: CollectBatch[]): CollectEvent[] {
  return batches.flatMap((batch) => batch.events);
}

/**
 * The events in a form easy to compare: time relative to T0, `sid` as the number of the open
 * (0, 1, …), and no `id` (checked for uniqueness instead).
 */
export function timeline(events: CollectEvent[]): Record<string, unknown>[] {
  const sids: string[] = [];
  return events.map(({ id: _id, ts, sid, ...rest }) => {
    if (sid && !sids.includes(sid)) sids.push(sid);
    return { at: ts - T0, ...rest, ...(sid ? { open: sids.indexOf(sid) } : {}) };
  });
}

/** Every string in `value` (keys too) is well-formed UTF-16: no lone surrogate, which the server refuses. */
export function assertWellFormed(value: unknown, where = 'batch'): void {
  if (typeof value === 'string') {
    assert.ok(!/[\uD800-\uDFFF]/u.test(value), `lone surrogate in ${where}: ${JSON.stringify(value)}`);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      assertWellFormed(key, `${where} key`);
      assertWellFormed(inner, `${where}.${key}`);
    }
  }
}

/** Checks a batch against the server's own zod schemas (envelope and every event), and its strings. */
export function assertValid(batch: CollectBatch): void {
  assertWellFormed(batch);
  const envelope = envelopeSchema.safeParse(batch);
  assert.ok(envelope.success, JSON.stringify(envelope.error?.issues));
  const ids = new Set<string>();
  for (const event of batch.events) {
    const parsed = eventSchemas[event.t].safeParse(event);
    assert.ok(parsed.success, `${JSON.stringify(event)}: ${JSON.stringify(parsed.error?.issues)}`);
    assert.ok(!ids.has(event.id), `event id ${event.id} repeated in batch ${batch.batch}`);
    ids.add(event.id);
  }
}
