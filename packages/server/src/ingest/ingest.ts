/**
 * The ingest pipeline behind `POST /collect`: decoded body → envelope → app → idempotence →
 * per-event steps → location → rows → group commit. Envelope problems throw a MiniscopeError; event
 * problems are listed in the answer and counted per reason.
 */
import {
  type CollectAccepted,
  envelopeSchema,
  MAX_EVENTS_PER_BATCH,
  REJECT_REASONS,
  type RejectedEvent,
  type RejectReason,
} from '@miniscope/contract';
import { MiniscopeError } from '../errors.js';
import type { Apps } from '../meta/apps.js';
import { type Collector, CollectorFullError } from './collector.js';
import { BatchRefusedError, UnsettledError } from './flush-writer.js';
import type { Geo } from './geo.js';
import type { BatchLedger } from './ledger.js';
import { toBatchLine } from './rows.js';
import { issuePath, validateEvents } from './validate.js';

export interface IngestDeps {
  apps: Apps;
  ledger: BatchLedger;
  collector: Collector;
  geo: Geo;
  lateDataDays: number;
  /** Called once a batch is stored, with its earliest event time (late events hasten compaction). */
  onStored?: (oldestAt: number) => void;
}

export interface IngestCounters {
  batches: number;
  duplicateBatches: number;
  eventsAccepted: number;
  rejected: Record<RejectReason, number>;
  requestErrors: Record<string, number>;
}

export const RETRY_AFTER_SECONDS = 5;

export class Ingest {
  readonly counters: IngestCounters = {
    batches: 0,
    duplicateBatches: 0,
    eventsAccepted: 0,
    rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
    requestErrors: {},
  };

  private closing = false;

  constructor(private readonly deps: IngestDeps) {}

  /** Count a request-level error (called by the HTTP layer for every error answer). */
  countError(code: string): void {
    this.counters.requestErrors[code] = (this.counters.requestErrors[code] ?? 0) + 1;
  }

  async collect(body: unknown, clientIp: string | undefined, receivedAt = Date.now()): Promise<CollectAccepted> {
    const envelope = parseEnvelope(body);
    if (!this.deps.apps.get(envelope.app))
      throw new MiniscopeError('unknown_app', `unknown app ${envelope.app}`, { path: 'app' });

    const { accepted, rejected } = validateEvents(envelope.events, {
      receivedAt,
      sentAt: envelope.sent_at,
      lateDataDays: this.deps.lateDataDays,
    });

    const { ledger } = this.deps;
    if (ledger.pending(envelope.app, envelope.batch)) return this.afterCopyInFlight(envelope.app, envelope.batch);
    if (this.closing) throw unavailable('the server is stopping; retry later', 'stopping');
    const oldestAt = accepted.reduce((min, a) => Math.min(min, a.at), receivedAt);
    if (await ledger.seen(envelope.app, envelope.batch, oldestAt, receivedAt)) return this.duplicate();
    // A copy sent at the same moment may have started storing while we looked.
    if (ledger.pending(envelope.app, envelope.batch)) return this.afterCopyInFlight(envelope.app, envelope.batch);
    if (accepted.length === 0) {
      ledger.remember(envelope.app, envelope.batch, receivedAt);
      return this.answered(0, rejected);
    }

    const place = this.deps.geo.locate(clientIp);
    const line = toBatchLine(
      { app: envelope.app, batch: envelope.batch, user: envelope.user, device: envelope.device, place, receivedAt },
      accepted,
    );
    const key = { app: envelope.app, batch: envelope.batch };
    const stored = this.deps.collector.add(line, accepted.length, key, receivedAt);
    ledger.track(envelope.app, envelope.batch, stored, receivedAt);
    try {
      await stored;
    } catch (error) {
      throw writeError(error);
    }
    this.deps.onStored?.(oldestAt);
    return this.answered(accepted.length, rejected);
  }

  /** Throws the overload answer when the queue would refuse a batch anyway (before any parsing). */
  refuseIfOverloaded(): void {
    const refusal = this.deps.collector.refusal();
    if (refusal) throw writeError(refusal);
  }

  /** After this, new batches are refused with 503 (those already queued are still written). */
  close(): void {
    this.closing = true;
  }

  get stopping(): boolean {
    return this.closing;
  }

  /**
   * Counted once the batch is in, so a batch refused with 503 and sent again counts once; a later
   * copy is answered above as a duplicate.
   */
  private answered(accepted: number, rejected: RejectedEvent[]): CollectAccepted {
    this.counters.batches++;
    this.counters.eventsAccepted += accepted;
    for (const r of rejected) this.counters.rejected[r.reason]++;
    return { ok: true, accepted, rejected };
  }

  /** Another copy of this batch is being stored: answer as its duplicate once it is in. */
  private async afterCopyInFlight(app: string, batch: string): Promise<CollectAccepted> {
    const pending = this.deps.ledger.pending(app, batch)!;
    if (pending.settling) throw unavailable('an earlier copy of this batch is still being stored; retry later');
    try {
      await pending.done;
    } catch (error) {
      if (error instanceof BatchRefusedError) throw writeError(error);
      throw unavailable('an earlier copy of this batch failed to store; retry');
    }
    return this.duplicate();
  }

  private duplicate(): CollectAccepted {
    this.counters.duplicateBatches++;
    return { ok: true, accepted: 0, rejected: [], duplicate: true };
  }
}

function unavailable(
  message: string,
  code: 'store_unavailable' | 'overloaded' | 'stopping' = 'store_unavailable',
  retryAfter = RETRY_AFTER_SECONDS,
): MiniscopeError {
  return new MiniscopeError(code, message, { headers: { 'retry-after': String(retryAfter) } });
}

/** The answer to a batch the collector did not store (collector.ts, flush-writer.ts). */
function writeError(error: unknown): MiniscopeError {
  // Overload: senders are spread over 5–10 s, so that they do not all come back at once.
  if (error instanceof CollectorFullError) {
    return unavailable(
      'the server is busy; retry later',
      'overloaded',
      RETRY_AFTER_SECONDS + Math.floor(Math.random() * 6),
    );
  }
  if (error instanceof BatchRefusedError) return new MiniscopeError('unstorable_batch', error.message);
  if (error instanceof UnsettledError)
    return unavailable('the event store has not confirmed the batch yet; retry later');
  // The engine's own message is in the server's log (flush-writer.ts); the sender only needs to retry.
  return unavailable('the event store did not take the batch; retry later');
}

/** Check the envelope; the first problem becomes a 400 naming the field. */
function parseEnvelope(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MiniscopeError('bad_envelope', 'the body must be a JSON object');
  }
  const v = (body as { v?: unknown }).v;
  if (v !== 1)
    throw new MiniscopeError(
      'unsupported_version',
      `protocol version ${JSON.stringify(v)} is not supported; send v: 1`,
      { path: 'v' },
    );
  const events = (body as { events?: unknown }).events;
  if (Array.isArray(events) && events.length > MAX_EVENTS_PER_BATCH) {
    throw new MiniscopeError('too_many_events', `a batch holds at most ${MAX_EVENTS_PER_BATCH} events; split it`, {
      path: 'events',
    });
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MiniscopeError('bad_envelope', issue.message, { path: issuePath('', issue.path) || undefined });
  }
  return parsed.data;
}
