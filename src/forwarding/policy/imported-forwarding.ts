import { addressProblem, parseAddress } from '../../message/address.js';
import type { Address } from '../../message/message.js';
import type { ExchangeCmdlet, ExportRows } from './exchange-export.js';
import { auditTargets, type AuditPolicy } from './audit-targets.js';
import type { ForwardingAuditEntry } from './forwarding-audit.js';
import { addressSpecOf } from './inbox-rule.js';
import type { ForwardStyle } from './plan-forwards.js';

/** Where an audit entry read from an Exchange export came from. */
export interface ImportSource {
  /** The export's name (e.g. its file name). */
  name: string;
  /** The cmdlet whose output it is. */
  cmdlet: ExchangeCmdlet;
  /** The row, 1-based (data rows of a CSV, objects of a JSON list). */
  row: number;
}

/** Rule properties of Get-InboxRule that mailwright does not model, listed when a rule sets them. */
const UNSUPPORTED_RULE_PROPERTIES = [
  'DeleteMessage', 'MoveToFolder', 'CopyToFolder', 'MarkAsRead', 'MarkImportance', 'ApplyCategory', 'SendTextMessageNotificationTo',
  'HeaderContainsWords', 'RecipientAddressContainsWords', 'MessageTypeMatches', 'WithImportance', 'WithSensitivity', 'FlaggedForAction',
  'ReceivedAfterDate', 'ReceivedBeforeDate', 'WithinSizeRangeMinimum', 'WithinSizeRangeMaximum', 'SentOnlyToMe', 'MyNameInToBox', 'MyNameInCcBox',
];

const RULE_ACTION_COLUMNS: [string, ForwardStyle][] = [
  ['RedirectTo', 'redirect'],
  ['ForwardTo', 'forward'],
  ['ForwardAsAttachmentTo', 'forward-as-attachment'],
];

/** Export-Csv of a list property writes the .NET type name instead of the values. */
const TYPE_NAME = /^(?:System|Microsoft)\.[\w.`[\]]+$/;
const TYPE_NAME_PROBLEM = 'the export holds a .NET type name instead of the recipients: export with ConvertTo-Json, or join the list (@{n="ForwardTo";e={$_.ForwardTo -join ";"}})';

/** A single value as text: strings trimmed, numbers and booleans written out, an address object's address; undefined when empty. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const { AddressString, Address: address } = value as Record<string, unknown>;
    return text(AddressString ?? address);
  }
  return undefined;
}

const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : /^(true|false)$/i.test(text(value) ?? '') ? /^true$/i.test(text(value)!) : undefined);
const withoutPrefix = (address: string): string => address.replace(/^smtp:/i, '');

/** A list property's entries as text (`"Ana" [SMTP:ana@x]`), or 'type-name' when the export lost them. */
function entries(value: unknown): string[] | 'type-name' {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === 'object' && item !== null && 'RoutingType' in item) {
        const { RoutingType, Address: address, DisplayName } = item as Record<string, unknown>;
        return [`"${text(DisplayName) ?? ''}" [${text(RoutingType) ?? 'SMTP'}:${text(address) ?? ''}]`];
      }
      const one = text(item);
      return one === undefined ? [] : [one];
    });
  }
  const one = text(value);
  if (one === undefined) return [];
  return TYPE_NAME.test(one) ? 'type-name' : [one];
}

/** SMTP addresses, Exchange (X.500) recipients by name, and what is neither, in a rule's recipient entries. */
function recipients(list: readonly string[]): { addresses: Address[]; exchange: string[]; bad: string[] } {
  const found = { addresses: [] as Address[], exchange: [] as string[], bad: [] as string[] };
  for (const item of list) {
    const bracketed = [...item.matchAll(/(?:"([^"]*)"\s*)?\[(SMTP|EX):([^\]]*)\]/gi)];
    const parts = bracketed.length > 0 ? bracketed.map((m) => ({ name: m[1], routing: m[2]!.toUpperCase(), value: m[3]!.trim() })) : item.split(/[;,]/).map((value) => ({ name: undefined, routing: 'SMTP', value: value.trim() }));
    for (const { name, routing, value } of parts) {
      if (value === '') continue;
      if (routing === 'EX') found.exchange.push(name || value);
      else if (addressProblem(addressSpecOf(value)) === undefined) found.addresses.push(parseAddress(addressSpecOf(value), 'rule'));
      else found.bad.push(value);
    }
  }
  return found;
}

const firstText = (values: Record<string, unknown>, columns: readonly string[]): string | undefined => columns.map((c) => text(values[c])).find((v) => v !== undefined);

/** The entries of a Get-Mailbox export: one per row that forwards (ForwardingSmtpAddress, ForwardingAddress). */
function mailboxEntries(rows: ExportRows, policy: AuditPolicy, contacts: ReadonlyMap<string, Address>): ForwardingAuditEntry[] {
  return rows.rows.flatMap(({ row, values }) => {
    const mailbox = withoutPrefix(firstText(values, ['PrimarySmtpAddress', 'WindowsEmailAddress', 'UserPrincipalName', 'Identity', 'Name']) ?? `(row ${row})`);
    const deliverToMailboxAndForward = flag(values.DeliverToMailboxAndForward) ?? false;
    const common = { mailbox, origin: 'import', imported: { name: rows.name, cmdlet: rows.cmdlet, row }, style: 'redirect', enabled: true, deliverToMailboxAndForward } as const;
    const found: ForwardingAuditEntry[] = [];
    const contactId = text(values.ForwardingAddress);
    if (contactId !== undefined) {
      const contact = contacts.get(contactId) ?? (addressProblem(contactId) === undefined ? { address: contactId } : undefined);
      const source = { kind: 'forwarding-contact', contactId } as const;
      found.push(
        contact !== undefined
          ? { ...common, source, stamped: false, targets: auditTargets([contact], false, policy) }
          : { ...common, source, stamped: false, targets: [], problem: `ForwardingAddress "${contactId}" names an Exchange recipient whose address the export does not give and the contact directory does not know` },
      );
    }
    const smtp = text(values.ForwardingSmtpAddress);
    if (smtp !== undefined) {
      const address = withoutPrefix(smtp);
      const ignored = contactId !== undefined ? 'Exchange ignores it while ForwardingAddress is set' : undefined;
      const source = { kind: 'forwarding-smtp-address' } as const;
      found.push(
        addressProblem(address) === undefined
          ? { ...common, source, stamped: true, targets: auditTargets([{ address }], true, policy), ...(ignored !== undefined ? { problem: ignored } : {}) }
          : { ...common, source, stamped: true, targets: [], problem: `ForwardingSmtpAddress "${smtp}" is not a valid address` },
      );
    }
    return found;
  });
}

/** The entries of a Get-InboxRule export: one per forwarding action of each rule. */
function ruleEntries(rows: ExportRows, policy: AuditPolicy): ForwardingAuditEntry[] {
  return rows.rows.flatMap(({ row, values }) => {
    const mailbox = withoutPrefix(firstText(values, ['Mailbox']) ?? rows.mailbox ?? firstText(values, ['MailboxOwnerId']) ?? `(row ${row})`);
    const rule = text(values.Name) ?? `(rule in row ${row})`;
    const unsupported = UNSUPPORTED_RULE_PROPERTIES.filter((p) => flag(values[p]) === true || (flag(values[p]) === undefined && [entries(values[p])].flat().length > 0));
    const common = {
      mailbox,
      origin: 'import',
      imported: { name: rows.name, cmdlet: rows.cmdlet, row },
      source: { kind: 'inbox-rule', rule },
      enabled: flag(values.Enabled) ?? true,
      stamped: true,
      ...(unsupported.length > 0 ? { unsupported } : {}),
    } as const;
    return RULE_ACTION_COLUMNS.flatMap(([column, style]): ForwardingAuditEntry[] => {
      const list = entries(values[column]);
      if (list === 'type-name') return [{ ...common, style, targets: [], problem: `${column}: ${TYPE_NAME_PROBLEM}` }];
      if (list.length === 0) return [];
      const { addresses, exchange, bad } = recipients(list);
      return [
        {
          ...common,
          style,
          targets: auditTargets(addresses, true, policy),
          ...(exchange.length > 0 ? { exchangeRecipients: exchange } : {}),
          ...(bad.length > 0 ? { problem: `${column}: not addresses: ${bad.join(', ')}` } : {}),
        },
      ];
    });
  });
}

/** The audit entries of Exchange exports, each saying which export and row it came from. */
export function importedEntries(exports: readonly ExportRows[], policy: AuditPolicy, contacts: ReadonlyMap<string, Address>): ForwardingAuditEntry[] {
  return exports.flatMap((rows) => (rows.cmdlet === 'Get-Mailbox' ? mailboxEntries(rows, policy, contacts) : ruleEntries(rows, policy)));
}

/** The ForwardingAddress values of Get-Mailbox exports, for the contact directory to resolve. */
export const importedContactIds = (exports: readonly ExportRows[]): string[] =>
  exports.filter((e) => e.cmdlet === 'Get-Mailbox').flatMap((e) => e.rows.flatMap(({ values }) => [text(values.ForwardingAddress)].filter((v): v is string => v !== undefined)));
