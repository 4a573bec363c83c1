import type { Command } from 'commander';
import type { DistributionSummary } from '../../queue/distributor.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';

interface DistributeFlags {
  once?: boolean;
  every: string;
  concurrency: string;
  maxUnrecorded: string;
}

const line = (s: DistributionSummary): string => `sent ${s.sent}, deferred ${s.deferred}, retrying ${s.retried}, failed ${s.failed}, forced ${s.forced}`;

/** `mailwright distribute`: run the email distributor once or on a schedule. */
export function registerDistributeCommand(program: Command, ctx: CliContext): void {
  program
    .command('distribute')
    .description('Send queued email with the batch provider (throttled, retried); repeats every minute unless --once')
    .option('--once', 'send what is due now, then exit')
    .option('--every <interval>', 'how often to run, e.g. "1 minute", "30 seconds"', '1 minute')
    .option('--concurrency <n>', 'emails sent in parallel (a provider from --config may cap it: SMTP maxConnections, Exchange mailboxConcurrency)', '4')
    .option('--max-unrecorded <n>', 'sent emails whose outcome may wait to be stored together (fewer commits; a crash may send up to concurrency + n again)', '0')
    .action(async (flags: DistributeFlags) => {
      const mailwright = await ctx.open();
      const distributor = mailwright.createDistributor({ concurrency: Number(flags.concurrency), maxUnrecorded: Number(flags.maxUnrecorded) });
      const progress = (s: DistributionSummary): void => {
        if (ctx.io.isTTY) ctx.io.progress(`[${'#'.repeat(Math.min(30, s.sent + s.failed))}${' '.repeat(Math.max(0, 30 - s.sent - s.failed))}] ${line(s)}`);
      };
      if (flags.once) {
        const summary = await distributor.runOnce({ onProgress: progress });
        ctx.io.out(`${ctx.io.isTTY ? '\n' : ''}Done: ${line(summary)}`);
        if (summary.failed > 0) ctx.exit(ExitCodes.EMAIL_FAILED);
        return;
      }
      mailwright.events.on('sent', (e) => !ctx.io.isTTY && ctx.io.out(`sent ${e.emailId}${e.forced ? ' (forced over the limit)' : ''}`));
      mailwright.events.on('failed', (e) => ctx.io.out(`failed ${e.emailId}: ${e.failure.code} — ${e.failure.fix}`));
      mailwright.events.on('deferred', (e) => !ctx.io.isTTY && ctx.io.out(`deferred ${e.emailId} until ${e.dueAt}`));
      distributor.start({ every: flags.every, onError: (error) => ctx.io.err(`Distributor run failed: ${(error as Error).message}`) });
      ctx.io.out(`Distributing every ${flags.every}; press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      await distributor.stop();
    });
}
