import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Forge from 'node-forge';

/** A certificate credential in the form MSAL takes: SHA-256 thumbprint and PKCS#8 private key (PEM). */
export interface PemCertificate {
  thumbprintSha256: string;
  privateKey: string;
}

const require = createRequire(import.meta.url);

/**
 * The certificate and private key of a PKCS#12 (.pfx / .p12) file, as exported from Windows
 * or Azure Key Vault (RSA key; PBES2/AES or legacy 3DES/RC2 encryption), read with node-forge,
 * which is loaded only when a PFX is given. The certificate is the one whose public key
 * matches the private key. Throws an Error saying what is wrong (bad password, no key).
 */
export function certificateFromPfx(pfxBase64: string, password: string | undefined): PemCertificate {
  const forge = require('node-forge') as typeof Forge;
  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.decode64(pfxBase64.replace(/\s+/g, ''));
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password ?? '');
  } catch (error) {
    const reason = /mac|password|invalid/i.test(String((error as Error).message)) ? 'the password is wrong or the file is not a PFX' : (error as Error).message;
    throw new Error(`The PFX cannot be opened: ${reason}.`);
  }
  const bags = (type: string): Forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag as string), ...bags(forge.pki.oids.keyBag as string)].find((b) => b.key !== undefined);
  if (keyBag?.key === undefined) throw new Error('The PFX holds no RSA private key.');
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key)).export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = createPrivateKey(privateKey);
  const certificate = bags(forge.pki.oids.certBag as string)
    .flatMap((b) => (b.cert === undefined ? [] : [new X509Certificate(forge.pki.certificateToPem(b.cert))]))
    .find((c) => c.checkPrivateKey(publicKey));
  if (certificate === undefined) throw new Error('The PFX holds no certificate for its private key.');
  return { thumbprintSha256: createHash('sha256').update(certificate.raw).digest('hex'), privateKey };
}
