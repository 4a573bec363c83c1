import type { Command } from 'commander';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { CliContext } from '../cli-context.js';

interface SmtpFlags {
  provider: string;
  host: string;
  port: string;
  user?: string;
  passwordEnv: string;
  mailbox?: string;
  requireTls: boolean;
  requireAuth: boolean;
  allowInsecureAuth?: boolean;
}

/** `mailwright smtp set|show`: the stored SMTP settings (password encrypted, never printed). */
export function registerSmtpCommand(program: Command, ctx: CliContext): void {
  const smtp = program.command('smtp').description('Store or show SMTP settings (the password is stored encrypted with MAILWRIGHT_SECRET_KEY)');
  smtp
    .command('set')
    .description('Save the SMTP settings; the password is read from an environment variable, never from the command line')
    .option('--provider <id>', 'provider id', 'smtp')
    .requiredOption('--host <host>', 'SMTP server host name')
    .option('--port <port>', 'port (587 STARTTLS, 465 implicit TLS)', '587')
    .option('--user <name>', 'user name for AUTH')
    .option('--password-env <name>', 'environment variable holding the password', 'MAILWRIGHT_SMTP_PASSWORD')
    .option('--mailbox <address>', 'address of the authenticated mailbox')
    .option('--no-require-tls', 'allow a connection without TLS (trusted internal relay only)')
    .option('--no-require-auth', 'send without authentication')
    .option('--allow-insecure-auth', 'with --no-require-tls: send the user name and password even over an unencrypted connection (trusted internal relay only)')
    .action(async (flags: SmtpFlags) => {
      const password = ctx.io.env[flags.passwordEnv];
      if (flags.user !== undefined && (password === undefined || password === '')) {
        throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `--user is given, but the environment variable ${flags.passwordEnv} that holds the password is not set (or empty); nothing was saved.`, {
          fix: `Set ${flags.passwordEnv} to the password before running \`mailwright smtp set\` (or name another variable with --password-env), or, to send without authentication, leave out --user and add --no-require-auth.`,
          details: { field: 'password', passwordEnv: flags.passwordEnv },
        });
      }
      const mailwright = await ctx.open();
      const saved = await mailwright.smtpSettings.save(flags.provider, {
        host: flags.host,
        port: Number(flags.port),
        requireTls: flags.requireTls,
        requireAuth: flags.requireAuth,
        allowInsecureAuth: flags.allowInsecureAuth === true,
        ...(flags.user !== undefined ? { username: flags.user } : {}),
        ...(password !== undefined && password !== '' ? { password } : {}),
        ...(flags.mailbox !== undefined ? { mailbox: flags.mailbox } : {}),
      });
      ctx.io.out(JSON.stringify(saved, null, 2));
    });
  smtp
    .command('show')
    .description('Print the stored SMTP settings (without the password)')
    .option('--provider <id>', 'provider id', 'smtp')
    .action(async (flags: { provider: string }) => {
      const mailwright = await ctx.open();
      const saved = await mailwright.smtpSettings.get(flags.provider);
      ctx.io.out(saved === undefined ? `No SMTP settings stored for "${flags.provider}".` : JSON.stringify(saved, null, 2));
    });
}
