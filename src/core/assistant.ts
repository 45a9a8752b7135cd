/**
 * The application service: query understanding → committee-aware hybrid retrieval → abstention check →
 * answer (LLM when configured, extractive otherwise). Runtime-neutral; Node and the Worker wire the ports.
 */
import { abstain, assignmentText, createExtractiveAnswerer, questionParts } from './answer/extractive.ts';
import { answerEvents, MarkerBook, searchResultDocument, type AnswerInput, type Answerer } from './answer/answerer.ts';
import {
  absentShare,
  askedUnit,
  countedNoun,
  coverage,
  addCorpusTexts,
  chunksMatchingGroups,
  createCorpusStatistics,
  statesCount,
  statesTime,
  statesUnit,
  termGroupsOf,
  weighTermGroups,
  tokenize,
  type CorpusStatistics,
  type TermGroup,
} from './answer/evidence.ts';
import { createLlmAnswerer } from './answer/llm-answerer.ts';
import { createLlmQueryRewriter } from './query/llm-rewrite.ts';
import { createGazetteer, defaultSynonyms, detectLanguage, understandQuery, type Gazetteer, type QueryPlan, type SynonymTable } from './query/index.ts';
import { createVocabularyNgrams } from './retrieval/vocabulary-ngrams.ts';
import { createRetriever, type FusionMethod, type Retriever } from './retrieval/retriever.ts';
import { answerDocumentFacts } from './answer/document-facts.ts';
import { defaultPolicy, type AnswerPolicy } from './policy.ts';
import { budgetBodies } from './chunking/records.ts';
import { defaultProfile, type DomainProfile } from './profile.ts';
import { asksForProposals, changeAskedOf, documentFactsAskedOf, yearsIn } from './query/dimensions.ts';
import { planKindOf, selectVersions, seriesKeyOf, STATUS_ORDER } from './retrieval/versions.ts';
import { diffAssignments, renderDiff } from './answer/version-diff.ts';
import { repairQuery } from './swedish/repair.ts';
import { foldSwedish } from './swedish/fold.ts';
import type { Reranker } from './retrieval/rerank.ts';
import {
  AppError,
  type AnswerEvent,
  type Assistant,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type Chunk,
  type ChunkStore,
  type DocumentType,
  type Embedder,
  type Lexicon,
  type ScoredChunk,
  type SearchFilter,
  type SearchRequest,
  type StoreFilter,
  type StoredDocument,
  type UnderstoodQuery,
} from './types.ts';

/** Minimal logger port. */
export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/** Optional LLM query rewriting (see query/llm-rewrite.ts). */
export interface QueryRewriter {
  rewrite(
    conversation: ChatMessage[],
    signal?: AbortSignal,
  ): Promise<{ query: string; language: 'sv' | 'en'; committee?: string } | null>;
}

export interface AssistantDependencies {
  store: ChunkStore;
  embedder: Embedder;
  /** Swedish dictionary for query repair ("fo rvaltningen"); without it queries are only folded. */
  lexicon?: Lexicon;
  /** An OpenAI-compatible chat model: when given, answers come from the LLM with the extractive answer as fallback. */
  chatModel?: ChatModel;
  /** Total time budget of an LLM attempt before falling back (ms, default 2500). */
  llmTimeoutMs?: number;
  /** Overrides the answerer built from `chatModel` (tests). */
  llmAnswerer?: Answerer;
  /** Overrides the query rewriter built from `chatModel` (tests). */
  queryRewriter?: QueryRewriter;
  synonyms?: SynonymTable;
  /** The domain profile (committees, template labels, parties); default Göteborgs Stad's `data/profile.sv.json`. */
  profile?: DomainProfile;
  fusion?: FusionMethod;
  /**
   * Minimum idf-weighted share of the question's terms that the best passage must cover; below it the
   * assistant abstains. Default 0.2, calibrated on the dev and regression sets (0.1–0.35 gave the same
   * abstention accuracy there; higher values abstain on answerable paraphrases).
   */
  abstainThreshold?: number;
  /** Passages retrieved for an answer. */
  answerPassages?: number;
  /** Overrides of the answer policy's thresholds (see `policy.ts`). */
  policy?: Partial<AnswerPolicy>;
  logger?: Logger;
  /** Optional cross-encoder stage: reorders the (already filtered) fused candidates before the coverage rerank. */
  reranker?: Reranker;
}



const DOCUMENT_TYPE_WORDS: Array<[RegExp, DocumentType]> = [
  [/\bgenomforandeplan/, 'genomförandeplan'],
  [/\bverksamhetsplan/, 'verksamhetsplan'],
  [/\byrkande/, 'yrkande'],
  [/\bpresentation/, 'presentation'],
];

/** The document type a question names ("i genomförandeplanen"), if any. */
function mentionedDocumentType(text: string): DocumentType | undefined {
  const folded = foldSwedish(text);
  return DOCUMENT_TYPE_WORDS.find(([pattern]) => pattern.test(folded))?.[1];
}

/**
 * "Vilka mål har socialnämnden Centrum?": a question for a committee's goals with no other topic. Only with a
 * committee, so "Vilka är Göteborgs Stads sju övergripande mål?" is answered from the passage that lists them.
 */
function asksForGoals(plan: QueryPlan, storeFilter: StoreFilter, groups: TermGroup[]): boolean {
  const folded = foldSwedish(plan.text);
  if (!storeFilter.committeeIds || !/^\s*(?:vilka|lista|which|what)\b/.test(folded) || !/\b(?:mal|malen|goals)\b/.test(folded)) return false;
  return groups.every((group) => group.term === 'mal' || group.term === 'malen' || group.term === 'goals');
}

function isFromCommittee(sectionPath: string[]): boolean {
  return sectionPath.some((section) => /^fran (namnden|styrelsen|namnden\/styrelsen)/.test(foldSwedish(section)));
}

function isFromBudget(sectionPath: string[]): boolean {
  return sectionPath.some((section) => /^fran goteborgs stads budget/.test(foldSwedish(section)));
}

/** Whether any document belongs to the committee. */
function hasDocuments(documents: Map<string, StoredDocument>, committeeId: string): boolean {
  for (const document of documents.values()) if (document.committeeId === committeeId) return true;
  return false;
}

/** Per statistics: the document and kind of each chunk index (the token index's owners, for list answers). */
const chunkOwners = new WeakMap<CorpusStatistics, { documentIds: string[]; kinds: string[] }>();

/** Term statistics of the whole index: streamed when the store can (`chunkTexts`), else from every chunk. */
async function statisticsOf(store: ChunkStore): Promise<CorpusStatistics> {
  const textOf = (chunk: { text: string; section: string[] }) => `${chunk.text} ${chunk.section.join(' ')}`;
  const owners = { documentIds: [] as string[], kinds: [] as string[] };
  const statistics = createCorpusStatistics();
  const add = (batch: Array<{ text: string; section: string[]; documentId: string; kind: string }>) => {
    addCorpusTexts(statistics, batch.map(textOf));
    for (const chunk of batch) {
      owners.documentIds.push(chunk.documentId);
      owners.kinds.push(chunk.kind);
    }
  };
  if (store.chunkTexts) for await (const batch of store.chunkTexts()) add(batch);
  else add(await store.allChunks());
  chunkOwners.set(statistics, owners);
  return statistics;
}

/**
 * The corpus vocabulary the n-gram query is the fallback for: its tokens as written. (Counting other inflections of a
 * token as known too — same stem — halved the n-gram queries at 118k chunks but lost one regression item, 113/121:
 * the n-gram list also ranks passages whose words the full-text query finds only by stem.) From `ngramsFrom` chunks
 * on, with the vocabulary's trigram index (built once per statistics) for the unknown words.
 */
const vocabularies = new WeakMap<CorpusStatistics, { has(token: string): boolean; similar?(token: string): string[] }>();
function vocabularyOf(statistics: CorpusStatistics, ngramsFrom: number): { has(token: string): boolean; similar?(token: string): string[] } {
  if (statistics.documentCount < ngramsFrom) return statistics.postings;
  let vocabulary = vocabularies.get(statistics);
  if (!vocabulary) {
    const ngrams = createVocabularyNgrams(statistics.postings.keys(), (token) => statistics.postings.get(token)?.length ?? 0);
    vocabulary = { has: (token) => statistics.postings.has(token), similar: (token) => ngrams.similar(token) };
    vocabularies.set(statistics, vocabulary);
  }
  return vocabulary;
}

/** Whether a document passes a store filter's document conditions (committee, document, documents, type). */
function documentMatches(document: StoredDocument, filter: StoreFilter): boolean {
  return (
    (!filter.committeeIds || filter.committeeIds.includes(document.committeeId)) &&
    (filter.documentId === undefined || filter.documentId === document.id) &&
    (!filter.documentIds || filter.documentIds.includes(document.id)) &&
    (filter.type === undefined || filter.type === document.type)
  );
}

/** Creates the assistant service. */
export function createAssistant(dependencies: AssistantDependencies): Assistant {
  const { store, embedder, lexicon, logger } = dependencies;
  const retriever: Retriever = createRetriever({ store, embedder });
  const extractive = createExtractiveAnswerer();
  // One LLM budget for the whole attempt: the optional query rewrite gets a fifth of it (at most 500 ms), the
  // answer the rest, so a dead provider falls back to the extractive answer within LLM_TIMEOUT_MS (+ retrieval).
  const llmTimeoutMs = dependencies.llmTimeoutMs ?? 2500;
  const rewriteTimeoutMs = Math.min(500, Math.round(llmTimeoutMs * 0.2));
  const llmAnswerer =
    dependencies.llmAnswerer ??
    (dependencies.chatModel
      ? createLlmAnswerer({ chatModel: dependencies.chatModel, fallback: extractive, timeoutMs: llmTimeoutMs - rewriteTimeoutMs, logger })
      : undefined);
  const queryRewriter =
    dependencies.queryRewriter ??
    (dependencies.chatModel ? createLlmQueryRewriter({ chatModel: dependencies.chatModel, timeoutMs: rewriteTimeoutMs }) : undefined);
  const policy: AnswerPolicy = { ...defaultPolicy, ...dependencies.policy };
  const abstainThreshold = dependencies.abstainThreshold ?? policy.abstainThreshold;
  const profile = dependencies.profile ?? defaultProfile;
  const answerPassages = dependencies.answerPassages ?? policy.answerPassages;

  // Caches per index revision (the store's `revision()`, else the set of document versions), so a concurrent
  // re-ingest is picked up and nothing that grows with the index is recomputed per question.
  let cacheKey = '';
  let gazetteer: Gazetteer | undefined;
  let statistics: CorpusStatistics | undefined;
  let cachedRevision: string | undefined;
  let cachedDocuments: Map<string, StoredDocument> | undefined;

  type Corpus = { documents: Map<string, StoredDocument>; gazetteer: Gazetteer; statistics: CorpusStatistics };
  /** The load in progress for a revision: concurrent questions on a new revision share it (one statistics build). */
  let loading: { revision: string; promise: Promise<Corpus> } | undefined;

  async function corpus(): Promise<Corpus> {
    const revision = store.revision ? await store.revision() : undefined;
    if (revision !== undefined && revision === cachedRevision && cachedDocuments && gazetteer && statistics) {
      return { documents: cachedDocuments, gazetteer, statistics };
    }
    if (revision === undefined) return loadCorpus(undefined);
    if (loading?.revision !== revision) {
      const promise = loadCorpus(revision).finally(() => {
        if (loading?.promise === promise) loading = undefined;
      });
      loading = { revision, promise };
    }
    return loading.promise;
  }

  async function loadCorpus(revision: string | undefined): Promise<Corpus> {
    const documents = await retriever.documents();
    const key = [...documents.values()].map((document) => `${document.id}:${document.contentHash}`).sort().join('|');
    let gazetteerNow = gazetteer;
    let statisticsNow = statistics;
    if (key !== cacheKey || !gazetteerNow || !statisticsNow) {
      gazetteerNow = createGazetteer([...documents.values()]);
      statisticsNow = await statisticsOf(store);
      gazetteer = gazetteerNow;
      statistics = statisticsNow;
      cacheKey = key;
    }
    cachedRevision = revision;
    cachedDocuments = documents;
    return { documents, gazetteer: gazetteerNow, statistics: statisticsNow };
  }

  /** Repairs damaged Swedish in a question ("fo rvaltningen"); English questions are left as typed. */
  function repairText(text: string): string {
    return lexicon && detectLanguage(text) === 'sv' ? repairQuery(text, lexicon) : text;
  }

  /** Store filter from the understood query and the explicit filter (explicit wins; committee names resolved). */
  function storeFilterFor(plan: QueryPlan, filter: SearchFilter | undefined, gazetteerNow: Gazetteer): StoreFilter {
    const result: StoreFilter = {};
    if (filter?.committee) {
      const id = gazetteerNow.resolve(filter.committee);
      if (!id) throw new AppError('bad_request', `Unknown committee in filter.committee: "${filter.committee}".`);
      result.committeeIds = [id];
    } else if (plan.committee) result.committeeIds = [plan.committee.id];
    if (filter?.documentId) result.documentId = filter.documentId;
    if (filter?.type) result.type = filter.type;
    return result;
  }

  /**
   * The documents a question is answered from: the filter's and the question's committee, the document type the
   * question names ("i genomförandeplanen" — a yrkande on a genomförandeplan counts, see `planKindOf`) when any
   * document of it is left, then the versions (`selectVersions`): a year in the question picks that year's versions,
   * a change question keeps the versions it compares, otherwise each plan's newest adopted version. Narrowing is
   * expressed as `documentIds`; the years that picked versions are returned so they are not used as topic words.
   */
  function scopeFor(queryPlan: QueryPlan, storeFilter: StoreFilter, filter: SearchFilter | undefined, documents: Map<string, StoredDocument>) {
    const committeeScoped = [...documents.values()].filter(
      (document) =>
        (!storeFilter.committeeIds || storeFilter.committeeIds.includes(document.committeeId)) &&
        (!storeFilter.documentId || storeFilter.documentId === document.id) &&
        (!storeFilter.type || storeFilter.type === document.type),
    );
    let inScope = committeeScoped;
    const mentioned = storeFilter.type ? undefined : mentionedDocumentType(queryPlan.text);
    if (mentioned) {
      const ofType = inScope.filter((document) => document.type === mentioned || planKindOf(document) === mentioned);
      if (ofType.length > 0) inScope = ofType;
    }
    let years = filter?.year !== undefined ? [filter.year] : yearsIn(queryPlan.text);
    const change = changeAskedOf(queryPlan.text, years);
    // A follow-up about change ("Vilka av dem fanns redan 2025?") compares with the year the conversation was about.
    if (change && filter?.year === undefined && queryPlan.previousTurns) years = [...new Set([...years, ...queryPlan.previousTurns.flatMap(yearsIn)])];
    const selection = selectVersions(inScope, { years, status: filter?.status, change: change !== undefined, proposals: asksForProposals(queryPlan.text) });
    const yearsUsed = years.filter((year) => !selection.missingYears.includes(year));
    // An explicit filter year that no document has leaves nothing (the answer abstains); a question's year that no
    // document has stays a topic word ("platser … 2026").
    const documentsChosen = filter?.year !== undefined && yearsUsed.length === 0 ? [] : selection.documents;
    const narrowed = documentsChosen.length < committeeScoped.length ? { ...storeFilter, documentIds: documentsChosen.map((document) => document.id) } : storeFilter;
    return { storeFilter: narrowed, yearsUsed, change, documents: documentsChosen, superseded: selection.superseded };
  }

  function understood(plan: QueryPlan): UnderstoodQuery {
    return {
      text: plan.text,
      ...(plan.committee ? { committee: plan.committee.name } : {}),
      ...(plan.rewrittenFrom ? { rewrittenFrom: plan.rewrittenFrom } : {}),
    };
  }

  /**
   * The question's topic terms. `keepDomainWords` keeps words every plan uses ("uppdrag", "socialnämnder"): for scoring
   * a question that has no other topic ("Hur många socialnämnder finns det?").
   */
  function termGroupsFor(plan: QueryPlan, statisticsNow: CorpusStatistics, keepDomainWords = false, yearsUsed: number[] = []): TermGroup[] {
    // Words inside a committee mention ("kulturnämndens", "socialnämnden Centrum") are never topic words.
    let base = plan.language === 'en' ? plan.swedishText : plan.text;
    // With a subject committee, other committees the question names are part of its topic ("… delar X med nämnden Y").
    const mentions = (gazetteer?.detect(base) ?? []).filter((mention) => !plan.committee || mention.id === plan.committee.id);
    for (const mention of [...mentions].sort((a, b) => b.start - a.start)) base = `${base.slice(0, mention.start)} ${base.slice(mention.end)}`;
    const committeeWords = plan.committee ? plan.committee.name.split(/\s+/) : [];
    // "uppdrag från budgeten" names where the uppdrag come from, not their topic (the budget's bodies from the profile).
    const originWords = plan.assignmentOrigin === 'budget' ? ['budget', 'budgeten', 'budgetens', ...budgetBodies(profile)] : [];
    // A year that picked the versions is a filter, not a topic word.
    const yearWords = yearsUsed.map(String);
    return weighTermGroups(termGroupsOf(base, wholeSynonymGroups(plan.synonymsUsed), [...committeeWords, ...originWords, ...yearWords], { keepDomainWords }), statisticsNow);
  }

  /**
   * The synonyms used by the question with their whole groups: a question word matched inside a compound
   * ("kameraövervakning" via "kameror") keeps the group member it matched as an alternative too.
   */
  function wholeSynonymGroups(uses: QueryPlan['synonymsUsed']): QueryPlan['synonymsUsed'] {
    const groups = (dependencies.synonyms ?? defaultSynonyms).groups;
    return uses.map((use) => {
      const members = new Set([use.term, ...use.expansions].map((term) => foldSwedish(term)));
      const group = groups.find((candidate) => candidate.some((term) => members.has(foldSwedish(term))));
      return group ? { term: use.term, expansions: [...new Set([...use.expansions, ...group])] } : use;
    });
  }

  /** Terms for scoring passages: the topic terms, or the domain words when the question has no other topic. */
  function scoringGroupsFor(plan: QueryPlan, statisticsNow: CorpusStatistics, topicGroups: TermGroup[], yearsUsed: number[] = []): TermGroup[] {
    return topicGroups.length > 0 ? topicGroups : termGroupsFor(plan, statisticsNow, true, yearsUsed);
  }

  async function plan(messages: ChatMessage[], filter: SearchFilter | undefined) {
    const repaired = messages.map((message) => (message.role === 'user' ? { ...message, content: repairText(message.content) } : message));
    const { gazetteer: gazetteerNow, statistics: statisticsNow, documents } = await corpus();
    const understoodPlan = understandQuery(repaired, { gazetteer: gazetteerNow, filter, synonyms: dependencies.synonyms });
    // Several committees named, one of them with documents ("Vilka uppdrag delar nämnden X med nämnden Y?"): the one
    // with documents is the subject; the others stay words of the topic.
    const withDocuments = understoodPlan.mentionedCommittees.filter((id) => hasDocuments(documents, id));
    const queryPlan: QueryPlan =
      !understoodPlan.committee && !filter?.committee && understoodPlan.mentionedCommittees.length >= 2 && withDocuments.length === 1
        ? { ...understoodPlan, committee: { id: withDocuments[0], name: gazetteerNow.nameOf(withDocuments[0]) ?? withDocuments[0], source: 'question' } }
        : understoodPlan;
    const scope = scopeFor(queryPlan, storeFilterFor(queryPlan, filter, gazetteerNow), filter, documents);
    return { queryPlan, storeFilter: scope.storeFilter, scope, statistics: statisticsNow, repaired, documents };
  }

  /**
   * Re-ranks fused retrieval candidates by how much of the question they cover (idf-weighted term groups with
   * synonyms), keeping the fused rank as a prior: final = 0.6 · coverage + 0.4 · fused / max fused.
   */
  function rerank(candidates: ScoredChunk[], groups: TermGroup[]): Array<ScoredChunk & { coverage: number }> {
    const maxFused = Math.max(1e-9, ...candidates.map((candidate) => candidate.score));
    return candidates
      .map((candidate) => {
        const covered = groups.length ? coverage(groups, `${candidate.chunk.text} ${candidate.chunk.section.join(' ')}`).score : 0;
        return { ...candidate, coverage: covered, score: policy.coverageWeight * covered + (1 - policy.coverageWeight) * (candidate.score / maxFused) };
      })
      .sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
  }

  /** Every uppdrag of the filtered documents that matches the question's topic (for list answers). */
  async function listItemsFor(
    queryPlan: QueryPlan,
    storeFilter: StoreFilter,
    documents: Map<string, StoredDocument>,
    groups: TermGroup[],
    kind: 'uppdrag' | 'mål' = 'uppdrag',
    statisticsNow?: CorpusStatistics,
  ): Promise<ScoredChunk[]> {
    // With a topic, only documents holding a record of this kind that matches one of its words can list anything
    // (an item covering no word scores 0, and a section's siblings are in the same document): the token index
    // names them, so the store reads the records of those documents only.
    let filter: StoreFilter = { ...storeFilter, kinds: [kind] };
    const owners = statisticsNow ? chunkOwners.get(statisticsNow) : undefined;
    if (groups.length > 0 && statisticsNow && owners) {
      const candidates = new Set<string>();
      for (const index of chunksMatchingGroups(groups, statisticsNow)) if (owners.kinds[index] === kind) candidates.add(owners.documentIds[index]);
      const documentIds = [...candidates].filter((id) => {
        const document = documents.get(id);
        return document !== undefined && documentMatches(document, storeFilter);
      });
      if (documentIds.length === 0) return [];
      filter = { ...filter, documentIds };
    }
    let chunks = await store.allChunks(filter);
    // The uppdrag record's origin when the chunker set it, else its section label.
    if (queryPlan.assignmentOrigin === 'nämnden') chunks = chunks.filter((chunk) => (chunk.origin ? chunk.origin === 'nämnd' : isFromCommittee(chunk.section)));
    if (queryPlan.assignmentOrigin === 'budget') chunks = chunks.filter((chunk) => (chunk.origin ? chunk.origin === 'budget' : isFromBudget(chunk.section)));
    const all: ScoredChunk[] = [];
    for (const chunk of chunks) {
      const document = documents.get(chunk.documentId);
      if (!document) continue;
      const passage: ScoredChunk = { chunk, document, score: 0 };
      if (groups.length === 0) {
        // A list question without a topic ("uppdrag från nämnden") lists everything the filters leave —
        // but only when something narrows it (a committee, an origin or a document).
        if (!storeFilter.committeeIds && !queryPlan.assignmentOrigin && !storeFilter.documentId && !storeFilter.documentIds) continue;
        all.push({ ...passage, score: 1 });
        continue;
      }
      // An uppdrag is read with its section path: a protocol paragraph's subject, a goal or topic heading.
      all.push({ ...passage, score: coverage(groups, `${assignmentText(passage)} ${chunk.section.join(' ')}`).score });
    }
    if (groups.length === 0) return all.sort((a, b) => a.chunk.position - b.chunk.position);
    // Items that cover the topic; when none does, those nearly as good as the best one (a context clause in the
    // question — "när den behandlade redovisningen om …" — is not in the uppdrag text).
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

  /**
   * "Vilka partier står bakom …", "är den beslutad", "diarienummer", "vilka dokument finns för …": answered from
   * metadata, each fact cited to the passage stating it. One committee, or each committee a comparison names.
   * Undefined when the question asks no document fact or the metadata holds none of them.
   */
  async function documentFactsFor(queryPlan: QueryPlan, storeFilter: StoreFilter, filter: SearchFilter | undefined, documents: Map<string, StoredDocument>) {
    const facts = documentFactsAskedOf(queryPlan.text);
    if (facts.length === 0) return undefined;
    const committeeIds = filter?.committee ? (storeFilter.committeeIds ?? []) : queryPlan.mentionedCommittees.length > 0 ? queryPlan.mentionedCommittees : (storeFilter.committeeIds ?? []);
    const scopes = committeeIds.length > 0 ? committeeIds.map((id) => scopeFor(queryPlan, { ...storeFilter, committeeIds: [id] }, filter, documents)) : [scopeFor(queryPlan, storeFilter, filter, documents)];
    const chosen = scopes.flatMap((scope) => scope.documents);
    // Without a committee or a document, a fact question is about one document only when the scope is that small.
    if (committeeIds.length === 0 && !storeFilter.documentId && !facts.includes('documents') && chosen.length > 2) return undefined;
    const committeeDocuments = [...documents.values()].filter((document) => committeeIds.length === 0 || committeeIds.includes(document.committeeId));
    const events = await answerDocumentFacts({
      facts,
      documents: chosen,
      committeeDocuments: committeeDocuments.slice(0, 50),
      chunksOf: (id) => store.getChunks(id),
      profile,
      understood: understood(queryPlan),
      language: queryPlan.language,
    });
    return events;
  }

  /**
   * "Vilka nya uppdrag … 2026 jämfört med 2025?", "Vilka av dem fanns redan 2025?", "Vilket uppdrag har avslutats?":
   * the uppdrag of the two newest versions of one plan series in scope, diffed (kept, changed, new, removed), each
   * cited in the version it comes from. Undefined unless the question asks about change and two versions are in scope.
   */
  async function versionDiffFor(queryPlan: QueryPlan, scope: ReturnType<typeof scopeFor>, documents: Map<string, StoredDocument>) {
    if (!scope.change || scope.change === 'fate') return undefined;
    const bySeries = new Map<string, StoredDocument[]>();
    for (const document of scope.documents) {
      const key = seriesKeyOf(document);
      if (!key || document.year === undefined) continue;
      bySeries.set(key, [...(bySeries.get(key) ?? []), document]);
    }
    const series = [...bySeries.values()].filter((versions) => new Set(versions.map((document) => document.year)).size >= 2);
    if (series.length !== 1) return undefined;
    const versions = series[0].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    const newer = versions[0];
    const older = versions.find((document) => (document.year ?? 0) < (newer.year ?? 0))!;
    const origin = queryPlan.assignmentOrigin;
    const itemsOf = async (document: StoredDocument) => {
      const chunks = await store.getChunks(document.id);
      const items = chunks.filter(
        (chunk) =>
          chunk.kind === 'uppdrag' &&
          (!origin ||
            (origin === 'nämnden' ? chunk.origin === 'nämnd' || isFromCommittee(chunk.section) : chunk.origin === 'budget' || isFromBudget(chunk.section))),
      );
      return { chunks, items };
    };
    const [olderParts, newerParts] = await Promise.all([itemsOf(older), itemsOf(newer)]);
    if (olderParts.items.length === 0 && newerParts.items.length === 0) return undefined;
    const diff = diffAssignments({ document: older, items: olderParts.items }, { document: newer, items: newerParts.items, passages: newerParts.chunks });
    const book = new MarkerBook();
    const cite = (document: StoredDocument, chunk: Chunk) => ` [${book.marker({ chunk, document: documents.get(document.id) ?? document, score: 1 })}]`;
    const answer = renderDiff(diff, scope.change, cite);
    return book.citations.length > 0 ? answerEvents(book, answer, understood(queryPlan)) : undefined;
  }

  async function* chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): AsyncIterable<AnswerEvent> {
    const last = request.messages[request.messages.length - 1];
    if (!last || last.role !== 'user') throw new AppError('bad_request', 'The last message must come from the user.');
    // The context kept of a long conversation: its last turns, assistant answers cut (see the policy).
    const conversation = request.messages.slice(-policy.contextMessages).map((message) =>
      message.role === 'assistant' && message.content.length > policy.contextAssistantChars ? { ...message, content: `${message.content.slice(0, policy.contextAssistantChars)} …` } : message,
    );
    request = { ...request, messages: conversation };
    const planned = await plan(request.messages, request.filter);
    const { statistics: statisticsNow, repaired, documents } = planned;
    let { queryPlan, storeFilter, scope } = planned;
    // The optional LLM rewriter (English questions, follow-ups): its query joins the retrieval text, and the
    // committee it names is used when the rules found none (and the committee has documents).
    let rewrittenQuery: string | undefined;
    if (queryRewriter && (queryPlan.language === 'en' || queryPlan.rewrittenFrom)) {
      const rewritten = await queryRewriter.rewrite(repaired, options.signal).catch(() => null);
      rewrittenQuery = rewritten?.query || undefined;
      // For an English question the rewriter's Swedish query is the topic (the glossary may not know every word).
      if (rewrittenQuery && queryPlan.language === 'en') queryPlan = { ...queryPlan, swedishText: rewrittenQuery };
      const id = rewritten?.committee ? gazetteer?.resolve(rewritten.committee) : undefined;
      if (id && !queryPlan.committee && !request.filter?.committee && hasDocuments(documents, id)) {
        queryPlan = { ...queryPlan, committee: { id, name: gazetteer?.nameOf(id) ?? id, source: 'question' } };
        scope = scopeFor(queryPlan, { ...storeFilter, committeeIds: [id] }, request.filter, documents);
        storeFilter = scope.storeFilter;
      }
    }
    // A committee the question names that has no documents: say so instead of answering from another committee.
    if (storeFilter.committeeIds && !storeFilter.committeeIds.some((id) => hasDocuments(documents, id))) {
      const named = queryPlan.committee?.name ?? storeFilter.committeeIds.join(', ');
      const available = [...new Set([...documents.values()].map((document) => gazetteer?.nameOf(document.committeeId) ?? document.committee))].sort();
      const reason =
        queryPlan.language === 'en'
          ? `The documents contain nothing from ${named}; there are documents from ${available.slice(0, 12).join(', ')}${available.length > 12 ? ' and more' : ''}.`
          : `Underlagen innehåller inga dokument från ${named}; det finns dokument från ${available.slice(0, 12).join(', ')}${available.length > 12 ? ' med flera' : ''}.`;
      yield* abstain({ language: queryPlan.language, understood: understood(queryPlan) }, 'extractive', reason);
      return;
    }
    const factEvents = await documentFactsFor(queryPlan, storeFilter, request.filter, documents);
    if (factEvents) {
      yield* factEvents;
      return;
    }
    const diffEvents = await versionDiffFor(queryPlan, scope, documents);
    if (diffEvents) {
      yield* diffEvents;
      return;
    }
    const searchText = rewrittenQuery ? `${rewrittenQuery} ${queryPlan.searchText}` : queryPlan.searchText;
    const groups = termGroupsFor(queryPlan, statisticsNow, false, scope.yearsUsed);
    const scoringGroups = scoringGroupsFor(queryPlan, statisticsNow, groups, scope.yearsUsed);
    // A comparison ("Vad skiljer Centrums och Nordosts planer om X?", "… ville kulturnämnden …, och hur mycket medgav
    // kommunstyrelsen?"): each committee the question names is retrieved on its own and answered side by side, so
    // one side's passage is never cited for the other.
    // Sides are the committees a comparison names, or the parts of a two-part question whose first part names no
    // committee and a later one does ("Vilka socialnämnder ska …, och vad planerar Nordost …?"): a part inherits the
    // committee of the part before it, never of a part after it.
    const parts = questionParts(queryPlan.text).map((part) => ({ part, ids: new Set((gazetteer?.detect(part) ?? []).map((mention) => mention.id)), words: new Set(tokenize(part)) }));
    const indexed = (id: string) => hasDocuments(documents, id);
    const comparable = !request.filter?.committee && !queryPlan.listIntent && queryPlan.listKind !== 'committees';
    const sideIds = comparable ? queryPlan.mentionedCommittees.filter(indexed) : [];
    type SideSpec = { heading: string; committeeIds?: string[]; own: typeof parts };
    let specs: SideSpec[] = [];
    if (sideIds.length >= 2) {
      specs = sideIds.slice(0, 4).map((id) => ({ heading: gazetteer?.nameOf(id) ?? id, committeeIds: [id], own: parts.filter((part) => part.ids.has(id)) }));
    } else if (!request.filter?.committee && queryPlan.mentionedCommittees.length === 1 && indexed(queryPlan.mentionedCommittees[0]) && parts.length >= 2 && parts[0].ids.size === 0 && storeFilter.committeeIds) {
      const named = parts.findIndex((part) => part.ids.size > 0);
      specs = [
        { heading: parts.slice(0, named).map((part) => part.part.replace(/[?.!]+$/, '')).join(', '), own: parts.slice(0, named) },
        { heading: gazetteer?.nameOf(queryPlan.mentionedCommittees[0]) ?? queryPlan.mentionedCommittees[0], committeeIds: queryPlan.mentionedCommittees, own: parts.slice(named) },
      ];
    }
    if (specs.length >= 2 && scoringGroups.length > 0) {
      const sides: NonNullable<AnswerInput['sides']> = [];
      // Each side is read with the part(s) of the question that are its own: their words weigh double there, the
      // words of another side's part weigh half.
      for (const spec of specs) {
        const own = spec.own;
        const others = parts.filter((part) => !own.includes(part));
        const sideGroups = scoringGroups.map((group) => {
          const inOwn = own.some((part) => part.words.has(group.term));
          const onlyOther = !inOwn && others.some((part) => part.words.has(group.term));
          // A word the corpus never uses cannot tell passages apart: it is not boosted.
          return inOwn && own.length < parts.length && group.frequency > 0 ? { ...group, weight: group.weight * 2 } : onlyOther ? { ...group, weight: group.weight * 0.5 } : group;
        });
        const { committeeIds: _committees, ...unscoped } = storeFilter;
        const sideScope = scopeFor(queryPlan, spec.committeeIds ? { ...storeFilter, committeeIds: spec.committeeIds } : unscoped, request.filter, documents);
        const sideFused = await retriever.retrieve(searchText, { k: policy.candidates, filter: sideScope.storeFilter, fusion: dependencies.fusion, signal: options.signal, vocabulary: vocabularyOf(statisticsNow, policy.vocabularyNgramsFrom), documents });
        const sideRanked = rerank(sideFused, sideGroups).filter((passage) => passage.coverage >= abstainThreshold);
        if (sideRanked.length > 0) {
          sides.push({
            heading: spec.heading,
            passages: sideRanked.slice(0, 4).map(({ coverage: _coverage, ...passage }) => passage),
            termGroups: sideGroups,
            ...(own.length > 0 && own.length < parts.length ? { question: own.map((part) => part.part).join(' ') } : {}),
          });
        }
      }
      if (sides.length >= 2) {
        const sideInput: AnswerInput = {
          question: queryPlan.text,
          conversation: request.messages,
          passages: sides.flatMap((side) => side.passages),
          sides,
          understood: understood(queryPlan),
          listIntent: false,
          language: queryPlan.language,
          termGroups: scoringGroups,
          asksFor: queryPlan.asksFor,
        };
        yield* (llmAnswerer ?? extractive).answer(sideInput, options);
        return;
      }
    }
    const fused = await retriever.retrieve(searchText, { k: policy.candidates, filter: storeFilter, fusion: dependencies.fusion, signal: options.signal, vocabulary: vocabularyOf(statisticsNow, policy.vocabularyNgramsFrom), documents });
    const candidates = dependencies.reranker ? await dependencies.reranker.rerank(queryPlan.text, fused, { signal: options.signal }) : fused;
    // Ranking still prefers passages that name the year ("under 2024"); lists and abstention do not require it.
    const rankingGroups = scope.yearsUsed.length > 0 && groups.length > 0 ? termGroupsFor(queryPlan, statisticsNow) : scoringGroups;
    const ranked = rerank(candidates, rankingGroups).slice(0, answerPassages);
    const passages: ScoredChunk[] = ranked.map(({ coverage: _coverage, ...passage }) => passage);
    const query = understood(queryPlan);
    // Relevance of each passage to the question; the answer rests on passages that cover it.
    const relevance = ranked.map((passage) => passage.coverage);
    const best = Math.max(0, ...relevance);
    // "Vilka mål har nämnden för …?": the committee's goals, listed like uppdrag.
    const listNoun = !queryPlan.listIntent && asksForGoals(queryPlan, storeFilter, groups) ? 'mål' : 'uppdrag';
    const goalGroups = groups.filter((group) => group.term !== 'mal' && group.term !== 'malen');
    let listItems =
      listNoun === 'mål'
        ? await listItemsFor(queryPlan, storeFilter, documents, goalGroups, 'mål', statisticsNow)
        : queryPlan.listIntent
          ? await listItemsFor(queryPlan, storeFilter, documents, groups, 'uppdrag', statisticsNow)
          : [];
    // A list of uppdrag only answers the question when the uppdrag match it about as well as the best passage does
    // ("I vilka fem områden delas … mål och uppdrag in?" names uppdrag but asks for something else).
    if (listNoun === 'uppdrag' && groups.length > 0 && listItems.length > 0 && Math.max(...listItems.map((item) => item.score)) < best * policy.listVersusPassage) listItems = [];
    // Bounded: the best `maxListItems` items are shown, with the total (listItemsFor returns them best first).
    const listTotal = listItems.length;
    listItems = listItems.slice(0, policy.maxListItems);
    // The answer type must be there too: a count of the thing asked for, the unit, a point in time.
    const relevant = passages.filter((_, index) => relevance[index] >= abstainThreshold);
    const unit = askedUnit(queryPlan.text);
    const noun = queryPlan.asksFor === 'number' ? countedNoun(queryPlan.language === 'en' ? queryPlan.searchText : queryPlan.text) : undefined;
    const typeStated =
      (!unit || relevant.some((passage) => statesUnit(unit, passage.chunk.text))) &&
      (!noun || relevant.some((passage) => statesCount(noun, passage.chunk.text))) &&
      (queryPlan.asksFor !== 'date' || relevant.some((passage) => statesTime(passage.chunk.text)));
    const absent = absentShare(scoringGroups);
    const answerable =
      listItems.length > 0 || (scoringGroups.length > 0 && best >= abstainThreshold && typeStated && absent <= policy.maxAbsentShare);
    const input: AnswerInput = {
      question: queryPlan.text,
      conversation: request.messages,
      passages: passages.filter((_, index) => relevance[index] >= abstainThreshold * 0.6),
      listItems,
      ...(listTotal > listItems.length ? { listTotal } : {}),
      understood: query,
      listIntent: listItems.length > 0,
      listNoun,
      ...(queryPlan.assignmentOrigin ? { listOrigin: queryPlan.assignmentOrigin } : {}),
      language: queryPlan.language,
      termGroups: listItems.length > 0 ? (listNoun === 'mål' ? goalGroups : groups) : scoringGroups,
      asksFor: queryPlan.asksFor,
      asksForList: queryPlan.listKind === 'other',
    };
    // The question and how it was scored, at debug level (questions may contain what users should not have typed).
    logger?.debug?.('chat', {
      query: queryPlan.text,
      searchText,
      committee: queryPlan.committee?.id,
      terms: scoringGroups.map((group) => `${group.term}:${group.idf.toFixed(2)}[${group.alternatives.join('|')}]`).join(' '),
      best: Number(best.toFixed(3)),
      top: ranked.slice(0, 5).map((passage) => `${passage.document.id.slice(0, 3)}:${passage.chunk.kind}:${passage.coverage.toFixed(2)}:${passage.chunk.text.slice(0, 50)}`),
      listItems: listItems.length,
      asksFor: queryPlan.asksFor,
      typeStated,
      absent: Number(absent.toFixed(2)),
      answerable,
    });
    if (!answerable || (input.passages.length === 0 && listItems.length === 0)) {
      yield* abstain(input);
      return;
    }
    const answerer = llmAnswerer ?? extractive;
    yield* answerer.answer(input, options);
  }

  return {
    async health() {
      const documents = await store.listDocuments();
      return {
        documents: documents.length,
        chunks: documents.reduce((sum, document) => sum + document.chunks, 0),
        embedder: embedder.modelId,
      };
    },
    listDocuments: () => store.listDocuments(),
    async getDocument(id) {
      const document = await store.getDocument(id);
      if (!document) return null;
      return { document, chunks: await store.getChunks(id) };
    },
    async getChunkInContext(id, neighbours = 2) {
      const chunk = await store.getChunk(id);
      if (!chunk) return null;
      const document = await store.getDocument(chunk.documentId);
      if (!document) return null;
      const chunks = await store.getChunks(chunk.documentId);
      const index = chunks.findIndex((candidate) => candidate.id === chunk.id);
      return {
        chunk,
        document,
        previous: chunks.slice(Math.max(0, index - neighbours), index),
        next: chunks.slice(index + 1, index + 1 + neighbours),
      };
    },
    async search(request: SearchRequest) {
      const { queryPlan, storeFilter, scope, statistics: statisticsNow, documents } = await plan([{ role: 'user', content: request.query }], request.filter);
      const k = request.k ?? 8;
      const fused = await retriever.retrieve(queryPlan.searchText, { k: Math.max(policy.candidates, k), filter: storeFilter, fusion: dependencies.fusion, vocabulary: vocabularyOf(statisticsNow, policy.vocabularyNgramsFrom), documents });
      const candidates = dependencies.reranker ? await dependencies.reranker.rerank(queryPlan.text, fused) : fused;
      const results = rerank(candidates, termGroupsFor(queryPlan, statisticsNow, false, scope.yearsUsed)).slice(0, k);
      return {
        query: request.query,
        understood: understood(queryPlan),
        results: results.map(({ chunk, document, score }) => ({
          id: chunk.id,
          score,
          text: chunk.text,
          section: chunk.section.join(' › '),
          kind: chunk.kind,
          document: searchResultDocument(document),
        })),
      };
    },
    chat,
  };
}
