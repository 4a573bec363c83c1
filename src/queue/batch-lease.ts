import type { Clock } from '../clock/clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

/** What {@link BatchLease} needs. */
export interface BatchLeaseDeps {
  store: Pick<Store, 'extendLeases'>;
  clock: Clock;
  logger: Logger;
  /** Worker id the batch was claimed with. */
  owner: string;
  leaseMs: number;
}

/**
 * The leases of one claimed batch. Emails wait in the send queue while earlier
 * ones are sent, and one send may take long (a large attachment on a slow
 * link), so a batch can outlive its lease, and another worker could then take
 * over emails this one is sending or about to send. The leases of every email
 * of the batch not finished yet are therefore renewed in one write every third
 * of the lease while the batch runs ({@link keepAlive}), and before a send
 * starts once half the lease has passed; an email whose lease was lost anyway
 * (the store was unreachable for a whole lease) is not sent.
 */
export class BatchLease {
  private readonly unfinished: Set<string>;
  private held: Set<string>;
  private renewedAtMs: number;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly deps: BatchLeaseDeps,
    claimedAtMs: number,
    ids: readonly string[],
  ) {
    this.unfinished = new Set(ids);
    this.held = new Set(ids);
    this.renewedAtMs = claimedAtMs;
  }

  /**
   * Renews the leases every third of the lease, on the clock, until the
   * returned function is called (when the batch is done).
   */
  keepAlive(): () => void {
    const done = new AbortController();
    void (async () => {
      for (;;) {
        await this.deps.clock.sleep(this.deps.leaseMs / 3, done.signal);
        if (this.unfinished.size === 0) return;
        await this.renew().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not renew the leases of a batch; will try again'));
      }
    })().catch(() => undefined); // the sleep rejects when the batch is done
    return () => done.abort();
  }

  /** True when the email may be sent now: its lease is held (renewed first when half of it has passed). */
  async mayStart(id: string): Promise<boolean> {
    if (this.deps.clock.now().toMillis() - this.renewedAtMs >= this.deps.leaseMs / 2) await this.renew();
    return this.held.has(id);
  }

  /** The email's outcome is stored (or it was deferred): its lease is no longer ours to renew. */
  finished(id: string): void {
    this.unfinished.delete(id);
  }

  /** One renewal at a time; callers arriving meanwhile share it. */
  private renew(): Promise<void> {
    this.renewing ??= (async () => {
      const now = this.deps.clock.now().toMillis();
      const kept = await this.deps.store.extendLeases({ ids: [...this.unfinished], owner: this.deps.owner, now, leaseMs: this.deps.leaseMs });
      this.held = new Set(kept);
      this.renewedAtMs = now;
    })().finally(() => (this.renewing = undefined));
    return this.renewing;
  }
}
