/**
 * LanceDB store at scale: batched deferred writes, documents cached per table version, compaction, and the vector
 * and scalar indexes built once the corpus passes the threshold (exact same answers as the flat scan on a small set).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLanceStore, ivfPartitionsFor, ivfRqTraining, vectorProbesFor, vectorQueryParameters, type LanceStore, type LanceStoreOptions } from '../src/adapters/lancedb-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { createAssistant } from '../src/core/assistant.ts';
import type { Chunk, DocumentMeta, StoreFilter } from '../src/core/types.ts';

const embedder = createHashedEmbedder({ dimensions: 64 });
const committees = ['idrotts-och-foreningsnamnden', 'stadsmiljonamnden', 'miljo-och-klimatnamnden'];
const topics = ['konstgräsplaner', 'cykelbanor', 'luftkvalitet', 'föreningsbidrag', 'dagvatten', 'badplatser', 'gatubelysning', 'spontanidrott'];

function documentNumber(index: number, version = 'a'): DocumentMeta {
  return {
    id: `doc-${index}`,
    source: `plan-${index}.txt`,
    title: `Verksamhetsplan ${2020 + (index % 6)} för nämnd ${index % 3}`,
    committee: committees[index % 3],
    committeeId: committees[index % 3],
    type: 'verksamhetsplan',
    status: 'beslutad',
    year: 2020 + (index % 6),
    contentHash: `${index}${version}`.padEnd(64, '0'),
  };
}

function chunksOf(document: DocumentMeta, count: number, version = 'a'): Chunk[] {
  return Array.from({ length: count }, (_, position) => {
    const text = `Nämnden ska utreda ${topics[(position + document.id.length) % topics.length]} i område ${position} (${version}) för ${document.title}.`;
    return { id: `${document.id}-${position}`, documentId: document.id, position, section: ['Uppdrag'], kind: 'uppdrag', text, originalText: text, start: 0, end: text.length, context: document.title };
  });
}

/**
 * How many of the found neighbours belong to the exact top k: those as similar as the exact k-th (the generated chunks
 * are near-copies of one another, so several can tie with it and either is a right answer).
 */
function tieAwareHits(found: Array<{ score: number }>, exact: Array<{ score: number }>): number {
  const kth = exact[exact.length - 1]?.score ?? Number.POSITIVE_INFINITY;
  return Math.min(exact.length, found.filter((hit) => hit.score >= kth - 1e-4).length);
}

async function put(store: LanceStore, document: DocumentMeta, chunks: Chunk[], deferIndexing = true): Promise<void> {
  const vectors = await embedder.embed(chunks.map((chunk) => `${chunk.context}\n${chunk.text}`), { inputType: 'document' });
  await store.replaceDocument(document, chunks, vectors, { deferIndexing });
}

describe('LanceDB store at scale', () => {
  let folder: string;
  const opened: LanceStore[] = [];
  const open = async (options: Partial<LanceStoreOptions> = {}) => {
    const store = await createLanceStore({ directory: folder, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'planassistenten-lance-scale-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('buffers deferred writes in batches yet every read sees them, and replacing a document drops its stale chunks', async () => {
    const store = await open({ writeBatchChunks: 25 });
    await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    for (let index = 0; index < 12; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 4));
    // Some documents are still in the buffer: reads flush first.
    expect((await store.listDocuments()).length).toBe(12);
    expect(await store.getChunks('doc-11')).toHaveLength(4);
    // The same document written twice before a flush: the last version wins.
    await put(store, documentNumber(3, 'b'), chunksOf(documentNumber(3, 'b'), 2, 'b'));
    await put(store, documentNumber(3, 'c'), chunksOf(documentNumber(3, 'c'), 3, 'c'));
    await store.refreshIndexes();
    const third = await store.getChunks('doc-3');
    expect(third.map((chunk) => chunk.position)).toEqual([0, 1, 2]);
    expect(third.every((chunk) => chunk.text.includes('(c)'))).toBe(true);
    expect((await store.getDocument('doc-3'))?.chunks).toBe(3);
    expect((await store.allChunks()).length).toBe(11 * 4 + 3);
    const hits = await store.searchText('konstgräsplaner', { k: 100 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.chunk.text.includes('konstgräsplaner'))).toBe(true);
  });

  it('a second store (another process) sees the batch once it is written, with the documents cache refreshed', async () => {
    const writer = await open({ writeBatchChunks: 1000 });
    const reader = await open();
    await writer.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    await put(writer, documentNumber(1), chunksOf(documentNumber(1), 3));
    await writer.refreshIndexes();
    expect((await reader.listDocuments()).map((document) => document.id)).toEqual(['doc-1']);
    await put(writer, documentNumber(2), chunksOf(documentNumber(2), 3));
    await writer.deleteDocument('doc-1', { deferIndexing: true });
    await writer.refreshIndexes();
    expect((await reader.listDocuments()).map((document) => document.id)).toEqual(['doc-2']);
    expect(await reader.getDocument('doc-1')).toBeNull();
    expect((await reader.getDocument('doc-2'))?.chunks).toBe(3);
  });

  it('documents returned are copies: changing one does not change the store', async () => {
    const store = await open();
    await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    await put(store, documentNumber(1), chunksOf(documentNumber(1), 2), false);
    const [first] = await store.listDocuments();
    first.title = 'ändrad';
    expect((await store.getDocument('doc-1'))?.title).toBe(documentNumber(1).title);
  });

  it('compacts the tables after an ingest of many documents (one fragment per document otherwise)', async () => {
    const store = await open({ writeBatchChunks: 8 });
    await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    for (let index = 0; index < 20; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 2));
    await store.refreshIndexes();
    const connection = await lancedb.connect(folder);
    for (const name of ['chunks', 'chunks_documents']) {
      const table = await connection.openTable(name);
      const stats = await table.stats();
      expect(stats.fragmentStats.numFragments, name).toBe(1);
      table.close();
    }
    connection.close();
  });

  it.each(['ivf_rq', 'ivf_hnsw_sq', 'ivf_pq'] as const)('past the threshold builds a %s vector index and scalar indexes; nearest neighbours match the flat scan', async (kind) => {
    const flatFolder = await mkdtemp(join(tmpdir(), 'planassistenten-lance-flat-'));
    try {
      const indexed = await open({ indexThreshold: 300, vectorIndex: kind, snapshotLimit: 0 });
      const flat = await createLanceStore({ directory: flatFolder, indexThreshold: Number.POSITIVE_INFINITY });
      opened.push(flat);
      for (const store of [indexed, flat]) {
        await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
        for (let index = 0; index < 40; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 10));
        await store.refreshIndexes();
      }
      const connection = await lancedb.connect(folder);
      const table = await connection.openTable('chunks');
      const indexedColumns = (await table.listIndices()).flatMap((index) => index.columns);
      table.close();
      connection.close();
      expect(indexedColumns).toEqual(expect.arrayContaining(['vector', 'id', 'document_id', 'committee_id', 'document_type']));

      let overlap = 0;
      let total = 0;
      for (const query of ['utreda luftkvalitet', 'cykelbanor i område 3', 'badplatser och dagvatten', 'föreningsbidrag 2023']) {
        const [vector] = await embedder.embed([query], { inputType: 'query' });
        const exact = await flat.searchVector(vector, { k: 10 });
        const found = await indexed.searchVector(vector, { k: 10 });
        overlap += tieAwareHits(found, exact);
        total += exact.length;
        expect(await indexed.searchVector(vector, { k: 60 })).toHaveLength(60); // more than the graph's default ef
        const filtered = await indexed.searchVector(vector, { k: 5, filter: { committeeIds: ['stadsmiljonamnden'] } });
        expect(filtered.length).toBe(5);
        expect(filtered.every((hit) => hit.chunk.documentId.match(/\d+$/)![0] !== '' && Number(hit.chunk.documentId.split('-')[1]) % 3 === 1)).toBe(true);
      }
      expect(overlap / total).toBeGreaterThanOrEqual(0.9);
    } finally {
      await rm(flatFolder, { recursive: true, force: true });
    }
  });

  it('the in-memory snapshot of a small corpus answers like LanceDB itself (vector search, filters, chunk reads)', async () => {
    const lanceFolder = await mkdtemp(join(tmpdir(), 'planassistenten-lance-nosnap-'));
    try {
      const snapshot = await open();
      const lance = await createLanceStore({ directory: lanceFolder, snapshotLimit: 0 });
      opened.push(lance);
      for (const store of [snapshot, lance]) {
        await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
        for (let index = 0; index < 15; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 6));
        await store.refreshIndexes();
      }
      const filters = [undefined, { committeeIds: ['stadsmiljonamnden'] }, { documentIds: ['doc-2', 'doc-7'] }, { type: 'verksamhetsplan' as const }, { documentId: 'doc-4' }, { committeeIds: [] }];
      for (const query of ['utreda luftkvalitet', 'cykelbanor i område 3', 'badplatser och dagvatten']) {
        const [vector] = await embedder.embed([query], { inputType: 'query' });
        for (const filter of filters) {
          const expected = await lance.searchVector(vector, { k: 8, filter });
          const found = await snapshot.searchVector(vector, { k: 8, filter });
          expect(found.map((hit) => hit.chunk.id)).toEqual(expected.map((hit) => hit.chunk.id));
          found.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index].score, 5));
        }
      }
      for (const filter of filters) expect(await snapshot.allChunks(filter)).toEqual(await lance.allChunks(filter));
      expect(await snapshot.getChunks('doc-5')).toEqual(await lance.getChunks('doc-5'));
      expect(await snapshot.getChunk('doc-5-3')).toEqual(await lance.getChunk('doc-5-3'));
      // A write is seen at once (the snapshot follows the table version); a returned chunk is a copy.
      await put(snapshot, documentNumber(5, 'b'), chunksOf(documentNumber(5, 'b'), 2, 'b'), false);
      const changed = await snapshot.getChunks('doc-5');
      expect(changed.map((chunk) => chunk.text.includes('(b)'))).toEqual([true, true]);
      changed[0].section.push('ändrad');
      expect((await snapshot.getChunk('doc-5-0'))?.section).toEqual(['Uppdrag']);
    } finally {
      await rm(lanceFolder, { recursive: true, force: true });
    }
  });

  it('above the snapshot limit the in-memory text index ranks like the snapshot (same BM25), with every filter, and LanceDB\'s own index finds the same chunks', async () => {
    const otherFolders = [await mkdtemp(join(tmpdir(), 'planassistenten-lance-text-')), await mkdtemp(join(tmpdir(), 'planassistenten-lance-fts-'))];
    try {
      const snapshot = await open();
      const textIndex = await createLanceStore({ directory: otherFolders[0], snapshotLimit: 0 });
      const lanceFts = await createLanceStore({ directory: otherFolders[1], snapshotLimit: 0, textIndexLimit: 0 });
      opened.push(textIndex, lanceFts);
      for (const store of [snapshot, textIndex, lanceFts]) {
        await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
        for (let index = 0; index < 18; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 7));
        await store.refreshIndexes();
      }
      const filters = [
        undefined,
        { committeeIds: ['stadsmiljonamnden', 'miljo-och-klimatnamnden'] },
        { documentIds: ['doc-2', 'doc-7'] },
        { type: 'verksamhetsplan' as const },
        { type: 'budget' as const },
        { documentId: 'doc-4' },
        { kinds: ['uppdrag' as const] },
        { kinds: ['tabellrad' as const] },
        { committeeIds: ['okänd-nämnd'] },
        { committeeIds: [] },
      ];
      for (const query of ['utreda luftkvalitet', 'cykelbanor i område 3', 'badplatser och dagvatten', 'verksamhetsplan 2023']) {
        for (const filter of filters) {
          const expected = await snapshot.searchText(query, { k: 9, filter });
          const found = await textIndex.searchText(query, { k: 9, filter });
          expect(found.map((hit) => [hit.chunk.id, hit.score]), `${query} ${JSON.stringify(filter)}`).toEqual(expected.map((hit) => [hit.chunk.id, hit.score]));
          expect(found).toEqual(expected);
          // LanceDB's BM25 scores differently, but finds the same set of matching chunks when all of them fit.
          const all = await textIndex.searchText(query, { k: 500, filter });
          const fromLance = await lanceFts.searchText(query, { k: 500, filter });
          expect(new Set(all.map((hit) => hit.chunk.id))).toEqual(new Set(fromLance.map((hit) => hit.chunk.id)));
        }
      }
    } finally {
      for (const other of otherFolders) await rm(other, { recursive: true, force: true });
    }
  });

  it.each([
    ['chunk fields in memory', {}],
    ['chunks read by row id', { chunkRowsLimit: 0 }],
  ])('the in-memory text index follows writes by another process, and reads the right chunks after that process rewrote the table (%s)', async (_name, options) => {
    const reader = await open({ snapshotLimit: 0, ...options });
    const writer = await open({ snapshotLimit: 0, writeBatchChunks: 5 });
    await writer.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    for (let index = 0; index < 10; index++) await put(writer, documentNumber(index), chunksOf(documentNumber(index), 5));
    await writer.refreshIndexes();
    const before = await reader.searchText('badplatser', { k: 100 });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((hit) => hit.chunk.text.includes('badplatser'))).toBe(true);
    // The writer replaces documents (their chunks change) and compacts: row ids move, the reader sees a new version.
    for (let index = 0; index < 10; index += 2) await put(writer, documentNumber(index, 'b'), chunksOf(documentNumber(index, 'b'), 5, 'b'));
    await writer.refreshIndexes();
    const after = await reader.searchText('badplatser', { k: 100 });
    expect(after.length).toBe(before.length);
    for (const hit of after) {
      expect(hit.chunk.text).toContain('badplatser');
      const number = Number(hit.chunk.documentId.split('-')[1]);
      expect(hit.chunk.text).toContain(number % 2 === 0 ? '(b)' : '(a)');
      expect(await reader.getChunk(hit.chunk.id)).toEqual(hit.chunk);
    }
  });

  it('a filter most chunks pass is applied after the vector search, a narrow one before it: either way every hit passes, k are found when k exist, and they match the exact filtered scan', async () => {
    const flatFolder = await mkdtemp(join(tmpdir(), 'planassistenten-lance-flat-'));
    try {
      const indexed = await open({ indexThreshold: 300, snapshotLimit: 0 });
      const flat = await createLanceStore({ directory: flatFolder, indexThreshold: Number.POSITIVE_INFINITY, snapshotLimit: 0 });
      opened.push(flat);
      for (const store of [indexed, flat]) {
        await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
        for (let index = 0; index < 40; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 10));
        await store.refreshIndexes();
      }
      const all = Array.from({ length: 40 }, (_, index) => `doc-${index}`);
      const filters: Array<[string, StoreFilter]> = [
        ['latest versions (most documents)', { documentIds: all.filter((_, index) => index % 4 !== 0) }],
        ['two committees', { committeeIds: [committees[0], committees[1]] }],
        ['a few documents', { documentIds: ['doc-3', 'doc-17', 'doc-29'] }],
        ['one document and its uppdrag', { documentId: 'doc-8', kinds: ['uppdrag'] }],
      ];
      let overlap = 0;
      let total = 0;
      for (const query of ['utreda luftkvalitet', 'cykelbanor i område 3', 'badplatser och dagvatten']) {
        const [vector] = await embedder.embed([query], { inputType: 'query' });
        for (const [name, filter] of filters) {
          const exact = await flat.searchVector(vector, { k: 20, filter });
          const hits = await indexed.searchVectorIds!(vector, { k: 20, filter });
          const chunks = await indexed.searchVector(vector, { k: 20, filter });
          expect(hits.length, name).toBe(exact.length);
          expect(chunks.map((hit) => hit.chunk.id), name).toEqual(hits.map((hit) => hit.id));
          for (const hit of chunks) {
            const number = Number(hit.chunk.documentId.split('-')[1]);
            if (filter.documentIds) expect(filter.documentIds, name).toContain(hit.chunk.documentId);
            if (filter.committeeIds) expect(filter.committeeIds, name).toContain(committees[number % 3]);
            if (filter.documentId) expect(hit.chunk.documentId, name).toBe(filter.documentId);
          }
          overlap += tieAwareHits(hits.slice(0, 10), exact.slice(0, 10));
          total += Math.min(10, exact.length);
        }
      }
      expect(overlap / total).toBeGreaterThanOrEqual(0.9);
    } finally {
      await rm(flatFolder, { recursive: true, force: true });
    }
  });

  it('warm() loads the corpus statistics and the store\'s indexes once; the first question then reads no statistics', async () => {
    const store = await open({ snapshotLimit: 0 });
    await store.setInfo({ embedder: embedder.modelId, dimensions: 64 });
    for (let index = 0; index < 6; index++) await put(store, documentNumber(index), chunksOf(documentNumber(index), 4));
    await store.refreshIndexes();
    let streamed = 0;
    const chunkTexts = store.chunkTexts!.bind(store);
    store.chunkTexts = () => {
      streamed++;
      return chunkTexts();
    };
    const assistant = createAssistant({ store, embedder, lexicon: { isWord: () => true } });
    await assistant.warm!();
    expect(streamed).toBe(1);
    const { results } = await assistant.search({ query: 'luftkvalitet i område 2' });
    expect(results.length).toBeGreaterThan(0);
    expect(streamed).toBe(1);
  });

  it('IVF partitions grow with the square root of the rows, with enough rows per partition to train', () => {
    expect(ivfPartitionsFor(300)).toBe(1);
    expect(ivfPartitionsFor(10_000)).toBe(39);
    expect(ivfPartitionsFor(100_000)).toBe(316);
    expect(ivfPartitionsFor(1_000_000)).toBe(1000);
    expect(vectorProbesFor(10_000)).toBe(20);
    expect(vectorProbesFor(117_000)).toBeGreaterThanOrEqual(68);
    expect(vectorProbesFor(1_000_000)).toBe(200);
    // An IVF_RQ index (cheap 1-bit scans) probes 30 %.
    expect(vectorProbesFor(10_000, 'IvfRq')).toBe(20);
    expect(vectorProbesFor(1_000_000, 'IvfRq')).toBe(300);
    expect(vectorProbesFor(1_000_000, 'IvfHnswSq')).toBe(200);
  });

  it('IVF_RQ k-means trains on about 20,000 sampled vectors: every vector of a small corpus, 64 per partition of a large one', () => {
    for (const rows of [1_000, 10_000, 100_000, 1_000_000]) {
      const partitions = ivfPartitionsFor(rows);
      const { sampleRate, maxIterations } = ivfRqTraining(partitions);
      expect(sampleRate).toBeGreaterThanOrEqual(64);
      expect(sampleRate).toBeLessThanOrEqual(256);
      expect(maxIterations).toBeGreaterThan(0);
      // LanceDB's own sample (256 per partition) or at least 20,000 vectors, whichever is smaller.
      expect(sampleRate * partitions).toBeGreaterThanOrEqual(Math.min(256 * partitions, 20_000, rows));
    }
    expect(ivfRqTraining(ivfPartitionsFor(10_000)).sampleRate).toBe(256); // LanceDB's full sample
    expect(ivfRqTraining(ivfPartitionsFor(1_000_000)).sampleRate).toBe(64);
  });

  it('an indexed query re-ranks at least 100 candidates on the full vectors, with an HNSW breadth that covers them', () => {
    for (const k of [1, 8, 10, 40, 120, 500]) {
      const { refineFactor, ef } = vectorQueryParameters(k);
      expect(refineFactor).toBeGreaterThanOrEqual(1);
      expect(k * refineFactor).toBeGreaterThanOrEqual(Math.min(100, k * 100));
      expect(k * refineFactor).toBeLessThan(Math.max(200, k + 100));
      expect(ef).toBeGreaterThanOrEqual(k * refineFactor);
    }
    expect(vectorQueryParameters(10).refineFactor).toBe(10);
    expect(vectorQueryParameters(120).refineFactor).toBe(1);
  });
});
