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

/**
 * The address with a non-ASCII domain as its A-label (`ana@bücher.example` →
 * `ana@xn--bcher-kva.example`), as headers and SMTP servers without SMTPUTF8 want it.
 * The local part, and an ASCII domain (casing included), stay exactly as written; a
 * domain that cannot be converted is left as it is.
 */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (at < 0 || /^\p{ASCII}*$/u.test(domain)) return address;
  return `${address.slice(0, at)}@${asciiDomain(domain) || domain}`;
}
