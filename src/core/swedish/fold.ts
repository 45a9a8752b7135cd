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
  // Fast paths with the same result: ASCII only needs lower case; a short text of characters below U+0300 folds
  // character by character (no such character combines with its neighbour under lower-casing or NFD).
  let ascii = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x80) {
      ascii = false;
      if (code >= PER_CHARACTER_END) return foldText(text);
    }
  }
  if (ascii) return text.toLowerCase();
  if (text.length > PER_CHARACTER_MAX_LENGTH) return foldText(text);
  let folded = '';
  for (let index = 0; index < text.length; index++) folded += foldedCharacter(text.charCodeAt(index));
  return folded;
}

/** Characters below this code unit fold one by one (checked over all pairs in tests/fold.test.ts). */
const PER_CHARACTER_END = 0x300;
/** Longer texts fold faster in one `normalize` call. */
const PER_CHARACTER_MAX_LENGTH = 64;
const characterFolds: string[] = [];

function foldedCharacter(code: number): string {
  return (characterFolds[code] ??= foldText(String.fromCharCode(code)));
}

function foldText(text: string): string {
  const stripped = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return /[øæœßðþł]/.test(stripped) ? stripped.replace(/[øæœßðþł]/g, (character) => EXTRA_FOLDS[character] ?? character) : stripped;
}
