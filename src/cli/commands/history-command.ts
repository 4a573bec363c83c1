import type { Command } from 'commander';
import { formatHistoryTable } from '../../history/format-history-table.js';
import type { EmailStatus } from '../../store/email-record.js';
import type { CliContext } from '../cli-context.js';

interface HistoryFlags {
  status?: string;
  sender?: string;
  provider?: string;
  since?: string;
  until?: string;
  limit: string;
  json?: boolean;
}

/** `mailwright history`: list history records as a table or JSON. */
export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('List the email history, newest first')
    .option('--status <status>', 'only this status (queued, sending, sent, failed, deferred, blocked, exported); comma-separated for several')
    .option('--sender <address>', 'only email from this address (case-insensitive)')
    .option('--provider <id>', 'only email sent with this provider')
    .option('--since <date>', 'created at or after this ISO date/time')
    .option('--until <date>', 'created before this ISO date/time')
    .option('--limit <n>', 'maximum number of records', '50')
    .option('--json', 'print JSON (one array) instead of a table')
    .action(async (flags: HistoryFlags) => {
      const mailwright = await ctx.open();
      const { items } = await mailwright.history.list({
        ...(flags.status ? { status: flags.status.split(',') as EmailStatus[] } : {}),
        ...(flags.sender ? { sender: flags.sender } : {}),
        ...(flags.provider ? { providerId: flags.provider } : {}),
        ...(flags.since ? { since: flags.since } : {}),
        ...(flags.until ? { until: flags.until } : {}),
        limit: Number(flags.limit),
      });
      if (flags.json) ctx.io.out(JSON.stringify(items, null, 2));
      else if (items.length === 0) ctx.io.out('No email matches.');
      else ctx.io.out(formatHistoryTable(items, { width: ctx.io.columns }));
    });
}
