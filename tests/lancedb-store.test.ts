/**
 * LanceDB-specific behaviour (the shared ChunkStore behaviour is in store-contract.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLanceStore, filterToWhere, sqlLiteral, type LanceStore } from '../src/adapters/lancedb-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { AppError, type Chunk, type DocumentMeta } from '../src/core/types.ts';

const embedder = createHashedEmbedder({ dimensions: 128 });

function documentWith(id: string, committeeId = 'socialnamnden-centrum'): DocumentMeta {
  return { id, source: `${id}.txt`, title: `Titel ${id}`, committee: 'Socialnämnden Centrum', committeeId, type: 'genomförandeplan', status: 'förslag', contentHash: id.padEnd(64, '0') };
}

function chunksFor(document: DocumentMeta, texts: string[]): Chunk[] {
  return texts.map((text, position) => ({
    id: `${document.id}-${position}`,
    documentId: document.id,
    position,
    section: ['Mål'],
    kind: 'text',
    text,
    originalText: text,
    start: 0,
    end: text.length,
    context: document.title,
  }));
}

async function write(store: LanceStore, document: DocumentMeta, texts: string[], dimensions = 128): Promise<void> {
  const chunks = chunksFor(document, texts);
  const vectors = await createHashedEmbedder({ dimensions }).embed(chunks.map((item) => item.text), { inputType: 'document' });
  await store.replaceDocument(document, chunks, vectors);
}

describe('LanceDB store', () => {
  let folder: string;
  const opened: LanceStore[] = [];
  const open = async () => {
    const store = await createLanceStore({ directory: folder });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'planassistenten-lance-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('persists documents, chunks and index info across reopening', async () => {
    const writer = await open();
    await writer.setInfo({ embedder: embedder.modelId, dimensions: 128 });
    await write(writer, documentWith('d1'), ['Stödet till familjehemmen ska bli likvärdigt.']);
    await writer.close();
    const reader = await open();
    expect(await reader.info()).toEqual({ embedder: 'builtin-hash-v2', dimensions: 128 });
    expect((await reader.listDocuments()).map((document) => document.id)).toEqual(['d1']);
    expect((await reader.searchText('familjehem', { k: 3 }))[0].chunk.id).toBe('d1-0');
  });

  it('a store opened before an ingest sees the new document after it (server keeps answering)', async () => {
    const writer = await open();
    await writer.setInfo({ embedder: embedder.modelId, dimensions: 128 });
    await write(writer, documentWith('first'), ['Jourhem i egen regi.']);
    const server = await open();
    expect((await server.listDocuments()).map((document) => document.id)).toEqual(['first']);
    expect(await server.searchText('husdjur', { k: 3 })).toEqual([]);

    await write(writer, documentWith('second'), ['Utreda möjligheten att ta med husdjur på skyddat boende.']);
    expect((await server.listDocuments()).map((document) => document.id)).toEqual(['first', 'second']);
    expect((await server.searchText('husdjuren', { k: 3 }))[0]?.chunk.id).toBe('second-0');
    expect((await server.searchNgram('husdjur', { k: 3 }))[0]?.chunk.id).toBe('second-0');

    await writer.deleteDocument('first');
    expect((await server.listDocuments()).map((document) => document.id)).toEqual(['second']);
    expect(await server.searchText('jourhem', { k: 3 })).toEqual([]);
  });

  it('a store opened on an empty folder picks up tables created later', async () => {
    const server = await open();
    expect(await server.info()).toBeNull();
    const writer = await open();
    await writer.setInfo({ embedder: embedder.modelId, dimensions: 128 });
    await write(writer, documentWith('late'), ['Mötesplatser för ungdomar.']);
    expect(await server.info()).toEqual({ embedder: 'builtin-hash-v2', dimensions: 128 });
    expect((await server.searchText('mötesplats', { k: 1 }))[0]?.chunk.id).toBe('late-0');
  });

  it('refuses vectors of another size than the index (index_mismatch) until reset', async () => {
    const store = await open();
    await write(store, documentWith('d1'), ['Text ett.']);
    const error = await write(store, documentWith('d2'), ['Text två.'], 64).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('index_mismatch');
    expect((error as AppError).message).toMatch(/--rebuild/);
    expect((await store.listDocuments()).map((document) => document.id)).toEqual(['d1']);
    const query = (await createHashedEmbedder({ dimensions: 64 }).embed(['Text'], { inputType: 'query' }))[0];
    await expect(store.searchVector(query, { k: 1 })).rejects.toMatchObject({ code: 'index_mismatch' });

    await store.reset();
    await write(store, documentWith('d2'), ['Text två.'], 64);
    expect((await store.searchVector(query, { k: 1 }))[0].chunk.id).toBe('d2-0');
  });

  it('builds where clauses from escaped literals only', () => {
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(filterToWhere({ committeeIds: ["x' OR '1'='1"], documentId: "a'b", type: 'yrkande' })).toBe(
      "committee_id IN ('x'' OR ''1''=''1') AND document_id = 'a''b' AND document_type = 'yrkande'",
    );
    expect(filterToWhere({ committeeIds: [] })).toBe(false);
    expect(filterToWhere({ type: "yrkande' OR 1=1" as never })).toBe(false);
    expect(filterToWhere({})).toBeUndefined();
  });
});
