/**
 * The ingest pipeline: files → text → repair → metadata → chunks → vectors → store, incremental by content hash.
 *
 * Where a document's file lives (no extra column: the `source` field says it):
 *  - a file inside the corpus folder has `source` relative to it with `/` separators (`sub/plan.pdf`);
 *  - a file outside it has its absolute path as `source` (`/srv/other/plan.pdf`, `/` separators).
 *  `fileOfSource(source, corpusRoot)` turns a source back into the file path.
 *
 * - Unchanged files (same sha256 of the bytes and same sidecar values) are skipped before any text extraction, so a
 *   run over an unchanged corpus only reads and hashes the files. Changed ones are replaced.
 * - Removal: only when the corpus folder itself is among the paths, and then only documents whose source is inside
 *   the corpus folder and whose file is gone. Documents from elsewhere stay. `prune` removes every document whose
 *   file no longer exists anywhere.
 * - Every document is processed on its own (load → repair → metadata → chunks → vectors): what is stored for a file
 *   does not depend on which other files are in the same run.
 * - A file that fails (unreadable, empty, binary, unsupported, bad sidecar, or any later step) is reported with a
 *   message naming it; the other files still ingest and nothing already in the index is lost.
 * - An embedding provider that fails (AppError 'provider_error', after the embedder's retries) stops the run with an
 *   AppError('provider_error') naming the file; documents written before stay, nothing is removed.
 * - An index built with another embedder fails with AppError('index_mismatch') unless `rebuild` is set.
 * - Each document is written chunks first, its document row last: a run killed midway leaves the previous version
 *   of the document in force (the next run sees the old content hash and redoes it).
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
import { extractMetadata, documentIdFor } from '../src/core/metadata.ts';
import { chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { embedInBatches } from '../src/core/embedding/batch.ts';
import { AppError, type ChunkStore, type DocumentMeta, type Embedder, type IndexInfo, type Lexicon, type StoredDocument } from '../src/core/types.ts';
import { documentQuality, type DocumentQuality } from './report.ts';
import type { ChunkStoreWriter } from '../src/adapters/memory-store.ts';
import { findCorpusFiles, loadFile, LoadError, readSidecar, sha256, type CorpusFile, type DocumentOverride } from './loaders.ts';
import { createPreparePool, type PreparedFile } from './prepare-pool.ts';

/** Files per prepare worker below which ingest prepares in its own thread (`IngestOptions.workers`). */
export const MIN_FILES_PER_WORKER = 4;

/** A store the pipeline can read and write (the LanceDB and in-memory stores both are). */
export interface IngestStore extends ChunkStore, ChunkStoreWriter {}

/** What happened to one file. */
export type DocumentOutcome = 'added' | 'updated' | 'unchanged' | 'removed' | 'failed';

/** Progress events (for a progress bar or log lines). */
export type IngestProgress =
  | { type: 'start'; total: number }
  | { type: 'document'; source: string; index: number; total: number; phase: 'loading' | 'embedding'; done?: number; of?: number }
  | { type: 'result'; source: string; index: number; total: number; outcome: DocumentOutcome; chunks?: number; repairs?: number; message?: string; warnings?: string[] }
  | { type: 'removed'; source: string; id: string }
  /** The run's last writes, compaction and one index update (`refreshIndexes`) begin. */
  | { type: 'indexing'; chunks: number }
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
  /** What the pipeline made of the document (added/updated ones; unchanged ones with `reportUnchanged`). */
  quality?: DocumentQuality;
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
  /** Documents whose report has warnings (unknown committee, no year/date, uppdrag missed, damage left). */
  needsAttention: Array<{ source: string; warnings: string[] }>;
  /** Chunks written in this run. */
  chunksWritten: number;
  embedder: IndexInfo;
  rebuilt: boolean;
  durationMs: number;
  /**
   * Where the run's wall-clock time went, in ms, as seen by the main thread: `prepare` waiting for documents to be
   * loaded, repaired and chunked (in this thread or in the workers), `embed`, `write` (chunk and document writes),
   * `index` (the last writes, compaction and index update of `refreshIndexes`).
   */
  stages: { prepare: number; embed: number; write: number; index: number };
}

/** Options of `ingestCorpus`. */
export interface IngestOptions {
  /** Files and/or folders to ingest (added or updated; never removes anything unless it is the corpus folder). */
  paths: string[];
  /** The corpus folder: `source` is relative to it; ingesting it whole removes its documents whose files are gone. */
  corpusRoot: string;
  /** Also remove every indexed document whose file no longer exists anywhere (inside or outside the corpus folder). */
  prune?: boolean;
  /** Also load and analyse unchanged documents for the report (not re-embedded); default false. */
  reportUnchanged?: boolean;
  store: IngestStore;
  embedder: Embedder;
  lexicon: Lexicon;
  onProgress?: (event: IngestProgress) => void;
  /** Empty the index first (needed after an embedder change). */
  rebuild?: boolean;
  signal?: AbortSignal;
  /**
   * Prepare documents (load → repair → metadata → chunks) in up to this many worker threads while the main thread
   * embeds and writes (`prepare-pool.ts`), at most one per `MIN_FILES_PER_WORKER` files; fewer than 2 (after that
   * cap), 0 or unset: in this thread. The workers use the hunspell lexicon: set it only
   * when `lexicon` is that one (the CLI does), so what is stored does not depend on it.
   */
  workers?: number;
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

/**
 * Where a document remembers its file: relative to the corpus folder (with `/`) for a file inside it, the absolute
 * path (with `/`) for a file outside it.
 */
export function sourceForPath(path: string, corpusRoot: string): string {
  const absolute = resolve(path);
  const relativePath = relative(resolve(corpusRoot), absolute);
  const inside = relativePath !== '' && relativePath !== '..' && !relativePath.startsWith(`..${sep}`) && !isAbsolute(relativePath);
  return (inside ? relativePath : absolute).split(sep).join('/');
}

/** True when a source names a file inside the corpus folder (a relative source). */
export function isCorpusSource(source: string): boolean {
  return !isAbsolute(source) && !/^[A-Za-z]:[\\/]/.test(source);
}

/** The file a source refers to (inverse of `sourceForPath`). */
export function fileOfSource(source: string, corpusRoot: string): string {
  return isCorpusSource(source) ? join(resolve(corpusRoot), ...source.split('/')) : resolve(source);
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

/** A file's bytes hash and sidecar, read without extracting its text; null when either cannot be read. */
async function quickFingerprint(path: string): Promise<{ contentHash: string; override?: DocumentOverride } | null> {
  try {
    const bytes = await readFile(path);
    const override = await readSidecar(path);
    return { contentHash: sha256(bytes), ...(override ? { override } : {}) };
  } catch {
    return null; // the full load reports the problem with its message
  }
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** What processing one document gives (before embedding). */
interface ProcessedDocument {
  document: DocumentMeta;
  chunks: ReturnType<typeof chunkDocument>;
  repairs: number;
  quality: DocumentQuality;
}

/**
 * Load → repair → metadata → chunks → report for one file, independent of every other file (the repair gets no
 * batch-wide statistics). Throws LoadError naming the file.
 */
export async function processFile(file: CorpusFile, lexicon: Lexicon): Promise<ProcessedDocument & { contentHash: string; override?: DocumentOverride }> {
  const loaded = await loadFile(file);
  const repaired = repairDocument(prepareDocumentText(loaded.text, lexicon).text, lexicon);
  const document: DocumentMeta = extractMetadata({
    source: file.source,
    text: repaired.text,
    contentHash: loaded.contentHash,
    override: loaded.override,
  });
  const chunks = chunkDocument(document, repaired);
  if (chunks.length === 0) throw new LoadError(file.path, `${file.path}: no text chunks could be made from it`);
  const quality = documentQuality(document, chunks, repaired.text, lexicon);
  return { document, chunks, repairs: repaired.repairs.length, quality, contentHash: loaded.contentHash, ...(loaded.override ? { override: loaded.override } : {}) };
}

/**
 * Ingests files into the store and returns what happened. Throws only for whole-run problems (index mismatch,
 * embedding provider down, store failure, abort); per-file problems are in `summary.failed`.
 */
export async function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, embedder, lexicon, onProgress, signal } = options;
  const emit = (event: IngestProgress) => onProgress?.(event);
  const rebuild = options.rebuild ?? false;
  const corpusRoot = resolve(options.corpusRoot);
  const reports: DocumentReport[] = [];
  const stages = { prepare: 0, embed: 0, write: 0, index: 0 };
  const timed = async <T>(stage: keyof typeof stages, work: () => Promise<T>): Promise<T> => {
    const begun = performance.now();
    try {
      return await work();
    } finally {
      stages[stage] += performance.now() - begun;
    }
  };

  if (rebuild) await store.reset();
  const existingInfo = await store.info();
  assertSameEmbedder(existingInfo, embedder);

  const found = await findCorpusFiles(options.paths, corpusRoot);
  const files: CorpusFile[] = found.files.map((file) => ({ path: file.path, source: sourceForPath(file.path, corpusRoot) }));
  const total = files.length + found.errors.length;
  emit({ type: 'start', total });
  let index = 0;
  for (const error of found.errors) {
    const report: DocumentReport = { source: error.file, outcome: 'failed', message: error.message };
    reports.push(report);
    emit({ type: 'result', source: error.file, index: index++, total, outcome: 'failed', message: error.message });
  }

  const storedDocuments = await store.listDocuments();
  const storedBySource = new Map(storedDocuments.map((document) => [document.source, document]));
  let infoWritten = Boolean(existingInfo);
  const ensureInfo = async () => {
    if (infoWritten) return;
    // The embedder may learn its size from its first response: check and record it only now.
    assertSameEmbedder(await store.info(), embedder);
    await store.setInfo({ embedder: embedder.modelId, dimensions: embedder.dimensions });
    infoWritten = true;
  };
  let chunksWritten = 0;
  let wrote = false;
  // Writes go out in batches (see `writeBatchLimits`): a document's result is reported once its batch is written, so
  // a run killed midway has reported exactly what the index holds. Results of the same batch keep their order.
  const limits = writeBatchLimits(total);
  const held: IngestProgress[] = [];
  let heldDocuments = 0;
  let heldChunks = 0;
  const emitInOrder = (event: IngestProgress) => (held.length ? held.push(event) : emit(event));
  const releaseHeld = () => {
    for (const event of held.splice(0)) emit(event);
    heldDocuments = 0;
    heldChunks = 0;
  };
  const flushBatch = async () => {
    if (heldDocuments > 0) await timed('write', async () => store.flush?.());
    releaseHeld();
  };

  // Documents are prepared ahead of the one being embedded and written: in worker threads (`workers`), up to two
  // per worker in flight, or in this thread one at a time. Only this window is held in memory (streamed).
  // A worker costs a start (modules, dictionary) that a few files do not repay: below MIN_FILES_PER_WORKER files per
  // worker, or with fewer than two workers (no parallel preparation), the run stays in this thread.
  const workers = Math.min(options.workers ?? 0, Math.floor(files.length / MIN_FILES_PER_WORKER));
  const pool = workers >= 2 ? createPreparePool(workers) : undefined;
  const prepare = (file: CorpusFile): Promise<PreparedFile> => (pool ? pool.prepare(file) : processFile(file, lexicon));
  type Settled = { ok: true; value: PreparedFile } | { ok: false; error: unknown };
  const settle = (promise: Promise<PreparedFile>): Promise<Settled> =>
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  interface Decision {
    previous?: StoredDocument;
    unchanged: boolean;
    /** The prepared document (changed files; unchanged ones with `reportUnchanged`). */
    prepared?: Promise<Settled>;
  }
  const decide = async (file: CorpusFile): Promise<Decision> => {
    const previous = storedBySource.get(file.source);
    if (previous) {
      const fingerprint = await quickFingerprint(file.path);
      if (fingerprint && fingerprint.contentHash === previous.contentHash && !overrideDiffers(fingerprint.override, previous)) {
        return { previous, unchanged: true, ...(options.reportUnchanged ? { prepared: settle(prepare(file)) } : {}) };
      }
    }
    return { ...(previous ? { previous } : {}), unchanged: false, prepared: settle(prepare(file)) };
  };
  const window = pool ? pool.size * 2 : 1;
  const ahead: Array<Promise<Decision>> = [];
  let nextToDecide = 0;
  const fillWindow = () => {
    while (ahead.length < window && nextToDecide < files.length) {
      const decision = decide(files[nextToDecide++]);
      decision.catch(() => undefined); // awaited in order below
      ahead.push(decision);
    }
  };

  try {
    for (const file of files) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const position = index++;
      emit({ type: 'document', source: file.source, index: position, total, phase: 'loading' });
      fillWindow();
      const decision = await timed('prepare', () => ahead.shift()!);
      fillWindow();
      const previous = decision.previous;
      if (decision.unchanged && previous) {
        const report: DocumentReport = { source: file.source, id: previous.id, outcome: 'unchanged', chunks: previous.chunks };
        const prepared = decision.prepared ? await timed('prepare', () => decision.prepared!) : undefined;
        // a file that no longer processes shows up when it changes; the stored version stays
        if (prepared?.ok) report.quality = prepared.value.quality;
        reports.push(report);
        emitInOrder({ type: 'result', source: file.source, index: position, total, outcome: 'unchanged', chunks: previous.chunks, warnings: report.quality?.warnings });
        continue;
      }
      let processed: PreparedFile;
      try {
        const prepared = await timed('prepare', () => decision.prepared!);
        if (!prepared.ok) throw prepared.error;
        processed = prepared.value;
      } catch (error) {
        const message = messageOf(error, file.path);
        reports.push({ source: file.source, id: documentIdFor(file.source), outcome: 'failed', message });
        emitInOrder({ type: 'result', source: file.source, index: position, total, outcome: 'failed', message });
        continue;
      }
      const { document, chunks, repairs, quality } = processed;
      try {
        emit({ type: 'document', source: file.source, index: position, total, phase: 'embedding', done: 0, of: chunks.length });
        const vectors = await timed('embed', () => embedInBatches(
          embedder,
          chunks.map((chunk) => `${chunk.context}\n${chunk.text}`),
          {
            inputType: 'document',
            signal,
            onBatch: (done, of) => emit({ type: 'document', source: file.source, index: position, total, phase: 'embedding', done, of }),
          },
        ));
        await ensureInfo();
        await timed('write', async () => {
          if (previous && previous.id !== document.id) await store.deleteDocument(previous.id, { deferIndexing: true });
          await store.replaceDocument(document, chunks, vectors, { deferIndexing: true });
        });
        wrote = true;
        chunksWritten += chunks.length;
        const outcome: DocumentOutcome = previous ? 'updated' : 'added';
        reports.push({ source: file.source, id: document.id, outcome, chunks: chunks.length, repairs, quality });
        held.push({ type: 'result', source: file.source, index: position, total, outcome, chunks: chunks.length, repairs, warnings: quality.warnings });
        heldDocuments++;
        heldChunks += chunks.length;
        if (heldDocuments >= limits.documents || heldChunks >= limits.chunks) await flushBatch();
      } catch (error) {
        if (error instanceof AppError && error.code === 'index_mismatch') throw error;
        if (signal?.aborted) throw error;
        if (error instanceof AppError && error.code === 'provider_error') {
          const kept = reports.filter((report) => report.outcome === 'added' || report.outcome === 'updated').length;
          throw new AppError(
            'provider_error',
            `Embedding failed while ingesting ${file.path}: ${error.message}. The run stopped; nothing already in the index was ` +
              `removed${kept ? ` and the ${kept} document(s) written before the failure are kept` : ''}. Rerun when the embedding provider is reachable.`,
            { cause: error },
          );
        }
        const message = messageOf(error, file.path);
        reports.push({ source: file.source, id: document.id, outcome: 'failed', message });
        emitInOrder({ type: 'result', source: file.source, index: position, total, outcome: 'failed', message });
      }
    }
    await flushBatch();

    const present = new Set(files.map((file) => file.source));
    const remove = async (document: StoredDocument, reason: string) => {
      await store.deleteDocument(document.id, { deferIndexing: true });
      wrote = true;
      reports.push({ source: document.source, id: document.id, outcome: 'removed', chunks: document.chunks, message: reason });
      emit({ type: 'removed', source: document.source, id: document.id });
    };
    for (const document of storedDocuments) {
      if (present.has(document.source)) continue;
      if (found.coversCorpusRoot && isCorpusSource(document.source)) {
        // A missing corpus folder is an error of findCorpusFiles (coversCorpusRoot stays false): nothing is removed then.
        await remove(document, 'its file is no longer in the corpus folder');
      } else if (options.prune && !(await fileExists(fileOfSource(document.source, corpusRoot)))) {
        await remove(document, 'its file no longer exists');
      }
    }
    if ((options.prune || (wrote && found.coversCorpusRoot)) && (await removeOrphanChunks(store)) > 0) wrote = true;
  } finally {
    await pool?.close();
    if (wrote || rebuild) {
      emit({ type: 'indexing', chunks: chunksWritten });
      await timed('index', () => store.refreshIndexes());
    }
    releaseHeld();
  }

  const finalInfo = (await store.info()) ?? { embedder: embedder.modelId, dimensions: embedder.dimensions };
  const pick = (outcome: DocumentOutcome) => reports.filter((report) => report.outcome === outcome).map((report) => report.source);
  const summary: IngestSummary = {
    added: pick('added'),
    updated: pick('updated'),
    unchanged: pick('unchanged'),
    removed: pick('removed'),
    failed: reports.filter((report) => report.outcome === 'failed').map((report) => ({ source: report.source, message: report.message ?? 'failed' })),
    documents: reports,
    needsAttention: reports
      .filter((report) => (report.quality?.warnings.length ?? 0) > 0)
      .map((report) => ({ source: report.source, warnings: report.quality!.warnings })),
    chunksWritten,
    embedder: finalInfo,
    rebuilt: rebuild,
    durationMs: Math.round(performance.now() - started),
    stages: { prepare: Math.round(stages.prepare), embed: Math.round(stages.embed), write: Math.round(stages.write), index: Math.round(stages.index) },
  };
  emit({ type: 'finish', summary });
  return summary;
}

/**
 * How many documents / chunks the pipeline writes at once: about a twentieth of the run's files (so a killed run has
 * kept most of its work and every batch is large enough that per-write costs do not dominate), at most 4096 chunks
 * (bounded memory: the batch's vectors are held until written).
 */
export function writeBatchLimits(files: number): { documents: number; chunks: number } {
  return { documents: Math.max(1, Math.ceil(files / 20)), chunks: 4096 };
}

/**
 * Deletes chunks whose document row is missing (left by a run killed between writing a new document's chunks and
 * its document row, when the file was then removed). Returns the number of orphaned documents cleaned.
 */
export async function removeOrphanChunks(store: IngestStore): Promise<number> {
  const known = new Set((await store.listDocuments()).map((document) => document.id));
  const orphans = new Set<string>();
  for (const chunk of await store.allChunks()) if (!known.has(chunk.documentId)) orphans.add(chunk.documentId);
  for (const id of orphans) await store.deleteDocument(id, { deferIndexing: true });
  return orphans.size;
}
