/**
 * The secrets this process has in clear: passwords, client secrets and private
 * keys of provider settings (given in code, or opened from storage), and
 * tokens a provider marks. Every failure is redacted with them where it
 * becomes a `FailureDetail` or a thrown `MailwrightError` (see
 * `redactError`), so a server that echoes a credential puts it nowhere.
 *
 * Process-wide on purpose: a secret is secret for every instance, and the
 * failure path has no instance to ask. Bounded: the oldest are forgotten
 * first (tokens come and go).
 */
const MAX_SECRETS = 512;
/** Shorter values are not secrets worth searching for (and would redact ordinary text). */
const MIN_LENGTH = 4;

const secrets = new Set<string>();

/** Remembers a secret in clear so that failures never show it. */
export function markSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
  secrets.delete(value);
  secrets.add(value);
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
}

/** Names of settings fields that hold a secret, at any depth (`certificate.privateKey`). */
const SECRET_FIELD = /^(?:password|pass|clientSecret|client_secret|privateKey|secret|accessToken|refreshToken|token|assertion)$/i;

/** Marks the string values of secret-named fields of parsed settings ({@link markSecret}). */
export function markSecretFields(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_FIELD.test(key)) markSecret(field);
    else markSecretFields(field);
  }
}

/** The secrets remembered, newest last. */
export function secretsInPlay(): string[] {
  return [...secrets];
}
