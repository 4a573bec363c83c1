import { addressProblem } from '../../message/address.js';
import type { ForwardingMac } from '../forwarding-key.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DAY_SECONDS = 86_400;
/** An SRS address is honoured for bounces this many days after it was made. */
export const SRS_VALID_DAYS = 21;

/** The day of `seconds`, modulo 1024, as two base32 characters (SRS's timestamp). */
const timestamp = (seconds: number): string => {
  const day = Math.floor(seconds / DAY_SECONDS) % 1024;
  return BASE32[day >> 5]! + BASE32[day & 31]!;
};

/** Four characters of keyed hash over the timestamp and the original address, compared without case as MTAs may change it. */
const hash = (mac: ForwardingMac, stamp: string, domain: string, local: string): string => mac('srs', `${stamp}\n${domain}\n${local}`.toLowerCase()).toString('base64').slice(0, 4);

/**
 * The original envelope sender rewritten with the Sender Rewriting Scheme (SRS0) in
 * `domain`: `SRS0=HHHH=TT=example.com=ana@contoso.com`. SPF then checks the forwarder's
 * domain, and a bounce to it can be traced back ({@link reverseSrs}). Undefined when the
 * result would not be a valid address (a user name over 64 characters once rewritten, or
 * a non-ASCII original): the caller then uses the mailbox.
 */
export function srsAddress(mac: ForwardingMac, nowSeconds: number, original: string, domain: string): string | undefined {
  const at = original.lastIndexOf('@');
  if (at <= 0 || !/^[\x21-\x7e]+$/.test(original)) return undefined;
  const local = original.slice(0, at);
  const originalDomain = original.slice(at + 1);
  const stamp = timestamp(nowSeconds);
  const address = `SRS0=${hash(mac, stamp, originalDomain, local)}=${stamp}=${originalDomain}=${local}@${domain}`;
  return addressProblem(address) === undefined ? address : undefined;
}

/**
 * The original sender of an SRS address this organization made, for a bounce that came
 * back to it; undefined when the address is not one (another scheme, a wrong hash, or
 * older than {@link SRS_VALID_DAYS} days).
 */
export function reverseSrs(mac: ForwardingMac, nowSeconds: number, address: string): string | undefined {
  const match = /^SRS0=([^=]{4})=([A-Z2-7]{2})=([^=@]+)=([^@]+)@[^@]+$/i.exec(address.trim());
  if (match === null) return undefined;
  const [, given, stamp, domain, local] = match as unknown as [string, string, string, string, string];
  const day = BASE32.indexOf(stamp[0]!.toUpperCase()) * 32 + BASE32.indexOf(stamp[1]!.toUpperCase());
  const age = (Math.floor(nowSeconds / DAY_SECONDS) - day + 1024) % 1024;
  if (age > SRS_VALID_DAYS) return undefined;
  if (given.toLowerCase() !== hash(mac, stamp.toUpperCase(), domain, local).toLowerCase()) return undefined;
  return `${local}@${domain}`;
}
