import { domainToASCII } from 'node:url';

/** Domains remembered; the cache starts over when full. */
const CAPACITY = 1024;
const cache = new Map<string, string>();

/**
 * `url.domainToASCII` (IDNA: `bücher.example` → `xn--bcher-kva.example`; `''`
 * when the domain is invalid), remembered for the domains seen last: the
 * recipients of a batch share a few domains, and the conversion is one of the
 * dearest steps of checking an address.
 */
export function asciiDomain(domain: string): string {
  let ascii = cache.get(domain);
  if (ascii === undefined) {
    ascii = domainToASCII(domain);
    if (cache.size >= CAPACITY) cache.clear();
    cache.set(domain, ascii);
  }
  return ascii;
}
