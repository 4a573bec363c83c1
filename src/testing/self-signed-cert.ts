import { generate } from 'selfsigned';

/** A certificate and key for a local TLS test server. */
export interface TestCertificate {
  /** The private key, PEM. */
  key: string;
  /** The certificate, PEM: what a client trusts (`ca`). */
  cert: string;
}

const cached = new Map<string, Promise<TestCertificate>>();

/**
 * A self-signed certificate for `localhost` / 127.0.0.1 and the given host
 * names, made in the test run (never committed). Clients must trust it
 * explicitly (`ca: cert`).
 */
export function selfSignedCertificate(hosts: string[] = []): Promise<TestCertificate> {
  const key = hosts.join(',');
  const existing = cached.get(key);
  if (existing !== undefined) return existing;
  const made = generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, ...hosts.map((value) => ({ type: 2 as const, value }))],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  cached.set(key, made);
  return made;
}
