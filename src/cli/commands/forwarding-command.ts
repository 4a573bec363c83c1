import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, type ErrorCode } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { formatAuditEntry } from '../../forwarding/policy/format-audit-entry.js';
import { formatAddress } from '../../message/address.js';
import type { CliContext } from '../cli-context.js';

/** The bytes of a file the user named; a file that cannot be read is a usage error saying which. */
async function readNamedFile(file: string, code: ErrorCode, fix: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new MailwrightError(code, `Cannot read ${file}: ${(cause as Error).message}`, { fix, cause });
  }
}

async function readPolicyFile(file: string): Promise<unknown> {
  const text = (await readNamedFile(file, ErrorCodes.INVALID_SETTINGS, 'Give the path of a JSON file with the forwarding policy.')).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `${file} is not valid JSON: ${(cause as Error).message}`, { fix: 'Correct the JSON (see docs/forwarding-policy.md for an example policy).', cause });
  }
}

/** `mailwright forwarding show|set|test|audit`: the automatic forwarding policy. */
export function registerForwardingCommand(program: Command, ctx: CliContext): void {
  const forwarding = program.command('forwarding').description('Automatic forwarding policy (Exchange style): show, set, test, audit');
  forwarding
    .command('show')
    .description('Print the forwarding policy as JSON')
    .action(async () => {
      const mailwright = await ctx.open();
      ctx.io.out(JSON.stringify(await mailwright.forwardingPolicy.get(), null, 2));
    });
  forwarding
    .command('set <file>')
    .description('Replace the forwarding policy with the JSON in FILE (checked whole: on any error nothing changes)')
    .action(async (file: string) => {
      const input = await readPolicyFile(file);
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `${file} must hold one JSON object.`, { fix: 'Write { "acceptedDomains": [...], "remoteDomains": [...], "mailboxes": [...] }.' });
      }
      const mailwright = await ctx.open({ create: true });
      const saved = await mailwright.forwardingPolicy.replace(input);
      ctx.io.out(`Forwarding policy saved: ${saved.mailboxes.length} mailbox(es), ${saved.remoteDomains.length} remote domain(s), ${saved.acceptedDomains.length} accepted domain(s).`);
    });
  forwarding
    .command('test <file>')
    .description('Dry run: what the policy would do with the message in FILE (RFC 5322, e.g. an .eml) arriving in --mailbox; nothing is queued or recorded')
    .requiredOption('--mailbox <address>', 'the mailbox the message arrives in')
    .action(async (file: string, flags: { mailbox: string }) => {
      const mailwright = await ctx.open();
      const message = await readNamedFile(file, ErrorCodes.INVALID_MESSAGE, 'Give the path of a message file (.eml).');
      const plan = await mailwright.previewInbound({ mailbox: flags.mailbox, message });
      ctx.io.out(`${plan.mailbox}: ${plan.deliverToMailbox ? 'keeps the message' : 'does not keep the message (forwarded only)'}`);
      for (const forward of plan.forwards) {
        const what = forward.source.kind === 'inbox-rule' ? `rule "${forward.source.rule}"` : forward.source.kind === 'forwarding-contact' ? 'ForwardingAddress' : 'ForwardingSmtpAddress';
        if (forward.to.length > 0) ctx.io.out(`  ${what}: ${forward.style} -> ${forward.to.map(formatAddress).join(', ')}`);
        for (const blocked of forward.blocked) {
          const recipients = blocked.recipients.length === 0 ? '' : ` ${blocked.recipients.map(formatAddress).join(', ')}`;
          ctx.io.out(`  ${what}: ${forward.style} BLOCKED${recipients}: ${blocked.reason}`);
        }
      }
      if (plan.forwards.length === 0) ctx.io.out('  no forward');
    });
  forwarding
    .command('audit')
    .description('List every mailbox and inbox rule that forwards outside the organization')
    .option('--rules-from <providerId>', 'also read inbox rules from the mailboxes given with --mailbox, with this provider (Exchange)')
    .option('--mailbox <address...>', 'mailboxes whose inbox rules to read from the server')
    .option('--import <file...>', 'also audit exported Get-Mailbox / Get-InboxRule output (Export-Csv or ConvertTo-Json), e.g. mailboxes.csv rules.json')
    .option('--all', 'list forwards inside the organization too')
    .option('--json', 'print JSON instead of lines')
    .action(async (flags: { rulesFrom?: string; mailbox?: string[]; import?: string[]; all?: boolean; json?: boolean }) => {
      if ((flags.rulesFrom === undefined) !== (flags.mailbox === undefined)) {
        throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, '--rules-from and --mailbox go together.', { fix: 'Give both, e.g. --rules-from exchange --mailbox ana@contoso.com.' });
      }
      const fix = 'Give the path of a file exported from Exchange PowerShell, e.g. Get-Mailbox | Export-Csv mailboxes.csv.';
      const imports = await Promise.all((flags.import ?? []).map(async (file) => ({ name: basename(file), content: await readNamedFile(file, ErrorCodes.INVALID_SETTINGS, fix) })));
      const mailwright = await ctx.open();
      const entries = await mailwright.auditForwarding({
        ...(flags.rulesFrom !== undefined ? { readRulesFrom: { providerId: flags.rulesFrom, mailboxes: flags.mailbox ?? [] } } : {}),
        ...(flags.all === true ? { includeInternal: true } : {}),
        ...(imports.length > 0 ? { imports } : {}),
      });
      if (flags.json === true) ctx.io.out(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) ctx.io.out('No mailbox or rule forwards outside the organization.');
      else for (const entry of entries) ctx.io.out(formatAuditEntry(entry));
    });
}
