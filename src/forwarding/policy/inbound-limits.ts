import { z } from 'zod';

/**
 * What `processInbound()` accepts of a received message, and how far a message may travel
 * through automatic forwards. Stored with the forwarding policy (`inbound`).
 */
export const inboundLimitsSchema = z.strictObject({
  /**
   * Largest header of the message, or of one of its MIME parts, in bytes (a line counts at
   * least 64 bytes). A larger one is MW_INBOUND_LIMIT_EXCEEDED. @default 262144 (256 KB, Exchange Online's limit)
   */
  maxHeaderBytes: z.number().int().min(4096).max(16_777_216).default(262_144),
  /** Most MIME parts a message may have; more is MW_INBOUND_LIMIT_EXCEEDED. @default 500 (Exchange Online accepts 250 attachments) */
  maxMimeParts: z.number().int().min(1).max(100_000).default(500),
  /**
   * Most automatic forwards of the organization a message may go through: a message that
   * arrives having been forwarded this many times is kept, and its forwards blocked. @default 10
   */
  maxForwardHops: z.number().int().min(1).max(100).default(10),
});

/** The inbound limits, defaults applied. */
export type InboundLimits = z.output<typeof inboundLimitsSchema>;
