import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { CliContext } from '../cli-context.js';
import { wholeNumber } from '../number-option.js';

interface SmtpFlags {
  provider: string;
  host: string;
  port: number;
  user?: string;
  passwordEnv: string;
  mailbox?: string;
  requireTls: boolean;
  requireAuth: boolean;
  allowInsecureAuth?: boolean;
  implicitTls?: boolean;
  ca?: string;
  servername?: string;
  connectionTimeout?: number;
}

/** The PEM text of the `--ca` file; one that cannot be read is a usage error saying which. */
async function readCaFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Cannot read the CA file ${file}: ${(cause as Error).message}`, {
      fix: 'Give the path of the PEM file of the CA that signed the server certificate (-----BEGIN CERTIFICATE-----); several may follow each other in one file.',
      details: { field: 'ca' },
      cause,
    });
  }
}

/** `mailwright smtp set|show`: the stored SMTP settings (password encrypted, never printed). */
export function registerSmtpCommand(program: Command, ctx: CliContext): void {
  const smtp = program.command('smtp').description('Store or show SMTP settings (the password is stored encrypted with MAILWRIGHT_SECRET_KEY)');
  smtp
    .command('set')
    .description('Save the SMTP settings; the password is read from an environment variable, never from the command line')
    .option('--provider <id>', 'provider id', 'smtp')
    .requiredOption('--host <host>', 'SMTP server host name')
    .option('--port <port>', 'port (587 STARTTLS, 465 implicit TLS)', wholeNumber('--port', 1, 587), 587)
    .option('--user <name>', 'user name for AUTH')
    .option('--password-env <name>', 'environment variable holding the password', 'MAILWRIGHT_SMTP_PASSWORD')
    .option('--mailbox <address>', 'address of the authenticated mailbox')
    .option('--no-require-tls', 'allow a connection without TLS (trusted internal relay only)')
    .option('--no-require-auth', 'send without authentication')
    .option('--allow-insecure-auth', 'with --no-require-tls: send the user name and password even over an unencrypted connection (trusted internal relay only)')
    .option('--implicit-tls', 'TLS from the first byte (SMTPS); the default on port 465, STARTTLS otherwise')
    .option('--ca <file>', 'PEM file of a private CA to trust for the server certificate')
    .option('--servername <name>', 'host name the server certificate is checked against (default: --host)')
    .option('--connection-timeout <ms>', 'milliseconds to wait for the connection and the greeting; an idle connection is dropped after twice that (default 30000)', wholeNumber('--connection-timeout', 1, 30_000))
    .action(async (flags: SmtpFlags) => {
      // The password goes with a user name: a MAILWRIGHT_SMTP_PASSWORD left in the shell does not
      // turn a relay without authentication into "a password without a user name".
      const password = flags.user === undefined ? undefined : ctx.io.env[flags.passwordEnv];
      if (flags.user !== undefined && (password === undefined || password === '')) {
        throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `--user is given, but the environment variable ${flags.passwordEnv} that holds the password is not set (or empty); nothing was saved.`, {
          fix: `Set ${flags.passwordEnv} to the password before running \`mailwright smtp set\` (or name another variable with --password-env), or, to send without authentication, leave out --user and add --no-require-auth.`,
          details: { field: 'password', passwordEnv: flags.passwordEnv },
        });
      }
      const ca = flags.ca === undefined ? undefined : await readCaFile(flags.ca);
      const mailwright = await ctx.open({ create: true });
      const saved = await mailwright.smtpSettings.save(flags.provider, {
        host: flags.host,
        port: flags.port,
        requireTls: flags.requireTls,
        requireAuth: flags.requireAuth,
        allowInsecureAuth: flags.allowInsecureAuth === true,
        ...(flags.user !== undefined ? { username: flags.user } : {}),
        // `smtp set` replaces the settings: without --user there is no sign-in, so a stored password goes too.
        password: password !== undefined && password !== '' ? password : null,
        ...(flags.mailbox !== undefined ? { mailbox: flags.mailbox } : {}),
        ...(flags.implicitTls !== undefined ? { implicitTls: flags.implicitTls } : {}),
        ...(ca !== undefined ? { ca } : {}),
        ...(flags.servername !== undefined ? { servername: flags.servername } : {}),
        ...(flags.connectionTimeout !== undefined ? { connectionTimeoutMs: flags.connectionTimeout } : {}),
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
