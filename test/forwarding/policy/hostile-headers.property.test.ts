import fc from 'fast-check';
import { forwardingMac } from '../../../src/forwarding/forwarding-key.js';
import { hopToken, NO_MARK, readMark, writeMark } from '../../../src/forwarding/forwarding-mark.js';
import { autoForwardMessage } from '../../../src/forwarding/policy/auto-forward-message.js';
import { cleanHeaderText } from '../../../src/forwarding/policy/clean-inbound.js';
import { parseInboundEmail } from '../../../src/forwarding/policy/inbound-email.js';
import type { PlannedForward } from '../../../src/forwarding/policy/plan-forwards.js';
import { validateMessage } from '../../../src/message/validate-message.js';

const LIMITS = { maxHeaderBytes: 262_144, maxMimeParts: 500 };
const VALIDATE = { messageIdDomain: 'contoso.com', now: new Date('2026-11-25T10:00:00Z') };
const MAILBOX = { name: 'Contoso Support', address: 'support@contoso.com' };

/** Any text: every code point, control characters and lone surrogates included, sometimes in long runs. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('x', '<', '\u0000', '\r\n', '=?', ' '), fc.integer({ min: 1, max: 2500 })).map(([c, n]) => c.repeat(n)),
);
const encodedWord = (text: string): string => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

/** A received message whose Subject, From name and thread headers carry hostile values, encoded as senders can. */
const hostileMessage = fc.record({ subject: hostileText, name: hostileText, references: fc.string({ maxLength: 3000 }), filename: hostileText }).map(({ subject, name, references, filename }) =>
  Buffer.from(
    [
      `From: ${encodedWord(name)} <customer@example.com>`,
      'To: support@contoso.com',
      `Subject: ${encodedWord(subject)}`,
      'Message-ID: <m1@example.com>',
      `References: ${references.replace(/[\r\n]/g, ' ')}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Body',
      '--b',
      `Content-Type: application/octet-stream; name="${encodedWord(filename)}"`,
      'Content-Disposition: attachment',
      '',
      'data',
      '--b--',
      '',
    ].join('\r\n'),
  ),
);

const forward = (style: PlannedForward['style']): PlannedForward => ({ source: { kind: 'forwarding-smtp-address' }, style, stamped: true, to: [{ address: 'archive@contoso.com' }], blocked: [] });

describe('hostile header values never fail a forward (fast-check)', () => {
  it('cleaned header text is always a valid subject: no line break, NUL or run too long to fold', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        const subject = cleanHeaderText(text);
        await validateMessage({ from: MAILBOX, to: 'a@contoso.com', subject, text: 'x' }, VALIDATE);
      }),
      { numRuns: 300 },
    );
  });

  it('every style of forward of a message with hostile Subject, From name, References and file name validates', async () => {
    await fc.assert(
      fc.asyncProperty(hostileMessage, async (raw) => {
        const inbound = await parseInboundEmail(raw, LIMITS);
        for (const style of ['redirect', 'forward', 'forward-as-attachment'] as const) {
          const message = autoForwardMessage(forward(style), [{ address: 'archive@contoso.com' }], inbound, MAILBOX, { messageId: '<fw@contoso.com>', headers: {} });
          await validateMessage(message, VALIDATE);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('forwarding marks (fast-check)', () => {
  const store = (): { getSetting: <T>(k: string) => Promise<T | undefined>; putSetting: (k: string, v: unknown) => Promise<void> } => {
    const settings = new Map<string, unknown>();
    return { getSetting: async <T>(k: string) => settings.get(k) as T | undefined, putSetting: async (k, v) => void settings.set(k, v) };
  };

  it('no header text is a valid mark without the key: forged values read as no mark', async () => {
    const mac = await forwardingMac(store());
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 400 }), { maxLength: 3 }), fc.string(), (values, messageId) => readMark(mac, 1_795_000_000, values, messageId) === NO_MARK), { numRuns: 500 });
  });

  it('a mark counts only for its own Message-ID, with the key that signed it, for 7 days', async () => {
    const mac = await forwardingMac(store());
    const other = await forwardingMac(store());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.emailAddress(), { minLength: 1, maxLength: 5 }), fc.string({ minLength: 1, maxLength: 40 }), async (mailboxes, recordId) => {
        const hops = mailboxes.map((m) => hopToken(mac, m));
        const t = 1_795_000_000;
        const mark = writeMark(mac, t, { messageId: '<a@contoso.com>', hops, recordId });
        expect(readMark(mac, t + 60, [mark], '<a@contoso.com>')).toEqual({ hops: [...new Set(hops)], recordId });
        expect(readMark(mac, t + 60, ['garbage', mark], ' <a@contoso.com> ')).toEqual({ hops: [...new Set(hops)], recordId });
        expect(readMark(mac, t + 60, [mark], '<b@contoso.com>')).toBe(NO_MARK);
        expect(readMark(other, t + 60, [mark], '<a@contoso.com>')).toBe(NO_MARK);
        expect(readMark(mac, t + 7 * 86_400 + 1, [mark], '<a@contoso.com>')).toBe(NO_MARK);
        expect(readMark(mac, t, [mark.replace(/h=[^;]*/, `h=${[...new Set(hops)].slice(1).join('.')}`)], '<a@contoso.com>')).toBe(NO_MARK);
      }),
      { numRuns: 100 },
    );
  });
});
