import { Command, CommanderError } from 'commander';
import { isMailwrightError } from '../errors/mailwright-error.js';
import type { Mailwright } from '../mailwright.js';
import type { CliContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { registerAdminCommand } from './commands/admin-command.js';
import { registerForwardingCommand } from './commands/forwarding-command.js';
import { registerHistoryCommand } from './commands/history-command.js';
import { registerParamsCommand } from './commands/params-command.js';
import { registerPurgeCommand } from './commands/purge-command.js';
import { registerRetryCommand } from './commands/retry-command.js';
import { registerCancelCommand } from './commands/cancel-command.js';
import { registerCheckCommand } from './commands/check-command.js';
import { registerSmtpCommand } from './commands/smtp-command.js';
import { registerTestEmailCommand } from './commands/test-email-command.js';
import { errorText } from './error-text.js';
import { ExitCodes, type ExitCode } from './exit-codes.js';
import { openMailwright, type GlobalOptions } from './open-mailwright.js';
import { PACKAGE_VERSION } from './package-version.js';
import { terminalSafeIo } from './terminal-safe.js';

const CONFIG_CODES = new Set(['MW_NO_BATCH_PROVIDER', 'MW_PROVIDER_NOT_CONFIGURED', 'MW_PROVIDER_NOT_FOUND', 'MW_SECRET_UNREADABLE', 'MW_SECRET_KEY_MISSING', 'MW_SECRET_KEY_INVALID']);

/** Extra command registrations (the distributor adds `distribute`). */
export type CommandRegistration = (program: Command, ctx: CliContext) => void;

/**
 * Runs the `mailwright` command line with `argv` (without node and script)
 * and resolves to the exit code. Never calls process.exit. Everything it writes
 * goes through `terminalSafe`: stored text (an inbound subject, a name, a server
 * reply) cannot drive the terminal with control characters.
 */
export async function runCli(argv: string[], terminal: CliIo, extra: CommandRegistration[] = []): Promise<ExitCode> {
  const io = terminalSafeIo(terminal);
  let exitCode: ExitCode = ExitCodes.OK;
  let instance: Promise<Mailwright> | undefined;
  /** Opening failed: the database, the config file or the secret key is the problem, not the command. */
  let openFailed = false;
  const program = new Command('mailwright')
    .description('mailwright: outbound email for business applications')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .option('--db <path>', 'SQLite database file (default: $MAILWRIGHT_DB or ./.mailwright/mailwright.db)')
    .option('--config <file>', 'ES module exporting `config` with providers and users')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const ctx: CliContext = {
    io,
    open: (openOptions) =>
      (instance ??= openMailwright(program.opts<GlobalOptions>(), io.env, openOptions).catch((error: unknown) => {
        openFailed = true;
        throw error;
      })),
    exit: (code) => {
      exitCode = Math.max(exitCode, code) as ExitCode;
    },
  };
  // The extra commands come first: `distribute`, the main job, heads `--help`.
  for (const register of [...extra, registerHistoryCommand, registerRetryCommand, registerCancelCommand, registerPurgeCommand, registerTestEmailCommand, registerCheckCommand, registerParamsCommand, registerSmtpCommand, registerForwardingCommand, registerAdminCommand]) {
    register(program, ctx);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
    if (isMailwrightError(error)) {
      io.err(errorText(error));
      return openFailed || CONFIG_CODES.has(error.code) ? ExitCodes.CONFIG : ExitCodes.USAGE;
    }
    throw error;
  } finally {
    // An instance that failed to open has nothing to close (its error was reported above).
    await (await instance?.catch(() => undefined))?.close();
  }
  return exitCode;
}
