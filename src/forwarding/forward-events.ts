import type { FailureDetail } from '../errors/failure-detail.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';
import type { ForwardSource, ForwardStyle } from './policy/plan-forwards.js';

/** Payloads of the forwarding events. */
export interface ForwardEvents {
  /** A record was forwarded, at once or by a later attempt of the queue (never a trigger for the host's automation rules). */
  forwarded: { recordId: string; emailId: string; recipients: string[]; themeId: string; triggersAutomation: false };
  /** An attempt of a record's forward failed: for good, or (`willRetry`) to be tried again through the queue. */
  'forward-failed': { recordId: string; emailId: string; failure: FailureDetail; attempt: number; willRetry: boolean; triggersAutomation: false };
  /** The forwarding policy queued an automatic forward. */
  'auto-forward-queued': { mailbox: string; emailId: string; source: ForwardSource; style: ForwardStyle; recipients: string[] };
  /** The forwarding policy stopped an automatic forward; the history keeps it as `blocked`. */
  'auto-forward-blocked': { mailbox: string; emailId: string; source: ForwardSource; reason: string; recipients: string[] };
}

/** Typed forwarding events: record forwarding and the automatic forwarding policy. */
export class ForwardEventEmitter extends TypedEventEmitter<ForwardEvents> {}
