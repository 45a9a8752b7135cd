/**
 * Word tokens of a question with their character offsets, in folded form (lower case, å/ä → a, ö → o),
 * so that "socialnamnden" typed without diacritics matches "Socialnämnden".
 */
import { foldSwedish } from '../swedish/fold.ts';

/** One word of a text: its folded form, the lower-cased surface form and where it stands. */
export interface Token {
  /** Folded word: `nämnden` → `namnden`. */
  folded: string;
  /** Lower-cased word as written: `nämnden`. */
  lower: string;
  /** Word as written. */
  surface: string;
  start: number;
  end: number;
}

const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

/**
 * Splits a text into word tokens (letters and digits; hyphens and punctuation separate words).
 * Offsets refer to the original text.
 */
export function tokenizeWithOffsets(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) {
    const surface = match[0];
    const start = match.index ?? 0;
    tokens.push({ folded: foldSwedish(surface), lower: surface.toLowerCase(), surface, start, end: start + surface.length });
  }
  return tokens;
}

/** Folded words of a text. */
export function foldedWords(text: string): string[] {
  return tokenizeWithOffsets(text).map((token) => token.folded);
}

/** True when the (lower-cased) word carries a Swedish diacritic letter. */
export function hasDiacritic(word: string): boolean {
  return /[åäöéü]/.test(word);
}
