/**
 * An encrypted secret as stored: versioned, self-describing, base64 parts.
 * Version 2 is bound to its setting (AES-GCM associated data); version 1, written
 * before, has no associated data and is still read.
 */
export interface EncryptedSecret {
  /** Format version: 2 (bound to its setting), or 1 (older, unbound). */
  v: 1 | 2;
  /** The cipher: AES-256-GCM. */
  alg: 'aes-256-gcm';
  /** Key fingerprint (first 8 hex of SHA-256 of the key) to tell "wrong key" from "corrupt". */
  kid: string;
  /** The random 12-byte IV, base64. */
  iv: string;
  /** The 16-byte GCM authentication tag, base64. */
  tag: string;
  /** The ciphertext, base64. */
  data: string;
}

/** Encrypts and decrypts secrets (SMTP passwords, client secrets) at rest. */
export interface SecretBox {
  /**
   * Encrypts `plain`, bound to `boundTo` (the setting it is stored in, e.g.
   * `provider:smtp#password`): it decrypts only with the same `boundTo`, so a
   * sealed secret moved to another setting does not open there.
   * Throws MW_SECRET_KEY_MISSING when no key is configured.
   * @param boundTo The setting the secret belongs to. @default ''
   */
  encrypt(plain: string, boundTo?: string): EncryptedSecret;
  /**
   * Throws MW_SECRET_UNREADABLE (with a "re-enter the …" fix naming `what`) when the
   * key is missing or wrong, the value is damaged or was sealed for another setting
   * than `boundTo`; never returns garbage.
   * @param boundTo The setting the secret is read from, as given to `encrypt`. @default ''
   */
  decrypt(secret: EncryptedSecret, what?: string, boundTo?: string): string;
  /** Whether a key is configured. */
  readonly hasKey: boolean;
}
