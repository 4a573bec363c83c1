/** The replacement for anything secret. */
export const REDACTED = '[redacted]';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every line a credential pattern below can match contains one of these (a cheap first test). */
const SENSITIVE_HINT = /auth|pass|secret|token|assertion/i;

const AUTH_COMMAND = /(\bAUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5|OAUTHBEARER))\s+(\S+)/gi;
/** After `AUTH PLAIN`, another mechanism (an EHLO reply: `AUTH PLAIN LOGIN`) or a lower-case word (prose) is no payload. */
const NOT_A_PAYLOAD = /^(?:(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5|OAUTHBEARER|NTLM|GSSAPI|DIGEST-MD5)\b.*|[a-z]+[,.;:)]?)$/;
const redactAuthPayload = (line: string): string =>
  line.replace(AUTH_COMMAND, (whole: string, command: string, payload: string) => (NOT_A_PAYLOAD.test(payload) ? whole : `${command} ${REDACTED}`));

/** Credentials recognizable without knowing them, anywhere in a text. */
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;

/**
 * A letter or digit. A secret's plain form is removed where it stands as a word of its own, not
 * inside a longer one: the password `right` is removed from "password right refused", not from
 * "mailwright" (which tells nothing of it). Its encoded forms are removed wherever they are.
 */
const WORD_CHAR = /[A-Za-z0-9]/;

/** Characters of a base64 or base64url run. */
const B64 = '[A-Za-z0-9+/_-]';

/**
 * The parts of the base64 (and base64url) encodings of `secret` that do not
 * depend on the bytes around it: one per alignment (the secret starting at
 * byte 0, 1 or 2 of a 3-byte group). Any base64 text that encodes bytes
 * containing the secret (SASL PLAIN's `\0user\0password`, say) contains one.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= 4) cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

/** How each secret is found: its literal forms, and regular expressions for whole base64 runs holding it. */
interface SecretPatterns {
  /** Each literal form, and the expression finding it where it is not part of a longer word. */
  literals: { form: string; whole: RegExp }[];
  base64: { core: string; run: RegExp }[];
}

const patternCache = new Map<string, SecretPatterns>();

function patternsOf(secret: string): SecretPatterns {
  let patterns = patternCache.get(secret);
  if (patterns === undefined) {
    const literals = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]);
    patterns = {
      literals: [...literals]
        .filter((form) => form.length >= 3)
        .sort((a, b) => b.length - a.length)
        .map((form) => ({ form, whole: new RegExp(`${WORD_CHAR.test(form[0] ?? '') ? '(?<![A-Za-z0-9])' : ''}${escape(form)}${WORD_CHAR.test(form.at(-1) ?? '') ? '(?![A-Za-z0-9])' : ''}`, 'g') })),
      base64: [...new Set(base64Cores(secret))].map((core) => ({ core, run: new RegExp(`${B64}*${escape(core)}${B64}*=*`, 'g') })),
    };
    if (patternCache.size > 1024) patternCache.clear();
    patternCache.set(secret, patterns);
  }
  return patterns;
}

/** Removes every form of the given secrets: plain, URL-, form- and JSON-encoded, and any base64 run that encodes it. */
function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === undefined || secret === '') continue;
    const { literals, base64 } = patternsOf(secret);
    for (const { core, run } of base64) if (result.includes(core)) result = result.replace(run, REDACTED);
    for (const { form, whole } of literals) if (result.includes(form)) result = result.replace(whole, REDACTED);
  }
  return result;
}

/** Removes credential patterns line by line: AUTH payloads, AUTH LOGIN answers, Authorization headers, secret form fields and JSON members. */
function redactLines(text: string): string {
  let answeringChallenge = false;
  return text
    .split(/\r?\n/)
    .map((line) => {
      let result = line;
      if (answeringChallenge && /^\s*(?:C:|>|\[client\])?\s*[A-Za-z0-9+/=]+\s*$/.test(result)) {
        result = result.replace(/[A-Za-z0-9+/=]{2,}\s*$/, REDACTED);
      }
      answeringChallenge = /\b334\b/.test(line);
      if (!SENSITIVE_HINT.test(result)) return result;
      result = redactAuthPayload(result);
      result = result.replace(/(\bAuthorization\s*[:=]\s*(?:Bearer|Basic)?\s*)[^\s,"]+/gi, `$1${REDACTED}`);
      result = result.replace(/((?:password|passwd|pass|client_secret|access_token|refresh_token|id_token|assertion|client_assertion)=)[^&\s"]+/gi, `$1${REDACTED}`);
      result = result.replace(/("(?:password|pass|client_?secret|clientSecret|access_?token|accessToken|refresh_?token|id_?token|assertion|client_?assertion)"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`);
      return result;
    })
    .join('\n');
}

/**
 * Removes credentials from a text (a protocol transcript, a server reply, an
 * error message): private keys in PEM, JSON Web Tokens and bearer tokens
 * anywhere; AUTH PLAIN / LOGIN / XOAUTH2 payloads and the base64 lines
 * answering AUTH LOGIN challenges, Authorization headers, token and password
 * form fields or JSON members; and every given secret in plain, URL-encoded,
 * JSON-escaped and base64 form (also inside a larger base64 payload such as
 * SASL PLAIN's).
 */
export function redactTranscript(text: string, secrets: readonly (string | undefined)[] = []): string {
  const known = redactKnown(text, secrets);
  return redactLines(known.replace(PRIVATE_KEY, REDACTED)).replace(JWT, REDACTED).replace(BEARER, `$1${REDACTED}`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** Deep copy of `value` (arrays and plain objects) with every string redacted as by {@link redactTranscript}. */
export function redactSecrets<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (typeof value === 'string') return redactTranscript(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v, secrets)) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, secrets)])) as T;
  return value;
}
