/**
 * Metric functions of the evaluation (pure; no I/O). Definitions: `eval/README.md`.
 */
import { passagesOf, type EvidenceEntry, type EvidencePassage } from './dataset.ts';
import { DEFAULT_EDIT_TOLERANCE, factStated, foldForMatch, foldedFuzzyContains } from './text-match.ts';

/** Anything that names a document by source file and carries text: a search result or a citation. */
export interface SourcedText {
  text: string;
  document: { source: string };
}

/** Evidence prepared for repeated matching (folded once). */
export interface PreparedPassage {
  source: string;
  folded: string;
}

/** Folds the passages of each entry and resolves their `doc` keys to file names. */
export function preparePassages(passages: EvidencePassage[], docs: Record<string, string>): PreparedPassage[] {
  return passages.map((passage) => ({ source: docs[passage.doc] ?? passage.doc, folded: foldForMatch(passage.text) }));
}

/** Prepared evidence entries: one list of alternatives per entry. */
export function prepareEvidence(entries: EvidenceEntry[], docs: Record<string, string>): PreparedPassage[][] {
  return entries.map((entry) => preparePassages(passagesOf(entry), docs));
}

/** Compares sources by file name (a server may report a nested path; the gold set uses file names). */
function sameSource(candidate: string, gold: string): boolean {
  const base = (path: string): string => path.replace(/\\/g, '/').split('/').pop() ?? path;
  return candidate === gold || base(candidate) === base(gold);
}

/**
 * True when the candidate satisfies the passage: same source file and the passage text occurs in the
 * candidate's text (folded, ≤ tolerance edits).
 */
export function passageMatches(candidate: SourcedText, passage: PreparedPassage, tolerance = DEFAULT_EDIT_TOLERANCE, foldedText?: string): boolean {
  if (!sameSource(candidate.document.source, passage.source)) return false;
  return foldedFuzzyContains(foldedText ?? foldForMatch(candidate.text), passage.folded, tolerance);
}

/** Indices of the evidence entries a candidate satisfies (an `anyOf` entry by any of its passages). */
export function entriesSatisfied(candidate: SourcedText, entries: PreparedPassage[][], tolerance = DEFAULT_EDIT_TOLERANCE): Set<number> {
  const folded = foldForMatch(candidate.text);
  const satisfied = new Set<number>();
  entries.forEach((alternatives, index) => {
    if (alternatives.some((passage) => passageMatches(candidate, passage, tolerance, folded))) satisfied.add(index);
  });
  return satisfied;
}

/** For each ranked candidate, the set of evidence entries it satisfies. */
export function relevanceByRank(candidates: SourcedText[], entries: PreparedPassage[][], tolerance = DEFAULT_EDIT_TOLERANCE): Array<Set<number>> {
  return candidates.map((candidate) => entriesSatisfied(candidate, entries, tolerance));
}

/** Share of the `total` evidence entries satisfied by some candidate in the top `k`. Null when `total` is 0. */
export function recallAtK(relevance: Array<Set<number>>, total: number, k: number): number | null {
  if (total === 0) return null;
  const found = new Set<number>();
  for (const hits of relevance.slice(0, k)) for (const index of hits) found.add(index);
  return found.size / total;
}

/** 1 / rank of the first candidate that satisfies any evidence entry; 0 when none does. */
export function reciprocalRank(relevance: Array<Set<number>>): number {
  const index = relevance.findIndex((hits) => hits.size > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

/**
 * nDCG@k with binary gains over evidence entries: a candidate at rank r gains 1 when it satisfies an entry no
 * higher-ranked candidate satisfied (duplicates of found evidence gain nothing); DCG = Σ gain / log2(r + 1);
 * the ideal ranking puts min(total, k) new entries at ranks 1…. Null when `total` is 0.
 */
export function ndcgAtK(relevance: Array<Set<number>>, total: number, k: number): number | null {
  if (total === 0) return null;
  const found = new Set<number>();
  let dcg = 0;
  relevance.slice(0, k).forEach((hits, index) => {
    let gain = 0;
    for (const entry of hits) {
      if (!found.has(entry)) {
        gain = 1;
        found.add(entry);
      }
    }
    if (gain > 0) dcg += gain / Math.log2(index + 2);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(total, k); index++) ideal += 1 / Math.log2(index + 2);
  return dcg / ideal;
}

/** Share of facts stated in the answer (each fact: alternatives separated by `|`). Null when there are no facts. */
export function factRecall(answer: string, facts: string[]): number | null {
  if (facts.length === 0) return null;
  return facts.filter((fact) => factStated(answer, fact)).length / facts.length;
}

/** Abstention outcome counts and rates (the positive class is "abstained"). */
export interface AbstentionStats {
  /** Share of items where `abstained === !answerable`. */
  accuracy: number | null;
  /** Of the items where the system abstained, the share that were unanswerable. */
  precision: number | null;
  /** Of the unanswerable items, the share where the system abstained. */
  recall: number | null;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** Abstention accuracy, precision and recall over items. */
export function abstentionStats(outcomes: Array<{ answerable: boolean; abstained: boolean }>): AbstentionStats {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const { answerable, abstained } of outcomes) {
    if (abstained && !answerable) truePositives++;
    else if (abstained && answerable) falsePositives++;
    else if (!abstained && !answerable) falseNegatives++;
    else trueNegatives++;
  }
  const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);
  return {
    accuracy: ratio(truePositives + trueNegatives, outcomes.length),
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
  };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values ≤ it. Null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Mean of the non-null values; null when there are none. */
export function mean(values: Array<number | null | undefined>): number | null {
  const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (present.length === 0) return null;
  return present.reduce((sum, value) => sum + value, 0) / present.length;
}
