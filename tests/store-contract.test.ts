/**
 * One contract suite for every ChunkStore + writer: the LanceDB store (temp folder) and the in-memory store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { searchTerms, words } from '../src/core/swedish/analyzer.ts';
import type { Chunk, DocumentMeta } from '../src/core/types.ts';
import type { IngestStore } from '../ingest/pipeline.ts';

const embedder = createHashedEmbedder({ dimensions: 128 });

const centrum: DocumentMeta = {
  id: 'doc-centrum',
  source: 'centrum.txt',
  title: 'Verksamhetsplan 2024 Socialnämnden Centrum',
  committee: 'Socialnämnden Centrum',
  committeeId: 'socialnamnden-centrum',
  type: 'verksamhetsplan',
  status: 'beslutad',
  year: 2024,
  contentHash: 'a'.repeat(64),
};

const nordost: DocumentMeta = {
  id: 'doc-nordost',
  source: 'nordost.txt',
  title: 'Yrkande Genomförandeplan 2025',
  committee: 'Socialnämnden Nordost',
  committeeId: 'socialnamnden-nordost',
  type: 'yrkande',
  status: 'yrkande',
  year: 2025,
  date: '2024-11-18',
  parties: ['V', 'S', 'MP'],
  diarienummer: 'SNNO-2024-00042',
  decision: { body: 'Socialnämnden Nordost', date: '2024-12-10', paragraph: '201' },
  signatories: ['Anna Exempel, förvaltningsdirektör'],
  contentHash: 'b'.repeat(64),
};

function chunk(document: DocumentMeta, position: number, text: string, extra: Partial<Chunk> = {}): Chunk {
  return {
    id: `${document.id}-c${position}`,
    documentId: document.id,
    position,
    section: ['Uppdrag', 'Från nämnden'],
    kind: 'uppdrag',
    text,
    originalText: text,
    start: position * 100,
    end: position * 100 + text.length,
    context: `${document.title} · ${document.committee}`,
    ...extra,
  };
}

const centrumChunks: Chunk[] = [
  chunk(centrum, 0, 'Säkerställa att stödet till familjehemmen blir likvärdigt över staden.', { assignmentYear: 2023, handling: 'Omhändertas i ordinarie verksamhet' }),
  chunk(centrum, 1, 'Öka andelen jourhem och hem för vård och boende i egen regi.', { section: [], kind: 'text' }),
  chunk(centrum, 2, 'Ndmnden ska fokusera pé tidiga och férebyggande insatser mot fattigdom.', { kind: 'inriktning', section: ['Mål', '1. Jämlik stad'] }),
];
const nordostChunks: Chunk[] = [
  chunk(nordost, 0, 'Utveckla avlastningsfamiljer och mentorsfamiljer för familjehemsplaceringar.'),
  chunk(nordost, 1, 'Budgeten för 2025 är beslutad av kommunfullmäktige.', { kind: 'text', section: ['Inledning'] }),
];

async function vectorsOf(chunks: Chunk[]): Promise<number[][]> {
  return embedder.embed(chunks.map((item) => `${item.context}\n${item.text}`), { inputType: 'document' });
}

const temporaryFolders: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryFolders.map((folder) => rm(folder, { recursive: true, force: true })));
});

const factories: Array<[string, () => Promise<IngestStore>]> = [
  [
    'LanceDB store',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'planassistenten-contract-'));
      temporaryFolders.push(folder);
      return createLanceStore({ directory: folder });
    },
  ],
  [
    'LanceDB store without the in-memory snapshot (in-memory text index and chunk fields), writing in batches of two chunks',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'planassistenten-contract-'));
      temporaryFolders.push(folder);
      return createLanceStore({ directory: folder, snapshotLimit: 0, writeBatchChunks: 2 });
    },
  ],
  [
    'LanceDB store without the in-memory snapshot or chunk fields (in-memory text index, chunks read by row id)',
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'planassistenten-contract-'));
      temporaryFolders.push(folder);
      return createLanceStore({ directory: folder, snapshotLimit: 0, chunkRowsLimit: 0, writeBatchChunks: 3 });
    },
  ],
  [
    "LanceDB store on LanceDB's own full-text index (no snapshot, no in-memory text index)",
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'planassistenten-contract-'));
      temporaryFolders.push(folder);
      return createLanceStore({ directory: folder, snapshotLimit: 0, textIndexLimit: 0 });
    },
  ],
  ['memory store', async () => createMemoryStore()],
];

describe.each(factories)('ChunkStore contract: %s', (_name, createStore) => {
  let store: IngestStore;

  async function fill(): Promise<void> {
    await store.setInfo({ embedder: embedder.modelId, dimensions: embedder.dimensions });
    await store.replaceDocument(centrum, centrumChunks, await vectorsOf(centrumChunks));
    await store.replaceDocument(nordost, nordostChunks, await vectorsOf(nordostChunks));
  }

  beforeEach(async () => {
    store = await createStore();
  });

  it('starts empty and answers every read without failing', async () => {
    expect(await store.info()).toBeNull();
    expect(await store.listDocuments()).toEqual([]);
    expect(await store.getDocument('doc-centrum')).toBeNull();
    expect(await store.getChunks('doc-centrum')).toEqual([]);
    expect(await store.getChunk('x')).toBeNull();
    expect(await store.allChunks()).toEqual([]);
    expect(await store.searchText('familjehem', { k: 5 })).toEqual([]);
    expect(await store.searchNgram('familjehem', { k: 5 })).toEqual([]);
    expect(await store.searchVector(new Array(128).fill(0.1), { k: 5 })).toEqual([]);
  });

  it('reads back documents and chunks exactly, ordered by position', async () => {
    await fill();
    expect(await store.info()).toEqual({ embedder: 'builtin-hash-v2', dimensions: 128 });
    expect(await store.listDocuments()).toEqual([
      { ...centrum, chunks: 3 },
      { ...nordost, chunks: 2 },
    ]);
    expect(await store.getDocument('doc-nordost')).toEqual({ ...nordost, chunks: 2 });
    expect(await store.getChunks('doc-centrum')).toEqual(centrumChunks);
    expect(await store.getChunk('doc-centrum-c0')).toEqual(centrumChunks[0]);
    expect(await store.allChunks()).toEqual([...centrumChunks, ...nordostChunks]);
  });

  it('keeps a record chunk\'s named fields and origin', async () => {
    const fritid: DocumentMeta = { ...centrum, id: 'doc-fritid', source: 'fritid.txt', committee: 'Fritidsnämnden', committeeId: 'fritidsnamnden', contentHash: 'c'.repeat(64) };
    const records = [
      chunk(fritid, 0, 'Andel barn i föreningsliv (%) 71 74 78', {
        kind: 'tabellrad',
        section: ['Indikatorer'],
        fields: { Indikator: 'Andel barn i föreningsliv (%)', 'Utfall 2023': '71', 'Utfall 2024': '74', 'Målvärde 2025': '78' },
      }),
      chunk(fritid, 1, 'Förvaltningen får i uppdrag att öppna fler fritidsgårdar.', { origin: 'nämnd' }),
    ];
    await store.replaceDocument(fritid, records, await vectorsOf(records));
    expect(await store.getChunks('doc-fritid')).toEqual(records);
  });

  it('filters by committee, document and type; an empty committee list matches nothing', async () => {
    await fill();
    expect((await store.allChunks({ documentIds: ['doc-nordost'] })).map((item) => item.id)).toEqual(['doc-nordost-c0', 'doc-nordost-c1']);
    expect(await store.allChunks({ documentIds: [] })).toEqual([]);
    expect((await store.searchText('familjehem', { k: 5, filter: { documentIds: ['doc-centrum'] } })).every((hit) => hit.chunk.documentId === 'doc-centrum')).toBe(true);
    expect((await store.allChunks({ committeeIds: ['socialnamnden-nordost'] })).map((item) => item.id)).toEqual(['doc-nordost-c0', 'doc-nordost-c1']);
    expect((await store.allChunks({ documentId: 'doc-centrum', type: 'verksamhetsplan' })).length).toBe(3);
    expect(await store.allChunks({ documentId: 'doc-centrum', type: 'yrkande' })).toEqual([]);
    expect(await store.allChunks({ committeeIds: [] })).toEqual([]);
    const hits = await store.searchText('familjehem', { k: 10, filter: { committeeIds: ['socialnamnden-centrum'] } });
    expect(hits.every((hit) => hit.chunk.documentId === 'doc-centrum')).toBe(true);
    expect(hits.length).toBeGreaterThan(0);
    const vectorHits = await store.searchVector((await vectorsOf([nordostChunks[0]]))[0], { k: 10, filter: { type: 'verksamhetsplan' } });
    expect(vectorHits.map((hit) => hit.chunk.documentId)).toEqual(['doc-centrum', 'doc-centrum', 'doc-centrum']);
  });

  it('selects chunks by kind, with the other filters; an empty or unknown kind list matches nothing', async () => {
    await fill();
    expect((await store.allChunks({ kinds: ['uppdrag'] })).map((item) => item.id)).toEqual(['doc-centrum-c0', 'doc-nordost-c0']);
    expect((await store.allChunks({ kinds: ['text', 'inriktning'], committeeIds: ['socialnamnden-centrum'] })).map((item) => item.id)).toEqual(['doc-centrum-c1', 'doc-centrum-c2']);
    expect((await store.allChunks({ kinds: ['uppdrag'], documentIds: ['doc-nordost'] })).map((item) => item.id)).toEqual(['doc-nordost-c0']);
    expect(await store.allChunks({ kinds: [] })).toEqual([]);
    expect(await store.allChunks({ kinds: ["uppdrag' OR '1'='1" as never] })).toEqual([]);
    const hits = await store.searchText('familjehem', { k: 10, filter: { kinds: ['uppdrag'] } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.chunk.kind === 'uppdrag')).toBe(true);
  });

  it('streams every chunk\'s text and section when it offers chunkTexts (the same as allChunks)', async () => {
    if (!store.chunkTexts) return; // optional: the memory store has every chunk in memory anyway
    const read = async () => {
      const out: string[] = [];
      for await (const batch of store.chunkTexts!()) out.push(...batch.map((item) => JSON.stringify(item)));
      return out.sort();
    };
    expect(await read()).toEqual([]);
    await fill();
    expect(await read()).toEqual((await store.allChunks()).map((item) => JSON.stringify({ id: item.id, text: item.text, section: item.section, documentId: item.documentId, kind: item.kind })).sort());
  });

  it('revision changes on every write and stays the same between reads', async () => {
    const revision = () => store.revision!();
    const empty = await revision();
    expect(await revision()).toBe(empty);
    await fill();
    const filled = await revision();
    expect(filled).not.toBe(empty);
    await store.listDocuments();
    await store.searchText('familjehem', { k: 5 });
    expect(await revision()).toBe(filled);
    const changed = [chunk(nordost, 0, 'Utveckla stödet till kontaktfamiljer.')];
    await store.replaceDocument(nordost, changed, await vectorsOf(changed));
    const replaced = await revision();
    expect(replaced).not.toBe(filled);
    await store.deleteDocument('doc-nordost');
    expect(await revision()).not.toBe(replaced);
  });

  it('treats injection-looking filter values and query syntax as plain values', async () => {
    await fill();
    expect(await store.allChunks({ committeeIds: ["x' OR '1'='1"] })).toEqual([]);
    expect(await store.allChunks({ documentId: "' OR 1=1 --" })).toEqual([]);
    expect(await store.searchText('familjehem', { k: 5, filter: { documentId: "doc-centrum' OR document_id != '" } })).toEqual([]);
    expect(await store.getChunk("' OR '1'='1")).toBeNull();
    expect(await store.getChunks("doc-centrum' OR '1'='1")).toEqual([]);
    const tricky = await store.searchText('familjehem" OR text:* AND (NOT ~2 ^3 -- ;', { k: 5 });
    expect(tricky[0]?.chunk.id).toBe('doc-centrum-c0');
    expect(await store.searchNgram('"(*:', { k: 5 })).toEqual([]);
  });

  it('full-text search stems Swedish: "familjehem" finds "familjehemmen", folded spelling finds å/ä/ö', async () => {
    await fill();
    const hits = await store.searchText('familjehem', { k: 5 });
    expect(hits[0].chunk.id).toBe('doc-centrum-c0');
    expect(hits[0].score).toBeGreaterThan(0);
    expect((await store.searchText('Stodet till familjehemmen', { k: 1 }))[0].chunk.id).toBe('doc-centrum-c0');
    expect((await store.searchText('beslutad kommunfullmaktige', { k: 1 }))[0].chunk.id).toBe('doc-nordost-c1');
    expect(await store.searchText('och för att', { k: 5 })).toEqual([]);
    expect((await store.searchText('familjehem', { k: 1 })).length).toBe(1);
  });

  it('full-text search matches exactly the chunks holding an analyzer term of the query (no second analysis)', async () => {
    await fill();
    const all = [...centrumChunks, ...nordostChunks];
    const termsOf = new Map(all.map((item) => [item.id, new Set(searchTerms(`${item.context}\n${item.text}`))]));
    const queries = [...new Set(all.flatMap((item) => words(`${item.context} ${item.text}`).map((word) => word.surface)))];
    expect(queries.length).toBeGreaterThan(40);
    for (const query of queries) {
      const wanted = new Set(searchTerms(query));
      const expected = all.filter((item) => [...wanted].some((term) => termsOf.get(item.id)!.has(term))).map((item) => item.id).sort();
      const hits = (await store.searchText(query, { k: 50 })).map((hit) => hit.chunk.id).sort();
      expect(hits, query).toEqual(expected);
    }
  });

  it('id-first search (when offered) ranks exactly like the chunk search, and chunksByIds reads chunks in the order asked', async (context) => {
    if (!store.searchTextIds || !store.searchVectorIds || !store.chunksByIds) return context.skip();
    await fill();
    const filters = [undefined, { committeeIds: ['socialnamnden-nordost'] }, { documentIds: ['doc-centrum'] }, { kinds: ['uppdrag' as const] }, { committeeIds: [] }];
    for (const filter of filters) {
      for (const query of ['familjehem', 'jourhem i egen regi', 'budget 2025 kommunfullmäktige']) {
        const chunks = await store.searchText(query, { k: 4, filter });
        expect(await store.searchTextIds(query, { k: 4, filter })).toEqual(chunks.map((hit) => ({ id: hit.chunk.id, score: hit.score })));
      }
      const [vector] = await vectorsOf([centrumChunks[2]]);
      const nearest = await store.searchVector(vector, { k: 3, filter });
      const ids = await store.searchVectorIds(vector, { k: 3, filter });
      expect(ids.map((hit) => hit.id)).toEqual(nearest.map((hit) => hit.chunk.id));
      ids.forEach((hit, index) => expect(hit.score).toBeCloseTo(nearest[index].score, 5));
    }
    const wanted = ['doc-nordost-c1', 'no-such-chunk', 'doc-centrum-c0', 'doc-centrum-c2'];
    const read = await store.chunksByIds(wanted);
    expect(read.map((chunk) => chunk.id)).toEqual(['doc-nordost-c1', 'doc-centrum-c0', 'doc-centrum-c2']);
    expect(read[1]).toEqual(await store.getChunk('doc-centrum-c0'));
    expect(await store.chunksByIds([])).toEqual([]);
  });

  it('n-gram search finds compounds and OCR-damaged words', async () => {
    await fill();
    expect((await store.searchNgram('placering', { k: 1 }))[0].chunk.id).toBe('doc-nordost-c0');
    expect((await store.searchNgram('förebyggande', { k: 1 }))[0].chunk.id).toBe('doc-centrum-c2');
    const damaged = await store.searchNgram('nämnden fattigdom', { k: 5 });
    expect(damaged[0].chunk.id).toBe('doc-centrum-c2');
  });

  it('vector search returns cosine similarity, best first', async () => {
    await fill();
    const [query] = await vectorsOf([centrumChunks[1]]);
    const hits = await store.searchVector(query, { k: 3 });
    expect(hits).toHaveLength(3);
    expect(hits[0].chunk.id).toBe('doc-centrum-c1');
    expect(hits[0].score).toBeCloseTo(1, 4);
    expect(hits[1].score).toBeLessThan(hits[0].score);
    expect(hits[0].chunk).toEqual(centrumChunks[1]);
  });

  it('replaceDocument upserts by chunk id and removes stale chunks; deleteDocument removes everything', async () => {
    await fill();
    const changed = [{ ...centrumChunks[0], text: 'Ny text om familjehemmen och kompetensutveckling.' }];
    await store.replaceDocument({ ...centrum, contentHash: 'c'.repeat(64) }, changed, await vectorsOf(changed));
    expect(await store.getChunks('doc-centrum')).toEqual(changed);
    expect((await store.getDocument('doc-centrum'))?.chunks).toBe(1);
    expect((await store.getDocument('doc-centrum'))?.contentHash).toBe('c'.repeat(64));
    expect(await store.getChunk('doc-centrum-c2')).toBeNull();
    expect((await store.searchNgram('férebyggande', { k: 5 })).some((hit) => hit.chunk.id === 'doc-centrum-c2')).toBe(false);
    expect((await store.searchText('kompetensutveckling', { k: 5 }))[0].chunk.id).toBe('doc-centrum-c0');
    expect(await store.getChunks('doc-nordost')).toEqual(nordostChunks);

    expect(await store.deleteDocument('doc-nordost')).toBe(true);
    expect(await store.deleteDocument('doc-nordost')).toBe(false);
    expect(await store.getDocument('doc-nordost')).toBeNull();
    expect(await store.allChunks()).toEqual(changed);
    expect(await store.searchText('avlastningsfamiljer', { k: 5 })).toEqual([]);
  });

  it('deferred writes are searchable before and after refreshIndexes', async () => {
    await store.setInfo({ embedder: embedder.modelId, dimensions: 128 });
    await store.replaceDocument(centrum, centrumChunks, await vectorsOf(centrumChunks), { deferIndexing: true });
    expect((await store.searchText('familjehem', { k: 1 }))[0]?.chunk.id).toBe('doc-centrum-c0');
    await store.refreshIndexes();
    expect((await store.searchText('familjehem', { k: 1 }))[0]?.chunk.id).toBe('doc-centrum-c0');
    expect((await store.searchNgram('jourhem', { k: 1 }))[0]?.chunk.id).toBe('doc-centrum-c1');
  });

  it('rejects chunks of another document and vector counts that do not match', async () => {
    await expect(store.replaceDocument(centrum, nordostChunks, await vectorsOf(nordostChunks))).rejects.toThrow(/belongs to/);
    await expect(store.replaceDocument(centrum, centrumChunks, [])).rejects.toThrow(/vectors/);
  });

  it('reset empties documents, chunks and info', async () => {
    await fill();
    await store.reset();
    expect(await store.info()).toBeNull();
    expect(await store.listDocuments()).toEqual([]);
    expect(await store.allChunks()).toEqual([]);
    expect(await store.searchText('familjehem', { k: 5 })).toEqual([]);
  });
});
