import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** `mailwright purge`: apply the history retention now. */
export function registerPurgeCommand(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description('Delete finished history records older than the retention period (default 30 days)')
    .action(async () => {
      const mailwright = await ctx.open();
      const result = await mailwright.history.purgeExpired();
      ctx.io.out(`Deleted ${result.deleted} record(s) finished before ${result.cutoff} (retention ${result.retentionDays} days).`);
    });
}
