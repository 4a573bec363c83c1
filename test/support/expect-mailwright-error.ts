import type { ErrorCode } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';

/** Awaits a promise that must reject with a MailwrightError of `code`; returns the error. */
export async function expectMailwrightError(promise: Promise<unknown>, code: ErrorCode): Promise<MailwrightError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailwrightError);
  expect((error as MailwrightError).code).toBe(code);
  return error as MailwrightError;
}
