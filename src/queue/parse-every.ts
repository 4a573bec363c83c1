import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/**
 * The interval of `start({ every })`: a positive number of milliseconds, as it is, or text
 * such as "1 minute", "30 seconds", "2 hours". Anything else (0, a negative number, NaN,
 * "soon") is MW_INVALID_SETTINGS: it would run the distributor back to back.
 */
export function everyMs(every: number | string | undefined): number {
  const ms = typeof every === 'number' ? every : parseEvery(every ?? '1 minute');
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The distributor interval must be more than 0 ms; got ${String(every)}.`, {
      fix: 'Write it like "1 minute", "30 seconds", or a positive number of milliseconds.',
      details: { field: 'every' },
    });
  }
  return ms;
}

/** "1 minute", "30 seconds", "2 hours" → milliseconds. */
export function parseEvery(every: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?)\s*$/i.exec(every);
  if (match === null) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Cannot read the interval "${every}".`, { fix: 'Write it like "1 minute", "30 seconds" or "2 hours".' });
  }
  const unit = (match[2] as string).toLowerCase();
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return Number(match[1]) * factor;
}
