import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { Address } from '../../src/message/message.js';
import type { Provider } from '../../src/providers/provider.js';
import { applySenderMode, userFromAddress } from '../../src/users/sender-identity.js';

const provider = (senderMode: 'sendAs' | 'sendOnBehalf', mailbox?: Address): Provider => ({
  id: 'p',
  kind: 'smtp',
  displayName: 'P',
  interactive: true,
  batch: true,
  microsoft365: false,
  senderMode,
  mailbox: async () => mailbox,
  send: async () => {
    throw new Error('not used');
  },
});

describe('userFromAddress', () => {
  it('uses the directory email and display name exactly', () => {
    expect(userFromAddress({ id: 'a', email: 'Ana.Nunez@Contoso.com', displayName: 'Ana María Núñez' })).toEqual({
      name: 'Ana María Núñez',
      address: 'Ana.Nunez@Contoso.com',
    });
  });

  it('prefers the "Sender email" override with its own name, falling back to the display name', () => {
    const user = { id: 'a', email: 'ana@contoso.com', displayName: 'Ana', options: { senderEmail: 'Sales@Contoso.com' } };
    expect(userFromAddress(user)).toEqual({ name: 'Ana', address: 'Sales@Contoso.com' });
    expect(userFromAddress({ ...user, options: { senderEmail: 'Sales@Contoso.com', senderName: 'Contoso Sales' } })).toEqual({
      name: 'Contoso Sales',
      address: 'Sales@Contoso.com',
    });
  });

  it('ignores a blank override', () => {
    expect(userFromAddress({ id: 'a', email: 'ana@contoso.com', options: { senderEmail: '  ' } })).toEqual({ address: 'ana@contoso.com' });
  });

  it('a user with no email and no override has no From: a typed error, not an empty address', () => {
    for (const email of [undefined, '', '  ']) {
      expect(() => userFromAddress({ id: 'bob', email: email as string })).toThrow(
        expect.objectContaining({ code: ErrorCodes.INVALID_ADDRESS, message: 'The user "bob" has no email address, so there is no From address to send as.', details: { field: 'from', userId: 'bob' } }),
      );
    }
    expect(userFromAddress({ id: 'bob', email: '', options: { senderEmail: 'Sales@Contoso.com' } })).toEqual({ address: 'Sales@Contoso.com' });
  });
});

describe('applySenderMode', () => {
  const from = { name: 'Ana', address: 'ana@contoso.com' };
  const mailbox = { name: 'Contoso Mail', address: 'noreply@contoso.com' };

  it('Send As: From only', async () => {
    expect(await applySenderMode(from, provider('sendAs', mailbox))).toEqual({ from });
  });

  it('Send On Behalf: From = user, Sender = mailbox', async () => {
    expect(await applySenderMode(from, provider('sendOnBehalf', mailbox))).toEqual({ from, sender: mailbox });
  });

  it('Send On Behalf from the mailbox itself adds no Sender', async () => {
    expect(await applySenderMode({ address: 'NoReply@contoso.com' }, provider('sendOnBehalf', mailbox))).toEqual({
      from: { address: 'NoReply@contoso.com' },
    });
  });
});
