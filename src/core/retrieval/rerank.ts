/**
 * Optional cross-encoder stage: reorders the fused retrieval candidates by a relevance model (a `/rerank` service)
 * before the assistant's own coverage rerank. Pure TypeScript: the HTTP client is an adapter
 * (`src/adapters/rerank-client.ts`).
 *
 * The candidates it sees have already passed the committee/version/type filters (the store filter is applied in
 * retrieval), so it can only reorder them: it never adds a passage. On error or when its time budget runs out the
 * builtin order is kept and a warning is logged.
 */
import type { ScoredChunk } from '../types.ts';

/** Port: scores documents against a query (a cross-encoder behind `/rerank`). Higher score = more relevant. */
export interface CrossEncoder {
  /** e.g. `rerank:bge-reranker-v2-m3`. */
  modelId: string;
  score(query: string, documents: string[], options?: { signal?: AbortSignal }): Promise<Array<{ index: number; score: number }>>;
}

/** What the assistant calls: never throws, returns the same candidates (possibly reordered). */
export interface Reranker {
  rerank<T extends ScoredChunk>(query: string, candidates: T[], options?: { signal?: AbortSignal }): Promise<T[]>;
}

/** Minimal logger (compatible with the HTTP layer's). */
interface WarnLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link createReranker}. */
export interface RerankerOptions {
  crossEncoder: CrossEncoder;
  /** Time budget of one rerank call in ms (default 1500); past it the builtin order is used. */
  timeoutMs?: number;
  /** Only the first N candidates are sent (default 40); the rest keep their place after them. */
  maxCandidates?: number;
  /** Characters of a passage sent to the model (default 2000). */
  maxPassageLength?: number;
  logger?: WarnLogger;
}

/** The text a cross-encoder sees for a passage: its section path and its text. */
export function rerankText(candidate: ScoredChunk, maxLength = 2000): string {
  const section = candidate.chunk.section.join(' › ');
  const text = section ? `${section}: ${candidate.chunk.text}` : candidate.chunk.text;
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}

/**
 * Orders `candidates` by the model's scores. Candidates the model did not score (top_n, missing or invalid indices)
 * follow the scored ones in their previous order. Scores become a rank prior (`1 / (60 + rank)`, the scale of
 * reciprocal rank fusion) so the coverage rerank that follows weighs the model's order as it weighed the fused one.
 */
export function applyRerankScores<T extends ScoredChunk>(candidates: T[], scores: Array<{ index: number; score: number }>): T[] {
  const best = new Map<number, number>();
  for (const { index, score } of scores) {
    if (!Number.isInteger(index) || index < 0 || index >= candidates.length || !Number.isFinite(score)) continue;
    if (!best.has(index) || score > best.get(index)!) best.set(index, score);
  }
  const scored = [...best.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([index]) => index);
  const rest = candidates.map((_, index) => index).filter((index) => !best.has(index));
  return [...scored, ...rest].map((index, rank) => ({ ...candidates[index], score: 1 / (60 + rank) }));
}

/** Rejects with a timeout error after `ms`; the timer is cleared when `promise` settles. */
function withBudget<T>(promise: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new Error(`the reranker did not answer within ${ms} ms`);
      error.name = 'TimeoutError';
      controller.abort(error);
      reject(error);
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Wraps a cross-encoder with a time budget and a fallback to the builtin order. */
export function createReranker(options: RerankerOptions): Reranker {
  const timeoutMs = options.timeoutMs ?? 1500;
  const maxCandidates = options.maxCandidates ?? 40;
  const maxPassageLength = options.maxPassageLength ?? 2000;
  return {
    async rerank(query, candidates, callOptions = {}) {
      if (candidates.length < 2 || !query.trim()) return candidates;
      const head = candidates.slice(0, maxCandidates);
      const tail = candidates.slice(maxCandidates);
      const controller = new AbortController();
      const outer = callOptions.signal;
      const onAbort = () => controller.abort(outer?.reason);
      if (outer?.aborted) return candidates;
      outer?.addEventListener('abort', onAbort, { once: true });
      const started = Date.now();
      try {
        const call = options.crossEncoder.score(
          query,
          head.map((candidate) => rerankText(candidate, maxPassageLength)),
          { signal: controller.signal },
        );
        const scores = await withBudget(call, timeoutMs, controller);
        if (!Array.isArray(scores) || scores.length === 0) throw new Error('the reranker returned no scores');
        const reordered = applyRerankScores(head, scores);
        const lowest = reordered.length ? reordered[reordered.length - 1].score : 0;
        return [...reordered, ...tail.map((candidate, index) => ({ ...candidate, score: Math.min(lowest, 1 / (60 + head.length + index)) }))];
      } catch (error) {
        if (!outer?.aborted) {
          options.logger?.warn('reranker failed: using the builtin ranking', {
            model: options.crossEncoder.modelId,
            ms: Date.now() - started,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        return candidates;
      } finally {
        outer?.removeEventListener('abort', onAbort);
      }
    },
  };
}
