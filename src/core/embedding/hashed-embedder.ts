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
 * (so collisions cancel on average instead of piling up); term frequency is sublinear (a word seen c times counts
 * 1 + ln c) and the vector is L2-normalised, so a dot product is the cosine similarity. Word features are cached.
 *
 * Words, stop words and stems come from the Swedish analyzer (`../swedish/analyzer.ts`); the small helpers exported
 * here (wordsOf, isStopWord, stemWord, textSearchTerms, ngramTerms) are thin wrappers kept for existing callers.
 */
import { foldedWords, isStopWord as analyzerIsStopWord, ngramTerms as analyzerNgramTerms, searchTerms, stem, words } from '../swedish/analyzer.ts';
import type { Embedder } from '../types.ts';

/**
 * Model id stored in the index; bump the version whenever features change (a re-ingest is then required).
 * v2: words, stems and stop words from the Swedish analyzer (Intl.Segmenter, Snowball package, `stopword` list).
 */
export const HASHED_EMBEDDER_MODEL_ID = 'builtin-hash-v2';

/** Default vector size; see `createHashedEmbedder`. */
export const HASHED_EMBEDDER_DEFAULT_DIMENSIONS = 1024;

/** Options of the builtin embedder. */
export interface HashedEmbedderOptions {
  /** Vector size, 64–16384; default 1024. */
  dimensions?: number;
}

/** Words of a text, lower-cased and normalised (diacritics kept): the analyzer's words. */
export function wordsOf(text: string): string[] {
  return words(text).map((word) => word.lower);
}

/** True when the lower-case word is a Swedish (or English) stop word (the analyzer's `isStopWord`). */
export function isStopWord(word: string): boolean {
  return analyzerIsStopWord(word);
}

/**
 * Stem for matching: the analyzer's `stem` (Snowball Swedish plus undoubling of any final double consonant, so
 * `familjehemmen` → `familjehem`, `nämnderna` → `nämnd`, `uppdragen` → `uppdrag`).
 */
export function stemWord(word: string): string {
  return stem(word);
}

/** Terms for Swedish full-text search: the analyzer's `searchTerms` (folded stems of the non-stop words). */
export function textSearchTerms(text: string): string[] {
  return searchTerms(text);
}

/** Folded words of a text: `foldedWordsOf("Nämnden för")` → `["namnden", "for"]`. */
export function foldedWordsOf(text: string): string[] {
  return foldedWords(text);
}

/** Character trigrams of each folded word (words shorter than 3 letters are kept whole). */
export function ngramTerms(text: string, size = 3): string[] {
  return analyzerNgramTerms(text, size);
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

/** The hashed features of one folded word, already projected: bucket index and signed weight. */
interface WordFeatures {
  buckets: Int32Array;
  weights: Float32Array;
  stemHash: number;
  stop: boolean;
}

function project(hash: number, dimensions: number): { bucket: number; sign: number } {
  const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return { bucket: hash % dimensions, sign: (mixed ^ (mixed >>> 12)) & 1 ? -1 : 1 };
}

function wordFeatures(word: string, stop: boolean, dimensions: number): WordFeatures {
  const hashes: number[] = [];
  const weights: number[] = [];
  hashes.push(hashChars(SEED_WORD, word, 0, word.length));
  weights.push(stop ? WEIGHT_STOP_WORD : WEIGHT_WORD);
  let stemHash = 0;
  if (!stop) {
    const wordStem = stem(word);
    stemHash = hashChars(SEED_STEM, wordStem, 0, wordStem.length);
    hashes.push(stemHash);
    weights.push(WEIGHT_STEM);
    const bounded = `#${word}#`;
    const length = bounded.length;
    let gramCount = 0;
    for (let size = 3; size <= 5; size++) gramCount += Math.max(0, length - size + 1);
    const gramWeight = gramCount ? WEIGHT_GRAMS_PER_WORD / Math.sqrt(gramCount) : 0;
    for (let size = 3; size <= 5; size++) {
      for (let start = 0; start + size <= length; start++) {
        hashes.push(hashChars(SEED_GRAM + size, bounded, start, start + size));
        weights.push(gramWeight);
      }
    }
  }
  const features: WordFeatures = { buckets: new Int32Array(hashes.length), weights: new Float32Array(hashes.length), stemHash, stop };
  hashes.forEach((hash, index) => {
    const { bucket, sign } = project(hash, dimensions);
    features.buckets[index] = bucket;
    features.weights[index] = sign * weights[index];
  });
  return features;
}

/** Computes vectors with a bounded per-word feature cache (words repeat across chunks). */
function createVectoriser(dimensions: number, cacheSize = 50_000) {
  const cache = new Map<string, { key: string; features: WordFeatures }>();
  /**
   * Features of a word, cached by its lower-case form: those of its folded form, a stop word (decided on the written
   * form, see the analyzer) apart. `key` identifies the features (folded word, stop words marked).
   */
  const featuresFor = (lower: string, folded: string): { key: string; features: WordFeatures } => {
    let entry = cache.get(lower);
    if (!entry) {
      const stop = analyzerIsStopWord(lower);
      entry = { key: stop ? `\u0000${folded}` : folded, features: wordFeatures(folded, stop, dimensions) };
      if (cache.size >= cacheSize) cache.clear();
      cache.set(lower, entry);
    }
    return entry;
  };

  return (text: string): number[] => {
    const vector = new Float64Array(dimensions);
    const features: WordFeatures[] = [];
    // Sublinear term frequency at the word level: a word seen c times counts 1 + ln(c).
    const counts = new Map<string, { wordFeatures: WordFeatures; count: number }>();
    for (const word of words(text)) {
      const { key, features: wordFeatures } = featuresFor(word.lower, word.folded);
      const seen = counts.get(key);
      if (seen) seen.count++;
      else counts.set(key, { wordFeatures, count: 1 });
      features.push(wordFeatures);
    }
    for (const { wordFeatures, count } of counts.values()) {
      const scale = 1 + Math.log(count);
      const { buckets, weights } = wordFeatures;
      for (let index = 0; index < buckets.length; index++) vector[buckets[index]] += weights[index] * scale;
    }
    // Bigrams of consecutive non-stop words (by stem).
    let previous = 0;
    for (const wordFeatures of features) {
      if (wordFeatures.stop) {
        previous = 0;
        continue;
      }
      if (previous !== 0) {
        const hash = Math.imul(Math.imul(previous ^ SEED_BIGRAM, FNV_PRIME) ^ wordFeatures.stemHash, FNV_PRIME) >>> 0;
        const { bucket, sign } = project(hash, dimensions);
        vector[bucket] += sign * WEIGHT_BIGRAM;
      }
      previous = wordFeatures.stemHash || 1;
    }
    let norm = 0;
    for (let index = 0; index < dimensions; index++) norm += vector[index] * vector[index];
    const scaleToUnit = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const result = new Array<number>(dimensions);
    for (let index = 0; index < dimensions; index++) result[index] = vector[index] * scaleToUnit;
    return result;
  };
}

/** Embeds one text into a fresh L2-normalised vector (no cache; the embedder caches word features). */
export function hashedVector(text: string, dimensions: number): number[] {
  return createVectoriser(dimensions, 0)(text);
}

/**
 * Creates the builtin hashed embedder (`builtin-hash-v2`). Deterministic, synchronous work, no network.
 * 1024 dimensions by default: a chunk has ~1–3k distinct features (mostly n-grams); 1024 buckets keep the noise that
 * collisions add to a cosine small (~1/√1024 ≈ 0.03 per colliding pair) while a vector stays 4 KiB, and a power of
 * two is what vector indexes (IVF-PQ sub-vectors) like. An empty text gives the zero vector.
 */
export function createHashedEmbedder(options: HashedEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? HASHED_EMBEDDER_DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 64 || dimensions > 16384) {
    throw new RangeError(`Hashed embedder: dimensions must be an integer between 64 and 16384, got ${dimensions}`);
  }
  const vectorise = createVectoriser(dimensions);
  return {
    modelId: HASHED_EMBEDDER_MODEL_ID,
    dimensions,
    maxBatchSize: 256,
    async embed(texts, embedOptions) {
      if (embedOptions?.signal?.aborted) throw embedOptions.signal.reason ?? new Error('aborted');
      return texts.map((text) => vectorise(text));
    },
  };
}
