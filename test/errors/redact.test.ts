import fc from 'fast-check';
import { REDACTED, redactSecrets, redactTranscript } from '../../src/errors/redact.js';

const password = 'S3cret!pass';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('redactTranscript', () => {
  it('removes AUTH PLAIN payloads (SASL framing hides the password from plain base64 search)', () => {
    const text = `C: EHLO client\nC: AUTH PLAIN ${b64(`\0mailer@contoso.com\0${password}`)}\nS: 235 2.7.0 Authentication successful`;
    const out = redactTranscript(text, [password]);
    expect(out).toContain(`AUTH PLAIN ${REDACTED}`);
    expect(out).not.toContain(b64(`\0mailer@contoso.com\0${password}`));
    expect(out).toContain('235 2.7.0 Authentication successful');
  });

  it('removes the answers to AUTH LOGIN challenges', () => {
    const text = ['C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', `C: ${b64('mailer@contoso.com')}`, 'S: 334 UGFzc3dvcmQ6', `C: ${b64(password)}`, 'S: 235 2.7.0 OK'].join('\n');
    const out = redactTranscript(text);
    expect(out).not.toContain(b64(password));
    expect(out).not.toContain(b64('mailer@contoso.com'));
    expect(out).toContain('S: 235 2.7.0 OK');
  });

  it('removes bearer tokens, form secrets, JSON secrets and every given secret form', () => {
    const text = [
      'Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.sig',
      'client_id=abc&client_secret=very%2Fsecret&grant_type=client_credentials',
      '{"access_token":"tok123","expires_in":3599}',
      `password echoed: ${password} / ${b64(password)} / ${encodeURIComponent(password)}`,
    ].join('\n');
    const out = redactTranscript(text, [password, 'very/secret']);
    for (const leaked of ['eyJ0eXAi', 'very%2Fsecret', 'tok123', password, b64(password), encodeURIComponent(password)]) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('client_id=abc');
    expect(out).toContain('"expires_in":3599');
  });

  it('redactSecrets walks objects', () => {
    expect(redactSecrets({ a: [`x ${password}`], n: 1 }, [password])).toEqual({ a: [`x ${REDACTED}`], n: 1 });
  });
});

describe('redactTranscript: every encoding of a known secret, and credentials it can recognize alone', () => {
  /** Every run of base64 characters in the text, decoded (both alphabets). */
  const decodedRuns = (text: string): string[] =>
    (text.match(/[A-Za-z0-9+/_-]{4,}=*/g) ?? []).flatMap((run) => [Buffer.from(run, 'base64').toString('latin1'), Buffer.from(run, 'base64url').toString('latin1')]);

  it('a secret inside any base64 payload (any bytes before and after it, e.g. SASL PLAIN) is redacted with the whole payload', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40, unit: 'binary' }), fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), fc.boolean(), (secret, before, after, url) => {
        const secretBytes = Buffer.from(secret, 'utf8');
        const payload = Buffer.concat([before, secretBytes, after]).toString(url ? 'base64url' : 'base64');
        const out = redactTranscript(`S: 535 5.7.8 Error: authentication failed: ${payload} (try again)`, [secret]);
        const secretLatin1 = secretBytes.toString('latin1');
        expect(decodedRuns(out).some((decoded) => decoded.includes(secretLatin1))).toBe(false);
        expect(out).toContain('(try again)');
      }),
    );
  });

  it('a secret in plain, URL-encoded, form-encoded or JSON-escaped form is redacted', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40, unit: 'grapheme' }), (secret) => {
        const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
        const out = redactTranscript(`reply: ${forms.join(' | ')} end`, [secret]);
        for (const form of forms) expect(out.includes(form)).toBe(false);
      }),
    );
  });

  it('a short secret is removed where it stands alone, not from inside a longer word of the text', () => {
    const out = redactTranscript('mailwright: password right refused (right)', ['right']);
    expect(out).toBe('mailwright: password [redacted] refused ([redacted])');
  });

  it('keeps the AUTH mechanisms of an EHLO reply (they are not a payload)', () => {
    const text = 'S: 250-smtp.contoso.com\nS: 250-AUTH PLAIN LOGIN XOAUTH2\nS: 250 AUTH=PLAIN LOGIN\nC: AUTH PLAIN AGFuYQBzZWNyZXQ=';
    expect(redactTranscript(text)).toBe(`S: 250-smtp.contoso.com\nS: 250-AUTH PLAIN LOGIN XOAUTH2\nS: 250 AUTH=PLAIN LOGIN\nC: AUTH PLAIN ${REDACTED}`);
  });

  it('removes a PEM private key, a JSON Web Token and a bearer token wherever they are, unknown beforehand', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl';
    const out = redactTranscript(`Cannot use the key ${key} for client ${jwt}; retry with Bearer abc.DEF-123_~+/== please`);
    expect(out).toBe(`Cannot use the key ${REDACTED} for client ${REDACTED}; retry with Bearer ${REDACTED} please`);
  });
});
