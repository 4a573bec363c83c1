import type { Command } from 'commander';
import { formatHistoryTable } from '../../history/format-history-table.js';
import type { HistoryExportFormat } from '../../history/history-export.js';
import { partlyRefused } from '../../history/partly-refused.js';
import type { EmailRecord, EmailStatus } from '../../store/email-record.js';
import type { CliContext } from '../cli-context.js';
import { wholeNumber } from '../number-option.js';
import { historyFilterQuery, withHistoryFilters, type HistoryFilterFlags } from './history-filter-options.js';

interface HistoryFlags extends HistoryFilterFlags {
  status?: string;
  limit: number;
  json?: boolean;
  export?: string;
}

const withPartlyRefused = (record: EmailRecord) => {
  const partly = partlyRefused(record);
  return partly === undefined ? {} : { partlyRefused: partly };
};

/** `mailwright history`: list history records as a table or JSON. */
export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  withHistoryFilters(
    program
      .command('history')
      .description('List the email history, newest first')
      .option('--status <status>', 'only this status (queued, sending, sent, failed, deferred, blocked, exported); comma-separated for several'),
  )
    .option('--limit <n>', 'maximum number of records (at most 1000)', wholeNumber('--limit', 1, 50), 50)
    .option('--json', 'print JSON (one array) instead of a table')
    .option('--export <format>', 'print every email the filters match (no --limit) as csv or json')
    .action(async (flags: HistoryFlags) => {
      const mailwright = await ctx.open();
      const filters = { ...(flags.status ? { status: flags.status.split(',') as EmailStatus[] } : {}), ...historyFilterQuery(flags) };
      if (flags.export !== undefined) {
        for await (const chunk of await mailwright.history.export(filters, { format: flags.export as HistoryExportFormat })) ctx.io.out(chunk);
        return;
      }
      const { items } = await mailwright.history.list({ ...filters, limit: flags.limit });
      // JSON says too when a sent email's server refused some of its recipients (partlyRefused).
      if (flags.json) ctx.io.out(JSON.stringify(items.map((r) => ({ ...r, ...withPartlyRefused(r) })), null, 2));
      else if (items.length === 0) ctx.io.out('No email matches.');
      else ctx.io.out(formatHistoryTable(items, { width: ctx.io.columns }));
    });
}
