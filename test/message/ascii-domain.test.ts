import { asciiDomain } from '../../src/message/ascii-domain.js';

describe('asciiDomain', () => {
  it('gives the A-label of an internationalized domain, and "" for an invalid one, each time it is asked', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(asciiDomain('bücher.example')).toBe('xn--bcher-kva.example');
      expect(asciiDomain('Contoso.COM')).toBe('contoso.com');
      expect(asciiDomain('exa mple.com')).toBe('');
    }
  });

  it('stays right past the domains it remembers', () => {
    const domains = Array.from({ length: 3000 }, (_, i) => `d${i}.bücher.example`);
    for (const domain of domains) asciiDomain(domain);
    expect(domains.map((d) => asciiDomain(d))).toEqual(domains.map((_, i) => `d${i}.xn--bcher-kva.example`));
  });
});
