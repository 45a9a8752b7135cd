/**
 * In-memory ChunkStore with its own search: BM25 over the Swedish analyzer's search terms (folded stems, stop words
 * removed), BM25 over character trigrams of folded words, and cosine similarity over float32 vectors. Pure TypeScript
 * (no `node:*`): used by the Cloudflare Worker build (loaded from a snapshot) and handy in tests. The search code is
 * `search-index.ts`, which the LanceDB store's snapshot runs too, so Node and the Worker rank alike.
 */
import { ngramTerms, searchTerms } from '../core/swedish/analyzer.ts';
import { bm25Search, buildLexicalIndex, chunkNgramTerms, chunkSearchTerms, cosineSearch, storedVector, type LexicalIndex, type StoredVector } from './search-index.ts';
import { AppError, type Chunk, type ChunkStore, type DocumentMeta, type DocumentType, type IndexInfo, type StoredDocument, type StoreFilter } from '../core/types.ts';

/** Write options of `replaceDocument` / `deleteDocument`. */
export interface StoreWriteOptions {
  /** Skip rebuilding search indexes now; `refreshIndexes()` does it (searches stay correct meanwhile). */
  deferIndexing?: boolean;
}

/** Write side shared by the LanceDB and in-memory stores (what the ingest pipeline needs). */
export interface ChunkStoreWriter {
  /** Upserts the document's chunks by id, deletes its stale chunks, and upserts the document. */
  replaceDocument(document: DocumentMeta, chunks: Chunk[], vectors: number[][], options?: StoreWriteOptions): Promise<void>;
  /** Deletes a document and its chunks; false when it was not there. */
  deleteDocument(id: string, options?: StoreWriteOptions): Promise<boolean>;
  /** Records the embedder that built the index. */
  setInfo(info: IndexInfo): Promise<void>;
  /** Empties the index (documents, chunks, info), e.g. for `--rebuild` after an embedder change. */
  reset(): Promise<void>;
  /** Rebuilds search indexes / compacts after deferred writes. */
  refreshIndexes(): Promise<void>;
  /** Writes deferred writes a store buffers (LanceDB: batched appends) now; absent when writes are immediate. */
  flush?(): Promise<void>;
}

/** A serialisable copy of a memory store (e.g. bundled into the Worker). `vector` may be omitted and recomputed. */
export interface MemoryStoreSnapshot {
  version: 1;
  info: IndexInfo | null;
  documents: StoredDocument[];
  chunks: Array<{ chunk: Chunk; vector?: number[] }>;
}

/** The in-memory store. */
export interface MemoryStore extends ChunkStore, ChunkStoreWriter {
  /** A deep copy of the contents. */
  snapshot(): MemoryStoreSnapshot;
}

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  snapshot?: MemoryStoreSnapshot;
  /** BM25 parameters (defaults k1 1.2, b 0.75). */
  k1?: number;
  b?: number;
}

interface Entry {
  chunk: Chunk;
  vector?: StoredVector;
}

function buildIndex(entries: Iterable<Entry>, analyse: (chunk: Chunk) => string[]): LexicalIndex {
  return buildLexicalIndex([...entries].map(({ chunk }) => ({ id: chunk.id, terms: analyse(chunk) })));
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Creates an in-memory store, optionally from a snapshot. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  let info: IndexInfo | null = null;
  const documents = new Map<string, StoredDocument>();
  const entries = new Map<string, Entry>();
  let textIndex: LexicalIndex | undefined;
  let ngramIndex: LexicalIndex | undefined;

  function toEntry(chunk: Chunk, vector: number[] | undefined): Entry {
    return { chunk: clone(chunk), vector: vector ? storedVector(vector) : undefined };
  }

  let revision = 0;
  function invalidate(): void {
    revision++;
    textIndex = undefined;
    ngramIndex = undefined;
  }

  function matcher(filter: StoreFilter | undefined): ((chunk: Chunk) => boolean) | false {
    if (!filter) return () => true;
    if (filter.committeeIds && filter.committeeIds.length === 0) return false;
    if (filter.documentIds && filter.documentIds.length === 0) return false;
    if (filter.kinds && filter.kinds.length === 0) return false;
    const kinds = filter.kinds ? new Set<string>(filter.kinds) : undefined;
    const committees = filter.committeeIds ? new Set(filter.committeeIds) : undefined;
    const documentIds = filter.documentIds ? new Set(filter.documentIds) : undefined;
    return (chunk) => {
      const document = documents.get(chunk.documentId);
      if (!document) return false;
      if (committees && !committees.has(document.committeeId)) return false;
      if (filter.documentId !== undefined && chunk.documentId !== filter.documentId) return false;
      if (documentIds && !documentIds.has(chunk.documentId)) return false;
      if (filter.type !== undefined && document.type !== (filter.type as DocumentType)) return false;
      if (kinds && !kinds.has(chunk.kind)) return false;
      return true;
    };
  }

  function bm25(index: LexicalIndex, terms: string[], k: number, filter: StoreFilter | undefined) {
    const matches = matcher(filter);
    if (matches === false || k <= 0) return [];
    return bm25Search(index, terms, k, (id) => {
      const entry = entries.get(id);
      return entry !== undefined && matches(entry.chunk);
    }, { k1, b }).map(({ id, score }) => ({ chunk: clone(entries.get(id)!.chunk), score }));
  }

  function ordered(chunks: Chunk[]): Chunk[] {
    return chunks.sort((first, second) => first.documentId.localeCompare(second.documentId) || first.position - second.position);
  }

  function load(snapshot: MemoryStoreSnapshot): void {
    if (snapshot.version !== 1) throw new AppError('internal', `Unsupported memory store snapshot version ${String(snapshot.version)}`);
    info = snapshot.info ? { ...snapshot.info } : null;
    for (const document of snapshot.documents) documents.set(document.id, clone(document));
    for (const { chunk, vector } of snapshot.chunks) entries.set(chunk.id, toEntry(chunk, vector));
  }

  if (options.snapshot) load(options.snapshot);

  return {
    async info() {
      return info ? { ...info } : null;
    },
    async listDocuments() {
      return [...documents.values()].map(clone).sort((a, b) => a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
    },
    async getDocument(id) {
      const document = documents.get(id);
      return document ? clone(document) : null;
    },
    async getChunks(documentId) {
      return ordered([...entries.values()].filter((entry) => entry.chunk.documentId === documentId).map((entry) => clone(entry.chunk)));
    },
    async getChunk(id) {
      const entry = entries.get(id);
      return entry ? clone(entry.chunk) : null;
    },
    async revision() {
      return String(revision);
    },
    async allChunks(filter) {
      const matches = matcher(filter);
      if (matches === false) return [];
      return ordered([...entries.values()].filter((entry) => matches(entry.chunk)).map((entry) => clone(entry.chunk)));
    },
    async searchText(query, { k, filter }) {
      textIndex ??= buildIndex(entries.values(), chunkSearchTerms);
      return bm25(textIndex, searchTerms(query), k, filter);
    },
    async searchNgram(query, { k, filter }) {
      ngramIndex ??= buildIndex(entries.values(), chunkNgramTerms);
      return bm25(ngramIndex, ngramTerms(query), k, filter);
    },
    async searchVector(vector, { k, filter }) {
      const matches = matcher(filter);
      if (matches === false || k <= 0) return [];
      const held = [...entries.values()].find((entry) => entry.vector)?.vector?.values.length;
      if (held !== undefined && held !== vector.length) {
        throw new AppError('index_mismatch', `Query vector has ${vector.length} dimensions; the index holds ${held}. Re-ingest with \`npm run ingest -- --rebuild\``);
      }
      return cosineSearch(entries.values(), vector, k, (entry) => entry.vector, (entry) => entry.chunk.id, (entry) => matches(entry.chunk)).map((result) => ({
        chunk: clone(result.candidate.chunk),
        score: result.score,
      }));
    },
    async replaceDocument(document, chunks, vectors) {
      if (chunks.length !== vectors.length) {
        throw new AppError('internal', `replaceDocument(${document.id}): ${chunks.length} chunks but ${vectors.length} vectors`);
      }
      const foreign = chunks.find((chunk) => chunk.documentId !== document.id);
      if (foreign) throw new AppError('internal', `replaceDocument(${document.id}): chunk ${foreign.id} belongs to ${foreign.documentId}`);
      const dimensions = info?.dimensions ?? [...entries.values()].find((entry) => entry.vector)?.vector?.values.length;
      const wrong = vectors.find((vector) => dimensions !== undefined && vector.length !== dimensions);
      if (wrong) {
        throw new AppError('index_mismatch', `The index holds ${dimensions}-dimensional vectors; got ${wrong.length}. Re-ingest with \`npm run ingest -- --rebuild\``);
      }
      for (const [id, entry] of entries) if (entry.chunk.documentId === document.id) entries.delete(id);
      chunks.forEach((chunk, index) => entries.set(chunk.id, toEntry(chunk, vectors[index])));
      documents.set(document.id, { ...clone(document), chunks: chunks.length });
      invalidate();
    },
    async deleteDocument(id) {
      const existed = documents.delete(id);
      for (const [chunkId, entry] of entries) if (entry.chunk.documentId === id) entries.delete(chunkId);
      invalidate();
      return existed;
    },
    async setInfo(next) {
      info = { embedder: next.embedder, dimensions: next.dimensions };
    },
    async reset() {
      info = null;
      documents.clear();
      entries.clear();
      invalidate();
    },
    async refreshIndexes() {
      textIndex = buildIndex(entries.values(), chunkSearchTerms);
      ngramIndex = buildIndex(entries.values(), chunkNgramTerms);
    },
    snapshot() {
      return {
        version: 1,
        info: info ? { ...info } : null,
        documents: [...documents.values()].map(clone),
        chunks: [...entries.values()].map((entry) => ({ chunk: clone(entry.chunk), vector: entry.vector ? Array.from(entry.vector.values) : undefined })),
      };
    },
  };
}
