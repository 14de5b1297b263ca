/**
 * Sends the queue: at most two requests at a time (the app's own requests share WeChat's limit of
 * ten), one batch each. Follows the protocol's answers: 2xx drops the batch; 413 splits it; a refusal
 * for good (4xx other than 408, 413 and 429) drops it with a console warning, once per kind, in every
 * mode, since it means events are being lost (an unknown appid, a wrong server URL); 429, 502, 503,
 * 504, 408 or no answer keep it for a retry after an exponential backoff (capped) or the server's
 * Retry-After. Any other 5xx is retried too, but a batch the server fails on three times is dropped:
 * it may be the batch itself that breaks the server, and retrying it forever would hold a sending slot
 * for good. Buffered events go out when 20 are waiting, 5 s after the first one, or at once on flush()
 * (app hide).
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
/** 5xx answers (other than 502, 503, 504) after which a batch is dropped. */
export const MAX_SERVER_ERRORS = 3;

export type Sender = ReturnType<typeof createSender>;

interface ErrorBody {
  error?: { code?: string; message?: string; path?: string };
}

/** Answers that mean "not now" rather than "never": the server is busy, down or behind a gateway, or the request timed out. */
const transient = (status: number) =>
  !status || status === 408 || status === 429 || status === 502 || status === 503 || status === 504;

/** What a refusal for good means for the team, and a key so that each kind is told once. */
function refusal(status: number, body: unknown, url: string, app: string): [string, string] {
  const error = (body as ErrorBody | undefined)?.error || {};
  const { code } = error;
  let why = `HTTP ${status}${code ? ` ${code}: ${error.message}${error.path ? ` at ${error.path}` : ''}` : ''}`;
  if (status === 404)
    why = code === 'unknown_app' ? `appid ${app} is not registered there` : 'no Miniscope server there';
  return [`${status} ${code}`, `${url}: ${why}; events dropped`];
}

export function createSender(env: Env, store: Store, url: string, app: string, debug: boolean) {
  const inFlight: string[] = [];
  /** 5xx answers per batch id, for MAX_SERVER_ERRORS; per run, like the backoff */
  const errors: Record<string, number> = {};
  const warned: Record<string, boolean> = {};
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
    const { status, body } = result;
    const id = batch.batch;
    if (debug) log('log', 'answer', status, body);
    const serverErrors = countServerError(id, status);
    if (status >= 200 && status < 300) accepted(id, body);
    else if (status === 413) store.split(id);
    else if (!transient(status) && (status < 500 || serverErrors >= MAX_SERVER_ERRORS)) refused(id, status, body);
    else {
      // kept for a retry, so its 5xx count stays
      backOff(result.retryAfter);
      return;
    }
    delete errors[id];
  }

  /** The batch's count of 5xx answers that are not transient, this one included; any other answer resets it. */
  function countServerError(id: string, status: number): number {
    const count = status >= 500 && !transient(status) ? (errors[id] || 0) + 1 : 0;
    errors[id] = count;
    return count;
  }

  function accepted(id: string, body: unknown): void {
    failures = 0;
    store.drop(id);
    const rejected = (body as CollectAccepted | undefined)?.rejected;
    if (debug && rejected?.length) log('warn', 'rejected events', rejected);
  }

  /** A refusal for good: the batch is dropped, with a warning once per kind. */
  function refused(id: string, status: number, body: unknown): void {
    const [key, message] = refusal(status, body, url, app);
    if (!warned[key]) log('warn', message);
    warned[key] = true;
    store.drop(id);
  }

  /** Pauses sending for the server's Retry-After, or else the next step of the backoff. */
  function backOff(retryAfter: number | undefined): void {
    // one backoff step per failure round, even when both requests in flight fail
    if (env.now() < pauseUntil) return;
    failures++;
    const delay =
      retryAfter !== undefined && retryAfter >= 0
        ? retryAfter * 1000
        : Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_CAP_MS);
    pauseUntil = env.now() + delay;
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
