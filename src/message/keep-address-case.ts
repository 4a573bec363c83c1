import type MimeNode from 'nodemailer/lib/mime-node';

type Normalizer = (address: string) => string;

/**
 * nodemailer lower-cases every domain while encoding address headers
 * ("Ana@Contoso.com" is written "Ana@contoso.com"). mailwright promises the
 * sender's address reaches the recipient exactly as written, so this wraps the
 * root node's normalizer: when nodemailer only changed the case of an ASCII
 * domain, the original spelling is put back. IDN domains keep their A-label
 * (punycode) form and every other normalization (quoting) is kept.
 */
export function keepAddressCase(root: MimeNode): void {
  const node = root as unknown as { _normalizeAddress: Normalizer };
  const original = node._normalizeAddress.bind(root);
  node._normalizeAddress = (address: string): string => {
    const normalized = original(address);
    const at = address.lastIndexOf('@');
    const normalizedAt = normalized.lastIndexOf('@');
    if (at < 0 || normalizedAt < 0) return normalized;
    const domain = address.slice(at + 1).trim();
    const normalizedDomain = normalized.slice(normalizedAt + 1);
    return normalizedDomain === domain.toLowerCase() ? `${normalized.slice(0, normalizedAt)}@${domain}` : normalized;
  };
}
