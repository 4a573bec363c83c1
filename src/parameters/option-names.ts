import { ErrorCodes, type ErrorCode } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/**
 * The names of an options type, from an object literal that lists every one:
 * the compiler refuses a missing or an extra name, so the list follows the type.
 */
export function optionNames<T>(names: Record<keyof T, true>): readonly string[] {
  return Object.keys(names);
}

/** The keys of `options` that are not among `names`. */
export function unknownNames(options: object | undefined, names: readonly string[]): string[] {
  return Object.keys(options ?? {}).filter((key) => !names.includes(key));
}

/**
 * Refuses keys that `options` should not have, since JavaScript callers are
 * not held to the types and a typo (`filname`, `setings`, a message's
 * `attachements`) must not pass silently. The values are checked where they
 * are used.
 */
export function refuseUnknownOptions(
  options: object | undefined,
  names: readonly string[],
  what: string,
  { code = ErrorCodes.INVALID_SETTINGS, noun = 'option', details = {} }: { code?: ErrorCode; noun?: 'option' | 'field'; details?: Record<string, unknown> } = {},
): void {
  const unknown = unknownNames(options, names);
  if (unknown.length === 0) return;
  const listed = unknown.map((key) => `"${key}"`).join(', ');
  throw new MailwrightError(code, `Invalid ${what}: ${listed} ${unknown.length === 1 ? `is not ${noun === 'option' ? 'an' : 'a'} ${noun}` : `are not ${noun}s`}; the ${noun}s are ${names.join(', ')}.`, {
    fix: `Check the spelling of ${listed} against: ${names.join(', ')}.`,
    details: { ...details, unknown, [`${noun}s`]: names },
  });
}
