import type { FailureDetail } from '../errors/failure-detail.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';

/** Payloads of the queue's typed events. */
export interface QueueEvents {
  queued: { emailId: string; priority: number; dueAt: string };
  sending: { emailId: string; providerId: string; attempt: number };
  sent: { emailId: string; providerId: string; attempt: number; forced: boolean };
  deferred: { emailId: string; providerId: string; deferrals: number; dueAt: string };
  retrying: { emailId: string; providerId: string; attempt: number; dueAt: string; failure: FailureDetail };
  failed: { emailId: string; providerId: string; attempt: number; failure: FailureDetail };
  forced: { emailId: string; providerId: string; deferrals: number };
}

/** Name of a queue event. */
export type QueueEventName = keyof QueueEvents;

/** A typed event emitter for the queue (BullMQ-style names). */
export class QueueEventEmitter extends TypedEventEmitter<QueueEvents> {}
