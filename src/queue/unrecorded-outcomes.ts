/**
 * The outcomes of a distributor's sends that are being stored: a send adds the
 * storing of its outcome, and its slot is free at once unless more than `limit`
 * are pending; then it waits until no more than `limit` are. With `limit` 0, a
 * slot is free only once its outcome is stored.
 */
export class UnrecordedOutcomes {
  private readonly pending = new Set<Promise<void>>();

  /** `onError` receives a failed storing (the email stays leased and is sent again after its lease). */
  constructor(
    private readonly limit: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Tracks one outcome being stored; resolves once no more than `limit` are pending. */
  async add(storing: Promise<unknown>): Promise<void> {
    const tracked: Promise<void> = storing.then(
      () => void this.pending.delete(tracked),
      (error: unknown) => {
        this.pending.delete(tracked);
        this.onError(error);
      },
    );
    this.pending.add(tracked);
    // With limit 0 a slot waits for its own outcome, not also for those other slots added since.
    if (this.limit === 0) return tracked;
    while (this.pending.size > this.limit) await Promise.race(this.pending);
  }

  /** Resolves once every outcome added so far is stored or has failed. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}
