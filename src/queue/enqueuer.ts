import type { Clock } from '../clock/clock.js';
import { toIso } from '../clock/clock.js';
import { frozenClock } from '../clock/frozen-clock.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../errors/mailwright-error.js';
import { domainOf, parseAddress } from '../message/address.js';
import { assertWithinSizeLimit, encodedSizeUpperBound } from '../message/encode-message.js';
import type { Address, MessageInput } from '../message/message.js';
import { checkMessageShape, validateMessage } from '../message/validate-message.js';
import type { EmailParameters } from '../parameters/email-parameters.js';
import type { ParametersService } from '../parameters/parameters-service.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { newEmailRecord } from '../send/new-email-record.js';
import type { NewEmailRecord } from '../store/email-record.js';
import type { Store } from '../store/store.js';
import { requireUser } from '../users/require-user.js';
import { userFromAddress } from '../users/sender-identity.js';
import type { UserDirectory } from '../users/user-directory.js';
import { serializeMessage } from './message-payload.js';
import { parseEnqueueOptions, type EnqueueOptions, type ParsedEnqueueOptions } from './enqueue-options.js';
import type { QueueEventEmitter } from './queue-events.js';

/** One email of `enqueueMany()`. */
export interface EnqueueItem {
  /** The email to queue. */
  message: MessageInput;
  /** Its queue options (priority, sendAfter, idempotency key, user, meta). */
  options?: EnqueueOptions;
}

/** Dependencies of {@link Enqueuer}. */
export interface EnqueuerDeps {
  store: Store;
  clock: Clock;
  users: UserDirectory;
  providers: ProviderRegistry;
  parameters: ParametersService;
  events: QueueEventEmitter;
  messageIdDomain?: string;
  /** Folder attachment paths must be inside. @default any */
  attachmentRoot?: string;
}

/**
 * Puts non-interactive email in the persistent queue, validated exactly like
 * `send()`: nothing invalid is queued, and a queued email is never lost.
 */
export class Enqueuer {
  constructor(private readonly deps: EnqueuerDeps) {}

  /** Validates one email and queues it for the distributor; returns its id (the existing email's id for a known idempotency key). */
  async enqueue(input: MessageInput, given: EnqueueOptions = {}): Promise<string> {
    const { store } = this.deps;
    const options = parseEnqueueOptions(given);
    if (options.idempotencyKey !== undefined) {
      const existing = await store.findByIdempotencyKey(options.idempotencyKey);
      if (existing !== undefined) return existing.id;
    }
    const params = await this.deps.parameters.get();
    const record = await this.prepare(input, options, params, frozenClock(this.deps.clock));
    try {
      await store.insertEmail(record);
    } catch (error) {
      // Another caller queued the same key between our lookup and insert.
      if (isMailwrightError(error, ErrorCodes.IDEMPOTENCY_KEY_CONFLICT) && typeof error.details.existingEmailId === 'string') {
        return error.details.existingEmailId;
      }
      throw error;
    }
    this.deps.events.emit('queued', { emailId: record.id, priority: record.priority, dueAt: record.dueAt });
    return record.id;
  }

  /**
   * Queues many emails at once, all or nothing: every email is validated (and
   * checked against the size limit) before one transaction inserts them all.
   * Emails whose idempotency key already exists keep
   * their id and are not queued again. Returns the ids in input order.
   */
  async enqueueMany(items: readonly EnqueueItem[]): Promise<string[]> {
    const { store } = this.deps;
    if (!Array.isArray(items)) {
      throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'enqueueMany() takes an array of { message, options? }.', { fix: 'Pass [{ message: { to, subject, text }, options? }, …].' });
    }
    const params = await this.deps.parameters.get();
    // The whole batch is queued at one instant (ids still sort in input order).
    const clock = frozenClock(this.deps.clock);
    const ids: string[] = [];
    const records: NewEmailRecord[] = [];
    for (const [index, item] of items.entries()) {
      try {
        if (item === null || typeof item !== 'object') {
          throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'Each item of enqueueMany() is { message, options? }.', { fix: 'Pass [{ message: { to, subject, text }, options? }, …].' });
        }
        const options = parseEnqueueOptions(item.options ?? {});
        const existing = options.idempotencyKey === undefined ? undefined : await store.findByIdempotencyKey(options.idempotencyKey);
        if (existing !== undefined) {
          ids.push(existing.id);
          continue;
        }
        const record = await this.prepare(item.message, options, params, clock);
        records.push(record);
        ids.push(record.id);
      } catch (error) {
        if (isMailwrightError(error)) error.details.index = index;
        throw error;
      }
    }
    await store.insertEmails(records);
    for (const record of records) this.deps.events.emit('queued', { emailId: record.id, priority: record.priority, dueAt: record.dueAt });
    return ids;
  }

  /**
   * Validates one email and builds its queued record (nothing stored yet). The
   * size limit is checked with a cheap upper bound of the encoded size; only an
   * email whose bound passes the limit is encoded to measure it exactly. The
   * stored size is replaced by the size as sent.
   */
  private async prepare(input: MessageInput, options: ParsedEnqueueOptions, params: EmailParameters, clock: Clock): Promise<NewEmailRecord> {
    checkMessageShape(input);
    const from = await this.from(input, options.userId, params.batchProviderId);
    const now = clock.now();
    const message = await validateMessage(input, {
      from,
      messageIdDomain: this.deps.messageIdDomain ?? domainOf(from.address),
      now: now.toJSDate(),
      ...(this.deps.attachmentRoot !== undefined ? { attachmentRoot: this.deps.attachmentRoot } : {}),
    });
    const bound = await encodedSizeUpperBound(message);
    const sizeBytes = bound <= params.attachmentSizeLimitBytes ? bound : await assertWithinSizeLimit(message, params.attachmentSizeLimitBytes);
    const dueAt = options.sendAfter === undefined ? toIso(now) : options.sendAfter;
    return newEmailRecord(message, clock, {
      status: 'queued',
      mode: 'batch',
      providerId: null,
      sizeBytes,
      priority: options.priority ?? 0,
      dueAt,
      payload: serializeMessage(message),
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.meta !== undefined ? { meta: options.meta } : {}),
    });
  }

  private async from(input: MessageInput, userId: string | undefined, batchProviderId: string | null): Promise<Address> {
    if (userId !== undefined) {
      return userFromAddress(await requireUser(this.deps.users, userId));
    }
    if (input.from !== undefined) return parseAddress(input.from, 'from');
    const mailbox = batchProviderId === null ? undefined : await this.deps.providers.get(batchProviderId).mailbox?.();
    if (mailbox !== undefined) return mailbox;
    throw new MailwrightError(ErrorCodes.INVALID_ADDRESS, 'The queued email has no From address.', {
      fix: 'Pass userId or from, or configure a batch provider with a mailbox address.',
      details: { field: 'from' },
    });
  }
}
