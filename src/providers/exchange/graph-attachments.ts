import { open, readFile } from 'node:fs/promises';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import type { FileObject, Range } from '@microsoft/microsoft-graph-client';
import { attachmentSize } from '../../message/encode-message.js';
import type { Attachment } from '../../message/message.js';

/** Largest attachment sent inline (base64 in the JSON body); larger ones go through an upload session. */
export const INLINE_ATTACHMENT_LIMIT_BYTES = 3 * 1024 * 1024;

/** Largest request body Graph accepts. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Upload session chunk: a multiple of 320 KiB and at most 4 MB (12 × 320 KiB = 3.75 MiB). */
export const UPLOAD_CHUNK_BYTES = 12 * 320 * 1024;

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

/** Graph `fileAttachment` JSON for a small attachment. */
export async function fileAttachmentJson(sized: SizedAttachment): Promise<Record<string, unknown>> {
  const { attachment } = sized;
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: attachment.filename,
    contentType: sized.contentType,
    contentBytes: (await attachmentBytes(attachment)).toString('base64'),
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
