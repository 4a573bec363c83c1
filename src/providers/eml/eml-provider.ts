import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { failureError } from '../../errors/classify-failure.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { ensurePrivateFolder, writePrivateFile } from '../../files/private-files.js';
import { encodeMessageToBuffer } from '../../message/encode-message.js';
import type { EmailMessage } from '../../message/message.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import { connectionResult, problemFrom, type ConnectionCheckResult } from '../connection-check.js';
import type { Provider, SendContext, SendReceipt } from '../provider.js';
import { refuseRedirect } from '../redirect-not-supported.js';

/** Options of {@link emlProvider}. */
export interface EmlProviderOptions {
  /** Unique provider id. @default 'eml' */
  id?: string;
  /** Label for choice lists. @default 'Use an email app' */
  displayName?: string;
  /**
   * Folder where `<emailId>.eml` is written: created 0700 if missing; refused (MW_UNSAFE_FOLDER)
   * when other users may write to it or it belongs to another user. Drafts are written 0600.
   * @default a new private folder `<os tmpdir>/mailwright-eml-XXXXXX` (random suffix), made at the first draft
   */
  directory?: string;
  /** Write the file; when false only the bytes are returned in the receipt. @default true */
  write?: boolean;
}

const EML_OPTIONS = optionNames<EmlProviderOptions>({ id: true, displayName: true, directory: true, write: true });

/**
 * "Use an email app": produces an RFC 5322 .eml file that Outlook and
 * Thunderbird open as an unsent draft (`X-Unsent: 1`), with every recipient
 * (Bcc included, as drafts show it) and attachment. Nothing is sent: the
 * history status is `exported` and recipients stay `pending` — the user sends
 * from their own email app.
 */
export function emlProvider(options: EmlProviderOptions = {}): Provider {
  refuseUnknownOptions(options, EML_OPTIONS, 'emlProvider options');
  const write = options.write ?? true;
  // The default folder has a random name, so another local user cannot plant it beforehand.
  let madeFolder: Promise<string> | undefined;
  const defaultFolder = (): Promise<string> =>
    (madeFolder ??= mkdtemp(join(tmpdir(), 'mailwright-eml-')).catch((error: unknown) => {
      madeFolder = undefined;
      throw error;
    }));
  const folder = async (): Promise<string> => {
    const directory = options.directory ?? (await defaultFolder());
    ensurePrivateFolder(directory, 'the .eml drafts');
    return directory;
  };
  /** Writes a private file in the folder; a failure is classified (MW_EXPORT_FAILED, or MW_UNSAFE_FOLDER). Returns its path. */
  async function writeDraft(filename: string, content: Buffer): Promise<string> {
    let path: string | undefined;
    try {
      path = join(await folder(), filename);
      await writePrivateFile(path, content);
      return path;
    } catch (cause) {
      if (cause instanceof MailwrightError) throw cause;
      const errno = (cause as NodeJS.ErrnoException).code;
      const target = path ?? join(options.directory ?? `${tmpdir()}/mailwright-eml-…`, filename);
      throw failureError({ protocol: 'file', message: `Cannot write ${target}: ${(cause as Error).message}`, ...(errno ? { errno } : {}) }, cause);
    }
  }
  const provider: Provider = {
    id: options.id ?? 'eml',
    kind: 'eml',
    displayName: options.displayName ?? 'Use an email app',
    interactive: true,
    batch: false,
    microsoft365: false,
    async verifyConnection(): Promise<ConnectionCheckResult> {
      if (!write) return connectionResult(provider.id, [{ name: 'folder', status: 'ok', message: 'Drafts are returned in the receipt, not written to a folder.' }]);
      try {
        const probe = await writeDraft(`.mailwright-check-${randomUUID()}`, Buffer.from('mailwright connection check\r\n'));
        await rm(probe, { force: true });
        return connectionResult(provider.id, [{ name: 'folder', status: 'ok', message: `${dirname(probe)} is writable.` }]);
      } catch (error) {
        return connectionResult(provider.id, [problemFrom('folder', error)]);
      }
    },
    async send(message: EmailMessage, context: SendContext): Promise<SendReceipt> {
      refuseRedirect(message, provider);
      const content = await encodeMessageToBuffer(message, { keepBcc: true, extraHeaders: { 'X-Unsent': '1' } });
      const filename = `${context.emailId}.eml`;
      let path: string | undefined;
      if (write) path = await writeDraft(filename, content);
      return {
        status: 'exported',
        messageId: message.messageId,
        recipients: [],
        artifact: { ...(path !== undefined ? { path } : {}), filename, content },
        sizeBytes: content.length,
        response: path === undefined ? 'draft created' : `draft written to ${path}`,
      };
    },
  };
  return provider;
}
