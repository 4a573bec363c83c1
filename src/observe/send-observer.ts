import { silentLogger, type Logger } from '../logger.js';
import type { QueueEventEmitter, QueueEvents } from '../queue/queue-events.js';
import type { AttemptInfo, AttemptSpan, SendTelemetry } from './send-telemetry.js';

/**
 * Where sending is observed, for interactive and queued email alike: each attempt's span and
 * latency, the typed events, the email counters and one log entry per outcome (at info, or
 * warn for a failure, with the email id, provider and failure code). Cheap when nothing
 * observes: no logger, no telemetry and no listener cost a few calls per email.
 */
export class SendObserver {
  private readonly logging: boolean;

  constructor(
    /** The typed events listeners subscribe to. */
    readonly events: QueueEventEmitter,
    private readonly logger: Logger,
    private readonly telemetry: SendTelemetry,
  ) {
    this.logging = logger !== silentLogger;
  }

  /** An attempt starts (the provider is about to be called): its span, and the `sending` event. */
  attemptStarted(info: AttemptInfo, startMs: number): AttemptSpan {
    const span = this.telemetry.startAttempt(info, startMs);
    this.events.emit('sending', info);
    if (this.logging) this.logger.debug({ ...info }, 'sending email');
    return span;
  }

  /** An email was sent (or exported). */
  sent(event: QueueEvents['sent'], response?: string): void {
    this.telemetry.count('sent', event);
    this.events.emit('sent', event);
    if (this.logging) this.logger.info({ ...event, ...(response !== undefined ? { response } : {}) }, event.forced ? 'email sent over the per-minute limit' : 'email sent');
  }

  /** An email failed for good. */
  failed(event: QueueEvents['failed']): void {
    const { failure, ...rest } = event;
    this.telemetry.count('failed', { ...rest, code: failure.code });
    this.events.emit('failed', event);
    if (this.logging) this.logger.warn({ ...rest, code: failure.code, permanent: failure.permanent, reason: failure.message }, 'email failed');
  }

  /** An attempt failed transiently; the email waits for the next one. */
  retrying(event: QueueEvents['retrying']): void {
    const { failure, ...rest } = event;
    this.telemetry.count('retried', { ...rest, mode: 'batch', code: failure.code });
    this.events.emit('retrying', event);
    if (this.logging) this.logger.warn({ ...rest, mode: 'batch', code: failure.code, reason: failure.message }, 'email attempt failed; it will be retried');
  }

  /** The per-minute limit deferred an email. */
  deferred(event: QueueEvents['deferred']): void {
    this.telemetry.count('deferred', { ...event, mode: 'batch' });
    this.events.emit('deferred', event);
    if (this.logging) this.logger.info({ ...event, mode: 'batch' }, 'email deferred by the per-minute limit');
  }

  /** An email is about to be sent over the per-minute limit, after its maximum deferrals. */
  forced(event: QueueEvents['forced']): void {
    this.telemetry.count('forced', { ...event, mode: 'batch' });
    this.events.emit('forced', event);
  }
}
