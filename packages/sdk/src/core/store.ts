/**
 * The persisted queue. Events wait in a buffer; when a request is about to go out, up to 50 of them
 * are sealed into a batch with its own id, user and device. A sealed batch never changes again, so a
 * retry sends the same `batch` id and events and the server can drop the duplicate. Everything is
 * written to storage after each change (deferred to the next tick, immediately on app hide), so the
 * queue survives the app being killed.
 */
import type { CollectEvent, CollectUser, SealedBatch } from '../protocol.js';
import type { Env } from './env.js';
import { newId, wellFormed } from './util.js';

export const STORAGE_KEY = 'miniscope';
/** Events per request: small enough for a slow network, well under the protocol's 500. */
export const BATCH_SIZE = 50;
/** Events kept at most (buffer and sealed batches together); the oldest go first. */
export const QUEUE_CAP = 1000;

/** What storage holds. Short keys: it is rewritten on every change. */
interface State {
  /** anonymous id, kept even after identify() */
  a: string;
  /** the user of the buffered events */
  u: CollectUser;
  /** event counter, gives event ids unique on this device */
  n: number;
  /** buffered events, not yet in a batch */
  b: CollectEvent[];
  /** sealed batches, oldest first */
  q: SealedBatch[];
}

export type Store = ReturnType<typeof createStore>;

function load(env: Env): State {
  const saved = env.storage.get(STORAGE_KEY) as State | undefined;
  if (saved && typeof saved.a === 'string' && saved.u && Array.isArray(saved.b) && Array.isArray(saved.q)) {
    // an id an older SDK kept may hold a lone surrogate, which the server refuses in every batch
    if (typeof saved.u.id !== 'string' || wellFormed(saved.u.id) !== saved.u.id) saved.u = { id: saved.a };
    return saved;
  }
  const a = `a${newId(env)}`;
  return { a, u: { id: a }, n: 0, b: [], q: [] };
}

export function createStore(env: Env, app: string) {
  let state: State;
  try {
    state = load(env);
  } catch {
    state = load({ ...env, storage: { get: () => undefined, set() {} } });
  }
  let writePending = false;

  function write(): void {
    writePending = false;
    env.storage.set(STORAGE_KEY, state);
  }

  function count(): number {
    let n = state.b.length;
    for (const batch of state.q) n += batch.events.length;
    return n;
  }

  function sealed(events: CollectEvent[]): SealedBatch {
    return { v: 1, app, batch: newId(env), user: { ...state.u }, device: env.device(), events };
  }

  return {
    user: (): CollectUser => state.u,
    buffered: (): number => state.b.length,
    batches: (): readonly SealedBatch[] => state.q,

    /** Persists now (`now`), or once at the end of the current tick. */
    save(now?: boolean): void {
      if (now) write();
      else if (!writePending) {
        writePending = true;
        env.later(() => writePending && write(), 0);
      }
    },

    nextEventId(): string {
      return (state.n++).toString(36);
    },

    push(event: CollectEvent): void {
      state.b.push(event);
      while (count() > QUEUE_CAP) {
        if (state.q.length) state.q.shift();
        else state.b.shift();
      }
      this.save();
    },

    /** Seals the oldest buffered events (at most BATCH_SIZE) into a new batch at the end of the queue. */
    seal(): SealedBatch | undefined {
      if (!state.b.length) return undefined;
      const batch = sealed(state.b.splice(0, BATCH_SIZE));
      state.q.push(batch);
      this.save();
      return batch;
    },

    /** Changes the user; the events buffered so far are sealed first, since a batch has one user. */
    setUser(user: CollectUser): void {
      if (user.id !== state.u.id) while (this.seal());
      state.u = user;
      this.save();
    },

    drop(id: string): void {
      state.q = state.q.filter((batch) => batch.batch !== id);
      this.save();
    },

    /** Replaces a batch the server found too large by its two halves, each with a new id. */
    split(id: string): void {
      const i = state.q.findIndex((batch) => batch.batch === id);
      const batch = state.q[i];
      if (!batch) return;
      const { events } = batch;
      const half = Math.ceil(events.length / 2);
      const parts = events.length > 1 ? [events.slice(0, half), events.slice(half)] : [];
      state.q.splice(i, 1, ...parts.map((part) => ({ ...batch, batch: newId(env), events: part })));
      this.save();
    },
  };
}
