/**
 * The seams between the platform-free core and a runtime adapter (the `wx` one in ../wx): clock,
 * timers, randomness, storage, transport and device facts. Tests inject fakes here.
 */
import type { CollectDevice } from '../protocol.js';

/** What came back for one POST; `status` 0 means the request never got an HTTP answer. */
export interface SendResult {
  status: number;
  /** `Retry-After`, in seconds, when the server sent one. */
  retryAfter?: number;
  body?: unknown;
}

export type Transport = (url: string, body: string, done: (result: SendResult) => void) => void;

export interface Storage {
  get(key: string): unknown;
  /** Must not block; the write may finish later, but must be started before it returns. */
  set(key: string, value: unknown): void;
}

/** Where the current open started, as `wx.onAppShow` reports it. */
export interface EnterOptions {
  scene?: number;
  path?: string;
}

export interface Env {
  now(): number;
  later(fn: () => void, ms: number): void;
  random(): number;
  storage: Storage;
  send: Transport;
  device(): CollectDevice;
  /** The current open's entry, for when the SDK missed the show (late init, odd hook order). */
  enter(): EnterOptions;
}
