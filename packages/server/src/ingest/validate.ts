/**
 * Per-event checks of an accepted envelope, as a list of named steps. Each step may reject an event
 * with a reason from the protocol's closed set; the rest of the batch is stored regardless.
 */
import {
  type CollectEvent,
  EVENT_TYPES,
  type EventType,
  eventSchemas,
  type RejectedEvent,
  type RejectReason,
} from '@miniscope/contract';
import { fastCheck } from './fast-check.js';

/** Corrected times more than this far ahead of the server's clock are refused. */
export const MAX_FUTURE_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ClockContext {
  receivedAt: number;
  sentAt: number;
  lateDataDays: number;
}

export interface AcceptedEvent {
  event: CollectEvent;
  /** The event's time on the server's clock: ts + (received_at − sent_at). */
  at: number;
}

/** A schema issue's location as the protocol writes it: `events[3].props.sku`. */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  const tail = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return prefix ? `${prefix}${tail}` : tail.replace(/^\./, '');
}

type Rejection = { reason: RejectReason; message: string; path?: string };

function checkShape(raw: unknown, index: number): CollectEvent | Rejection {
  const valid = fastCheck(raw);
  if (valid) return valid;
  const where = `events[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { reason: 'invalid_field', message: 'an event must be an object', path: where };
  }
  const type = (raw as { t?: unknown }).t;
  if (!EVENT_TYPES.includes(type as EventType)) {
    return { reason: 'invalid_type', message: `unknown event type ${JSON.stringify(type)}`, path: `${where}.t` };
  }
  const parsed = eventSchemas[type as EventType].safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return { reason: 'invalid_field', message: issue.message, path: issuePath(where, issue.path) };
}

function checkClock(event: CollectEvent, clock: ClockContext): number | Rejection {
  const at = event.ts + (clock.receivedAt - clock.sentAt);
  if (at > clock.receivedAt + MAX_FUTURE_MS) {
    return { reason: 'in_future', message: 'the corrected time is more than 10 minutes in the future' };
  }
  if (at < clock.receivedAt - clock.lateDataDays * DAY_MS) {
    return { reason: 'too_old', message: `the corrected time is older than ${clock.lateDataDays} days` };
  }
  return at;
}

/** The steps in order: shape, unique id, clock. */
function checkEvent(raw: unknown, index: number, seenIds: Set<string>, clock: ClockContext): AcceptedEvent | Rejection {
  const event = checkShape(raw, index);
  if (isRejection(event)) return event;
  if (seenIds.has(event.id)) {
    return { reason: 'duplicate_id', message: `id ${JSON.stringify(event.id)} appears earlier in the batch` };
  }
  seenIds.add(event.id);
  const at = checkClock(event, clock);
  return isRejection(at) ? at : { event, at };
}

const isRejection = (v: unknown): v is Rejection => typeof v === 'object' && v !== null && 'reason' in v;

/** Run every step over the batch's events. */
export function validateEvents(
  rawEvents: unknown[],
  clock: ClockContext,
): { accepted: AcceptedEvent[]; rejected: RejectedEvent[] } {
  const accepted: AcceptedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const seenIds = new Set<string>();
  rawEvents.forEach((raw, index) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? rawId : null;
    const outcome = checkEvent(raw, index, seenIds, clock);
    if (isRejection(outcome)) rejected.push({ id, index, ...outcome });
    else accepted.push(outcome);
  });
  return { accepted, rejected };
}
