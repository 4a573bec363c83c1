/** An encrypted secret as stored: versioned, self-describing, base64 parts. */
export interface EncryptedSecret {
  /** Format version and algorithm. */
  v: 1;
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
