import { classifyFailure } from '../../src/errors/classify-failure.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { failureCatalogue } from '../../src/errors/failure-catalogue.js';

/** The sentences of a fix that say a retry happens (not "can be retried", not "retry it"). */
const retryPromises = (fix: string): string[] =>
  fix.split(/(?<=[.;])\s+/).filter((sentence) => /\b(?:is|are) retried\b|\bretried (?:automatically|after)\b/i.test(sentence));

describe('the catalogue promises an automatic retry only for queued email (interactive sends are not retried)', () => {
  it('no fix says a retry happens without saying it is for queued email, and what to do with an interactive email', () => {
    const misleading = failureCatalogue
      .filter((entry) => retryPromises(entry.fix).some((sentence) => !/\bqueued\b/i.test(sentence)) || (retryPromises(entry.fix).length > 0 && !/interactive email can be sent again/i.test(entry.fix)))
      .map((entry) => `${entry.code}: ${entry.fix}`);
    expect(misleading).toEqual([]);
  });

  it.each([ErrorCodes.CONNECTION_FAILED, ErrorCodes.TRANSIENT_FAILURE, ErrorCodes.RATE_LIMITED, ErrorCodes.SERVICE_UNAVAILABLE])('%s tells queued from interactive email', (code) => {
    const entry = failureCatalogue.find((e) => e.code === code);
    expect(entry?.fix).toMatch(/Queued email is retried automatically[^.]*; an interactive email can be sent again/);
  });

  it('a connection that broke during the exchange (mid-DATA) is explained as such, not only as unreachable', () => {
    const failure = classifyFailure({ protocol: 'smtp', message: 'write ECONNRESET', errno: 'ECONNRESET' });
    expect(failure.code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect(failure.explanation).toMatch(/broke during the exchange/);
    expect(failure.fix).not.toMatch(/The email is retried\./);
  });
});
