import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Provider } from '../providers/provider.js';
import type { ContactDirectory } from '../users/contact-directory.js';
import type { UserDirectory } from '../users/user-directory.js';
import { contactDirectorySchema, providerSchema, userDirectorySchema } from '../mailwright-options.js';
import { nonBlankString, parseOptions } from '../parameters/parse-settings.js';

/**
 * What a `--config` module exports as `config` (an object or a function
 * returning one). Everything is optional: without a config file the CLI uses
 * the SMTP settings stored in the database (provider id "smtp") and .eml export.
 */
export interface CliConfig {
  providers?: Provider[];
  users?: UserDirectory;
  /** The mail contacts mailboxes may forward to (a policy's `forwardingContactId`), as the application passes to createMailwright(). */
  contacts?: ContactDirectory;
  messageIdDomain?: string;
}

/** What a config file's `config` must look like (checked: it is plain JavaScript). */
const cliConfigSchema = z.strictObject({
  providers: z.array(providerSchema).optional(),
  users: userDirectorySchema.optional(),
  contacts: contactDirectorySchema.optional(),
  messageIdDomain: nonBlankString('messageIdDomain').optional(),
});

/** Loads a `--config` ES module. */
export async function loadCliConfig(path: string): Promise<CliConfig> {
  let module: { config?: CliConfig | (() => CliConfig | Promise<CliConfig>) };
  try {
    module = (await import(pathToFileURL(resolve(path)).href)) as typeof module;
  } catch (cause) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `Cannot load the config file ${path}: ${(cause as Error).message}`, {
      fix: 'Pass an ES module (.js/.mjs) that exports `config`.',
      cause,
    });
  }
  if (module.config === undefined) {
    throw new MailwrightError(ErrorCodes.INVALID_SETTINGS, `The config file ${path} has no export named "config".`, {
      fix: 'Add `export const config = { providers: [...], users }` to the file.',
    });
  }
  const config: unknown = typeof module.config === 'function' ? await module.config() : module.config;
  return parseOptions(
    cliConfigSchema,
    config,
    `config exported by ${path}`,
    'Export `config = { providers?: Provider[], users?: UserDirectory, contacts?: ContactDirectory, messageIdDomain?: string }`, e.g. `{ providers: [smtpProvider({ … })] }`.',
  );
}
