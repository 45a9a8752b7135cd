/**
 * Batching helpers for embedders: split inputs by `maxBatchSize` and embed batch after batch.
 */
import type { Embedder } from '../types.ts';

/** Splits `items` into consecutive batches of at most `size` items (size ≥ 1). */
export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** Options of `embedInBatches`. */
export interface EmbedInBatchesOptions {
  inputType: 'query' | 'document';
  signal?: AbortSignal;
  /** Overrides the embedder's `maxBatchSize` when smaller. */
  batchSize?: number;
  /** Called after each batch with the number of texts embedded so far. */
  onBatch?: (done: number, total: number) => void;
}

/**
 * Embeds `texts` in batches of `min(embedder.maxBatchSize, batchSize)`, one batch at a time, and checks that every
 * batch returns one vector per text with a consistent dimension. Returns the vectors in input order.
 */
export async function embedInBatches(embedder: Embedder, texts: readonly string[], options: EmbedInBatchesOptions): Promise<number[][]> {
  const size = Math.max(1, Math.min(embedder.maxBatchSize || 1, options.batchSize ?? Number.POSITIVE_INFINITY));
  const vectors: number[][] = [];
  for (const batch of splitIntoBatches(texts, size)) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const result = await embedder.embed(batch, { inputType: options.inputType, signal: options.signal });
    if (result.length !== batch.length) {
      throw new Error(`Embedder ${embedder.modelId} returned ${result.length} vectors for ${batch.length} texts`);
    }
    for (const vector of result) {
      const expected = vectors[0]?.length ?? (embedder.dimensions || vector.length);
      if (vector.length !== expected) {
        throw new Error(`Embedder ${embedder.modelId} returned a vector of ${vector.length} dimensions, expected ${expected}`);
      }
      vectors.push(vector);
    }
    options.onBatch?.(vectors.length, texts.length);
  }
  return vectors;
}
