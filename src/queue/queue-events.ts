import type { FailureDetail } from '../errors/failure-detail.js';
import type { SendMode } from '../providers/provider.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';

/**
 * Payloads of the typed send events. Queued email (the distributor) and email sent at once
 * (`send()`, `sendTestEmail()`, record forwarding) emit the same `sending`, `sent` and
 * `failed` events; `mode` tells them apart.
 */
export interface QueueEvents {
  /** An email was queued (or queued again by `history.retry`); `dueAt` is ISO 8601 UTC. */
  queued: { emailId: string; priority: number; dueAt: string };
  /** An attempt to send an email starts: the provider is called. */
  sending: { emailId: string; providerId: string; attempt: number; mode: SendMode };
  /** An email was sent (or exported); `forced` when sent over the throttle limit. */
  sent: { emailId: string; providerId: string; attempt: number; forced: boolean; mode: SendMode };
  /** The throttle deferred an email until `dueAt` (ISO 8601 UTC). */
  deferred: { emailId: string; providerId: string; deferrals: number; dueAt: string };
  /** An attempt failed temporarily; the email is tried again at `dueAt` (ISO 8601 UTC). */
  retrying: { emailId: string; providerId: string; attempt: number; dueAt: string; failure: FailureDetail };
  /** An email failed for good (permanent failure, attempts used up, or cancelled). */
  failed: { emailId: string; providerId: string; attempt: number; failure: FailureDetail; mode: SendMode };
  /** An email is sent over the throttle limit, after its maximum deferrals. */
  forced: { emailId: string; providerId: string; deferrals: number };
}

/** Name of a queue event. */
export type QueueEventName = keyof QueueEvents;

/**
 * A typed event emitter for the send events (BullMQ-style names). A listener that throws is
 * logged and never stops sending (see {@link TypedEventEmitter}).
 */
export class QueueEventEmitter extends TypedEventEmitter<QueueEvents> {}
