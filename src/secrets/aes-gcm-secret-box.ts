import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { EncryptedSecret, SecretBox } from './secret-box.js';

/** Options of {@link createSecretBox}. */
export interface SecretBoxOptions {
  /** 32-byte key: Buffer, 64 hex characters or base64. @default env.MAILWRIGHT_SECRET_KEY */
  key?: string | Buffer;
  /** Environment to read MAILWRIGHT_SECRET_KEY from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

const HOW_TO_MAKE_A_KEY = 'Make one with `node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"` or `openssl rand -base64 32`.';

/** A new random key in the base64 form MAILWRIGHT_SECRET_KEY accepts. */
export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

function parseKey(key: string | Buffer): Buffer {
  if (Buffer.isBuffer(key)) {
    if (key.length === 32) return key;
  } else {
    const text = key.trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
    if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
      const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
      if (bytes.length === 32) return bytes;
    }
  }
  throw new MailwrightError(ErrorCodes.SECRET_KEY_INVALID, 'The secret key (MAILWRIGHT_SECRET_KEY or the secretKey option) must be 32 bytes, written as 64 hex characters or 44 base64 characters.', {
    fix: HOW_TO_MAKE_A_KEY,
  });
}

const fingerprint = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** GCM's standard IV length, and the full tag length: a shorter tag is easier to forge. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The associated data of a format 2 secret: the setting it is bound to, after a fixed prefix. */
const associatedData = (boundTo: string): Buffer => Buffer.from(`mailwright-secret/2\0${boundTo}`, 'utf8');

/** Base64 that decodes to exactly `bytes` bytes, else undefined. */
function exactBytes(base64: unknown, bytes: number): Buffer | undefined {
  if (typeof base64 !== 'string') return undefined;
  const decoded = Buffer.from(base64, 'base64');
  return decoded.length === bytes ? decoded : undefined;
}

/**
 * AES-256-GCM secret box. Each secret has its own random 12-byte IV and a
 * 16-byte authentication tag, and (format 2) is bound to its setting with
 * associated data, so a wrong key, a damaged value, a truncated tag or a
 * secret moved to another setting is detected and reported as
 * MW_SECRET_UNREADABLE — never returned as garbage. Format 1 secrets (no
 * associated data) are still read.
 */
export function createSecretBox(options: SecretBoxOptions = {}): SecretBox {
  const raw = options.key ?? (options.env ?? process.env).MAILWRIGHT_SECRET_KEY;
  const key = raw === undefined || raw === '' ? undefined : parseKey(raw);
  const kid = key === undefined ? undefined : fingerprint(key);

  const unreadable = (what: string, reason: 'missing-key' | 'wrong-key' | 'corrupt'): MailwrightError =>
    new MailwrightError(
      ErrorCodes.SECRET_UNREADABLE,
      reason === 'corrupt'
        ? `The stored ${what} cannot be decrypted: it is damaged, or was sealed for another setting; re-enter the ${what}.`
        : `The stored ${what} cannot be decrypted with the current secret key: re-enter the ${what}.`,
      {
        fix:
          reason === 'missing-key'
            ? `Set MAILWRIGHT_SECRET_KEY to the key the ${what} was saved with, or re-enter the ${what}.`
            : `Re-enter the ${what}, or restore the MAILWRIGHT_SECRET_KEY it was saved with.`,
        details: { reason },
      },
    );

  return {
    hasKey: key !== undefined,
    encrypt(plain: string, boundTo = ''): EncryptedSecret {
      if (key === undefined || kid === undefined) {
        throw new MailwrightError(ErrorCodes.SECRET_KEY_MISSING, 'No secret key is configured, so the password cannot be stored encrypted.', {
          fix: `Set MAILWRIGHT_SECRET_KEY (or pass secretKey to createMailwright). ${HOW_TO_MAKE_A_KEY}`,
        });
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(boundTo));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return { v: 2, alg: 'aes-256-gcm', kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    },
    decrypt(secret: EncryptedSecret, what = 'password', boundTo = ''): string {
      if (key === undefined) throw unreadable(what, 'missing-key');
      if ((secret?.v !== 1 && secret?.v !== 2) || secret.alg !== 'aes-256-gcm') throw unreadable(what, 'corrupt');
      if (secret.kid !== kid) throw unreadable(what, 'wrong-key');
      const iv = exactBytes(secret.iv, IV_BYTES);
      const tag = exactBytes(secret.tag, TAG_BYTES);
      if (iv === undefined || tag === undefined || typeof secret.data !== 'string') throw unreadable(what, 'corrupt');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        if (secret.v === 2) decipher.setAAD(associatedData(boundTo));
        return Buffer.concat([decipher.update(Buffer.from(secret.data, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw unreadable(what, 'corrupt');
      }
    },
  };
}
