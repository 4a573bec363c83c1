/** The replacement for anything secret. */
export const REDACTED = '[redacted]';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every line a credential pattern below can match contains one of these (a cheap first test). */
const SENSITIVE_HINT = /auth|pass|secret|token|assertion/i;

/** Every form a secret may travel in: plain, base64 (also of SASL PLAIN framing), URL-encoded. */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]);
  return [...forms].filter((f) => f.length >= 3).sort((a, b) => b.length - a.length);
}

/**
 * Removes credentials from a protocol transcript: AUTH PLAIN / LOGIN /
 * XOAUTH2 payloads and the base64 lines answering AUTH LOGIN challenges,
 * Authorization headers, token and password form fields or JSON members,
 * and every given secret in plain, base64 and URL-encoded form.
 */
export function redactTranscript(text: string, secrets: readonly (string | undefined)[] = []): string {
  const lines = text.split(/\r?\n/);
  let answeringChallenge = false;
  const out = lines.map((line) => {
    let result = line;
    if (answeringChallenge && /^\s*(?:C:|>|\[client\])?\s*[A-Za-z0-9+/=]+\s*$/.test(result)) {
      result = result.replace(/[A-Za-z0-9+/=]{2,}\s*$/, REDACTED);
    }
    answeringChallenge = /\b334\b/.test(line);
    if (!SENSITIVE_HINT.test(result)) return result;
    result = result.replace(/(\bAUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5|OAUTHBEARER))\s+\S+/gi, `$1 ${REDACTED}`);
    result = result.replace(/(\bAuthorization\s*[:=]\s*(?:Bearer|Basic)?\s*)[^\s,"]+/gi, `$1${REDACTED}`);
    result = result.replace(/((?:password|passwd|pass|client_secret|access_token|refresh_token|id_token|assertion|client_assertion)=)[^&\s"]+/gi, `$1${REDACTED}`);
    result = result.replace(/("(?:password|pass|client_?secret|clientSecret|access_?token|accessToken|refresh_?token|assertion)"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`);
    return result;
  });
  let joined = out.join('\n');
  for (const secret of secrets) {
    if (secret === undefined || secret === '') continue;
    for (const form of secretForms(secret)) if (joined.includes(form)) joined = joined.replace(new RegExp(escape(form), 'g'), REDACTED);
  }
  return joined;
}

/** Deep copy of `value` with every string redacted as by {@link redactTranscript}. */
export function redactSecrets<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactTranscript(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, secrets)])) as T;
  }
  return value;
}
