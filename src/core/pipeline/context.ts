/**
 * What every stage of the answer pipeline shares: the ports (store, retriever, optional cross-encoder), the policy
 * (every threshold, `policy.ts`), the domain profile, the synonym table, and the corpus as of this question (its
 * documents, the committee gazetteer and the idf statistics, rebuilt only when the set of document versions changes).
 */
import { createCorpusStatistics, type CorpusStatistics } from '../answer/evidence.ts';
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

/**
 * The corpus, cached by the set of document versions (id and content hash), so a concurrent re-ingest is picked up
 * on the next question and nothing is rebuilt otherwise.
 */
export function createCorpusCache(store: ChunkStore, retriever: Retriever): () => Promise<Corpus> {
  let cacheKey = '';
  let cached: Pick<Corpus, 'gazetteer' | 'statistics'> | undefined;
  return async () => {
    const documents = await retriever.documents();
    const key = [...documents.values()].map((document) => `${document.id}:${document.contentHash}`).sort().join('|');
    if (key !== cacheKey || !cached) {
      const chunks = await store.allChunks();
      cached = {
        gazetteer: createGazetteer([...documents.values()]),
        statistics: createCorpusStatistics(chunks.map((chunk) => `${chunk.text} ${chunk.section.join(' ')}`)),
      };
      cacheKey = key;
    }
    return { documents, ...cached };
  };
}

/** Whether any document belongs to the committee. */
export function hasDocuments(documents: Map<string, StoredDocument>, committeeId: string): boolean {
  for (const document of documents.values()) if (document.committeeId === committeeId) return true;
  return false;
}
