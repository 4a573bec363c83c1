import { classifyFailure } from './classify-failure.js';
import type { FailureExplanation } from './failure-detail.js';
import { catalogueEntry } from './failure-catalogue.js';
import { MailwrightError } from './mailwright-error.js';
import { rawFailureFromError } from './raw-failure-from-error.js';

const pick = ({ code, category, explanation, fix, permanent }: FailureExplanation): FailureExplanation => ({
  code,
  category,
  explanation,
  fix,
  permanent,
});

/**
 * Explains any error through the failure catalogue: a MailwrightError (its
 * classified failure, or its code's entry), or a raw transport error
 * (nodemailer, Node, Graph, MSAL), which is classified first.
 */
export function explainFailure(error: unknown): FailureExplanation {
  if (error instanceof MailwrightError) {
    if (error.failure !== undefined) return pick(error.failure);
    const entry = catalogueEntry(error.code);
    if (entry !== undefined) return { ...pick(entry), permanent: error.permanent, fix: error.fix ?? entry.fix };
  }
  return pick(classifyFailure(rawFailureFromError(error)));
}
