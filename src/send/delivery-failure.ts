import { explainFailure } from '../errors/explain-failure.js';
import { failureError } from '../errors/classify-failure.js';
import type { FailureDetail } from '../errors/failure-detail.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** A provider failure made into a typed error with a classified detail. */
export interface DeliveryFailure {
  error: MailwrightError;
  failure: FailureDetail;
}

/**
 * Normalizes whatever a provider threw: a classified MailwrightError is kept;
 * an unclassified one gets its catalogue explanation; anything else is classified
 * from its message and system error code.
 */
export function toDeliveryFailure(thrown: unknown): DeliveryFailure {
  if (thrown instanceof MailwrightError) {
    const failure: FailureDetail = thrown.failure ?? { ...explainFailure(thrown), message: thrown.message };
    return { error: thrown, failure };
  }
  const cause = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errno = (cause as NodeJS.ErrnoException).code;
  const error = failureError({ message: cause.message, ...(typeof errno === 'string' ? { errno } : {}) }, cause);
  return { error, failure: error.failure ?? { ...explainFailure(error), message: error.message } };
}
