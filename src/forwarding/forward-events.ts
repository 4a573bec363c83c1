import type { FailureDetail } from '../errors/failure-detail.js';
import { TypedEventEmitter } from '../typed-event-emitter.js';

/** Payloads of the forwarding events. */
export interface ForwardEvents {
  forwarded: { recordId: string; emailId: string; recipients: string[]; themeId: string; triggersAutomation: false };
  'forward-failed': { recordId: string; emailId: string; failure: FailureDetail; willRetry: false; triggersAutomation: false };
}

/** Typed forwarding events. Neither event is a trigger for the host's automation rules. */
export class ForwardEventEmitter extends TypedEventEmitter<ForwardEvents> {}
