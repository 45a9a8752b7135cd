/**
 * The pipeline's stages over a real in-memory store holding our own fictional plans (tests/fixtures/versions:
 * Idrotts- och föreningsnämnden 2025 and 2026, Kulturnämnden 2026), ingested by the real ingest pipeline.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHunspellLexicon } from '../../src/adapters/hunspell-lexicon.ts';
import { createMemoryStore } from '../../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../../src/core/embedding/hashed-embedder.ts';
import { createCorpusCache, type Corpus, type PipelineContext } from '../../src/core/pipeline/context.ts';
import { defaultPolicy, type AnswerPolicy } from '../../src/core/policy.ts';
import { defaultProfile } from '../../src/core/profile.ts';
import { createRetriever } from '../../src/core/retrieval/retriever.ts';
import { ingestCorpus } from '../../ingest/pipeline.ts';

export const VERSIONS_CORPUS = resolve(import.meta.dirname, '../fixtures/versions');

export async function versionsPipeline(policy: Partial<AnswerPolicy> = {}): Promise<{ context: PipelineContext; corpus: Corpus }> {
  const store = createMemoryStore();
  const embedder = createHashedEmbedder();
  const files = (await readdir(VERSIONS_CORPUS)).filter((name) => name.endsWith('.txt')).map((name) => join(VERSIONS_CORPUS, name));
  const lexicon = await createHunspellLexicon();
  const summary = await ingestCorpus({ paths: files, corpusRoot: VERSIONS_CORPUS, store, embedder, lexicon });
  if (summary.failed.length > 0) throw new Error(`ingest failed: ${summary.failed.map((failure) => failure.message).join('; ')}`);
  const retriever = createRetriever({ store, embedder });
  const context: PipelineContext = { store, retriever, policy: { ...defaultPolicy, ...policy }, profile: defaultProfile };
  return { context, corpus: await createCorpusCache(store, retriever)() };
}
