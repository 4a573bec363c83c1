import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

/** Settings key of the organization's forwarding key (32 random bytes, base64). */
export const FORWARDING_KEY_SETTING = 'forwarding-mark-key';

/** A keyed hash with the organization's forwarding key: one purpose per use, so a value made for one use is worth nothing for another. */
export type ForwardingMac = (purpose: string, data: string) => Buffer;

/**
 * The organization's forwarding key, kept in the store so that every worker sharing the
 * store signs and checks marks alike; made on first use. It is read for each operation
 * (one setting read), so workers that raced to make it agree from then on. With
 * `create: false` (a dry run, which writes nothing) a missing key is not made: a throwaway
 * key stands in, with which no mark is valid, as none can be before the key exists.
 */
export async function forwardingMac(store: Pick<Store, 'getSetting' | 'putSetting'>, options: { create?: boolean } = {}): Promise<ForwardingMac> {
  let stored = await store.getSetting<string>(FORWARDING_KEY_SETTING);
  const usable = (value: unknown): value is string => typeof value === 'string' && Buffer.from(value, 'base64').length === 32;
  if (!usable(stored)) {
    const made = randomBytes(32).toString('base64');
    if (options.create === false) stored = made;
    else {
      await store.putSetting(FORWARDING_KEY_SETTING, made);
      stored = (await store.getSetting<string>(FORWARDING_KEY_SETTING)) as string;
    }
  }
  const key = Buffer.from(stored, 'base64');
  return (purpose, data) => createHmac('sha256', key).update(`${purpose}\0${data}`).digest();
}
