import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureError } from '../../errors/classify-failure.js';
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
  /** Folder where `<emailId>.eml` is written. @default <os tmpdir>/mailwright-eml */
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
  const directory = options.directory ?? join(tmpdir(), 'mailwright-eml');
  const write = options.write ?? true;
  /** Writes a file in the folder (made if missing); a failure is classified (MW_EXPORT_FAILED). */
  async function writeDraft(path: string, content: Buffer): Promise<void> {
    try {
      await mkdir(directory, { recursive: true });
      await writeFile(path, content);
    } catch (cause) {
      const errno = (cause as NodeJS.ErrnoException).code;
      throw failureError({ protocol: 'file', message: `Cannot write ${path}: ${(cause as Error).message}`, ...(errno ? { errno } : {}) }, cause);
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
      const probe = join(directory, `.mailwright-check-${randomUUID()}`);
      try {
        await writeDraft(probe, Buffer.from('mailwright connection check\r\n'));
        await rm(probe, { force: true });
        return connectionResult(provider.id, [{ name: 'folder', status: 'ok', message: `${directory} is writable.` }]);
      } catch (error) {
        return connectionResult(provider.id, [problemFrom('folder', error)]);
      }
    },
    async send(message: EmailMessage, context: SendContext): Promise<SendReceipt> {
      refuseRedirect(message, provider);
      const content = await encodeMessageToBuffer(message, { keepBcc: true, extraHeaders: { 'X-Unsent': '1' } });
      const filename = `${context.emailId}.eml`;
      let path: string | undefined;
      if (write) {
        path = join(directory, filename);
        await writeDraft(path, content);
      }
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
