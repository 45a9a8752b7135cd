/**
 * Rank fusion for hybrid retrieval: reciprocal rank fusion (RRF) and a convex combination of
 * min-max normalised scores. Both take ranked lists of ids (best first) and return fused scores.
 */

/** One ranked list from one retriever (FTS, n-gram, vector), best first. */
export interface RankedList {
  name: string;
  /** Relative weight of this list in the fusion (default 1). */
  weight?: number;
  items: Array<{ id: string; score: number }>;
}

/** Reciprocal rank fusion: score(d) = Σ weight / (k + rank(d)), rank 1-based. k = 60 is the customary constant. */
export function reciprocalRankFusion(lists: RankedList[], k = 60): Map<string, number> {
  const fused = new Map<string, number>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.items.forEach((item, index) => {
      fused.set(item.id, (fused.get(item.id) ?? 0) + weight / (k + index + 1));
    });
  }
  return fused;
}

/**
 * Convex combination: each list's scores are min-max normalised to [0, 1] (a single-item list scores 1),
 * then summed with the list weights divided by the total weight. Missing items contribute 0.
 */
export function convexCombination(lists: RankedList[]): Map<string, number> {
  const fused = new Map<string, number>();
  const totalWeight = lists.reduce((sum, list) => sum + (list.weight ?? 1), 0) || 1;
  for (const list of lists) {
    if (list.items.length === 0) continue;
    const scores = list.items.map((item) => item.score);
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    const span = max - min;
    const weight = (list.weight ?? 1) / totalWeight;
    for (const item of list.items) {
      const normalised = span > 0 ? (item.score - min) / span : 1;
      fused.set(item.id, (fused.get(item.id) ?? 0) + weight * normalised);
    }
  }
  return fused;
}
