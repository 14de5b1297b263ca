/**
 * The shop every framework project implements (index → goods detail → cart; a button calling
 * track('add_to_cart', …); sharing on the goods page; the cart calling WeChat's own
 * reportAnalytics('view_cart', …) through the framework's API when shown), driven as a user would on
 * the fake runtime, and the 19 events that run must give. Between steps fake time passes and the microtasks the
 * frameworks queue (Vue's and React's updates) run, and the requests sent meanwhile are answered.
 */
import type { FakeRuntime } from '../../test/harness/runtime.js';

export interface Routes {
  index: string;
  goods: string;
  cart: string;
}

/** Taps the button with this label on the top page, the way the framework binds its handlers. */
export type Tap = (rt: FakeRuntime, label: string) => void;

/** One expected event: its type, the open it belongs to (1 or 2), ms after launch, and its fields. */
export interface Expected {
  t: string;
  open: number;
  at: number;
  [field: string]: unknown;
}

export const SCENE_QR = 1047;
export const SCENE_RECENT = 1089;
export const CART_PROPS = { sku: 'A1', price: 199, vip: false };
/** what the cart page passes to reportAnalytics each time it is shown */
export const VIEW_CART = ['view_cart', { items: 1 }] as const;

/** What the run below must record, in order. */
export function expectedEvents({ index, goods, cart }: Routes): Expected[] {
  return [
    { t: 'open', open: 1, at: 0, scene: SCENE_QR, path: index, cold: true },
    { t: 'pv', open: 1, at: 0, path: index },
    { t: 'leave', open: 1, at: 3000, path: index, dur: 3000 },
    { t: 'pv', open: 1, at: 3000, path: goods },
    { t: 'event', open: 1, at: 5000, path: goods, name: 'add_to_cart', props: CART_PROPS },
    { t: 'share', open: 1, at: 6000, path: goods, to: 'chat' },
    { t: 'share', open: 1, at: 7000, path: goods, to: 'timeline' },
    { t: 'leave', open: 1, at: 9000, path: goods, dur: 6000 },
    { t: 'pv', open: 1, at: 9000, path: cart },
    { t: 'event', open: 1, at: 9000, path: cart, name: VIEW_CART[0], props: VIEW_CART[1] },
    { t: 'leave', open: 1, at: 12_000, path: cart, dur: 3000 },
    { t: 'hide', open: 1, at: 12_000 },
    { t: 'open', open: 2, at: 72_000, scene: SCENE_RECENT, path: cart, cold: false },
    { t: 'pv', open: 2, at: 72_000, path: cart },
    { t: 'event', open: 2, at: 72_000, path: cart, name: VIEW_CART[0], props: VIEW_CART[1] },
    { t: 'leave', open: 2, at: 74_000, path: cart, dur: 2000 },
    { t: 'pv', open: 2, at: 74_000, path: goods },
    { t: 'leave', open: 2, at: 78_000, path: goods, dur: 4000 },
    { t: 'hide', open: 2, at: 78_000 },
  ];
}

export interface Run {
  /** what the app's own share handlers returned, for chat and timeline */
  shared: unknown[];
}

/**
 * The user's session: a cold launch from a QR code, goods, add to cart, share to chat and to
 * Moments, the cart, the home button, a minute later back from the recent list, back to the goods,
 * home again. `settle` lets time pass and answers what was sent.
 */
export async function driveShop(
  rt: FakeRuntime,
  { index, goods, cart }: Routes,
  tap: Tap,
  settle: (ms: number) => Promise<void>,
): Promise<Run> {
  const shared: unknown[] = [];
  const share = (to: 'chat' | 'timeline') => {
    try {
      shared.push(rt.share(to));
    } catch (error) {
      shared.push(String(error)); // no share entry: the check reports the share as missing
    }
  };
  rt.launch({ scene: SCENE_QR, path: index });
  await settle(3000);
  rt.navigateTo(goods, { sku: 'A1' }); // 3000
  await settle(2000);
  tap(rt, 'Add to cart'); // 5000
  await settle(1000);
  share('chat'); // 6000
  await settle(1000);
  share('timeline'); // 7000
  await settle(2000);
  rt.navigateTo(cart); // 9000
  await settle(3000);
  rt.background(); // 12000
  await settle(60_000);
  rt.foreground({ scene: SCENE_RECENT }); // 72000
  await settle(2000);
  rt.navigateBack(); // 74000
  await settle(4000);
  rt.background(); // 78000
  await settle(600_000); // everything sent and answered
  return { shared };
}
