import type { EmailMessage } from '../../src/message/message.js';

/** A valid message with sensible defaults; override what the test is about. */
export function testMessage(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    from: { name: 'Ana María Núñez', address: 'Ana.Nunez@Contoso.com' },
    replyTo: [],
    to: [{ name: 'Customer', address: 'customer@example.com' }],
    cc: [],
    bcc: [],
    subject: 'Quote 7',
    text: 'Hello',
    headers: {},
    attachments: [],
    messageId: `<${Math.random().toString(36).slice(2)}@contoso.com>`,
    date: new Date('2026-11-24T09:00:00Z'),
    ...overrides,
  };
}
