import type { FailureDetail } from '../errors/failure-detail.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';
import type { ForwardSource, ForwardStyle } from './policy/plan-forwards.js';

/** Payloads of the forwarding events. */
export interface ForwardEvents {
  /** A record was forwarded (never a trigger for the host's automation rules). */
  forwarded: { recordId: string; emailId: string; recipients: string[]; themeId: string; triggersAutomation: false };
  /** A record's forward failed for good. */
  'forward-failed': { recordId: string; emailId: string; failure: FailureDetail; willRetry: false; triggersAutomation: false };
  /** The forwarding policy queued an automatic forward. */
  'auto-forward-queued': { mailbox: string; emailId: string; source: ForwardSource; style: ForwardStyle; recipients: string[] };
  /** The forwarding policy stopped an automatic forward; the history keeps it as `blocked`. */
  'auto-forward-blocked': { mailbox: string; emailId: string; source: ForwardSource; reason: string; recipients: string[] };
}

/** Typed forwarding events: record forwarding and the automatic forwarding policy. */
export class ForwardEventEmitter extends TypedEventEmitter<ForwardEvents> {}
