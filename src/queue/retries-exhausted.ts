import type { FailureDetail } from '../errors/failure-detail.js';

/** A sentence of a fix that promises another try: "is retried automatically", "can be sent again". */
const PROMISES_A_RETRY = /\b(?:is|are) retried\b|\bretried (?:automatically|after)\b|\bcan be sent again\b/i;

/**
 * A transient failure on an email's last allowed attempt (`maxAttempts`): its fix says it is
 * not retried any more and how to send it again, instead of the catalogue's promise of an
 * automatic retry; the fix's other advice stays.
 */
export function retriesExhausted(failure: FailureDetail, attempt: number, maxAttempts: number): FailureDetail {
  const advice = failure.fix.split(/(?<=[.;])\s+/).filter((sentence) => !PROMISES_A_RETRY.test(sentence));
  const notRetried = `This was attempt ${attempt} of ${maxAttempts} (maxAttempts): it is not retried any more. Once the cause is fixed, send it again with history.retry([id]) or \`mailwright retry <id>\`.`;
  return { ...failure, fix: [notRetried, ...advice].join(' ') };
}
