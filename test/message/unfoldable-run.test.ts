import fc from 'fast-check';
import { hasUnfoldableRun, MAX_UNFOLDABLE_RUN } from '../../src/message/unfoldable-run.js';
import { validateMessage } from '../../src/message/validate-message.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';

/** The rule as a regular expression: right, but 900 steps per character on 899-character words. */
const reference = (value: string): boolean => /[\x21-\x7e]{900,}/.test(value);

/** Text made of runs around the limit, separated by spaces, tabs or non-ASCII characters. */
const runs = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: MAX_UNFOLDABLE_RUN + 3 }),
      fc.constantFrom('a', '~', '!', 'Z'),
      fc.constantFrom(' ', '\t', 'é', '\u00a0', ''),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.map(([length, char, separator]) => char.repeat(length) + separator).join(''));

describe('the unfoldable-run check of header values', () => {
  it('finds a run of 900 printable ASCII characters exactly where the rule does', () => {
    fc.assert(fc.property(fc.oneof(runs, fc.string({ maxLength: 2000 })), (value) => hasUnfoldableRun(value) === reference(value)), { numRuns: 500 });
  });

  it('a subject of 899-character words is accepted, one of 900 refused with MW_INVALID_HEADER', async () => {
    const options = { from: { address: 'a@contoso.com' }, messageIdDomain: 'contoso.com', now: new Date('2026-11-24T09:00:00Z') };
    const subject = (length: number): string => Array.from({ length: 50 }, () => 'w'.repeat(length)).join(' ');
    await expect(validateMessage({ to: 'b@contoso.com', subject: subject(899), text: 'x' }, options)).resolves.toMatchObject({ subject: subject(899) });
    await expect(validateMessage({ to: 'b@contoso.com', subject: subject(900), text: 'x' }, options)).rejects.toMatchObject({ code: ErrorCodes.INVALID_HEADER, details: { field: 'subject' } });
  });
});
