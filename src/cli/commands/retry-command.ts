import type { Command } from 'commander';
import type { RetrySkipReason } from '../../history/history-service.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';
import { selectedIds, withHistoryFilters, type HistoryFilterFlags } from './history-filter-options.js';

/** What the CLI says of an email `history.retry` left as it was. */
const SKIPPED: Record<RetrySkipReason, string> = {
  'not-found': 'no such email (or purged by the history retention)',
  'not-failed': 'not failed',
  'message-not-kept': 'its message is not kept (sent interactively, a test email, or failed before messages were kept): send it again from the application',
};

/** `mailwright retry`: queue failed email again once its cause is fixed. */
export function registerRetryCommand(program: Command, ctx: CliContext): void {
  withHistoryFilters(
    program
      .command('retry')
      .description('Queue failed email again once the cause is fixed (permission granted, password renewed); distribute sends it')
      .argument('[ids...]', 'history ids of failed emails')
      .option('--failed', 'every failed email, or those the filters below select'),
  ).action(async (ids: string[], flags: HistoryFilterFlags & { failed?: boolean }, command: Command) => {
    const chosen = await selectedIds(command, ctx.open, { ids, flags, all: flags.failed === true, allFlag: '--failed', verb: 'queue again', kind: 'failed', statuses: ['failed'] });
    const { requeued, skipped } = await (await ctx.open()).history.retry(chosen);
    for (const { id, reason } of skipped) ctx.io.out(`skipped ${id}: ${SKIPPED[reason]}`);
    ctx.io.out(
      requeued.length === 0
        ? 'Queued again: none.'
        : `Queued again: ${requeued.length} email(s). \`mailwright distribute --once\` sends them now; a running distributor, at its next run.`,
    );
    if (skipped.length > 0) ctx.exit(ExitCodes.EMAIL_FAILED);
  });
}
