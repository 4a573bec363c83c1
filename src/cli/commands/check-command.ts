import type { Command } from 'commander';
import type { ConnectionCheckResult } from '../../providers/connection-check.js';
import type { CliContext } from '../cli-context.js';
import { ExitCodes } from '../exit-codes.js';

interface CheckFlags {
  provider?: string;
  from?: string;
  json?: boolean;
}

const MARK = { ok: 'ok     ', warning: 'warning', problem: 'PROBLEM' } as const;

/** A check result as lines: each step with its status, and for a warning or problem its code and fix. */
function formatResult(result: ConnectionCheckResult): string {
  const lines = [`${result.providerId}: ${result.ok ? 'ready to send' : 'cannot send'}`];
  for (const check of result.checks) {
    lines.push(`  ${MARK[check.status]} ${check.name}: ${check.message}`);
    if (check.status !== 'ok' && check.code !== undefined) lines.push(`          ${check.code}${check.fix !== undefined ? ` — Fix: ${check.fix}` : ''}`);
  }
  return lines.join('\n');
}

/** `mailwright check [--provider ID]`: checks providers' connections without sending any email. */
export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('Check the providers can send (connect, TLS, sign-in, permissions, mailbox) without sending any email')
    .option('--provider <id>', 'check only this provider (default: every registered provider)')
    .option('--from <address>', 'also check this sender address (SMTP: MAIL FROM probe)')
    .option('--json', 'print the results as JSON')
    .action(async (flags: CheckFlags) => {
      const mailwright = await ctx.open();
      const ids = flags.provider !== undefined ? [flags.provider] : mailwright.providers().map((p) => p.id);
      const results: ConnectionCheckResult[] = [];
      for (const id of ids) results.push(await mailwright.verifyConnection(id, flags.from !== undefined ? { from: flags.from } : {}));
      ctx.io.out(flags.json ? JSON.stringify(results, null, 2) : results.map(formatResult).join('\n\n'));
      if (results.some((r) => !r.ok)) ctx.exit(ExitCodes.CONFIG);
    });
}
