import { ErrorCodes } from '../../../src/errors/error-codes.js';
import { forwardingPolicySchema, type ForwardingPolicyInput, type MailboxForwardingInput } from '../../../src/forwarding/policy/forwarding-policy.js';
import type { InboundEmail } from '../../../src/forwarding/policy/inbound-email.js';
import { planForwards, type PlanInput } from '../../../src/forwarding/policy/plan-forwards.js';
import { remoteDomainFor } from '../../../src/forwarding/policy/remote-domains.js';

const message = (overrides: Partial<InboundEmail> = {}): PlanInput['message'] => ({
  from: { name: 'Customer', address: 'customer@example.com' },
  to: [{ address: 'support@contoso.com' }],
  cc: [],
  subject: 'Invoice 42 overdue',
  text: 'Please pay invoice 42.',
  attachments: [],
  ...overrides,
});

function plan(mailbox: Omit<MailboxForwardingInput, 'address'>, policy: ForwardingPolicyInput = {}, overrides: Partial<PlanInput> = {}) {
  const parsed = forwardingPolicySchema.parse({ acceptedDomains: ['contoso.com'], ...policy, mailboxes: [{ address: 'support@contoso.com', ...mailbox }] });
  return planForwards({ policy: parsed, mailbox: parsed.mailboxes[0]!, message: message(), ...overrides });
}

const addresses = (list: { address: string }[]): string[] => list.map((a) => a.address);

describe('remote domains', () => {
  const domains = forwardingPolicySchema.parse({
    remoteDomains: [
      { domain: '*', autoForwardEnabled: false },
      { domain: '*.fabrikam.com', autoForwardEnabled: true },
      { domain: 'mail.fabrikam.com', autoForwardEnabled: false },
      { domain: 'Partner.COM' },
    ],
  }).remoteDomains;

  it('picks the exact domain, then the longest *. entry (which covers the domain itself), then *', () => {
    expect(remoteDomainFor('mail.fabrikam.com', domains).domain).toBe('mail.fabrikam.com');
    expect(remoteDomainFor('eu.fabrikam.com', domains).domain).toBe('*.fabrikam.com');
    expect(remoteDomainFor('FABRIKAM.com', domains).domain).toBe('*.fabrikam.com');
    expect(remoteDomainFor('notfabrikam.com', domains).domain).toBe('*');
    expect(remoteDomainFor('partner.com', domains)).toEqual({ domain: 'partner.com', autoForwardEnabled: true });
  });

  it('compares domains written in Unicode or in ASCII (IDNA) as one: an entry, an accepted domain, a recipient, a rule condition, a mailbox', () => {
    const policy = { acceptedDomains: ['Bücher.example'], remoteDomains: [{ domain: '*' }, { domain: 'xn--mller-kva.de', autoForwardEnabled: false }] };
    const parsed = forwardingPolicySchema.parse(policy);
    expect(parsed.acceptedDomains).toEqual(['xn--bcher-kva.example']);
    expect(remoteDomainFor('müller.de', parsed.remoteDomains).domain).toBe('xn--mller-kva.de');
    const redirect = plan({ inboxRules: [{ name: 'out', actions: { redirectTo: ['x@müller.de', 'y@xn--mller-kva.de', 'z@bücher.example', 'w@xn--bcher-kva.example'] } }] }, policy);
    expect(addresses(redirect.forwards[0]!.to)).toEqual(['z@bücher.example', 'w@xn--bcher-kva.example']);
    expect(redirect.forwards[0]!.blocked.flatMap((b) => addresses(b.recipients))).toEqual(['x@müller.de', 'y@xn--mller-kva.de']);
    const fromIdn = plan({ inboxRules: [{ name: 'from', conditions: { fromAddresses: ['kunde@xn--mller-kva.de'] }, actions: { forwardTo: ['team@contoso.com'] } }] }, {}, { message: message({ from: { address: 'Kunde@Müller.de' } }) });
    expect(fromIdn.forwards).toHaveLength(1);
    expect(() => forwardingPolicySchema.parse({ mailboxes: [{ address: 'info@bücher.example' }, { address: 'INFO@xn--bcher-kva.example' }] })).toThrow(/listed twice/);
  });

  it('an accepted *.domain covers its subdomains; an accepted domain must be a domain', () => {
    const internal = plan({ forwardingSmtpAddress: 'desk@sales.contoso.com' }, { acceptedDomains: ['*.contoso.com'], remoteDomains: [{ domain: '*', autoForwardEnabled: false }] });
    expect(addresses(internal.forwards[0]!.to)).toEqual(['desk@sales.contoso.com']);
    const bad = forwardingPolicySchema.safeParse({ acceptedDomains: ['@contoso.com', 'not a domain', '*'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['acceptedDomains.0', 'acceptedDomains.1', 'acceptedDomains.2']);
  });

  it('defaults to Exchange\'s Default remote domain: * with auto-forward allowed', () => {
    expect(forwardingPolicySchema.parse({}).remoteDomains).toEqual([{ domain: '*', autoForwardEnabled: true }]);
    expect(remoteDomainFor('anything.org', []).autoForwardEnabled).toBe(true);
  });
});

describe('planForwards', () => {
  it('mailbox SMTP forwarding: a stamped redirect, and the message is not kept without deliverToMailboxAndForward', () => {
    const result = plan({ forwardingSmtpAddress: 'Archive <archive@partner.com>' });
    expect(result.deliverToMailbox).toBe(false);
    expect(result.forwards).toEqual([
      { source: { kind: 'forwarding-smtp-address' }, style: 'redirect', stamped: true, to: [{ name: 'Archive', address: 'archive@partner.com' }], blocked: [] },
    ]);
    expect(plan({ forwardingSmtpAddress: 'archive@partner.com', deliverToMailboxAndForward: true }).deliverToMailbox).toBe(true);
  });

  it('mailbox SMTP forwarding to a blocked remote domain is blocked with the reason, and the message stays in the mailbox', () => {
    const result = plan({ forwardingSmtpAddress: 'archive@partner.com' }, { remoteDomains: [{ domain: '*', autoForwardEnabled: false }] });
    expect(result.deliverToMailbox).toBe(true);
    expect(result.forwards[0]!.to).toEqual([]);
    expect(result.forwards[0]!.blocked).toEqual([
      {
        code: ErrorCodes.FORWARDING_BLOCKED,
        cause: 'remote-domain',
        reason: 'Automatic forwarding to partner.com is not allowed: remote domain "*" has auto-forward disabled',
        fix: expect.stringContaining('Allow auto-forwarding'),
        recipients: [{ address: 'archive@partner.com' }],
      },
    ]);
  });

  it('forwarding to a directory contact is not stamped, so a blocked remote domain does not stop it', () => {
    const result = plan(
      { forwardingContactId: 'c-1' },
      { remoteDomains: [{ domain: '*', autoForwardEnabled: false }] },
      { contact: { name: 'Partner Desk', address: 'desk@partner.com' } },
    );
    expect(result.forwards).toEqual([
      { source: { kind: 'forwarding-contact', contactId: 'c-1' }, style: 'redirect', stamped: false, to: [{ name: 'Partner Desk', address: 'desk@partner.com' }], blocked: [] },
    ]);
    expect(result.deliverToMailbox).toBe(false);
  });

  it('a forwarding contact missing from the directory blocks the forward and keeps the message', () => {
    const result = plan({ forwardingContactId: 'gone' }, {}, { contact: null });
    expect(result.deliverToMailbox).toBe(true);
    expect(result.forwards[0]!.blocked[0]).toMatchObject({ code: ErrorCodes.FORWARDING_CONTACT_NOT_FOUND, reason: expect.stringContaining('"gone"') });
  });

  it('internal recipients (accepted domains) are never blocked; external ones are split off by reason', () => {
    const result = plan(
      { inboxRules: [{ name: 'Everyone', actions: { forwardTo: ['boss@contoso.com', 'a@partner.com', 'b@fabrikam.com', 'c@ok.org'] } }] },
      { remoteDomains: [{ domain: '*' }, { domain: 'partner.com', autoForwardEnabled: false }, { domain: 'fabrikam.com', autoForwardEnabled: false }] },
    );
    const [forward] = result.forwards;
    expect(addresses(forward!.to)).toEqual(['boss@contoso.com', 'c@ok.org']);
    expect(forward!.blocked.map((b) => [b.reason.split(':')[0], addresses(b.recipients)])).toEqual([
      ['Automatic forwarding to partner.com is not allowed', ['a@partner.com']],
      ['Automatic forwarding to fabrikam.com is not allowed', ['b@fabrikam.com']],
    ]);
  });

  it('rules run in sequence order; a matching rule with stopProcessingRules ends it; disabled rules never run', () => {
    const result = plan({
      inboxRules: [
        { name: 'third', sequence: 3, actions: { forwardTo: ['third@contoso.com'] } },
        { name: 'disabled', sequence: 0, enabled: false, actions: { forwardTo: ['never@contoso.com'] } },
        { name: 'first', sequence: 1, conditions: { subjectContains: ['INVOICE'] }, actions: { redirectTo: ['ap@contoso.com'], forwardAsAttachmentTo: ['audit@contoso.com'] } },
        { name: 'second', sequence: 2, conditions: { fromAddresses: ['Someone <CUSTOMER@example.com>'] }, actions: { forwardTo: ['sales@contoso.com'], stopProcessingRules: true } },
      ],
    });
    expect(result.forwards.map((f) => [f.source.kind === 'inbox-rule' && f.source.rule, f.style, addresses(f.to)])).toEqual([
      ['first', 'redirect', ['ap@contoso.com']],
      ['first', 'forward-as-attachment', ['audit@contoso.com']],
      ['second', 'forward', ['sales@contoso.com']],
    ]);
    expect(result.forwards.every((f) => f.stamped)).toBe(true);
    expect(result.deliverToMailbox).toBe(true);
  });

  it('every condition must hold; any exception stops the rule', () => {
    const rule = (conditions: object, exceptions?: object) =>
      plan({ inboxRules: [{ name: 'r', conditions, ...(exceptions ? { exceptions } : {}), actions: { forwardTo: ['x@contoso.com'] } }] }).forwards.length;
    expect(rule({ subjectContains: ['invoice'], hasAttachments: true })).toBe(0);
    expect(rule({ subjectContains: ['invoice'], hasAttachments: false, bodyContains: ['PAY'] })).toBe(1);
    expect(rule({ senderContains: ['customer'] })).toBe(1);
    expect(rule({ sentToAddresses: ['support@contoso.com'] })).toBe(1);
    expect(rule({ sentToAddresses: ['other@contoso.com'] })).toBe(0);
    expect(rule({ bodyOrSubjectContains: ['overdue'] })).toBe(1);
    expect(rule({}, { subjectContains: ['nope'], senderContains: ['example.com'] })).toBe(0);
    expect(rule({}, { subjectContains: ['nope'] })).toBe(1);
  });

  it('inbox rules do not run on a message the mailbox does not keep', () => {
    const result = plan({ forwardingSmtpAddress: 'archive@partner.com', inboxRules: [{ name: 'r', actions: { forwardTo: ['x@contoso.com'] } }] });
    expect(result.forwards.map((f) => f.source.kind)).toEqual(['forwarding-smtp-address']);
  });

  it('a message the mailbox already forwarded (its trusted mark says so) is not forwarded by it again (loop), and says so', () => {
    const result = plan({ inboxRules: [{ name: 'r', actions: { redirectTo: ['x@partner.com'] } }] }, {}, { mark: { alreadyForwarded: true, hops: 2, recordForward: false } });
    expect(result.forwards[0]!.to).toEqual([]);
    expect(result.forwards[0]!.blocked[0]).toMatchObject({ code: ErrorCodes.FORWARDING_BLOCKED, cause: 'loop', reason: expect.stringContaining('Forwarding loop'), recipients: [{ address: 'x@partner.com' }] });
  });

  it('a message that went through inbound.maxForwardHops automatic forwards is kept, its forwards blocked (hop cap)', () => {
    const mailbox = { forwardingSmtpAddress: 'archive@contoso.com', inboxRules: [{ name: 'r', actions: { forwardTo: ['x@contoso.com'] } }] };
    const under = plan(mailbox, { inbound: { maxForwardHops: 3 } }, { mark: { alreadyForwarded: false, hops: 2, recordForward: false } });
    expect(under).toMatchObject({ deliverToMailbox: false, forwards: [{ to: [{ address: 'archive@contoso.com' }] }] });
    const capped = plan(mailbox, { inbound: { maxForwardHops: 3 } }, { mark: { alreadyForwarded: false, hops: 3, recordForward: false } });
    expect(capped.deliverToMailbox).toBe(true);
    expect(capped.forwards.map((f) => [f.to.length, f.blocked[0]?.cause, f.blocked[0]?.reason])).toEqual([
      [0, 'hops', expect.stringContaining('already forwarded automatically 3 times (the limit is 3)')],
      [0, 'hops', expect.stringContaining('Too many automatic forwards')],
    ]);
  });

  it('no inbox rule runs on a record forward of the organization (its trusted mark says so); mailbox forwarding still redirects it', () => {
    const rules = { inboxRules: [{ name: 'r', actions: { forwardTo: ['x@contoso.com'] } }] };
    expect(plan(rules, {}, { mark: { alreadyForwarded: false, hops: 0, recordForward: true } }).forwards).toEqual([]);
    expect(plan({ ...rules, forwardingSmtpAddress: 'a@contoso.com' }, {}, { mark: { alreadyForwarded: false, hops: 0, recordForward: true } }).forwards.map((f) => f.source.kind)).toEqual(['forwarding-smtp-address']);
  });

  it('onBlockedForward: "keep" keeps a message whose mailbox forward the remote domain blocked; "drop" does not (Exchange); a loop or a missing contact is kept either way', () => {
    const blockedOutside = { remoteDomains: [{ domain: '*', autoForwardEnabled: false }] };
    const mailbox = { forwardingSmtpAddress: 'archive@gmail.com', inboxRules: [{ name: 'r', actions: { forwardTo: ['x@contoso.com'] } }] };
    const kept = plan(mailbox, blockedOutside);
    expect(kept.deliverToMailbox).toBe(true);
    expect(kept.forwards.map((f) => f.source.kind)).toEqual(['forwarding-smtp-address', 'inbox-rule']);
    const dropped = plan(mailbox, { ...blockedOutside, onBlockedForward: 'drop' });
    expect(dropped).toMatchObject({ deliverToMailbox: false, forwards: [{ to: [], blocked: [{ cause: 'remote-domain' }] }] });
    expect(plan({ ...mailbox, deliverToMailboxAndForward: true }, { ...blockedOutside, onBlockedForward: 'drop' }).deliverToMailbox).toBe(true);
    expect(plan(mailbox, { ...blockedOutside, onBlockedForward: 'drop' }, { mark: { alreadyForwarded: true, hops: 1, recordForward: false } }).deliverToMailbox).toBe(true);
    expect(plan({ forwardingContactId: 'gone' }, { onBlockedForward: 'drop' }, { contact: null }).deliverToMailbox).toBe(true);
  });
});

describe('forwarding policy validation', () => {
  it('lists every bad field: invalid addresses, both kinds of mailbox forwarding, duplicate mailboxes, domains and rule names, bad domains', () => {
    const result = forwardingPolicySchema.safeParse({
      remoteDomains: [{ domain: 'partner.com' }, { domain: 'PARTNER.com' }, { domain: 'not a domain' }],
      mailboxes: [
        { address: 'support@contoso.com', forwardingSmtpAddress: 'a@b.com', forwardingContactId: 'c-1' },
        { address: 'Support <SUPPORT@contoso.com>' },
        { address: 'sales@contoso.com', inboxRules: [{ name: 'r', actions: { forwardTo: ['not an address'] } }, { name: 'R', actions: {} }] },
      ],
    });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining(['remoteDomains.1', 'remoteDomains.2.domain', 'mailboxes.0.forwardingContactId', 'mailboxes.1', 'mailboxes.2.inboxRules.0.actions.forwardTo.0', 'mailboxes.2.inboxRules.1']),
    );
  });
});
