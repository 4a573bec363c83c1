import type { Command } from 'commander';
import type { CancelSkipReason } from '../../history/history-service.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';
import { selectedIds, withHistoryFilters, type HistoryFilterFlags } from './history-filter-options.js';

/** What the CLI says of an email `history.cancel` left as it was. */
const SKIPPED: Record<CancelSkipReason, string> = {
  'not-found': 'no such email (or purged by the history retention)',
  'being-sent': 'being sent now: it cannot be called back',
  finished: 'already finished',
};

/** `mailwright cancel`: stop waiting emails before they are sent. */
export function registerCancelCommand(program: Command, ctx: CliContext): void {
  withHistoryFilters(
    program
      .command('cancel')
      .description('Cancel queued or deferred email before it is sent (it ends failed, MW_CANCELLED; retry sends it after all)')
      .argument('[ids...]', 'history ids of waiting emails')
      .option('--waiting', 'every queued or deferred email, or those the filters below select')
      .option('--reason <text>', 'why, for the history'),
  ).action(async (ids: string[], flags: HistoryFilterFlags & { waiting?: boolean; reason?: string }, command: Command) => {
    const chosen = await selectedIds(command, ctx.open, { ids, flags, all: flags.waiting === true, allFlag: '--waiting', verb: 'cancel', kind: 'waiting', statuses: ['queued', 'deferred'] });
    const { cancelled, skipped } = await (await ctx.open()).history.cancel(chosen, flags.reason !== undefined ? { reason: flags.reason } : {});
    for (const { id, reason } of skipped) ctx.io.out(`skipped ${id}: ${SKIPPED[reason]}`);
    ctx.io.out(cancelled.length === 0 ? 'Cancelled: none.' : `Cancelled: ${cancelled.length} email(s); \`mailwright retry\` sends any of them after all.`);
    if (skipped.length > 0) ctx.exit(ExitCodes.EMAIL_FAILED);
  });
}
