import { toIso, type Clock } from '../clock/clock.js';
import { isMailwrightError } from '../errors/mailwright-error.js';
import type { Store } from '../store/store.js';
import type { DistributionSummary } from './distributor-run.js';

/** Settings key of the last distributor run (any worker of the store). */
export const DISTRIBUTOR_LAST_RUN_KEY = 'distributor:last-run';

/** The last `distributor.runOnce()` of any worker sharing the store: when, what it did, or why it failed. */
export interface DistributorLastRun {
  /** The worker that ran it (`DistributorOptions.workerId`). */
  workerId: string;
  /** When it started (ISO 8601 UTC). */
  startedAt: string;
  /** When it ended (ISO 8601 UTC). */
  finishedAt: string;
  /** Its counts, when it ended normally. */
  summary?: DistributionSummary;
  /** Why it failed, when it did (e.g. `MW_NO_BATCH_PROVIDER`: queued email waits). */
  error?: { code?: string; message: string };
}

/** Stores what a run did, for the admin console's distributor page (`store.getSetting(DISTRIBUTOR_LAST_RUN_KEY)`). */
export async function recordLastRun(store: Pick<Store, 'putSetting'>, clock: Clock, run: Omit<DistributorLastRun, 'finishedAt' | 'error'> & { error?: unknown }): Promise<void> {
  const { error, ...rest } = run;
  const record: DistributorLastRun = {
    ...rest,
    finishedAt: toIso(clock.now()),
    ...(error !== undefined ? { error: { ...(isMailwrightError(error) ? { code: error.code } : {}), message: error instanceof Error ? error.message : String(error) } } : {}),
  };
  await store.putSetting(DISTRIBUTOR_LAST_RUN_KEY, record);
}
