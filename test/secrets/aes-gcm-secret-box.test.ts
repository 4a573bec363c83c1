import { ErrorCodes } from '../../src/errors/error-codes.js';
import type { MailwrightError } from '../../src/errors/mailwright-error.js';
import { createSecretBox, generateSecretKey } from '../../src/secrets/aes-gcm-secret-box.js';

const catchError = (fn: () => unknown): MailwrightError => {
  try {
    fn();
  } catch (error) {
    return error as MailwrightError;
  }
  throw new Error('expected an error');
};

describe('AES-256-GCM secret box', () => {
  const key = generateSecretKey();
  const box = createSecretBox({ key });

  it('round-trips and uses a fresh IV each time', () => {
    const a = box.encrypt('S3cret!pass');
    const b = box.encrypt('S3cret!pass');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    expect(JSON.stringify(a)).not.toContain('S3cret');
    expect(box.decrypt(a)).toBe('S3cret!pass');
  });

  it('accepts the key from MAILWRIGHT_SECRET_KEY, as hex or base64', () => {
    const hex = Buffer.from(key, 'base64').toString('hex');
    const fromEnv = createSecretBox({ env: { MAILWRIGHT_SECRET_KEY: hex } });
    expect(fromEnv.decrypt(box.encrypt('x'))).toBe('x');
  });

  it.each([
    ['a wrong key', createSecretBox({ key: generateSecretKey() }), 'wrong-key'],
    ['no key', createSecretBox({ env: {} }), 'missing-key'],
  ])('with %s decrypting gives MW_SECRET_UNREADABLE, never garbage', (_name, other, reason) => {
    const error = catchError(() => other.decrypt(box.encrypt('S3cret!pass'), 'SMTP password'));
    expect(error.code).toBe(ErrorCodes.SECRET_UNREADABLE);
    expect(error.message).toContain('re-enter the SMTP password');
    expect(error.details.reason).toBe(reason);
    expect(JSON.stringify(error)).not.toContain('S3cret');
  });

  it('detects a tampered value', () => {
    const secret = box.encrypt('S3cret!pass');
    const data = Buffer.from(secret.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    const error = catchError(() => box.decrypt({ ...secret, data: data.toString('base64') }));
    expect(error.code).toBe(ErrorCodes.SECRET_UNREADABLE);
    expect(error.details.reason).toBe('corrupt');
  });

  it.each(['short', 'z'.repeat(64), Buffer.alloc(16).toString('base64')])('rejects the malformed key %s', (bad) => {
    const error = catchError(() => createSecretBox({ key: bad }));
    expect(error.code).toBe(ErrorCodes.SECRET_KEY_INVALID);
    expect(error.fix).toMatch(/randomBytes\(32\)/);
  });

  it('refuses to encrypt without a key', () => {
    expect(catchError(() => createSecretBox({ env: {} }).encrypt('x')).code).toBe(ErrorCodes.SECRET_KEY_MISSING);
  });
});
