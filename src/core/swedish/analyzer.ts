/**
 * The Swedish analyzer: the one place where text becomes words, stems and search terms. Query understanding,
 * evidence scoring, the builtin embedder, the in-memory store (Worker) and the LanceDB store (Node) all use it, so a
 * word is analysed the same way wherever it is indexed or looked up.
 *
 * Built on maintained parts:
 *  - **Words and sentences**: `Intl.Segmenter('sv')` (Unicode UAX #29 word and sentence boundaries with ICU's Swedish
 *    rules: "t.ex", "3,5", "S:t" stay one word; hyphens, slashes and dashes separate words; a combining mark or a soft
 *    hyphen inside a word does not split it). Whitespace is always a word boundary, so a whitespace-separated piece made
 *    of Latin-1 letters and digits only (with brackets, quotes or sentence punctuation around it) is one word without
 *    asking the segmenter (same result, tested, ~20× faster); pieces
 *    are never longer than the text between two spaces, which keeps the segmenter linear (it is quadratic in the
 *    length of one long string in V8).
 *  - **Normalisation** of each word: NFKC (ligatures "ﬁ" → "fi", full-width forms, composed diacritics) and format
 *    characters removed (soft hyphen, zero-width joiners). Whole documents are normalised at ingest by
 *    `normalizeText` (which also resolves "�" with the lexicon); this per-word step makes queries and any unrepaired
 *    text analyse the same way.
 *  - **Folding**: `foldSwedish` (lower case, å/ä → a, ö → o, other diacritics stripped).
 *  - **Stems**: the Snowball Swedish stemmer of the `snowball-stemmers` package (a port of snowballstem.org).
 *  - **Stop words**: the Swedish list of the `stopword` package (418 words) and its English list (questions may be
 *    asked in English).
 *
 * Documented Swedish tweaks (each measured with the evals, see README *Swedish analysis*):
 *  1. **Stem the folded word.** A question typed without å/ä/ö must find the text: "omrade" and "område" both give
 *     "omrad" because the word is folded before stemming. (Stemming first and folding after gives better stems for a
 *     few words, "område" → "områd", but "omrade" typed without the ring → "omr", a miss.)
 *  2. **Undouble a final double consonant** after Snowball (which undoubles only dd, gd, nn, dt, gt, kt, tt):
 *     "familjehemmen" → "familjehem" like "familjehem", "grupperna" → "grup" like "grupp".
 *  3. **Stop words are matched as written.** A word with å/ä/ö is a stop word only when the list has it with those
 *     letters, so "år" (year) is a term although its folded form "ar" is the folded "är"; a word typed without
 *     diacritics is compared with the folded list ("ar" is a stop word).
 *  4. **Words with digits or inner punctuation are not stemmed** ("2025", "3,5", "t.ex").
 *  5. **Genitive -s after a suffix.** Snowball removes a final -s (after b, c, d, f, g, h, j, k, l, m, n, o, p, r, t,
 *     v, y, in R1) only when no other suffix was removed, so "plats" → "plat" while "platser" → "plats" and
 *     "kursen" → "kurs"; the rule is applied once more to what a removed suffix left, so all forms meet ("plat").
 *
 * Pure TypeScript (no `node:*`): runs in ingest, in the Node server and in the Worker.
 */
import snowball from 'snowball-stemmers';
import { eng as ENGLISH_LIST, swe as SWEDISH_LIST } from 'stopword';
import { foldSwedish } from './fold.ts';

/** Identifies the analysis; stores and the builtin embedder record it so an index built by another one is rebuilt. */
export const ANALYZER_VERSION = 'sv-snowball-1';

/** One word of a text. */
export interface Word {
  /** Folded (lower case, no diacritics): `Nämnden` → `namnden`. */
  folded: string;
  /** Lower case as written, normalised (NFKC, no soft hyphens): `nämnden`. */
  lower: string;
  /** The word as it stands in the text. */
  surface: string;
  /** Offsets of `surface` in the text. */
  start: number;
  end: number;
}

const wordSegmenter = new Intl.Segmenter('sv', { granularity: 'word' });
const sentenceSegmenter = new Intl.Segmenter('sv', { granularity: 'sentence' });

/**
 * A whitespace-separated piece that holds one word as it stands: Latin-1 letters and ASCII digits (all NFKC-stable),
 * with only opening brackets and quotes before and closing ones or sentence punctuation after (UAX #29 never joins
 * those to a word: "." and "," join only between letters or digits).
 */
const PLAIN_PIECE = /^[(["«»'”“]*([0-9A-Za-zÀ-ÖØ-öø-ÿ]+)[)\]"«»'”“.,;:!?]*$/;
const PIECE = /\S+/g;
/** Format characters (soft hyphen, zero-width joiners, …) removed inside a word. */
const FORMAT = /\p{Cf}/gu;
const NON_ASCII = /[^\x00-\x7f]/;

const foldCache = new Map<string, string>();
const FOLD_CACHE_SIZE = 100_000;

/** `foldSwedish` of a lower-case word, cached (words repeat; ASCII words fold to themselves). */
function foldWord(lower: string): string {
  if (!NON_ASCII.test(lower)) return lower;
  let folded = foldCache.get(lower);
  if (folded === undefined) {
    folded = foldSwedish(lower);
    if (foldCache.size >= FOLD_CACHE_SIZE) foldCache.clear();
    foldCache.set(lower, folded);
  }
  return folded;
}

function pushWord(words: Word[], surface: string, start: number, plain: boolean): void {
  const normalised = plain ? surface : surface.normalize('NFKC').replace(FORMAT, '');
  if (!normalised) return;
  const lower = normalised.toLowerCase();
  words.push({ folded: foldWord(lower), lower, surface, start, end: start + surface.length });
}

/**
 * The words of a text (Unicode word segmentation, Swedish rules), with offsets into `text`:
 * `words("Nämndens uppdrag, t.ex. 3,5 mnkr")` → `nämndens`, `uppdrag`, `t.ex`, `3,5`, `mnkr`.
 */
export function words(text: string): Word[] {
  const result: Word[] = [];
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    const offset = match.index ?? 0;
    const plain = PLAIN_PIECE.exec(piece);
    if (plain) {
      pushWord(result, plain[1], offset + piece.indexOf(plain[1]), true);
      continue;
    }
    for (const segment of wordSegmenter.segment(piece)) {
      if (segment.isWordLike) pushWord(result, segment.segment, offset + segment.index, false);
    }
  }
  return result;
}

/** Folded words of a text: `foldedWords("Nämnden för")` → `["namnden", "for"]`. */
export function foldedWords(text: string): string[] {
  return words(text).map((word) => word.folded);
}

/** One sentence of a text with its offsets (trailing spaces and line breaks are not part of it). */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/**
 * Sentences of a text (Unicode sentence segmentation, Swedish rules: "t.ex. nämnden" is not a sentence end, a
 * lower-case word after a period continues the sentence). A line break always ends a sentence (document text keeps
 * headings and list items on their own lines) unless `lineBreaks` is false (a passage whose lines are wrapped prose);
 * a sentence never ends inside a run of non-space characters.
 */
export function sentences(text: string, options: { lineBreaks?: boolean } = {}): Sentence[] {
  const breakLines = options.lineBreaks ?? true;
  const result: Sentence[] = [];
  const push = (piece: string, start: number): void => {
    const trimmed = piece.trimEnd();
    const lead = trimmed.length - trimmed.trimStart().length;
    if (trimmed.trim()) result.push({ text: trimmed.trimStart(), start: start + lead, end: start + trimmed.length });
  };
  // Segmented per line, or (lineBreaks false) as a whole with line breaks read as spaces; offsets and text always
  // come from `text` (a line break and a space have the same length).
  for (const line of text.matchAll(breakLines ? /[^\n]+/g : /[\s\S]+/g)) {
    const offset = line.index ?? 0;
    const source = breakLines ? line[0] : line[0].replace(/\n/g, ' ');
    // A sentence ends only before a space: ICU also breaks after "?" or "!" inside a run ("sida.aspx?id=1").
    let pending = '';
    let pendingStart = 0;
    for (const segment of sentenceSegmenter.segment(source)) {
      if (!pending) pendingStart = offset + segment.index;
      pending += line[0].slice(segment.index, segment.index + segment.segment.length);
      if (/\s$/.test(segment.segment)) {
        push(pending, pendingStart);
        pending = '';
      }
    }
    if (pending) push(pending, pendingStart);
  }
  return result;
}

const SWEDISH_WRITTEN: ReadonlySet<string> = new Set(SWEDISH_LIST.map((word) => word.toLowerCase()));
const SWEDISH_FOLDED: ReadonlySet<string> = new Set(SWEDISH_LIST.map((word) => foldSwedish(word)));
const ENGLISH: ReadonlySet<string> = new Set(ENGLISH_LIST.map((word) => word.toLowerCase()));

/** Swedish stop words as listed (with å/ä/ö) and folded (`för` and `for`), lower case. */
export const SWEDISH_STOP_WORDS: ReadonlySet<string> = new Set([...SWEDISH_WRITTEN, ...SWEDISH_FOLDED]);

/** English stop words (lower case). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = ENGLISH;

/**
 * True when a lower-case word (as written, or folded) is a stop word: a word with å/ä/ö or another diacritic is
 * looked up as written (tweak 3), a word without diacritics in the folded Swedish list and the English list.
 */
export function isStopWord(word: string): boolean {
  const folded = foldWord(word);
  if (folded !== word) return SWEDISH_WRITTEN.has(word);
  return SWEDISH_FOLDED.has(word) || ENGLISH.has(word);
}

/** True when the word is a stop word (see {@link isStopWord}). */
export function isStop(word: Pick<Word, 'lower'>): boolean {
  return isStopWord(word.lower);
}

const stemmer = snowball.newStemmer('swedish');
const stemCache = new Map<string, string>();
const STEM_CACHE_SIZE = 100_000;
const LETTERS = /^\p{L}+$/u;
const CONSONANT = /^[bcdfghjklmnpqrstvwxz]$/;
/** Snowball Swedish: letters after which a final -s is a genitive ending. */
const VALID_S_ENDING = new Set('bcdfghjklmnoprtvy');
const VOWELS = new Set('aeiouyäåö');

/** Snowball's R1: the region after the first non-vowel that follows a vowel, starting at 3 at the earliest. */
function regionOne(word: string): number {
  for (let index = 1; index < word.length; index++) {
    if (!VOWELS.has(word[index]) && VOWELS.has(word[index - 1])) return Math.max(3, index + 1);
  }
  return word.length;
}

/**
 * The Snowball Swedish stem of a lower-case word, as the package gives it: `snowballStem("nämnderna")` → `"nämnd"`.
 * Words with digits or punctuation are returned as they are.
 */
export function snowballStem(word: string): string {
  const lower = word.toLowerCase();
  if (lower.length < 3 || !LETTERS.test(lower)) return lower;
  return stemmer.stem(lower);
}

/**
 * The stem used for matching: Snowball plus tweak 2 (final double consonant undoubled). Input is a lower-case word,
 * usually folded (tweak 1): `stem("familjehemmen")` → `"familjehem"`, `stem("namnderna")` → `"namnd"`.
 */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let result = snowballStem(word);
  // Tweak 5: Snowball drops a genitive -s only when no other suffix went, so "plats" → "plat" but "platser" → "plats".
  if (result !== word && result.endsWith('s') && VALID_S_ENDING.has(result[result.length - 2]) && result.length - 1 >= regionOne(word)) {
    result = result.slice(0, -1);
  }
  const last = result.length - 1;
  if (result.length > 3 && result[last] === result[last - 1] && CONSONANT.test(result[last])) result = result.slice(0, -1);
  if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
  stemCache.set(word, result);
  return result;
}

/** The search term of a word: its folded stem, or undefined for a stop word. */
export function termOf(word: Pick<Word, 'lower' | 'folded'>): string | undefined {
  return isStopWord(word.lower) ? undefined : stem(word.folded);
}

/**
 * Full-text search terms of a text: the folded stems of its words that are not stop words, in text order (repeats
 * kept). Both stores index exactly these terms and look up exactly these terms of a question.
 */
export function searchTerms(text: string): string[] {
  return searchTermsOfWords(words(text));
}

function searchTermsOfWords(list: Word[]): string[] {
  const terms: string[] = [];
  for (const word of list) {
    const term = termOf(word);
    if (term) terms.push(term);
  }
  return terms;
}

/** `searchTerms` and `ngramTerms` (trigrams) of one text from one segmentation (what a stored chunk needs). */
export function indexTerms(text: string): { search: string[]; ngram: string[] } {
  const list = words(text);
  return { search: searchTermsOfWords(list), ngram: ngramsOfWords(list, 3) };
}

/** Character n-grams (default trigrams) of each folded word, stop words included; shorter words are kept whole. */
export function ngramTerms(text: string, size = 3): string[] {
  return ngramsOfWords(words(text), size);
}

function ngramsOfWords(list: Word[], size: number): string[] {
  const grams: string[] = [];
  for (const { folded } of list) {
    if (folded.length <= size) {
      grams.push(folded);
      continue;
    }
    for (let index = 0; index + size <= folded.length; index++) grams.push(folded.slice(index, index + size));
  }
  return grams;
}
