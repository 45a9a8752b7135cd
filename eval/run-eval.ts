/**
 * Runs a gold set against an {@link EvalClient} and scores every item.
 * Multi-turn items are played as real conversations: each earlier user turn is sent and the assistant's
 * actual answer goes back into `messages` before the next turn.
 */
import type { ApiChatResponse, ApiSearchResponse, EvalClient, EvalMessage } from './clients.ts';
import { passagesOf, type Dataset, type DatasetItem } from './dataset.ts';
import {
  abstentionStats,
  entriesSatisfied,
  factRecall,
  mean,
  ndcgAtK,
  percentile,
  preparePassages,
  prepareEvidence,
  recallAtK,
  reciprocalRank,
  relevanceByRank,
  passageMatches,
} from './metrics.ts';
import { judgeInputFor, type JudgeOutcome, type LlmJudge } from './judge.ts';
import { factStated, foldForMatch, foldedFuzzyContains } from './text-match.ts';

/** Edit tolerance for citation faithfulness (citations should be near-verbatim; 5% allows whitespace/hyphen repairs). */
export const FAITHFULNESS_TOLERANCE = 0.05;

/** Per-item metric values (null = not applicable to this item). */
export interface ItemMetrics {
  recallAt1: number | null;
  recallAt3: number | null;
  recallAt5: number | null;
  recallAt10: number | null;
  mrr: number | null;
  ndcgAt10: number | null;
  citationRecall: number | null;
  /** True when some citation matches a forbidden passage; null when the item has no forbidden passages. */
  forbiddenCited: boolean | null;
  factRecall: number | null;
  /** Share of this item's citations found in their named document; null without citations. */
  faithfulness: number | null;
  abstentionCorrect: boolean | null;
}

/** What one item produced and how it scored. */
export interface ItemResult {
  id: string;
  category: string;
  answerable: boolean;
  turns: string[];
  /** The query /api/search was called with (the chat's rewritten query for multi-turn items). */
  searchQuery: string;
  understood?: ApiChatResponse['query'];
  retrieved: Array<{ rank: number; id: string; source: string; section: string; score: number; text: string; evidence: number[] }>;
  citations: Array<{ marker: number; id: string; source: string; section: string; text: string; evidence: number[]; forbidden: boolean; faithful: boolean | null }>;
  answer: string;
  abstained: boolean;
  answerer: string;
  metrics: ItemMetrics;
  /** Evidence texts (first passage of each entry) no citation satisfied. */
  missingEvidence: string[];
  missingFacts: string[];
  latency: { searchMs: number[]; chatMs: number[] };
  passed: boolean;
  reasons: string[];
  error?: string;
  /** LLM-as-judge grade (only with `--judge`, only for answered items); informational, does not change `passed`. */
  judge?: JudgeOutcome;
}

/** Aggregated metrics of a set of items. */
export interface Summary {
  items: number;
  passed: number;
  errors: number;
  recallAt1: number | null;
  recallAt3: number | null;
  recallAt5: number | null;
  recallAt10: number | null;
  mrr: number | null;
  ndcgAt10: number | null;
  citationRecall: number | null;
  forbiddenCitationRate: number | null;
  factRecall: number | null;
  abstentionAccuracy: number | null;
  abstentionPrecision: number | null;
  abstentionRecall: number | null;
  faithfulness: number | null;
  searchP50Ms: number | null;
  searchP95Ms: number | null;
  chatP50Ms: number | null;
  chatP95Ms: number | null;
  /** Items the LLM judge graded (present only when the judge ran on some item of this set). */
  judged?: number;
  /** Items where the judge failed (timeout, bad JSON, provider error). */
  judgeErrors?: number;
  /** Mean of correctness/2 over the judged items. */
  judgeCorrectness?: number | null;
  /** Mean of faithfulness/2 over the judged items. */
  judgeFaithfulness?: number | null;
}

/** Everything one configuration produced on one dataset. */
export interface EvalRun {
  configuration: string;
  summary: Summary;
  categories: Record<string, Summary>;
  items: ItemResult[];
}

/** Options of {@link runEval}. */
export interface RunEvalOptions {
  /** Retrieval k sent to /api/search (default 10). */
  k?: number;
  /** Called after each item (progress output). */
  onItem?: (result: ItemResult, index: number, total: number) => void;
  /** LLM judge: grades every answered item (not abstained, no error) and records `judge` on it. */
  judge?: LlmJudge;
}

/** Runs `action` and records its wall time minus the client's retry waits (HTTP 429) in `sink`. */
async function timed<T>(client: EvalClient, action: () => Promise<T>, sink: number[]): Promise<T> {
  const waitedBefore = client.retryWaitMs?.() ?? 0;
  const started = performance.now();
  try {
    return await action();
  } finally {
    sink.push(performance.now() - started - ((client.retryWaitMs?.() ?? 0) - waitedBefore));
  }
}

function emptyMetrics(): ItemMetrics {
  return {
    recallAt1: null,
    recallAt3: null,
    recallAt5: null,
    recallAt10: null,
    mrr: null,
    ndcgAt10: null,
    citationRecall: null,
    forbiddenCited: null,
    factRecall: null,
    faithfulness: null,
    abstentionCorrect: null,
  };
}

/** True when every part of the citation (split at ellipses) occurs in the folded document text. */
function citationInDocument(citationText: string, foldedDocument: string): boolean {
  const parts = citationText
    .split(/…|\.\.\./)
    .map((part) => foldForMatch(part))
    .filter((part) => part.length > 0);
  if (parts.length === 0) return false;
  return parts.every((part) => foldedFuzzyContains(foldedDocument, part, FAITHFULNESS_TOLERANCE));
}

/** Plays one item against the client and scores it. Errors are recorded on the item, not thrown. */
export async function evaluateItem(client: EvalClient, item: DatasetItem, docs: Record<string, string>, k: number): Promise<ItemResult> {
  const latency = { searchMs: [] as number[], chatMs: [] as number[] };
  const result: ItemResult = {
    id: item.id,
    category: item.category,
    answerable: item.answerable,
    turns: item.turns,
    searchQuery: item.turns[item.turns.length - 1],
    retrieved: [],
    citations: [],
    answer: '',
    abstained: false,
    answerer: '',
    metrics: emptyMetrics(),
    missingEvidence: [],
    missingFacts: [],
    latency,
    passed: false,
    reasons: [],
  };
  try {
    const messages: EvalMessage[] = [];
    let chat: ApiChatResponse | undefined;
    for (const [index, turn] of item.turns.entries()) {
      messages.push({ role: 'user', content: turn });
      chat = await timed(client, () => client.chat({ messages: [...messages] }), latency.chatMs);
      if (index < item.turns.length - 1) messages.push({ role: 'assistant', content: chat.answer });
    }
    if (!chat) throw new Error('item has no turns');
    result.understood = chat.query;
    if (item.turns.length > 1 && chat.query?.text) result.searchQuery = chat.query.text;
    const search: ApiSearchResponse = await timed(client, () => client.search({ query: result.searchQuery, k }), latency.searchMs);

    const evidence = prepareEvidence(item.evidence, docs);
    const forbidden = preparePassages(item.forbidden, docs);
    const retrievedRelevance = relevanceByRank(search.results, evidence);
    result.retrieved = search.results.map((hit, index) => ({
      rank: index + 1,
      id: hit.id,
      source: hit.document.source,
      section: hit.section,
      score: hit.score,
      text: hit.text,
      evidence: [...retrievedRelevance[index]],
    }));

    result.answer = chat.answer;
    result.abstained = chat.abstained;
    result.answerer = chat.answerer;
    const cited = new Set<number>();
    let faithfulCount = 0;
    let checkedCount = 0;
    for (const citation of chat.citations) {
      const hits = entriesSatisfied(citation, evidence);
      for (const hit of hits) cited.add(hit);
      const isForbidden = forbidden.some((passage) => passageMatches(citation, passage));
      let faithful: boolean | null = null;
      const documentText = await client.documentText(citation.document.id);
      faithful = documentText !== null && citationInDocument(citation.text, foldForMatch(documentText));
      checkedCount++;
      if (faithful) faithfulCount++;
      result.citations.push({
        marker: citation.marker,
        id: citation.id,
        source: citation.document.source,
        section: citation.section,
        text: citation.text,
        evidence: [...hits],
        forbidden: isForbidden,
        faithful,
      });
    }

    const answerable = item.answerable;
    const total = evidence.length;
    const metrics = result.metrics;
    if (answerable && total > 0) {
      metrics.recallAt1 = recallAtK(retrievedRelevance, total, 1);
      metrics.recallAt3 = recallAtK(retrievedRelevance, total, 3);
      metrics.recallAt5 = recallAtK(retrievedRelevance, total, 5);
      metrics.recallAt10 = recallAtK(retrievedRelevance, total, 10);
      metrics.mrr = reciprocalRank(retrievedRelevance);
      metrics.ndcgAt10 = ndcgAtK(retrievedRelevance, total, 10);
      metrics.citationRecall = cited.size / total;
    }
    if (forbidden.length > 0) metrics.forbiddenCited = result.citations.some((citation) => citation.forbidden);
    if (answerable) metrics.factRecall = factRecall(chat.answer, item.facts);
    metrics.faithfulness = checkedCount > 0 ? faithfulCount / checkedCount : null;
    metrics.abstentionCorrect = chat.abstained === !answerable;

    result.missingEvidence = item.evidence.filter((_, index) => !cited.has(index)).map((entry) => passagesOf(entry)[0].text);
    result.missingFacts = answerable ? item.facts.filter((fact) => !factStated(chat.answer, fact)) : [];
    if (!answerable && !chat.abstained) result.reasons.push('answered an unanswerable question');
    if (answerable && chat.abstained) result.reasons.push('abstained on an answerable question');
    if (answerable && total > 0 && cited.size < total) result.reasons.push(`cited ${cited.size}/${total} evidence`);
    if (metrics.forbiddenCited) result.reasons.push('cited a forbidden (wrong-document) passage');
    if (result.missingFacts.length > 0) result.reasons.push(`missing facts: ${result.missingFacts.join(', ')}`);
    if (metrics.faithfulness !== null && metrics.faithfulness < 1) result.reasons.push('a citation is not found in its document');
  } catch (error) {
    result.error = (error as Error).message;
    result.reasons.push(`error: ${result.error}`);
    // A failed request scores zero wherever the item would have been scored.
    const metrics = result.metrics;
    if (item.answerable && item.evidence.length > 0) {
      metrics.recallAt1 = metrics.recallAt3 = metrics.recallAt5 = metrics.recallAt10 = 0;
      metrics.mrr = metrics.ndcgAt10 = metrics.citationRecall = 0;
    }
    if (item.answerable && item.facts.length > 0) metrics.factRecall = 0;
    metrics.abstentionCorrect = false;
  }
  result.passed = result.reasons.length === 0;
  return result;
}

/** Aggregates item results (means over the items each metric applies to; see README). */
export function summarise(items: ItemResult[]): Summary {
  const pick = (key: keyof ItemMetrics): Array<number | null> => items.map((item) => item.metrics[key] as number | null);
  const scoredForbidden = items.filter((item) => item.metrics.forbiddenCited !== null);
  const abstention = abstentionStats(
    items.filter((item) => item.metrics.abstentionCorrect !== null).map((item) => ({ answerable: item.answerable, abstained: item.error ? item.answerable : item.abstained })),
  );
  const citations = items.flatMap((item) => item.citations.filter((citation) => citation.faithful !== null));
  const searchTimes = items.flatMap((item) => item.latency.searchMs);
  const chatTimes = items.flatMap((item) => item.latency.chatMs);
  const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);
  const judgeOutcomes = items.flatMap((item) => (item.judge ? [item.judge] : []));
  const judgeScores = judgeOutcomes.flatMap((outcome) => ('error' in outcome ? [] : [outcome]));
  const judgeFields: Partial<Summary> =
    judgeOutcomes.length === 0
      ? {}
      : {
          judged: judgeScores.length,
          judgeErrors: judgeOutcomes.length - judgeScores.length,
          judgeCorrectness: mean(judgeScores.map((score) => score.correctness / 2)),
          judgeFaithfulness: mean(judgeScores.map((score) => score.faithfulness / 2)),
        };
  return {
    items: items.length,
    passed: items.filter((item) => item.passed).length,
    errors: items.filter((item) => item.error).length,
    recallAt1: mean(pick('recallAt1')),
    recallAt3: mean(pick('recallAt3')),
    recallAt5: mean(pick('recallAt5')),
    recallAt10: mean(pick('recallAt10')),
    mrr: mean(pick('mrr')),
    ndcgAt10: mean(pick('ndcgAt10')),
    citationRecall: mean(pick('citationRecall')),
    forbiddenCitationRate: scoredForbidden.length === 0 ? null : scoredForbidden.filter((item) => item.metrics.forbiddenCited).length / scoredForbidden.length,
    factRecall: mean(pick('factRecall')),
    abstentionAccuracy: abstention.accuracy,
    abstentionPrecision: abstention.precision,
    abstentionRecall: abstention.recall,
    faithfulness: citations.length === 0 ? null : citations.filter((citation) => citation.faithful).length / citations.length,
    searchP50Ms: round(percentile(searchTimes, 50)),
    searchP95Ms: round(percentile(searchTimes, 95)),
    chatP50Ms: round(percentile(chatTimes, 50)),
    chatP95Ms: round(percentile(chatTimes, 95)),
    ...judgeFields,
  };
}

/** Summaries per category, categories in first-seen order. */
export function summariseByCategory(items: ItemResult[]): Record<string, Summary> {
  const groups = new Map<string, ItemResult[]>();
  for (const item of items) groups.set(item.category, [...(groups.get(item.category) ?? []), item]);
  return Object.fromEntries([...groups].map(([category, group]) => [category, summarise(group)]));
}

/** Runs every item of the dataset sequentially (latencies stay comparable) and aggregates. */
export async function runEval(client: EvalClient, dataset: Dataset, options: RunEvalOptions = {}): Promise<EvalRun> {
  const k = options.k ?? 10;
  const items: ItemResult[] = [];
  for (const [index, item] of dataset.items.entries()) {
    const result = await evaluateItem(client, item, dataset.docs, k);
    if (options.judge && !result.error && !result.abstained) {
      result.judge = await options.judge.judge(judgeInputFor(item, dataset.docs, result));
    }
    items.push(result);
    options.onItem?.(result, index, dataset.items.length);
  }
  return { configuration: client.name, summary: summarise(items), categories: summariseByCategory(items), items };
}

/** Metrics where lower is better (deltas and gates read them the other way round). */
export const LOWER_IS_BETTER: ReadonlySet<keyof Summary> = new Set([
  'forbiddenCitationRate',
  'searchP50Ms',
  'searchP95Ms',
  'chatP50Ms',
  'chatP95Ms',
  'errors',
]);

/** Quality metrics shown in tables, charts and deltas (in this order). */
export const QUALITY_METRICS = [
  'recallAt1',
  'recallAt5',
  'recallAt10',
  'mrr',
  'ndcgAt10',
  'citationRecall',
  'forbiddenCitationRate',
  'factRecall',
  'abstentionAccuracy',
  'faithfulness',
] as const satisfies ReadonlyArray<keyof Summary>;

/** `ours − baseline` for every numeric summary metric both have. */
export function deltas(ours: Summary, baseline: Summary): Partial<Record<keyof Summary, number>> {
  const result: Partial<Record<keyof Summary, number>> = {};
  for (const key of Object.keys(ours) as Array<keyof Summary>) {
    const a = ours[key];
    const b = baseline[key];
    if (typeof a === 'number' && typeof b === 'number') result[key] = Math.round((a - b) * 10000) / 10000;
  }
  return result;
}
