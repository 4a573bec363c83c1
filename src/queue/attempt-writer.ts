import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { AttemptCompletion, Store } from '../store/store.js';

interface Pending {
  completion: AttemptCompletion;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the distributor: attempts that finish while a write is in
 * progress are written together in the next transaction. Each caller still
 * waits until its own attempt is stored, so nothing is reported sent before it
 * is persisted; concurrent sends just share a commit.
 *
 * With a `groupSize` above 1, attempts wait until that many are pending (or
 * until {@link AttemptWriter.flush}), so that one transaction stores them all.
 */
export class AttemptWriter {
  private pending: Pending[] = [];
  private writing = false;

  constructor(
    private readonly store: Pick<Store, 'finishAttempts'>,
    private readonly groupSize = 1,
  ) {}

  /**
   * Resolves when the email's patch and attempt are stored: `true`, or `false`
   * when another worker had taken the email over and only the attempt was logged
   * (see `AttemptCompletion.leaseOwner`). MW_EMAIL_NOT_FOUND if the email is gone.
   */
  finish(completion: AttemptCompletion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ completion, resolve, reject });
      if (this.pending.length >= this.groupSize) void this.drain();
    });
  }

  /** Writes the attempts pending now, however few. */
  flush(): void {
    if (this.pending.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      // Let the other sends whose answers arrived in this event-loop turn join the batch;
      // those that arrive while it is written make the next one.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          const { missing, takenOver } = await this.store.finishAttempts(batch.map((item) => item.completion));
          for (const { completion, resolve, reject } of batch) {
            const { emailId } = completion;
            if (missing.includes(emailId)) {
              reject(new MailwrightError(ErrorCodes.EMAIL_NOT_FOUND, `Email ${emailId} left the history while it was being sent.`, { details: { emailId } }));
            } else resolve(!takenOver.includes(emailId));
          }
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
