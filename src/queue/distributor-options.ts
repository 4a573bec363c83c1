import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { optionNames, unknownNames } from '../parameters/option-names.js';
import type { BackoffOptions } from './backoff.js';

/** Options of the distributor. */
export interface DistributorOptions {
  /**
   * Emails sent in parallel. The provider may cap it further (the SMTP provider's
   * `maxConnections`, default 5; the Exchange provider's `mailboxConcurrency`, default 4).
   * @default 4
   */
  concurrency?: number;
  /**
   * How long a claimed email is leased; after it another worker may take it.
   * The leases of a batch in progress are renewed every third of it.
   * @default 300000 (5 min)
   */
  leaseMs?: number;
  /** Emails claimed per round trip to the store. @default 50 */
  claimBatch?: number;
  /**
   * Emails sent whose outcome may wait to be stored, at most. 0: each send's
   * slot is held until its own outcome is stored, so a crash leaves at most
   * `concurrency` emails sent but not recorded (sent again once their lease
   * expires). Above 0, a slot is free as soon as the provider has answered and
   * the outcomes are stored together, one transaction for every
   * `maxUnrecorded` of them (and at the end of each claimed batch), while the
   * next sends go on: fewer commits, less CPU per email; a crash can then leave
   * up to `concurrency + maxUnrecorded` emails sent but not recorded.
   * @default 0
   */
  maxUnrecorded?: number;
  /** Retry back-off for transient failures. */
  backoff?: BackoffOptions;
  /** Worker id recorded as lease owner. @default host:pid:random */
  workerId?: string;
}

/** {@link DistributorOptions} with every default applied. */
export type ResolvedDistributorOptions = Required<Omit<DistributorOptions, 'backoff'>> & { backoff: BackoffOptions };

const wholeAtLeast = (value: number, min: number): boolean => Number.isSafeInteger(value) && value >= min;

/** Every option's name: JavaScript callers are not held to the types, and a typo must not pass silently. */
const OPTION_NAMES = optionNames<DistributorOptions>({ concurrency: true, leaseMs: true, claimBatch: true, maxUnrecorded: true, backoff: true, workerId: true });

/**
 * Applies the defaults and checks the options; throws MW_INVALID_SETTINGS
 * naming every bad field (e.g. a `--concurrency` that is not a number).
 */
export function resolveDistributorOptions(options: DistributorOptions = {}): ResolvedDistributorOptions {
  const resolved: ResolvedDistributorOptions = {
    concurrency: options.concurrency ?? 4,
    leaseMs: options.leaseMs ?? 300_000,
    claimBatch: options.claimBatch ?? 50,
    maxUnrecorded: options.maxUnrecorded ?? 0,
    backoff: options.backoff ?? {},
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  };
  const { baseMs = 30_000, maxMs = 1_800_000 } = resolved.backoff;
  const problems = [
    wholeAtLeast(resolved.concurrency, 1) ? undefined : `concurrency must be a whole number >= 1 (got ${String(resolved.concurrency)})`,
    wholeAtLeast(resolved.leaseMs, 1000) ? undefined : `leaseMs must be a whole number of milliseconds >= 1000 (got ${String(resolved.leaseMs)})`,
    wholeAtLeast(resolved.claimBatch, 1) ? undefined : `claimBatch must be a whole number >= 1 (got ${String(resolved.claimBatch)})`,
    wholeAtLeast(resolved.maxUnrecorded, 0) ? undefined : `maxUnrecorded must be a whole number >= 0 (got ${String(resolved.maxUnrecorded)})`,
    wholeAtLeast(baseMs, 0) && wholeAtLeast(maxMs, baseMs) ? undefined : `backoff needs whole milliseconds with 0 <= baseMs <= maxMs (got ${String(baseMs)} and ${String(maxMs)})`,
    resolved.workerId.trim() !== '' ? undefined : 'workerId must not be empty',
    ...unknownNames(options, OPTION_NAMES).map((name) => `"${name}" is not an option (${OPTION_NAMES.join(', ')})`),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Invalid distributor options: ${problems.join('; ')}.`, {
      fix: 'Pass e.g. { concurrency: 4, leaseMs: 300000, claimBatch: 50, maxUnrecorded: 0 }, or leave an option out for its default.',
      details: { problems },
    });
  }
  return resolved;
}
