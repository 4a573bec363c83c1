/** A tag in compare form: lower case, `_` read as `-` (`fr_CA` as stored by Java or ERP systems is `fr-ca`). */
const normalized = (tag: string): string => tag.toLowerCase().replaceAll('_', '-');

/**
 * The variant language to use: the requested tag, then each shorter prefix
 * (`fr-CA` → `fr`), then the template's default language. Tags compare
 * case-insensitively, with `_` read as `-` (`fr_CA` is `fr-CA`); the variant's
 * own key is returned.
 */
export function pickLanguage(available: string[], requested: string | undefined, defaultLanguage: string): string | undefined {
  const byNormalized = new Map(available.map((tag) => [normalized(tag), tag]));
  const parts = normalized(requested ?? '').split('-').filter(Boolean);
  for (let n = parts.length; n > 0; n -= 1) {
    const found = byNormalized.get(parts.slice(0, n).join('-'));
    if (found !== undefined) return found;
  }
  return byNormalized.get(normalized(defaultLanguage));
}
