/**
 * The hybrid retriever's query path: the n-gram query as a fallback for words the corpus does not hold (compound
 * parts, damaged words), skipped when the corpus knows every word; documents taken from the caller when it holds
 * them. Real LanceDB store in a temp folder, fictional documents of a nämnd the sample does not have.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLanceStore, type LanceStore } from '../src/adapters/lancedb-store.ts';
import { createCorpusStatistics } from '../src/core/answer/evidence.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { createAssistant } from '../src/core/assistant.ts';
import { createRetriever, ngramFallbackQuery } from '../src/core/retrieval/retriever.ts';
import { createVocabularyNgrams } from '../src/core/retrieval/vocabulary-ngrams.ts';
import type { Chunk, ChunkStore, DocumentMeta } from '../src/core/types.ts';

const embedder = createHashedEmbedder({ dimensions: 64 });

const fritid: DocumentMeta = {
  id: 'doc-idrott',
  source: 'idrott.txt',
  title: 'Verksamhetsplan 2027 Idrotts- och föreningsnämnden',
  committee: 'Idrotts- och föreningsnämnden',
  committeeId: 'idrotts-och-foreningsnamnden',
  type: 'verksamhetsplan',
  status: 'beslutad',
  year: 2027,
  contentHash: 'd'.repeat(64),
};

const texts = [
  'Förvaltningen får i uppdrag att anlägga fler konstgräsplaner i stadens ytterområden.',
  'Nämnden ska utreda öppettiderna i simhallarna under sommarlovet.',
  'Föreningsbidragen ska följas upp varje år tillsammans med föreningarna.',
  'Utegymmen ska rustas upp och tillgänglighetsanpassas.',
];
const chunks: Chunk[] = texts.map((text, position) => ({
  id: `doc-idrott-${position}`,
  documentId: fritid.id,
  position,
  section: ['Uppdrag'],
  kind: 'uppdrag',
  text,
  originalText: text,
  start: position * 100,
  end: position * 100 + text.length,
  context: `${fritid.title} · ${fritid.committee}`,
}));

let folder: string;
let store: LanceStore;
/** The corpus vocabulary as the assistant builds it (chunk text and section). */
const vocabulary = createCorpusStatistics(chunks.map((chunk) => `${chunk.text} ${chunk.section.join(' ')}`)).postings;

/** The store with its n-gram queries and document reads recorded. */
function recording(): { store: ChunkStore; ngramQueries: string[]; documentReads: () => number } {
  const ngramQueries: string[] = [];
  let reads = 0;
  const wrapped: ChunkStore = Object.create(store) as ChunkStore;
  wrapped.searchNgram = (query, options) => {
    ngramQueries.push(query);
    return store.searchNgram(query, options);
  };
  wrapped.listDocuments = () => {
    reads++;
    return store.listDocuments();
  };
  return { store: wrapped, ngramQueries, documentReads: () => reads };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'planassistenten-retriever-'));
  store = await createLanceStore({ directory: folder });
  await store.setInfo({ embedder: embedder.modelId, dimensions: embedder.dimensions });
  await store.replaceDocument(fritid, chunks, await embedder.embed(chunks.map((chunk) => `${chunk.context}\n${chunk.text}`), { inputType: 'document' }));
});

afterAll(async () => {
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

describe('n-gram query as a fallback', () => {
  it('keeps only the words the vocabulary lacks, folded, each once', () => {
    expect(ngramFallbackQuery('Vilka gräsplaner och GRÄSPLANER ska anläggas?', vocabulary)).toBe('vilka grasplaner anlaggas');
    expect(ngramFallbackQuery('simhallarna sommarlovet', vocabulary)).toBe('');
    expect(ngramFallbackQuery('', vocabulary)).toBe('');
  });

  it('skips the n-gram query when the corpus knows every word, and still finds the passage', async () => {
    const recorded = recording();
    const retriever = createRetriever({ store: recorded.store, embedder });
    const results = await retriever.retrieve('öppettiderna i simhallarna', { k: 3, vocabulary });
    expect(recorded.ngramQueries).toEqual([]);
    expect(results[0]?.chunk.id).toBe('doc-idrott-1');
  });

  it('searches n-grams for a compound part the corpus only has inside a longer word', async () => {
    const recorded = recording();
    const retriever = createRetriever({ store: recorded.store, embedder });
    // "gräsplaner" is only in "konstgräsplaner": the Swedish full-text query cannot match it, the n-grams can.
    const results = await retriever.retrieve('gräsplaner', { k: 3, vocabulary });
    expect(recorded.ngramQueries).toEqual(['grasplaner']);
    expect(results[0]?.chunk.id).toBe('doc-idrott-0');
    // An OCR-damaged word ("fdreningsbidragen") and one the corpus lacks go to the n-gram query; the known ones do not.
    const damaged = await retriever.retrieve('fdreningsbidragen ska följas upp', { k: 3, vocabulary });
    expect(recorded.ngramQueries[1]).toBe('fdreningsbidragen');
    expect(damaged[0]?.chunk.id).toBe('doc-idrott-2');
  });

  it('without a vocabulary searches every word (the previous behaviour)', async () => {
    const recorded = recording();
    await createRetriever({ store: recorded.store, embedder }).retrieve('öppettiderna i simhallarna', { k: 3 });
    expect(recorded.ngramQueries).toEqual(['öppettiderna i simhallarna']);
  });

  it('uses the documents the caller holds instead of reading them again', async () => {
    const recorded = recording();
    const retriever = createRetriever({ store: recorded.store, embedder });
    const documents = new Map((await store.listDocuments()).map((document) => [document.id, document]));
    const results = await retriever.retrieve('utegym', { k: 2, vocabulary, documents });
    expect(recorded.documentReads()).toBe(0);
    expect(results[0]?.document.committee).toBe('Idrotts- och föreningsnämnden');
    await retriever.retrieve('utegym', { k: 2, vocabulary });
    expect(recorded.documentReads()).toBe(1);
  });
});

describe('the vocabulary\'s trigrams instead of the n-gram index (large corpora)', () => {
  const ngrams = createVocabularyNgrams(vocabulary.keys(), (token) => vocabulary.get(token)?.length ?? 0);
  const withLookalikes = { has: (token: string) => vocabulary.has(token), similar: (token: string) => ngrams.similar(token) };

  it('finds the corpus words containing a word, and those a damaged word was', () => {
    expect(ngrams.similar('grasplaner')).toContain('konstgrasplaner');
    expect(ngrams.similar('fdreningsbidragen')[0]).toBe('foreningsbidragen');
    expect(ngrams.similar('simhall')).toContain('simhallarna');
    expect(ngrams.similar('snoskoter')).toEqual([]);
    expect(ngrams.similar('ab')).toEqual([]);
    expect(ngrams.similar('grasplaner', { limit: 1 })).toHaveLength(1);
  });

  it('answers the n-gram list with a full-text query for the look-alikes; the n-gram index is not queried', async () => {
    const recorded = recording();
    const retriever = createRetriever({ store: recorded.store, embedder });
    const results = await retriever.retrieve('fdreningsbidragen', { k: 3, vocabulary: withLookalikes, mode: 'hybrid' });
    expect(recorded.ngramQueries).toEqual([]);
    expect(results[0]?.chunk.id).toBe('doc-idrott-2');
    expect((await retriever.retrieve('gräsplaner', { k: 3, vocabulary: withLookalikes }))[0]?.chunk.id).toBe('doc-idrott-0');
    expect(recorded.ngramQueries).toEqual([]);
  });

  it('the assistant switches to it from the policy\'s corpus size on', async () => {
    const question = 'Vilka uppdrag om gräsplaner har idrotts- och föreningsnämnden?';
    for (const [from, expected] of [[1_000_000, 1], [1, 0]] as const) {
      const recorded = recording();
      const assistant = createAssistant({ store: recorded.store, embedder, policy: { vocabularyNgramsFrom: from } });
      const result = await assistant.search({ query: question, k: 3 });
      expect(recorded.ngramQueries.length).toBe(expected);
      expect(result.results[0]?.id).toBe('doc-idrott-0');
    }
  });
});
