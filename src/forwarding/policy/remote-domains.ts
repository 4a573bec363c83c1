import { z } from 'zod';
import { asciiDomain } from '../../message/ascii-domain.js';

const DOMAIN = /^(?:\*|(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63})$/i;

/**
 * A domain as the policy compares it: IDNA ASCII, lower-cased (`Bücher.DE` →
 * `xn--bcher-kva.de`), so an address or an entry written either way is the same domain.
 * Left as it is when it is not a domain.
 */
export const domainKey = (domain: string): string => {
  const trimmed = domain.trim().toLowerCase();
  return asciiDomain(trimmed) || trimmed;
};

/** Is `domain` (a {@link domainKey}) this entry, or covered by it when the entry is `*.parent` (the parent included)? */
export const domainCovers = (entry: string, domain: string): boolean =>
  entry === domain || (entry.startsWith('*.') && (domain === entry.slice(2) || domain.endsWith(entry.slice(1))));

/** A policy domain entry, Unicode or ASCII, stored as its {@link domainKey}; `*` only where `allowStar`. */
export const policyDomainSchema = (allowStar: boolean) =>
  z
    .string()
    .transform(domainKey)
    .pipe(
      z
        .string()
        .regex(DOMAIN, 'write a domain ("contoso.com"), or a domain with its subdomains ("*.contoso.com")' + (allowStar ? ', or "*" for every other domain' : ''))
        .refine((d) => allowStar || d !== '*', '"*" is not an accepted domain: list your own domains'),
    );

/**
 * A remote domain, as in Exchange: the domain (`contoso.com`), a domain and
 * all its subdomains (`*.contoso.com`), or every other domain (`*`, the
 * default remote domain).
 */
export const remoteDomainSchema = z.strictObject({
  domain: policyDomainSchema(true),
  /** Automatically forwarded email (stamped) may go to this domain. @default true */
  autoForwardEnabled: z.boolean().default(true),
});

/** A remote domain with defaults applied. */
export type RemoteDomain = z.output<typeof remoteDomainSchema>;

/** Exchange's Default remote domain: every domain not listed, auto-forwarding allowed. */
export const DEFAULT_REMOTE_DOMAIN: RemoteDomain = { domain: '*', autoForwardEnabled: true };

/**
 * The remote domain that governs `domain`: an exact entry first, then the
 * longest `*.` entry that covers it (`*.contoso.com` covers contoso.com and
 * every subdomain), then `*`, else {@link DEFAULT_REMOTE_DOMAIN}.
 */
export function remoteDomainFor(domain: string, remoteDomains: readonly RemoteDomain[]): RemoteDomain {
  const name = domainKey(domain);
  const exact = remoteDomains.find((d) => d.domain === name);
  if (exact !== undefined) return exact;
  const covering = remoteDomains.filter((d) => d.domain.startsWith('*.') && domainCovers(d.domain, name)).sort((a, b) => b.domain.length - a.domain.length);
  return covering[0] ?? remoteDomains.find((d) => d.domain === '*') ?? DEFAULT_REMOTE_DOMAIN;
}
