/**
 * The variant language to use: the requested tag, then each shorter prefix
 * (`fr-CA` → `fr`), then the template's default language. Tags compare
 * case-insensitively; the variant's own key is returned.
 */
export function pickLanguage(available: string[], requested: string | undefined, defaultLanguage: string): string | undefined {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const parts = (requested ?? '').toLowerCase().split('-').filter(Boolean);
  for (let n = parts.length; n > 0; n -= 1) {
    const found = byLower.get(parts.slice(0, n).join('-'));
    if (found !== undefined) return found;
  }
  return byLower.get(defaultLanguage.toLowerCase());
}
