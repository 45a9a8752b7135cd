/**
 * ChunkStore on LanceDB (Node): one `chunks` table (vector, text and metadata columns, and two full-text indexes over
 * pre-analysed terms), a `documents` table (DocumentMeta + chunk count) and an `index_info` table (embedder model id +
 * dimensions).
 *
 * Full-text search sees exactly the terms of the Swedish analyzer (`core/swedish/analyzer.ts`): the `search_terms`
 * column holds a chunk's folded stems and `ngram_terms` its trigrams, space-separated, indexed with a whitespace
 * tokenizer that does not lower-case, fold, stem or drop stop words again; a question is analysed by the same
 * analyzer. Up to `snapshotLimit` chunks every search (full-text too) runs on an in-memory snapshot with the code of
 * the in-memory store (`search-index.ts`), so Node ranks exactly like the Worker. Above it (up to `textIndexLimit`),
 * full-text search runs the same BM25 on an in-memory inverted index of `search_terms` (typed arrays, built once per
 * table version, up to `chunkRowsLimit` with the chunks' stored fields beside it, so chunk reads touch no LanceDB
 * rows), vector search runs on LanceDB's IVF_RQ index (a filter most chunks pass is applied to its neighbours, a
 * narrow one as LanceDB's prefilter), and the id-first methods (`searchTextIds`, `searchVectorIds`, `chunksByIds`)
 * let the retriever read only the chunks it keeps after fusion.
 *
 * The database is a folder or an object-store URI (`s3://bucket/prefix` with `storageOptions`). Readers open the
 * connection with `readConsistencyInterval: 0` by default, so a server that is running while `npm run ingest` writes —
 * in the same folder or, as one of several replicas, in the same bucket — sees every new version on its next query.
 */
import * as lancedb from '@lancedb/lancedb';
import { Index, MatchQuery } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, Utf8, vectorFromArray } from 'apache-arrow';
import { indexTerms, ngramTerms, searchTerms } from '../core/swedish/analyzer.ts';
import {
  bm25Search,
  buildLexicalIndex,
  cosineSearch,
  LexicalIndexBuilder,
  searchableText,
  storedVector,
  type LexicalIndex,
  type StoredVector,
} from './search-index.ts';
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
  /** The folder of the database, or its object-store URI (`s3://bucket/prefix`). */
  directory: string;
  /** Closes the table handles and the connection. */
  close(): Promise<void>;
  /**
   * Why the tables on disk were written by an older version and must be rebuilt (a missing column, e.g. the chunk
   * table without the analyzer's `search_terms`), or null when they are current or absent.
   */
  outdated(): Promise<string | null>;
}

/** Options of `createLanceStore`. */
export interface LanceStoreOptions {
  /** Database folder (created when missing), or an object-store URI such as `s3://bucket/prefix` (see `storageOptions`). */
  directory: string;
  /**
   * LanceDB storage options of an object-store `directory` (`aws_region`, `aws_endpoint`, `aws_access_key_id`, …; see
   * `parseIndexLocation` in index-location.ts, which builds them from the `AWS_*` variables).
   */
  storageOptions?: Record<string, string>;
  /** Name of the chunk table (default `chunks`); the documents and info tables get the same prefix. */
  tableName?: string;
  /**
   * Seconds between checks for new versions written by other processes (default 0 = every read). The documents list,
   * the chunk snapshot and the vector-index state are cached per table version, so they follow what this check sees.
   */
  readConsistencyInterval?: number;
  /**
   * From this many chunks on, `refreshIndexes` builds a vector index and scalar indexes on the filter columns
   * (default 5000; below it flat scans are faster than the index's training and probing costs).
   */
  indexThreshold?: number;
  /** Kind of vector index built at `indexThreshold` (default `ivf_rq`; `none` keeps flat scans). */
  vectorIndex?: VectorIndexKind;
  /**
   * Up to this many chunks, every read (full-text and vector search, allChunks, getChunks, getChunk) is served from an
   * in-memory snapshot of the chunk table, reloaded when its version changes (default 5000, 0 = never). Searches run
   * the in-memory store's code (`search-index.ts`: BM25 over the stored terms, exact flat cosine), so Node ranks like
   * the Worker, without LanceDB's per-call costs.
   */
  snapshotLimit?: number;
  /**
   * Above the snapshot limit and up to this many chunks, full-text search over `search_terms` runs on an in-memory
   * inverted index of that column (BM25 of `search-index.ts`, as the snapshot and the Worker rank), built once per
   * table version from a stream of five columns; the matching chunks are then read by row id. About 0.5 KB per chunk
   * (default 1,000,000 chunks; 0 = always LanceDB's full-text index). At 118k chunks LanceDB's query took 34 ms, this
   * one a few (eval/BENCHMARKS.md).
   */
  textIndexLimit?: number;
  /**
   * With the in-memory text index and up to this many chunks, the chunks' stored fields (every column but the vector
   * and the two term columns) are kept beside it, so `chunksByIds`, `getChunk`, `getChunks` and `allChunks` read no
   * LanceDB rows: about 1 KB of heap per chunk (128 MB at 118k; default 250,000 chunks; 0 = always read from LanceDB).
   * At 118k chunks a read of the 40 fused chunks took 8–10 ms of LanceDB work per search (eval/BENCHMARKS.md).
   */
  chunkRowsLimit?: number;
  /** Deferred writes (`deferIndexing`) are buffered and written in batches of about this many chunks (default 4096). */
  writeBatchChunks?: number;
}

/**
 * k-means training of the IVF_RQ partitions: 20 iterations (LanceDB's default is 50) on about 20,000 sampled vectors,
 * 64–256 per partition (LanceDB samples 256 per partition). At 118k chunks (64 per partition) the build took 18.5 s
 * instead of 24 s with recall@10 0.978 against 0.966 and recall@60 0.934 against 0.938 at the same probes (one run each
 * on the bench index; eval/BENCHMARKS.md). Smaller corpora keep the full sample: at 10k chunks 64 per partition (2,500
 * vectors) gave recall@10 0.954 where the full one had given 0.986.
 */
export function ivfRqTraining(partitions: number): { sampleRate: number; maxIterations: number } {
  return { sampleRate: Math.min(256, Math.max(64, Math.ceil(20_000 / Math.max(1, partitions)))), maxIterations: 20 };
}

/** Vector index kinds the store can build (see eval/BENCHMARKS.md for their recall and latency). */
export type VectorIndexKind = 'ivf_rq' | 'ivf_pq' | 'ivf_hnsw_sq' | 'none';

/**
 * IVF partitions probed per query, at least 20. An IVF_RQ index (1-bit RaBitQ codes, a cheap scan per partition)
 * probes 30 % of the partitions: at 118k chunks (342 partitions) 103 probes gave recall@10 0.995 at 12 ms CPU per query
 * where HNSW_SQ with a fifth (69) gave 0.965 at 22 ms. Other indexes (a graph per partition) probe a fifth (recall@10
 * 0.99 at 10k with 20 of 39; 20 of 342 gave 0.87 at 117k). See eval/BENCHMARKS.md.
 */
export function vectorProbesFor(rows: number, indexType?: string): number {
  const share = indexType && /rq/i.test(indexType) ? 0.3 : 0.2;
  return Math.max(20, Math.ceil(ivfPartitionsFor(rows) * share));
}

/** Partitions of an IVF index for `rows` vectors: about √rows, at least 1, at most rows / 256 for training. */
export function ivfPartitionsFor(rows: number): number {
  return Math.max(1, Math.min(Math.round(Math.sqrt(rows)), Math.floor(rows / 256)));
}


const CHUNK_COLUMNS = [
  'id', 'document_id', 'position', 'section', 'kind', 'text', 'original_text', 'start_offset', 'end_offset',
  'assignment_year', 'handling', 'record', 'context', 'committee_id', 'document_type', 'year',
] as const;

/**
 * Full-text config of the pre-analysed columns (`search_terms`, `ngram_terms`): split on spaces and nothing else (no
 * lower-casing, folding, stemming or stop words: the analyzer did all of that), long tokens kept.
 */
const PRE_ANALYSED_FTS = {
  baseTokenizer: 'whitespace',
  stem: false,
  removeStopWords: false,
  lowercase: false,
  asciiFolding: false,
  maxTokenLength: 255,
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
    new Field('search_terms', new Utf8(), false),
    new Field('ngram_terms', new Utf8(), false),
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
 * ⌈100 / k⌉: 10 for k = 10, 2 for the retriever's k = 60), and the HNSW search breadth. At 118k chunks re-ranking
 * 100+ candidates lifts recall@10 from 0.89 (quantised distances) to 0.97; re-ranking 5 × 120 cost 3× the time for
 * +0.006 (eval/vector-tune.ts, see BENCHMARKS).
 */
const VECTOR_RERANKED = 100;
/**
 * A filter that at least this share of the chunks pass is applied after the vector search (`broadFilterVectorHits`)
 * rather than as LanceDB's prefilter.
 */
const BROAD_FILTER_SHARE = 0.2;
const VECTOR_EF = 300;

/** The refine factor and HNSW ef of an indexed query for `k` neighbours (see `VECTOR_RERANKED`). */
export function vectorQueryParameters(k: number): { refineFactor: number; ef: number } {
  const refineFactor = Math.max(1, Math.ceil(VECTOR_RERANKED / Math.max(1, k)));
  return { refineFactor, ef: Math.max(VECTOR_EF, k * refineFactor) };
}

/**
 * How long a version stays readable after a newer one replaced it. Servers in other processes (replicas of an index on
 * object storage) check for new versions at most every 30 s (INDEX_REFRESH_SECONDS), so they have moved on by then.
 */
const VERSION_GRACE_MS = 60_000;

/**
 * The `cleanupOlderThan` date that removes only versions superseded before `limit` (ms since the epoch). LanceDB removes
 * versions *created* before the date; a version created long ago may have been the latest until this run's first write,
 * and a reader may still be on it. So the date is the creation time of the version before the first one created after
 * `limit`: that version and everything newer stay, the older ones were superseded before `limit`.
 */
export function cleanupCutoff(versions: Array<{ version: number; timestamp: Date }>, limit: number): Date {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const firstRecent = ordered.findIndex((version) => version.timestamp.getTime() >= limit);
  if (firstRecent === -1) return new Date(limit); // nothing new since `limit`: only the latest version stays
  if (firstRecent === 0) return ordered[0].timestamp; // every version is recent: nothing goes
  return ordered[firstRecent - 1].timestamp;
}

/** A SQL string literal: single quotes doubled, NUL removed. */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, "''")}'`;
}

/** True when no chunk can pass the filter (an empty list of committees, documents or known kinds, an unknown type). */
export function filterMatchesNothing(filter: StoreFilter | undefined): boolean {
  if (!filter) return false;
  return (
    filter.committeeIds?.length === 0 ||
    filter.documentIds?.length === 0 ||
    (filter.type !== undefined && !DOCUMENT_TYPES.includes(filter.type)) ||
    (filter.kinds !== undefined && !filter.kinds.some((kind) => (CHUNK_KINDS as readonly string[]).includes(kind)))
  );
}

/** True when the filter has a condition (a filter of only undefined fields passes every chunk). */
function filterHasConditions(filter: StoreFilter | undefined): filter is StoreFilter {
  return filter !== undefined && Object.values(filter).some((value) => value !== undefined);
}

/** Builds the where clause of a filter from escaped literals only; `false` when nothing can match. */
export function filterToWhere(filter: StoreFilter | undefined): string | undefined | false {
  if (!filter) return undefined;
  if (filterMatchesNothing(filter)) return false;
  const clauses: string[] = [];
  if (filter.committeeIds) {
    clauses.push(`committee_id IN (${filter.committeeIds.map((id) => sqlLiteral(String(id))).join(', ')})`);
  }
  if (filter.documentId !== undefined) clauses.push(`document_id = ${sqlLiteral(String(filter.documentId))}`);
  if (filter.documentIds) {
    clauses.push(`document_id IN (${filter.documentIds.map((id) => sqlLiteral(String(id))).join(', ')})`);
  }
  if (filter.type !== undefined) clauses.push(`document_type = ${sqlLiteral(filter.type)}`);
  if (filter.kinds) {
    const kinds = filter.kinds.filter((kind) => (CHUNK_KINDS as readonly string[]).includes(kind));
    clauses.push(`kind IN (${kinds.map((kind) => sqlLiteral(kind)).join(', ')})`);
  }
  return clauses.length ? clauses.join(' AND ') : undefined;
}

function toChunkRow(chunk: Chunk, vector: number[], document: DocumentMeta): Record<string, unknown> {
  const terms = indexTerms(searchableText(chunk)); // one segmentation for both term columns
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
    search_terms: terms.search.join(' '),
    ngram_terms: terms.ngram.join(' '),
    vector,
  };
}

/**
 * Chunk rows as an Arrow table of the chunk schema, built column by column: the vectors go into one Float32Array
 * (LanceDB's own conversion of row objects builds them value by value, about a tenth of ingest's main-thread time).
 */
export function chunkRowsToArrow(rows: Array<Record<string, unknown>>, dimensions: number): ArrowTable {
  const schema = chunkSchema(dimensions);
  const children = schema.fields.map((field) => {
    if (field.name === 'vector') {
      const values = new Float32Array(rows.length * dimensions);
      rows.forEach((row, index) => values.set(row.vector as ArrayLike<number>, index * dimensions));
      const child = makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
      return makeData({ type: field.type as FixedSizeList, length: rows.length, nullCount: 0, child });
    }
    return vectorFromArray(
      rows.map((row) => row[field.name] ?? null),
      field.type,
    ).data[0];
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new ArrowTable(schema, [new RecordBatch(schema, data)]);
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
  const connection = await lancedb.connect(options.directory, {
    readConsistencyInterval: options.readConsistencyInterval ?? 0,
    ...(options.storageOptions && Object.keys(options.storageOptions).length > 0 ? { storageOptions: options.storageOptions } : {}),
  });
  const tables = new Map<string, lancedb.Table>();

  /**
   * The table, or undefined when it does not exist. Opened directly rather than looked up in `tableNames()`: listing
   * costs a request per call on object storage and needs LIST with a delimiter, which some S3-compatible servers
   * (s3rver) answer without the table folders.
   */
  async function openExisting(name: string): Promise<lancedb.Table | undefined> {
    try {
      return await connection.openTable(name);
    } catch (error) {
      // LanceDB reports a missing table only in the message ("Table 'chunks' was not found …"), code GenericFailure.
      if (/^Table '.*' was not found/.test(error instanceof Error ? error.message : String(error))) return undefined;
      throw error;
    }
  }

  /** The column a table of an older version lacks, as a sentence, or null. */
  async function missingColumn(name: string, table: lancedb.Table): Promise<string | null> {
    // A chunk table without `search_terms` was analysed by the older analyzer (Tantivy's stemmer over raw text).
    const required = name === names.chunks ? 'search_terms' : name === names.documents ? 'details' : undefined;
    if (!required || (await table.schema()).fields.some((field) => field.name === required)) return null;
    return `The index in ${options.directory} was built by an older version of Planassistenten (table ${name} has no column "${required}")`;
  }

  async function openTable(name: string): Promise<lancedb.Table | undefined> {
    const cached = tables.get(name);
    if (cached) return cached;
    const table = await openExisting(name);
    if (!table) return undefined;
    // A chunk table without `search_terms` was analysed by the older analyzer (Tantivy's stemmer over raw text).
    const missing = await missingColumn(name, table);
    if (missing) {
      table.close();
      throw new AppError('index_mismatch', `${missing}. Re-ingest with \`npm run ingest -- --rebuild\``);
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
      snapshots.reset();
      textIndexes.reset();
    }
    if (name === names.documents) documentCache = undefined;
    return table;
  }

  /** Vector size per table handle (a handle's schema does not change; a new table gets a new handle). */
  const dimensionsOfHandle = new WeakMap<lancedb.Table, number>();
  async function vectorDimensions(table: lancedb.Table): Promise<number> {
    const known = dimensionsOfHandle.get(table);
    if (known !== undefined) return known;
    const field = (await table.schema()).fields.find((candidate) => candidate.name === 'vector');
    const dimensions = (field?.type as FixedSizeList | undefined)?.listSize ?? 0;
    dimensionsOfHandle.set(table, dimensions);
    return dimensions;
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
  const vectorIndexKind = options.vectorIndex ?? 'ivf_rq';
  const writeBatchChunks = Math.max(1, options.writeBatchChunks ?? 4096);
  /** Per chunk-table handle: vector size and whether a vector index exists (both change only on write by us or others). */
  let chunkTableState: { version: number; dimensions: number; vectorIndex: string | undefined; rows: number } | undefined;

  async function rebuildIndexes(): Promise<void> {
    const table = await openTable(names.chunks);
    if (!table) return;
    const rows = await table.countRows();
    const existing = new Set((await table.listIndices()).flatMap((index) => index.columns));
    // The vector index's build runs mostly on one core (≈ 19 s at 118k chunks): the full-text and scalar indexes are
    // built beside it (LanceDB commits index builds on different columns side by side), not after it.
    const textAndScalar = async () => {
      await table.createIndex('search_terms', { config: Index.fts(PRE_ANALYSED_FTS), replace: true });
      await table.createIndex('ngram_terms', { config: Index.fts(PRE_ANALYSED_FTS), replace: true });
      if (rows < indexThreshold) return;
      for (const column of ['id', 'document_id']) await table.createIndex(column, { config: Index.btree(), replace: true });
      for (const column of ['committee_id', 'document_type']) await table.createIndex(column, { config: Index.bitmap(), replace: true });
    };
    if (rows >= indexThreshold) {
      const vector = async () => {
        if (vectorIndexKind === 'none') return;
        const dimensions = await vectorDimensions(table);
        const numPartitions = ivfPartitionsFor(rows);
        const config =
          vectorIndexKind === 'ivf_pq'
            ? Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors: dimensions % 16 === 0 ? dimensions / 16 : undefined })
            : vectorIndexKind === 'ivf_hnsw_sq'
              ? Index.hnswSq({ distanceType: 'cosine', numPartitions })
              : Index.ivfRq({ distanceType: 'cosine', numPartitions, numBits: 1, ...ivfRqTraining(numPartitions) });
        await table.createIndex('vector', { config, replace: true });
      };
      await Promise.all([vector(), textAndScalar()]);
    } else {
      await textAndScalar();
      if (existing.has('vector')) {
        // The corpus shrank below the threshold: back to exact flat scans.
        const vectorIndex = (await table.listIndices()).find((index) => index.columns.includes('vector'));
        if (vectorIndex) await table.dropIndex(vectorIndex.name);
      }
    }
    chunkTableState = undefined;
  }

  /** Vector size and vector-index type (undefined: none) of the chunk table, re-read only when its version changed. */
  async function chunkState(table: lancedb.Table): Promise<{ dimensions: number; vectorIndex: string | undefined; rows: number }> {
    const version = await table.version();
    if (chunkTableState?.version === version) return chunkTableState;
    const [dimensions, indices, rows] = await Promise.all([vectorDimensions(table), table.listIndices(), table.countRows()]);
    chunkTableState = { version, dimensions, vectorIndex: indices.find((index) => index.columns.includes('vector'))?.indexType, rows };
    return chunkTableState;
  }

  const snapshotLimit = options.snapshotLimit ?? 5000;
  interface SnapshotRow {
    chunk: Chunk;
    committeeId: string;
    documentType: string;
    vector: StoredVector;
    searchTerms: string;
    ngramTerms: string;
  }
  interface Snapshot {
    rows: SnapshotRow[];
    byId: Map<string, SnapshotRow>;
    byDocument: Map<string, SnapshotRow[]>;
    /** Lexical indexes over the stored terms, built on the first full-text search of this version. */
    textIndex?: LexicalIndex;
    ngramIndex?: LexicalIndex;
  }
  /**
   * What is derived from the chunk table once per table version: concurrent callers share one load, a failed load is
   * tried again on the next call, and `reset` forgets it (the table was re-created).
   */
  function perChunkVersion<T>(enabled: () => boolean, load: (table: lancedb.Table) => Promise<T | null>) {
    let cache: { version: number; value: Promise<T | null> } | undefined;
    return {
      reset(): void {
        cache = undefined;
      },
      async get(): Promise<T | null> {
        if (!enabled()) return null;
        await flush();
        const table = await openTable(names.chunks);
        if (!table) return null;
        const version = await table.version();
        if (cache?.version !== version) {
          const entry = { version, value: load(table) };
          cache = entry;
          entry.value.catch(() => {
            if (cache === entry) cache = undefined;
          });
        }
        return cache.value;
      },
    };
  }

  /** The chunk table's snapshot per version (null: too large, reads go to LanceDB). */
  const snapshots = perChunkVersion(() => snapshotLimit > 0, loadSnapshot);

  async function loadSnapshot(table: lancedb.Table): Promise<Snapshot | null> {
    if ((await table.countRows()) > snapshotLimit) return null;
    const rows: SnapshotRow[] = (await table.query().select([...CHUNK_COLUMNS, 'vector', 'search_terms', 'ngram_terms']).toArray()).map(
      (row: Record<string, any>) => ({
        chunk: fromChunkRow(row),
        committeeId: String(row.committee_id),
        documentType: String(row.document_type),
        vector: storedVector(row.vector.toArray() as Float32Array),
        searchTerms: String(row.search_terms),
        ngramTerms: String(row.ngram_terms),
      }),
    );
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
  const snapshotOf = (): Promise<Snapshot | null> => snapshots.get();

  /** A filter as a predicate over snapshot rows (same meaning as `filterToWhere`); false when nothing can match. */
  function rowMatcher(filter: StoreFilter | undefined): ((row: SnapshotRow) => boolean) | false {
    if (filterMatchesNothing(filter)) return false;
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

  const textIndexLimit = options.textIndexLimit ?? 1_000_000;
  /** In-memory full-text index of a chunk table above the snapshot limit (see `textIndexLimit`). */
  interface TextIndex {
    index: LexicalIndex;
    /** LanceDB row id of each position (the version the index was built from). */
    rowIds: Float64Array;
    /** Per position: its document, committee, document type and kind, as codes of the maps below. */
    documentOf: Int32Array;
    committeeOf: Int32Array;
    typeOf: Int32Array;
    kindOf: Int32Array;
    codes: { document: Map<string, number>; committee: Map<string, number>; type: Map<string, number>; kind: Map<string, number> };
    /** Position of each chunk id (built on the first `chunksByIds`). */
    positionOf?: Map<string, number>;
    /** The chunks' stored fields by position (see `chunkRowsLimit`), or undefined when they are read from LanceDB. */
    chunks?: ChunkRows;
  }
  /** Stored fields of the text index's chunks by position (id, document and kind are the index's). */
  interface ChunkRows {
    /** Values of each code, for `documentOf` and `kindOf`. */
    documentIds: string[];
    kinds: ChunkKind[];
    texts: string[];
    /** The text before repair; the same string as `texts[p]` when the repair changed nothing. */
    originals: string[];
    contexts: string[];
    /** JSON as stored. */
    sections: string[];
    records: Array<string | null>;
    handlings: Array<string | null>;
    positions: Int32Array;
    starts: Int32Array;
    ends: Int32Array;
    /** NaN: none. */
    assignmentYears: Float64Array;
    /** Each document code's rank in document id order (built on the first `chunksWhere`). */
    documentRanks?: Int32Array;
  }
  const chunkRowsLimit = options.chunkRowsLimit ?? 250_000;
  const STORED_COLUMNS = ['position', 'section', 'text', 'original_text', 'start_offset', 'end_offset', 'assignment_year', 'handling', 'record', 'context'] as const;

  /** The chunk at a position of a text index that holds the chunks' fields (the same object `fromChunkRow` makes). */
  function chunkAt(text: TextIndex & { chunks: ChunkRows }, position: number): Chunk {
    const rows = text.chunks;
    return fromChunkRow({
      id: text.index.ids[position],
      document_id: rows.documentIds[text.documentOf[position]],
      position: rows.positions[position],
      section: rows.sections[position],
      kind: rows.kinds[text.kindOf[position]],
      text: rows.texts[position],
      original_text: rows.originals[position],
      start_offset: rows.starts[position],
      end_offset: rows.ends[position],
      assignment_year: Number.isNaN(rows.assignmentYears[position]) ? null : rows.assignmentYears[position],
      handling: rows.handlings[position],
      record: rows.records[position],
      context: rows.contexts[position],
    });
  }

  /** Position of each chunk id of a text index (built on first use). */
  const positionsOf = (text: TextIndex): Map<string, number> => (text.positionOf ??= new Map(text.index.ids.map((id, position) => [id, position])));

  /** The chunks at the positions a matcher accepts, in document and position order (as `rows` returns them). */
  function chunksWhere(text: TextIndex & { chunks: ChunkRows }, matches: (position: number) => boolean): Chunk[] {
    const rows = text.chunks;
    // Each document code's rank in `byDocumentAndPosition` order, so the sort compares numbers, not strings.
    if (!rows.documentRanks) {
      const ranks = new Int32Array(rows.documentIds.length);
      [...rows.documentIds.keys()].sort((a, b) => rows.documentIds[a].localeCompare(rows.documentIds[b])).forEach((code, rank) => (ranks[code] = rank));
      rows.documentRanks = ranks;
    }
    const ranks = rows.documentRanks;
    const found: number[] = [];
    for (let position = 0; position < text.index.ids.length; position++) if (matches(position)) found.push(position);
    found.sort((a, b) => ranks[text.documentOf[a]] - ranks[text.documentOf[b]] || rows.positions[a] - rows.positions[b]);
    return found.map((position) => chunkAt(text, position));
  }

  /** The text index when it holds the chunks' fields, else undefined. */
  async function chunkRowsIndex(): Promise<(TextIndex & { chunks: ChunkRows }) | undefined> {
    const text = await textIndexOf();
    return text?.chunks ? (text as TextIndex & { chunks: ChunkRows }) : undefined;
  }
  const textIndexes = perChunkVersion(() => textIndexLimit > snapshotLimit, loadTextIndex);

  async function loadTextIndex(table: lancedb.Table): Promise<TextIndex | null> {
    const rows = await table.countRows();
    if (rows <= snapshotLimit || rows > textIndexLimit) return null;
    const builder = new LexicalIndexBuilder();
    const codes = { document: new Map<string, number>(), committee: new Map<string, number>(), type: new Map<string, number>(), kind: new Map<string, number>() };
    const codeOf = (map: Map<string, number>, value: unknown) => {
      const key = String(value ?? '');
      let code = map.get(key);
      if (code === undefined) map.set(key, (code = map.size));
      return code;
    };
    let capacity = Math.max(1, rows);
    let rowIds = new Float64Array(capacity);
    let attributes = [new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity)];
    const keepRows = rows <= chunkRowsLimit;
    const stored = keepRows ? { texts: [] as string[], originals: [] as string[], contexts: [] as string[], sections: [] as string[], records: [] as Array<string | null>, handlings: [] as Array<string | null> } : undefined;
    let numbers = keepRows ? [new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity)] : [];
    let assignmentYears = new Float64Array(keepRows ? capacity : 0);
    // A section's context line, section path, a table's record fields and handling repeat from chunk to chunk: one copy each.
    const internedStrings = new Map<string, string>();
    const interned = (value: string): string => {
      const known = internedStrings.get(value);
      if (known !== undefined) return known;
      internedStrings.set(value, value);
      return value;
    };
    const grow = <T extends Int32Array | Float64Array>(array: T): T => {
      const grown = new (array.constructor as new (length: number) => T)(capacity);
      grown.set(array);
      return grown;
    };
    const columns = ['id', 'document_id', 'committee_id', 'document_type', 'kind', 'search_terms', '_rowid'] as const;
    // Streamed batch by batch: the terms are never all held as strings at once.
    for await (const batch of table.query().select([...columns.slice(0, 6), ...(keepRows ? STORED_COLUMNS : [])]).withRowId()) {
      const [ids, documents, committees, types, kinds, terms, rowIdColumn] = columns.map((name) => batch.getChild(name));
      const [chunkPosition, section, chunkText_, original, start, end, assignmentYear, handling, record, context] = keepRows ? STORED_COLUMNS.map((name) => batch.getChild(name)) : [];
      for (let row = 0; row < batch.numRows; row++) {
        const position = builder.add(String(ids?.get(row)), termsOf(String(terms?.get(row) ?? '')));
        if (position === capacity) {
          capacity *= 2;
          rowIds = grow(rowIds);
          attributes = attributes.map(grow);
          if (keepRows) {
            numbers = numbers.map(grow);
            assignmentYears = grow(assignmentYears);
          }
        }
        if (stored) {
          const chunkText = String(chunkText_?.get(row) ?? '');
          const originalText = String(original?.get(row) ?? '');
          stored.texts.push(chunkText);
          stored.originals.push(originalText === chunkText ? chunkText : originalText);
          stored.contexts.push(interned(String(context?.get(row) ?? '')));
          stored.sections.push(interned(String(section?.get(row) ?? '[]')));
          const recordValue = record?.get(row);
          stored.records.push(recordValue === null || recordValue === undefined ? null : interned(String(recordValue)));
          const handlingValue = handling?.get(row);
          stored.handlings.push(handlingValue === null || handlingValue === undefined ? null : interned(String(handlingValue)));
          numbers[0][position] = Number(chunkPosition?.get(row));
          numbers[1][position] = Number(start?.get(row));
          numbers[2][position] = Number(end?.get(row));
          const year = assignmentYear?.get(row);
          assignmentYears[position] = year === null || year === undefined ? NaN : Number(year);
        }
        rowIds[position] = Number(rowIdColumn?.get(row));
        attributes[0][position] = codeOf(codes.document, documents?.get(row));
        attributes[1][position] = codeOf(codes.committee, committees?.get(row));
        attributes[2][position] = codeOf(codes.type, types?.get(row));
        attributes[3][position] = codeOf(codes.kind, kinds?.get(row));
      }
    }
    const index = builder.finish();
    const count = index.ids.length;
    const [documentOf, committeeOf, typeOf, kindOf] = attributes.map((array) => array.slice(0, count));
    const valuesOf = (map: Map<string, number>) => [...map.keys()]; // a map's keys in code order
    const chunks: ChunkRows | undefined = stored && {
      ...stored,
      documentIds: valuesOf(codes.document),
      kinds: valuesOf(codes.kind) as ChunkKind[],
      positions: numbers[0].slice(0, count),
      starts: numbers[1].slice(0, count),
      ends: numbers[2].slice(0, count),
      assignmentYears: assignmentYears.slice(0, count),
    };
    return { index, rowIds: rowIds.slice(0, count), documentOf, committeeOf, typeOf, kindOf, codes, ...(chunks ? { chunks } : {}) };
  }

  /** The in-memory full-text index of the chunk table's current version, or null (see `textIndexLimit`). */
  const textIndexOf = (): Promise<TextIndex | null> => textIndexes.get();

  /**
   * A filter as a predicate over text-index positions (same meaning as `filterToWhere`); false when nothing can match.
   * Each condition is a table of allowed codes, so a test is a few array reads (BM25 tests every matching chunk).
   */
  function positionMatcher(text: TextIndex, filter: StoreFilter | undefined): ((position: number) => boolean) | false {
    if (filterMatchesNothing(filter)) return false;
    if (!filter) return () => true;
    const allowed = (map: Map<string, number>, values: readonly unknown[] | undefined) => {
      if (!values) return undefined;
      const table = new Uint8Array(map.size);
      for (const value of values) {
        const code = map.get(String(value));
        if (code !== undefined) table[code] = 1;
      }
      return table;
    };
    const committees = allowed(text.codes.committee, filter.committeeIds);
    const documents = allowed(text.codes.document, filter.documentIds);
    const document = allowed(text.codes.document, filter.documentId === undefined ? undefined : [filter.documentId]);
    const kinds = allowed(text.codes.kind, filter.kinds);
    const types = allowed(text.codes.type, filter.type === undefined ? undefined : [filter.type]);
    const { committeeOf, documentOf, kindOf, typeOf } = text;
    return (position) =>
      (!committees || committees[committeeOf[position]] === 1) &&
      (!kinds || kinds[kindOf[position]] === 1) &&
      (!document || document[documentOf[position]] === 1) &&
      (!documents || documents[documentOf[position]] === 1) &&
      (!types || types[typeOf[position]] === 1);
  }

  /**
   * The chunks of BM25 hits of the text index, in the hits' order. Read by row id; a hit whose row moved (another
   * process compacted or rewrote the table after the index was built) is read by its id instead.
   */
  async function chunksOfHits(table: lancedb.Table, text: TextIndex, hits: Array<{ id: string; score: number; position: number }>) {
    if (hits.length === 0) return [];
    if (text.chunks) return hits.map((hit) => ({ chunk: chunkAt(text as TextIndex & { chunks: ChunkRows }, hit.position), score: hit.score }));
    const found = new Map<string, Chunk>();
    const rowsRead = await table.takeRowIds(hits.map((hit) => text.rowIds[hit.position])).select([...CHUNK_COLUMNS]).toArray().catch(() => []);
    for (const row of rowsRead as Array<Record<string, any>>) found.set(String(row.id), fromChunkRow(row));
    const missing = hits.filter((hit) => !found.has(hit.id));
    if (missing.length) {
      for (const row of await rows(table, `id IN (${missing.map((hit) => sqlLiteral(hit.id)).join(', ')})`)) found.set(String(row.id), fromChunkRow(row));
    }
    return hits.flatMap((hit) => {
      const chunk = found.get(hit.id);
      return chunk ? [{ chunk, score: hit.score }] : [];
    });
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
      const arrow = dimensions && rowsToWrite.length ? chunkRowsToArrow(rowsToWrite, dimensions) : undefined;
      if (existingIds.size === 0) {
        if (arrow) await chunkTable.add(arrow);
      } else {
        if (arrow) await chunkTable.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(arrow);
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

  const termsOf = (text: string): string[] => (text ? text.split(' ') : []);

  /**
   * Full-text search of pre-analysed `terms`: on the snapshot (BM25 of `search-index.ts`), on the in-memory text index
   * (same BM25; chunks read by row id), or with LanceDB's FTS. `idsOnly` returns ids and scores without reading chunks.
   */
  async function fullText(column: 'search_terms' | 'ngram_terms', terms: string[], k: number, filter: StoreFilter | undefined, idsOnly: true): Promise<Array<{ id: string; score: number }>>;
  async function fullText(column: 'search_terms' | 'ngram_terms', terms: string[], k: number, filter?: StoreFilter): Promise<Array<{ chunk: Chunk; score: number }>>;
  async function fullText(column: 'search_terms' | 'ngram_terms', terms: string[], k: number, filter?: StoreFilter, idsOnly = false): Promise<Array<{ chunk: Chunk; score: number } | { id: string; score: number }>> {
    if (filterMatchesNothing(filter) || terms.length === 0 || k <= 0) return [];
    const snapshot = await snapshotOf();
    if (snapshot) {
      const matches = rowMatcher(filter);
      if (matches === false) return [];
      const index =
        column === 'search_terms'
          ? (snapshot.textIndex ??= buildLexicalIndex(snapshot.rows.map((row) => ({ id: row.chunk.id, terms: termsOf(row.searchTerms) }))))
          : (snapshot.ngramIndex ??= buildLexicalIndex(snapshot.rows.map((row) => ({ id: row.chunk.id, terms: termsOf(row.ngramTerms) }))));
      const hits = bm25Search(index, terms, k, (id) => {
        const row = snapshot.byId.get(id);
        return row !== undefined && matches(row);
      });
      return idsOnly ? hits.map(({ id, score }) => ({ id, score })) : hits.map(({ id, score }) => ({ chunk: copyChunk(snapshot.byId.get(id)!.chunk), score }));
    }
    if (column === 'search_terms') {
      const textIndex = await textIndexOf();
      const table = textIndex && (await openTable(names.chunks));
      if (textIndex && table) {
        const matches = positionMatcher(textIndex, filter);
        if (matches === false) return [];
        const hits = bm25Search(textIndex.index, terms, k, (_id, position) => matches(position));
        return idsOnly ? hits.map(({ id, score }) => ({ id, score })) : chunksOfHits(table, textIndex, hits);
      }
    }
    const text = [...new Set(terms)].join(' ');
    const where = filterToWhere(filter);
    await flush();
    const table = await openTable(names.chunks);
    if (!table) return [];
    let query = table
      .query()
      .fullTextSearch(new MatchQuery(text, column))
      .select([...(idsOnly ? ['id'] : CHUNK_COLUMNS), '_score'])
      .limit(Math.floor(k));
    if (where) query = query.where(where);
    const results = await query.toArray();
    return results.map((row: Record<string, any>) => (idsOnly ? { id: String(row.id), score: Number(row._score) } : { chunk: fromChunkRow(row), score: Number(row._score) }));
  }

  /**
   * Nearest neighbours as LanceDB rows with `_distance` (`columns` of the chunk table), or null when the snapshot
   * answers (the caller searches it). Indexed: probes and re-ranking per `vectorQueryParameters`; an approximate index
   * that comes back with fewer than k neighbours is replaced by the exact scan, so a caller never gets less than the
   * table holds.
   */
  async function vectorRows(vector: number[], k: number, where: string | undefined, columns: readonly string[]): Promise<Array<Record<string, any>>> {
    await flush();
    const table = await openTable(names.chunks);
    if (!table) return [];
    const state = await chunkState(table);
    if (vector.length !== state.dimensions) {
      if ((await table.countRows()) === 0) return [];
      throw new AppError('index_mismatch', `Query vector has ${vector.length} dimensions; the index holds ${state.dimensions}. Re-ingest with \`npm run ingest -- --rebuild\``);
    }
    let query = table.vectorSearch(vector).distanceType('cosine').select([...columns, '_distance']).limit(Math.floor(k));
    if (state.vectorIndex) {
      const { refineFactor, ef } = vectorQueryParameters(Math.floor(k));
      query = query.nprobes(vectorProbesFor(state.rows, state.vectorIndex)).refineFactor(refineFactor).ef(ef);
    }
    if (where) query = query.where(where);
    let results = await query.toArray();
    if (state.vectorIndex && results.length < Math.floor(k) && state.rows > results.length) {
      let exact = table.vectorSearch(vector).distanceType('cosine').select([...columns, '_distance']).limit(Math.floor(k)).bypassVectorIndex();
      if (where) exact = exact.where(where);
      results = await exact.toArray();
    }
    return results;
  }

  /**
   * Vector hits under a broad filter (one that most chunks pass, such as "the latest version of every plan": an `IN`
   * list of thousands of documents), filtered here instead of in LanceDB: the index is searched without the filter for
   * about k / share × 1.5 neighbours and those the filter rejects are dropped (each a few array reads on the text
   * index). LanceDB's prefilter evaluated the list on every row: at 118k chunks 25 ms per query, this about 15
   * (eval/BENCHMARKS.md). Undefined when the filter is narrower than `BROAD_FILTER_SHARE` or the neighbours found held
   * fewer than k that pass while more exist: the caller then lets LanceDB prefilter.
   */
  async function broadFilterVectorHits(text: TextIndex, vector: number[], k: number, filter: StoreFilter): Promise<Array<{ id: string; score: number }> | undefined> {
    const matches = positionMatcher(text, filter);
    if (matches === false) return [];
    const count = text.index.ids.length;
    let passing = 0;
    for (let position = 0; position < count; position++) if (matches(position)) passing++;
    const share = passing / Math.max(1, count);
    if (share < BROAD_FILTER_SHARE) return undefined;
    const wanted = Math.min(count, Math.ceil((k / share) * 1.5));
    const positions = positionsOf(text);
    const hits: Array<{ id: string; score: number }> = [];
    for (const row of await vectorRows(vector, wanted, undefined, ['id'])) {
      const position = positions.get(String(row.id));
      // A row the index does not know was written after it was built: the prefiltered query decides about it.
      if (position === undefined) return undefined;
      if (matches(position)) hits.push({ id: String(row.id), score: 1 - Number(row._distance) });
      if (hits.length === k) return hits;
    }
    return hits.length === Math.min(k, passing) ? hits : undefined;
  }

  /** Nearest neighbours from LanceDB as ids and cosine similarities, a broad filter applied after the search. */
  async function vectorIdHits(vector: number[], k: number, filter: StoreFilter | undefined): Promise<Array<{ id: string; score: number }>> {
    const text = filterHasConditions(filter) ? await textIndexOf() : null;
    const broad = text ? await broadFilterVectorHits(text, vector, k, filter!) : undefined;
    if (broad) return broad;
    // The where clause only now: for a filter of thousands of documents it is a long string.
    return (await vectorRows(vector, k, filterToWhere(filter) || undefined, ['id'])).map((row) => ({ id: String(row.id), score: 1 - Number(row._distance) }));
  }

  /** Exact cosine search of the snapshot (dimensions checked), or undefined when there is no snapshot. */
  async function snapshotVectorHits(vector: number[], k: number, filter: StoreFilter | undefined) {
    const snapshot = await snapshotOf();
    if (!snapshot || snapshot.rows.length === 0) return undefined;
    const dimensions = snapshot.rows[0].vector.values.length;
    if (vector.length !== dimensions) {
      throw new AppError('index_mismatch', `Query vector has ${vector.length} dimensions; the index holds ${dimensions}. Re-ingest with \`npm run ingest -- --rebuild\``);
    }
    const matches = rowMatcher(filter);
    if (matches === false) return [];
    return cosineSearch(snapshot.rows, vector, k, (row) => row.vector, (row) => row.chunk.id, matches);
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
      const inMemory = await chunkRowsIndex();
      if (inMemory) {
        const matches = positionMatcher(inMemory, { documentId });
        return matches === false ? [] : chunksWhere(inMemory, matches);
      }
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
      const inMemory = await chunkRowsIndex();
      if (inMemory) {
        const position = positionsOf(inMemory).get(id);
        return position === undefined ? null : chunkAt(inMemory, position);
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
      const inMemory = await chunkRowsIndex();
      if (inMemory) {
        const matches = positionMatcher(inMemory, filter);
        return matches === false ? [] : chunksWhere(inMemory, matches);
      }
      const table = await openTable(names.chunks);
      if (!table) return [];
      return (await rows(table, where)).map(fromChunkRow).sort(byDocumentAndPosition);
    },

    async *chunkTexts() {
      const snapshot = await snapshotOf();
      if (snapshot) {
        yield snapshot.rows.map((row) => ({ id: row.chunk.id, text: row.chunk.text, section: [...row.chunk.section], documentId: row.chunk.documentId, kind: row.chunk.kind }));
        return;
      }
      await flush();
      const table = await openTable(names.chunks);
      if (!table) return;
      // Streamed batch by batch (LanceDB applies back-pressure), five string columns only.
      const columns = ['id', 'text', 'section', 'document_id', 'kind'];
      for await (const batch of table.query().select(columns)) {
        const [ids, texts, sections, documentIds, kinds] = columns.map((name) => batch.getChild(name));
        const out: Array<{ id: string; text: string; section: string[]; documentId: string; kind: ChunkKind }> = [];
        for (let index = 0; index < batch.numRows; index++) {
          out.push({
            id: String(ids?.get(index) ?? ''),
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
      return fullText('search_terms', searchTerms(query), k, filter);
    },

    searchNgram(query, { k, filter }) {
      return fullText('ngram_terms', ngramTerms(query), k, filter);
    },

    async searchVector(vector, { k, filter }) {
      if (filterMatchesNothing(filter) || k <= 0) return [];
      const fromSnapshot = await snapshotVectorHits(vector, k, filter);
      if (fromSnapshot) return fromSnapshot.map(({ candidate, score }) => ({ chunk: copyChunk(candidate.chunk), score }));
      const inMemory = await chunkRowsIndex();
      if (inMemory) {
        // The same neighbours as `searchVectorIds`, their chunks from memory.
        const positions = positionsOf(inMemory);
        const hits = await vectorIdHits(vector, Math.floor(k), filter);
        if (hits.every((hit) => positions.has(hit.id))) return hits.map((hit) => ({ chunk: chunkAt(inMemory, positions.get(hit.id)!), score: hit.score }));
      }
      return (await vectorRows(vector, k, filterToWhere(filter) || undefined, CHUNK_COLUMNS)).map((row) => ({ chunk: fromChunkRow(row), score: 1 - Number(row._distance) }));
    },

    searchTextIds(query, { k, filter }) {
      return fullText('search_terms', searchTerms(query), k, filter, true);
    },

    async searchVectorIds(vector, { k, filter }) {
      if (filterMatchesNothing(filter) || k <= 0) return [];
      const fromSnapshot = await snapshotVectorHits(vector, k, filter);
      if (fromSnapshot) return fromSnapshot.map(({ id, score }) => ({ id, score }));
      return vectorIdHits(vector, Math.floor(k), filter);
    },

    async warm() {
      await Promise.all([snapshotOf(), textIndexOf()]);
    },

    async chunksByIds(ids) {
      if (ids.length === 0) return [];
      const snapshot = await snapshotOf();
      if (snapshot) return ids.flatMap((id) => {
        const row = snapshot.byId.get(id);
        return row ? [copyChunk(row.chunk)] : [];
      });
      const table = await openTable(names.chunks);
      if (!table) return [];
      const textIndex = await textIndexOf();
      if (textIndex) {
        const positions = positionsOf(textIndex);
        const hits = ids.flatMap((id) => {
          const position = positions.get(id);
          return position === undefined ? [] : [{ id, score: 0, position }];
        });
        const found = new Map((await chunksOfHits(table, textIndex, hits)).map(({ chunk }) => [chunk.id, chunk]));
        const unknown = ids.filter((id) => !positions.has(id));
        if (unknown.length) for (const row of await rows(table, `id IN (${unknown.map(sqlLiteral).join(', ')})`)) found.set(String(row.id), fromChunkRow(row));
        return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
      }
      const found = new Map((await rows(table, `id IN (${ids.map(sqlLiteral).join(', ')})`)).map((row) => [String(row.id), fromChunkRow(row)]));
      return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
    },

    async replaceDocument(document, chunks, vectors, writeOptions = {}) {
      if (chunks.length !== vectors.length) {
        throw new AppError('internal', `replaceDocument(${document.id}): ${chunks.length} chunks but ${vectors.length} vectors`);
      }
      const foreign = chunks.find((chunk) => chunk.documentId !== document.id);
      if (foreign) throw new AppError('internal', `replaceDocument(${document.id}): chunk ${foreign.id} belongs to ${foreign.documentId}`);
      // The vectors give the size; the index info (a LanceDB read) only for a document without chunks.
      const dimensions = vectors[0]?.length ?? (await store.info())?.dimensions ?? 0;
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
      for (const name of [names.chunks, names.documents, names.info]) {
        const exists = tables.has(name) || (await openExisting(name).then((table) => (table?.close(), Boolean(table))));
        if (exists) await createTable(name, name === names.chunks ? chunkSchema(1) : name === names.documents ? DOCUMENT_SCHEMA : INFO_SCHEMA);
      }
    },

    async refreshIndexes() {
      await flush();
      // Compaction of every table (one fragment per write otherwise) and removal of the versions superseded more than
      // a minute ago (a reader in another process may still be on the one superseded by this run: see cleanupCutoff).
      for (const name of [names.documents, names.info]) {
        const other = await openTable(name);
        if (other) await other.optimize({ cleanupOlderThan: cleanupCutoff(await other.listVersions(), Date.now() - VERSION_GRACE_MS) });
      }
      const table = await openTable(names.chunks);
      if (!table) return;
      await table.optimize({ cleanupOlderThan: cleanupCutoff(await table.listVersions(), Date.now() - VERSION_GRACE_MS) });
      await rebuildIndexes();
    },

    async outdated() {
      for (const name of [names.chunks, names.documents]) {
        if (tables.has(name)) continue;
        const table = await openExisting(name);
        if (!table) continue;
        try {
          const missing = await missingColumn(name, table);
          if (missing) return missing;
        } finally {
          table.close();
        }
      }
      return null;
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
