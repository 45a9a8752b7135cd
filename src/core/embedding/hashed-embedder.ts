/**
 * The builtin embedder: hashed Swedish features, no download and no network.
 *
 * Features of one text (all lower-cased, Unicode-aware: å, ä, ö are folded to a, a, o, never dropped):
 *  - the folded word                      (weight 1.0; stop words 0.1),
 *  - its Swedish stem                     (weight 0.8; stop words skipped),
 *  - character n-grams 3–5 of `#word#`    (total weight ≈ 1.0 per word, spread over its n-grams; stop words skipped)
 *    so compounds ("familjehemsplacering" ~ "familjehem") and OCR-damaged words ("ndmnden" ~ "nämnden") share features,
 *  - word bigrams of stems                (weight 0.4).
 * Each feature is hashed (FNV-1a, 32 bit, seeded by feature type) into one of `dimensions` buckets with a hashed sign
 * (so collisions cancel on average instead of piling up), the per-feature weight is made sublinear (`ln(1 + w)`),
 * and the vector is L2-normalised, so a dot product is the cosine similarity.
 *
 * Also exports the small Swedish analysis helpers (fold, stem, stop words, tokens, n-grams) the in-memory and LanceDB
 * stores use so that both stores analyse text the same way.
 * NOTE: `src/core/swedish/fold.ts` / `stem.ts` did not exist when this was written; these are private versions
 * (the lead may dedupe them into those modules).
 */
import type { Embedder } from '../types.ts';

/** Model id stored in the index; bump the version whenever features change (a re-ingest is then required). */
export const HASHED_EMBEDDER_MODEL_ID = 'builtin-hash-v1';

/** Default vector size; see `createHashedEmbedder`. */
export const HASHED_EMBEDDER_DEFAULT_DIMENSIONS = 1024;

/** Options of the builtin embedder. */
export interface HashedEmbedderOptions {
  /** Vector size, 64–16384; default 1024. */
  dimensions?: number;
}

/**
 * Lower-cases and strips diacritics: `Nämnden för Göteborgs` → `namnden for goteborgs`. Keeps the base letter
 * (å → a, ä → a, ö → o, é → e), maps æ/ø to a/o; never removes a letter.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[æ]/g, 'a')
    .replace(/[ø]/g, 'o')
    .replace(/ß/g, 'ss');
}

const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

/** Words of a text, lower-cased and NFC-normalised (diacritics kept). */
export function wordsOf(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORD_PATTERN) ?? [];
}

/** Swedish (and a few English) stop words, folded. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'och i att det som en pa ar av for med till den har de inte om ett han men var jag sig fran vi sa kan man nar ' +
    'ska skall eller da vid ocksa aven alla detta denna dessa samt inom mot efter utan sin sitt sina deras hur vad ' +
    'vilka vilken vilket dar har nu bli blir blivit finns fanns hade haft varit vara mer mycket andra annat dem dess ' +
    'oss er ni du hon min mitt mina din ditt dina ut upp over ej nagot nagon nagra genom samma sadan sadana ' +
    'the of and to in is are was what which who does do for on a an by with from that this these those be it'
  ).split(' '),
);

/** True when the (folded) word is a stop word. */
export function isStopWord(foldedWord: string): boolean {
  return STOP_WORDS.has(foldedWord);
}

const VOWELS = /[aeiouyåäö]/;
const SUFFIXES = [
  'heterna', 'hetens', 'anden', 'andes', 'andet', 'arens', 'arnas', 'ernas', 'heten', 'heter', 'ornas', 'arna', 'erna',
  'orna', 'ande', 'arne', 'aste', 'aren', 'ades', 'erns', 'ade', 'are', 'ern', 'ens', 'het', 'ast', 'ad', 'en', 'ar',
  'er', 'or', 'as', 'es', 'at', 'a', 'e',
].sort((a, b) => b.length - a.length);
const S_ENDING = /[bcdfghjklmnoprtvy]s$/;

/** Index after the first non-vowel that follows a vowel (Snowball's R1), at least 3. */
function regionOne(word: string): number {
  for (let index = 1; index < word.length; index++) {
    if (!VOWELS.test(word[index]) && VOWELS.test(word[index - 1])) return Math.max(3, index + 1);
  }
  return word.length;
}

/**
 * A light Swedish stemmer (Snowball-like suffix stripping plus undoubling of a final double consonant, so
 * `familjehemmen` → `familjehem`, `nämnderna` → `nämnd`, `uppdragen` → `uppdrag`). Input: a lower-case word.
 */
export function stemWord(word: string): string {
  if (word.length < 4 || /\d/.test(word)) return word;
  const r1 = regionOne(word);
  let stem = word;
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= r1) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  if (stem === word && S_ENDING.test(word) && word.length - 1 >= r1) stem = word.slice(0, -1);
  for (const suffix of ['lig', 'ig', 'els']) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= r1) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  if (stem.endsWith('löst')) stem = stem.slice(0, -1);
  else if (stem.endsWith('fullt')) stem = stem.slice(0, -1);
  const last = stem.length - 1;
  if (stem.length > 3 && stem[last] === stem[last - 1] && !VOWELS.test(stem[last])) stem = stem.slice(0, -1);
  else if (/(?:dt|gt|kt|gd)$/.test(stem) && stem.length > 4) stem = stem.slice(0, -1);
  return stem;
}

/** Terms for Swedish full-text search: folded stems of the non-stop words. */
export function textSearchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of wordsOf(text)) {
    const folded = foldText(word);
    if (isStopWord(folded)) continue;
    terms.push(foldText(stemWord(word)));
  }
  return terms;
}

/** Character trigrams of each folded word (words shorter than 3 letters are kept whole). */
export function ngramTerms(text: string, size = 3): string[] {
  const grams: string[] = [];
  for (const word of wordsOf(foldText(text))) {
    if (word.length <= size) {
      grams.push(word);
      continue;
    }
    for (let index = 0; index + size <= word.length; index++) grams.push(word.slice(index, index + size));
  }
  return grams;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashChars(seed: number, text: string, start: number, end: number): number {
  let hash = seed;
  for (let index = start; index < end; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  }
  return hash >>> 0;
}

const SEED_WORD = FNV_OFFSET;
const SEED_STEM = hashChars(FNV_OFFSET, 'stem', 0, 4);
const SEED_GRAM = hashChars(FNV_OFFSET, 'gram', 0, 4);
const SEED_BIGRAM = hashChars(FNV_OFFSET, 'bigram', 0, 6);

const WEIGHT_WORD = 1.0;
const WEIGHT_STOP_WORD = 0.1;
const WEIGHT_STEM = 0.8;
const WEIGHT_GRAMS_PER_WORD = 1.0;
const WEIGHT_BIGRAM = 0.4;

/** Accumulates hashed feature weights of one text. */
function featuresOf(text: string): Map<number, number> {
  const features = new Map<number, number>();
  const add = (hash: number, weight: number) => features.set(hash, (features.get(hash) ?? 0) + weight);
  let previousStem: string | undefined;
  for (const word of wordsOf(text)) {
    const folded = foldText(word);
    if (isStopWord(folded)) {
      add(hashChars(SEED_WORD, folded, 0, folded.length), WEIGHT_STOP_WORD);
      previousStem = undefined;
      continue;
    }
    add(hashChars(SEED_WORD, folded, 0, folded.length), WEIGHT_WORD);
    const stem = foldText(stemWord(word));
    add(hashChars(SEED_STEM, stem, 0, stem.length), WEIGHT_STEM);
    if (previousStem !== undefined) {
      const first = hashChars(SEED_BIGRAM, previousStem, 0, previousStem.length);
      add(hashChars(Math.imul(first ^ 0x20, FNV_PRIME), stem, 0, stem.length), WEIGHT_BIGRAM);
    }
    previousStem = stem;
    const bounded = `#${folded}#`;
    const length = bounded.length;
    let gramCount = 0;
    for (let size = 3; size <= 5; size++) gramCount += Math.max(0, length - size + 1);
    if (gramCount === 0) continue;
    const gramWeight = WEIGHT_GRAMS_PER_WORD / Math.sqrt(gramCount);
    for (let size = 3; size <= 5; size++) {
      for (let start = 0; start + size <= length; start++) {
        add(hashChars(SEED_GRAM + size, bounded, start, start + size), gramWeight);
      }
    }
  }
  return features;
}

/** Embeds one text into a fresh L2-normalised vector. */
export function hashedVector(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  for (const [hash, weight] of featuresOf(text)) {
    const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
    const sign = (mixed ^ (mixed >>> 12)) & 1 ? -1 : 1;
    vector[hash % dimensions] += sign * Math.log1p(weight);
  }
  let norm = 0;
  for (let index = 0; index < dimensions; index++) norm += vector[index] * vector[index];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const result = new Array<number>(dimensions);
  for (let index = 0; index < dimensions; index++) result[index] = vector[index] * scale;
  return result;
}

/**
 * Creates the builtin hashed embedder (`builtin-hash-v1`). Deterministic, synchronous work, no network.
 * 1024 dimensions by default: a chunk has ~1–3k distinct features (mostly n-grams); 1024 buckets keep the noise that
 * collisions add to a cosine small (~1/√1024 ≈ 0.03 per colliding pair) while a vector stays 4 KiB, and a power of
 * two is what vector indexes (IVF-PQ sub-vectors) like. An empty text gives the zero vector.
 */
export function createHashedEmbedder(options: HashedEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? HASHED_EMBEDDER_DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 64 || dimensions > 16384) {
    throw new RangeError(`Hashed embedder: dimensions must be an integer between 64 and 16384, got ${dimensions}`);
  }
  return {
    modelId: HASHED_EMBEDDER_MODEL_ID,
    dimensions,
    maxBatchSize: 256,
    async embed(texts, embedOptions) {
      if (embedOptions?.signal?.aborted) throw embedOptions.signal.reason ?? new Error('aborted');
      return texts.map((text) => hashedVector(text, dimensions));
    },
  };
}
