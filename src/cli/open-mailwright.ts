import { resolve } from 'node:path';
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

/** Builds the instance the CLI works on. */
export async function openMailwright(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Mailwright> {
  const config = options.config === undefined ? {} : await loadCliConfig(options.config);
  const filename = resolve(options.db ?? env.MAILWRIGHT_DB ?? '.mailwright/mailwright.db');
  return createMailwright({
    store: createSqliteStore({ filename }),
    providers: config.providers ?? [smtpProvider({ id: 'smtp', maxConnections: CLI_SMTP_MAX_CONNECTIONS }), emlProvider({ directory: resolve('.mailwright/eml') })],
    users: config.users ?? new InMemoryUserDirectory(),
    ...(config.contacts !== undefined ? { contacts: config.contacts } : {}),
    ...(env.MAILWRIGHT_SECRET_KEY ? { secretKey: env.MAILWRIGHT_SECRET_KEY } : {}),
    ...(config.messageIdDomain !== undefined ? { messageIdDomain: config.messageIdDomain } : {}),
  });
}
