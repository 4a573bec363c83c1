import { ErrorCodes } from '../../src/errors/error-codes.js';
import { resolveDistributorOptions } from '../../src/queue/distributor-options.js';

describe('distributor options', () => {
  it('applies the defaults', () => {
    expect(resolveDistributorOptions()).toMatchObject({ concurrency: 4, leaseMs: 300_000, claimBatch: 50, maxUnrecorded: 0, backoff: {}, workerId: expect.stringMatching(/:\d+:[0-9a-f]{8}$/) });
  });

  it('names every bad option in one MW_INVALID_SETTINGS', () => {
    let thrown: unknown;
    try {
      resolveDistributorOptions({ concurrency: Number.NaN, leaseMs: 10, claimBatch: 0, maxUnrecorded: 1.5, backoff: { baseMs: 5000, maxMs: 1000 }, workerId: ' ' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: ErrorCodes.INVALID_SETTINGS, fix: expect.stringContaining('concurrency: 4') });
    expect((thrown as { details: { problems: string[] } }).details.problems).toEqual([
      'concurrency must be a whole number >= 1 (got NaN)',
      'leaseMs must be a whole number of milliseconds >= 1000 (got 10)',
      'claimBatch must be a whole number >= 1 (got 0)',
      'maxUnrecorded must be a whole number >= 0 (got 1.5)',
      'backoff needs whole milliseconds with 0 <= baseMs <= maxMs (got 5000 and 1000)',
      'workerId must not be empty',
    ]);
  });

  it('refuses an option it does not know (a typo), naming the ones it takes', () => {
    expect(() => resolveDistributorOptions({ concurency: 8 } as never)).toThrow(
      'Invalid distributor options: "concurency" is not an option (concurrency, leaseMs, claimBatch, maxUnrecorded, backoff, workerId).',
    );
  });
});
