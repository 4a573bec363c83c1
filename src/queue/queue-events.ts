import type { FailureDetail } from '../errors/failure-detail.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';

/** Payloads of the queue's typed events. */
export interface QueueEvents {
  /** An email was queued (or queued again by `history.retry`); `dueAt` is ISO 8601 UTC. */
  queued: { emailId: string; priority: number; dueAt: string };
  /** An attempt to send an email starts. */
  sending: { emailId: string; providerId: string; attempt: number };
  /** An email was sent (or exported); `forced` when sent over the throttle limit. */
  sent: { emailId: string; providerId: string; attempt: number; forced: boolean };
  /** The throttle deferred an email until `dueAt` (ISO 8601 UTC). */
  deferred: { emailId: string; providerId: string; deferrals: number; dueAt: string };
  /** An attempt failed temporarily; the email is tried again at `dueAt` (ISO 8601 UTC). */
  retrying: { emailId: string; providerId: string; attempt: number; dueAt: string; failure: FailureDetail };
  /** An email failed for good (permanent failure, attempts used up, or cancelled). */
  failed: { emailId: string; providerId: string; attempt: number; failure: FailureDetail };
  /** An email is sent over the throttle limit, after its maximum deferrals. */
  forced: { emailId: string; providerId: string; deferrals: number };
}

/** Name of a queue event. */
export type QueueEventName = keyof QueueEvents;

/** A typed event emitter for the queue (BullMQ-style names). */
export class QueueEventEmitter extends TypedEventEmitter<QueueEvents> {}
