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
