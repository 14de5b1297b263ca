/**
 * Set-up and comparisons shared by the 自定义分析 cross-check (crosscheck-custom-*.test.ts): one
 * engine per test file, the traffic of custom-traffic.ts sent once, `qty` declared a number property
 * through event management (so '12' reads as 12 and 'abc' as no value), the reference
 * (custom-reference.ts) over what was stored, and the reports read through the HTTP API with a
 * session, as the dashboard reads them.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type {
  EventAnalysis,
  EventAnalysisPart,
  EventAnalysisQuery,
  EventRetention,
  EventRetentionQuery,
  Funnel,
  FunnelQuery,
  FunnelSteps,
  PathQuery,
  Paths,
} from '@miniscope/contract';
import type { User } from '../src/auth/users.js';
import type { Miniscope } from '../src/miniscope.js';
import { makeUser, sessionHeaders } from './auth-helpers.js';
import { CustomReference, type RefEventPart, type RefFunnelSteps } from './custom-reference.js';
import { type CustomTraffic, sendCustomTraffic } from './custom-traffic.js';
import { ageArrivals, startTestMiniscope } from './helpers.js';
import { addDays, shanghaiDay } from './reference.js';

export const APP = 'wx00000000000c0c0d';
export const now = Date.now();
export const today = shanghaiDay(now);
export const yesterday = addDays(today, -1);
/** The whole traffic (40 days, today included). */
export const R40 = { from: addDays(today, -39), to: today };
export const R14 = { from: addDays(today, -14), to: today };
export const R7 = { from: addDays(today, -7), to: yesterday };

/** The shop's steps (custom-traffic.ts), in order. */
export const SHOP5 = ['search', 'view_goods', 'add_to_cart', 'checkout', 'pay'].map((event) => ({ event }));

/** Paths over pages: from the entry page, from a page, to a page, small and large N and K. */
export const PAGE_PATHS: PathQuery[] = [
  { direction: 'from', steps: 5, top: 10, ...R7 },
  { direction: 'from', steps: 3, top: 3, ...R40 },
  { direction: 'from', steps: 10, top: 20, ...R40 },
  { direction: 'from', page: 'pages/goods/detail', steps: 4, top: 5, ...R40 },
  { direction: 'from', page: 'pages/cart/cart', steps: 6, top: 1, ...R7 },
  { direction: 'to', page: 'pages/order/result', steps: 5, top: 4, ...R40 },
  { direction: 'to', page: 'pages/cart/cart', steps: 3, top: 2, ...R7 },
  { direction: 'to', page: 'pages/index/index', steps: 2, top: 20, ...R40 },
  { direction: 'from', page: 'pages/nowhere', steps: 3, top: 3, ...R40 },
];
const SHOP_EVENTS = ['view_goods', 'add_to_cart', 'probe', 'checkout', 'pay'];
/** Paths with custom events as nodes, one of them a start. */
export const EVENT_PATHS: PathQuery[] = [
  { direction: 'from', steps: 6, top: 8, events: SHOP_EVENTS, ...R40 },
  { direction: 'from', steps: 4, top: 3, events: ['view_goods'], ...R7 },
  { direction: 'from', page: 'pages/goods/detail', steps: 5, top: 6, events: SHOP_EVENTS, ...R40 },
  { direction: 'from', page: 'event:add_to_cart', steps: 4, top: 5, events: SHOP_EVENTS, ...R40 },
  { direction: 'to', page: 'pages/order/result', steps: 6, top: 5, events: SHOP_EVENTS, ...R40 },
  { direction: 'to', page: 'pages/goods/detail', steps: 4, top: 2, events: ['view_goods', 'probe'], ...R14 },
];

export interface Crosscheck {
  m: Miniscope;
  ref: CustomReference;
  traffic: CustomTraffic;
  /** How many figures were compared, by report kind. */
  figures: Record<string, number>;
  queries: Record<string, number>;
}

export const cc = {} as Crosscheck;
/** A member with 数据分析 of the app. */
let analyst: User;
/** Their session's headers (one session for the whole file). */
let headers: Record<string, string>;

/** Declares a property of `app` a number, in event management. */
export async function declareNumber(app: string, prop: string): Promise<void> {
  const res = await cc.m.server.inject({
    method: 'PUT',
    url: `/api/apps/${app}/custom/props/${prop}`,
    headers,
    payload: { type: 'number' },
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** The engine with the traffic sent; with `compacted`, once compaction has covered it (today stays live). */
export function setupCustomCrosscheck(compacted = false): void {
  before(async () => {
    cc.m = await startTestMiniscope();
    cc.m.apps.add(APP, 'custom cross-check');
    analyst = await makeUser(cc.m, 'cc_analyst');
    cc.m.auth.members.setAdmin(APP, analyst.id, null);
    headers = sessionHeaders(cc.m, analyst);
    cc.traffic = await sendCustomTraffic(cc.m, APP, now);
    await declareNumber(APP, 'qty');
    if (compacted) {
      await cc.m.metrics.compact();
      await ageArrivals(cc.m.store);
    }
    cc.ref = new CustomReference(cc.traffic.events, today, { qty: 'number' });
    cc.figures = {};
    cc.queries = {};
  });
  after(async () => {
    if (process.env.CROSSCHECK_COUNTS) console.log(JSON.stringify({ queries: cc.queries, figures: cc.figures }));
    await cc.m.close();
  });
}

/** The answer of a custom report (`kind`: events, funnel, paths, retention), or its status when not 200. */
export async function report<T>(
  kind: string,
  q: object,
  app = APP,
): Promise<{ status: number; body: T; text: string }> {
  const res = await cc.m.server.inject({
    method: 'GET',
    url: `/api/apps/${app}/custom/${kind}?q=${encodeURIComponent(JSON.stringify(q))}`,
    headers,
  });
  cc.queries[kind] = (cc.queries[kind] ?? 0) + 1;
  return { status: res.statusCode, body: (res.statusCode === 200 ? res.json() : undefined) as T, text: res.body };
}

/**
 * One figure: counts exactly, other numbers (ratios, sums of fractions, medians) to 1e-9 relative;
 * null only for null.
 */
export function figure(kind: string, got: unknown, want: number | null, what: string): void {
  cc.figures[kind] = (cc.figures[kind] ?? 0) + 1;
  if (want === null || got === null) {
    assert.equal(got, want, `${what}: got ${got}, expected ${want}`);
    return;
  }
  assert.equal(typeof got, 'number', `${what}: got ${JSON.stringify(got)}, expected ${want}`);
  const g = got as number;
  assert.ok(Math.abs(g - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: got ${g}, expected ${want}`);
}

/** Figures in order, one by one. */
function figures(kind: string, got: unknown[], want: Array<number | null>, what: string): void {
  assert.equal(got.length, want.length, `${what}: how many`);
  for (const [k, v] of want.entries()) figure(kind, got[k], v, `${what} [${k}]`);
}

function comparePart(got: EventAnalysisPart, want: RefEventPart, what: string): void {
  assert.deepEqual(got.buckets, want.buckets, `${what}: buckets`);
  assert.deepEqual(got.partial, want.partial, `${what}: partial`);
  assert.deepEqual(
    got.series.map((s) => s.group),
    want.series.map((s) => s.group),
    `${what}: the series, top first`,
  );
  for (const [i, w] of want.series.entries()) {
    const g = got.series[i]!;
    const name = `${what} [${w.group.join('|')}]`;
    figures('events', g.total, w.total, `${name} total`);
    for (const [b, vs] of w.values.entries()) figures('events', g.values[b]!, vs, `${name} ${want.buckets[b]}`);
  }
}

/** The engine's answer against the reference's, the comparison range too. */
export async function checkEvents(q: EventAnalysisQuery, what = JSON.stringify(q)): Promise<EventAnalysis> {
  const { status, body, text } = await report<EventAnalysis>('events', q);
  assert.equal(status, 200, `${what}: ${text}`);
  const want = cc.ref.eventAnalysis(q);
  comparePart(body, want, what);
  assert.equal(body.charted, Math.min(10, want.series.length), `${what}: charted`);
  if (want.compare) comparePart(body.compare!, want.compare, `${what} (compare)`);
  else assert.equal(body.compare, null);
  return body;
}

function compareSteps(got: FunnelSteps, want: RefFunnelSteps, what: string): void {
  assert.equal(got.users.length, want.users.length, `${what}: steps`);
  figures('funnel', got.users, want.users, `${what} users`);
  figures('funnel', got.conversion, want.conversion, `${what} conversion`);
  figure('funnel', got.overall, want.overall, `${what} overall`);
  figure('funnel', got.median_ms, want.median_ms, `${what} median_ms`);
}

export async function checkFunnel(q: FunnelQuery, what = JSON.stringify(q)): Promise<Funnel> {
  const { status, body, text } = await report<Funnel>('funnel', q);
  assert.equal(status, 200, `${what}: ${text}`);
  const want = cc.ref.funnel(q);
  compareSteps(body, want, what);
  assert.equal(body.window_ms, want.window_ms, `${what}: window`);
  assert.deepEqual(
    body.groups.map((g) => g.group),
    want.groups.map((g) => g.group),
    `${what}: groups, largest first`,
  );
  for (const [i, g] of want.groups.entries()) compareSteps(body.groups[i]!, g, `${what} group ${g.group}`);
  assert.deepEqual(
    body.over_time.map((d) => d.day),
    want.over_time.map((d) => d.day),
    `${what}: days`,
  );
  for (const [i, d] of want.over_time.entries()) {
    const g = body.over_time[i]!;
    figures('funnel', [g.users, g.converted, g.overall], [d.users, d.converted, d.overall], `${what} ${d.day}`);
  }
  return body;
}

export async function checkPaths(q: PathQuery, what = JSON.stringify(q)): Promise<Paths> {
  const { status, body, text } = await report<Paths>('paths', q);
  assert.equal(status, 200, `${what}: ${text}`);
  const want = cc.ref.paths(q);
  const nodeKey = (n: { step: number; name: string }) => `${String(n.step).padStart(2, '0')} ${n.name}`;
  const linkKey = (l: { step: number; source: string; target: string }) =>
    `${String(l.step).padStart(2, '0')} ${l.source} → ${l.target}`;
  const sorted = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  assert.deepEqual(
    sorted(body.nodes, nodeKey).map(nodeKey),
    sorted(want.nodes, nodeKey).map(nodeKey),
    `${what}: nodes`,
  );
  assert.deepEqual(
    sorted(body.links, linkKey).map(linkKey),
    sorted(want.links, linkKey).map(linkKey),
    `${what}: links`,
  );
  const gotNodes = new Map(body.nodes.map((n) => [nodeKey(n), n.opens]));
  for (const n of want.nodes) figure('paths', gotNodes.get(nodeKey(n)), n.opens, `${what} node ${nodeKey(n)}`);
  const gotLinks = new Map(body.links.map((l) => [linkKey(l), l.opens]));
  for (const l of want.links) figure('paths', gotLinks.get(linkKey(l)), l.opens, `${what} link ${linkKey(l)}`);
  return body;
}

export async function checkRetention(q: EventRetentionQuery, what = JSON.stringify(q)): Promise<EventRetention> {
  const { status, body, text } = await report<EventRetention>('retention', q);
  assert.equal(status, 200, `${what}: ${text}`);
  const want = cc.ref.retention(q);
  assert.deepEqual(
    body.rows.map((r) => [r.start, r.end, r.values.map((v) => v.key)]),
    want.map((r) => [r.start, r.end, r.values.map((v) => v.key)]),
    `${what}: cohorts and keys`,
  );
  for (const [i, r] of want.entries()) {
    for (const [k, v] of r.values.entries()) {
      const g = body.rows[i]!.values[k]!;
      figures('retention', [g.value, g.rate], [v.value, v.rate], `${what} ${r.start} key ${v.key} (value, rate)`);
    }
  }
  return body;
}
