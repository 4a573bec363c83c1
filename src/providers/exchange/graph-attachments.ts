import { open, readFile } from 'node:fs/promises';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import type { FileObject, Range } from '@microsoft/microsoft-graph-client';
import { attachmentSize } from '../../message/encode-message.js';
import type { Attachment } from '../../message/message.js';

/** Largest request body Graph accepts (4 MB): a larger one is refused with 413. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Largest attachment Outlook takes through an upload session (150 MB). */
export const MAX_UPLOAD_SESSION_BYTES = 150 * 1024 * 1024;

/** Upload session range: Outlook takes ranges of up to 4 MB each, in order; 3.75 MiB stays well under. */
export const UPLOAD_CHUNK_BYTES = 3.75 * 1024 * 1024;

/** Characters of `bytes` bytes in base64. */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/** An attachment with its size and MIME type resolved. */
export interface SizedAttachment {
  attachment: Attachment;
  sizeBytes: number;
  contentType: string;
}

/** Sizes and types every attachment (reads file sizes, not contents). */
export async function sizeAttachments(attachments: Attachment[]): Promise<SizedAttachment[]> {
  return Promise.all(
    attachments.map(async (attachment) => ({
      attachment,
      sizeBytes: await attachmentSize(attachment),
      contentType: attachment.contentType ?? detectMimeType(attachment.filename),
    })),
  );
}

/** The bytes of a small attachment. */
export async function attachmentBytes(attachment: Attachment): Promise<Buffer> {
  if (attachment.content !== undefined) return Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.from(attachment.content);
  return readFile(attachment.path as string);
}

/** Graph `fileAttachment` JSON for an attachment, with its bytes in base64 (`contentBytes`). */
export async function fileAttachmentJson(sized: SizedAttachment): Promise<Record<string, unknown>> {
  return fileAttachmentShape(sized, (await attachmentBytes(sized.attachment)).toString('base64'));
}

/** Bytes of the attachment's `fileAttachment` JSON, counted without reading the file. */
export function fileAttachmentJsonBytes(sized: SizedAttachment): number {
  return Buffer.byteLength(JSON.stringify(fileAttachmentShape(sized, ''))) + base64Length(sized.sizeBytes);
}

/** `fileAttachment` JSON with the given `contentBytes`. */
export function fileAttachmentShape(sized: SizedAttachment, contentBytes: string): Record<string, unknown> {
  const { attachment } = sized;
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: attachment.filename,
    contentType: sized.contentType,
    contentBytes,
    ...(attachment.cid !== undefined ? { contentId: attachment.cid, isInline: true } : {}),
  };
}

/** The `AttachmentItem` that opens an upload session for a large attachment. */
export function attachmentItemJson(sized: SizedAttachment): Record<string, unknown> {
  return {
    AttachmentItem: {
      attachmentType: 'file',
      name: sized.attachment.filename,
      size: sized.sizeBytes,
      contentType: sized.contentType,
      ...(sized.attachment.cid !== undefined ? { contentId: sized.attachment.cid, isInline: true } : {}),
    },
  };
}

/**
 * The upload task's view of an attachment: each chunk is read from the file
 * (or sliced from memory) when it is sent, so a large file is never held whole.
 */
export function attachmentFileObject(sized: SizedAttachment): FileObject<Attachment> {
  const { attachment } = sized;
  return {
    content: attachment,
    name: attachment.filename,
    size: sized.sizeBytes,
    sliceFile: async (range: Range): Promise<Buffer> => {
      const length = range.maxValue - range.minValue + 1;
      if (attachment.content !== undefined) {
        const bytes = Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.from(attachment.content);
        return bytes.subarray(range.minValue, range.maxValue + 1);
      }
      const handle = await open(attachment.path as string, 'r');
      try {
        const chunk = Buffer.alloc(length);
        const { bytesRead } = await handle.read(chunk, 0, length, range.minValue);
        return chunk.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}
