/**
 * The collection protocol, version 1 (docs/spec/protocol.md): the shapes a sender posts to
 * `POST /collect` and the answers it gets. The server validates with these schemas; the SDK builds
 * its batches from the same types, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';

export const PROTOCOL_VERSION = 1;
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_PATH_LENGTH = 256;
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const MAX_PROPS = 32;
export const MAX_PROP_KEY_LENGTH = 64;
export const MAX_PROP_STRING_LENGTH = 512;
/** A single page showing longer than a day is not a real stay: the sender's timer went wrong. */
export const MAX_LEAVE_DURATION_MS = 24 * 60 * 60 * 1000;
/** Logical pixels; the store keeps them in 16 bits, and no screen comes near. */
export const MAX_SCREEN_SIDE = 65535;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a string is well-formed UTF-16, i.e. has no lone surrogate. A lone surrogate has no
 * UTF-8 form: the event store refuses it (and with it every batch written in the same insert), so
 * every string of the protocol must pass this. NOTE: JSON may carry one as an escape (`"\ud83d"`).
 */
export function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !LONE_SURROGATE.test(text);
}

const NOT_WELL_FORMED = 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
/** A protocol string: at most `max` UTF-16 units, and well-formed. */
const text = (min: number, max: number) => z.string().min(min).max(max).refine(isWellFormed, NOT_WELL_FORMED);
const shortText = (max: number) => text(0, max);
const epochMs = z.number().int().positive().max(8.64e15);

export const userSchema = z.object({
  id: text(1, 128),
  gender: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  birth_year: z.number().int().min(1900).max(2100).optional(),
});

export const deviceSchema = z.object({
  brand: shortText(64).optional(),
  model: shortText(64).optional(),
  platform: shortText(32).optional(),
  system: shortText(64).optional(),
  wechat: shortText(32).optional(),
  baselib: shortText(32).optional(),
  network: shortText(16).optional(),
  screen: z
    .tuple([z.number().int().min(0).max(MAX_SCREEN_SIDE), z.number().int().min(0).max(MAX_SCREEN_SIDE)])
    .optional(),
  language: shortText(16).optional(),
});

/** The envelope; events are checked one by one so that one bad event does not sink the batch. */
export const envelopeSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  app: text(1, 64),
  batch: text(1, 64),
  sent_at: epochMs,
  user: userSchema,
  device: deviceSchema.optional(),
  events: z.array(z.unknown()).min(1),
});

const eventBase = {
  id: text(1, 64),
  ts: epochMs,
  sid: text(1, 64),
};
const path = text(1, MAX_PATH_LENGTH);
const propValue = z.union([
  shortText(MAX_PROP_STRING_LENGTH),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.boolean(),
]);
const props = z
  .record(text(1, MAX_PROP_KEY_LENGTH), propValue)
  .refine((p) => Object.keys(p).length <= MAX_PROPS, `at most ${MAX_PROPS} props`);

export const openEventSchema = z.object({
  ...eventBase,
  t: z.literal('open'),
  scene: z.number().int().min(0).max(65535),
  path,
  cold: z.boolean(),
});
export const pvEventSchema = z.object({ ...eventBase, t: z.literal('pv'), path });
export const leaveEventSchema = z.object({
  ...eventBase,
  t: z.literal('leave'),
  path,
  dur: z.number().int().min(0).max(MAX_LEAVE_DURATION_MS),
});
export const shareEventSchema = z.object({
  ...eventBase,
  t: z.literal('share'),
  path,
  to: z.enum(['chat', 'timeline']),
});
export const hideEventSchema = z.object({ ...eventBase, t: z.literal('hide') });
export const customEventSchema = z.object({
  ...eventBase,
  t: z.literal('event'),
  path: path.optional(),
  name: z.string().regex(EVENT_NAME_PATTERN, 'lower-case letters, digits and _, starting with a letter, at most 32'),
  props: props.optional(),
});

export const EVENT_TYPES = ['open', 'pv', 'leave', 'share', 'hide', 'event'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const eventSchemas = {
  open: openEventSchema,
  pv: pvEventSchema,
  leave: leaveEventSchema,
  share: shareEventSchema,
  hide: hideEventSchema,
  event: customEventSchema,
} as const;

export type OpenEvent = z.infer<typeof openEventSchema>;
export type PvEvent = z.infer<typeof pvEventSchema>;
export type LeaveEvent = z.infer<typeof leaveEventSchema>;
export type ShareEvent = z.infer<typeof shareEventSchema>;
export type HideEvent = z.infer<typeof hideEventSchema>;
export type CustomEvent = z.infer<typeof customEventSchema>;
export type CollectEvent = OpenEvent | PvEvent | LeaveEvent | ShareEvent | HideEvent | CustomEvent;
export type CollectUser = z.infer<typeof userSchema>;
export type CollectDevice = z.infer<typeof deviceSchema>;

/** What a sender posts. */
export interface CollectBatch {
  v: 1;
  app: string;
  batch: string;
  sent_at: number;
  user: CollectUser;
  device?: CollectDevice;
  events: CollectEvent[];
}

/** Why one event of a valid batch was not stored: a closed set, counted per reason by the server. */
export const REJECT_REASONS = ['invalid_type', 'invalid_field', 'duplicate_id', 'in_future', 'too_old'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface RejectedEvent {
  /** The event's `id`, or null when it had none. */
  id: string | null;
  /** Its position in `events`. */
  index: number;
  reason: RejectReason;
  /** The field at fault, e.g. `events[3].dur`, for invalid_field. */
  path?: string;
  message: string;
}

export interface CollectAccepted {
  ok: true;
  accepted: number;
  rejected: RejectedEvent[];
  duplicate?: true;
}

/** Errors of the whole request (their HTTP statuses: errors.ts, the one vocabulary). */
export const COLLECT_ERRORS = [
  'bad_json',
  'bad_encoding',
  'bad_envelope',
  'unsupported_version',
  'unsupported_media_type',
  'unknown_app',
  'body_too_large',
  'too_many_events',
  'unstorable_batch',
  'overloaded',
  'store_unavailable',
  'stopping',
] as const satisfies readonly ErrorCode[];
export type CollectErrorCode = (typeof COLLECT_ERRORS)[number];

export interface CollectError {
  ok: false;
  error: { code: CollectErrorCode; message: string; path?: string };
}
