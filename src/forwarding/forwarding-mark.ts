import { timingSafeEqual } from 'node:crypto';
import type { ForwardingMac } from './forwarding-key.js';

/**
 * The header mailwright signs on every automatic forward and record forward. Loop and
 * "sent by the organization" facts are read from it only: a message from outside cannot
 * make one (it needs the organization's key), and one copied from an earlier message
 * counts only for a message with that Message-ID, for {@link MARK_MAX_AGE_SECONDS}.
 */
export const MARK_HEADER = 'X-Mailwright-Mark';

/** How long a mark is trusted after it was signed: a week, for forwards retried or processed late. */
export const MARK_MAX_AGE_SECONDS = 7 * 86_400;
/** A mark signed up to this far in the future (another worker's clock) still counts. */
const CLOCK_SKEW_SECONDS = 3_600;
/** Longer values are not read (a mark of 100 hops is about 1,400 characters). */
const MAX_MARK_LENGTH = 2_048;

/** What a valid mark says. */
export interface TrustedMark {
  /** One token per mailbox of the organization that already forwarded the message automatically. */
  hops: readonly string[];
  /** The record a record forward carries; absent on automatic forwards. */
  recordId?: string;
}

/** The mark of a message without a valid one (from outside, or too old). */
export const NO_MARK: TrustedMark = { hops: [] };

/** A mailbox's token in the marks: opaque outside the organization (it does not show the address). */
export const hopToken = (mac: ForwardingMac, mailboxKey: string): string => mac('hop', mailboxKey).subarray(0, 9).toString('base64url');

const signature = (mac: ForwardingMac, fields: { t: string; h: string; r: string }, messageId: string): string =>
  mac('mark-v1', [fields.t, fields.h, fields.r, messageId.trim()].join('\n')).subarray(0, 16).toString('base64url');

/** The mark for a forward with this Message-ID: the hops so far (this mailbox's included), or a record id. */
export function writeMark(mac: ForwardingMac, nowSeconds: number, facts: { messageId: string; hops?: readonly string[]; recordId?: string }): string {
  const fields = { t: String(nowSeconds), h: [...new Set(facts.hops ?? [])].join('.'), r: facts.recordId === undefined ? '' : Buffer.from(facts.recordId).toString('base64url') };
  const parts = [`v=1`, `t=${fields.t}`, ...(fields.h !== '' ? [`h=${fields.h}`] : []), ...(fields.r !== '' ? [`r=${fields.r}`] : [])];
  return [...parts, `s=${signature(mac, fields, facts.messageId)}`].join('; ');
}

function parse(value: string): Map<string, string> | undefined {
  if (value.length > MAX_MARK_LENGTH) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return fields;
}

/**
 * The first of the message's marks that the organization signed for this Message-ID and
 * that is still fresh; {@link NO_MARK} when none is (a message from outside, a forged or
 * copied header, a mark too old).
 */
export function readMark(mac: ForwardingMac, nowSeconds: number, values: readonly string[], messageId: string | undefined): TrustedMark {
  if (messageId === undefined) return NO_MARK;
  for (const value of values) {
    const fields = parse(value);
    if (fields?.get('v') !== '1') continue;
    const t = fields.get('t') ?? '';
    const at = /^\d{1,12}$/.test(t) ? Number(t) : Number.NaN;
    if (!(nowSeconds - at <= MARK_MAX_AGE_SECONDS && at - nowSeconds <= CLOCK_SKEW_SECONDS)) continue;
    const h = fields.get('h') ?? '';
    const r = fields.get('r') ?? '';
    const expected = Buffer.from(signature(mac, { t, h, r }, messageId));
    const given = Buffer.from(fields.get('s') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) continue;
    return { hops: h === '' ? [] : h.split('.'), ...(r !== '' ? { recordId: Buffer.from(r, 'base64url').toString() } : {}) };
  }
  return NO_MARK;
}
