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
  // Fast paths with the same result: ASCII only needs lower case; a text of characters below U+0300 folds
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
  if (text.length <= SHORT_TEXT) {
    let folded = '';
    for (let index = 0; index < text.length; index++) folded += foldedCharacter(text.charCodeAt(index));
    return folded;
  }
  // Longer: lower case first (a lower-case ASCII letter folds to itself), then fold the other characters one by one.
  const lowered = text.toLowerCase();
  for (let index = 0; index < lowered.length; index++) if (lowered.charCodeAt(index) >= PER_CHARACTER_END) return foldText(text);
  return lowered.replace(/[\u0080-\u02ff]/g, (character) => foldedCharacter(character.charCodeAt(0)));
}

/** Characters below this code unit fold one by one (checked over all pairs in tests/fold-chars.test.ts). */
const PER_CHARACTER_END = 0x300;
/** Texts up to this length fold fastest by concatenating the folded characters. */
const SHORT_TEXT = 64;
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
