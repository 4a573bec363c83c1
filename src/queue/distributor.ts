import PQueue from 'p-queue';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { HistoryService } from '../history/history-service.js';
import { effectivePerMinuteLimit, type EmailParameters } from '../parameters/email-parameters.js';
import type { Provider } from '../providers/provider.js';
import { usesMicrosoft365 } from '../providers/uses-microsoft-365.js';
import type { ImmediateSenderDeps } from '../send/immediate-sender.js';
import type { EmailRecord } from '../store/email-record.js';
import { BatchLease } from './batch-lease.js';
import { deliverQueued, stoppingError } from './deliver-queued.js';
import { batchThrottle } from './batch-throttle.js';
import { THROTTLE_WINDOW_MS } from './throttle.js';
import { resolveDistributorOptions, type DistributorOptions, type ResolvedDistributorOptions } from './distributor-options.js';
import type { DistributionSummary, RunOnceOptions, StartOptions } from './distributor-run.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { everyMs } from './parse-every.js';
import { recordLastRun } from './last-run.js';
import { toIso } from '../clock/clock.js';
import { UnrecordedOutcomes } from './unrecorded-outcomes.js';

/** What one `runOnce()` shares across its batches. */
interface Run {
  queue: PQueue;
  provider: Provider;
  /** The provider's per-minute limit (0 = none). */
  limit: number;
  params: EmailParameters;
  summary: DistributionSummary;
  report(): void;
  /** Records the run's first error and drops the sends not started yet. */
  fail(error: unknown): void;
  /** Has the run failed? */
  failed(): boolean;
  /** Aborted by `stop()`. */
  stopping: AbortSignal | undefined;
}

/** Dependencies of {@link Distributor}: those of immediate sending, plus the history. */
export interface DistributorDeps extends Omit<ImmediateSenderDeps, 'messageIdDomain'> {
  history: HistoryService;
}

const LAST_PURGE_KEY = 'distributor:last-purge';
const DAY_MS = 86_400_000;

/**
 * The email distributor: sends due queued email with the batch provider,
 * per-minute throttled (with the ten-deferral rule), retrying transient
 * failures with back-off, under leases so that several workers never send one
 * email twice and a crashed worker's email is taken over.
 */
export class Distributor {
  private readonly options: ResolvedDistributorOptions;
  private running: Promise<void> | undefined;
  private stopping: AbortController | undefined;

  /** Stores each attempt's outcome. */
  private readonly outcomes: OutcomeRecorder;

  constructor(
    private readonly deps: DistributorDeps,
    options: DistributorOptions = {},
  ) {
    this.options = resolveDistributorOptions(options);
    const { workerId: owner, backoff, maxUnrecorded } = this.options;
    this.outcomes = new OutcomeRecorder({ store: deps.store, clock: deps.clock, logger: deps.logger, observer: deps.observer, owner, backoff, groupSize: Math.max(1, maxUnrecorded) });
  }

  /**
   * Sends every email that is due now (priority, then due time). Email the
   * throttle cannot take now is deferred to the moment a slot frees.
   */
  async runOnce(options: RunOnceOptions = {}): Promise<DistributionSummary> {
    // Outside start(), stop() still ends this run: sends in flight finish, the rest go back.
    const own = this.stopping === undefined ? new AbortController() : undefined;
    if (own !== undefined) this.stopping = own;
    const run = { workerId: this.options.workerId, startedAt: toIso(this.deps.clock.now()) };
    try {
      const summary = await this.runWith(options);
      await recordLastRun(this.deps.store, this.deps.clock, { ...run, summary });
      return summary;
    } catch (error) {
      // The run's own error is the one to report, not a store that also fails to record it.
      await recordLastRun(this.deps.store, this.deps.clock, { ...run, error }).catch(() => undefined);
      throw error;
    } finally {
      if (own !== undefined && this.stopping === own) this.stopping = undefined;
    }
  }

  private async runWith(options: RunOnceOptions): Promise<DistributionSummary> {
    const params = await this.deps.parameters.get();
    await this.purgeDaily();
    if (params.batchProviderId === null) {
      throw new MailwrightError(ErrorCodes.NO_BATCH_PROVIDER, 'No batch email provider is set, so queued email cannot be sent (it stays queued).', {
        permanent: false,
        fix: 'Set the batch email provider parameter, e.g. `mailwright params set batchProviderId smtp`.',
      });
    }
    const provider = this.deps.providers.get(params.batchProviderId);
    const due = await this.deps.store.countDue(this.deps.clock.now().toMillis());
    const summary: DistributionSummary = { due, sent: 0, failed: 0, deferred: 0, retried: 0, forced: 0 };
    const queue = new PQueue({ concurrency: this.options.concurrency });
    // The first error (e.g. the store failing) stops the run once the sends in flight have settled;
    // emails in flight whose outcome was not stored are taken again when their lease expires.
    let firstError: unknown;
    const run: Run = {
      queue,
      provider,
      limit: effectivePerMinuteLimit(params, { id: provider.id, microsoft365: await usesMicrosoft365(provider) }),
      params,
      summary,
      report: () => options.onProgress?.({ ...summary }),
      fail: (error) => {
        firstError ??= error;
        queue.clear();
      },
      failed: () => firstError !== undefined,
      stopping: this.stopping?.signal,
    };
    run.report();
    // stop(): sends not started yet are dropped, and their emails given back at once (sendBatch)
    // so that any worker may take them instead of waiting out their lease.
    const dropWaiting = (): void => queue.clear();
    run.stopping?.addEventListener('abort', dropWaiting);
    const { leaseMs, workerId: owner, claimBatch } = this.options;
    try {
      let planned = false; // a batch was throttled since the last look for slots that came sooner
      for (;;) {
        const nowMs = this.deps.clock.now().toMillis();
        const claimed = await this.deps.store.claimDue({ now: nowMs, limit: claimBatch, leaseMs, owner });
        if (claimed.length === 0) {
          // A send that failed gave its slot back after the batches were planned: deferred emails
          // whose slot came sooner are made due then, and those due now are sent by this run too.
          if (!planned || run.limit <= 0) break;
          planned = false;
          if ((await this.deps.store.reserveSends({ providerId: provider.id, emailIds: [], owner, now: nowMs, windowMs: THROTTLE_WINDOW_MS, limit: run.limit, maxDeferrals: params.maxDeferrals })).sooner === 0) break;
          continue;
        }
        planned = true;
        const notStarted = await this.sendBatch(run, claimed, nowMs);
        if (firstError !== undefined) {
          // Best effort: if the store recovered, the emails not started can be taken at once.
          await this.deps.store.releaseLeases([...notStarted], owner).catch(() => undefined);
          throw firstError;
        }
        await this.deps.store.releaseLeases([...notStarted], owner);
        if (run.stopping?.aborted) break;
      }
    } finally {
      run.stopping?.removeEventListener('abort', dropWaiting);
    }
    return summary;
  }

  /**
   * Sends one claimed batch, throttled, under leases renewed while it runs;
   * returns the claimed emails it neither sent nor deferred (the run is
   * stopping or failed), for the caller to give back.
   */
  private async sendBatch(run: Run, claimed: EmailRecord[], nowMs: number): Promise<Set<string>> {
    const { queue, provider, params, summary, report, fail, stopping } = run;
    const { leaseMs, workerId: owner } = this.options;
    // Every claimed email is given back unless it is deferred or its send starts.
    const notStarted = new Set(claimed.map((r) => r.id));
    const unrecorded = new UnrecordedOutcomes(this.options.maxUnrecorded, fail);
    const lease = new BatchLease({ store: this.deps.store, clock: this.deps.clock, logger: this.deps.logger, owner, leaseMs }, nowMs, [...notStarted]);
    const stopKeepingAlive = lease.keepAlive();
    // stop() drops the sends not started (see runOnce); give their emails back now, not after the
    // sends in flight, one of which may take minutes.
    const giveBackNow = (): void => {
      const ids = [...notStarted];
      notStarted.clear(); // given back here, so not again by runOnce
      ids.forEach((id) => lease.finished(id));
      void this.deps.store.releaseLeases(ids, owner).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not give back unstarted emails; they wait for their lease'));
    };
    stopping?.addEventListener('abort', giveBackNow, { once: true });
    try {
      const { sends, deferred } = await batchThrottle(this.deps.store, { claimed, providerId: provider.id, limit: run.limit, nowMs, maxDeferrals: params.maxDeferrals, owner });
      // Deferred emails are stored so already; one the store no longer leases to us is another worker's.
      const sending = new Set(sends.map((s) => s.record.id));
      for (const { id } of claimed.filter((r) => !sending.has(r.id))) {
        notStarted.delete(id);
        lease.finished(id);
      }
      for (const { record, deferral } of deferred) {
        this.deps.observer.deferred({ emailId: record.id, providerId: provider.id, deferrals: deferral.deferrals, dueAt: new Date(deferral.untilMs).toISOString() });
        summary.deferred += 1;
        report();
      }
      const payloads = await this.deps.store.getPayloads(sends.map((s) => s.record.id));
      for (const { record, forced } of sends) {
        if (stopping?.aborted || run.failed()) break;
        void queue.add(async () => {
          notStarted.delete(record.id);
          let leaseHeld: boolean;
          try {
            leaseHeld = await lease.mayStart(record.id);
          } catch (error) {
            notStarted.add(record.id); // not sent: give it back with the others
            throw error;
          }
          if (!leaseHeld) {
            this.deps.logger.warn({ emailId: record.id }, 'lease lost before sending; the email is left to the worker that took it over');
            return;
          }
          const delivered = await deliverQueued(this.deps, record, payloads.get(record.id), provider, forced, params.attachmentSizeLimitBytes);
          const stop = stoppingError(delivered.outcome);
          if (stop !== undefined) {
            notStarted.add(record.id); // not sent: given back with the others, still queued
            throw stop;
          }
          const recorded = this.outcomes.record(delivered, provider, params).then((outcome) => {
            lease.finished(record.id);
            summary[outcome] += 1;
            if (forced && outcome === 'sent') summary.forced += 1;
            report();
          });
          // The slot is free once at most `maxUnrecorded` outcomes wait to be stored, so a crash
          // leaves at most concurrency + maxUnrecorded emails sent but not recorded.
          await unrecorded.add(recorded);
        }).catch(fail);
      }
    } catch (error) {
      fail(error); // e.g. the store failing to take the batch's slots: the sends in flight settle first
    }
    await queue.onIdle();
    this.outcomes.flush();
    await unrecorded.settled();
    stopping?.removeEventListener('abort', giveBackNow);
    stopKeepingAlive();
    return notStarted;
  }

  /** Runs `runOnce()` now and then every `every` (default each minute) until `stop()`. */
  start(options: StartOptions = {}): void {
    if (this.running !== undefined) return;
    const interval = everyMs(options.every);
    const stopping = new AbortController();
    this.stopping = stopping;
    this.running = (async () => {
      while (!stopping.signal.aborted) {
        try {
          // Not `onSummary?.(await …)`: without onSummary, that would skip the run itself.
          const summary = await this.runOnce(options);
          options.onSummary?.(summary);
        } catch (error) {
          (options.onError ?? ((e) => this.deps.logger.error({ err: e }, 'distributor run failed')))(error);
        }
        await this.deps.clock.sleep(interval, stopping.signal).catch(() => undefined);
      }
    })();
  }

  /**
   * Finishes the sends in flight and starts no new one: emails claimed but not
   * started are given back at once (waiting again, claimable by any worker). It ends
   * a `start()` loop, and a `runOnce()` in progress (which then returns its summary).
   */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.running;
    this.running = undefined;
    this.stopping = undefined;
  }

  private async purgeDaily(): Promise<void> {
    const nowMs = this.deps.clock.now().toMillis();
    const last = await this.deps.store.getSetting<number>(LAST_PURGE_KEY);
    if (last !== undefined && nowMs - last < DAY_MS) return;
    await this.deps.store.putSetting(LAST_PURGE_KEY, nowMs);
    await this.deps.history.purgeExpired();
  }
}
