import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { createMailwright, type Mailwright } from '../mailwright.js';
import { emlProvider } from '../providers/eml/eml-provider.js';
import { smtpProvider } from '../providers/smtp/smtp-provider.js';
import { createSqliteStore } from '../store/sqlite/sqlite-store.js';
import { InMemoryUserDirectory } from '../users/in-memory-user-directory.js';
import { loadCliConfig } from './cli-config.js';

/** Global options of the `mailwright` command. */
export interface GlobalOptions {
  /** SQLite database file. @default $MAILWRIGHT_DB or ./.mailwright/mailwright.db */
  db?: string;
  /** ES module exporting `config` (providers, users, contacts, messageIdDomain). */
  config?: string;
}

/**
 * Connections the CLI's own SMTP provider may open. The CLI's only concurrent
 * sender is `distribute`, so its `--concurrency` decides how many are used.
 */
const CLI_SMTP_MAX_CONNECTIONS = 64;

/**
 * Builds the instance the CLI works on. A database file that does not exist is refused (a
 * mistyped `--db` would otherwise be created empty, and `history` would say "No email
 * matches."), unless `create`: the commands that save settings create it on purpose.
 */
export async function openMailwright(options: GlobalOptions, env: NodeJS.ProcessEnv, { create = false }: { create?: boolean } = {}): Promise<Mailwright> {
  const filename = resolve(options.db ?? env.MAILWRIGHT_DB ?? '.mailwright/mailwright.db');
  if (!create && !existsSync(filename)) {
    throw new MailwrightError(ErrorCodes.DATABASE_NOT_FOUND, `There is no mailwright database at ${filename}.`, {
      fix: 'Check --db (or MAILWRIGHT_DB) and the current directory. `mailwright smtp set`, `params set` and `forwarding set` create a new database; so does the application when it starts.',
      details: { filename },
    });
  }
  const config = options.config === undefined ? {} : await loadCliConfig(options.config);
  return createMailwright({
    store: createSqliteStore({ filename }),
    providers: config.providers ?? [smtpProvider({ id: 'smtp', maxConnections: CLI_SMTP_MAX_CONNECTIONS }), emlProvider({ directory: resolve('.mailwright/eml') })],
    users: config.users ?? new InMemoryUserDirectory(),
    ...(config.contacts !== undefined ? { contacts: config.contacts } : {}),
    ...(env.MAILWRIGHT_SECRET_KEY ? { secretKey: env.MAILWRIGHT_SECRET_KEY } : {}),
    ...(config.messageIdDomain !== undefined ? { messageIdDomain: config.messageIdDomain } : {}),
  });
}
