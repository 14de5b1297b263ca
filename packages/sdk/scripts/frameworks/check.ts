/**
 * One framework's built shop on the fake runtime against a real server: boots the output, drives
 * the shop, answers every request through the server, and compares what the server stored for the
 * run's user with the shop's expected events. Also checks what the SDK put on the wire: every body
 * valid by the contract's schemas and well-formed, every answer a 200 with no rejected event, the
 * custom event's props with their JSON types, the app's own share handlers' results unchanged, and
 * WeChat's own reportAnalytics still given each call.
 */

import { deliver, type Exchange } from '../../test/harness/loopback.js';
import { assertValid } from '../../test/harness/program.js';
import { FakeRuntime } from '../../test/harness/runtime.js';
import { builtProgram } from './miniprogram.js';
import type { Framework } from './projects.js';
import { CART_PROPS, driveShop, type Expected, expectedEvents, VIEW_CART } from './shop.js';
import { asStored, byTime, type Server } from './stored.js';

/** The server URL the shops are built with; requests to it go to the loopback server. */
export const SHOP_SERVER = 'https://stats.example.com';
export const SHOP_APPID = 'wx5e0a1f2b3c4d5e6f';

export interface Outcome {
  expected: number;
  recorded: number;
  missing: Expected[];
  unexpected: Expected[];
  /** wire and answer problems, each a sentence */
  problems: string[];
  /** the SDK's console warnings during the run */
  warnings: string[];
  requests: number;
}

/** An event as text with its keys sorted, to compare stored rows with expected events. */
const describe = (value: unknown): string =>
  value && typeof value === 'object'
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${k}:${describe((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(value);

export async function checkShop(framework: Framework, output: string, server: Server): Promise<Outcome> {
  const start = Math.floor(Date.now() / 1000) * 1000;
  const rt = new FakeRuntime(start);
  rt.server = null; // every request is answered by the real server, none by the fake one
  const log: Exchange[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const console_ = { log: console.log, warn: console.warn, error: console.error };
  console.log = () => {};
  console.warn = (...args: unknown[]) => {
    if (args[0] === '[miniscope]') warnings.push(args.slice(1).map(String).join(' '));
  };
  console.error = console.warn;
  const route = (url: string) => {
    if (!url.startsWith(`${SHOP_SERVER}/`)) throw new Error(`a request to ${url}, not to the shop's server`);
    return server.base + url.slice(SHOP_SERVER.length);
  };
  /**
   * Lets `ms` of fake time pass from timer to timer: after each one, the microtasks it queued run
   * (Vue and React chain timers and promises) and the requests sent are answered, all at that
   * timer's time.
   */
  const settle = async (ms: number) => {
    const end = rt.clock.now + ms;
    for (let steps = 0; ; steps++) {
      if (steps > 100_000) throw new Error('timers keep firing: the app never settles');
      await new Promise((resolve) => setImmediate(resolve));
      await deliver(rt, route, log);
      const next = rt.clock.next();
      if (next === undefined || next > end) break;
      rt.advance(next - rt.clock.now);
    }
    rt.advance(end - rt.clock.now);
    await new Promise((resolve) => setImmediate(resolve));
    await deliver(rt, route, log);
  };
  try {
    rt.boot(builtProgram(output).program);
    const { shared } = await driveShop(rt, framework.routes, framework.tap(output), settle);

    for (const [i, to] of ['chat', 'timeline'].entries()) {
      const title = (shared[i] as { title?: unknown } | undefined)?.title;
      if (title !== 'Goods A1') problems.push(`the app's ${to} share handler gave ${JSON.stringify(shared[i])}`);
    }
    for (const { request, answer } of log) {
      try {
        assertValid(request.body);
      } catch (error) {
        problems.push(`invalid batch: ${(error as Error).message}`);
      }
      const rejected = (answer.data as { rejected?: unknown[] } | undefined)?.rejected;
      if (answer.status !== 200 || rejected?.length) {
        problems.push(`answer ${answer.status}: ${JSON.stringify(answer.data)}`);
      }
      // the wire text itself: JSON.parse gives the types it carries
      for (const event of JSON.parse(request.raw).events as Expected[]) {
        if (event.name === 'add_to_cart' && JSON.stringify(event.props) !== JSON.stringify(CART_PROPS)) {
          problems.push(`add_to_cart props on the wire: ${JSON.stringify(event.props)}`);
        }
      }
    }
    const reported = JSON.stringify(rt.reported.map(([name, data]) => [name, data]));
    if (reported !== JSON.stringify([VIEW_CART, VIEW_CART])) problems.push(`WeChat's reportAnalytics got ${reported}`);
    const users = [...new Set(log.map((e) => e.request.body.user.id))];
    if (users.length !== 1) problems.push(`batches from ${users.length} users: ${users.join(', ')}`);

    const expected = expectedEvents(framework.routes).map(asStored).sort(byTime);
    const stored = users[0] ? await server.stored(users[0], start) : [];
    const unexpected = [...stored];
    const missing: Expected[] = [];
    for (const event of expected) {
      const i = unexpected.findIndex((s) => describe(s) === describe(event));
      if (i < 0) missing.push(event);
      else unexpected.splice(i, 1);
    }
    return {
      expected: expected.length,
      recorded: expected.length - missing.length,
      missing,
      unexpected,
      problems,
      warnings,
      requests: log.length,
    };
  } finally {
    Object.assign(console, console_);
    rt.dispose();
  }
}
