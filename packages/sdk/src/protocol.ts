/**
 * Protocol v1 as the SDK sends it (docs/spec/protocol.md). The wire types come from
 * @miniscope/contract; the limits are copied from packages/contract/src/collect.ts because that module
 * imports zod, which must not reach the bundle. test/contract.test.ts checks the copies still match.
 */
import type { CollectBatch, CollectEvent } from '@miniscope/contract';

export type {
  CollectAccepted,
  CollectBatch,
  CollectDevice,
  CollectEvent,
  CollectUser,
  RejectedEvent,
} from '@miniscope/contract';

/** contract EVENT_NAME_PATTERN */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
/** contract MAX_PATH_LENGTH */
export const MAX_PATH_LENGTH = 256;
/** contract MAX_PROPS, MAX_PROP_KEY_LENGTH, MAX_PROP_STRING_LENGTH */
export const MAX_PROPS = 32;
export const MAX_PROP_KEY_LENGTH = 64;
export const MAX_PROP_STRING_LENGTH = 512;
/** contract MAX_LEAVE_DURATION_MS: a longer `dur` is rejected, so the SDK clamps to it. */
export const MAX_LEAVE_DURATION_MS = 24 * 60 * 60 * 1000;
/** contract userSchema: `id` ≤ 128, `birth_year` 1900–2100. */
export const MAX_USER_ID_LENGTH = 128;

/** An event before the core stamps it with `id`, `ts` and `sid`. */
export type EventBody = CollectEvent extends infer E
  ? E extends CollectEvent
    ? Omit<E, 'id' | 'ts' | 'sid'>
    : never
  : never;

/** A batch as kept in the queue: everything but `sent_at`, which is set at each send. */
export type SealedBatch = Omit<CollectBatch, 'sent_at'>;
