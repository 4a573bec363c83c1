import { randomUUID } from 'node:crypto';
import { asciiDomain } from './ascii-domain.js';

/** The form of a Message-ID mailwright accepts: `<id@domain>`. */
export const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/** A new, unique Message-ID in `domain` (the A-label of an internationalized domain). */
export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${asciiDomain(domain) || domain}>`;
}
