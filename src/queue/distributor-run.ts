/** Progress, then result, of one `distributor.runOnce()`. */
export interface DistributionSummary {
  /**
   * Emails due when the run started (see `Store.countDue`): the progress total.
   * Email that comes due during the run is sent too, so the counts below may add up to more.
   */
  due: number;
  /** Sent, forced sends included. */
  sent: number;
  /** Failed for good: a permanent failure, or the last of `maxAttempts`. */
  failed: number;
  /** Deferred by the provider's per-minute limit. */
  deferred: number;
  /** Failed transiently and queued again with back-off. */
  retried: number;
  /** Sent over the per-minute limit after `maxDeferrals` deferrals (also counted in `sent`). */
  forced: number;
}

/** Options of `distributor.runOnce()`. */
export interface RunOnceOptions {
  /** Called with the counts so far: once when the run starts, then after each email. */
  onProgress?: (summary: DistributionSummary) => void;
}

/** Options of `distributor.start()`. */
export interface StartOptions extends RunOnceOptions {
  /** Time between the end of one run and the start of the next: "30 seconds", "1 minute", or ms. @default '1 minute' */
  every?: string | number;
  /** Called when a run fails (the next run still comes). @default logs the error */
  onError?: (error: unknown) => void;
  /** Called with each run's summary when the run ends (a run that fails calls `onError` instead). */
  onSummary?: (summary: DistributionSummary) => void;
}
