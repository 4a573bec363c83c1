import type { Command } from 'commander';
import { failureLines } from '../../history/failure-lines.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';

interface TestEmailFlags {
  to: string;
  provider?: string;
  from?: string;
  json?: boolean;
}

/** `mailwright test-email`: send a test message and print the classified result. */
export function registerTestEmailCommand(program: Command, ctx: CliContext): void {
  program
    .command('test-email')
    .description('Send a test email with a provider and explain the result')
    .requiredOption('--to <address>', 'recipient of the test email')
    .option('--provider <id>', 'provider to test (default: the batch provider)')
    .option('--from <address>', 'From address (default: the provider mailbox)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TestEmailFlags) => {
      const mailwright = await ctx.open();
      const provider = flags.provider ?? (await mailwright.parameters.get()).batchProviderId ?? 'smtp';
      const result = await mailwright.sendTestEmail({ provider, to: flags.to, ...(flags.from ? { from: flags.from } : {}) });
      if (flags.json) ctx.io.out(JSON.stringify(result, null, 2));
      else if (result.ok) ctx.io.out(`Test email ${result.status} with "${provider}" (history id ${result.emailId}). ${result.receipt.response ?? ''}`.trim());
      else ctx.io.out([`Test email FAILED with "${provider}" (history id ${result.emailId})`, ...failureLines(result.failure).map((line) => `  ${line}`)].join('\n'));
      if (!result.ok) ctx.exit(ExitCodes.EMAIL_FAILED);
    });
}
