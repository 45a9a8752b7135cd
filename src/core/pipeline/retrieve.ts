/**
 * Stage 2 — retrieve: which documents a question is answered from (committee, document type, versions), the hybrid
 * search over them, and the uppdrag records a list answer is built from. No thresholds of its own: the number of
 * candidates and the list cut-offs come from the policy.
 */
import { assignmentText } from '../answer/extractive.ts';
import { chunksMatchingGroups, coverage, type CorpusStatistics, type TermGroup } from '../answer/evidence.ts';
import { foldCase } from '../chunking/folding.ts';
import type { AnswerPolicy } from '../policy.ts';
import type { DomainProfile } from '../profile.ts';
import type { QueryPlan } from '../query/index.ts';
import { planKindOf, selectVersions } from '../retrieval/versions.ts';
import type { Chunk, ScoredChunk, StoreFilter, StoredDocument } from '../types.ts';
import { ownersOf, vocabularyOf, type Corpus, type PipelineContext } from './context.ts';
import type { QuestionDimensions } from './understand.ts';

/** The documents a question is answered from, and how they were chosen. */
export interface Scope {
  /** The store filter with the chosen versions as `documentIds` when they narrow it. */
  storeFilter: StoreFilter;
  /** Years that picked versions (not topic words); a year no document has is left out. */
  yearsUsed: number[];
  change: QuestionDimensions['change'];
  documents: StoredDocument[];
  /** Versions left out because a newer or adopted one exists. */
  superseded: StoredDocument[];
}

/**
 * The documents a question is answered from: the filter's and the question's committee, the document type the
 * question names ("i genomförandeplanen" — a yrkande on a genomförandeplan counts, see `planKindOf`) when any
 * document of it is left, then the versions (`selectVersions`): a year picks that year's versions, a change question
 * keeps the versions it compares, otherwise each plan's newest adopted version. Narrowing is expressed as
 * `documentIds`.
 */
export function scopeFor(dimensions: QuestionDimensions, storeFilter: StoreFilter, documents: Map<string, StoredDocument>): Scope {
  const committeeScoped = [...documents.values()].filter(
    (document) =>
      (!storeFilter.committeeIds || storeFilter.committeeIds.includes(document.committeeId)) &&
      (!storeFilter.documentId || storeFilter.documentId === document.id) &&
      (!storeFilter.type || storeFilter.type === document.type),
  );
  let inScope = committeeScoped;
  const mentioned = storeFilter.type ? undefined : dimensions.documentType;
  if (mentioned) {
    const ofType = inScope.filter((document) => document.type === mentioned || planKindOf(document) === mentioned);
    if (ofType.length > 0) inScope = ofType;
  }
  const { years } = dimensions;
  // A year in a question asking for a figure ("Hur stor andel … 2025?") is the figure's year: it picks a plan of that
  // year where there is one, and is still a word to match (the table column "Utfall 2025").
  const dataYears = !dimensions.explicitYear && dimensions.figureYears === true;
  const selection = selectVersions(inScope, { years, status: dimensions.status, change: dimensions.change !== undefined, proposals: dimensions.proposals, dataYears });
  const yearsUsed = dataYears ? [] : years.filter((year) => !selection.missingYears.includes(year));
  // An explicit filter year that no document has leaves nothing (the answer abstains); a question's year that no
  // document has stays a topic word ("platser … 2026").
  const documentsChosen = dimensions.explicitYear && yearsUsed.length === 0 ? [] : selection.documents;
  const narrowed = documentsChosen.length < committeeScoped.length ? { ...storeFilter, documentIds: documentsChosen.map((document) => document.id) } : storeFilter;
  return { storeFilter: narrowed, yearsUsed, change: dimensions.change, documents: documentsChosen, superseded: selection.superseded };
}

/** Whether a document passes a store filter's document conditions (committee, document, documents, type). */
function documentMatches(document: StoredDocument, filter: StoreFilter): boolean {
  return (
    (!filter.committeeIds || filter.committeeIds.includes(document.committeeId)) &&
    (filter.documentId === undefined || filter.documentId === document.id) &&
    (!filter.documentIds || documentSet(filter.documentIds).has(document.id)) &&
    (filter.type === undefined || filter.type === document.type)
  );
}

/** A filter's document list as a set, once per list (a list can name thousands of documents). */
const documentSets = new WeakMap<string[], Set<string>>();
function documentSet(ids: string[]): Set<string> {
  let set = documentSets.get(ids);
  if (!set) documentSets.set(ids, (set = new Set(ids)));
  return set;
}

/** Hybrid (vector + keyword) search within the filter, the policy's number of candidates (or `k` if more). */
export function retrieveCandidates(
  context: PipelineContext,
  text: string,
  filter: StoreFilter,
  options: { k?: number; signal?: AbortSignal; corpus?: Pick<Corpus, 'documents' | 'statistics'> } = {},
): Promise<ScoredChunk[]> {
  // With the corpus: the n-gram query only for the words its vocabulary does not hold, and the documents it has
  // (not read again per search).
  const corpus = options.corpus;
  return context.retriever.retrieve(text, {
    k: Math.max(context.policy.candidates, options.k ?? 0),
    filter,
    fusion: context.fusion,
    signal: options.signal,
    ...(corpus ? { documents: corpus.documents } : {}),
    // Below `vocabularyNgramsFrom` chunks the n-gram query (in memory there) takes every word: restricting it to the
    // words the vocabulary lacks cost ranking on the sample (dev MRR 0.94 → 0.85 with the Swedish analyzer).
    ...(corpus && corpus.statistics.documentCount >= context.policy.vocabularyNgramsFrom
      ? { vocabulary: vocabularyOf(corpus.statistics) }
      : {}),
  });
}

/** Normalised form of a heading or label for prefix comparison ("Från nämnden/styrelsen" → "fran namnden styrelsen"). */
function labelKey(text: string): string {
  return foldCase(text).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Where an uppdrag comes from: the chunker's `origin` when it set one, else a section heading that starts with one of
 * the profile's origin labels ("Från nämnden", "Från … budget").
 */
export function originOf(chunk: Chunk, profile: Pick<DomainProfile, 'labels'>): 'nämnd' | 'budget' | undefined {
  if (chunk.origin) return chunk.origin;
  const committee = profile.labels.fromCommittee.map(labelKey);
  const budget = profile.labels.fromBudget.map(labelKey);
  for (const section of chunk.section.map(labelKey)) {
    if (committee.some((label) => section.startsWith(label))) return 'nämnd';
    if (budget.some((label) => section.startsWith(label))) return 'budget';
  }
  return undefined;
}

/** Whether an uppdrag has the origin the question asks for ("uppdrag från nämnden"); any when it asks for none. */
export function hasAskedOrigin(chunk: Chunk, asked: QueryPlan['assignmentOrigin'], profile: Pick<DomainProfile, 'labels'>): boolean {
  if (!asked) return true;
  return originOf(chunk, profile) === (asked === 'nämnden' ? 'nämnd' : 'budget');
}

/**
 * Every uppdrag (or mål) of the filtered documents that matches the question's topic, for list answers. Items that
 * cover the topic (`listItemCoverage`); when none does, those nearly as good as the best one (`listItemRelative`,
 * `listItemFloor`: a context clause in the question is not in the uppdrag text); and the rest of a decision list or
 * section when most of it matches (`listSiblingShare`).
 */
export async function listItemsFor(
  context: PipelineContext,
  plan: QueryPlan,
  storeFilter: StoreFilter,
  documents: Map<string, StoredDocument>,
  topic: TermGroup[],
  kind: 'uppdrag' | 'mål' = 'uppdrag',
  statistics?: CorpusStatistics,
): Promise<ScoredChunk[]> {
  const { policy } = context;
  // With a topic, only documents holding a record of this kind that matches one of its words can list anything (an
  // item covering no word scores 0, and a section's siblings are in the same document): the token index names them,
  // so the store reads the records of those documents only.
  let filter: StoreFilter = { ...storeFilter, kinds: [kind] };
  const owners = statistics ? ownersOf(statistics) : undefined;
  /** The records that match a word of the topic (the others cover nothing: their coverage is 0 without reading them). */
  let matching: Set<string> | undefined;
  if (topic.length > 0 && statistics && owners) {
    const candidates = new Set<string>();
    matching = new Set<string>();
    for (const index of chunksMatchingGroups(topic, statistics)) {
      if (owners.kinds[index] !== kind) continue;
      candidates.add(owners.documentIds[index]);
      matching.add(owners.ids[index]);
    }
    const documentIds = [...candidates].filter((id) => {
      const document = documents.get(id);
      return document !== undefined && documentMatches(document, storeFilter);
    });
    if (documentIds.length === 0) return [];
    filter = { ...filter, documentIds };
  }
  const chunks = (await context.store.allChunks(filter)).filter((chunk) => chunk.kind === kind && hasAskedOrigin(chunk, plan.assignmentOrigin, context.profile));
  const all: ScoredChunk[] = [];
  for (const chunk of chunks) {
    const document = documents.get(chunk.documentId);
    if (!document) continue;
    const passage: ScoredChunk = { chunk, document, score: 0 };
    if (topic.length === 0) {
      // A list question without a topic ("uppdrag från nämnden") lists everything the filters leave —
      // but only when something narrows it (a committee, an origin or a document).
      if (!storeFilter.committeeIds && !plan.assignmentOrigin && !storeFilter.documentId && !storeFilter.documentIds) continue;
      all.push({ ...passage, score: 1 });
      continue;
    }
    // An uppdrag is read with its section path: a protocol paragraph's subject, a goal or topic heading.
    all.push({ ...passage, score: matching && !matching.has(chunk.id) ? 0 : coverage(topic, `${assignmentText(passage)} ${chunk.section.join(' ')}`).score });
  }
  if (topic.length === 0) return all.sort((a, b) => a.chunk.position - b.chunk.position);
  return selectListItems(all, policy);
}

/** The list items that match (see {@link listItemsFor}); scores are coverages of the topic. Pure. */
export function selectListItems(all: ScoredChunk[], policy: Pick<AnswerPolicy, 'listItemCoverage' | 'listItemRelative' | 'listItemFloor' | 'listSiblingShare'>): ScoredChunk[] {
  const best = Math.max(0, ...all.map((item) => item.score));
  const threshold = best >= policy.listItemCoverage ? policy.listItemCoverage : Math.max(policy.listItemFloor, best * policy.listItemRelative);
  const matched = new Set(all.filter((item) => item.score >= threshold).map((item) => item.chunk.id));
  // Items of one decision list or section belong together ("… enligt punkt 3"): when most of them match, all are listed.
  const bySection = new Map<string, ScoredChunk[]>();
  for (const item of all) {
    const key = `${item.chunk.documentId}|${item.chunk.section.join('›')}`;
    bySection.set(key, [...(bySection.get(key) ?? []), item]);
  }
  for (const siblings of bySection.values()) {
    const hits = siblings.filter((item) => matched.has(item.chunk.id)).length;
    if (hits >= 2 && hits >= siblings.length * policy.listSiblingShare) for (const item of siblings) matched.add(item.chunk.id);
  }
  const scored = all.filter((item) => matched.has(item.chunk.id)).map((item) => ({ ...item, score: Math.max(item.score, threshold) }));
  return scored.sort((a, b) => b.score - a.score || a.chunk.position - b.chunk.position);
}
