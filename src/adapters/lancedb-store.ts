/**
 * ChunkStore on LanceDB (Node): one `chunks` table (vector, text and metadata columns, Swedish FTS index and n-gram FTS
 * index), a `documents` table (DocumentMeta + chunk count) and an `index_info` table (embedder model id + dimensions).
 *
 * Readers open the connection with `readConsistencyInterval: 0`, so a server that is running while `npm run ingest`
 * writes sees every new version on its next query.
 */
import * as lancedb from '@lancedb/lancedb';
import { Index, MatchQuery } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import { textSearchTerms, wordsOf } from '../core/embedding/hashed-embedder.ts';
import { foldSwedish } from '../core/swedish/fold.ts';
import {
  AppError,
  CHUNK_KINDS,
  DOCUMENT_TYPES,
  type Chunk,
  type ChunkKind,
  type ChunkStore,
  type DocumentMeta,
  type DocumentStatus,
  type DocumentType,
  type IndexInfo,
  type StoredDocument,
  type StoreFilter,
} from '../core/types.ts';
import type { ChunkStoreWriter, StoreWriteOptions } from './memory-store.ts';

export type { ChunkStoreWriter, StoreWriteOptions };

/** The LanceDB store: read port + write side. */
export interface LanceStore extends ChunkStore, ChunkStoreWriter {
  /** The folder of the database. */
  directory: string;
  /** Closes the table handles and the connection. */
  close(): Promise<void>;
}

/** Options of `createLanceStore`. */
export interface LanceStoreOptions {
  /** Database folder (created when missing). */
  directory: string;
  /** Name of the chunk table (default `chunks`); the documents and info tables get the same prefix. */
  tableName?: string;
  /** Seconds between checks for new versions written by other processes (default 0 = every read). */
  readConsistencyInterval?: number;
  /**
   * From this many chunks on, `refreshIndexes` builds a vector index and scalar indexes on the filter columns
   * (default 5000; below it flat scans are faster than the index's training and probing costs).
   */
  indexThreshold?: number;
  /** Kind of vector index built at `indexThreshold` (default `ivf_hnsw_sq`; `none` keeps flat scans). */
  vectorIndex?: VectorIndexKind;
  /**
   * Up to this many chunks, chunk reads other than full-text search (vector search, allChunks, getChunks, getChunk)
   * are served from an in-memory snapshot of the chunk table, reloaded when its version changes (default 5000,
   * 0 = never). Exact flat cosine like LanceDB's unindexed scan, without the per-call costs.
   */
  snapshotLimit?: number;
  /** Deferred writes (`deferIndexing`) are buffered and written in batches of about this many chunks (default 4096). */
  writeBatchChunks?: number;
}

/** Vector index kinds the store can build (see eval/BENCHMARKS.md for their recall and latency). */
export type VectorIndexKind = 'ivf_pq' | 'ivf_hnsw_sq' | 'none';

/**
 * IVF partitions probed per query: a fifth of the partitions, at least 20 (recall@10 0.99 at 10k with 20 of 39; 20 of
 * 342 gave 0.87 at 117k, see eval/BENCHMARKS.md).
 */
export function vectorProbesFor(rows: number): number {
  return Math.max(20, Math.ceil(ivfPartitionsFor(rows) / 5));
}

/** Partitions of an IVF index for `rows` vectors: about √rows, at least 1, at most rows / 256 for training. */
export function ivfPartitionsFor(rows: number): number {
  return Math.max(1, Math.min(Math.round(Math.sqrt(rows)), Math.floor(rows / 256)));
}


const CHUNK_COLUMNS = [
  'id', 'document_id', 'position', 'section', 'kind', 'text', 'original_text', 'start_offset', 'end_offset',
  'assignment_year', 'handling', 'record', 'context', 'committee_id', 'document_type', 'year',
] as const;

/** Swedish full-text config: stemming, stop words, lower case, ascii folding (not the English default). */
const SWEDISH_FTS = {
  baseTokenizer: 'simple',
  language: 'Swedish',
  stem: true,
  removeStopWords: true,
  lowercase: true,
  asciiFolding: true,
  withPosition: false,
} as const;

/** Character trigrams over folded text for compounds and OCR-damaged words. */
const NGRAM_FTS = {
  baseTokenizer: 'ngram',
  ngramMinLength: 3,
  ngramMaxLength: 3,
  prefixOnly: false,
  lowercase: true,
  asciiFolding: true,
  stem: false,
  removeStopWords: false,
  withPosition: false,
} as const;

function chunkSchema(dimensions: number): Schema {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('document_id', new Utf8(), false),
    new Field('position', new Int32(), false),
    new Field('section', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('original_text', new Utf8(), false),
    new Field('start_offset', new Int32(), false),
    new Field('end_offset', new Int32(), false),
    new Field('assignment_year', new Int32(), true),
    new Field('handling', new Utf8(), true),
    new Field('record', new Utf8(), true),
    new Field('context', new Utf8(), false),
    new Field('committee_id', new Utf8(), false),
    new Field('document_type', new Utf8(), false),
    new Field('year', new Int32(), true),
    new Field('indexed_text', new Utf8(), false),
    new Field('ngram_text', new Utf8(), false),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
  ]);
}

const DOCUMENT_SCHEMA = new Schema([
  new Field('id', new Utf8(), false),
  new Field('source', new Utf8(), false),
  new Field('title', new Utf8(), false),
  new Field('committee', new Utf8(), false),
  new Field('committee_id', new Utf8(), false),
  new Field('type', new Utf8(), false),
  new Field('status', new Utf8(), false),
  new Field('year', new Int32(), true),
  new Field('date', new Utf8(), true),
  new Field('parties', new Utf8(), true),
  new Field('details', new Utf8(), true),
  new Field('content_hash', new Utf8(), false),
  new Field('chunks', new Int32(), false),
]);

const INFO_SCHEMA = new Schema([
  new Field('embedder', new Utf8(), false),
  new Field('dimensions', new Int32(), false),
  new Field('updated_at', new Utf8(), false),
]);

/**
 * With a vector index: at least this many candidates are re-ranked on the full vectors (the refine factor is
 * ⌈100 / k⌉: 10 for k = 10, 1 for the retriever's k = 120), and the HNSW search breadth. At 118k chunks re-ranking
 * 100+ candidates lifts recall@10 from 0.89 (quantised distances) to 0.97; re-ranking 5 × 120 cost 3× the time for
 * +0.006 (eval/vector-tune.ts, see BENCHMARKS).
 */
const VECTOR_RERANKED = 100;
const VECTOR_EF = 300;

/** The refine factor and HNSW ef of an indexed query for `k` neighbours (see `VECTOR_RERANKED`). */
export function vectorQueryParameters(k: number): { refineFactor: number; ef: number } {
  const refineFactor = Math.max(1, Math.ceil(VECTOR_RERANKED / Math.max(1, k)));
  return { refineFactor, ef: Math.max(VECTOR_EF, k * refineFactor) };
}

/** A SQL string literal: single quotes doubled, NUL removed. */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, "''")}'`;
}

/** Builds the where clause of a filter from escaped literals only; `false` when nothing can match. */
export function filterToWhere(filter: StoreFilter | undefined): string | undefined | false {
  if (!filter) return undefined;
  const clauses: string[] = [];
  if (filter.committeeIds) {
    if (filter.committeeIds.length === 0) return false;
    clauses.push(`committee_id IN (${filter.committeeIds.map((id) => sqlLiteral(String(id))).join(', ')})`);
  }
  if (filter.documentId !== undefined) clauses.push(`document_id = ${sqlLiteral(String(filter.documentId))}`);
  if (filter.documentIds) {
    if (filter.documentIds.length === 0) return false;
    clauses.push(`document_id IN (${filter.documentIds.map((id) => sqlLiteral(String(id))).join(', ')})`);
  }
  if (filter.type !== undefined) {
    if (!DOCUMENT_TYPES.includes(filter.type)) return false;
    clauses.push(`document_type = ${sqlLiteral(filter.type)}`);
  }
  if (filter.kinds) {
    const kinds = filter.kinds.filter((kind) => (CHUNK_KINDS as readonly string[]).includes(kind));
    if (kinds.length === 0) return false;
    clauses.push(`kind IN (${kinds.map((kind) => sqlLiteral(kind)).join(', ')})`);
  }
  return clauses.length ? clauses.join(' AND ') : undefined;
}

/** The text the Swedish FTS index sees: context, text, and a line of our own folded stems (see `textSearchTerms`). */
export function indexedTextOf(chunk: Pick<Chunk, 'context' | 'text'>): string {
  return `${chunk.context}\n${chunk.text}\n${textSearchTerms(`${chunk.context} ${chunk.text}`).join(' ')}`;
}

/** The text the n-gram index sees: folded words of context and text. */
export function ngramTextOf(chunk: Pick<Chunk, 'context' | 'text'>): string {
  return wordsOf(foldSwedish(`${chunk.context} ${chunk.text}`)).join(' ');
}

/** A full-text query built from words only (no query syntax can get through). */
function textQueryOf(query: string): string {
  const words = wordsOf(query);
  const stems = textSearchTerms(query);
  return [...new Set([...words, ...stems])].join(' ');
}

function toChunkRow(chunk: Chunk, vector: number[], document: DocumentMeta): Record<string, unknown> {
  return {
    id: chunk.id,
    document_id: chunk.documentId,
    position: chunk.position,
    section: JSON.stringify(chunk.section),
    kind: chunk.kind,
    text: chunk.text,
    original_text: chunk.originalText,
    start_offset: chunk.start,
    end_offset: chunk.end,
    assignment_year: chunk.assignmentYear ?? null,
    handling: chunk.handling ?? null,
    record: chunk.fields || chunk.origin ? JSON.stringify({ fields: chunk.fields, origin: chunk.origin }) : null,
    context: chunk.context,
    committee_id: document.committeeId,
    document_type: document.type,
    year: document.year ?? null,
    indexed_text: indexedTextOf(chunk),
    ngram_text: ngramTextOf(chunk),
    vector,
  };
}

function fromChunkRow(row: Record<string, any>): Chunk {
  const chunk: Chunk = {
    id: row.id,
    documentId: row.document_id,
    position: Number(row.position),
    section: JSON.parse(row.section),
    kind: row.kind as ChunkKind,
    text: row.text,
    originalText: row.original_text,
    start: Number(row.start_offset),
    end: Number(row.end_offset),
    context: row.context,
  };
  if (row.assignment_year !== null && row.assignment_year !== undefined) chunk.assignmentYear = Number(row.assignment_year);
  if (row.handling !== null && row.handling !== undefined) chunk.handling = row.handling;
  if (row.record !== null && row.record !== undefined) {
    const record = JSON.parse(row.record) as Pick<Chunk, 'fields' | 'origin'>;
    if (record.fields) chunk.fields = record.fields;
    if (record.origin) chunk.origin = record.origin;
  }
  return chunk;
}

function toDocumentRow(document: DocumentMeta, chunks: number): Record<string, unknown> {
  return {
    id: document.id,
    source: document.source,
    title: document.title,
    committee: document.committee,
    committee_id: document.committeeId,
    type: document.type,
    status: document.status,
    year: document.year ?? null,
    date: document.date ?? null,
    parties: document.parties ? JSON.stringify(document.parties) : null,
    details:
      document.diarienummer || document.decision || document.signatories
        ? JSON.stringify({ diarienummer: document.diarienummer, decision: document.decision, signatories: document.signatories })
        : null,
    content_hash: document.contentHash,
    chunks,
  };
}

function fromDocumentRow(row: Record<string, any>): StoredDocument {
  const document: StoredDocument = {
    id: row.id,
    source: row.source,
    title: row.title,
    committee: row.committee,
    committeeId: row.committee_id,
    type: row.type as DocumentType,
    status: row.status as DocumentStatus,
    contentHash: row.content_hash,
    chunks: Number(row.chunks),
  };
  if (row.year !== null && row.year !== undefined) document.year = Number(row.year);
  if (row.date !== null && row.date !== undefined) document.date = row.date;
  if (row.parties !== null && row.parties !== undefined) document.parties = JSON.parse(row.parties);
  if (row.details !== null && row.details !== undefined) {
    const details = JSON.parse(row.details) as Pick<DocumentMeta, 'diarienummer' | 'decision' | 'signatories'>;
    if (details.diarienummer) document.diarienummer = details.diarienummer;
    if (details.decision) document.decision = details.decision;
    if (details.signatories) document.signatories = details.signatories;
  }
  return document;
}

function byDocumentAndPosition(a: Chunk, b: Chunk): number {
  return a.documentId.localeCompare(b.documentId) || a.position - b.position;
}

/** Opens (or creates on first write) a LanceDB store in `directory`. */
export async function createLanceStore(options: LanceStoreOptions): Promise<LanceStore> {
  const prefix = options.tableName ?? 'chunks';
  const names = { chunks: prefix, documents: `${prefix}_documents`, info: `${prefix}_index_info` };
  const connection = await lancedb.connect(options.directory, { readConsistencyInterval: options.readConsistencyInterval ?? 0 });
  const tables = new Map<string, lancedb.Table>();

  async function openTable(name: string): Promise<lancedb.Table | undefined> {
    const cached = tables.get(name);
    if (cached) return cached;
    const existing = await connection.tableNames();
    if (!existing.includes(name)) return undefined;
    const table = await connection.openTable(name);
    const required = name === names.chunks ? 'record' : name === names.documents ? 'details' : undefined;
    if (required && !(await table.schema()).fields.some((field) => field.name === required)) {
      table.close();
      throw new AppError(
        'index_mismatch',
        `The index in ${options.directory} was built by an older version of Planassistenten (table ${name} has no column "${required}"). Re-ingest with \`npm run ingest -- --rebuild\``,
      );
    }
    tables.set(name, table);
    return table;
  }

  /** Counts tables this handle re-created (a re-created table's versions start again). */
  let generation = 0;

  async function createTable(name: string, schema: Schema): Promise<lancedb.Table> {
    generation++;
    const table = await connection.createEmptyTable(name, schema, { mode: 'overwrite' });
    tables.get(name)?.close();
    tables.set(name, table);
    if (name === names.chunks) {
      chunkTableState = undefined;
      snapshotCache = undefined;
    }
    if (name === names.documents) documentCache = undefined;
    return table;
  }

  async function vectorDimensions(table: lancedb.Table): Promise<number> {
    const field = (await table.schema()).fields.find((candidate) => candidate.name === 'vector');
    return (field?.type as FixedSizeList | undefined)?.listSize ?? 0;
  }

  async function chunkTableFor(dimensions: number): Promise<lancedb.Table> {
    const table = await openTable(names.chunks);
    if (!table) return createTable(names.chunks, chunkSchema(dimensions));
    const existing = await vectorDimensions(table);
    if (existing !== dimensions) {
      if ((await table.countRows()) === 0) return createTable(names.chunks, chunkSchema(dimensions));
      throw new AppError(
        'index_mismatch',
        `The index holds ${existing}-dimensional vectors; got ${dimensions}. Re-ingest with \`npm run ingest -- --rebuild\``,
      );
    }
    return table;
  }

  const indexThreshold = options.indexThreshold ?? 5000;
  const vectorIndexKind = options.vectorIndex ?? 'ivf_hnsw_sq';
  const writeBatchChunks = Math.max(1, options.writeBatchChunks ?? 4096);
  /** Per chunk-table handle: vector size and whether a vector index exists (both change only on write by us or others). */
  let chunkTableState: { version: number; dimensions: number; vectorIndex: boolean; rows: number } | undefined;

  async function rebuildIndexes(): Promise<void> {
    const table = await openTable(names.chunks);
    if (!table) return;
    await table.createIndex('indexed_text', { config: Index.fts(SWEDISH_FTS), replace: true });
    await table.createIndex('ngram_text', { config: Index.fts(NGRAM_FTS), replace: true });
    const rows = await table.countRows();
    const existing = new Set((await table.listIndices()).flatMap((index) => index.columns));
    if (rows >= indexThreshold) {
      for (const column of ['id', 'document_id']) await table.createIndex(column, { config: Index.btree(), replace: true });
      for (const column of ['committee_id', 'document_type']) await table.createIndex(column, { config: Index.bitmap(), replace: true });
      if (vectorIndexKind !== 'none') {
        const dimensions = await vectorDimensions(table);
        const numPartitions = ivfPartitionsFor(rows);
        const config =
          vectorIndexKind === 'ivf_pq'
            ? Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors: dimensions % 16 === 0 ? dimensions / 16 : undefined })
            : Index.hnswSq({ distanceType: 'cosine', numPartitions });
        await table.createIndex('vector', { config, replace: true });
      }
    } else if (existing.has('vector')) {
      // The corpus shrank below the threshold: back to exact flat scans.
      const vectorIndex = (await table.listIndices()).find((index) => index.columns.includes('vector'));
      if (vectorIndex) await table.dropIndex(vectorIndex.name);
    }
    chunkTableState = undefined;
  }

  /** Vector size and vector-index presence of the chunk table, re-read only when its version changed. */
  async function chunkState(table: lancedb.Table): Promise<{ dimensions: number; vectorIndex: boolean; rows: number }> {
    const version = await table.version();
    if (chunkTableState?.version === version) return chunkTableState;
    const [dimensions, indices, rows] = await Promise.all([vectorDimensions(table), table.listIndices(), table.countRows()]);
    chunkTableState = { version, dimensions, vectorIndex: indices.some((index) => index.columns.includes('vector')), rows };
    return chunkTableState;
  }

  const snapshotLimit = options.snapshotLimit ?? 5000;
  interface SnapshotRow {
    chunk: Chunk;
    committeeId: string;
    documentType: string;
    vector: Float32Array;
    norm: number;
  }
  interface Snapshot {
    rows: SnapshotRow[];
    byId: Map<string, SnapshotRow>;
    byDocument: Map<string, SnapshotRow[]>;
  }
  /** The chunk table's snapshot per version (null: too large, reads go to LanceDB). */
  let snapshotCache: { version: number; snapshot: Promise<Snapshot | null> } | undefined;

  async function loadSnapshot(table: lancedb.Table): Promise<Snapshot | null> {
    if ((await table.countRows()) > snapshotLimit) return null;
    const rows: SnapshotRow[] = (await table.query().select([...CHUNK_COLUMNS, 'vector']).toArray()).map((row: Record<string, any>) => {
      const vector = Float32Array.from(row.vector.toArray() as Float32Array);
      let norm = 0;
      for (const value of vector) norm += value * value;
      return { chunk: fromChunkRow(row), committeeId: String(row.committee_id), documentType: String(row.document_type), vector, norm: Math.sqrt(norm) };
    });
    rows.sort((a, b) => byDocumentAndPosition(a.chunk, b.chunk));
    const byDocument = new Map<string, SnapshotRow[]>();
    for (const row of rows) {
      const list = byDocument.get(row.chunk.documentId);
      if (list) list.push(row);
      else byDocument.set(row.chunk.documentId, [row]);
    }
    return { rows, byId: new Map(rows.map((row) => [row.chunk.id, row])), byDocument };
  }

  /** The snapshot of the chunk table's current version, or null (no table, too large, or snapshots off). */
  async function snapshotOf(): Promise<Snapshot | null> {
    if (snapshotLimit <= 0) return null;
    await flush();
    const table = await openTable(names.chunks);
    if (!table) return null;
    const version = await table.version();
    if (snapshotCache?.version !== version) {
      const snapshot = loadSnapshot(table);
      snapshotCache = { version, snapshot };
      snapshot.catch(() => {
        if (snapshotCache?.snapshot === snapshot) snapshotCache = undefined;
      });
    }
    return snapshotCache.snapshot;
  }

  /** A filter as a predicate over snapshot rows (same meaning as `filterToWhere`); false when nothing can match. */
  function rowMatcher(filter: StoreFilter | undefined): ((row: SnapshotRow) => boolean) | false {
    if (filterToWhere(filter) === false) return false;
    if (!filter) return () => true;
    const committees = filter.committeeIds ? new Set(filter.committeeIds.map(String)) : undefined;
    const documentIds = filter.documentIds ? new Set(filter.documentIds.map(String)) : undefined;
    const kinds = filter.kinds ? new Set<string>(filter.kinds) : undefined;
    return (row) =>
      (!committees || committees.has(row.committeeId)) &&
      (!kinds || kinds.has(row.chunk.kind)) &&
      (filter.documentId === undefined || row.chunk.documentId === String(filter.documentId)) &&
      (!documentIds || documentIds.has(row.chunk.documentId)) &&
      (filter.type === undefined || row.documentType === filter.type);
  }

  /** Documents cached per version of the documents table (listDocuments and getDocument read it once per version). */
  let documentCache: { version: number; list: StoredDocument[]; byId: Map<string, StoredDocument> } | undefined;

  async function cachedDocuments(): Promise<{ list: StoredDocument[]; byId: Map<string, StoredDocument> } | undefined> {
    await flush();
    const table = await openTable(names.documents);
    if (!table) return undefined;
    const version = await table.version();
    if (documentCache?.version === version) return documentCache;
    const list = (await table.query().toArray()).map(fromDocumentRow);
    list.sort((a, b) => a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
    documentCache = { version, list, byId: new Map(list.map((document) => [document.id, document])) };
    return documentCache;
  }

  /** A copy callers may change (arrays and objects one level down copied too: parties, decision, signatories). */
  const copyDocument = (document: StoredDocument): StoredDocument => {
    const copy: Record<string, unknown> = { ...document };
    for (const [key, value] of Object.entries(copy)) {
      if (Array.isArray(value)) copy[key] = value.map((item) => (item && typeof item === 'object' ? { ...item } : item));
      else if (value && typeof value === 'object') copy[key] = { ...value };
    }
    return copy as unknown as StoredDocument;
  };
  const copyChunk = (chunk: Chunk): Chunk => ({
    ...chunk,
    section: [...chunk.section],
    ...(chunk.fields ? { fields: { ...chunk.fields } } : {}),
  });

  /** Deferred writes not yet in the tables: document id → what to write. Flushed before every read. */
  const pending = new Map<string, { document: DocumentMeta; rows: Array<Record<string, unknown>> }>();
  let pendingChunks = 0;
  let flushing: Promise<void> | undefined;

  async function flush(): Promise<void> {
    while (flushing) await flushing;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    pendingChunks = 0;
    flushing = writeBatch(batch).finally(() => {
      flushing = undefined;
    });
    await flushing;
  }

  /**
   * Writes many documents at once: their chunks first (a plain append when none of them has chunks yet, else one
   * upsert by id and one delete of their stale chunks), then their document rows (one upsert). A run killed
   * between the two leaves the previous document rows (and content hashes) in force, so the next run redoes them.
   */
  async function writeBatch(batch: Array<{ document: DocumentMeta; rows: Array<Record<string, unknown>> }>): Promise<void> {
    const rowsToWrite = batch.flatMap((entry) => entry.rows);
    const ids = batch.map((entry) => sqlLiteral(entry.document.id)).join(', ');
    const dimensions = (rowsToWrite[0]?.vector as number[] | undefined)?.length;
    const chunkTable = dimensions ? await chunkTableFor(dimensions) : await openTable(names.chunks);
    if (chunkTable) {
      const existingIds = new Set(
        (await chunkTable.query().where(`document_id IN (${ids})`).select(['id']).toArray()).map((row: Record<string, any>) => String(row.id)),
      );
      if (existingIds.size === 0) {
        if (rowsToWrite.length) await chunkTable.add(rowsToWrite);
      } else {
        if (rowsToWrite.length) await chunkTable.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rowsToWrite);
        const keep = new Set(rowsToWrite.map((row) => String(row.id)));
        const stale = [...existingIds].filter((id) => !keep.has(id));
        for (let start = 0; start < stale.length; start += 1000) {
          await chunkTable.delete(`id IN (${stale.slice(start, start + 1000).map(sqlLiteral).join(', ')})`);
        }
      }
    }
    const documentRows = batch.map((entry) => toDocumentRow(entry.document, entry.rows.length));
    const documentTable = await openTable(names.documents);
    if (!documentTable) await (await createTable(names.documents, DOCUMENT_SCHEMA)).add(documentRows);
    else if ((await documentTable.countRows(`id IN (${ids})`)) === 0) await documentTable.add(documentRows);
    else await documentTable.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(documentRows);
  }

  async function rows(table: lancedb.Table, where: string | undefined): Promise<Array<Record<string, any>>> {
    await flush();
    let query = table.query().select([...CHUNK_COLUMNS]);
    if (where) query = query.where(where);
    return query.toArray();
  }

  async function fullText(column: 'indexed_text' | 'ngram_text', text: string, k: number, filter?: StoreFilter) {
    const where = filterToWhere(filter);
    if (where === false || !text.trim() || k <= 0) return [];
    await flush();
    const table = await openTable(names.chunks);
    if (!table) return [];
    let query = table
      .query()
      .fullTextSearch(new MatchQuery(text, column))
      .select([...CHUNK_COLUMNS, '_score'])
      .limit(Math.floor(k));
    if (where) query = query.where(where);
    const results = await query.toArray();
    return results.map((row: Record<string, any>) => ({ chunk: fromChunkRow(row), score: Number(row._score) }));
  }

  const store: LanceStore = {
    directory: options.directory,

    async info() {
      const table = await openTable(names.info);
      if (!table) return null;
      const [row] = await table.query().limit(1).toArray();
      return row ? { embedder: String(row.embedder), dimensions: Number(row.dimensions) } : null;
    },

    async listDocuments() {
      return ((await cachedDocuments())?.list ?? []).map(copyDocument);
    },

    async revision() {
      await flush();
      const [documentTable, chunkTable] = await Promise.all([openTable(names.documents), openTable(names.chunks)]);
      const [documentsVersion, chunksVersion] = await Promise.all([documentTable?.version() ?? 0, chunkTable?.version() ?? 0]);
      return `${generation}:${documentsVersion}:${chunksVersion}`;
    },

    async getDocument(id) {
      const document = (await cachedDocuments())?.byId.get(id);
      return document ? copyDocument(document) : null;
    },

    async getChunks(documentId) {
      const snapshot = await snapshotOf();
      if (snapshot) return (snapshot.byDocument.get(documentId) ?? []).map((row) => copyChunk(row.chunk));
      const table = await openTable(names.chunks);
      if (!table) return [];
      return (await rows(table, `document_id = ${sqlLiteral(documentId)}`)).map(fromChunkRow).sort(byDocumentAndPosition);
    },

    async getChunk(id) {
      const snapshot = await snapshotOf();
      if (snapshot) {
        const row = snapshot.byId.get(id);
        return row ? copyChunk(row.chunk) : null;
      }
      const table = await openTable(names.chunks);
      if (!table) return null;
      const [row] = await rows(table, `id = ${sqlLiteral(id)}`);
      return row ? fromChunkRow(row) : null;
    },

    async allChunks(filter) {
      const where = filterToWhere(filter);
      if (where === false) return [];
      const snapshot = await snapshotOf();
      if (snapshot) {
        const matches = rowMatcher(filter);
        return matches === false ? [] : snapshot.rows.filter(matches).map((row) => copyChunk(row.chunk));
      }
      const table = await openTable(names.chunks);
      if (!table) return [];
      return (await rows(table, where)).map(fromChunkRow).sort(byDocumentAndPosition);
    },

    async *chunkTexts() {
      const snapshot = await snapshotOf();
      if (snapshot) {
        yield snapshot.rows.map((row) => ({ text: row.chunk.text, section: [...row.chunk.section], documentId: row.chunk.documentId, kind: row.chunk.kind }));
        return;
      }
      await flush();
      const table = await openTable(names.chunks);
      if (!table) return;
      // Streamed batch by batch (LanceDB applies back-pressure), four string columns only.
      for await (const batch of table.query().select(['text', 'section', 'document_id', 'kind'])) {
        const [texts, sections, documentIds, kinds] = ['text', 'section', 'document_id', 'kind'].map((name) => batch.getChild(name));
        const out: Array<{ text: string; section: string[]; documentId: string; kind: ChunkKind }> = [];
        for (let index = 0; index < batch.numRows; index++) {
          out.push({
            text: String(texts?.get(index) ?? ''),
            section: JSON.parse(String(sections?.get(index) ?? '[]')),
            documentId: String(documentIds?.get(index) ?? ''),
            kind: String(kinds?.get(index) ?? 'text') as ChunkKind,
          });
        }
        yield out;
      }
    },

    searchText(query, { k, filter }) {
      return fullText('indexed_text', textQueryOf(query), k, filter);
    },

    searchNgram(query, { k, filter }) {
      return fullText('ngram_text', wordsOf(foldSwedish(query)).join(' '), k, filter);
    },

    async searchVector(vector, { k, filter }) {
      const where = filterToWhere(filter);
      if (where === false || k <= 0) return [];
      const snapshot = await snapshotOf();
      if (snapshot && snapshot.rows.length > 0) {
        const dimensions = snapshot.rows[0].vector.length;
        if (vector.length !== dimensions) {
          throw new AppError('index_mismatch', `Query vector has ${vector.length} dimensions; the index holds ${dimensions}. Re-ingest with \`npm run ingest -- --rebuild\``);
        }
        const matches = rowMatcher(filter);
        if (matches === false) return [];
        const query = Float32Array.from(vector);
        let queryNorm = 0;
        for (const value of query) queryNorm += value * value;
        queryNorm = Math.sqrt(queryNorm);
        const scored: Array<{ row: SnapshotRow; score: number }> = [];
        for (const row of snapshot.rows) {
          if (!matches(row)) continue;
          let dot = 0;
          const values = row.vector;
          for (let index = 0; index < values.length; index++) dot += values[index] * query[index];
          const denominator = row.norm * queryNorm;
          scored.push({ row, score: denominator > 0 ? dot / denominator : 0 });
        }
        scored.sort((a, b) => b.score - a.score || a.row.chunk.id.localeCompare(b.row.chunk.id));
        return scored.slice(0, Math.floor(k)).map(({ row, score }) => ({ chunk: copyChunk(row.chunk), score }));
      }
      await flush();
      const table = await openTable(names.chunks);
      if (!table) return [];
      const state = await chunkState(table);
      if (vector.length !== state.dimensions) {
        if ((await table.countRows()) === 0) return [];
        throw new AppError('index_mismatch', `Query vector has ${vector.length} dimensions; the index holds ${state.dimensions}. Re-ingest with \`npm run ingest -- --rebuild\``);
      }
      let query = table.vectorSearch(vector).distanceType('cosine').select([...CHUNK_COLUMNS, '_distance']).limit(Math.floor(k));
      // With an index: probe enough partitions and re-rank the candidates on the full vectors (recall, see BENCHMARKS).
      if (state.vectorIndex) {
        const { refineFactor, ef } = vectorQueryParameters(Math.floor(k));
        query = query.nprobes(vectorProbesFor(state.rows)).refineFactor(refineFactor).ef(ef);
      }
      if (where) query = query.where(where);
      let results = await query.toArray();
      // An approximate index can come back with fewer than k neighbours (few partitions probed, a small graph):
      // then the exact scan answers, so a caller never gets less than the table holds.
      if (state.vectorIndex && results.length < Math.floor(k) && state.rows > results.length) {
        let exact = table.vectorSearch(vector).distanceType('cosine').select([...CHUNK_COLUMNS, '_distance']).limit(Math.floor(k)).bypassVectorIndex();
        if (where) exact = exact.where(where);
        results = await exact.toArray();
      }
      return results.map((row: Record<string, any>) => ({ chunk: fromChunkRow(row), score: 1 - Number(row._distance) }));
    },

    async replaceDocument(document, chunks, vectors, writeOptions = {}) {
      if (chunks.length !== vectors.length) {
        throw new AppError('internal', `replaceDocument(${document.id}): ${chunks.length} chunks but ${vectors.length} vectors`);
      }
      const foreign = chunks.find((chunk) => chunk.documentId !== document.id);
      if (foreign) throw new AppError('internal', `replaceDocument(${document.id}): chunk ${foreign.id} belongs to ${foreign.documentId}`);
      const info = await store.info();
      const dimensions = vectors[0]?.length ?? info?.dimensions ?? 0;
      if (vectors.some((vector) => vector.length !== dimensions)) {
        throw new AppError('internal', `replaceDocument(${document.id}): vectors of different sizes`);
      }
      if (dimensions > 0) await chunkTableFor(dimensions); // a dimension mismatch fails now, naming this document
      const entry = { document, rows: chunks.map((chunk, index) => toChunkRow(chunk, vectors[index], document)) };
      const earlier = pending.get(document.id);
      if (earlier) pendingChunks -= earlier.rows.length;
      pending.delete(document.id);
      pending.set(document.id, entry);
      pendingChunks += entry.rows.length;
      if (!writeOptions.deferIndexing) {
        await flush();
        await rebuildIndexes();
      } else if (pendingChunks >= writeBatchChunks) await flush();
    },

    async deleteDocument(id, writeOptions = {}) {
      await flush();
      const documentTable = await openTable(names.documents);
      const chunkTable = await openTable(names.chunks);
      const existed = documentTable ? (await documentTable.countRows(`id = ${sqlLiteral(id)}`)) > 0 : false;
      if (chunkTable) await chunkTable.delete(`document_id = ${sqlLiteral(id)}`);
      if (documentTable) await documentTable.delete(`id = ${sqlLiteral(id)}`);
      if (!writeOptions.deferIndexing) await rebuildIndexes();
      return existed;
    },

    flush,

    async setInfo(info) {
      if (!info.embedder || !Number.isInteger(info.dimensions) || info.dimensions < 1) {
        throw new AppError('internal', `setInfo: invalid index info ${JSON.stringify(info)}`);
      }
      const table = await createTable(names.info, INFO_SCHEMA);
      await table.add([{ embedder: info.embedder, dimensions: info.dimensions, updated_at: new Date().toISOString() }]);
    },

    async reset() {
      await flush();
      const existing = new Set(await connection.tableNames());
      for (const name of [names.chunks, names.documents, names.info]) {
        if (existing.has(name)) await createTable(name, name === names.chunks ? chunkSchema(1) : name === names.documents ? DOCUMENT_SCHEMA : INFO_SCHEMA);
      }
    },

    async refreshIndexes() {
      await flush();
      // Compaction of every table (one fragment per write otherwise) and removal of versions older than a minute.
      const cleanupOlderThan = new Date(Date.now() - 60_000);
      for (const name of [names.documents, names.info]) await (await openTable(name))?.optimize({ cleanupOlderThan });
      const table = await openTable(names.chunks);
      if (!table) return;
      await table.optimize({ cleanupOlderThan });
      await rebuildIndexes();
    },

    async close() {
      await flush();
      for (const table of tables.values()) table.close();
      tables.clear();
      connection.close();
    },
  };
  return store;
}
