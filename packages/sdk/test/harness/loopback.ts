/**
 * The fake runtime's requests answered by a real HTTP server on loopback: each wx.request is
 * posted for real (same method, headers and body) and gets the real status, headers and answer
 * (parsed as JSON when it is JSON, as wx.request's dataType 'json' does). Date.now stays the fake
 * clock's while the server handles the request, so the server receives each batch at the moment
 * the SDK sent it; only the timers are swapped back to real ones, since the server needs them.
 * Import this module before creating the FakeRuntime: it keeps the real timers.
 */
import type { Answer, FakeRequest, FakeRuntime } from './runtime.js';

const realTimers = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };

/** One request and the answer the server gave. */
export interface Exchange {
  request: FakeRequest;
  answer: Answer;
}

/** Posts `request` to `url` with the real timers in place. */
export async function post(url: string, request: FakeRequest): Promise<Answer> {
  const fakeTimers = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  Object.assign(globalThis, realTimers);
  try {
    const res = await fetch(url, { method: request.method, headers: request.header, body: request.raw });
    const text = await res.text();
    const header: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      header[key] = value;
    });
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {}
    await new Promise((resolve) => setImmediate(resolve));
    return { status: res.status, data, header };
  } finally {
    Object.assign(globalThis, fakeTimers);
  }
}

/**
 * Answers every request of `rt` not answered yet, in order, by posting it to `route(url)`;
 * answers may start new requests, which are answered too.
 */
export async function deliver(rt: FakeRuntime, route: (url: string) => string, log: Exchange[]): Promise<void> {
  for (let i = 0; i < rt.requests.length; i++) {
    const request = rt.requests[i]!;
    if (request.answered) continue;
    const answer = await post(route(request.url), request);
    log.push({ request, answer });
    request.respond(answer);
  }
}
