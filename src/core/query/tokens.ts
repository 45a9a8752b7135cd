/**
 * Word tokens of a question with their character offsets, in folded form (lower case, å/ä → a, ö → o),
 * so that "socialnamnden" typed without diacritics matches "Socialnämnden". The words come from the Swedish
 * analyzer (`words` in `../swedish/analyzer.ts`).
 */
import { foldedWords as analyzerFoldedWords, words, type Word } from '../swedish/analyzer.ts';

/** One word of a text: its folded form, the lower-cased surface form and where it stands. */
export type Token = Word;

/**
 * Splits a text into word tokens (Unicode word segmentation with Swedish rules; hyphens and spaces separate
 * words). Offsets refer to the original text.
 */
export function tokenizeWithOffsets(text: string): Token[] {
  return words(text);
}

/** Folded words of a text. */
export function foldedWords(text: string): string[] {
  return analyzerFoldedWords(text);
}

/** True when the (lower-cased) word carries a Swedish diacritic letter. */
export function hasDiacritic(word: string): boolean {
  return /[åäöéü]/.test(word);
}
