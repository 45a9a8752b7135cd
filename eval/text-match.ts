/**
 * Text matching used by the evaluation: folding, an approximate substring search (Sellers' algorithm),
 * evidence matching and fact matching, exactly as the gold set's `about` describes:
 * fold case and diacritics, ignore punctuation and spacing, allow a small edit tolerance for OCR-damaged sources.
 */

/** Share of the folded pattern's length that may be edited (insert, delete, substitute) and still count as a match. */
export const DEFAULT_EDIT_TOLERANCE = 0.1;

/**
 * Folds text for matching: NFD, strips combining marks (å → a, ö → o, é → e), lower case,
 * and drops every character that is not a-z or 0-9 (spaces and punctuation are ignored).
 */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '');
}

/** Like {@link foldForMatch} but keeps word boundaries as single spaces. */
export function foldKeepingSpaces(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Result of an approximate substring search. */
export interface ApproximateMatch {
  /** Smallest edit distance between the pattern and any substring of the text. */
  distance: number;
  /** End offset (exclusive) in the text of the best-matching substring. */
  end: number;
}

/**
 * Sellers' algorithm: the smallest edit distance between `pattern` and any substring of `text`
 * (dynamic programming over the text with a free starting position). Returns null when the best
 * distance exceeds `maxEdits`. O(|pattern|·|text|) time, O(|pattern|) memory.
 */
export function approximateSubstringSearch(pattern: string, text: string, maxEdits: number): ApproximateMatch | null {
  const m = pattern.length;
  if (m === 0) return { distance: 0, end: 0 };
  if (maxEdits < 0) return null;
  // column[i] = edit distance of pattern[0..i) against the best substring ending at the current text position.
  const column = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) column[i] = i;
  let best: ApproximateMatch | null = column[m] <= maxEdits ? { distance: column[m], end: 0 } : null;
  for (let j = 0; j < text.length; j++) {
    const character = text.charCodeAt(j);
    let diagonal = column[0]; // D[i-1][j-1]
    column[0] = 0; // free start: the empty prefix matches anywhere
    for (let i = 1; i <= m; i++) {
      const above = column[i]; // D[i][j-1]
      const substitution = diagonal + (pattern.charCodeAt(i - 1) === character ? 0 : 1);
      const deletion = above + 1; // skip a text character
      const insertion = column[i - 1] + 1; // skip a pattern character
      let value = substitution < deletion ? substitution : deletion;
      if (insertion < value) value = insertion;
      column[i] = value;
      diagonal = above;
    }
    if (column[m] <= maxEdits && (best === null || column[m] < best.distance)) {
      best = { distance: column[m], end: j + 1 };
      if (best.distance === 0) return best;
    }
  }
  return best;
}

/** Maximum edits allowed for a folded pattern of the given length. */
export function maxEditsFor(foldedLength: number, tolerance = DEFAULT_EDIT_TOLERANCE): number {
  return Math.floor(foldedLength * tolerance);
}

/**
 * True when `needle` occurs in `haystack` after folding, allowing ≤ `tolerance` × folded needle length edits.
 * Tries an exact folded substring first (fast path), then Sellers' search.
 */
export function fuzzyContains(haystack: string, needle: string, tolerance = DEFAULT_EDIT_TOLERANCE): boolean {
  return foldedFuzzyContains(foldForMatch(haystack), foldForMatch(needle), tolerance);
}

/** {@link fuzzyContains} on texts that are already folded with {@link foldForMatch}. */
export function foldedFuzzyContains(foldedHaystack: string, foldedNeedle: string, tolerance = DEFAULT_EDIT_TOLERANCE): boolean {
  if (foldedNeedle.length === 0) return false;
  if (foldedHaystack.includes(foldedNeedle)) return true;
  const maxEdits = maxEditsFor(foldedNeedle.length, tolerance);
  if (maxEdits === 0) return false;
  // A match needs at least m - k characters of the haystack.
  if (foldedHaystack.length < foldedNeedle.length - maxEdits) return false;
  return approximateSubstringSearch(foldedNeedle, foldedHaystack, maxEdits) !== null;
}

/**
 * True when a fact (alternatives separated by `|`) is stated in `answer`: any alternative occurs after folding.
 * Alphabetic alternatives ignore spacing and punctuation (like evidence), so inflected forms that extend the
 * fact ("familjehem" in "familjehemmen") count. Purely numeric alternatives ("2") must stand as a whole
 * number (not inside "2024"). No edit tolerance: the answer text is what the user reads.
 */
export function factStated(answer: string, fact: string): boolean {
  const foldedAnswer = foldForMatch(answer);
  const spacedAnswer = foldKeepingSpaces(answer);
  return fact
    .split('|')
    .map((alternative) => alternative.trim())
    .filter((alternative) => alternative.length > 0)
    .some((alternative) => {
      const folded = foldForMatch(alternative);
      if (folded.length === 0) return false;
      if (/^[0-9]+$/.test(folded)) {
        // "2", "11", "2024-11-18", "54 27 07": the digit groups in order, separated by nothing or one space,
        // not glued to further digits.
        const groups = foldKeepingSpaces(alternative).split(' ');
        return new RegExp(`(?<![0-9])${groups.join(' ?')}(?![0-9])`).test(spacedAnswer);
      }
      return foldedAnswer.includes(folded);
    });
}
