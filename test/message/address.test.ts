import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { formatAddress, parseAddress, parseAddressList } from '../../src/message/address.js';

describe('parseAddress', () => {
  it.each([
    ['user@example.com', { address: 'user@example.com' }],
    ['Ana María Núñez <Ana.Nunez@Contoso.com>', { name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' }],
    ['"Núñez, Ana" <ana@contoso.com>', { name: 'Núñez, Ana', address: 'ana@contoso.com' }],
    ['"Say \\"hi\\"" <a@b.co>', { name: 'Say "hi"', address: 'a@b.co' }],
    ['"john doe"@example.com', { address: '"john doe"@example.com' }],
    ['ana+invoices@contoso.com', { address: 'ana+invoices@contoso.com' }],
    ['kim@bücher.example', { address: 'kim@bücher.example' }],
    ['<noreply@contoso.com>', { address: 'noreply@contoso.com' }],
    ['root@localhost', { address: 'root@localhost' }],
    ['ops@[192.168.0.1]', { address: 'ops@[192.168.0.1]' }],
  ])('accepts %s exactly as written', (input, expected) => {
    expect(parseAddress(input, 'to')).toEqual(expected);
  });

  it.each([
    ['not an address', 'user name, an @ and a domain'],
    ['a@@b.com', 'more than one @'],
    ['a b@c.com', 'characters that need quoting'],
    ['x <a b@c.com>', 'characters that need quoting'],
    ['@example.com', 'user name, an @ and a domain'],
    ['user@', 'user name, an @ and a domain'],
    ['user@-bad-.com', 'not a valid domain'],
    ['user@contoso', 'single-label domain'],
    ['user@example..com', 'not a valid domain'],
    [`${'x'.repeat(65)}@example.com`, 'longer than 64'],
    ['a@b.com\r\nBcc: victim@example.com', 'line break'],
    ['a@b.com, c@d.com', 'only one address'],
    ['Team: a@b.com;', 'group syntax'],
    ['Team: <a@b.com>', 'group syntax'],
    ['Ana <ana@contoso.com', 'not balanced'],
    ['', 'empty'],
  ])('rejects %j (%s) with a typed error naming the field', (input, why) => {
    let error: MailwrightError | undefined;
    try {
      parseAddress(input, 'cc');
    } catch (e) {
      error = e as MailwrightError;
    }
    expect(error?.code).toBe(ErrorCodes.INVALID_ADDRESS);
    expect(error?.message).toContain('"cc"');
    expect(error?.message).toContain(why);
    expect(error?.details.field).toBe('cc');
  });

  it('rejects CR/LF in an object display name', () => {
    expect(() => parseAddress({ name: 'Ana\r\nBcc: x@y.com', address: 'a@b.com' }, 'from')).toThrow(/line break/);
  });
});

describe('parseAddressList and formatAddress', () => {
  it('splits at top-level commas only and names each bad item', () => {
    expect(parseAddressList('"Núñez, Ana" <ana@contoso.com>, bob@contoso.com', 'to')).toEqual([
      { name: 'Núñez, Ana', address: 'ana@contoso.com' },
      { address: 'bob@contoso.com' },
    ]);
    expect(() => parseAddressList(['ok@contoso.com', 'broken'], 'to')).toThrow(/"to\[1\]"/);
  });

  it('quotes display names only when needed', () => {
    expect(formatAddress({ name: 'Ana María Núñez', address: 'a@b.co' })).toBe('Ana María Núñez <a@b.co>');
    expect(formatAddress({ name: 'Núñez, Ana', address: 'a@b.co' })).toBe('"Núñez, Ana" <a@b.co>');
    expect(formatAddress({ address: 'a@b.co' })).toBe('a@b.co');
  });
});
