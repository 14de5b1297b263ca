/**
 * Sends the queue: at most two requests at a time (the app's own requests share WeChat's limit of
 * ten), one batch each. Follows the protocol's answers: 2xx and other 4xx drop the batch, 413 splits
 * it, and 429, 5xx or no answer keep it for a retry after an exponential backoff (capped) or the
 * server's Retry-After. Buffered events go out when 20 are waiting, 5 s after the first one, or at
 * once on flush() (app hide).
 */
import type { CollectAccepted, SealedBatch } from '../protocol.js';
import type { Env, SendResult } from './env.js';
import type { Store } from './store.js';
import { log, safe } from './util.js';

export const MAX_IN_FLIGHT = 2;
export const FLUSH_COUNT = 20;
export const FLUSH_DELAY_MS = 5000;
export const BACKOFF_BASE_MS = 2000;
export const BACKOFF_CAP_MS = 5 * 60 * 1000;

export type Sender = ReturnType<typeof createSender>;

export function createSender(env: Env, store: Store, url: string, debug: boolean) {
  const inFlight: string[] = [];
  let failures = 0;
  /** No request starts before this time (backoff). */
  let pauseUntil = 0;
  /** The buffer is to be emptied even if it is below FLUSH_COUNT. */
  let due = false;
  /** When the pending wake-up timer fires; 0 for none. */
  let wakeAt = 0;

  function wake(at: number): void {
    if (wakeAt && wakeAt <= at) return;
    wakeAt = at;
    env.later(() => {
      if (wakeAt !== at) return;
      wakeAt = 0;
      flush();
    }, at - env.now());
  }

  function flush(): void {
    due = true;
    pump();
  }

  function pump(): void {
    while (inFlight.length < MAX_IN_FLIGHT) {
      if (env.now() < pauseUntil) {
        wake(pauseUntil);
        return;
      }
      let batch = store.batches().find((b) => inFlight.indexOf(b.batch) < 0);
      if (!batch && due) batch = store.seal();
      if (!batch) break;
      send(batch);
    }
    if (!store.buffered()) due = false;
  }

  function send(batch: SealedBatch): void {
    inFlight.push(batch.batch);
    const body = { ...batch, sent_at: env.now() };
    if (debug) log('log', 'send', body);
    let answered = false;
    const done = (result: SendResult) =>
      safe(() => {
        if (answered) return;
        answered = true;
        inFlight.splice(inFlight.indexOf(batch.batch), 1);
        handle(batch, result);
        pump();
      });
    try {
      env.send(url, JSON.stringify(body), done);
    } catch (e) {
      log('warn', e);
      env.later(() => done({ status: 0 }), 0);
    }
  }

  function handle(batch: SealedBatch, result: SendResult): void {
    const { status } = result;
    if (debug) log('log', 'answer', status, result.body);
    if (status >= 200 && status < 300) {
      failures = 0;
      store.drop(batch.batch);
      const rejected = (result.body as CollectAccepted | undefined)?.rejected;
      if (debug && rejected?.length) log('warn', 'rejected events', rejected);
    } else if (status === 413) {
      store.split(batch.batch);
    } else if (status >= 400 && status < 500 && status !== 429) {
      log('warn', `batch dropped: HTTP ${status}`, result.body);
      store.drop(batch.batch);
    } else if (env.now() >= pauseUntil) {
      // one backoff step per failure round, even when both requests in flight fail
      failures++;
      const delay =
        result.retryAfter !== undefined && result.retryAfter >= 0
          ? result.retryAfter * 1000
          : Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_CAP_MS);
      pauseUntil = env.now() + delay;
    }
  }

  return {
    flush,
    /** Called after an event was queued. */
    queued(): void {
      if (store.buffered() >= FLUSH_COUNT) flush();
      else wake(env.now() + FLUSH_DELAY_MS);
    },
    /** Starts sending what an earlier run left in storage. */
    resume(): void {
      if (store.batches().length || store.buffered()) wake(env.now() + FLUSH_DELAY_MS);
    },
  };
}
