import { z } from 'zod';

const DOMAIN = /^(?:\*|(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63})$/i;

/**
 * A remote domain, as in Exchange: the domain (`contoso.com`), a domain and
 * all its subdomains (`*.contoso.com`), or every other domain (`*`, the
 * default remote domain).
 */
export const remoteDomainSchema = z.strictObject({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(DOMAIN, 'write a domain ("contoso.com"), a domain with its subdomains ("*.contoso.com") or "*" for every other domain'),
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
  const name = domain.toLowerCase();
  const exact = remoteDomains.find((d) => d.domain === name);
  if (exact !== undefined) return exact;
  const covering = remoteDomains
    .filter((d) => d.domain.startsWith('*.') && (name === d.domain.slice(2) || name.endsWith(d.domain.slice(1))))
    .sort((a, b) => b.domain.length - a.domain.length);
  return covering[0] ?? remoteDomains.find((d) => d.domain === '*') ?? DEFAULT_REMOTE_DOMAIN;
}
