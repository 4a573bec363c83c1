import { explainFailure } from '../errors/explain-failure.js';
import { failureError } from '../errors/classify-failure.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { redactError } from '../errors/redact-failure.js';

/** A provider failure made into a typed error with a classified detail. */
export interface DeliveryFailure {
  error: MailwrightError;
  failure: FailureDetail;
}

/**
 * Normalizes whatever a provider threw: a classified MailwrightError is kept;
 * an unclassified one gets its catalogue explanation; anything else is classified
 * from its message and system error code. The error and its failure are redacted
 * whole with the secrets in play: this is where a failure becomes what the history
 * stores and the caller receives.
 */
export function toDeliveryFailure(thrown: unknown): DeliveryFailure {
  if (thrown instanceof MailwrightError) {
    const error = redactError(thrown);
    const failure: FailureDetail = error.failure ?? { ...explainFailure(error), message: error.message };
    return { error, failure };
  }
  const cause = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errno = (cause as NodeJS.ErrnoException).code;
  const error = failureError({ message: cause.message, ...(typeof errno === 'string' ? { errno } : {}) }, cause);
  return { error, failure: error.failure ?? { ...explainFailure(error), message: error.message } };
}
