/**
 * Character trigrams over the corpus vocabulary (its distinct folded tokens, not its chunks): for a word the corpus
 * does not hold — a compound part, an OCR-damaged or misspelt word — the corpus words that look like it. On a large
 * corpus this replaces the n-gram full-text query (whose trigram posting lists grow with the chunks: ≈ 250 ms for
 * one word at 118k chunks) by an in-memory lookup over a vocabulary that grows far slower, followed by an ordinary
 * full-text query for the words found.
 */

/** Trigrams of a word padded with a boundary mark, so short words and word starts count too. */
function trigramsOf(word: string): string[] {
  const padded = ` ${word} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  return [...grams];
}

export interface VocabularyNgrams {
  /**
   * Corpus words like `word`, best first: those containing it (the compound "konstgrasplaner" for "grasplaner", an
   * inflection "fritidsgardar" for "fritidsgard") and those sharing most of its trigrams (Dice ≥ `minSimilarity`:
   * "foreningsbidragen" for the damaged "fdreningsbidragen"); at most `limit`.
   */
  similar(word: string, options?: { limit?: number; minSimilarity?: number }): string[];
}

/** Builds the trigram index of a vocabulary (folded tokens; `frequency` breaks ties: more chunks first). */
export function createVocabularyNgrams(tokens: Iterable<string>, frequency: (token: string) => number = () => 0): VocabularyNgrams {
  const words: string[] = [];
  const sizes: number[] = [];
  const postings = new Map<string, number[]>();
  for (const token of tokens) {
    if (token.length < 3 || /^\d+$/.test(token)) continue;
    const index = words.push(token) - 1;
    const grams = trigramsOf(token);
    sizes.push(grams.length);
    for (const gram of grams) {
      const list = postings.get(gram);
      if (list) list.push(index);
      else postings.set(gram, [index]);
    }
  }
  return {
    similar(word, { limit = 8, minSimilarity = 0.5 } = {}) {
      if (word.length < 4) return [];
      const grams = trigramsOf(word);
      const shared = new Map<number, number>();
      for (const gram of grams) for (const index of postings.get(gram) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
      const scored: Array<{ word: string; score: number }> = [];
      for (const [index, count] of shared) {
        const candidate = words[index];
        if (candidate === word) continue;
        const dice = (2 * count) / (grams.length + sizes[index]);
        const contains = candidate.includes(word);
        if (contains || dice >= minSimilarity) scored.push({ word: candidate, score: (contains ? 1 : 0) + dice });
      }
      scored.sort((a, b) => b.score - a.score || frequency(b.word) - frequency(a.word) || a.word.localeCompare(b.word));
      return scored.slice(0, limit).map((entry) => entry.word);
    },
  };
}
