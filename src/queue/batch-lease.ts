import type { Clock } from '../clock/clock.js';
import type { Store } from '../store/store.js';

/** What {@link BatchLease} needs. */
export interface BatchLeaseDeps {
  store: Pick<Store, 'extendLeases'>;
  clock: Clock;
  /** Worker id the batch was claimed with. */
  owner: string;
  leaseMs: number;
}

/**
 * The leases of one claimed batch. Emails wait in the send queue while earlier
 * ones are sent, so a batch of slow sends can outlive its lease, and another
 * worker may then take the rest over. Before each send starts, once half the
 * lease has passed since the claim or the last renewal, the leases of every
 * email of the batch not finished yet are renewed in one write; an email whose
 * lease was lost is not sent. No timers: renewal happens as sends start, so a
 * single send must finish within half the lease.
 */
export class BatchLease {
  private unfinished: Set<string>;
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

  /** True when the email may be sent now: its lease is held (renewed first when due). */
  async mayStart(id: string): Promise<boolean> {
    if (this.deps.clock.now().toMillis() - this.renewedAtMs >= this.deps.leaseMs / 2) {
      await (this.renewing ??= this.renew().finally(() => (this.renewing = undefined)));
    }
    return this.held.has(id);
  }

  /** The email's outcome is stored (or it was deferred): its lease is no longer ours to renew. */
  finished(id: string): void {
    this.unfinished.delete(id);
  }

  private async renew(): Promise<void> {
    const now = this.deps.clock.now().toMillis();
    const kept = await this.deps.store.extendLeases({ ids: [...this.unfinished], owner: this.deps.owner, now, leaseMs: this.deps.leaseMs });
    this.held = new Set(kept);
    this.renewedAtMs = now;
  }
}
