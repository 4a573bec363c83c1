import { errorText } from '../../src/cli/error-text.js';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { MailwrightError } from '../../src/errors/mailwright-error.js';

describe('errorText: how the CLI prints an error (a command\'s, or a repeating distribute run\'s)', () => {
  it('a MailwrightError: its code, what happened, and the fix', () => {
    const error = new MailwrightError(ErrorCodes.NO_BATCH_PROVIDER, 'No batch email provider is set.', { fix: 'Set it with `mailwright params set batchProviderId smtp`.' });
    expect(errorText(error)).toBe('Error MW_NO_BATCH_PROVIDER: No batch email provider is set.\nFix: Set it with `mailwright params set batchProviderId smtp`.');
  });

  it('anything else: its message', () => {
    expect(errorText(new Error('boom'))).toBe('Error: boom');
    expect(errorText('text')).toBe('Error: text');
  });
});
