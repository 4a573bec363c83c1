/** An encrypted secret as stored: versioned, self-describing, base64 parts. */
export interface EncryptedSecret {
  /** Format version and algorithm. */
  v: 1;
  alg: 'aes-256-gcm';
  /** Key fingerprint (first 8 hex of SHA-256 of the key) to tell "wrong key" from "corrupt". */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

/** Encrypts and decrypts secrets (SMTP passwords, client secrets) at rest. */
export interface SecretBox {
  /** Throws MW_SECRET_KEY_MISSING when no key is configured. */
  encrypt(plain: string): EncryptedSecret;
  /**
   * Throws MW_SECRET_UNREADABLE (with a "re-enter the …" fix naming `what`) when the
   * key is missing or wrong or the value is damaged; never returns garbage.
   */
  decrypt(secret: EncryptedSecret, what?: string): string;
  /** Whether a key is configured. */
  readonly hasKey: boolean;
}
