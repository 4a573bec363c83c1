import type { IncomingMessage } from 'node:http';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** The largest form the console reads (a certificate chain and a private key fit). */
export const MAX_FORM_BYTES = 256 * 1024;

/** Thrown for a body the console will not read; the handler answers with its status. */
export class BodyRefused extends MailwrightError {
  constructor(
    /** 413 or 415. */
    readonly status: number,
    message: string,
  ) {
    super(ErrorCodes.INVALID_SETTINGS, message, { fix: 'Submit the form of the console page.' });
  }
}

/**
 * The urlencoded form of a POST. A body a framework has already parsed (Express
 * `express.urlencoded()`, Koa's bodyparser: `req.body` as an object or a string) is taken
 * from there; otherwise the stream is read, at most {@link MAX_FORM_BYTES}.
 */
export async function readForm(req: IncomingMessage & { body?: unknown }): Promise<URLSearchParams> {
  const parsed = req.body;
  if (typeof parsed === 'string') return new URLSearchParams(parsed);
  if (typeof parsed === 'object' && parsed !== null && !Buffer.isBuffer(parsed)) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(parsed)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, String(v));
    return form;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && type !== 'application/x-www-form-urlencoded') throw new BodyRefused(415, `The console takes forms (application/x-www-form-urlencoded), not ${type}.`);
  if (Buffer.isBuffer(parsed)) return new URLSearchParams(parsed.toString('utf8'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new BodyRefused(413, `The form is larger than ${MAX_FORM_BYTES / 1024} KiB.`);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
