/**
 * What every stage of the answer pipeline shares: the ports (store, retriever, optional cross-encoder), the policy
 * (every threshold, `policy.ts`), the domain profile, the synonym table, and the corpus as of this question (its
 * documents, the committee gazetteer and the idf statistics, rebuilt only when the set of document versions changes).
 */
import { addCorpusTexts, createCorpusStatistics, type CorpusStatistics } from '../answer/evidence.ts';
import { createVocabularyNgrams } from '../retrieval/vocabulary-ngrams.ts';
import type { AnswerPolicy } from '../policy.ts';
import type { DomainProfile } from '../profile.ts';
import { createGazetteer, type Gazetteer, type SynonymTable } from '../query/index.ts';
import type { Reranker } from '../retrieval/rerank.ts';
import type { FusionMethod, Retriever } from '../retrieval/retriever.ts';
import type { ChunkStore, StoredDocument } from '../types.ts';

export interface PipelineContext {
  store: ChunkStore;
  retriever: Retriever;
  policy: AnswerPolicy;
  profile: DomainProfile;
  synonyms?: SynonymTable;
  fusion?: FusionMethod;
  /** Optional cross-encoder stage (see `rerank.ts`). */
  reranker?: Reranker;
}

/** The corpus a question is answered against. */
export interface Corpus {
  documents: Map<string, StoredDocument>;
  gazetteer: Gazetteer;
  statistics: CorpusStatistics;
}

/** Per statistics: the id, document and kind of each chunk index (the token index's owners, for list answers). */
const chunkOwners = new WeakMap<CorpusStatistics, { ids: string[]; documentIds: string[]; kinds: string[] }>();

/** The owners of the statistics' chunk indices (undefined for statistics built elsewhere). */
export function ownersOf(statistics: CorpusStatistics): { ids: string[]; documentIds: string[]; kinds: string[] } | undefined {
  return chunkOwners.get(statistics);
}

/** Term statistics of the whole index: streamed when the store can (`chunkTexts`), else from every chunk. */
async function statisticsOf(store: ChunkStore): Promise<CorpusStatistics> {
  const textOf = (chunk: { text: string; section: string[] }) => `${chunk.text} ${chunk.section.join(' ')}`;
  const owners = { ids: [] as string[], documentIds: [] as string[], kinds: [] as string[] };
  const statistics = createCorpusStatistics();
  const add = (batch: Array<{ id: string; text: string; section: string[]; documentId: string; kind: string }>) => {
    addCorpusTexts(statistics, batch.map(textOf));
    for (const chunk of batch) {
      owners.ids.push(chunk.id);
      owners.documentIds.push(chunk.documentId);
      owners.kinds.push(chunk.kind);
    }
  };
  if (store.chunkTexts) for await (const batch of store.chunkTexts()) add(batch);
  else add(await store.allChunks());
  chunkOwners.set(statistics, owners);
  return statistics;
}

/** The corpus vocabulary the n-gram query is a fallback for (see `retrieval/retriever.ts`). */
export interface Vocabulary {
  has(token: string): boolean;
  similar?(token: string): string[];
}

const vocabularies = new WeakMap<CorpusStatistics, Vocabulary>();

/**
 * The corpus vocabulary the n-gram query is the fallback for (used from `policy.vocabularyNgramsFrom` chunks on, see
 * `retrieve.ts`): its tokens as written, with a trigram index of them (built once per statistics) for the unknown
 * words. (Counting other inflections of a token as known too — same stem — halved the n-gram queries at 118k chunks
 * but lost one regression item, 113/121: the n-gram list also ranks passages whose words the full-text query finds
 * only by stem.)
 */
export function vocabularyOf(statistics: CorpusStatistics): Vocabulary {
  let vocabulary = vocabularies.get(statistics);
  if (!vocabulary) {
    const ngrams = createVocabularyNgrams(statistics.postings.keys(), (token) => statistics.postings.get(token)?.length ?? 0);
    vocabulary = { has: (token) => statistics.postings.has(token), similar: (token) => ngrams.similar(token) };
    vocabularies.set(statistics, vocabulary);
  }
  return vocabulary;
}

/**
 * The corpus, cached per index revision (the store's `revision()`, else the set of document versions), so a
 * concurrent re-ingest is picked up on the next question and nothing that grows with the index is recomputed per
 * question; concurrent questions on a new revision share one load (one statistics build).
 */
export function createCorpusCache(store: ChunkStore, retriever: Retriever): () => Promise<Corpus> {
  let cacheKey = '';
  let cached: Pick<Corpus, 'gazetteer' | 'statistics'> | undefined;
  let cachedRevision: string | undefined;
  let cachedDocuments: Map<string, StoredDocument> | undefined;
  let loading: { revision: string; promise: Promise<Corpus> } | undefined;

  async function load(revision: string | undefined): Promise<Corpus> {
    const documents = await retriever.documents();
    const key = [...documents.values()].map((document) => `${document.id}:${document.contentHash}`).sort().join('|');
    let current = cached;
    if (key !== cacheKey || !current) {
      current = { gazetteer: createGazetteer([...documents.values()]), statistics: await statisticsOf(store) };
      cached = current;
      cacheKey = key;
    }
    cachedRevision = revision;
    cachedDocuments = documents;
    return { documents, ...current };
  }

  return async () => {
    const revision = store.revision ? await store.revision() : undefined;
    if (revision !== undefined && revision === cachedRevision && cachedDocuments && cached) return { documents: cachedDocuments, ...cached };
    if (revision === undefined) return load(undefined);
    if (loading?.revision !== revision) {
      const promise = load(revision).finally(() => {
        if (loading?.promise === promise) loading = undefined;
      });
      loading = { revision, promise };
    }
    return loading.promise;
  };
}

/** Whether any document belongs to the committee. */
export function hasDocuments(documents: Map<string, StoredDocument>, committeeId: string): boolean {
  for (const document of documents.values()) if (document.committeeId === committeeId) return true;
  return false;
}
