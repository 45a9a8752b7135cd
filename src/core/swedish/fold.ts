/**
 * Folding of Swedish text for matching: lower case, å/ä → a, ö → o, é → e, other diacritics stripped.
 *
 * Pure; used by the repair (frequency keys), by full-text matching and by query handling, so that
 * "socialnamnden" typed without å/ä/ö matches "Socialnämnden".
 */

const EXTRA_FOLDS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ð: 'd', þ: 'th', ł: 'l' };

/**
 * Lower-cases `text` and strips diacritics: `foldSwedish("Återrapporteringen för Göteborg")` →
 * `"aterrapporteringen for goteborg"`. Characters without a diacritic are kept as they are
 * (digits, punctuation, spaces).
 */
export function foldSwedish(text: string): string {
  const stripped = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return /[øæœßðþł]/.test(stripped) ? stripped.replace(/[øæœßðþł]/g, (character) => EXTRA_FOLDS[character] ?? character) : stripped;
}
