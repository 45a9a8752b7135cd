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

/** One term's postings: the documents (by position in the index) holding it and how often, in adding order. */
export interface Postings {
  documents: Int32Array;
  frequencies: Uint16Array;
}

/**
 * An inverted index over pre-analysed terms: per term the documents (by position) and frequencies, document lengths.
 * Typed arrays throughout (about 6 bytes per distinct term of a document), so an index of a city's corpus (10⁵–10⁶
 * chunks) stays in tens of megabytes.
 */
export interface LexicalIndex {
  ids: string[];
  lengths: Int32Array;
  postings: Map<string, Postings>;
  averageLength: number;
}

/** Builds a lexical index document by document (a stream need not be held in memory), then `finish()`. */
export class LexicalIndexBuilder {
  private readonly ids: string[] = [];
  private lengths = new Int32Array(1024);
  private readonly lists = new Map<string, { documents: Int32Array; frequencies: Uint16Array; size: number }>();
  private readonly counts = new Map<string, number>();
  private total = 0;

  /** Adds a document; its terms are used as they are (no further analysis). Returns its position. */
  add(id: string, terms: readonly string[]): number {
    const position = this.ids.length;
    this.ids.push(id);
    if (position === this.lengths.length) this.lengths = grow(this.lengths);
    this.lengths[position] = terms.length;
    this.total += terms.length;
    const counts = this.counts;
    counts.clear();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, frequency] of counts) {
      let list = this.lists.get(term);
      if (!list) this.lists.set(term, (list = { documents: new Int32Array(4), frequencies: new Uint16Array(4), size: 0 }));
      if (list.size === list.documents.length) {
        list.documents = grow(list.documents);
        list.frequencies = grow(list.frequencies);
      }
      list.documents[list.size] = position;
      list.frequencies[list.size] = Math.min(frequency, 0xffff);
      list.size++;
    }
    return position;
  }

  /** The index (arrays trimmed to their sizes); the builder must not be used afterwards. */
  finish(): LexicalIndex {
    const postings = new Map<string, Postings>();
    for (const [term, list] of this.lists) {
      postings.set(term, { documents: list.documents.slice(0, list.size), frequencies: list.frequencies.slice(0, list.size) });
    }
    this.lists.clear();
    const count = this.ids.length;
    return { ids: this.ids, lengths: this.lengths.slice(0, count), postings, averageLength: count ? this.total / count : 0 };
  }
}

function grow<T extends Int32Array | Uint16Array>(array: T): T {
  const larger = new (array.constructor as { new (length: number): T })(array.length * 2);
  larger.set(array);
  return larger;
}

/** Builds a lexical index from ids and their terms (terms are used as they are: no further analysis). */
export function buildLexicalIndex(documents: Iterable<{ id: string; terms: readonly string[] }>): LexicalIndex {
  const builder = new LexicalIndexBuilder();
  for (const { id, terms } of documents) builder.add(id, terms);
  return builder.finish();
}

/** BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

/** Per index and BM25 parameters: each document's `k1 · (1 − b + b · length / average length)`, computed once. */
const normCache = new WeakMap<LexicalIndex, { k1: number; b: number; norms: Float64Array }>();

function lengthNorms(index: LexicalIndex, k1: number, b: number): Float64Array {
  const cached = normCache.get(index);
  if (cached && cached.k1 === k1 && cached.b === b) return cached.norms;
  const averageLength = index.averageLength || 1;
  const norms = new Float64Array(index.lengths.length);
  for (let document = 0; document < norms.length; document++) norms[document] = k1 * (1 - b + (b * index.lengths[document]) / averageLength);
  normCache.set(index, { k1, b, norms });
  return norms;
}

/**
 * BM25 over a lexical index: the `k` best documents that `accept` lets through (given id and position), best first
 * (ties by id). Each distinct query term counts once; idf is `ln(1 + (N − n + 0.5) / (n + 0.5))` over the whole index
 * (a filter does not change it). The best `k` are kept in a heap, so the cost is the postings read, not a sort of
 * every matching document.
 */
export function bm25Search(
  index: LexicalIndex,
  terms: readonly string[],
  k: number,
  accept: (id: string, position: number) => boolean,
  options: Bm25Options = {},
): Array<{ id: string; score: number; position: number }> {
  const limit = Math.floor(k);
  if (limit <= 0) return [];
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const count = index.ids.length;
  const norms = lengthNorms(index, k1, b);
  // Scratch arrays of this index, reused (a search runs to the end synchronously); scores are zeroed again below.
  let scratch = scratchOf.get(index);
  if (!scratch) scratchOf.set(index, (scratch = { scores: new Float64Array(count), touched: new Int32Array(count) }));
  const { scores, touched } = scratch;
  let touchedCount = 0;
  for (const term of new Set(terms)) {
    const list = index.postings.get(term);
    if (!list) continue;
    const { documents, frequencies } = list;
    const size = documents.length;
    const weight = Math.log(1 + (count - size + 0.5) / (size + 0.5)) * (k1 + 1);
    for (let position = 0; position < size; position++) {
      const document = documents[position];
      const frequency = frequencies[position];
      const score = scores[document];
      if (score === 0) touched[touchedCount++] = document;
      scores[document] = score + (weight * frequency) / (frequency + norms[document]);
    }
  }
  try {
    const ids = index.ids;
    // `worse(a, b)`: a ranks after b (lower score, or the same score and a later id).
    const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && ids[a] > ids[b]);
    const heap: number[] = []; // the best so far; heap[0] is the worst of them
    for (let next = 0; next < touchedCount; next++) {
      const document = touched[next];
      if (heap.length === limit && !worse(heap[0], document)) continue;
      if (!accept(ids[document], document)) continue;
      if (heap.length < limit) {
        heap.push(document);
        for (let child = heap.length - 1; child > 0; ) {
          const parent = (child - 1) >> 1;
          if (!worse(heap[child], heap[parent])) break;
          [heap[child], heap[parent]] = [heap[parent], heap[child]];
          child = parent;
        }
      } else {
        heap[0] = document;
        for (let parent = 0; ; ) {
          const left = 2 * parent + 1;
          const right = left + 1;
          let smallest = parent;
          if (left < heap.length && worse(heap[left], heap[smallest])) smallest = left;
          if (right < heap.length && worse(heap[right], heap[smallest])) smallest = right;
          if (smallest === parent) break;
          [heap[smallest], heap[parent]] = [heap[parent], heap[smallest]];
          parent = smallest;
        }
      }
    }
    return heap.map((document) => ({ id: ids[document], score: scores[document], position: document })).sort(byScoreThenId);
  } finally {
    for (let next = 0; next < touchedCount; next++) scores[touched[next]] = 0;
  }
}

const scratchOf = new WeakMap<LexicalIndex, { scores: Float64Array; touched: Int32Array }>();

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
