/**
 * The in-memory search shared by the in-memory store (the Worker) and the LanceDB store's snapshot (Node below its
 * snapshot limit), so that both rank the same chunks the same way: BM25 over the analyzer's search terms, BM25 over
 * its character trigrams, and exact cosine similarity over float32 vectors (what LanceDB stores). Pure TypeScript.
 *
 * Ties are broken by chunk id in every ranking, so the order does not depend on insertion order.
 */
import { ngramTerms, searchTerms } from '../core/swedish/analyzer.ts';
import type { Chunk } from '../core/types.ts';

/** The text of a chunk that both full-text indexes analyse: its context line and its text. */
export function searchableText(chunk: Pick<Chunk, 'context' | 'text'>): string {
  return `${chunk.context}\n${chunk.text}`;
}

/** Search terms of a chunk (the analyzer's folded stems, stop words removed). */
export function chunkSearchTerms(chunk: Pick<Chunk, 'context' | 'text'>): string[] {
  return searchTerms(searchableText(chunk));
}

/** Character trigrams of a chunk's folded words. */
export function chunkNgramTerms(chunk: Pick<Chunk, 'context' | 'text'>): string[] {
  return ngramTerms(searchableText(chunk));
}

/** An inverted index over pre-analysed terms: per term the documents (by index) and frequencies, document lengths. */
export interface LexicalIndex {
  ids: string[];
  lengths: Int32Array;
  postings: Map<string, { documents: number[]; frequencies: number[] }>;
  averageLength: number;
}

/** Builds a lexical index from ids and their terms (terms are used as they are: no further analysis). */
export function buildLexicalIndex(documents: Iterable<{ id: string; terms: readonly string[] }>): LexicalIndex {
  const ids: string[] = [];
  const lengthList: number[] = [];
  const postings = new Map<string, { documents: number[]; frequencies: number[] }>();
  let total = 0;
  const counts = new Map<string, number>();
  for (const { id, terms } of documents) {
    const index = ids.length;
    ids.push(id);
    lengthList.push(terms.length);
    total += terms.length;
    counts.clear();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, frequency] of counts) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { documents: [], frequencies: [] }));
      list.documents.push(index);
      list.frequencies.push(frequency);
    }
  }
  return { ids, lengths: Int32Array.from(lengthList), postings, averageLength: ids.length ? total / ids.length : 0 };
}

/** BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

/**
 * BM25 over a lexical index: the `k` best ids that `accept` lets through, best first (ties by id). Each distinct query
 * term counts once; idf is `ln(1 + (N − n + 0.5) / (n + 0.5))` over the whole index (a filter does not change it).
 */
export function bm25Search(
  index: LexicalIndex,
  terms: readonly string[],
  k: number,
  accept: (id: string) => boolean,
  options: Bm25Options = {},
): Array<{ id: string; score: number }> {
  if (k <= 0) return [];
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const count = index.ids.length;
  const scores = new Float64Array(count);
  const touched: number[] = [];
  const averageLength = index.averageLength || 1;
  for (const term of new Set(terms)) {
    const list = index.postings.get(term);
    if (!list) continue;
    const size = list.documents.length;
    const idf = Math.log(1 + (count - size + 0.5) / (size + 0.5));
    for (let position = 0; position < size; position++) {
      const document = list.documents[position];
      const frequency = list.frequencies[position];
      const normaliser = frequency + k1 * (1 - b + (b * index.lengths[document]) / averageLength);
      if (scores[document] === 0) touched.push(document);
      scores[document] += (idf * (frequency * (k1 + 1))) / normaliser;
    }
  }
  const results: Array<{ id: string; score: number }> = [];
  for (const document of touched) {
    const id = index.ids[document];
    if (accept(id)) results.push({ id, score: scores[document] });
  }
  results.sort(byScoreThenId);
  return results.slice(0, Math.floor(k));
}

function byScoreThenId(first: { id: string; score: number }, second: { id: string; score: number }): number {
  return second.score - first.score || (first.id < second.id ? -1 : first.id > second.id ? 1 : 0);
}

/** A vector as both stores keep it: float32 values and their L2 norm. */
export interface StoredVector {
  values: Float32Array;
  norm: number;
}

/** Float32 copy of a vector with its norm. */
export function storedVector(vector: ArrayLike<number>): StoredVector {
  const values = Float32Array.from(vector);
  let norm = 0;
  for (const value of values) norm += value * value;
  return { values, norm: Math.sqrt(norm) };
}

/**
 * Exact cosine similarity of `query` with every candidate `accept` lets through; the `k` best, best first (ties by
 * id). The query is rounded to float32 like the stored vectors.
 */
export function cosineSearch<T>(
  candidates: Iterable<T>,
  query: readonly number[],
  k: number,
  vectorOf: (candidate: T) => StoredVector | undefined,
  idOf: (candidate: T) => string,
  accept: (candidate: T) => boolean,
): Array<{ candidate: T; id: string; score: number }> {
  if (k <= 0) return [];
  const { values: queryValues, norm: queryNorm } = storedVector(query);
  const results: Array<{ candidate: T; id: string; score: number }> = [];
  for (const candidate of candidates) {
    const vector = vectorOf(candidate);
    if (!vector || !accept(candidate)) continue;
    const values = vector.values;
    let dot = 0;
    for (let index = 0; index < values.length; index++) dot += values[index] * queryValues[index];
    const denominator = vector.norm * queryNorm;
    results.push({ candidate, id: idOf(candidate), score: denominator > 0 ? dot / denominator : 0 });
  }
  results.sort(byScoreThenId);
  return results.slice(0, Math.floor(k));
}
