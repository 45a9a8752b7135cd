/**
 * Stage 3 — rerank: the optional cross-encoder (`RERANK_URL`) reorders the fused candidates, then every candidate
 * is scored by how much of the question's topic it covers, with the fused rank as a prior:
 * `score = coverageWeight · coverage + (1 − coverageWeight) · fused / max fused` (the weight is in the policy).
 */
import { coverage, type TermGroup } from '../answer/evidence.ts';
import type { AnswerPolicy } from '../policy.ts';
import type { Reranker } from '../retrieval/rerank.ts';
import type { ScoredChunk } from '../types.ts';

/** A candidate with the share of the question's topic it covers (0..1). */
export type RankedPassage = ScoredChunk & { coverage: number };

/** The cross-encoder's order when one is configured, else the fused order as it is. */
export async function crossEncode(reranker: Reranker | undefined, question: string, candidates: ScoredChunk[], signal?: AbortSignal): Promise<ScoredChunk[]> {
  return reranker ? reranker.rerank(question, candidates, signal ? { signal } : undefined) : candidates;
}

/**
 * Re-ranks candidates by topic coverage (idf-weighted term groups with synonyms, read over the passage and its section
 * path) with the fused score as prior. Ties break on chunk id, so the order is deterministic. Pure.
 */
export function rerankByCoverage(candidates: ScoredChunk[], topic: TermGroup[], policy: Pick<AnswerPolicy, 'coverageWeight'>): RankedPassage[] {
  const maxFused = Math.max(1e-9, ...candidates.map((candidate) => candidate.score));
  return candidates
    .map((candidate) => {
      const covered = topic.length ? coverage(topic, `${candidate.chunk.text} ${candidate.chunk.section.join(' ')}`).score : 0;
      return { ...candidate, coverage: covered, score: policy.coverageWeight * covered + (1 - policy.coverageWeight) * (candidate.score / maxFused) };
    })
    .sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
}

/** Drops the coverage again (what answerers and the search API get). */
export function withoutCoverage({ coverage: _coverage, ...passage }: RankedPassage): ScoredChunk {
  return passage;
}
