import type { Command } from 'commander';
import type { RetrySkipReason } from '../../history/history-service.js';
import type { Mailwright } from '../../mailwright.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';
import { historyFilterQuery, withHistoryFilters, type HistoryFilterFlags } from './history-filter-options.js';

interface RetryFlags extends HistoryFilterFlags {
  failed?: boolean;
}

/** What the CLI says of an email `history.retry` left as it was. */
const SKIPPED: Record<RetrySkipReason, string> = {
  'not-found': 'no such email (or purged by the history retention)',
  'not-failed': 'not failed',
  'message-not-kept': 'its message is not kept (sent interactively, or a test email): send it again from the application',
};

/** The ids of every failed email the filters select, page by page. */
async function failedIds(mailwright: Mailwright, flags: RetryFlags): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await mailwright.history.list({ ...historyFilterQuery(flags), status: 'failed', limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
    ids.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

/** `mailwright retry`: queue failed email again once its cause is fixed. */
export function registerRetryCommand(program: Command, ctx: CliContext): void {
  withHistoryFilters(
    program
      .command('retry')
      .description('Queue failed email again once the cause is fixed (permission granted, password renewed); distribute sends it')
      .argument('[ids...]', 'history ids of failed emails')
      .option('--failed', 'every failed email, or those the filters below select'),
  ).action(async (ids: string[], flags: RetryFlags, command: Command) => {
    const filtered = Object.keys(historyFilterQuery(flags)).length > 0;
    if (ids.length > 0 === (flags.failed === true) || (filtered && flags.failed !== true)) {
      command.error('Name the emails to retry, or pass --failed (with filters if you like), not both.', { exitCode: ExitCodes.USAGE });
    }
    const mailwright = await ctx.open();
    const chosen = flags.failed === true ? await failedIds(mailwright, flags) : ids;
    const { requeued, skipped } = await mailwright.history.retry(chosen);
    for (const { id, reason } of skipped) ctx.io.out(`skipped ${id}: ${SKIPPED[reason]}`);
    ctx.io.out(
      requeued.length === 0
        ? 'Queued again: none.'
        : `Queued again: ${requeued.length} email(s). \`mailwright distribute --once\` sends them now; a running distributor, at its next run.`,
    );
    if (skipped.length > 0) ctx.exit(ExitCodes.EMAIL_FAILED);
  });
}
