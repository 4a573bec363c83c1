import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';

/** Something to read chunks from: a Node.js readable stream (duck-typed: streams may come from another realm). */
const isReadableStream = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function' && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';

/** What a value is, for an error message. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * An attachment's `content` as bytes or text: a Buffer or a string as it is, a
 * readable stream read whole. Anything else (nodemailer would read `{ path }`
 * from disk past every check, fetch `{ href }`, or take `{ raw }` as MIME) is
 * MW_INVALID_MESSAGE naming the field.
 */
export async function attachmentContent(content: unknown, name: string, field: string): Promise<Buffer | string | undefined> {
  if (content === undefined || typeof content === 'string' || Buffer.isBuffer(content)) return content;
  if (!isReadableStream(content)) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `The content of attachment "${name}" must be a Buffer, a string or a readable stream; got ${kindOf(content)}.`, {
      fix: 'Pass the bytes as a Buffer (text as a string, or a readable stream); for a file on disk, give its path as `path` instead of `content`.',
      details: { field: `${field}.content` },
    });
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of content) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  } catch (cause) {
    throw new MailwrightError(ErrorCodes.ATTACHMENT_UNREADABLE, `The attachment "${name}" cannot be read from its stream: ${cause instanceof Error ? cause.message : String(cause)}`, {
      fix: 'Check the stream given as content (a file that exists, a download that completes).',
      details: { field: `${field}.content`, filename: name },
      cause,
    });
  }
  return Buffer.concat(chunks);
}

const inside = (root: string, path: string): boolean => {
  const rest = relative(root, path);
  return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
};

/**
 * The real path of an attachment file, which must be inside `root` (after
 * `..` and symbolic links are resolved): MW_ATTACHMENT_PATH_NOT_ALLOWED
 * otherwise. A path outside is refused before the file is looked at, so the
 * error does not tell whether it exists. Returns the path unchanged without a root.
 */
export async function allowedAttachmentPath(path: string, root: string | undefined, name: string, field: string): Promise<string> {
  if (root === undefined) return path;
  const notAllowed = (): MailwrightError =>
    new MailwrightError(ErrorCodes.ATTACHMENT_PATH_NOT_ALLOWED, `The attachment "${name}" is at ${path}, outside the folder attachments may come from (${root}). Nothing was sent.`, {
      fix: `Attach files from inside ${root} (the attachmentRoot option of createMailwright), or pass the bytes as content.`,
      details: { field: `${field}.path`, filename: name, root },
    });
  const realRoot = await realpath(root).catch(() => resolve(root));
  if (!inside(realRoot, resolve(path)) && !inside(resolve(root), resolve(path))) throw notAllowed();
  const real = await realpath(path).catch(() => resolve(path));
  if (!inside(realRoot, real)) throw notAllowed();
  return real;
}
