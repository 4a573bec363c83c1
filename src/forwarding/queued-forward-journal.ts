import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import type { Logger } from '../logger.js';
import type { QueueEventEmitter, QueueEvents } from '../queue/queue-events.js';
import type { EmailRecord } from '../store/email-record.js';
import type { Store } from '../store/store.js';
import type { ForwardEventEmitter } from './forward-events.js';
import { QUEUED_FORWARD_META, type QueuedForwardFacts } from './queued-forward-retry.js';
import type { RecordJournal } from './record-journal.js';

/** What {@link journalQueuedForwards} needs. */
export interface QueuedForwardJournalDeps {
  queueEvents: QueueEventEmitter;
  forwardingEvents: ForwardEventEmitter;
  store: Pick<Store, 'getEmail'>;
  journal: RecordJournal;
  clock: Clock;
  logger: Logger;
  /** Keeps the journal writes in flight, so that closing waits for them. */
  track(work: Promise<unknown>): void;
}

/** The record forward an email retries, from its history meta; undefined for any other email. */
function retriedForward(email: EmailRecord | undefined): { email: EmailRecord; recordId: string; themeId: string; facts: QueuedForwardFacts } | undefined {
  const facts = email?.meta[QUEUED_FORWARD_META] as QueuedForwardFacts | undefined;
  if (email === undefined || typeof facts?.note !== 'string') return undefined;
  return { email, recordId: String(email.meta.recordId), themeId: String(email.meta.themeId), facts };
}

/**
 * Writes each attempt the queue makes of a record forward to the record's journal, as
 * the distributor reports it (its `sent`, `retrying` and `failed` events): the note and
 * the recipients when it goes, an error entry (with the attempt number, the first attempt
 * being the forward itself) when it fails. Emits `forwarded` / `forward-failed` as a
 * forward made at once does. Returns a function that stops listening.
 */
export function journalQueuedForwards(deps: QueuedForwardJournalDeps): () => void {
  const { journal, forwardingEvents, clock } = deps;
  const handle = <K extends 'sent' | 'retrying' | 'failed'>(name: K, write: (forward: NonNullable<ReturnType<typeof retriedForward>>, event: QueueEvents[K]) => Promise<void>) => {
    const listener = (event: QueueEvents[K]): void => {
      const work = deps.store
        .getEmail(event.emailId)
        .then(async (email) => {
          const forward = retriedForward(email);
          if (forward !== undefined) await write(forward, event);
        })
        .catch((error: unknown) => deps.logger.error({ emailId: event.emailId, err: error }, 'could not write a queued record forward to its journal'));
      deps.track(work);
    };
    return deps.queueEvents.on(name, listener);
  };

  const failedAttempt = async ({ email, recordId, themeId, facts }: NonNullable<ReturnType<typeof retriedForward>>, attempt: number, failure: FailureDetail, retry: string, willRetry: boolean) => {
    const at = toIso(clock.now());
    await journal.append({ kind: 'error', recordId, emailId: email.id, themeId, failure, headers: facts.headers, attempt, retry, triggersAutomation: false, at });
    forwardingEvents.emit('forward-failed', { recordId, emailId: email.id, failure, attempt, willRetry, triggersAutomation: false });
  };

  const stops = [
    handle('sent', async ({ email, recordId, themeId, facts }) => {
      const at = toIso(clock.now());
      await journal.append({ kind: 'note', recordId, emailId: email.id, text: facts.note, themeId, triggersAutomation: false, at });
      const recipients = email.recipients.filter((r) => r.kind === 'to' || r.kind === 'cc');
      for (const { kind, address, name } of recipients) {
        await journal.append({ kind: 'timeline', recordId, emailId: email.id, recipient: { address, ...(name !== undefined ? { name } : {}), role: kind as 'to' | 'cc' }, triggersAutomation: false, at });
      }
      forwardingEvents.emit('forwarded', { recordId, emailId: email.id, recipients: recipients.map((r) => r.address), themeId, triggersAutomation: false });
    }),
    handle('retrying', (forward, event) => failedAttempt(forward, event.attempt + 1, event.failure, `temporary failure: tried again through the queue from ${event.dueAt}`, true)),
    handle('failed', (forward, event) =>
      failedAttempt(
        forward,
        event.attempt + 1,
        event.failure,
        event.failure.permanent ? 'will not be retried' : `temporary failure: no attempt left (the queue tried ${event.attempt} times); retry it from the history or forward again`,
        false,
      ),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
