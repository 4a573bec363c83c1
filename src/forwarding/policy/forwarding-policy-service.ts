import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { Address } from '../../message/message.js';
import { parseAddress } from '../../message/address.js';
import { invalidSettings, settingsIssues } from '../../parameters/parse-settings.js';
import type { Clock } from '../../clock/clock.js';
import type { Store } from '../../store/store.js';
import type { ContactDirectory } from '../../users/contact-directory.js';
import type { UserDirectory } from '../../users/user-directory.js';
import type { ProviderRegistry } from '../../providers/provider-registry.js';
import { forwardingMac } from '../forwarding-key.js';
import { readExchangeExport, type ExchangeExport } from './exchange-export.js';
import { auditForwarding, type ForwardingAuditEntry } from './forwarding-audit.js';
import { importedContactIds } from './imported-forwarding.js';
import { reverseSrs } from './srs.js';
import type { MailboxInboxRules } from './mailbox-inbox-rules.js';
import {
  forwardingPolicySchema,
  mailboxKey,
  type ForwardingPolicy,
  type ForwardingPolicyInput,
  type MailboxForwarding,
  type MailboxForwardingInput,
} from './forwarding-policy.js';

/** Settings key of the forwarding policy. */
export const FORWARDING_POLICY_KEY = 'forwarding-policy';

/** Dependencies of {@link ForwardingPolicyService}. */
export interface ForwardingPolicyServiceDeps {
  store: Pick<Store, 'getSetting' | 'putSetting'>;
  users: UserDirectory;
  /** Mail contacts mailboxes may forward to. @default none (only users) */
  contacts?: ContactDirectory;
  /** The registered providers, to read inbox rules from the server. */
  providers: Pick<ProviderRegistry, 'get'>;
  /** The source of time (SRS addresses are valid for 21 days). */
  clock: Clock;
}

/** Options of {@link ForwardingPolicyService.audit}. */
export interface ForwardingAuditOptions {
  /** Also read these mailboxes' inbox rules from the server with this provider (Exchange: Graph messageRules). @default none */
  readRulesFrom?: { providerId: string; mailboxes: readonly string[] };
  /** List forwards that stay inside the organization too. @default false */
  includeInternal?: boolean;
  /**
   * Exported output of Exchange PowerShell's Get-Mailbox (mailbox forwarding, which Graph does
   * not expose) and Get-InboxRule, CSV or JSON: the audit then covers a real tenant, each
   * entry saying which export and row it came from (`origin: 'import'`). @default none
   */
  imports?: readonly ExchangeExport[];
}

/** The policy key of an address a caller asks about; MW_INVALID_ADDRESS when it is not an address. */
const queriedKey = (address: string): string => mailboxKey(parseAddress(address, 'mailbox').address);

/** A directory entry's address, or undefined when its email is missing or not a valid address. */
function contactAddress(found: { email?: string; displayName?: string }): Address | undefined {
  if (typeof found.email !== 'string' || found.email.trim() === '') return undefined;
  try {
    return parseAddress(found.displayName === undefined ? found.email : { name: found.displayName, address: found.email }, 'email');
  } catch {
    return undefined;
  }
}

/**
 * The organization's automatic forwarding policy, persisted in the store:
 * accepted domains, remote domains, and each mailbox's forwarding and inbox
 * rules. Every change is validated whole (one MW_INVALID_SETTINGS listing
 * every bad field) and a forwarding contact must exist; otherwise nothing changes.
 */
export class ForwardingPolicyService {
  constructor(private readonly deps: ForwardingPolicyServiceDeps) {}

  /** The current policy (Exchange's defaults when none was saved). */
  async get(): Promise<ForwardingPolicy> {
    const stored = await this.deps.store.getSetting<ForwardingPolicyInput>(FORWARDING_POLICY_KEY);
    return forwardingPolicySchema.parse(stored ?? {});
  }

  /** Changes top-level fields (acceptedDomains, remoteDomains, mailboxes); the others are kept. */
  async update(patch: Partial<ForwardingPolicyInput>): Promise<ForwardingPolicy> {
    return this.save({ ...(await this.get()), ...patch });
  }

  /** Replaces the whole policy (fields left out get their defaults). */
  async replace(policy: ForwardingPolicyInput): Promise<ForwardingPolicy> {
    return this.save(policy);
  }

  /** Adds a mailbox's forwarding, or replaces the one with the same address. */
  async setMailbox(mailbox: MailboxForwardingInput): Promise<MailboxForwarding> {
    const policy = await this.get();
    const others = typeof mailbox.address === 'string' ? policy.mailboxes.filter((m) => mailboxKey(m.address) !== mailboxKey(mailbox.address)) : policy.mailboxes;
    const saved = await this.save({ ...policy, mailboxes: [...others, mailbox] });
    return saved.mailboxes[saved.mailboxes.length - 1]!;
  }

  /** Removes a mailbox's forwarding and rules; false when it had none. */
  async removeMailbox(address: string): Promise<boolean> {
    const policy = await this.get();
    const key = queriedKey(address);
    const kept = policy.mailboxes.filter((m) => mailboxKey(m.address) !== key);
    if (kept.length === policy.mailboxes.length) return false;
    await this.save({ ...policy, mailboxes: kept });
    return true;
  }

  /** The forwarding of one mailbox, if it has any. */
  async mailbox(address: string): Promise<MailboxForwarding | undefined> {
    return findMailbox(await this.get(), address);
  }

  /**
   * The address a mailbox's forwarding contact stands for: a contact of the
   * contact directory, else a user of the user directory; undefined when neither
   * knows the id, or when its email is missing or not a valid address.
   */
  async resolveContact(id: string): Promise<Address | undefined> {
    const found = await this.findContact(id);
    return found === undefined ? undefined : contactAddress(found);
  }

  /**
   * The original sender of a bounce that came back to an SRS address this organization's
   * redirects used as envelope sender (`redirect.envelopeFrom: 'srs'`), e.g.
   * `SRS0=HHHH=TT=example.com=ana@contoso.com` → `ana@example.com`; undefined when the
   * address is not one of them, was altered, or is older than 21 days. Route the bounce
   * there, or drop it when undefined (it is not a bounce of a forward).
   */
  async reverseSrs(address: string): Promise<string | undefined> {
    if (typeof address !== 'string') return undefined;
    return reverseSrs(await forwardingMac(this.deps.store), Math.floor(this.deps.clock.now().toSeconds()), address);
  }

  private async findContact(id: string): Promise<{ email?: string; displayName?: string } | undefined> {
    return (await this.deps.contacts?.getContact(id)) ?? (await this.deps.users.getUser(id));
  }

  /**
   * Admin discovery: every mailbox and inbox rule that forwards outside the
   * organization, from the policy and, when asked, read from real mailboxes.
   */
  async audit(options: ForwardingAuditOptions = {}): Promise<ForwardingAuditEntry[]> {
    const imports = options.imports ?? [];
    if (!Array.isArray(imports)) {
      throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, 'The audit\'s imports must be a list of { content, name?, mailbox? }.', { fix: 'Pass imports: [{ name: "mailboxes.csv", content }].', details: { field: 'imports' } });
    }
    const imported = imports.map(readExchangeExport);
    const policy = await this.get();
    const contacts = new Map<string, Address>();
    const contactIds = [...policy.mailboxes.flatMap((m) => (m.forwardingContactId === undefined ? [] : [m.forwardingContactId])), ...importedContactIds(imported)];
    for (const id of new Set(contactIds)) {
      const contact = await this.resolveContact(id);
      if (contact !== undefined) contacts.set(id, contact);
    }
    const serverRules: MailboxInboxRules[] = [];
    const from = options.readRulesFrom;
    if (from !== undefined) {
      const provider = this.deps.providers.get(from.providerId);
      if (provider.readInboxRules === undefined) {
        throw new MailwrightError(ErrorCodes.PROVIDER_NOT_ALLOWED, `Provider "${from.providerId}" cannot read inbox rules from mailboxes.`, {
          fix: 'Read inbox rules with an Exchange provider (Microsoft Graph messageRules).',
          details: { providerId: from.providerId },
        });
      }
      for (const mailbox of from.mailboxes) serverRules.push(await provider.readInboxRules(mailbox));
    }
    return auditForwarding({ policy, contacts, serverRules, imported, ...(options.includeInternal !== undefined ? { includeInternal: options.includeInternal } : {}) });
  }

  private async save(value: ForwardingPolicyInput): Promise<ForwardingPolicy> {
    const parsed = forwardingPolicySchema.safeParse(value);
    if (!parsed.success) throw invalidSettings('forwarding policy', settingsIssues(parsed.error));
    for (const [index, mailbox] of parsed.data.mailboxes.entries()) {
      const id = mailbox.forwardingContactId;
      if (id === undefined) continue;
      const details = { field: `mailboxes.${index}.forwardingContactId`, contactId: id, mailbox: mailbox.address };
      const found = await this.findContact(id);
      if (found === undefined) {
        throw new MailwrightError(ErrorCodes.FORWARDING_CONTACT_NOT_FOUND, `Mailbox ${mailbox.address} forwards to contact "${id}", which is in neither the contact nor the user directory; nothing was changed.`, {
          fix: 'Create the contact first, or use forwardingSmtpAddress to forward to an address outside the directory.',
          details,
        });
      }
      if (contactAddress(found) === undefined) {
        throw new MailwrightError(ErrorCodes.FORWARDING_CONTACT_NOT_FOUND, `Mailbox ${mailbox.address} forwards to contact "${id}", which has no valid email address (${JSON.stringify(found.email ?? null)}); nothing was changed.`, {
          fix: `Give "${id}" a valid email address in the directory, or use forwardingSmtpAddress.`,
          details,
        });
      }
    }
    await this.deps.store.putSetting(FORWARDING_POLICY_KEY, parsed.data);
    return parsed.data;
  }
}

/** A mailbox's forwarding in the policy (address compared case-insensitively). */
export function findMailbox(policy: ForwardingPolicy, address: string): MailboxForwarding | undefined {
  const key = queriedKey(address);
  return policy.mailboxes.find((m) => mailboxKey(m.address) === key);
}
