/**
 * A Lexicon built from a word list — the corpus's own repaired vocabulary — so query repair
 * ("fo rvaltningen" → "förvaltningen") works where hunspell is unavailable (the Cloudflare Worker).
 *
 * Pure: no `node:*` imports. Words are compared NFC-normalised and lower-cased; diacritics matter
 * ("for" and "för" are different words). Like hunspell's Swedish dictionary it accepts compounds:
 * a word that splits into known parts of at least {@link MIN_COMPOUND_PART} letters, with an optional
 * linking `s` after a non-final part ("familjehem" + "s" + "placering"), up to
 * {@link MAX_COMPOUND_PARTS} parts. Hyphenated words are known when every part is.
 */
import type { Lexicon } from './types.ts';

/** Shortest part a compound may be split into (shorter parts make nonsense splits too easy). */
export const MIN_COMPOUND_PART = 3;

/** Most parts a compound may have. */
export const MAX_COMPOUND_PARTS = 3;

/** One-letter Swedish words kept in the vocabulary; other single letters are extraction debris ("a r" for "är"). */
const ONE_LETTER_WORDS: ReadonlySet<string> = new Set(['i', 'å', 'ö']);

const LETTERS = /^[\p{L}\p{M}]+$/u;

/** NFC + lower case: the form words are stored and looked up in. */
export function normalizeVocabularyWord(word: string): string {
  return word.normalize('NFC').toLowerCase();
}

/**
 * Keeps only what can be a dictionary word: letters only (no digits or punctuation) and not a stray single letter.
 * Returns the normalised word or undefined.
 */
function acceptedWord(word: string): string | undefined {
  const normalized = normalizeVocabularyWord(word.trim());
  if (!normalized || !LETTERS.test(normalized)) return undefined;
  if (normalized.length === 1 && !ONE_LETTER_WORDS.has(normalized)) return undefined;
  return normalized;
}

/** A {@link Lexicon} with access to its word list (for diagnostics and tests). */
export interface VocabularyLexicon extends Lexicon {
  /** Number of distinct words in the vocabulary. */
  readonly size: number;
  /** True when the exact (normalised) word is in the vocabulary; no compound analysis. */
  has(word: string): boolean;
}

/**
 * Creates a Lexicon from a list of words (e.g. the bundle's `vocabulary`, or every word of the repaired chunk texts).
 * Words with digits or punctuation and stray single letters are ignored. `isWord` is memoised.
 */
export function createVocabularyLexicon(words: Iterable<string>): VocabularyLexicon {
  const vocabulary = new Set<string>();
  for (const word of words) {
    const accepted = acceptedWord(word);
    if (accepted) vocabulary.add(accepted);
  }
  const memo = new Map<string, boolean>();
  const MEMO_LIMIT = 10_000;

  /** Can `word[from..]` be split into at most `partsLeft` known parts (the last one a word on its own)? */
  function splits(word: string, from: number, partsLeft: number): boolean {
    if (partsLeft === 0) return false;
    const rest = word.length - from;
    if (rest >= MIN_COMPOUND_PART && vocabulary.has(word.slice(from))) return true;
    if (partsLeft === 1) return false;
    for (let end = from + MIN_COMPOUND_PART; end <= word.length - MIN_COMPOUND_PART; end++) {
      const part = word.slice(from, end);
      if (vocabulary.has(part) && splits(word, end, partsLeft - 1)) return true;
      // Linking s ("familjehem-s-placering"): the part without its final s is a word.
      if (part.endsWith('s') && part.length > MIN_COMPOUND_PART && vocabulary.has(part.slice(0, -1)) && splits(word, end, partsLeft - 1)) {
        return true;
      }
    }
    return false;
  }

  function known(word: string): boolean {
    if (vocabulary.has(word)) return true;
    if (word.includes('-')) {
      const parts = word.split('-');
      return parts.every((part) => part.length > 0 && LETTERS.test(part) && known(part));
    }
    if (!LETTERS.test(word) || word.length < MIN_COMPOUND_PART * 2) return false;
    return splits(word, 0, MAX_COMPOUND_PARTS);
  }

  return {
    get size() {
      return vocabulary.size;
    },
    has(word: string): boolean {
      return vocabulary.has(normalizeVocabularyWord(word));
    },
    isWord(word: string): boolean {
      const normalized = normalizeVocabularyWord(word);
      let result = memo.get(normalized);
      if (result === undefined) {
        result = normalized.length > 0 && known(normalized);
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(normalized, result);
      }
      return result;
    },
  };
}

/**
 * The vocabulary of some texts: every distinct word (NFC, lower case, letters only, no stray single letters),
 * sorted so the output is deterministic. Use it on repaired texts only: the words become the Worker's dictionary.
 */
export function extractVocabulary(texts: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of text.normalize('NFC').matchAll(/[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*/gu)) {
      for (const part of match[0].split('-')) {
        const accepted = acceptedWord(part);
        if (accepted) words.add(accepted);
      }
    }
  }
  return [...words].sort();
}
