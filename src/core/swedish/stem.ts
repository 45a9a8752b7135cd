/**
 * Swedish stems and stop words: thin wrappers over the analyzer (`analyzer.ts`), which uses the maintained Snowball
 * stemmer (`snowball-stemmers`) and stop-word list (`stopword`). Kept so existing imports stay valid.
 */
import { SWEDISH_STOP_WORDS, snowballStem } from './analyzer.ts';

/**
 * Snowball Swedish stem of one word (lower-cased first): `stemSwedish("uppdragen")` → `"uppdrag"`,
 * `stemSwedish("namnderna")` → `"namnd"`. Words shorter than 3 letters and words with non-letters are returned
 * lower-cased but otherwise unchanged. For matching, use the analyzer's `stem` (with the documented tweaks).
 */
export function stemSwedish(word: string): string {
  return snowballStem(word);
}

/** Swedish stop words (the `stopword` package's list), each in its written and its folded form, lower case. */
export { SWEDISH_STOP_WORDS };
