/**
 * The ingest pipeline: files → text → repair → metadata → chunks → vectors → store, incremental by content hash.
 *
 * - Unchanged files (same sha256 and same sidecar values) are skipped; changed ones replaced; with the corpus root
 *   among the paths, documents whose file is gone are removed (never when only single files are given).
 * - A file that fails (unreadable, empty, binary, unsupported, bad sidecar, or any later step) is reported with a
 *   message naming it; the other files still ingest and nothing already in the index is lost.
 * - An index built with another embedder fails with AppError('index_mismatch') unless `rebuild` is set.
 */
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
import { extractMetadata, documentIdFor } from '../src/core/metadata.ts';
import { chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { embedInBatches } from '../src/core/embedding/batch.ts';
import { AppError, type ChunkStore, type DocumentMeta, type Embedder, type IndexInfo, type Lexicon, type StoredDocument } from '../src/core/types.ts';
import type { ChunkStoreWriter } from '../src/adapters/memory-store.ts';
import { findCorpusFiles, loadFile, LoadError, type DocumentOverride, type LoadedFile } from './loaders.ts';

/** A store the pipeline can read and write (the LanceDB and in-memory stores both are). */
export interface IngestStore extends ChunkStore, ChunkStoreWriter {}

/** What happened to one file. */
export type DocumentOutcome = 'added' | 'updated' | 'unchanged' | 'removed' | 'failed';

/** Progress events (for a progress bar or log lines). */
export type IngestProgress =
  | { type: 'start'; total: number }
  | { type: 'document'; source: string; index: number; total: number; phase: 'loading' | 'embedding'; done?: number; of?: number }
  | { type: 'result'; source: string; index: number; total: number; outcome: DocumentOutcome; chunks?: number; repairs?: number; message?: string }
  | { type: 'removed'; source: string; id: string }
  | { type: 'finish'; summary: IngestSummary };

/** One document's line in the summary. */
export interface DocumentReport {
  source: string;
  /** Document id (absent when the file failed before metadata). */
  id?: string;
  outcome: DocumentOutcome;
  chunks?: number;
  repairs?: number;
  /** For `failed`: why, naming the file. */
  message?: string;
}

/** What an ingest run did. */
export interface IngestSummary {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  failed: Array<{ source: string; message: string }>;
  /** Every file and removed document, in order. */
  documents: DocumentReport[];
  /** Chunks written in this run. */
  chunksWritten: number;
  embedder: IndexInfo;
  rebuilt: boolean;
  durationMs: number;
}

/** Options of `ingestCorpus`. */
export interface IngestOptions {
  /** Files and/or folders to ingest. */
  paths: string[];
  /** The corpus folder: `source` is relative to it; ingesting it whole allows removing vanished documents. */
  corpusRoot: string;
  store: IngestStore;
  embedder: Embedder;
  lexicon: Lexicon;
  onProgress?: (event: IngestProgress) => void;
  /** Empty the index first (needed after an embedder change). */
  rebuild?: boolean;
  signal?: AbortSignal;
}

/** The message of an index/embedder mismatch, with the fix. */
export function indexMismatchMessage(info: IndexInfo, embedder: { modelId: string; dimensions: number }): string {
  return (
    `The index was built with ${info.embedder} (${info.dimensions} dims); configured ${embedder.modelId} (${embedder.dimensions} dims). ` +
    'Re-ingest with `npm run ingest -- --rebuild`'
  );
}

/** True when the index was built by this embedder (same model id; same dimensions when the embedder knows them). */
export function builtBySameEmbedder(info: IndexInfo, embedder: { modelId: string; dimensions: number }): boolean {
  return info.embedder === embedder.modelId && (embedder.dimensions === 0 || info.dimensions === embedder.dimensions);
}

/** Throws AppError('index_mismatch') when the index was built by another embedder (model id or dimensions). */
export function assertSameEmbedder(info: IndexInfo | null, embedder: { modelId: string; dimensions: number }): void {
  if (info && !builtBySameEmbedder(info, embedder)) throw new AppError('index_mismatch', indexMismatchMessage(info, embedder));
}

function overrideDiffers(override: DocumentOverride | undefined, stored: StoredDocument): boolean {
  if (!override) return false;
  return Object.entries(override).some(([key, value]) => JSON.stringify(stored[key as keyof StoredDocument]) !== JSON.stringify(value));
}

function messageOf(error: unknown, source: string): string {
  if (error instanceof LoadError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  return text.includes(source) ? text : `${source}: ${text}`;
}

/**
 * Ingests files into the store and returns what happened. Throws only for whole-run problems (index mismatch, store
 * failure on reset, abort); per-file problems are in `summary.failed`.
 */
export async function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, embedder, lexicon, onProgress, signal } = options;
  const emit = (event: IngestProgress) => onProgress?.(event);
  const rebuild = options.rebuild ?? false;
  const reports: DocumentReport[] = [];

  if (rebuild) await store.reset();
  if (embedder.dimensions === 0) {
    // Embedders that learn their size from the first response (OpenAI-compatible without configured dimensions).
    await embedder.embed(['dimensionsprov'], { inputType: 'document', signal });
  }
  const existingInfo = await store.info();
  assertSameEmbedder(existingInfo, embedder);
  const info: IndexInfo = { embedder: embedder.modelId, dimensions: embedder.dimensions };

  const found = await findCorpusFiles(options.paths, options.corpusRoot);
  const total = found.files.length + found.errors.length;
  emit({ type: 'start', total });
  let index = 0;
  for (const error of found.errors) {
    const report: DocumentReport = { source: error.file, outcome: 'failed', message: error.message };
    reports.push(report);
    emit({ type: 'result', source: error.file, index: index++, total, outcome: 'failed', message: error.message });
  }

  // Load every file first (load failures are reported in file order below).
  const loaded: LoadedFile[] = [];
  const loadFailures = new Map<string, string>();
  for (const file of found.files) {
    emit({ type: 'document', source: file.source, index, total, phase: 'loading' });
    try {
      loaded.push(await loadFile(file));
    } catch (error) {
      loadFailures.set(file.source, messageOf(error, file.path));
    }
  }
  const loadedBySource = new Map(loaded.map((file) => [file.source, file]));

  const storedDocuments = await store.listDocuments();
  const storedBySource = new Map(storedDocuments.map((document) => [document.source, document]));
  let infoWritten = Boolean(existingInfo);
  const ensureInfo = async () => {
    if (!infoWritten) await store.setInfo(info);
    infoWritten = true;
  };
  let chunksWritten = 0;
  let wrote = false;

  try {
    for (const file of found.files) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const position = index++;
      const failure = loadFailures.get(file.source);
      if (failure !== undefined) {
        reports.push({ source: file.source, outcome: 'failed', message: failure });
        emit({ type: 'result', source: file.source, index: position, total, outcome: 'failed', message: failure });
        continue;
      }
      const loadedFile = loadedBySource.get(file.source)!;
      const id = documentIdFor(file.source);
      const previous = storedBySource.get(file.source);
      if (previous && previous.contentHash === loadedFile.contentHash && !overrideDiffers(loadedFile.override, previous)) {
        reports.push({ source: file.source, id: previous.id, outcome: 'unchanged', chunks: previous.chunks });
        emit({ type: 'result', source: file.source, index: position, total, outcome: 'unchanged', chunks: previous.chunks });
        continue;
      }
      try {
        const repaired = repairDocument(prepareDocumentText(loadedFile.text, lexicon).text, lexicon);
        const document: DocumentMeta = extractMetadata({
          source: file.source,
          text: repaired.text,
          contentHash: loadedFile.contentHash,
          override: loadedFile.override,
        });
        const chunks = chunkDocument(document, repaired);
        if (chunks.length === 0) throw new LoadError(file.path, `${file.path}: no text chunks could be made from it`);
        emit({ type: 'document', source: file.source, index: position, total, phase: 'embedding', done: 0, of: chunks.length });
        const vectors = await embedInBatches(
          embedder,
          chunks.map((chunk) => `${chunk.context}\n${chunk.text}`),
          {
            inputType: 'document',
            signal,
            onBatch: (done, of) => emit({ type: 'document', source: file.source, index: position, total, phase: 'embedding', done, of }),
          },
        );
        await ensureInfo();
        if (previous && previous.id !== document.id) await store.deleteDocument(previous.id, { deferIndexing: true });
        await store.replaceDocument(document, chunks, vectors, { deferIndexing: true });
        wrote = true;
        chunksWritten += chunks.length;
        const outcome: DocumentOutcome = previous ? 'updated' : 'added';
        reports.push({ source: file.source, id: document.id, outcome, chunks: chunks.length, repairs: repaired.repairs.length });
        emit({ type: 'result', source: file.source, index: position, total, outcome, chunks: chunks.length, repairs: repaired.repairs.length });
      } catch (error) {
        if (error instanceof AppError && error.code === 'index_mismatch') throw error;
        if (signal?.aborted) throw error;
        const message = messageOf(error, file.path);
        reports.push({ source: file.source, id, outcome: 'failed', message });
        emit({ type: 'result', source: file.source, index: position, total, outcome: 'failed', message });
      }
    }

    if (found.coversCorpusRoot) {
      const present = new Set(found.files.map((file) => file.source));
      for (const document of storedDocuments) {
        if (present.has(document.source)) continue;
        await store.deleteDocument(document.id, { deferIndexing: true });
        wrote = true;
        reports.push({ source: document.source, id: document.id, outcome: 'removed', chunks: document.chunks });
        emit({ type: 'removed', source: document.source, id: document.id });
      }
    }
  } finally {
    if (wrote || rebuild) await store.refreshIndexes();
  }

  const pick = (outcome: DocumentOutcome) => reports.filter((report) => report.outcome === outcome).map((report) => report.source);
  const summary: IngestSummary = {
    added: pick('added'),
    updated: pick('updated'),
    unchanged: pick('unchanged'),
    removed: pick('removed'),
    failed: reports.filter((report) => report.outcome === 'failed').map((report) => ({ source: report.source, message: report.message ?? 'failed' })),
    documents: reports,
    chunksWritten,
    embedder: info,
    rebuilt: rebuild,
    durationMs: Math.round(performance.now() - started),
  };
  emit({ type: 'finish', summary });
  return summary;
}
