import type { Command } from 'commander';
import type { DistributionSummary } from '../../queue/distributor-run.js';
import { parseEvery } from '../../queue/parse-every.js';
import type { CliContext } from '../cli-context.js';
import { errorText } from '../error-text.js';
import { ExitCodes } from '../exit-codes.js';
import { wholeNumber } from '../number-option.js';

interface DistributeFlags {
  once?: boolean;
  every: string;
  concurrency: number;
  maxUnrecorded: number;
  lease: string;
  json?: boolean;
}

const line = (s: DistributionSummary): string => `sent ${s.sent}, deferred ${s.deferred}, retrying ${s.retried}, failed ${s.failed}, forced ${s.forced}`;

const BAR_WIDTH = 30;

/**
 * A progress bar over the emails due when the run started. Each sent, failed,
 * deferred or retried email is done with for this run; email that comes due
 * during the run raises the total.
 */
export function progressBar(s: DistributionSummary): string {
  const done = s.sent + s.failed + s.deferred + s.retried;
  const total = Math.max(s.due, done);
  const filled = total === 0 ? BAR_WIDTH : Math.floor((BAR_WIDTH * done) / total);
  return `[${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${done}/${total}  ${line(s)}`;
}

/** A failure as `distribute --json` lists it. */
interface JsonFailure {
  emailId: string;
  code: string;
  permanent: boolean;
  message: string;
  fix: string;
}

/** `mailwright distribute`: run the email distributor once or on a schedule. */
export function registerDistributeCommand(program: Command, ctx: CliContext): void {
  program
    .command('distribute')
    .description('Send queued email with the batch provider (throttled, retried); repeats every minute unless --once')
    .option('--once', 'send what is due now, then exit')
    .option('--every <interval>', 'how often to run, e.g. "1 minute", "30 seconds"', '1 minute')
    .option('--concurrency <n>', 'emails sent in parallel (a provider from --config may cap it: SMTP maxConnections, Exchange mailboxConcurrency)', wholeNumber('--concurrency', 1, 4), 4)
    .option('--max-unrecorded <n>', 'sent emails whose outcome may wait to be stored together (fewer commits; a crash may send up to concurrency + n again)', wholeNumber('--max-unrecorded', 0, 0), 0)
    .option('--lease <duration>', 'how long a claimed email is leased, e.g. "30s", "2 minutes": after a crash, another worker takes it over once this has passed (at least 1 second)', '5 minutes')
    .option('--json', 'print each run\'s summary as one line of JSON (counts, and the failures with their code and fix) instead of a line per email')
    .action(async (flags: DistributeFlags) => {
      const mailwright = await ctx.open();
      const distributor = mailwright.createDistributor({ concurrency: flags.concurrency, maxUnrecorded: flags.maxUnrecorded, leaseMs: Math.round(parseEvery(flags.lease)) });
      const { io } = ctx;
      // --json: one JSON line per run, with the failures of that run. On a terminal, a progress bar
      // with failures printed above it; otherwise a plain line per email.
      const failures: JsonFailure[] = [];
      const report = (summary: DistributionSummary): void => io.out(JSON.stringify({ ...summary, failures: failures.splice(0) }));
      const above = (write: (text: string) => void, text: string): void => {
        if (io.isTTY && !flags.json) io.progress(''); // clears the bar's line; the next progress draws it again
        write(text);
      };
      if (flags.json) {
        mailwright.events.on('failed', (e) => failures.push({ emailId: e.emailId, code: e.failure.code, permanent: e.failure.permanent, message: e.failure.message, fix: e.failure.fix }));
      } else {
        mailwright.events.on('failed', (e) => above(io.out, `failed ${e.emailId}: ${e.failure.code} — ${e.failure.fix}`));
        if (!io.isTTY) {
          mailwright.events.on('sent', (e) => io.out(`sent ${e.emailId}${e.forced ? ' (forced over the limit)' : ''}`));
          mailwright.events.on('deferred', (e) => io.out(`deferred ${e.emailId} until ${e.dueAt}`));
          mailwright.events.on('retrying', (e) => io.out(`retrying ${e.emailId} at ${e.dueAt}: ${e.failure.code}`));
        }
      }
      const onProgress = io.isTTY && !flags.json ? (s: DistributionSummary): void => io.progress(progressBar(s)) : undefined;
      // Ctrl+C or SIGTERM (a scheduler's timeout): the sends in flight finish and are recorded,
      // the claimed emails not started are given back at once, not left `sending` for a lease.
      const stopOnSignal = (): void => void distributor.stop();
      process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
      try {
        if (flags.once) {
          const summary = await distributor.runOnce(onProgress === undefined ? {} : { onProgress });
          if (flags.json) report(summary);
          else io.out(`${io.isTTY ? '\n' : ''}Done: ${line(summary)}`);
          if (summary.failed > 0) ctx.exit(ExitCodes.EMAIL_FAILED);
          return;
        }
        // start() checks the interval before anything runs; the first run reports after this line.
        distributor.start({
          every: flags.every,
          ...(onProgress === undefined ? {} : { onProgress }),
          ...(flags.json ? { onSummary: report } : {}),
          onError: (error) => above(io.err, errorText(error)),
        });
        if (!flags.json) io.out(`Distributing every ${flags.every}; press Ctrl+C to stop.`);
        await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
        await distributor.stop();
      } finally {
        process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
      }
    });
}
